// Generic key commands through the real dispatcher; expected replies checked
// against redis-server 7.0.15.
#include <set>

#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}

TEST(KeyCommands, DelExistsTypeTouch) {
  Harness h;
  h.Cmd("MSET a 1 b 2 c 3");
  EXPECT_EQ(h.Cmd("EXISTS a b nope a"), Int(3));
  EXPECT_EQ(h.Cmd("DEL a nope"), Int(1));
  EXPECT_EQ(h.Cmd("UNLINK b c"), Int(2));
  EXPECT_EQ(h.Cmd("DBSIZE"), Int(0));
  EXPECT_EQ(h.Cmd("TYPE a"), "+none\r\n");
  h.Cmd("SET s x");
  EXPECT_EQ(h.Cmd("TYPE s"), "+string\r\n");
  EXPECT_EQ(h.Cmd("TOUCH s nope"), Int(1));
}

TEST(KeyCommands, KeysGlob) {
  Harness h;
  h.Cmd("MSET foo 1 name 2 hello 3 hallo 4 h[x]llo 5");
  EXPECT_EQ(h.Cmd("KEYS ?"), "*0\r\n");
  EXPECT_EQ(h.Cmd("KEYS ????"), Arr({Bulk("name")}));
  EXPECT_EQ(h.Cmd("KEYS h[ae]llo").size(), Arr({Bulk("hello"), Bulk("hallo")}).size());
  EXPECT_EQ(h.Cmd("KEYS h[^e]llo"), Arr({Bulk("hallo")}));
  EXPECT_EQ(h.Cmd("KEYS foo"), Arr({Bulk("foo")}));
  EXPECT_EQ(h.Run({"KEYS", "h\\[x\\]llo"}), Arr({Bulk("h[x]llo")}));
  EXPECT_EQ(h.Cmd("KEYS ? name"), Err("ERR wrong number of arguments for 'keys' command"));
}

TEST(KeyCommands, ScanVisitsEveryKeyOnce) {
  Harness h;
  for (int i = 0; i < 500; ++i) h.Run({"SET", "key:" + std::to_string(i), "v"});
  std::set<std::string> seen;
  std::string cursor = "0";
  int rounds = 0;
  do {
    std::string reply = h.Run({"SCAN", cursor, "COUNT", "20"});
    // *2 $len cursor *n $len key ...
    size_t p = reply.find("\r\n", 4) + 2;  // after "*2\r\n$n"
    size_t end = reply.find("\r\n", p);
    cursor = reply.substr(p, end - p);
    size_t pos = reply.find('*', end);
    size_t n = std::stoul(reply.substr(pos + 1));
    pos = reply.find("\r\n", pos) + 2;
    for (size_t i = 0; i < n; ++i) {
      size_t len_end = reply.find("\r\n", pos);
      size_t len = std::stoul(reply.substr(pos + 1, len_end - pos - 1));
      seen.insert(reply.substr(len_end + 2, len));
      pos = len_end + 2 + len + 2;
    }
    ASSERT_LT(++rounds, 1000);
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 500u);
}

TEST(KeyCommands, ScanOptionsAndErrors) {
  Harness h;
  h.Cmd("MSET a 1 b 2");
  EXPECT_EQ(h.Cmd("SCAN abc"), Err("ERR invalid cursor"));
  EXPECT_EQ(h.Cmd("SCAN 0 COUNT 0"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("SCAN 0 COUNT x"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("SCAN 0 FOO bar"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("SCAN 0 TYPE foo"), Arr({Bulk("0"), "*0\r\n"}));
  EXPECT_EQ(h.Cmd("SCAN 0 MATCH a"), Arr({Bulk("0"), Arr({Bulk("a")})}));
  EXPECT_EQ(h.Cmd("SCAN 0 TYPE string MATCH b"), Arr({Bulk("0"), Arr({Bulk("b")})}));
}

TEST(KeyCommands, RenameCopyMove) {
  Harness h;
  h.Cmd("SET k v");
  h.Cmd("EXPIRE k 100");
  EXPECT_EQ(h.Cmd("RENAME k k"), kOk);
  EXPECT_EQ(h.Cmd("RENAMENX k k"), Int(0));
  EXPECT_EQ(h.Cmd("RENAME nokey x"), Err("ERR no such key"));
  EXPECT_EQ(h.Cmd("RENAME k k2"), kOk);
  EXPECT_EQ(h.Cmd("TTL k2"), Int(100));
  EXPECT_EQ(h.Cmd("GET k2"), Bulk("v"));
  h.Cmd("SET other o");
  EXPECT_EQ(h.Cmd("RENAMENX k2 other"), Int(0));
  EXPECT_EQ(h.Cmd("COPY k2 k2"), Err("ERR source and destination objects are the same"));
  EXPECT_EQ(h.Cmd("COPY k2 other"), Int(0));
  EXPECT_EQ(h.Cmd("COPY k2 other REPLACE"), Int(1));
  EXPECT_EQ(h.Cmd("GET other"), Bulk("v"));
  EXPECT_EQ(h.Cmd("TTL other"), Int(100));
  EXPECT_EQ(h.Cmd("COPY k2 j DB 99"), Err("ERR DB index is out of range"));
  EXPECT_EQ(h.Cmd("COPY k2 j DB x"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("COPY k2 j DB 3"), Int(1));
  EXPECT_EQ(h.Cmd("MOVE k2 0"), Err("ERR source and destination objects are the same"));
  EXPECT_EQ(h.Cmd("MOVE k2 99"), Err("ERR DB index is out of range"));
  EXPECT_EQ(h.Cmd("MOVE k2 3"), Int(1));
  EXPECT_EQ(h.Cmd("EXISTS k2"), Int(0));
  EXPECT_EQ(h.Cmd("SELECT 3"), kOk);
  EXPECT_EQ(h.Cmd("MGET k2 j"), Arr({Bulk("v"), Bulk("v")}));
  EXPECT_EQ(h.Cmd("MOVE j 0"), Int(1));
  EXPECT_EQ(h.Cmd("SET k2 again"), kOk);
  EXPECT_EQ(h.Cmd("MOVE k2 0"), Int(1));  // "k2" absent in db 0 (moved out earlier)
}

TEST(KeyCommands, ExpireFamily) {
  Harness h;
  h.Cmd("SET k v");
  EXPECT_EQ(h.Cmd("EXPIRE k 10 foo"), Err("ERR Unsupported option foo"));
  EXPECT_EQ(h.Cmd("EXPIRE k 10 NX XX"),
            Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
  EXPECT_EQ(h.Cmd("EXPIRE k 10 GT LT"),
            Err("ERR GT and LT options at the same time are not compatible"));
  EXPECT_EQ(h.Cmd("EXPIRE k abc"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("EXPIRE k 9223372036854775807"),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(h.Cmd("PEXPIRE k 9223372036854775807"),
            Err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(h.Cmd("EXPIREAT k 9223372036854775807"),
            Err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(h.Cmd("EXPIRE k 100 XX"), Int(0));
  EXPECT_EQ(h.Cmd("EXPIRE k 100 GT"), Int(0));  // no TTL counts as infinite
  EXPECT_EQ(h.Cmd("EXPIRE k 100 NX"), Int(1));
  EXPECT_EQ(h.Cmd("EXPIRE k 200 NX"), Int(0));
  EXPECT_EQ(h.Cmd("EXPIRE k 50 GT"), Int(0));
  EXPECT_EQ(h.Cmd("EXPIRE k 200 GT"), Int(1));
  EXPECT_EQ(h.Cmd("EXPIRE k 300 LT"), Int(0));
  EXPECT_EQ(h.Cmd("EXPIRE k 150 LT"), Int(1));
  EXPECT_EQ(h.Cmd("TTL k"), Int(150));
  EXPECT_EQ(h.Cmd("PTTL k"), Int(150000));
  int64_t at = h.server().cached_now_ms() + 150000;
  EXPECT_EQ(h.Cmd("PEXPIRETIME k"), Int(at));
  EXPECT_EQ(h.Cmd("EXPIRETIME k"), Int(at / 1000));
  EXPECT_EQ(h.Cmd("PERSIST k"), Int(1));
  EXPECT_EQ(h.Cmd("PERSIST k"), Int(0));
  EXPECT_EQ(h.Cmd("TTL k"), Int(-1));
  EXPECT_EQ(h.Cmd("EXPIRETIME k"), Int(-1));
  EXPECT_EQ(h.Cmd("TTL nokey"), Int(-2));
  EXPECT_EQ(h.Cmd("EXPIRE nokey 10"), Int(0));
  EXPECT_EQ(h.Cmd("EXPIRE k -1"), Int(1));  // a time in the past deletes
  EXPECT_EQ(h.Cmd("EXISTS k"), Int(0));
}

TEST(KeyCommands, ActiveExpirySweepsWithoutAccess) {
  Harness h;
  for (int i = 0; i < 200; ++i) h.Run({"SET", "t" + std::to_string(i), "v", "PX", "50"});
  h.Cmd("SET keep v");
  EXPECT_EQ(h.Cmd("INFO keyspace").find("db0:keys=201,expires=200") != std::string::npos, true);
  h.AdvanceTime(100);
  for (int i = 0; i < 50 && h.server().keyspace().db(0).size() > 1; ++i) h.server().Cron();
  EXPECT_EQ(h.server().keyspace().db(0).size(), 1u);
  EXPECT_EQ(h.server().stats().expired_keys, 200u);
  EXPECT_NE(h.Cmd("INFO stats").find("expired_keys:200\r\n"), std::string::npos);
}

TEST(KeyCommands, RandomKey) {
  Harness h;
  EXPECT_EQ(h.Cmd("RANDOMKEY"), kNil);
  h.Cmd("SET only v");
  EXPECT_EQ(h.Cmd("RANDOMKEY"), Bulk("only"));
}

}  // namespace
}  // namespace duet::testing
