// SORT and SORT_RO through the real dispatcher. Expected replies were
// checked against redis-server 7.0.15.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tests/commands/harness.h"
#include "tests/commands/reply_parse.h"

namespace duet::testing {
namespace {

const std::string kWrongType =
    Err("WRONGTYPE Operation against a key holding the wrong kind of value");
const std::string kSyntax = Err("ERR syntax error");
const std::string kBadScore = Err("ERR One or more scores can't be converted into double");

std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& s : items) out += s;
  return out;
}
std::string Bulks(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (auto s : items) out += Bulk(s);
  return out;
}

void PutList(Harness& h, std::string_view key, std::initializer_list<std::string_view> items) {
  std::vector<std::string_view> args = {"RPUSH", key};
  args.insert(args.end(), items.begin(), items.end());
  ASSERT_EQ(h.Run(args), Int(static_cast<int64_t>(items.size())));
}

void PutZSet(Harness& h, std::string_view key,
             std::initializer_list<std::pair<std::string_view, double>> items) {
  std::vector<std::string> args = {"ZADD", std::string(key)};
  for (const auto& [member, score] : items) {
    args.push_back(std::to_string(score));
    args.emplace_back(member);
  }
  ASSERT_EQ(h.Run(std::vector<std::string_view>(args.begin(), args.end())),
            Int(static_cast<int64_t>(items.size())));
}

std::string ListContents(Harness& h, std::string_view key) {
  return h.Run({"LRANGE", key, "0", "-1"});
}

class SortTest : public ::testing::Test {
 protected:
  void SetUp() override { PutList(h, "l", {"3", "1", "2", "10"}); }
  Harness h;
};

TEST_F(SortTest, NumericAlphaAndLimit) {
  EXPECT_EQ(h.Run({"SORT", "l"}), Bulks({"1", "2", "3", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "DESC"}), Bulks({"10", "3", "2", "1"}));
  EXPECT_EQ(h.Run({"SORT", "l", "ALPHA"}), Bulks({"1", "10", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "alpha", "desc"}), Bulks({"3", "2", "10", "1"}));
  EXPECT_EQ(h.Run({"SORT", "l", "ASC", "DESC", "ASC"}), Bulks({"1", "2", "3", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1", "2"}), Bulks({"2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "-5", "2"}), Bulks({"1", "2"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1", "-1"}), Bulks({"2", "3", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "10", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "1", "LIMIT", "1", "1"}), Bulks({"2"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "2", "9223372036854775807"}), Bulks({"3", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "nokey"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "x", "2"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT", "l", "foo"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#", "BY"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT", "l", "STORE"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT"}), Err("ERR wrong number of arguments for 'sort' command"));
}

TEST_F(SortTest, WrongTypeAfterSyntax) {
  h.Run({"SET", "str", "x"});
  h.Run({"HSET", "hh", "a", "1"});
  EXPECT_EQ(h.Run({"SORT", "str"}), kWrongType);
  EXPECT_EQ(h.Run({"SORT", "hh"}), kWrongType);
  EXPECT_EQ(h.Run({"SORT_RO", "hh"}), kWrongType);
  EXPECT_EQ(h.Run({"SORT", "str", "foo"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT", "str", "LIMIT", "x", "1"}),
            Err("ERR value is not an integer or out of range"));
}

TEST_F(SortTest, NoSortKeepsListOrder) {
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort"}), Bulks({"3", "1", "2", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "DESC"}), Bulks({"10", "2", "1", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "1", "2"}), Bulks({"1", "2"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"}), Bulks({"2", "1"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "5", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "2", "9223372036854775807"}),
            Bulks({"2", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "GET", "#", "GET", "#", "LIMIT", "1", "1"}),
            Bulks({"1", "1"}));
  // Once a BY without '*' was seen, sorting stays off.
  h.Run({"MSET", "w_3", "30", "w_1", "10", "w_2", "20", "w_10", "5"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "BY", "nosort"}), Bulks({"3", "1", "2", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "BY", "w_*"}), Bulks({"3", "1", "2", "10"}));
}

TEST_F(SortTest, ByAndGetPatterns) {
  h.Run({"MSET", "w_3", "30", "w_1", "10", "w_2", "20", "w_10", "5"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*"}), Bulks({"10", "1", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "DESC"}), Bulks({"3", "2", "1", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "GET", "#"}), Bulks({"10", "1", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"}),
            Bulks({"10", "5", "1", "10", "2", "20", "3", "30"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "LIMIT", "0", "2", "GET", "#", "GET", "w_*"}),
            Bulks({"10", "5", "1", "10"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "GET", "nokey_*"}), Arr({kNil, kNil, kNil, kNil}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "GET", "nostar"}), Arr({kNil, kNil, kNil, kNil}));

  h.Run({"HSET", "o_1", "name", "one", "n", "3"});
  h.Run({"HSET", "o_2", "name", "two", "n", "2"});
  h.Run({"HSET", "o_3", "name", "three", "n", "1"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->n", "GET", "o_*->name", "GET", "#"}),
            Arr({kNil, Bulk("10"), Bulk("three"), Bulk("3"), Bulk("two"), Bulk("2"), Bulk("one"),
                 Bulk("1")}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->n", "ALPHA", "GET", "o_*->name"}),
            Arr({kNil, Bulk("three"), Bulk("two"), Bulk("one")}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->name", "ALPHA", "GET", "o_*->name"}),
            Arr({kNil, Bulk("one"), Bulk("three"), Bulk("two")}));
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*->name"}),
            Arr({Bulk("one"), Bulk("two"), Bulk("three"), kNil}));
  // "->" with nothing after it is part of the key name.
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->", "GET", "#"}), Bulks({"1", "10", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*->"}), Arr({kNil, kNil, kNil, kNil}));
  // A key of the other kind reads as missing.
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "w_*->x"}), Arr({kNil, kNil, kNil, kNil}));
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*", "LIMIT", "0", "1"}), Arr({kNil}));

  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*->name"}),
            Arr({Bulk("one"), Bulk("two"), Bulk("three"), "_\r\n"}));
}

TEST_F(SortTest, HashFieldsStoredAsIntegers) {
  h.Run({"HSET", "o_1", "n", "300"});
  h.Run({"HSET", "o_2", "n", "-7"});
  h.Run({"HSET", "o_3", "n", "12"});
  h.Run({"HSET", "o_10", "n", "12"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->n", "GET", "o_*->n"}),
            Bulks({"-7", "12", "12", "300"}));
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->n"}), Bulks({"2", "10", "3", "1"}));
}

TEST_F(SortTest, BadScores) {
  PutList(h, "bad", {"a", "1", "b"});
  EXPECT_EQ(h.Run({"SORT", "bad"}), kBadScore);
  EXPECT_EQ(h.Run({"SORT", "bad", "STORE", "dst"}), kBadScore);
  EXPECT_EQ(h.Run({"EXISTS", "dst"}), Int(0));
  EXPECT_EQ(h.Run({"SORT", "bad", "ALPHA"}), Bulks({"1", "a", "b"}));
  for (std::string_view v : {"1e400", "nan", "1 ", "1e-400"}) {
    PutList(h, "one", {v});
    EXPECT_EQ(h.Run({"SORT", "one"}), kBadScore) << v;
    h.Run({"DEL", "one"});
  }
  h.Run({"SET", "w_1", "abc"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*"}), kBadScore);
  // strtod's view of numbers: leading spaces, exponents, hex, infinities,
  // and "" as 0.
  PutList(h, "n", {"1.5", " 2", "1e1", "inf", "-inf", "0x10", ""});
  EXPECT_EQ(h.Run({"SORT", "n"}), Bulks({"-inf", "", "1.5", " 2", "1e1", "0x10", "inf"}));
}

TEST_F(SortTest, TiesKeepSourceOrder) {
  PutList(h, "t", {"c", "b", "a"});
  // Missing weights: numeric ties fall back to the elements' bytes...
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "nokey_*"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "nokey_*", "DESC"}), Bulks({"c", "b", "a"}));
  // ...ALPHA ties keep the list's order.
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "nokey_*", "ALPHA"}), Bulks({"c", "b", "a"}));
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "nokey_*", "ALPHA", "DESC"}), Bulks({"c", "b", "a"}));
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "nokey_*", "ALPHA", "LIMIT", "0", "2"}), Bulks({"c", "b"}));
  // Elements with a weight come after those without.
  h.Run({"SET", "k_b", "x"});
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "k_*", "ALPHA"}), Bulks({"c", "a", "b"}));
  EXPECT_EQ(h.Run({"SORT", "t", "BY", "k_*", "ALPHA", "DESC"}), Bulks({"b", "c", "a"}));
}

TEST_F(SortTest, Store) {
  h.Run({"SET", "dst", "old"});
  h.Run({"EXPIRE", "dst", "100"});
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "dst"}), Int(4));
  EXPECT_EQ(h.Run({"TYPE", "dst"}), "+list\r\n");
  EXPECT_EQ(h.Run({"TTL", "dst"}), Int(-1));
  EXPECT_EQ(ListContents(h, "dst"), Bulks({"1", "2", "3", "10"}));
  h.Run({"HSET", "o_1", "name", "one"});
  h.Run({"HSET", "o_2", "name", "two"});
  h.Run({"HSET", "o_3", "name", "three"});
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "GET", "o_*->name", "STORE", "dst2"}), Int(4));
  EXPECT_EQ(ListContents(h, "dst2"), Bulks({"three", "one", "two", ""}));
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#", "GET", "o_*->name", "STORE", "dst3"}), Int(8));
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "l", "DESC"}), Int(4));  // source as destination
  EXPECT_EQ(ListContents(h, "l"), Bulks({"10", "3", "2", "1"}));
  // An empty result deletes the destination.
  EXPECT_EQ(h.Run({"SORT", "nokey", "STORE", "dst"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "dst"}), Int(0));
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "0", "STORE", "dst2"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "dst2"}), Int(0));
  EXPECT_EQ(h.Run({"SORT", "nokey", "STORE", "dst"}), Int(0));
}

TEST_F(SortTest, ReadOnlyVariant) {
  h.Run({"MSET", "w_3", "30", "w_1", "10", "w_2", "20", "w_10", "5"});
  EXPECT_EQ(h.Run({"SORT_RO", "l", "BY", "w_*", "GET", "#"}), Bulks({"10", "1", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT_RO", "l", "STORE", "dst"}), kSyntax);
  EXPECT_EQ(h.Run({"SORT_RO", "l", "DESC", "LIMIT", "0", "1"}), Bulks({"10"}));
  EXPECT_EQ(h.Run({"EXISTS", "dst"}), Int(0));
}

TEST_F(SortTest, Sets) {
  h.Run({"SADD", "si", "3", "1", "2"});
  EXPECT_EQ(h.Run({"SORT", "si"}), Bulks({"1", "2", "3"}));
  EXPECT_EQ(h.Run({"SORT", "si", "BY", "nosort"}), Bulks({"1", "2", "3"}));  // intset order
  h.Run({"SADD", "st", "c", "a", "b", "B"});
  EXPECT_EQ(h.Run({"SORT", "st", "ALPHA"}), Bulks({"B", "a", "b", "c"}));
  EXPECT_EQ(Sorted(h.Run({"SORT", "st", "BY", "nosort"})), (Strs{"B", "a", "b", "c"}));
  // Stored, an unsorted set is sorted ALPHA so the list is reproducible.
  EXPECT_EQ(h.Run({"SORT", "st", "BY", "nosort", "STORE", "d"}), Int(4));
  EXPECT_EQ(ListContents(h, "d"), Bulks({"B", "a", "b", "c"}));
  h.Run({"SADD", "sx", "10", "9", "1"});
  EXPECT_EQ(h.Run({"SORT", "sx", "BY", "nosort", "STORE", "d"}), Int(3));
  EXPECT_EQ(ListContents(h, "d"), Bulks({"1", "10", "9"}));
  EXPECT_EQ(h.Run({"SORT", "sx", "BY", "nosort", "DESC", "STORE", "d"}), Int(3));
  EXPECT_EQ(ListContents(h, "d"), Bulks({"9", "10", "1"}));
}

TEST_F(SortTest, SortedSets) {
  PutZSet(h, "z", {{"c", 3}, {"a", 1}, {"b", 2}, {"d", 0.5}});
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort"}), Bulks({"d", "a", "b", "c"}));
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "DESC"}), Bulks({"c", "b", "a", "d"}));
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "5"}),
            Bulks({"b", "a", "d"}));
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"}), Bulks({"a", "b"}));
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "LIMIT", "9", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "ALPHA", "DESC"}), Bulks({"d", "c", "b", "a"}));
  EXPECT_EQ(h.Run({"SORT", "z"}), kBadScore);
  PutZSet(h, "zn", {{"30", 1}, {"4", 2}, {"100", 3}});
  EXPECT_EQ(h.Run({"SORT", "zn"}), Bulks({"4", "30", "100"}));
  EXPECT_EQ(h.Run({"SORT", "zn", "BY", "nosort", "STORE", "d"}), Int(3));
  EXPECT_EQ(ListContents(h, "d"), Bulks({"30", "4", "100"}));  // score order, not sorted
}

TEST_F(SortTest, KeyspaceHitsAndMisses) {
  h.Run({"SET", "w_1", "1"});
  const auto hits = h.server().stats().keyspace_hits;
  const auto misses = h.server().stats().keyspace_misses;
  // Weights: w_1 exists, w_3, w_2 and w_10 do not, so "10" sorts first and
  // its GET w_10 misses once more. The sorted key itself is a hit.
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "LIMIT", "0", "1", "GET", "w_*"}), Arr({kNil}));
  EXPECT_EQ(h.server().stats().keyspace_hits - hits, 2u);
  EXPECT_EQ(h.server().stats().keyspace_misses - misses, 4u);
}

TEST(SortLarge, ListsAndSkiplistSortedSets) {
  Harness h;
  std::vector<std::string> rpush = {"RPUSH", "big"};
  std::vector<std::string> zadd = {"ZADD", "zbig"};
  std::vector<int64_t> values;
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = (i * 7919) % 1009 - 500;
    values.push_back(v);
    rpush.push_back(std::to_string(v));
    zadd.push_back(std::to_string(i));
    zadd.push_back("m" + std::to_string(i));
  }
  h.Run(std::vector<std::string_view>(rpush.begin(), rpush.end()));
  h.Run(std::vector<std::string_view>(zadd.begin(), zadd.end()));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "zbig"}), Bulk("skiplist"));
  std::sort(values.begin(), values.end());
  Strs want;
  for (int64_t v : values) want.push_back(std::to_string(v));
  EXPECT_EQ(Strings(h.Run({"SORT", "big"})), want);
  Strs page = Strings(h.Run({"SORT", "big", "DESC", "LIMIT", "10", "3"}));
  EXPECT_EQ(page, (Strs{want[989], want[988], want[987]}));
  EXPECT_EQ(Strings(h.Run({"SORT", "zbig", "BY", "nosort", "DESC", "LIMIT", "1", "2"})),
            (Strs{"m998", "m997"}));
  EXPECT_EQ(Strings(h.Run({"SORT", "zbig", "BY", "nosort", "LIMIT", "998", "5"})),
            (Strs{"m998", "m999"}));
  EXPECT_EQ(h.Run({"SORT", "zbig", "BY", "nosort", "STORE", "copy"}), Int(1000));
  EXPECT_EQ(h.Run({"LINDEX", "copy", "500"}), Bulk("m500"));
}

TEST(SortKeys, CommandGetKeys) {
  Harness h;
  EXPECT_EQ(
      h.Run({"COMMAND", "GETKEYS", "SORT", "l", "STORE", "d", "LIMIT", "0", "1", "STORE", "e"}),
      Bulks({"l", "e"}));
  // LIMIT skips two arguments and GET one, so neither "store" here is STORE.
  EXPECT_EQ(h.Run({"COMMAND", "GETKEYS", "SORT", "l", "LIMIT", "store", "1", "GET", "store", "x"}),
            Bulks({"l"}));
  EXPECT_EQ(h.Run({"COMMAND", "GETKEYS", "SORT", "l", "STORE"}), Bulks({"l"}));
  EXPECT_EQ(h.Run({"COMMAND", "GETKEYS", "SORT_RO", "l", "STORE", "d"}), Bulks({"l"}));
  EXPECT_EQ(h.Run({"COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "store", "d"}),
            "*2\r\n*2\r\n" + Bulk("l") + "*2\r\n+RO\r\n+access\r\n*2\r\n" + Bulk("d") +
                "*2\r\n+OW\r\n+update\r\n");
}

}  // namespace
}  // namespace duet::testing
