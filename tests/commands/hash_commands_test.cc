// Hash commands through the real dispatcher. Expected replies (texts, RESP2
// and RESP3 shapes) were checked against redis-server 7.0.15.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/commands/harness.h"
#include "tests/commands/reply_parse.h"

namespace duet::testing {
namespace {

const std::string kWrongType =
    Err("WRONGTYPE Operation against a key holding the wrong kind of value");
const std::string kSyntax = Err("ERR syntax error");
const std::string kNotInt = Err("ERR value is not an integer or out of range");

std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& s : items) out += s;
  return out;
}

TEST(HashCommands, SetGetAndArity) {
  Harness h;
  EXPECT_EQ(h.Run({"HSET", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(h.Run({"HSET", "h", "a", "3", "c", "4"}), Int(1));
  EXPECT_EQ(h.Run({"HSET", "h", "d", "5", "d", "6"}), Int(1));
  EXPECT_EQ(h.Run({"HGET", "h", "a"}), Bulk("3"));
  EXPECT_EQ(h.Run({"HGET", "h", "d"}), Bulk("6"));
  EXPECT_EQ(h.Run({"HGET", "h", "zz"}), kNil);
  EXPECT_EQ(h.Run({"HGET", "nokey", "a"}), kNil);
  EXPECT_EQ(h.Run({"HSET", "h", "a"}), Err("ERR wrong number of arguments for 'hset' command"));
  EXPECT_EQ(h.Run({"HSET", "h", "a", "1", "b"}),
            Err("ERR wrong number of arguments for 'hset' command"));
  EXPECT_EQ(h.Run({"HMSET", "h", "a", "1", "b"}),
            Err("ERR wrong number of arguments for 'hmset' command"));
  EXPECT_EQ(h.Run({"HMSET", "h", "a", "7", "e", "8"}), kOk);
  EXPECT_EQ(h.Run({"HMGET", "h", "a", "zz", "e"}), Arr({Bulk("7"), kNil, Bulk("8")}));
  EXPECT_EQ(h.Run({"HMGET", "nokey", "a", "b"}), Arr({kNil, kNil}));
  EXPECT_EQ(h.Run({"HLEN", "h"}), Int(5));
  EXPECT_EQ(h.Run({"HLEN", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"TYPE", "h"}), "+hash\r\n");
  EXPECT_EQ(h.Run({"HSET", "bin", std::string_view("f\0\r\n", 4), std::string_view("v\0", 2)}),
            Int(1));
  EXPECT_EQ(h.Run({"HGET", "bin", std::string_view("f\0\r\n", 4)}),
            Bulk(std::string_view("v\0", 2)));
}

TEST(HashCommands, WrongTypeEverywhere) {
  Harness h;
  h.Run({"SET", "str", "x"});
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"HSET", "str", "a", "1"},
           {"HMSET", "str", "a", "1"},
           {"HSETNX", "str", "a", "1"},
           {"HGET", "str", "a"},
           {"HMGET", "str", "a"},
           {"HDEL", "str", "a"},
           {"HLEN", "str"},
           {"HSTRLEN", "str", "a"},
           {"HEXISTS", "str", "a"},
           {"HKEYS", "str"},
           {"HVALS", "str"},
           {"HGETALL", "str"},
           {"HINCRBY", "str", "a", "1"},
           {"HINCRBYFLOAT", "str", "a", "1"},
           {"HRANDFIELD", "str"},
           {"HRANDFIELD", "str", "1"},
           {"HRANDFIELD", "str", "1", "WITHVALUES"},
           {"HSCAN", "str", "0"},
       }) {
    EXPECT_EQ(h.Run(args), kWrongType) << args[0];
  }
  // Argument errors come before the key is looked at.
  EXPECT_EQ(h.Run({"HINCRBY", "str", "a", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "str", "a", "x"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "str", "a", "inf"}), Err("ERR value is NaN or Infinity"));
  EXPECT_EQ(h.Run({"HRANDFIELD", "str", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"HSCAN", "str", "x"}), Err("ERR invalid cursor"));
}

TEST(HashCommands, SetNx) {
  Harness h;
  EXPECT_EQ(h.Run({"HSETNX", "h", "a", "1"}), Int(1));
  EXPECT_EQ(h.Run({"HSETNX", "h", "a", "2"}), Int(0));
  EXPECT_EQ(h.Run({"HGET", "h", "a"}), Bulk("1"));
  // A refused HSETNX does not convert, even with a long value.
  const std::string long_value(65, 'v');
  EXPECT_EQ(h.Run({"HSETNX", "h", "a", long_value}), Int(0));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("listpack"));
  EXPECT_EQ(h.Run({"HSETNX", "h", "b", long_value}), Int(1));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
}

TEST(HashCommands, DelExistsStrLen) {
  Harness h;
  h.Run({"HSET", "h", "a", "hello", "b", "12345", "c", ""});
  EXPECT_EQ(h.Run({"HSTRLEN", "h", "a"}), Int(5));
  EXPECT_EQ(h.Run({"HSTRLEN", "h", "b"}), Int(5));  // integer-encoded in the listpack
  EXPECT_EQ(h.Run({"HSTRLEN", "h", "c"}), Int(0));
  EXPECT_EQ(h.Run({"HSTRLEN", "h", "zz"}), Int(0));
  EXPECT_EQ(h.Run({"HSTRLEN", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"HEXISTS", "h", "c"}), Int(1));
  EXPECT_EQ(h.Run({"HEXISTS", "h", "zz"}), Int(0));
  EXPECT_EQ(h.Run({"HEXISTS", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"HDEL", "h", "a", "zz", "a"}), Int(1));
  EXPECT_EQ(h.Run({"HDEL", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"HDEL", "h", "b", "c"}), Int(2));
  EXPECT_EQ(h.Run({"EXISTS", "h"}), Int(0));  // emptied hash deleted
  EXPECT_EQ(h.Run({"HDEL", "h"}), Err("ERR wrong number of arguments for 'hdel' command"));
}

TEST(HashCommands, KeysValsGetAll) {
  Harness h;
  h.Run({"HSET", "h", "a", "1", "b", "2"});
  EXPECT_EQ(h.Run({"HKEYS", "h"}), Arr({Bulk("a"), Bulk("b")}));  // listpack order
  EXPECT_EQ(h.Run({"HVALS", "h"}), Arr({Bulk("1"), Bulk("2")}));
  EXPECT_EQ(h.Run({"HGETALL", "h"}), Arr({Bulk("a"), Bulk("1"), Bulk("b"), Bulk("2")}));
  EXPECT_EQ(h.Run({"HKEYS", "nokey"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HVALS", "nokey"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HGETALL", "nokey"}), "*0\r\n");
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"HGETALL", "h"}), "%2\r\n" + Bulk("a") + Bulk("1") + Bulk("b") + Bulk("2"));
  EXPECT_EQ(h.Run({"HGETALL", "nokey"}), "%0\r\n");
  EXPECT_EQ(h.Run({"HKEYS", "nokey"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HMGET", "h", "a", "zz"}), Arr({Bulk("1"), "_\r\n"}));
  EXPECT_EQ(h.Run({"HGET", "nokey", "a"}), "_\r\n");
}

TEST(HashCommands, HashtableEncoding) {
  Harness h;
  h.Run({"HSET", "h", "f", std::string(64, 'v')});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("listpack"));
  h.Run({"HSET", "h", "g", std::string(65, 'v')});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
  h.Run({"HDEL", "h", "g"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
  EXPECT_EQ(h.Run({"CONFIG", "SET", "hash-max-listpack-entries", "2"}), kOk);
  h.Run({"HSET", "n", "a", "1", "b", "2"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "n"}), Bulk("listpack"));
  h.Run({"HSET", "n", "c", "3"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "n"}), Bulk("hashtable"));
  EXPECT_EQ(Sorted(h.Run({"HKEYS", "n"})), (Strs{"a", "b", "c"}));
  EXPECT_EQ(Sorted(h.Run({"HVALS", "n"})), (Strs{"1", "2", "3"}));
  EXPECT_EQ(Sorted(h.Run({"HGETALL", "n"})), (Strs{"1", "2", "3", "a", "b", "c"}));
  EXPECT_EQ(h.Run({"HGET", "n", "c"}), Bulk("3"));
}

TEST(HashCommands, IncrBy) {
  Harness h;
  h.Run({"HSET", "h", "s", "abc", "i", "10", "big", "9223372036854775807", "sp", " 1"});
  EXPECT_EQ(h.Run({"HINCRBY", "h", "i", "5"}), Int(15));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "i", "-20"}), Int(-5));
  EXPECT_EQ(h.Run({"HGET", "h", "i"}), Bulk("-5"));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "new", "-3"}), Int(-3));
  EXPECT_EQ(h.Run({"HINCRBY", "fresh", "f", "1"}), Int(1));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "s", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "sp", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "i", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"HINCRBY", "h", "i", "1.5"}), kNotInt);
  EXPECT_EQ(h.Run({"HINCRBY", "h", "big", "1"}), Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(h.Run({"HINCRBY", "h", "new", "-9223372036854775806"}),
            Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(h.Run({"HGET", "h", "big"}), Bulk("9223372036854775807"));
}

TEST(HashCommands, IncrByFloat) {
  Harness h;
  h.Run({"HSET", "h", "f", "10.50", "s", "abc", "i", "5", "inf", "inf"});
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "f", "-5"}), Bulk("5.6"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "i", "1.0"}), Bulk("6"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "i", "3e3"}), Bulk("3006"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "n", "1.23456789012345678"}), Bulk("1.23456789012345678"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "s", "1"}), Err("ERR hash value is not a float"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "f", "x"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "f", "nan"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "f", "-inf"}), Err("ERR value is NaN or Infinity"));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "inf", "1"}),
            Err("ERR increment would produce NaN or Infinity"));
  EXPECT_EQ(h.Run({"HSET", "h", "huge", "1e4932"}), Int(1));
  EXPECT_EQ(h.Run({"HINCRBYFLOAT", "h", "huge", "1e4932"}),
            Err("ERR increment would produce NaN or Infinity"));
  EXPECT_EQ(h.Run({"HGET", "h", "f"}), Bulk("5.6"));
  // A long result leaves the listpack.
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("listpack"));
  std::string r = h.Run({"HINCRBYFLOAT", "h", "f", "1e308"});
  EXPECT_EQ(r.substr(0, 6), "$308\r\n");  // as Redis: the digits of a long double
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
}

TEST(HashCommands, RandField) {
  Harness h;
  h.Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(h.Run({"HRANDFIELD", "nokey"}), kNil);
  EXPECT_EQ(h.Run({"HRANDFIELD", "nokey", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HRANDFIELD", "nokey", "2", "WITHVALUES"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "0", "withvalues"}), "*0\r\n");
  std::string one = ParseReply(h.Run({"HRANDFIELD", "h"})).str;
  EXPECT_TRUE(one == "a" || one == "b" || one == "c") << one;
  EXPECT_EQ(Sorted(h.Run({"HRANDFIELD", "h", "5"})), (Strs{"a", "b", "c"}));
  EXPECT_EQ(Sorted(h.Run({"HRANDFIELD", "h", "5", "WITHVALUES"})),
            (Strs{"1", "2", "3", "a", "b", "c"}));
  Strs two = Sorted(h.Run({"HRANDFIELD", "h", "2"}));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0], two[1]);
  Strs many = Strings(h.Run({"HRANDFIELD", "h", "-6", "WITHVALUES"}));
  ASSERT_EQ(many.size(), 12u);
  for (size_t i = 0; i < many.size(); i += 2) {
    EXPECT_EQ(many[i + 1][0] - '1', many[i][0] - 'a') << many[i];  // pairs stay together
  }
  // Errors, in Redis's order: count, then the option, then its range.
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"HRANDFIELD", "nokey", "1", "foo"}), kSyntax);
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "1", "withvalues", "x"}), kSyntax);
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "-9223372036854775807", "foo"}), kSyntax);
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(Sorted(h.Run({"HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"})).size(), 6u);
}

TEST(HashCommands, RandFieldResp3Pairs) {
  Harness h;
  h.Run({"HSET", "h", "a", "1"});
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "1", "WITHVALUES"}), "*1\r\n*2\r\n" + Bulk("a") + Bulk("1"));
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "-2", "WITHVALUES"}),
            "*2\r\n*2\r\n" + Bulk("a") + Bulk("1") + "*2\r\n" + Bulk("a") + Bulk("1"));
  EXPECT_EQ(h.Run({"HRANDFIELD", "h", "-2"}), Arr({Bulk("a"), Bulk("a")}));
  EXPECT_EQ(h.Run({"HRANDFIELD", "nokey"}), "_\r\n");
  EXPECT_EQ(h.Run({"HRANDFIELD", "h"}), Bulk("a"));
}

TEST(HashCommands, RandFieldHashtable) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "hash-max-listpack-entries", "128"}), kOk);
  std::vector<std::string> args = {"HSET", "h"};
  for (int i = 0; i < 200; ++i) {
    args.push_back("f" + std::to_string(i));
    args.push_back("v" + std::to_string(i));
  }
  h.Run(std::vector<std::string_view>(args.begin(), args.end()));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "h"}), Bulk("hashtable"));
  for (const char* count : {"5", "150", "-50"}) {
    Strs r = Strings(h.Run({"HRANDFIELD", "h", count, "WITHVALUES"}));
    const size_t want = count[0] == '-' ? 50 : std::stoul(count);
    ASSERT_EQ(r.size(), 2 * want) << count;
    std::set<std::string> distinct;
    for (size_t i = 0; i < r.size(); i += 2) {
      EXPECT_EQ("v" + r[i].substr(1), r[i + 1]);
      distinct.insert(r[i]);
    }
    if (count[0] != '-') {
      EXPECT_EQ(distinct.size(), want) << count;
    }
  }
}

TEST(HashCommands, Scan) {
  Harness h;
  h.Run({"HSET", "h", "a", "1", "b", "2", "ab", "3"});
  EXPECT_EQ(
      h.Run({"HSCAN", "h", "0"}),
      Arr({Bulk("0"), Arr({Bulk("a"), Bulk("1"), Bulk("b"), Bulk("2"), Bulk("ab"), Bulk("3")})}));
  EXPECT_EQ(h.Run({"HSCAN", "h", "0", "MATCH", "a*"}),
            Arr({Bulk("0"), Arr({Bulk("a"), Bulk("1"), Bulk("ab"), Bulk("3")})}));
  EXPECT_EQ(h.Run({"HSCAN", "nokey", "0", "MATCH"}), Arr({Bulk("0"), "*0\r\n"}));
  EXPECT_EQ(h.Run({"HSCAN", "h", "0", "MATCH"}), kSyntax);
  EXPECT_EQ(h.Run({"HSCAN", "h", "0", "TYPE", "hash"}), kSyntax);
  EXPECT_EQ(h.Run({"HSCAN", "h", "0", "COUNT", "0"}), kSyntax);

  EXPECT_EQ(h.Run({"CONFIG", "SET", "hash-max-listpack-entries", "128"}), kOk);
  std::vector<std::string> args = {"HSET", "big"};
  for (int i = 0; i < 300; ++i) {
    args.push_back("f" + std::to_string(i));
    args.push_back("v" + std::to_string(i));
  }
  h.Run(std::vector<std::string_view>(args.begin(), args.end()));
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    Reply r = ParseReply(h.Run({"HSCAN", "big", cursor, "COUNT", "20", "MATCH", "f1*"}));
    cursor = r.elems[0].str;
    ASSERT_EQ(r.elems[1].elems.size() % 2, 0u);
    for (size_t i = 0; i < r.elems[1].elems.size(); i += 2) {
      EXPECT_EQ("v" + r.elems[1].elems[i].str.substr(1), r.elems[1].elems[i + 1].str);
      seen.insert(r.elems[1].elems[i].str);
    }
    ++calls;
  } while (cursor != "0" && calls < 1000);
  EXPECT_EQ(seen.size(), 111u);  // f1, f10-f19, f100-f199
  EXPECT_GT(calls, 1);
}

TEST(HashCommands, SessionWithTtl) {
  Harness h;
  EXPECT_EQ(h.Run({"HSET", "session:1", "user", "42", "hits", "0"}), Int(2));
  EXPECT_EQ(h.Run({"EXPIRE", "session:1", "60"}), Int(1));
  EXPECT_EQ(h.Run({"HINCRBY", "session:1", "hits", "1"}), Int(1));
  EXPECT_EQ(h.Run({"TTL", "session:1"}), Int(60));  // writes keep the TTL
  h.AdvanceTime(60 * 1000);
  EXPECT_EQ(h.Run({"HGETALL", "session:1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"HINCRBY", "session:1", "hits", "1"}), Int(1));
  EXPECT_EQ(h.Run({"TTL", "session:1"}), Int(-1));
}

TEST(HashCommands, KeyspaceHitsAndMisses) {
  Harness h;
  h.Run({"HSET", "h", "a", "1"});
  const auto hits = h.server().stats().keyspace_hits;
  const auto misses = h.server().stats().keyspace_misses;
  h.Run({"HGET", "h", "zz"});  // the key was found: a hit
  h.Run({"HGETALL", "nokey"});
  h.Run({"HINCRBY", "h", "a", "1"});  // writes are not counted
  EXPECT_EQ(h.server().stats().keyspace_hits - hits, 1u);
  EXPECT_EQ(h.server().stats().keyspace_misses - misses, 1u);
}

}  // namespace
}  // namespace duet::testing
