// List commands through the real dispatcher. Expected bytes were checked
// against redis-server 7.0.15 (RESP2 and, where the shape differs, RESP3).

#include <string>
#include <vector>

#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

std::string Arr(const std::vector<std::string>& items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}
std::string Bulks(const std::vector<std::string>& items) {
  std::vector<std::string> b;
  for (const auto& i : items) b.push_back(Bulk(i));
  return Arr(b);
}
const std::string kWrongType =
    Err("WRONGTYPE Operation against a key holding the wrong kind of value");
const std::string kNotInt = Err("ERR value is not an integer or out of range");
const std::string kSyntax = Err("ERR syntax error");
const char* kNilArray = "*-1\r\n";
const char* kEmpty = "*0\r\n";

class ListCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { h.Run({"SET", "s", "x"}); }
  std::string Range(std::string_view key) { return h.Run({"LRANGE", key, "0", "-1"}); }
  Harness h;
};

TEST_F(ListCommandsTest, PushOrderAndLength) {
  EXPECT_EQ(h.Run({"LPUSH", "l", "a", "b", "c"}), Int(3));
  EXPECT_EQ(Range("l"), Bulks({"c", "b", "a"}));
  EXPECT_EQ(h.Run({"RPUSH", "l", "d", "e"}), Int(5));
  EXPECT_EQ(Range("l"), Bulks({"c", "b", "a", "d", "e"}));
  EXPECT_EQ(h.Run({"LLEN", "l"}), Int(5));
  EXPECT_EQ(h.Run({"LLEN", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"TYPE", "l"}), "+list\r\n");
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "l"}), Bulk("quicklist"));
}

TEST_F(ListCommandsTest, PushXOnlyExisting) {
  EXPECT_EQ(h.Run({"LPUSHX", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"RPUSHX", "nokey", "a", "b"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "nokey"}), Int(0));
  h.Run({"RPUSH", "l", "m"});
  EXPECT_EQ(h.Run({"LPUSHX", "l", "a", "b"}), Int(3));
  EXPECT_EQ(h.Run({"RPUSHX", "l", "z"}), Int(4));
  EXPECT_EQ(Range("l"), Bulks({"b", "a", "m", "z"}));
}

TEST_F(ListCommandsTest, WrongTypeEverywhere) {
  for (auto cmd : std::vector<std::vector<std::string_view>>{
           {"LPUSH", "s", "a"},
           {"RPUSH", "s", "a"},
           {"LPUSHX", "s", "a"},
           {"RPUSHX", "s", "a"},
           {"LPOP", "s"},
           {"RPOP", "s", "0"},
           {"LLEN", "s"},
           {"LRANGE", "s", "0", "1"},
           {"LINDEX", "s", "abc"},
           {"LSET", "s", "abc", "x"},
           {"LINSERT", "s", "BEFORE", "a", "b"},
           {"LREM", "s", "0", "x"},
           {"LTRIM", "s", "0", "1"},
           {"LPOS", "s", "a"},
           {"LPOS", "s", "a", "COUNT", "0"},
           {"LMOVE", "s", "d", "LEFT", "RIGHT"},
           {"RPOPLPUSH", "s", "d"},
           {"LMPOP", "2", "nokey", "s", "LEFT"},
       }) {
    EXPECT_EQ(h.Run(cmd), kWrongType) << cmd[0];
  }
  h.Run({"RPUSH", "l", "a"});
  EXPECT_EQ(h.Run({"LMOVE", "l", "s", "LEFT", "RIGHT"}), kWrongType);
  EXPECT_EQ(h.Run({"RPOPLPUSH", "l", "s"}), kWrongType);
  EXPECT_EQ(Range("l"), Bulks({"a"}));  // nothing moved
}

TEST_F(ListCommandsTest, PopWithoutAndWithCount) {
  EXPECT_EQ(h.Run({"LPOP", "nokey"}), kNil);
  EXPECT_EQ(h.Run({"LPOP", "nokey", "2"}), kNilArray);
  EXPECT_EQ(h.Run({"LPOP", "nokey", "0"}), kNilArray);
  h.Run({"RPUSH", "l", "a", "b", "c", "d"});
  EXPECT_EQ(h.Run({"LPOP", "l", "0"}), kEmpty);
  EXPECT_EQ(h.Run({"LPOP", "l"}), Bulk("a"));
  EXPECT_EQ(h.Run({"RPOP", "l"}), Bulk("d"));
  EXPECT_EQ(h.Run({"LPOP", "l", "1"}), Bulks({"b"}));
  EXPECT_EQ(h.Run({"RPOP", "l", "5"}), Bulks({"c"}));
  EXPECT_EQ(h.Run({"EXISTS", "l"}), Int(0));  // emptied lists disappear
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"RPOP", "l", "2"}), Bulks({"c", "b"}));
}

TEST_F(ListCommandsTest, PopErrors) {
  EXPECT_EQ(h.Run({"LPOP", "nokey", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"LPOP", "nokey", "abc"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"LPOP", "s", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"LPOP", "s", "0"}), kWrongType);
  EXPECT_EQ(h.Run({"LPOP", "nokey", "1", "2"}),
            Err("ERR wrong number of arguments for 'lpop' command"));
  EXPECT_EQ(h.Run({"RPOP", "nokey", "1", "2"}),
            Err("ERR wrong number of arguments for 'rpop' command"));
}

TEST_F(ListCommandsTest, PopNullsInResp3) {
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"LPOP", "nokey"}), "_\r\n");
  EXPECT_EQ(h.Run({"RPOP", "nokey", "2"}), "_\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "nokey", "0"}), "_\r\n");
  EXPECT_EQ(h.Run({"LPOS", "nokey", "a"}), "_\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "nokey", "d", "LEFT", "LEFT"}), "_\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "nokey", "LEFT"}), "_\r\n");
}

TEST_F(ListCommandsTest, Range) {
  EXPECT_EQ(h.Run({"LRANGE", "nokey", "0", "-1"}), kEmpty);
  EXPECT_EQ(h.Run({"LRANGE", "nokey", "a", "b"}), kNotInt);
  EXPECT_EQ(h.Run({"LRANGE", "s", "a", "1"}), kNotInt);  // arguments before the key
  h.Run({"RPUSH", "l", "a", "b", "c", "d"});
  EXPECT_EQ(h.Run({"LRANGE", "l", "1", "2"}), Bulks({"b", "c"}));
  EXPECT_EQ(h.Run({"LRANGE", "l", "-2", "100"}), Bulks({"c", "d"}));
  EXPECT_EQ(h.Run({"LRANGE", "l", "-100", "0"}), Bulks({"a"}));
  EXPECT_EQ(h.Run({"LRANGE", "l", "3", "1"}), kEmpty);
  EXPECT_EQ(h.Run({"LRANGE", "l", "5", "10"}), kEmpty);
}

TEST_F(ListCommandsTest, Index) {
  EXPECT_EQ(h.Run({"LINDEX", "nokey", "abc"}), kNil);  // the key is looked at first
  EXPECT_EQ(h.Run({"LINDEX", "s", "abc"}), kWrongType);
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"LINDEX", "l", "abc"}), kNotInt);
  EXPECT_EQ(h.Run({"LINDEX", "l", "0"}), Bulk("a"));
  EXPECT_EQ(h.Run({"LINDEX", "l", "-1"}), Bulk("c"));
  EXPECT_EQ(h.Run({"LINDEX", "l", "5"}), kNil);
  EXPECT_EQ(h.Run({"LINDEX", "l", "-4"}), kNil);
}

TEST_F(ListCommandsTest, Set) {
  EXPECT_EQ(h.Run({"LSET", "nokey", "abc", "x"}), Err("ERR no such key"));
  EXPECT_EQ(h.Run({"LSET", "nokey", "0", "x"}), Err("ERR no such key"));
  EXPECT_EQ(h.Run({"LSET", "s", "abc", "x"}), kWrongType);
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"LSET", "l", "abc", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"LSET", "l", "5", "x"}), Err("ERR index out of range"));
  EXPECT_EQ(h.Run({"LSET", "l", "-1", "z"}), kOk);
  EXPECT_EQ(h.Run({"LSET", "l", "0", "y"}), kOk);
  EXPECT_EQ(Range("l"), Bulks({"y", "b", "z"}));
}

TEST_F(ListCommandsTest, Insert) {
  EXPECT_EQ(h.Run({"LINSERT", "nokey", "foo", "a", "b"}), kSyntax);  // before the key lookup
  EXPECT_EQ(h.Run({"LINSERT", "nokey", "before", "a", "b"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "nokey"}), Int(0));
  h.Run({"RPUSH", "l", "a", "c"});
  EXPECT_EQ(h.Run({"LINSERT", "l", "before", "zz", "b"}), Int(-1));
  EXPECT_EQ(h.Run({"LINSERT", "l", "AFTER", "a", "b"}), Int(3));
  EXPECT_EQ(h.Run({"LINSERT", "l", "Before", "a", "0"}), Int(4));
  EXPECT_EQ(Range("l"), Bulks({"0", "a", "b", "c"}));
}

TEST_F(ListCommandsTest, Rem) {
  EXPECT_EQ(h.Run({"LREM", "nokey", "abc", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"LREM", "nokey", "0", "x"}), Int(0));
  h.Run({"RPUSH", "l", "x", "a", "x", "b", "x"});
  EXPECT_EQ(h.Run({"LREM", "l", "1", "x"}), Int(1));
  EXPECT_EQ(Range("l"), Bulks({"a", "x", "b", "x"}));
  EXPECT_EQ(h.Run({"LREM", "l", "-1", "x"}), Int(1));
  EXPECT_EQ(Range("l"), Bulks({"a", "x", "b"}));
  EXPECT_EQ(h.Run({"LREM", "l", "0", "nothere"}), Int(0));
  h.Run({"RPUSH", "m", "x", "x"});
  EXPECT_EQ(h.Run({"LREM", "m", "0", "x"}), Int(2));
  EXPECT_EQ(h.Run({"EXISTS", "m"}), Int(0));
}

TEST_F(ListCommandsTest, Trim) {
  EXPECT_EQ(h.Run({"LTRIM", "nokey", "a", "1"}), kNotInt);
  EXPECT_EQ(h.Run({"LTRIM", "nokey", "0", "1"}), kOk);
  h.Run({"RPUSH", "l", "a", "b", "c", "d"});
  EXPECT_EQ(h.Run({"LTRIM", "l", "1", "-2"}), kOk);
  EXPECT_EQ(Range("l"), Bulks({"b", "c"}));
  EXPECT_EQ(h.Run({"LTRIM", "l", "5", "10"}), kOk);
  EXPECT_EQ(h.Run({"EXISTS", "l"}), Int(0));
}

TEST_F(ListCommandsTest, PosFindsAndCounts) {
  h.Run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
  EXPECT_EQ(h.Run({"LPOS", "l", "a"}), Int(0));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "2"}), Int(3));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-1"}), Int(6));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "9223372036854775807"}), kNil);
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "0"}), Arr({Int(0), Int(3), Int(6)}));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "2", "RANK", "-1"}), Arr({Int(6), Int(3)}));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "2", "COUNT", "0"}), Arr({Int(0)}));
  EXPECT_EQ(h.Run({"LPOS", "l", "z"}), kNil);
  EXPECT_EQ(h.Run({"LPOS", "l", "z", "COUNT", "1"}), kEmpty);
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "1", "RANK", "2"}), Int(3));  // last one wins
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "1", "COUNT", "0"}), Arr({Int(0), Int(3), Int(6)}));
  EXPECT_EQ(h.Run({"LPOS", "nokey", "a"}), kNil);
  EXPECT_EQ(h.Run({"LPOS", "nokey", "a", "COUNT", "1"}), kEmpty);
}

TEST_F(ListCommandsTest, PosMostNegativeRankActsLikeRedis) {
  // Redis 7.0 negates INT64_MIN into itself: every match from the tail.
  h.Run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), Int(6));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}),
            Arr({Int(6), Int(3), Int(0)}));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "2", "MAXLEN", "3"}),
            Arr({Int(6)}));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-9223372036854775807", "COUNT", "1"}), kEmpty);
}

TEST_F(ListCommandsTest, PosErrors) {
  h.Run({"RPUSH", "l", "a"});
  const std::string rank0 = Err(
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
      "negative to start from the end of the list");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "0"}), rank0);
  EXPECT_EQ(h.Run({"LPOS", "nokey", "a", "RANK", "0"}), rank0);  // options before the key
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "abc"}), kNotInt);
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "-1"}), Err("ERR COUNT can't be negative"));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "abc"}), Err("ERR COUNT can't be negative"));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "-1"}), Err("ERR MAXLEN can't be negative"));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "abc"}), Err("ERR MAXLEN can't be negative"));
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "FOO"}), kSyntax);
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK"}), kSyntax);
}

TEST_F(ListCommandsTest, MoveAndRPopLPush) {
  EXPECT_EQ(h.Run({"LMOVE", "nokey", "d", "LEFT", "RIGHT"}), kNil);
  EXPECT_EQ(h.Run({"LMOVE", "nokey", "d", "left", "foo"}), kSyntax);
  EXPECT_EQ(h.Run({"LMOVE", "nokey", "d", "foo", "right"}), kSyntax);
  EXPECT_EQ(h.Run({"RPOPLPUSH", "nokey", "d"}), kNil);
  EXPECT_EQ(h.Run({"EXISTS", "d"}), Int(0));
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"LMOVE", "l", "d", "LEFT", "RIGHT"}), Bulk("a"));
  EXPECT_EQ(h.Run({"LMOVE", "l", "d", "RIGHT", "LEFT"}), Bulk("c"));
  EXPECT_EQ(Range("d"), Bulks({"c", "a"}));
  EXPECT_EQ(h.Run({"RPOPLPUSH", "l", "d"}), Bulk("b"));
  EXPECT_EQ(Range("d"), Bulks({"b", "c", "a"}));
  EXPECT_EQ(h.Run({"EXISTS", "l"}), Int(0));  // the emptied source is gone
}

TEST_F(ListCommandsTest, MoveOntoItselfRotates) {
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"LMOVE", "l", "l", "LEFT", "RIGHT"}), Bulk("a"));
  EXPECT_EQ(Range("l"), Bulks({"b", "c", "a"}));
  EXPECT_EQ(h.Run({"RPOPLPUSH", "l", "l"}), Bulk("a"));
  EXPECT_EQ(Range("l"), Bulks({"a", "b", "c"}));
  h.Run({"RPUSH", "one", "x"});  // a single element survives the round trip
  EXPECT_EQ(h.Run({"LMOVE", "one", "one", "LEFT", "LEFT"}), Bulk("x"));
  EXPECT_EQ(Range("one"), Bulks({"x"}));
}

TEST_F(ListCommandsTest, MPop) {
  h.Run({"RPUSH", "l", "a", "b", "c", "d", "e"});
  EXPECT_EQ(h.Run({"LMPOP", "1", "nokey", "LEFT"}), kNilArray);
  EXPECT_EQ(h.Run({"LMPOP", "3", "nokey", "l", "s", "LEFT"}), Arr({Bulk("l"), Bulks({"a"})}));
  EXPECT_EQ(h.Run({"LMPOP", "2", "nokey", "l", "right", "COUNT", "2"}),
            Arr({Bulk("l"), Bulks({"e", "d"})}));
  EXPECT_EQ(h.Run({"LMPOP", "1", "l", "LEFT", "COUNT", "100"}),
            Arr({Bulk("l"), Bulks({"b", "c"})}));
  EXPECT_EQ(h.Run({"EXISTS", "l"}), Int(0));
}

TEST_F(ListCommandsTest, MPopErrors) {
  const std::string numkeys = Err("ERR numkeys should be greater than 0");
  const std::string count = Err("ERR count should be greater than 0");
  EXPECT_EQ(h.Run({"LMPOP", "0", "a", "LEFT"}), numkeys);
  EXPECT_EQ(h.Run({"LMPOP", "-1", "a", "LEFT"}), numkeys);
  EXPECT_EQ(h.Run({"LMPOP", "abc", "a", "LEFT"}), numkeys);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a"}), Err("ERR wrong number of arguments for 'lmpop' command"));
  EXPECT_EQ(h.Run({"LMPOP", "2", "a", "LEFT"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "3", "a", "LEFT"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "9223372036854775807", "a", "LEFT"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "MIDDLE"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "0"}), count);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "-1"}), count);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "abc"}), count);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "FOO"}), kSyntax);
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "LEFT", "COUNT"}), kSyntax);
}

TEST_F(ListCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  h.Run({"CONFIG", "RESETSTAT"});
  for (auto cmd : std::vector<std::vector<std::string_view>>{
           {"LLEN", "n"}, {"LRANGE", "n", "0", "1"}, {"LINDEX", "n", "0"}, {"LPOS", "n", "a"}}) {
    h.Run(cmd);
  }
  // Writes look keys up without counting, as in Redis.
  h.Run({"LPOP", "n"});
  h.Run({"LMOVE", "n", "d", "LEFT", "LEFT"});
  h.Run({"RPUSH", "k", "a"});
  h.Run({"LLEN", "k"});
  h.Run({"LINDEX", "k", "abc"});
  EXPECT_EQ(h.server().stats().keyspace_misses, 4u);
  EXPECT_EQ(h.server().stats().keyspace_hits, 2u);
}

TEST_F(ListCommandsTest, WritesCountDirty) {
  uint64_t d0 = h.server().stats().dirty;
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.server().stats().dirty - d0, 3u);
  h.Run({"LPUSHX", "nokey", "a"});
  h.Run({"LPOP", "l", "2"});
  EXPECT_EQ(h.server().stats().dirty - d0, 5u);
}

TEST_F(ListCommandsTest, ExpiredListIsGone) {
  h.Run({"RPUSH", "l", "a"});
  h.Run({"PEXPIRE", "l", "100"});
  h.AdvanceTime(200);
  EXPECT_EQ(h.Run({"LLEN", "l"}), Int(0));
  EXPECT_EQ(h.Run({"RPUSHX", "l", "b"}), Int(0));
}

TEST_F(ListCommandsTest, LargeListAcrossNodes) {
  std::vector<std::string> vals;
  for (int i = 0; i < 1000; ++i) vals.push_back("v" + std::to_string(i));
  std::vector<std::string_view> cmd = {"RPUSH", "big"};
  for (const auto& v : vals) cmd.push_back(v);
  EXPECT_EQ(h.Run(cmd), Int(1000));
  EXPECT_EQ(h.Run({"LINDEX", "big", "500"}), Bulk("v500"));
  EXPECT_EQ(h.Run({"LPOS", "big", "v999"}), Int(999));
  EXPECT_EQ(h.Run({"LRANGE", "big", "998", "-1"}), Bulks({"v998", "v999"}));
  EXPECT_EQ(h.Run({"LTRIM", "big", "10", "19"}), kOk);
  EXPECT_EQ(h.Run({"LLEN", "big"}), Int(10));
  EXPECT_EQ(h.Run({"LPOP", "big"}), Bulk("v10"));
}

}  // namespace
}  // namespace duet::testing
