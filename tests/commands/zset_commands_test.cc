// Sorted-set commands through the real dispatcher. Expected replies were
// checked against redis-server 7.0.15 (RESP2 and, where shapes differ, RESP3).
#include <set>
#include <string>
#include <vector>

#include "storage/set_value.h"
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

// An array reply of already-encoded items.
std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const std::string& s : items) out += s;
  return out;
}
// An array of bulk strings.
std::string Bulks(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (std::string_view s : items) out += Bulk(s);
  return out;
}
// A RESP3 double.
std::string Dbl(std::string_view text) { return "," + std::string(text) + "\r\n"; }
const char* kEmpty = "*0\r\n";
const char* kNull3 = "_\r\n";
const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

// A plain set at key (set commands live elsewhere; the tests only need inputs).
void MakeSet(Harness& h, std::string_view key, std::initializer_list<std::string_view> members) {
  auto* s = new SetValue();
  for (std::string_view m : members) s->Add(m, CollectionLimits{});
  h.server().keyspace().db(0).Insert(Entry::NewObject(key, ValueType::kSet, s));
}

uint64_t Dirty(Harness& h) { return h.server().stats().dirty; }

TEST(ZSetCommands, ZAddBasicsAndCounts) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b"), Int(2));
  EXPECT_EQ(h.Cmd("ZADD z 1 a 3 c"), Int(1));
  EXPECT_EQ(h.Cmd("ZADD z ch 5 a 6 d"), Int(2));
  EXPECT_EQ(h.Cmd("ZADD z ch ch 5 a"), Int(0));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 WITHSCORES"), Bulks({"b", "2", "c", "3", "a", "5", "d", "6"}));
  EXPECT_EQ(h.Cmd("ZADD z xx 1 nokey"), Int(0));
  EXPECT_EQ(h.Cmd("ZADD z nx 9 a 7 e"), Int(1));
  EXPECT_EQ(h.Cmd("ZSCORE z a"), Bulk("5"));
  // GT/LT only restrict updates; new members are still added.
  EXPECT_EQ(h.Cmd("ZADD z gt ch 1 a 10 b 4 new"), Int(2));
  EXPECT_EQ(h.Cmd("ZADD z lt ch 1 a 20 b"), Int(1));
  EXPECT_EQ(h.Cmd("ZADD z xx gt 5 other"), Int(0));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 WITHSCORES"),
            Bulks({"a", "1", "c", "3", "new", "4", "d", "6", "e", "7", "b", "10"}));
}

TEST(ZSetCommands, ZAddOptionErrors) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b"), Int(2));
  EXPECT_EQ(h.Cmd("ZADD z nx xx 1 a"),
            Err("ERR XX and NX options at the same time are not compatible"));
  const std::string gtltnx =
      Err("ERR GT, LT, and/or NX options at the same time are not compatible");
  EXPECT_EQ(h.Cmd("ZADD z gt lt 1 a"), gtltnx);
  EXPECT_EQ(h.Cmd("ZADD z nx gt 1 a"), gtltnx);
  EXPECT_EQ(h.Cmd("ZADD z lt nx 1 a"), gtltnx);
  EXPECT_EQ(h.Cmd("ZADD z incr 1 a 2 b"),
            Err("ERR INCR option supports a single increment-element pair"));
  // NX+XX is reported before the INCR pair count.
  EXPECT_EQ(h.Cmd("ZADD z nx xx incr 1 a 2 b"),
            Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(h.Cmd("ZADD z 1"), Err("ERR wrong number of arguments for 'zadd' command"));
  EXPECT_EQ(h.Cmd("ZADD z nx 1"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZADD z 1 a x"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZADD z nx xx 1"), Err("ERR syntax error"));  // pairs checked first
  // Every score is checked before anything is added.
  EXPECT_EQ(h.Cmd("ZADD z 5 c abc d"), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Cmd("ZSCORE z c"), kNil);
  for (const char* bad : {"nan", "1e400", "1e-400", "abc", "1x"}) {
    EXPECT_EQ(h.Run({"ZADD", "z", bad, "a"}), Err("ERR value is not a valid float")) << bad;
  }
  EXPECT_EQ(h.Run({"ZADD", "z", " 1", "a"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"ZADD", "z", "1 ", "a"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"ZADD", "z", "", "a"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Cmd("ZADD z 0x10 h infinity i 1e-310 den"), Int(3));
  EXPECT_EQ(h.Cmd("ZSCORE z h"), Bulk("16"));
  EXPECT_EQ(h.Cmd("ZSCORE z i"), Bulk("inf"));
  EXPECT_EQ(h.Cmd("ZSCORE z den"), Bulk("9.9999999999999694e-311"));
}

TEST(ZSetCommands, ZAddIncrAndNaN) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a"), Int(1));
  EXPECT_EQ(h.Cmd("ZADD z incr 1 a"), Bulk("2"));
  EXPECT_EQ(h.Cmd("ZADD z incr nx 1 a"), kNil);
  EXPECT_EQ(h.Cmd("ZADD z incr gt -5 a"), kNil);
  EXPECT_EQ(h.Cmd("ZADD z incr lt 0 a"), kNil);
  EXPECT_EQ(h.Cmd("ZADD z ch incr 0 a"), Bulk("2"));
  EXPECT_EQ(h.Cmd("ZADD nokey xx incr 1 a"), kNil);
  EXPECT_EQ(h.Cmd("EXISTS nokey"), Int(0));
  EXPECT_EQ(h.Cmd("ZADD z incr inf a"), Bulk("inf"));
  EXPECT_EQ(h.Cmd("ZADD z incr -inf a"), Err("ERR resulting score is not a number (NaN)"));
  EXPECT_EQ(h.Cmd("ZSCORE z a"), Bulk("inf"));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZADD z incr 1 b"), Dbl("1"));
  EXPECT_EQ(h.Cmd("ZADD z incr nx 1 b"), kNull3);
}

TEST(ZSetCommands, ZIncrBy) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZINCRBY z 0.1 q"), Bulk("0.10000000000000001"));
  EXPECT_EQ(h.Cmd("ZINCRBY z 0.2 q"), Bulk("0.30000000000000004"));
  EXPECT_EQ(h.Cmd("ZINCRBY z abc q"), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Cmd("ZINCRBY z +inf i"), Bulk("inf"));
  EXPECT_EQ(h.Cmd("ZINCRBY z -inf i"), Err("ERR resulting score is not a number (NaN)"));
  // The increment goes through ZADD's option loop, as in Redis.
  EXPECT_EQ(h.Cmd("ZINCRBY z nx a"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZINCRBY z incr a"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZINCRBY z 1 nx"), Bulk("1"));
  EXPECT_EQ(h.Cmd("ZINCRBY z 1"), Err("ERR wrong number of arguments for 'zincrby' command"));
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  EXPECT_EQ(h.Cmd("ZINCRBY s 1 a"), Err(kWrongType));
}

TEST(ZSetCommands, WrongTypeEverywhere) {
  Harness h;
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  for (const char* cmd : {"ZADD s 1 a",
                          "ZADD s xx 1 a",
                          "ZINCRBY s 1 a",
                          "ZREM s a",
                          "ZCARD s",
                          "ZCOUNT s 1 2",
                          "ZLEXCOUNT s - +",
                          "ZSCORE s a",
                          "ZMSCORE s a",
                          "ZRANK s a",
                          "ZREVRANK s a",
                          "ZRANGE s 0 -1",
                          "ZRANGESTORE d s 0 -1",
                          "ZREVRANGE s 0 -1",
                          "ZRANGEBYSCORE s 0 1",
                          "ZREVRANGEBYSCORE s 1 0",
                          "ZRANGEBYLEX s - +",
                          "ZREVRANGEBYLEX s + -",
                          "ZREMRANGEBYRANK s 0 1",
                          "ZREMRANGEBYSCORE s 0 1",
                          "ZREMRANGEBYLEX s - +",
                          "ZPOPMIN s",
                          "ZPOPMAX s 2",
                          "ZPOPMIN s 0",
                          "ZMPOP 1 s min",
                          "ZRANDMEMBER s",
                          "ZRANDMEMBER s 0",
                          "ZSCAN s 0",
                          "ZSCAN s 0 bogus",
                          "ZUNION 1 s",
                          "ZUNION 2 s z bogus",
                          "ZINTER 1 s",
                          "ZDIFF 1 s",
                          "ZINTERCARD 1 s",
                          "ZUNIONSTORE d 1 s",
                          "ZINTERSTORE d 1 s",
                          "ZDIFFSTORE d 1 s"}) {
    EXPECT_EQ(h.Cmd(cmd), Err(kWrongType)) << cmd;
  }
  EXPECT_EQ(h.Cmd("EXISTS d"), Int(0));
  // Argument errors come before the type check where Redis parses first.
  EXPECT_EQ(h.Cmd("ZADD s abc a"), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Cmd("ZADD s nx xx 1 a"),
            Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(h.Cmd("ZCOUNT s a b"), Err("ERR min or max is not a float"));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT s a b"), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(h.Cmd("ZRANGE s a b"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYRANK s a 0"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZSCAN s abc"), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER s abc"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZPOPMIN s -1"), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Cmd("GET s"), Bulk("v"));
}

TEST(ZSetCommands, ZRemAndEmptyKeyDisappears) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  EXPECT_EQ(h.Cmd("ZREM z a x"), Int(1));
  EXPECT_EQ(h.Cmd("ZREM nokey a"), Int(0));
  EXPECT_EQ(h.Cmd("ZREM z b c b"), Int(2));
  EXPECT_EQ(h.Cmd("EXISTS z"), Int(0));
  EXPECT_EQ(h.Cmd("ZCARD z"), Int(0));
}

TEST(ZSetCommands, CountsAndScores) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d"), Int(4));
  EXPECT_EQ(h.Cmd("ZCARD z"), Int(4));
  EXPECT_EQ(h.Cmd("ZCARD nokey"), Int(0));
  EXPECT_EQ(h.Cmd("ZCOUNT z 1 3"), Int(3));
  EXPECT_EQ(h.Cmd("ZCOUNT z (1 3"), Int(2));
  EXPECT_EQ(h.Cmd("ZCOUNT z -inf +inf"), Int(4));
  EXPECT_EQ(h.Cmd("ZCOUNT z 3 1"), Int(0));
  EXPECT_EQ(h.Cmd("ZCOUNT z ( ("), Int(0));
  EXPECT_EQ(h.Cmd("ZCOUNT z a 3"), Err("ERR min or max is not a float"));
  EXPECT_EQ(h.Cmd("ZCOUNT nokey a b"), Err("ERR min or max is not a float"));
  EXPECT_EQ(h.Cmd("ZCOUNT nokey 1 2"), Int(0));
  EXPECT_EQ(h.Run({"ZCOUNT", "z", "", "1"}), Int(1));  // "" reads as 0 in a bound
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z - +"), Int(4));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z [b (d"), Int(2));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z [a [a"), Int(1));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z (a [a"), Int(0));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z + -"), Int(0));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT z a b"), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(h.Cmd("ZLEXCOUNT nokey - +"), Int(0));
  EXPECT_EQ(h.Cmd("ZSCORE z b"), Bulk("2"));
  EXPECT_EQ(h.Cmd("ZSCORE z nope"), kNil);
  EXPECT_EQ(h.Cmd("ZSCORE nokey a"), kNil);
  EXPECT_EQ(h.Cmd("ZMSCORE z a nope d"), Arr({Bulk("1"), kNil, Bulk("4")}));
  EXPECT_EQ(h.Cmd("ZMSCORE nokey a b"), Arr({kNil, kNil}));
  EXPECT_EQ(h.Cmd("ZRANK z a"), Int(0));
  EXPECT_EQ(h.Cmd("ZRANK z d"), Int(3));
  EXPECT_EQ(h.Cmd("ZREVRANK z a"), Int(3));
  EXPECT_EQ(h.Cmd("ZRANK z nope"), kNil);
  EXPECT_EQ(h.Cmd("ZRANK nokey a"), kNil);
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZSCORE z b"), Dbl("2"));
  EXPECT_EQ(h.Cmd("ZSCORE z nope"), kNull3);
  EXPECT_EQ(h.Cmd("ZMSCORE z a nope"), Arr({Dbl("1"), kNull3}));
  EXPECT_EQ(h.Cmd("ZRANK z nope"), kNull3);
}

TEST(ZSetCommands, ZRangeByRank) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d 5 e"), Int(5));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1"), Bulks({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(h.Cmd("ZRANGE z -2 -1"), Bulks({"d", "e"}));
  EXPECT_EQ(h.Cmd("ZRANGE z -100 100"), Bulks({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(h.Cmd("ZRANGE z 3 2"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z 5 10"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z 1 2 rev withscores"), Bulks({"d", "4", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 withscores withscores"),
            Bulks({"a", "1", "b", "2", "c", "3", "d", "4", "e", "5"}));
  EXPECT_EQ(h.Cmd("ZREVRANGE z 0 1 withscores"), Bulks({"e", "5", "d", "4"}));
  EXPECT_EQ(h.Cmd("ZREVRANGE z -2 -1"), Bulks({"b", "a"}));
  EXPECT_EQ(h.Cmd("ZRANGE nokey 0 -1"), kEmpty);
  // LIMIT 0 -1 is Redis's "no limit", accepted even with ranks.
  EXPECT_EQ(h.Cmd("ZRANGE z 0 1 limit 0 -1"), Bulks({"a", "b"}));
  const std::string limit_err =
      Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 limit 0 1"), limit_err);
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 limit 0 -2"), limit_err);
  EXPECT_EQ(h.Cmd("ZREVRANGE z 0 1 limit 0 1"), limit_err);
  EXPECT_EQ(h.Cmd("ZRANGE z a b"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANGE nokey a b"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANGE nokey 0 1 bogus"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 limit"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 limit 1"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 rev rev"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZREVRANGE z 0 1 rev"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZREVRANGE z 0 1 byscore"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZRANGE z 0 1 withscores"),
            Arr({Arr({Bulk("a"), Dbl("1")}), Arr({Bulk("b"), Dbl("2")})}));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 1"), Bulks({"a", "b"}));
}

TEST(ZSetCommands, ZRangeByScore) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d 5 e"), Int(5));
  EXPECT_EQ(h.Cmd("ZRANGE z 5 1 byscore rev withscores"),
            Bulks({"e", "5", "d", "4", "c", "3", "b", "2", "a", "1"}));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore rev withscores"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z (1 (5 byscore"), Bulks({"b", "c", "d"}));
  EXPECT_EQ(h.Cmd("ZRANGE z (1 (5 byscore limit 1 -5"), Bulks({"c", "d"}));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit -1 2"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit 10 2"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit 0 0"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit 4 10"), Bulks({"e"}));
  EXPECT_EQ(h.Cmd("ZRANGE z -inf +inf byscore limit 1 2 withscores"), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZRANGE z +inf -inf byscore rev limit 1 2"), Bulks({"d", "c"}));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore byscore"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore bylex"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit a 1"),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANGE z 1 5 byscore limit 1 a"),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANGE z a b byscore"), Err("ERR min or max is not a float"));
  EXPECT_EQ(h.Cmd("ZRANGEBYSCORE z -inf +inf withscores limit 1 2"), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZRANGEBYSCORE z 2 (2"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGEBYSCORE z (2 +inf"), Bulks({"c", "d", "e"}));
  EXPECT_EQ(h.Cmd("ZRANGEBYSCORE z -inf +inf rev"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGEBYSCORE z -inf +inf bylex"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZREVRANGEBYSCORE z +inf -inf withscores limit 1 2"),
            Bulks({"d", "4", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZREVRANGEBYSCORE z 3 1"), Bulks({"c", "b", "a"}));
  EXPECT_EQ(h.Cmd("ZREVRANGEBYSCORE z 1 3"), kEmpty);
  EXPECT_EQ(h.Cmd("ZREVRANGEBYSCORE z (3 (1"), Bulks({"b"}));
}

TEST(ZSetCommands, ZRangeByLex) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 0 a 0 b 0 c 0 d 0 e"), Int(5));
  EXPECT_EQ(h.Cmd("ZRANGE z - + bylex limit 1 2"), Bulks({"b", "c"}));
  EXPECT_EQ(h.Cmd("ZRANGE z + - bylex rev limit 1 2"), Bulks({"d", "c"}));
  const std::string ws_err =
      Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  EXPECT_EQ(h.Cmd("ZRANGE z - + bylex withscores"), ws_err);
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 bylex withscores"), ws_err);  // before the range parse
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z - + withscores"), ws_err);
  EXPECT_EQ(h.Cmd("ZRANGE z a b bylex"), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z b d"), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z [b (d"), Bulks({"b", "c"}));
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z (b [d"), Bulks({"c", "d"}));
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z [d [b"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANGEBYLEX z - + limit 3 10"), Bulks({"d", "e"}));
  EXPECT_EQ(h.Cmd("ZREVRANGEBYLEX z (d [b"), Bulks({"c", "b"}));
  EXPECT_EQ(h.Cmd("ZREVRANGEBYLEX z - +"), kEmpty);
  EXPECT_EQ(h.Cmd("ZREVRANGEBYLEX z + - limit 0 2"), Bulks({"e", "d"}));
  EXPECT_EQ(h.Run({"ZRANGEBYLEX", "z", "(", "["}), kEmpty);
}

TEST(ZSetCommands, ZRangeStore) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d"), Int(4));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 -1"), Int(4));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 -1 withscores"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 1 3 byscore limit 1 1"), Int(1));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1 WITHSCORES"), Bulks({"b", "2"}));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z + (b bylex rev"), Int(2));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1"), Bulks({"c", "d"}));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 1 rev"), Int(2));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1"), Bulks({"c", "d"}));
  // An empty result deletes the destination.
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 5 10"), Int(0));
  EXPECT_EQ(h.Cmd("EXISTS d"), Int(0));
  // Any old value and its TTL are replaced.
  EXPECT_EQ(h.Cmd("SET d x EX 100"), kOk);
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 0"), Int(1));
  EXPECT_EQ(h.Cmd("TTL d"), Int(-1));
  EXPECT_EQ(h.Cmd("TYPE d"), "+zset\r\n");
  EXPECT_EQ(h.Cmd("ZRANGESTORE d nokey 0 -1"), Int(0));
  EXPECT_EQ(h.Cmd("EXISTS d"), Int(0));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 -1 limit 0 1"),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                "or BYLEX"));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z a b"), Err("ERR value is not an integer or out of range"));
  // Source and destination may be the same key.
  EXPECT_EQ(h.Cmd("ZRANGESTORE z z 1 2"), Int(2));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 WITHSCORES"), Bulks({"b", "2", "c", "3"}));
}

TEST(ZSetCommands, ZRemRange) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d 5 e"), Int(5));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYRANK z -2 -1"), Int(2));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYRANK z 5 10"), Int(0));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYSCORE z (1 2"), Int(1));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYLEX z [a [a"), Int(1));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 WITHSCORES"), Bulks({"c", "3"}));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYRANK z a 0"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYSCORE z a b"), Err("ERR min or max is not a float"));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYLEX z a b"), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYRANK nokey 0 0"), Int(0));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYSCORE nokey 0 1"), Int(0));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYLEX nokey - +"), Int(0));
  EXPECT_EQ(h.Cmd("ZREMRANGEBYSCORE z -inf +inf"), Int(1));
  EXPECT_EQ(h.Cmd("EXISTS z"), Int(0));
}

TEST(ZSetCommands, ZPopReplyShapes) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2.5 b 3 c inf d"), Int(4));
  EXPECT_EQ(h.Cmd("ZPOPMIN z"), Bulks({"a", "1"}));
  EXPECT_EQ(h.Cmd("ZPOPMAX z 2"), Bulks({"d", "inf", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZPOPMAX z 0"), kEmpty);
  EXPECT_EQ(h.Cmd("ZPOPMIN nokey"), kEmpty);
  EXPECT_EQ(h.Cmd("ZPOPMIN nokey 0"), kEmpty);
  EXPECT_EQ(h.Cmd("ZPOPMIN z -1"), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Cmd("ZPOPMIN z abc"), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(h.Cmd("ZPOPMIN z 1 2"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZPOPMIN z 5"), Bulks({"b", "2.5"}));
  EXPECT_EQ(h.Cmd("EXISTS z"), Int(0));
  // RESP3: flat without a count, pairs with one.
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  EXPECT_EQ(h.Cmd("ZPOPMIN z"), Arr({Bulk("a"), Dbl("1")}));
  EXPECT_EQ(h.Cmd("ZPOPMIN z 1"), Arr({Arr({Bulk("b"), Dbl("2")})}));
  EXPECT_EQ(h.Cmd("ZPOPMAX z 0"), kEmpty);
  EXPECT_EQ(h.Cmd("ZPOPMAX z 5"), Arr({Arr({Bulk("c"), Dbl("3")})}));
}

TEST(ZSetCommands, ZPopOnSkiplist) {
  Harness h;
  EXPECT_EQ(h.Cmd("CONFIG SET zset-max-listpack-entries 2"), kOk);
  EXPECT_EQ(h.Cmd("ZADD z 3 c 1 a 2 b 4 d"), Int(4));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING z"), Bulk("skiplist"));
  EXPECT_EQ(h.Cmd("ZPOPMIN z 2"), Bulks({"a", "1", "b", "2"}));
  EXPECT_EQ(h.Cmd("ZPOPMAX z"), Bulks({"d", "4"}));
  EXPECT_EQ(h.Cmd("ZPOPMAX z 9"), Bulks({"c", "3"}));
  EXPECT_EQ(h.Cmd("EXISTS z"), Int(0));
}

TEST(ZSetCommands, ZMPop) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  EXPECT_EQ(h.Cmd("ZMPOP 1 z min"), Arr({Bulk("z"), Arr({Bulks({"a", "1"})})}));
  EXPECT_EQ(h.Cmd("ZMPOP 3 nokey nokey2 z MAX COUNT 5"),
            Arr({Bulk("z"), Arr({Bulks({"c", "3"}), Bulks({"b", "2"})})}));
  EXPECT_EQ(h.Cmd("EXISTS z"), Int(0));
  EXPECT_EQ(h.Cmd("ZMPOP 1 z max"), "*-1\r\n");
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  for (const char* bad : {"ZMPOP 0 z min", "ZMPOP -1 z min", "ZMPOP abc z min"}) {
    EXPECT_EQ(h.Cmd(bad), Err("ERR numkeys should be greater than 0")) << bad;
  }
  for (const char* bad :
       {"ZMPOP 1 z min count 0", "ZMPOP 1 z min count -1", "ZMPOP 1 z min count abc"}) {
    EXPECT_EQ(h.Cmd(bad), Err("ERR count should be greater than 0")) << bad;
  }
  for (const char* bad :
       {"ZMPOP 2 z min", "ZMPOP 1 z foo", "ZMPOP 1 z min count 1 count 1", "ZMPOP 1 z min count",
        "ZMPOP 1 z min foo", "ZMPOP 9223372036854775807 z min"}) {
    EXPECT_EQ(h.Cmd(bad), Err("ERR syntax error")) << bad;
  }
  EXPECT_EQ(h.Cmd("ZMPOP 1 z"), Err("ERR wrong number of arguments for 'zmpop' command"));
  // The first existing key decides: another type there is an error, after it it is not looked at.
  EXPECT_EQ(h.Cmd("ZMPOP 2 nokey s min"), Err(kWrongType));
  EXPECT_EQ(h.Cmd("ZMPOP 2 s z min"), Err(kWrongType));
  EXPECT_EQ(h.Cmd("ZMPOP 2 z s min"), Arr({Bulk("z"), Arr({Bulks({"a", "1"})})}));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZMPOP 1 z min"), Arr({Bulk("z"), Arr({Arr({Bulk("b"), Dbl("2")})})}));
  EXPECT_EQ(h.Cmd("ZMPOP 1 nokey min"), kNull3);
}

TEST(ZSetCommands, ZRandMemberArguments) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z abc"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 1 foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 1 withscores foo"), Err("ERR syntax error"));
  // Count and options are checked before the key.
  EXPECT_EQ(h.Cmd("ZRANDMEMBER nokey abc"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER nokey 1 foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER nokey"), kNil);
  EXPECT_EQ(h.Cmd("ZRANDMEMBER nokey 5"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z -9223372036854775808"),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z -9223372036854775807 withscores"),
            Err("ERR value is out of range"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 4611686018427387904 withscores"),
            Err("ERR value is out of range"));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 0"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 0 withscores"), kEmpty);
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 0 foo"), Err("ERR syntax error"));
  // The whole set comes highest score first, as Redis walks it.
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 5"), Bulks({"c", "b", "a"}));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER z 4611686018427387903 withscores"),
            Bulks({"c", "3", "b", "2", "a", "1"}));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(
      h.Cmd("ZRANDMEMBER z 3 withscores"),
      Arr({Arr({Bulk("c"), Dbl("3")}), Arr({Bulk("b"), Dbl("2")}), Arr({Bulk("a"), Dbl("1")})}));
  EXPECT_EQ(h.Cmd("ZRANDMEMBER nokey"), kNull3);
}

// Parses a flat RESP2 array of bulk strings.
std::vector<std::string> ParseBulks(const std::string& resp) {
  std::vector<std::string> out;
  size_t pos = resp.find("\r\n") + 2;
  while (pos < resp.size()) {
    const size_t eol = resp.find("\r\n", pos);
    const size_t len = std::stoul(resp.substr(pos + 1, eol - pos - 1));
    out.push_back(resp.substr(eol + 2, len));
    pos = eol + 2 + len + 2;
  }
  return out;
}

TEST(ZSetCommands, ZRandMemberCounts) {
  for (const char* entries : {"128", "0"}) {  // listpack, then skiplist
    SCOPED_TRACE(entries);
    Harness h;
    EXPECT_EQ(h.Run({"CONFIG", "SET", "zset-max-listpack-entries", entries}), kOk);
    EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 4 d 5 e 6 f 7 g 8 h 9 i 10 j"), Int(10));
    const std::set<std::string> all = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    for (int count : {1, 2, 3, 5, 9}) {  // both the sparse and the dense distinct path
      std::vector<std::string> got = ParseBulks(h.Run({"ZRANDMEMBER", "z", std::to_string(count)}));
      std::set<std::string> distinct(got.begin(), got.end());
      EXPECT_EQ(got.size(), static_cast<size_t>(count));
      EXPECT_EQ(distinct.size(), got.size());
      for (const std::string& m : got) EXPECT_EQ(all.count(m), 1u) << m;
    }
    std::vector<std::string> rep = ParseBulks(h.Cmd("ZRANDMEMBER z -25"));
    EXPECT_EQ(rep.size(), 25u);
    for (const std::string& m : rep) EXPECT_EQ(all.count(m), 1u) << m;
    // WITHSCORES: each member is followed by its own score.
    std::vector<std::string> ws = ParseBulks(h.Cmd("ZRANDMEMBER z -6 WITHSCORES"));
    ASSERT_EQ(ws.size(), 12u);
    for (size_t i = 0; i < ws.size(); i += 2) {
      EXPECT_EQ(ws[i + 1], std::to_string(ws[i][0] - 'a' + 1));
    }
    const std::string one = h.Cmd("ZRANDMEMBER z");
    EXPECT_EQ(one.size(), 7u);  // "$1\r\nx\r\n"
    EXPECT_EQ(all.count(one.substr(4, 1)), 1u);
  }
}

TEST(ZSetCommands, AlgebraArgumentErrors) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  for (const char* cmd : {"zunion", "zinter", "zdiff", "zintercard"}) {
    const std::string need =
        Err("ERR at least 1 input key is needed for '" + std::string(cmd) + "' command");
    EXPECT_EQ(h.Run({cmd, "0", "z"}), need);
    EXPECT_EQ(h.Run({cmd, "-1", "z"}), need);
    EXPECT_EQ(h.Run({cmd, "abc", "z"}), Err("ERR value is not an integer or out of range"));
    EXPECT_EQ(h.Run({cmd, "2", "z"}), Err("ERR syntax error"));
  }
  for (const char* cmd : {"zunionstore", "zinterstore", "zdiffstore"}) {
    EXPECT_EQ(h.Run({cmd, "d", "0", "z"}),
              Err("ERR at least 1 input key is needed for '" + std::string(cmd) + "' command"));
  }
  EXPECT_EQ(h.Cmd("ZINTERCARD 1 z limit -1"), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(h.Cmd("ZINTERCARD 1 z limit abc"), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(h.Cmd("ZINTERCARD 1 z limit"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZINTERCARD 1 z withscores"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZINTERCARD 1 z weights 1"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z weights 2 withscores"), Err("ERR weight value is not a float"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z weights 2 a"), Err("ERR weight value is not a float"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z weights 2"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z aggregate foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z aggregate"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZUNION 2 z z foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZDIFF 2 z z weights 1 1"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZDIFF 2 z z aggregate sum"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 1 z withscores"), Err("ERR syntax error"));
  // Keys are type-checked before options are read.
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  EXPECT_EQ(h.Cmd("ZUNION 2 s z weights a b"), Err(kWrongType));
}

TEST(ZSetCommands, AlgebraWithSetsWeightsAndAggregates) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  MakeSet(h, "st", {"a", "b", "x"});
  MakeSet(h, "si", {"1", "2", "3"});
  EXPECT_EQ(h.Cmd("ZUNION 2 z st WITHSCORES"), Bulks({"x", "1", "a", "2", "b", "3", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st"), Bulks({"x", "a", "b", "c"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st weights 2 3 withscores"),
            Bulks({"x", "3", "a", "5", "c", "6", "b", "7"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st aggregate max withscores"),
            Bulks({"a", "1", "x", "1", "b", "2", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st aggregate min withscores"),
            Bulks({"a", "1", "b", "1", "x", "1", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st aggregate min aggregate max withscores"),
            Bulks({"a", "1", "x", "1", "b", "2", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st weights 1 1 weights 2 2 withscores"),
            Bulks({"x", "2", "a", "4", "b", "6", "c", "6"}));
  EXPECT_EQ(h.Cmd("ZUNION 3 z st si withscores"),
            Bulks({"1", "1", "2", "1", "3", "1", "x", "1", "a", "2", "b", "3", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZUNION 1 nokey withscores"), kEmpty);
  EXPECT_EQ(h.Cmd("ZINTER 2 z st withscores"), Bulks({"a", "2", "b", "3"}));
  EXPECT_EQ(h.Cmd("ZINTER 2 z si withscores"), kEmpty);
  EXPECT_EQ(h.Cmd("ZINTER 2 z nokey withscores"), kEmpty);
  EXPECT_EQ(h.Cmd("ZINTER 2 z st weights 2 3 aggregate min withscores"),
            Bulks({"a", "2", "b", "3"}));
  EXPECT_EQ(h.Cmd("ZINTER 2 z z weights 1 2 withscores"), Bulks({"a", "3", "b", "6", "c", "9"}));
  EXPECT_EQ(h.Cmd("ZDIFF 2 z st withscores"), Bulks({"c", "3"}));
  EXPECT_EQ(h.Cmd("ZDIFF 2 st z withscores"), Bulks({"x", "1"}));
  EXPECT_EQ(h.Cmd("ZDIFF 2 nokey z"), kEmpty);
  EXPECT_EQ(h.Cmd("ZDIFF 2 z nokey withscores"), Bulks({"a", "1", "b", "2", "c", "3"}));
  EXPECT_EQ(h.Cmd("ZDIFF 1 si withscores"), Bulks({"1", "1", "2", "1", "3", "1"}));
  EXPECT_EQ(h.Cmd("ZINTERCARD 2 z st"), Int(2));
  EXPECT_EQ(h.Cmd("ZINTERCARD 2 z st limit 0"), Int(2));
  EXPECT_EQ(h.Cmd("ZINTERCARD 2 z st limit 1"), Int(1));
  EXPECT_EQ(h.Cmd("ZINTERCARD 2 z nokey"), Int(0));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZINTER 2 z st withscores"),
            Arr({Arr({Bulk("a"), Dbl("2")}), Arr({Bulk("b"), Dbl("3")})}));
  EXPECT_EQ(h.Cmd("ZINTER 2 z st"), Bulks({"a", "b"}));
}

TEST(ZSetCommands, AlgebraInfinityAndNaNConventions) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  MakeSet(h, "st", {"a", "b", "x"});
  // inf + -inf sums to 0; 0 * inf weighs 0.
  EXPECT_EQ(h.Cmd("ZUNION 2 z st weights inf -inf withscores"),
            Bulks({"x", "-inf", "a", "0", "b", "0", "c", "inf"}));
  EXPECT_EQ(h.Cmd("ZINTER 2 z st weights inf -inf withscores"), Bulks({"a", "0", "b", "0"}));
  EXPECT_EQ(h.Cmd("ZINTER 2 z st weights 0 inf aggregate max withscores"),
            Bulks({"a", "inf", "b", "inf"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st weights 0 inf withscores"),
            Bulks({"c", "0", "a", "inf", "b", "inf", "x", "inf"}));
  EXPECT_EQ(h.Cmd("ZUNION 2 z st weights 0 inf aggregate min withscores"),
            Bulks({"a", "0", "b", "0", "c", "0", "x", "inf"}));
  // -0 + 0 is +0.
  EXPECT_EQ(h.Cmd("ZADD y 0 m"), Int(1));
  EXPECT_EQ(h.Cmd("ZADD w 0 m 1 n"), Int(2));
  EXPECT_EQ(h.Cmd("ZUNION 2 y w weights -1 0 withscores"), Bulks({"m", "0", "n", "0"}));
  EXPECT_EQ(h.Cmd("ZUNION 1 y weights -1 withscores"), Bulks({"m", "-0"}));
}

TEST(ZSetCommands, AlgebraStore) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  MakeSet(h, "st", {"a", "b", "x"});
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 2 z st weights 1 2"), Int(4));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1 WITHSCORES"), Bulks({"x", "2", "a", "3", "c", "3", "b", "4"}));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING d"), Bulk("listpack"));
  EXPECT_EQ(h.Cmd("ZINTERSTORE d 2 z st aggregate max"), Int(2));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1 WITHSCORES"), Bulks({"a", "1", "b", "2"}));
  EXPECT_EQ(h.Cmd("ZDIFFSTORE d 2 z st"), Int(1));
  EXPECT_EQ(h.Cmd("ZRANGE d 0 -1 WITHSCORES"), Bulks({"c", "3"}));
  EXPECT_EQ(h.Cmd("ZDIFFSTORE d 2 st st"), Int(0));
  EXPECT_EQ(h.Cmd("EXISTS d"), Int(0));
  EXPECT_EQ(h.Cmd("SET d x EX 100"), kOk);
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 1 z"), Int(3));
  EXPECT_EQ(h.Cmd("TTL d"), Int(-1));
  EXPECT_EQ(h.Cmd("ZINTERSTORE d 2 z nokey"), Int(0));
  EXPECT_EQ(h.Cmd("EXISTS d"), Int(0));
  // The destination may be one of the inputs.
  EXPECT_EQ(h.Cmd("ZUNIONSTORE z 2 z st"), Int(4));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1 WITHSCORES"), Bulks({"x", "1", "a", "2", "b", "3", "c", "3"}));
  EXPECT_EQ(h.Cmd("TYPE st"), "+set\r\n");
  // Large results are skiplists, shrunk to listpacks when they fit.
  EXPECT_EQ(h.Cmd("CONFIG SET zset-max-listpack-entries 3"), kOk);
  EXPECT_EQ(h.Cmd("ZUNIONSTORE big 1 z"), Int(4));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING big"), Bulk("skiplist"));
  EXPECT_EQ(h.Cmd("ZINTERSTORE small 2 z st"), Int(3));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING small"), Bulk("listpack"));
}

TEST(ZSetCommands, ZScanListpack) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c 1.5 ab"), Int(4));
  EXPECT_EQ(h.Cmd("SET s v"), kOk);
  EXPECT_EQ(h.Cmd("ZSCAN z 0"),
            Arr({Bulk("0"), Bulks({"a", "1", "ab", "1.5", "b", "2", "c", "3"})}));
  EXPECT_EQ(h.Cmd("ZSCAN z 0 match a*"), Arr({Bulk("0"), Bulks({"a", "1", "ab", "1.5"})}));
  EXPECT_EQ(h.Cmd("ZSCAN z 0 count 1"),
            Arr({Bulk("0"), Bulks({"a", "1", "ab", "1.5", "b", "2", "c", "3"})}));
  EXPECT_EQ(h.Cmd("ZSCAN z 0 count 0"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZSCAN z 0 type zset"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZSCAN z 0 match"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("ZSCAN z abc"), Err("ERR invalid cursor"));
  // A missing key answers before its options are read; the cursor is checked first.
  EXPECT_EQ(h.Cmd("ZSCAN nokey 0 foo"), Arr({Bulk("0"), kEmpty}));
  EXPECT_EQ(h.Cmd("ZSCAN nokey abc"), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Cmd("ZSCAN s abc"), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Cmd("ZSCAN s 0 foo"), Err(kWrongType));
  // Scores are strings even under RESP3, in the form the listpack stores
  // them: integral scores up to 2^62 as integers.
  EXPECT_EQ(h.Cmd("ZADD zz 1e20 a 123456789012345678 b -0 c 3.0 e 4611686018427387904 f"), Int(5));
  EXPECT_EQ(h.Cmd("HELLO 3").substr(0, 1), "%");
  EXPECT_EQ(h.Cmd("ZSCAN zz 0"),
            Arr({Bulk("0"), Bulks({"c", "0", "e", "3", "b", "123456789012345680", "f",
                                   "4611686018427387904", "a", "1e+20"})}));
  EXPECT_EQ(h.Cmd("ZSCORE zz b"), Dbl("1.2345678901234568e+17"));
}

TEST(ZSetCommands, ZScanSkiplistVisitsEverything) {
  Harness h;
  EXPECT_EQ(h.Cmd("CONFIG SET zset-max-listpack-entries 0"), kOk);
  std::vector<std::string> args = {"ZADD", "z"};
  for (int i = 0; i < 300; ++i) {
    args.push_back(std::to_string(i) + ".5");
    args.push_back("m" + std::to_string(i));
  }
  args.push_back("-0");
  args.push_back("negzero");
  std::vector<std::string_view> views(args.begin(), args.end());
  EXPECT_EQ(h.Run(views), Int(301));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING z"), Bulk("skiplist"));
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    const std::string reply = h.Run({"ZSCAN", "z", cursor, "COUNT", "20"});
    // *2 $n cursor *k items...
    const size_t c0 = reply.find("\r\n", 4) + 2;
    const size_t c1 = reply.find("\r\n", c0);
    cursor = reply.substr(c0, c1 - c0);
    std::vector<std::string> items = ParseBulks(reply.substr(c1 + 2));
    ASSERT_EQ(items.size() % 2, 0u);
    for (size_t i = 0; i < items.size(); i += 2) {
      if (items[i] == "negzero") {
        EXPECT_EQ(items[i + 1], "-0");  // a skiplist keeps the sign
      } else {
        EXPECT_EQ(items[i + 1], items[i].substr(1) + ".5");
      }
      seen.insert(items[i]);
    }
    ++calls;
  } while (cursor != "0" && calls < 1000);
  EXPECT_EQ(seen.size(), 301u);
  EXPECT_GT(calls, 1);
}

TEST(ZSetCommands, EncodingConversions) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a"), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING z"), Bulk("listpack"));
  EXPECT_EQ(h.Run({"ZADD", "z", "2", std::string(65, 'x')}), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING z"), Bulk("skiplist"));
  EXPECT_EQ(h.Run({"ZADD", "long", "2", std::string(65, 'x')}), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING long"), Bulk("skiplist"));
  // ZRANGESTORE picks the encoding from the result size.
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 0"), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING d"), Bulk("listpack"));
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 0 -1"), Int(2));
  EXPECT_EQ(h.Cmd("OBJECT ENCODING d"), Bulk("skiplist"));
}

TEST(ZSetCommands, KeyspaceStatsAndDirty) {
  Harness h;
  const uint64_t d0 = Dirty(h);
  EXPECT_EQ(h.Cmd("ZADD z 1 a 2 b 3 c"), Int(3));
  EXPECT_EQ(Dirty(h) - d0, 3u);
  EXPECT_EQ(h.Cmd("ZADD z 1 a"), Int(0));
  EXPECT_EQ(h.Cmd("ZINCRBY z 0 a"), Bulk("1"));
  EXPECT_EQ(Dirty(h) - d0, 3u);
  EXPECT_EQ(h.Cmd("ZADD z 5 a"), Int(0));
  EXPECT_EQ(Dirty(h) - d0, 4u);
  EXPECT_EQ(h.Cmd("ZPOPMIN z 2"), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(Dirty(h) - d0, 6u);
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 1 z"), Int(1));
  EXPECT_EQ(Dirty(h) - d0, 7u);
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 1 nokey"), Int(0));
  EXPECT_EQ(h.Cmd("ZUNIONSTORE d 1 nokey"), Int(0));
  EXPECT_EQ(Dirty(h) - d0, 8u);
  EXPECT_EQ(h.Cmd("ZRANGESTORE d z 5 6"), Int(0));
  EXPECT_EQ(Dirty(h) - d0, 8u);

  auto& st = h.server().stats();
  const uint64_t hits = st.keyspace_hits, misses = st.keyspace_misses;
  EXPECT_EQ(h.Cmd("ZSCORE z a"), Bulk("5"));
  EXPECT_EQ(h.Cmd("ZRANGE nokey 0 -1"), kEmpty);
  EXPECT_EQ(h.Cmd("ZUNION 2 z nokey"), Bulks({"a"}));
  EXPECT_EQ(st.keyspace_hits - hits, 2u);
  EXPECT_EQ(st.keyspace_misses - misses, 2u);
  // Writes do not count lookups.
  EXPECT_EQ(h.Cmd("ZADD z 1 q"), Int(1));
  EXPECT_EQ(h.Cmd("ZREM nokey q"), Int(0));
  EXPECT_EQ(st.keyspace_hits - hits, 2u);
  EXPECT_EQ(st.keyspace_misses - misses, 2u);
}

TEST(ZSetCommands, ExpiredKeyIsNotASortedSet) {
  Harness h;
  EXPECT_EQ(h.Cmd("ZADD z 1 a"), Int(1));
  EXPECT_EQ(h.Cmd("PEXPIRE z 100"), Int(1));
  h.AdvanceTime(100);
  EXPECT_EQ(h.Cmd("ZCARD z"), Int(0));
  EXPECT_EQ(h.Cmd("ZADD z xx 1 a"), Int(0));
  EXPECT_EQ(h.Cmd("ZADD z 2 b"), Int(1));
  EXPECT_EQ(h.Cmd("ZRANGE z 0 -1"), Bulks({"b"}));
  EXPECT_EQ(h.Cmd("TTL z"), Int(-1));
}

}  // namespace
}  // namespace duet::testing
