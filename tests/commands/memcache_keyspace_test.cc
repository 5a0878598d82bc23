// One keyspace: memcached items are string keys in memcached-db, seen and
// changed by RESP commands too (README "Memcached").
#include "storage/hash_value.h"
#include "tests/commands/memcache_harness.h"

namespace duet::testing {
namespace {

void AddHash(McHarness& h, std::string_view key, int db = 0) {
  h.server().keyspace().db(db).Insert(Entry::NewObject(key, ValueType::kHash, new HashValue()));
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
  for (std::string_view cmd : {"APPEND k 0", "INCR k", "SETRANGE k 0 9", "SET k 5",
                               "INCRBYFLOAT k 1.5", "GETSET k x", "SETBIT k 1 0"}) {  // bit 1 of "x" is 1
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
