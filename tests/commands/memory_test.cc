// maxmemory, eviction policies, OBJECT IDLETIME/FREQ and MEMORY through the
// real dispatcher. Used memory comes from a test probe (100 bytes per key),
// so limits are exact and the tests do not depend on the allocator.
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

const std::string kOom = Err("OOM command not allowed when used memory > 'maxmemory'.");
constexpr size_t kBytesPerKey = 100;

// A harness whose used memory is 100 bytes per key, limited to `keys` keys.
struct Cache {
  explicit Cache(const char* policy, int keys = 10) {
    Server& s = h.server();
    s.memory().set_probe_for_testing([&s] { return s.keyspace().TotalKeys() * kBytesPerKey; });
    EXPECT_EQ(h.Run({"CONFIG", "SET", "maxmemory-policy", policy}), kOk);
    EXPECT_EQ(h.Run({"CONFIG", "SET", "maxmemory", std::to_string(keys * kBytesPerKey)}), kOk);
  }
  int64_t Keys() { return static_cast<int64_t>(h.server().keyspace().TotalKeys()); }
  uint64_t Evicted() { return h.server().stats().evicted_keys; }
  Harness h;
};

std::string Key(int i) { return "k" + std::to_string(i); }

TEST(Maxmemory, NoEvictionRefusesWritesButServesReads) {
  Cache c("noeviction");
  for (int i = 0; i < 11; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk) << i;
  // 11 keys = 1100 bytes > 1000: the next write that may add memory fails.
  EXPECT_EQ(c.h.Run({"SET", "more", "v"}), kOom);
  EXPECT_EQ(c.h.Run({"APPEND", "k1", "x"}), kOom);
  EXPECT_EQ(c.h.Run({"GET", "k1"}), Bulk("v"));
  EXPECT_EQ(c.h.Run({"EXISTS", "k2"}), Int(1));
  // DEL is not denyoom: it runs and makes room.
  EXPECT_EQ(c.h.Run({"DEL", "k1", "k2"}), Int(2));
  EXPECT_EQ(c.h.Run({"SET", "more", "v"}), kOk);
  EXPECT_EQ(c.Evicted(), 0u);
  std::string stats = c.h.Cmd("INFO commandstats");
  EXPECT_TRUE(Has(stats, "cmdstat_set:calls=12,"));
  EXPECT_TRUE(Has(stats, "rejected_calls=1,failed_calls=0")) << stats;
  EXPECT_TRUE(Has(c.h.Cmd("INFO errorstats"), "errorstat_OOM:count=2"));
}

// Redis refuses every queued command when out of memory (queueing takes
// memory too), and an EXEC whose queue holds a denyoom command is refused
// with EXECABORT and discards the transaction.
TEST(Maxmemory, TransactionsUnderMemoryPressure) {
  Cache c("noeviction");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk) << i;
  EXPECT_EQ(c.h.Run({"MULTI"}), kOk);
  EXPECT_EQ(c.h.Run({"SET", "k0", "w"}), "+QUEUED\r\n");
  ASSERT_EQ(c.h.Run({"EXEC"}), std::string("*1\r\n") + kOk);  // at the limit, not over it

  EXPECT_EQ(c.h.Run({"MULTI"}), kOk);
  EXPECT_EQ(c.h.Run({"SET", "k0", "x"}), "+QUEUED\r\n");
  EXPECT_EQ(c.h.Run({"SET", "k10", "v"}), "+QUEUED\r\n");
  // Another client pushes memory over the limit while the queue waits.
  c.h.server().memory().set_probe_for_testing([] { return size_t{5000}; });
  EXPECT_EQ(c.h.Run({"GET", "k0"}), kOom);
  EXPECT_EQ(c.h.Run({"EXEC"}),
            Err("EXECABORT Transaction discarded because of: OOM command not allowed when used "
                "memory > 'maxmemory'."));
  EXPECT_EQ(c.h.Run({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(c.h.Run({"GET", "k0"}), Bulk("w"));

  // A queue of reads only: EXEC runs the check for the refused GET instead.
  EXPECT_EQ(c.h.Run({"MULTI"}), kOk);
  EXPECT_EQ(c.h.Run({"GET", "k0"}), kOom);
  EXPECT_EQ(c.h.Run({"EXEC"}), Err("EXECABORT Transaction discarded because of previous errors."));
  EXPECT_EQ(c.h.Run({"MULTI"}), kOk);
  EXPECT_EQ(c.h.Run({"DISCARD"}), kOk);
}

TEST(Maxmemory, AllKeysLruKeepsTheLimitAndCountsEvictions) {
  Cache c("allkeys-lru");
  for (int i = 0; i < 100; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk) << i;
  // Each write first brings memory back within the limit, then adds one key.
  EXPECT_EQ(c.Keys(), 11);
  EXPECT_EQ(c.Evicted(), 89u);
  EXPECT_TRUE(Has(c.h.Cmd("INFO stats"), "evicted_keys:89\r\n"));
  std::string mem = c.h.Cmd("INFO memory");
  EXPECT_TRUE(Has(mem, "maxmemory:1000\r\n"));
  EXPECT_TRUE(Has(mem, "maxmemory_human:1000B\r\n"));
  EXPECT_TRUE(Has(mem, "maxmemory_policy:allkeys-lru\r\n"));
  EXPECT_TRUE(Has(mem, "used_memory:1100\r\n"));
}

TEST(Maxmemory, LruEvictsTheLeastRecentlyUsed) {
  Cache c("allkeys-lru", 20);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
    c.h.AdvanceTime(100);
  }
  // Keys 0..4 are the oldest writes, but read now.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(c.h.Run({"GET", Key(i)}), Bulk("v"));
  c.h.AdvanceTime(100);
  for (int i = 20; i < 30; ++i) {
    ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
    c.h.AdvanceTime(100);
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.h.Run({"EXISTS", Key(i)}), Int(1)) << i;
  // The evicted keys are the old ones nobody read.
  int old_left = 0;
  for (int i = 5; i < 20; ++i) old_left += c.h.Run({"EXISTS", Key(i)}) == Int(1);
  EXPECT_LE(old_left, 6);
}

TEST(Maxmemory, ReadsNeverEvict) {
  Cache c("allkeys-lru");
  for (int i = 0; i < 11; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  // Now over the limit: lower it further without a CONFIG SET (no eviction).
  c.h.server().config().maxmemory = 500;
  for (int i = 0; i < 11; ++i) EXPECT_EQ(c.h.Run({"GET", Key(i)}), Bulk("v"));
  EXPECT_EQ(c.Keys(), 11);
  EXPECT_EQ(c.h.Run({"SET", "w", "v"}), kOk);
  EXPECT_EQ(c.Keys(), 6);
}

TEST(Maxmemory, ConfigSetLowerLimitEvictsAtOnce) {
  Cache c("allkeys-random");
  for (int i = 0; i < 11; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  EXPECT_EQ(c.h.Run({"CONFIG", "SET", "maxmemory", "300"}), kOk);
  EXPECT_EQ(c.Keys(), 3);
  EXPECT_EQ(c.Evicted(), 8u);
}

TEST(Maxmemory, CronFinishesEvictions) {
  Cache c("allkeys-random");
  for (int i = 0; i < 11; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  c.h.server().config().maxmemory = 200;
  c.h.server().Cron();
  EXPECT_EQ(c.Keys(), 2);
}

TEST(Maxmemory, VolatilePoliciesOnlyEvictKeysWithATtl) {
  for (const char* policy : {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    Cache c(policy);
    for (int i = 0; i < 8; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
    for (int i = 8; i < 11; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v", "EX", "100"}), kOk);
    EXPECT_EQ(c.h.Run({"SET", "a", "v"}), kOk) << policy;   // evicts one volatile key
    EXPECT_EQ(c.h.Run({"SET", "b", "v"}), kOk) << policy;   // and another
    EXPECT_EQ(c.h.Run({"SET", "c", "v"}), kOk) << policy;   // and the last one
    EXPECT_EQ(c.h.Run({"SET", "d", "v"}), kOom) << policy;  // nothing volatile left
    for (int i = 0; i < 8; ++i) EXPECT_EQ(c.h.Run({"EXISTS", Key(i)}), Int(1)) << policy;
    EXPECT_EQ(c.Evicted(), 3u) << policy;
  }
}

TEST(Maxmemory, VolatileTtlEvictsTheNearestExpiry) {
  Cache c("volatile-ttl", 5);
  ASSERT_EQ(c.h.Run({"SET", "late", "v", "EX", "1000"}), kOk);
  ASSERT_EQ(c.h.Run({"SET", "soon", "v", "EX", "10"}), kOk);
  ASSERT_EQ(c.h.Run({"SET", "mid", "v", "EX", "100"}), kOk);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  ASSERT_EQ(c.h.Run({"SET", "x", "v"}), kOk);
  EXPECT_EQ(c.h.Run({"EXISTS", "soon"}), Int(0));
  EXPECT_EQ(c.h.Run({"EXISTS", "mid"}), Int(1));
  ASSERT_EQ(c.h.Run({"SET", "y", "v"}), kOk);
  EXPECT_EQ(c.h.Run({"EXISTS", "mid"}), Int(0));
  EXPECT_EQ(c.h.Run({"EXISTS", "late"}), Int(1));
}

TEST(Maxmemory, LfuKeepsFrequentlyUsedKeys) {
  Cache c("allkeys-lfu", 20);
  ASSERT_EQ(c.h.Run({"CONFIG", "SET", "lfu-log-factor", "0"}), kOk);  // every access counts
  for (int i = 0; i < 20; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  for (int r = 0; r < 10; ++r) {
    for (int i = 0; i < 5; ++i) c.h.Run({"GET", Key(i)});
  }
  for (int i = 20; i < 40; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.h.Run({"EXISTS", Key(i)}), Int(1)) << i;
}

TEST(Maxmemory, RandomPoliciesEvict) {
  Cache c("allkeys-random");
  for (int i = 0; i < 50; ++i) ASSERT_EQ(c.h.Run({"SET", Key(i), "v"}), kOk);
  EXPECT_EQ(c.Keys(), 11);
}

TEST(Maxmemory, EmptyKeyspaceOverTheLimitRefusesWrites) {
  Harness h;
  h.server().memory().set_probe_for_testing([] { return size_t{5000}; });
  ASSERT_EQ(h.Cmd("CONFIG SET maxmemory-policy allkeys-lru"), kOk);
  ASSERT_EQ(h.Cmd("CONFIG SET maxmemory 1000"), kOk);
  EXPECT_EQ(h.Cmd("SET a b"), kOom);
  EXPECT_EQ(h.Cmd("GET a"), kNil);
}

TEST(ObjectIdleFreq, IdleTimeUnderLru) {
  Harness h;
  ASSERT_EQ(h.Cmd("SET k v"), kOk);
  h.AdvanceTime(5000);
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"), Int(5));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"), Int(5));  // OBJECT is not an access
  EXPECT_EQ(h.Cmd("TTL k"), Int(-1));             // nor are TTL, TYPE, EXISTS
  EXPECT_EQ(h.Cmd("TYPE k"), "+string\r\n");
  EXPECT_EQ(h.Cmd("EXISTS k"), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"), Int(5));
  EXPECT_EQ(h.Cmd("GET k"), Bulk("v"));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"), Int(0));
  h.AdvanceTime(3000);
  EXPECT_EQ(h.Cmd("TOUCH k"), Int(1));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"), Int(0));
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"),
            Err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                "Please note that when switching between policies at runtime LRU and LFU data "
                "will take some time to adjust."));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME nokey"), kNil);
}

TEST(ObjectIdleFreq, FrequencyUnderLfu) {
  Harness h;
  ASSERT_EQ(h.Cmd("CONFIG SET maxmemory-policy allkeys-lfu"), kOk);
  ASSERT_EQ(h.Cmd("CONFIG SET lfu-log-factor 0"), kOk);
  ASSERT_EQ(h.Cmd("SET k v"), kOk);
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"), Int(5));  // a new key starts at 5
  for (int i = 0; i < 10; ++i) h.Cmd("GET k");
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"), Int(15));
  // One decrement per lfu-decay-time minutes of idleness.
  h.AdvanceTime(3 * 60 * 1000);
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"), Int(12));
  // OBJECT FREQ does not store the decay: without decay the stored 15 shows.
  ASSERT_EQ(h.Cmd("CONFIG SET lfu-decay-time 0"), kOk);
  h.AdvanceTime(60 * 60 * 1000);
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"), Int(15));
  // Overwriting keeps the counter (plus the write's own access), as in Redis.
  ASSERT_EQ(h.Cmd("SET k w"), kOk);
  EXPECT_EQ(h.Cmd("OBJECT FREQ k"), Int(16));
  EXPECT_EQ(h.Cmd("OBJECT IDLETIME k"),
            Err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                "that when switching between policies at runtime LRU and LFU data will take "
                "some time to adjust."));
}

TEST(ObjectIdleFreq, LogFactorSlowsTheCounter) {
  Harness h;
  ASSERT_EQ(h.Cmd("CONFIG SET maxmemory-policy volatile-lfu"), kOk);
  ASSERT_EQ(h.Cmd("SET k v"), kOk);
  for (int i = 0; i < 1000; ++i) h.Cmd("GET k");
  // With the default factor 10, 1000 hits give a counter near 5 + 18.
  std::string freq = h.Cmd("OBJECT FREQ k");
  int64_t v = std::stoll(freq.substr(1));
  EXPECT_GE(v, 12);
  EXPECT_LE(v, 30);
}

TEST(MemoryCommands, Usage) {
  Harness h;
  ASSERT_EQ(h.Cmd("SET k v"), kOk);
  std::string small = h.Cmd("MEMORY USAGE k");
  ASSERT_EQ(small[0], ':');
  EXPECT_GE(std::stoll(small.substr(1)), 48);
  ASSERT_EQ(h.Run({"SET", "big", std::string(10000, 'x')}), kOk);
  EXPECT_GE(std::stoll(h.Cmd("MEMORY USAGE big").substr(1)), 10000);
  EXPECT_EQ(h.Cmd("MEMORY USAGE nokey"), kNil);
  EXPECT_EQ(h.Cmd("MEMORY USAGE k SAMPLES 0"), small);
  EXPECT_EQ(h.Cmd("MEMORY USAGE k samples 5"), small);
  EXPECT_EQ(h.Cmd("MEMORY USAGE k SAMPLES"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("MEMORY USAGE k SAMPLES -1"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("MEMORY USAGE k SAMPLES abc"),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("MEMORY USAGE k FOO 1"), Err("ERR syntax error"));
}

TEST(MemoryCommands, StatsDoctorPurgeHelp) {
  Harness h;
  ASSERT_EQ(h.Cmd("SET k v"), kOk);
  std::string stats = h.Cmd("MEMORY STATS");
  EXPECT_EQ(stats.substr(0, 4), "*56\r");  // 27 fields + db.0
  EXPECT_TRUE(Has(stats, Bulk("peak.allocated")));
  EXPECT_TRUE(Has(stats, Bulk("db.0") + "*6\r\n" + Bulk("overhead.hashtable.main")));
  EXPECT_TRUE(Has(stats, Bulk("keys.count") + Int(1)));
  EXPECT_TRUE(Has(stats, Bulk("fragmentation.bytes")));
  EXPECT_EQ(h.Cmd("MEMORY DOCTOR")[0], '$');
  EXPECT_EQ(h.Cmd("MEMORY PURGE"), kOk);
  EXPECT_EQ(h.Cmd("MEMORY MALLOC-STATS")[0], '$');
  EXPECT_EQ(h.Cmd("MEMORY HELP").substr(0, 5), "*13\r\n");
  EXPECT_EQ(h.Cmd("MEMORY FOO"), Err("ERR unknown subcommand 'FOO'. Try MEMORY HELP."));
  EXPECT_EQ(h.Cmd("MEMORY DOCTOR x"),
            Err("ERR wrong number of arguments for 'memory|doctor' command"));
}

TEST(MemoryCommands, InfoMemoryDefaults) {
  Harness h;
  std::string mem = h.Cmd("INFO memory");
  EXPECT_TRUE(Has(mem, "maxmemory:0\r\n"));
  EXPECT_TRUE(Has(mem, "maxmemory_policy:noeviction\r\n"));
  EXPECT_TRUE(Has(mem, "mem_fragmentation_ratio:"));
  EXPECT_TRUE(Has(mem, "used_memory_rss:"));
}

}  // namespace
}  // namespace duet::testing
