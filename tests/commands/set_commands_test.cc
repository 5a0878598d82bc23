// Set commands through the real dispatcher. Expected replies (texts, RESP2
// and RESP3 shapes, which reply is a set and which an array) were checked
// against redis-server 7.0.15. Members of hashtable sets come in no fixed
// order, so those replies are compared sorted.
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
const std::string kEmptyArray = "*0\r\n";

std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& s : items) out += s;
  return out;
}

TEST(SetCommands, AddRemoveAndCard) {
  Harness h;
  EXPECT_EQ(h.Run({"SADD", "s", "a", "b", "a"}), Int(2));
  EXPECT_EQ(h.Run({"SADD", "s", "b", "c"}), Int(1));
  EXPECT_EQ(h.Run({"SCARD", "s"}), Int(3));
  EXPECT_EQ(h.Run({"SCARD", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"SREM", "s", "a", "zz"}), Int(1));
  EXPECT_EQ(h.Run({"SREM", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"SREM", "s", "b", "c", "d"}), Int(2));
  EXPECT_EQ(h.Run({"EXISTS", "s"}), Int(0));  // the emptied set is gone
  EXPECT_EQ(h.Run({"SADD", "s"}), Err("ERR wrong number of arguments for 'sadd' command"));
  EXPECT_EQ(h.Run({"SREM", "s"}), Err("ERR wrong number of arguments for 'srem' command"));
  EXPECT_EQ(h.Run({"TYPE", "s"}), "+none\r\n");
  h.Run({"SADD", "s", "x"});
  EXPECT_EQ(h.Run({"TYPE", "s"}), "+set\r\n");
}

TEST(SetCommands, WrongTypeEverywhere) {
  Harness h;
  h.Run({"SET", "str", "x"});
  h.Run({"SADD", "s", "a"});
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"SADD", "str", "a"},
           {"SREM", "str", "a"},
           {"SMEMBERS", "str"},
           {"SISMEMBER", "str", "a"},
           {"SMISMEMBER", "str", "a"},
           {"SCARD", "str"},
           {"SPOP", "str"},
           {"SPOP", "str", "1"},
           {"SPOP", "str", "0"},
           {"SRANDMEMBER", "str"},
           {"SRANDMEMBER", "str", "1"},
           {"SMOVE", "str", "s", "a"},
           {"SMOVE", "s", "str", "a"},
           {"SINTER", "nokey", "str"},
           {"SINTER", "str", "nokey"},
           {"SINTERCARD", "2", "nokey", "str"},
           {"SUNION", "s", "str"},
           {"SDIFF", "nokey", "str"},
           {"SINTERSTORE", "d", "nokey", "str"},
           {"SUNIONSTORE", "d", "s", "str"},
           {"SDIFFSTORE", "d", "s", "str"},
           {"SSCAN", "str", "0"},
       }) {
    EXPECT_EQ(h.Run(args), kWrongType) << args[0];
  }
  EXPECT_EQ(h.Run({"EXISTS", "d"}), Int(0));
}

TEST(SetCommands, MembersIntsetOrderAndResp3Sets) {
  Harness h;
  EXPECT_EQ(h.Run({"SADD", "s", "3", "1", "2"}), Int(3));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "s"}), Bulk("intset"));
  EXPECT_EQ(h.Run({"SMEMBERS", "s"}), Arr({Bulk("1"), Bulk("2"), Bulk("3")}));
  EXPECT_EQ(h.Run({"SMEMBERS", "nokey"}), kEmptyArray);
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"SMEMBERS", "s"}), "~3\r\n" + Bulk("1") + Bulk("2") + Bulk("3"));
  EXPECT_EQ(h.Run({"SMEMBERS", "nokey"}), "~0\r\n");
  EXPECT_EQ(h.Run({"SINTER", "s", "s"}), "~3\r\n" + Bulk("1") + Bulk("2") + Bulk("3"));
  EXPECT_EQ(h.Run({"SINTER", "nokey", "s"}), "~0\r\n");
  EXPECT_EQ(h.Run({"SUNION", "s", "nokey"}), "~3\r\n" + Bulk("1") + Bulk("2") + Bulk("3"));
  EXPECT_EQ(h.Run({"SDIFF", "s", "nokey"}), "~3\r\n" + Bulk("1") + Bulk("2") + Bulk("3"));
  EXPECT_EQ(h.Run({"SDIFF", "nokey", "s"}), "~0\r\n");
  EXPECT_EQ(h.Run({"SPOP", "s", "0"}), "~0\r\n");
  EXPECT_EQ(h.Run({"SPOP", "nokey", "3"}), "~0\r\n");
  EXPECT_EQ(h.Run({"SPOP", "nokey"}), "_\r\n");
  EXPECT_EQ(ParseReply(h.Run({"SPOP", "s", "2"})).type, '~');
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey", "2"}), kEmptyArray);
  EXPECT_EQ(ParseReply(h.Run({"SRANDMEMBER", "s", "2"})).type, '*');
  EXPECT_EQ(ParseReply(h.Run({"SRANDMEMBER", "s", "-2"})).type, '*');
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey"}), "_\r\n");
  EXPECT_EQ(h.Run({"SMISMEMBER", "nokey", "a", "b"}), Arr({Int(0), Int(0)}));
}

TEST(SetCommands, Encodings) {
  Harness h;
  h.Run({"SADD", "i", "5", "3", "1"});
  EXPECT_EQ(h.Run({"SISMEMBER", "i", "01"}), Int(0));  // not canonical: never in an intset
  EXPECT_EQ(h.Run({"SISMEMBER", "i", "1"}), Int(1));
  EXPECT_EQ(h.Run({"SADD", "i", "01"}), Int(1));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "i"}), Bulk("hashtable"));
  EXPECT_EQ(Sorted(h.Run({"SMEMBERS", "i"})), (Strs{"01", "1", "3", "5"}));
  EXPECT_EQ(h.Run({"SADD", "w", "a"}), Int(1));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "w"}), Bulk("hashtable"));

  EXPECT_EQ(h.Run({"CONFIG", "SET", "set-max-intset-entries", "3"}), kOk);
  h.Run({"SADD", "n", "1", "2", "3"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "n"}), Bulk("intset"));
  h.Run({"SADD", "n", "4"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "n"}), Bulk("hashtable"));
  h.Run({"SREM", "n", "4", "3"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "n"}), Bulk("hashtable"));  // never converts back
}

TEST(SetCommands, IsMemberAndMIsMember) {
  Harness h;
  h.Run({"SADD", "s", "a", "b"});
  EXPECT_EQ(h.Run({"SISMEMBER", "s", "a"}), Int(1));
  EXPECT_EQ(h.Run({"SISMEMBER", "s", "z"}), Int(0));
  EXPECT_EQ(h.Run({"SISMEMBER", "nokey", "a"}), Int(0));
  EXPECT_EQ(h.Run({"SMISMEMBER", "s", "a", "z", "b"}), Arr({Int(1), Int(0), Int(1)}));
  EXPECT_EQ(h.Run({"SMISMEMBER", "s"}),
            Err("ERR wrong number of arguments for 'smismember' command"));
}

TEST(SetCommands, PopWithoutCount) {
  Harness h;
  h.Run({"SADD", "s", "a", "b"});
  std::string first = ParseReply(h.Run({"SPOP", "s"})).str;
  std::string second = ParseReply(h.Run({"SPOP", "s"})).str;
  EXPECT_EQ((Strs{std::min(first, second), std::max(first, second)}), (Strs{"a", "b"}));
  EXPECT_EQ(h.Run({"EXISTS", "s"}), Int(0));
  EXPECT_EQ(h.Run({"SPOP", "s"}), kNil);
  h.Run({"SADD", "i", "7"});
  EXPECT_EQ(h.Run({"SPOP", "i"}), Bulk("7"));
  EXPECT_EQ(h.Run({"EXISTS", "i"}), Int(0));
}

TEST(SetCommands, PopWithCount) {
  Harness h;
  h.Run({"SADD", "s", "a", "b", "c", "d", "e"});
  EXPECT_EQ(h.Run({"SPOP", "s", "0"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SPOP", "s", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"SPOP", "s", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"SPOP", "nokey", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"SPOP", "s", "99999999999999999999"}),
            Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Run({"SPOP", "s", "1", "2"}), kSyntax);
  EXPECT_EQ(h.Run({"SPOP", "nokey", "2"}), kEmptyArray);
  Strs popped = Sorted(h.Run({"SPOP", "s", "2"}));
  ASSERT_EQ(popped.size(), 2u);
  EXPECT_EQ(h.Run({"SCARD", "s"}), Int(3));
  Strs rest = Sorted(h.Run({"SPOP", "s", "9223372036854775807"}));
  ASSERT_EQ(rest.size(), 3u);
  rest.insert(rest.end(), popped.begin(), popped.end());
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, (Strs{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(h.Run({"EXISTS", "s"}), Int(0));
}

TEST(SetCommands, PopManyKeepsTheRestIntact) {
  Harness h;
  std::vector<std::string> args = {"SADD", "s"};
  for (int i = 0; i < 100; ++i) args.push_back("m" + std::to_string(i));
  h.Run(std::vector<std::string_view>(args.begin(), args.end()));
  Strs popped = Sorted(h.Run({"SPOP", "s", "90"}));  // most go: the rest is rebuilt
  EXPECT_EQ(popped.size(), 90u);
  Strs rest = Sorted(h.Run({"SMEMBERS", "s"}));
  EXPECT_EQ(rest.size(), 10u);
  for (const auto& m : rest) {
    EXPECT_FALSE(std::binary_search(popped.begin(), popped.end(), m)) << m;
  }
}

TEST(SetCommands, RandMember) {
  Harness h;
  h.Run({"SADD", "s", "a", "b", "c"});
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey"}), kNil);
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey", "3"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey", "-3"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SRANDMEMBER", "s", "0"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SRANDMEMBER", "s", "1", "2"}), kSyntax);
  EXPECT_EQ(h.Run({"SRANDMEMBER", "s", "x"}), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SRANDMEMBER", "nokey", "x"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SRANDMEMBER", "s", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  std::string one = ParseReply(h.Run({"SRANDMEMBER", "s"})).str;
  EXPECT_TRUE(one == "a" || one == "b" || one == "c") << one;
  EXPECT_EQ(Sorted(h.Run({"SRANDMEMBER", "s", "10"})), (Strs{"a", "b", "c"}));
  Strs two = Sorted(h.Run({"SRANDMEMBER", "s", "2"}));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0], two[1]);  // distinct
  Strs many = Strings(h.Run({"SRANDMEMBER", "s", "-20"}));
  EXPECT_EQ(many.size(), 20u);  // repeats allowed
  for (const auto& m : many) EXPECT_TRUE(m == "a" || m == "b" || m == "c") << m;
  EXPECT_EQ(h.Run({"SCARD", "s"}), Int(3));  // nothing removed
}

TEST(SetCommands, Move) {
  Harness h;
  h.Run({"SADD", "src", "10", "9", "1"});
  h.Run({"SET", "str", "x"});
  EXPECT_EQ(h.Run({"SMOVE", "nokey", "src", "x"}), Int(0));
  EXPECT_EQ(h.Run({"SMOVE", "nokey", "str", "x"}), Int(0));  // src checked first
  EXPECT_EQ(h.Run({"SMOVE", "src", "src", "1"}), Int(1));
  EXPECT_EQ(h.Run({"SMOVE", "src", "src", "zz"}), Int(0));
  EXPECT_EQ(h.Run({"SMOVE", "src", "fresh", "10"}), Int(1));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "fresh"}), Bulk("intset"));
  EXPECT_EQ(h.Run({"SMOVE", "src", "fresh", "zz"}), Int(0));
  h.Run({"SADD", "big", "a"});
  EXPECT_EQ(h.Run({"SMOVE", "src", "big", "9"}), Int(1));
  EXPECT_EQ(Sorted(h.Run({"SMEMBERS", "big"})), (Strs{"9", "a"}));
  EXPECT_EQ(h.Run({"SMOVE", "src", "big", "1"}), Int(1));
  EXPECT_EQ(h.Run({"EXISTS", "src"}), Int(0));  // emptied source deleted
  h.Run({"SADD", "src", "a"});
  EXPECT_EQ(h.Run({"SMOVE", "src", "big", "a"}), Int(1));  // already in dst
  EXPECT_EQ(h.Run({"SCARD", "big"}), Int(3));
  EXPECT_EQ(h.Run({"EXISTS", "src"}), Int(0));
}

TEST(SetCommands, InterUnionDiff) {
  Harness h;
  h.Run({"SADD", "a", "1", "2", "3", "x"});
  h.Run({"SADD", "b", "2", "3", "4", "x"});
  h.Run({"SADD", "c", "3", "x", "y"});
  EXPECT_EQ(Sorted(h.Run({"SINTER", "a", "b", "c"})), (Strs{"3", "x"}));
  EXPECT_EQ(Sorted(h.Run({"SINTER", "a"})), (Strs{"1", "2", "3", "x"}));
  EXPECT_EQ(h.Run({"SINTER", "a", "nokey"}), kEmptyArray);
  EXPECT_EQ(Sorted(h.Run({"SUNION", "a", "b", "nokey"})), (Strs{"1", "2", "3", "4", "x"}));
  EXPECT_EQ(h.Run({"SUNION", "nokey"}), kEmptyArray);
  EXPECT_EQ(Sorted(h.Run({"SDIFF", "a", "b"})), (Strs{"1"}));
  EXPECT_EQ(Sorted(h.Run({"SDIFF", "a", "nokey", "c"})), (Strs{"1", "2"}));
  EXPECT_EQ(h.Run({"SDIFF", "a", "a"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SDIFF", "nokey", "a"}), kEmptyArray);
  EXPECT_EQ(h.Run({"SINTER"}), Err("ERR wrong number of arguments for 'sinter' command"));
  // Intsets come back in ascending order.
  h.Run({"SADD", "i", "5", "1", "3"});
  h.Run({"SADD", "j", "3", "4", "5"});
  EXPECT_EQ(h.Run({"SUNION", "i", "j"}), Arr({Bulk("1"), Bulk("3"), Bulk("4"), Bulk("5")}));
  EXPECT_EQ(h.Run({"SINTER", "i", "j"}), Arr({Bulk("3"), Bulk("5")}));
  EXPECT_EQ(h.Run({"SDIFF", "i", "j"}), Arr({Bulk("1")}));
}

TEST(SetCommands, DiffBothStrategies) {
  Harness h;
  // A small first set against a big one probes; a big first set against
  // small ones copies and removes. Both give the same members.
  std::vector<std::string> big = {"SADD", "big"};
  for (int i = 0; i < 200; ++i) big.push_back("m" + std::to_string(i));
  h.Run(std::vector<std::string_view>(big.begin(), big.end()));
  h.Run({"SADD", "small", "m1", "m2", "zz"});
  EXPECT_EQ(Sorted(h.Run({"SDIFF", "small", "big"})), (Strs{"zz"}));
  EXPECT_EQ(h.Run({"SDIFF", "small", "big", "small"}), kEmptyArray);
  Strs rest = Sorted(h.Run({"SDIFF", "big", "small"}));
  EXPECT_EQ(rest.size(), 198u);
  EXPECT_FALSE(std::binary_search(rest.begin(), rest.end(), "m1"));
  EXPECT_EQ(h.Run({"SDIFF", "big", "big"}), kEmptyArray);
}

TEST(SetCommands, StoreVariants) {
  Harness h;
  h.Run({"SADD", "a", "1", "2", "3"});
  h.Run({"SADD", "b", "2", "3", "4"});
  h.Run({"SADD", "w", "2", "x"});
  EXPECT_EQ(h.Run({"SINTERSTORE", "d", "a", "b"}), Int(2));
  EXPECT_EQ(h.Run({"SMEMBERS", "d"}), Arr({Bulk("2"), Bulk("3")}));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "d"}), Bulk("intset"));
  // The intersection of a hashtable set with an intset is built member by
  // member, so it is an intset again.
  EXPECT_EQ(h.Run({"SINTERSTORE", "d", "w", "a"}), Int(1));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "d"}), Bulk("intset"));
  EXPECT_EQ(h.Run({"SUNIONSTORE", "u", "a", "w"}), Int(4));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "u"}), Bulk("hashtable"));
  EXPECT_EQ(h.Run({"SDIFFSTORE", "df", "a", "b"}), Int(1));
  EXPECT_EQ(h.Run({"SMEMBERS", "df"}), Arr({Bulk("1")}));

  // The destination is replaced whatever it held, and loses its TTL.
  h.Run({"SET", "str", "v"});
  h.Run({"EXPIRE", "str", "100"});
  EXPECT_EQ(h.Run({"SUNIONSTORE", "str", "a"}), Int(3));
  EXPECT_EQ(h.Run({"TYPE", "str"}), "+set\r\n");
  EXPECT_EQ(h.Run({"TTL", "str"}), Int(-1));
  // A destination that is also a source.
  EXPECT_EQ(h.Run({"SDIFFSTORE", "a", "a", "b"}), Int(1));
  EXPECT_EQ(h.Run({"SMEMBERS", "a"}), Arr({Bulk("1")}));

  // An empty result deletes the destination.
  EXPECT_EQ(h.Run({"SINTERSTORE", "d", "a", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "d"}), Int(0));
  EXPECT_EQ(h.Run({"SDIFFSTORE", "u", "a", "a"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "u"}), Int(0));
  EXPECT_EQ(h.Run({"SUNIONSTORE", "str", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "str"}), Int(0));
  EXPECT_EQ(h.Run({"SINTERSTORE", "d", "a", "b"}), Int(0));
  EXPECT_EQ(h.Run({"SINTERSTORE", "d"}),
            Err("ERR wrong number of arguments for 'sinterstore' command"));
}

TEST(SetCommands, StoreResultOverTheIntsetLimitIsAHashtable) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "set-max-intset-entries", "2"}), kOk);
  h.Run({"SADD", "a", "1"});
  h.Run({"SADD", "b", "2"});
  h.Run({"SADD", "c", "3"});
  EXPECT_EQ(h.Run({"SUNIONSTORE", "u", "a", "b"}), Int(2));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "u"}), Bulk("intset"));
  EXPECT_EQ(h.Run({"SUNIONSTORE", "u", "a", "b", "c"}), Int(3));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "u"}), Bulk("hashtable"));
}

TEST(SetCommands, InterCard) {
  Harness h;
  h.Run({"SADD", "a", "1", "2", "3", "4"});
  h.Run({"SADD", "b", "2", "3", "4", "5"});
  EXPECT_EQ(h.Run({"SINTERCARD", "2", "a", "b"}), Int(3));
  EXPECT_EQ(h.Run({"SINTERCARD", "2", "a", "b", "LIMIT", "2"}), Int(2));
  EXPECT_EQ(h.Run({"SINTERCARD", "2", "a", "b", "limit", "0"}), Int(3));
  EXPECT_EQ(h.Run({"SINTERCARD", "2", "a", "b", "LIMIT", "10"}), Int(3));
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "LIMIT", "1", "LIMIT", "3"}), Int(3));
  EXPECT_EQ(h.Run({"SINTERCARD", "2", "a", "nokey"}), Int(0));
  EXPECT_EQ(h.Run({"SINTERCARD", "0", "a"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(h.Run({"SINTERCARD", "-1", "a"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(h.Run({"SINTERCARD", "x", "a"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(h.Run({"SINTERCARD", "3", "a", "b"}),
            Err("ERR Number of keys can't be greater than number of args"));
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "LIMIT", "-1"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "LIMIT", "x"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "LIMIT"}), kSyntax);
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "b"}), kSyntax);
  EXPECT_EQ(h.Run({"SINTERCARD", "1", "a", "FOO", "1"}), kSyntax);
}

TEST(SetCommands, Scan) {
  Harness h;
  h.Run({"SADD", "i", "1", "2", "3"});
  h.Run({"SET", "str", "x"});
  EXPECT_EQ(h.Run({"SSCAN", "i", "0"}), Arr({Bulk("0"), Arr({Bulk("1"), Bulk("2"), Bulk("3")})}));
  EXPECT_EQ(h.Run({"SSCAN", "i", "0", "MATCH", "2*"}), Arr({Bulk("0"), Arr({Bulk("2")})}));
  EXPECT_EQ(h.Run({"SSCAN", "nokey", "0"}), Arr({Bulk("0"), kEmptyArray}));
  // The cursor is checked before the key, the options after it.
  EXPECT_EQ(h.Run({"SSCAN", "nokey", "0", "BADOPT"}), Arr({Bulk("0"), kEmptyArray}));
  EXPECT_EQ(h.Run({"SSCAN", "nokey", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Run({"SSCAN", "str", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Run({"SSCAN", "i", "0", "TYPE", "string"}), kSyntax);
  EXPECT_EQ(h.Run({"SSCAN", "i", "0", "COUNT", "0"}), kSyntax);
  EXPECT_EQ(h.Run({"SSCAN", "i", "0", "COUNT", "x"}),
            Err("ERR value is not an integer or out of range"));

  // A hashtable set: a full walk returns every member.
  std::vector<std::string> args = {"SADD", "big"};
  for (int i = 0; i < 300; ++i) args.push_back("m" + std::to_string(i));
  h.Run(std::vector<std::string_view>(args.begin(), args.end()));
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    Reply r = ParseReply(h.Run({"SSCAN", "big", cursor, "COUNT", "20"}));
    ASSERT_EQ(r.elems.size(), 2u);
    cursor = r.elems[0].str;
    for (const Reply& m : r.elems[1].elems) seen.insert(m.str);
    ++calls;
  } while (cursor != "0" && calls < 1000);
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_GT(calls, 1);
  // MATCH filters.
  seen.clear();
  cursor = "0";
  do {
    Reply r = ParseReply(h.Run({"SSCAN", "big", cursor, "MATCH", "m1?"}));
    cursor = r.elems[0].str;
    for (const Reply& m : r.elems[1].elems) seen.insert(m.str);
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 10u);
}

TEST(SetCommands, KeyspaceHitsAndMisses) {
  Harness h;
  h.Run({"SADD", "s", "a"});
  const auto hits = h.server().stats().keyspace_hits;
  const auto misses = h.server().stats().keyspace_misses;
  h.Run({"SISMEMBER", "s", "a"});
  h.Run({"SCARD", "nokey"});
  h.Run({"SUNION", "s", "nokey", "s"});
  EXPECT_EQ(h.server().stats().keyspace_hits - hits, 3u);
  EXPECT_EQ(h.server().stats().keyspace_misses - misses, 2u);
  h.Run({"SADD", "s", "b"});  // writes are not counted
  EXPECT_EQ(h.server().stats().keyspace_hits - hits, 3u);
}

TEST(SetCommands, ExpiredSetIsGone) {
  Harness h;
  h.Run({"SADD", "s", "a"});
  h.Run({"PEXPIRE", "s", "100"});
  h.AdvanceTime(100);
  EXPECT_EQ(h.Run({"SCARD", "s"}), Int(0));
  EXPECT_EQ(h.Run({"SADD", "s", "b"}), Int(1));
  EXPECT_EQ(h.Run({"TTL", "s"}), Int(-1));
}

}  // namespace
}  // namespace duet::testing
