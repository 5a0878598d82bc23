// One keyspace: memcached items are string keys in memcached-db, seen and
// changed by RESP commands too (README "Memcached").
#include "storage/hash_value.h"
#include "tests/commands/memcache_harness.h"

namespace duet::testing {
namespace {

void AddHash(McHarness& h, std::string_view key, int db = 0) {
  h.server().keyspace().db(db).Insert(Entry::New(key, HashValue()));
}

TEST(McKeyspace, ItemsAreStringKeys) {
  McHarness h;
  h.Send("set k 42 100 5\r\nhello\r\n");
  EXPECT_EQ(h.Resp("GET k"), Bulk("hello"));
  EXPECT_EQ(h.Resp("TYPE k"), "+string\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(100));
  EXPECT_EQ(h.Resp("SET r world"), kOk);
  EXPECT_EQ(h.Send("get r\r\n"), "VALUE r 0 5\r\nworld\r\nEND\r\n");
  // EXPIRE over RESP is what memcached sees.
  EXPECT_EQ(h.Resp("EXPIRE r 5"), Int(1));
  h.AdvanceTime(5000);
  EXPECT_EQ(h.Send("get r\r\n"), "END\r\n");
  EXPECT_NE(h.Resp("INFO keyspace").find("db0:keys=1,"), std::string::npos);
}

TEST(McKeyspace, EveryWriteChangesTheCas) {
  McHarness h;
  h.Send("set k 7 0 1\r\n1\r\n");
  uint64_t cas = h.Cas("k");
  for (std::string_view cmd :
       {"APPEND k 0", "INCR k", "SETRANGE k 0 9", "SET k 5", "INCRBYFLOAT k 1.5", "GETSET k x",
        "SETBIT k 1 0"}) {  // bit 1 of "x" is 1
    h.Resp(cmd);
    uint64_t now = h.Cas("k");
    EXPECT_NE(now, cas) << cmd;
    cas = now;
  }
  h.Send("incr n 1\r\n");
  h.Resp("SET n 1");
  uint64_t n = h.Cas("n");
  h.Send("incr n 1\r\n");
  EXPECT_NE(h.Cas("n"), n);
  EXPECT_EQ(h.Send("cas n 0 0 1 " + std::to_string(n) + "\r\nx\r\n"), "EXISTS\r\n");
}

TEST(McKeyspace, FlagsResetByReplacingWritesKeptByInPlaceOnes) {
  McHarness h;
  auto flags = [&](std::string_view key) {
    std::string r = h.Send("mg " + std::string(key) + " f\r\n");
    return r.substr(0, r.find("\r\n"));
  };
  h.Send("set k 42 0 1\r\n1\r\n");
  for (std::string_view cmd :
       {"APPEND k 2", "SETRANGE k 0 3", "INCR k", "INCRBY k 2", "DECR k", "INCRBYFLOAT k 0.5",
        "SETBIT k 0 0", "EXPIRE k 100", "PERSIST k", "COPY k k2", "RENAME k2 k3", "RENAME k3 k"}) {
    h.Resp(cmd);
    EXPECT_EQ(flags("k"), "HD f42") << cmd;
  }
  for (std::string_view cmd :
       {"SET k v", "GETSET k w", "SETEX k 100 v", "MSET k v", "PSETEX k 9000 v"}) {
    h.Send("set k 42 0 1\r\n1\r\n");
    h.Resp(cmd);
    EXPECT_EQ(flags("k"), "HD f0") << cmd;
  }
}

TEST(McKeyspace, OtherTypesAreMissesButTheNameIsTaken) {
  McHarness h;
  AddHash(h, "h");
  EXPECT_EQ(h.Send("get h\r\n"), "END\r\n");
  EXPECT_EQ(h.Send("gets h\r\n"), "END\r\n");
  EXPECT_EQ(h.Send("gat 10 h\r\n"), "END\r\n");
  EXPECT_EQ(h.Send("mg h v\r\n"), "EN\r\n");
  EXPECT_EQ(h.Send("replace h 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("append h 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("prepend h 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("cas h 0 0 1 1\r\nx\r\n"), "NOT_FOUND\r\n");
  EXPECT_EQ(h.Send("incr h 1\r\n"), "NOT_FOUND\r\n");
  EXPECT_EQ(h.Send("decr h 1\r\n"), "NOT_FOUND\r\n");
  EXPECT_EQ(h.Send("touch h 10\r\n"), "NOT_FOUND\r\n");
  EXPECT_EQ(h.Send("delete h\r\n"), "NOT_FOUND\r\n");
  EXPECT_EQ(h.Send("ma h N0\r\n"), "NF\r\n");
  EXPECT_EQ(h.Send("add h 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Resp("TYPE h"), "+hash\r\n");
  EXPECT_EQ(h.Resp("TTL h"), Int(-1));
  EXPECT_EQ(h.Send("set h 3 0 1\r\nx\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Resp("TYPE h"), "+string\r\n");
  EXPECT_EQ(h.Send("get h\r\n"), "VALUE h 3 1\r\nx\r\nEND\r\n");
}

TEST(McKeyspace, FlushAllEmptiesOnlyTheMemcachedDatabase) {
  McHarness h;
  h.Send("set a 0 0 1\r\nx\r\n");
  AddHash(h, "h");
  h.Resp("SELECT 1");
  h.Resp("SET other 1");
  EXPECT_EQ(h.Send("flush_all\r\n"), "OK\r\n");
  EXPECT_EQ(h.server().keyspace().db(0).size(), 0u);
  EXPECT_EQ(h.Resp("GET other"), Bulk("1"));
}

TEST(McKeyspace, MemcachedDbSetting) {
  ServerConfig cfg;
  cfg.memcached_db = 3;
  McHarness h(cfg);
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Resp("GET k"), kNil);
  h.Resp("SELECT 3");
  EXPECT_EQ(h.Resp("GET k"), Bulk("x"));
  // CONFIG SET moves the listener's view at once.
  EXPECT_EQ(h.Resp("CONFIG SET memcached-db 0"), kOk);
  EXPECT_EQ(h.Send("get k\r\n"), "END\r\n");
  EXPECT_EQ(h.Resp("CONFIG GET memcached-db"), "*2\r\n$12\r\nmemcached-db\r\n$1\r\n0\r\n");
  EXPECT_EQ(h.Resp("CONFIG SET memcached-db 16"),
            Err("ERR CONFIG SET failed (possibly related to argument 'memcached-db') - "
                "memcached-db 16 is out of range: the server has 16 databases"));
}

TEST(McKeyspace, ItemSizeLimitFollowsConfigSet) {
  McHarness h;
  EXPECT_EQ(h.Resp("CONFIG SET memcached-max-item-size 2kb"), kOk);
  std::string v(3000, 'x');
  EXPECT_EQ(h.Send("set k 0 0 3000\r\n" + v + "\r\n"),
            "SERVER_ERROR object too large for cache\r\n");
  EXPECT_EQ(h.Resp("CONFIG SET memcached-max-item-size 4kb"), kOk);
  EXPECT_EQ(h.Send("set k 0 0 3000\r\n" + v + "\r\n"), "STORED\r\n");
}

}  // namespace
}  // namespace duet::testing

namespace duet::testing {
namespace {

TEST(McConfig, NonLoopbackBindNeedsConsentWhenPasswordsAreSet) {
  ServerConfig cfg;
  cfg.memcached_port = 11211;
  cfg.memcached_bind = {"0.0.0.0"};
  EXPECT_TRUE(McCheckConfig(cfg).ok());  // no password: protected mode guards instead
  cfg.requirepass = "secret";
  Status s = McCheckConfig(cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("memcached-bind 0.0.0.0 is not a loopback address"),
            std::string::npos);
  EXPECT_NE(s.message().find("memcached-unauthenticated yes"), std::string::npos);
  cfg.memcached_unauthenticated = true;
  EXPECT_TRUE(McCheckConfig(cfg).ok());
  cfg.memcached_unauthenticated = false;
  for (const char* loop : {"127.0.0.1", "127.1.2.3", "::1", "-::1", "::ffff:127.0.0.1"}) {
    cfg.memcached_bind = {loop};
    EXPECT_TRUE(McCheckConfig(cfg).ok()) << loop;
  }
  cfg.memcached_bind = {"127.0.0.1", "*"};
  EXPECT_FALSE(McCheckConfig(cfg).ok());
  cfg.requirepass.clear();
  cfg.acl_users = {{"user", "alice", "on", ">pw"}};
  EXPECT_FALSE(McCheckConfig(cfg).ok());
  cfg.memcached_port = 0;  // no listener: nothing to refuse
  EXPECT_TRUE(McCheckConfig(cfg).ok());
}

}  // namespace
}  // namespace duet::testing

namespace duet::testing {
namespace {

TEST(McKeyspace, MaxmemoryIsOneLimitForBothProtocols) {
  ServerConfig cfg;
  cfg.maxmemory = 1000;  // noeviction (the default policy): writes are refused
  McHarness h(cfg);
  size_t used = 0;
  h.server().memory().set_probe_for_testing([&used] { return used; });
  EXPECT_EQ(h.Send("set k 0 0 1\r\nx\r\n"), "STORED\r\n");
  used = 5000;
  EXPECT_EQ(h.Send("set k 0 0 1\r\ny\r\n"), "SERVER_ERROR out of memory storing object\r\n");
  EXPECT_EQ(h.Send("incr k 1\r\nms j 1\r\nz\r\n"),
            "SERVER_ERROR out of memory storing object\r\n"
            "SERVER_ERROR out of memory storing object\r\n");
  McHarness binary(cfg);  // a connection speaks one protocol: another one for binary
  binary.server().memory().set_probe_for_testing([] { return size_t{5000}; });
  auto r = McParseResponses(binary.Send(McPacket(mcbin::kSet, "k", McSetExtras(0, 0), "v")));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kOutOfMemory);
  EXPECT_EQ(r[0].value, "Out of memory");
  // Reads and deletes still work, as over RESP.
  EXPECT_EQ(h.Send("get k\r\ndelete k\r\n"), "VALUE k 0 1\r\nx\r\nEND\r\nDELETED\r\n");
  EXPECT_EQ(h.Resp("SET a b").substr(0, 4), "-OOM");
  EXPECT_NE(h.Send("stats\r\n").find("STAT store_no_memory 3\r\n"), std::string::npos);
  EXPECT_NE(h.Send("stats\r\n").find("STAT limit_maxbytes 1000\r\n"), std::string::npos);
}

}  // namespace
}  // namespace duet::testing

namespace duet::testing {
namespace {

TEST(McKeyspace, WritesPublishKeyspaceEvents) {
  McHarness h;
  EXPECT_EQ(h.Resp("CONFIG SET notify-keyspace-events KEA"), kOk);
  h.Resp("PSUBSCRIBE __keyevent@0__:*");
  h.Send(
      "set k 0 100 1\r\n1\r\nappend k 0 0 1\r\n2\r\nincr k 1\r\ntouch k 5\r\ndelete k\r\n"
      "get nope\r\n");
  std::string got = h.Resp("PING");
  size_t at = 0;
  for (std::string_view event : {"set", "expire", "append", "incrby", "expire", "del"}) {
    std::string channel = "__keyevent@0__:" + std::string(event);
    size_t pos = got.find(Bulk(channel) + Bulk("k"), at);
    ASSERT_NE(pos, std::string::npos) << event << " in " << got;
    at = pos + 1;
  }
}

}  // namespace
}  // namespace duet::testing
