// Access stamps (LRU clock, LFU counter) and the sampling evictor, on a
// keyspace without a server.
#include "storage/eviction.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "storage/keyspace.h"

namespace duet {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // a fixed Unix time in ms

void Put(Keyspace& ks, const std::string& key, int64_t expire_ms = 0, int db = 0) {
  Entry* e = Entry::NewString(key, "v");
  e->expire_ms = expire_ms;
  ks.db(db).Insert(e);
}

TEST(AccessClock, LruStampsAndIdleTime) {
  Keyspace ks(1);
  AccessClock& clock = ks.access_clock();
  clock.now_ms = kT0;
  Put(ks, "a");
  Entry* e = ks.db(0).Peek("a");
  EXPECT_EQ(EntryIdleMs(*e, clock), 0);
  clock.now_ms += 2500;
  EXPECT_EQ(EntryIdleMs(*e, clock), 2500);
  // FindNoTouch leaves the stamp; Find records an access.
  ks.db(0).FindNoTouch("a", clock.now_ms);
  EXPECT_EQ(EntryIdleMs(*e, clock), 2500);
  ks.db(0).Find("a", clock.now_ms);
  EXPECT_EQ(EntryIdleMs(*e, clock), 0);
  SetEntryIdleSeconds(e, 30, clock);
  EXPECT_EQ(EntryIdleMs(*e, clock), 30000);
  // A frozen clock records nothing.
  clock.frozen = true;
  ks.db(0).Find("a", clock.now_ms);
  EXPECT_EQ(EntryIdleMs(*e, clock), 30000);
}

TEST(AccessClock, LruClockWraps) {
  AccessClock clock;
  clock.now_ms = (int64_t{1} << 32) * kLruResolutionMs - 1000;  // just before the wrap
  Entry* e = Entry::NewString("k", "v");
  StampNewEntry(e, clock);
  clock.now_ms += 3000;  // past it
  EXPECT_EQ(EntryIdleMs(*e, clock), 3000);
  Entry::Free(e);
}

TEST(AccessClock, LfuCounterGrowsLogarithmicallyAndDecays) {
  AccessClock clock;
  clock.now_ms = kT0;
  clock.lfu = true;
  Entry* e = Entry::NewString("k", "v");
  StampNewEntry(e, clock);
  EXPECT_EQ(EntryLfuCounter(*e, clock), kLfuInitCounter);
  clock.lfu_log_factor = 0;  // every access counts
  for (int i = 0; i < 10; ++i) TouchEntry(e, clock);
  EXPECT_EQ(EntryLfuCounter(*e, clock), 15);
  clock.lfu_log_factor = 10;
  for (int i = 0; i < 100000; ++i) TouchEntry(e, clock);
  uint8_t after = EntryLfuCounter(*e, clock);
  EXPECT_GT(after, 100);
  EXPECT_LT(after, 200);
  // One point per lfu-decay-time minutes.
  clock.lfu_decay_time = 2;
  clock.now_ms += 10 * 60 * 1000;
  EXPECT_EQ(EntryLfuCounter(*e, clock), after - 5);
  clock.now_ms += 24 * 60 * 60 * 1000;
  EXPECT_EQ(EntryLfuCounter(*e, clock), 0);
  clock.lfu_decay_time = 0;
  EXPECT_EQ(EntryLfuCounter(*e, clock), after);
  // The counter saturates at 255.
  clock.lfu_log_factor = 0;
  for (int i = 0; i < 1000; ++i) TouchEntry(e, clock);
  EXPECT_EQ(EntryLfuCounter(*e, clock), 255);
  SetEntryLfuCounter(e, 42, clock);
  EXPECT_EQ(EntryLfuCounter(*e, clock), 42);
  Entry::Free(e);
}

TEST(AccessClock, OverwriteKeepsLfuHistory) {
  Keyspace ks(1);
  AccessClock& clock = ks.access_clock();
  clock.now_ms = kT0;
  clock.lfu = true;
  clock.lfu_log_factor = 0;
  Put(ks, "k");
  for (int i = 0; i < 7; ++i) ks.db(0).Find("k", clock.now_ms);
  Entry* old = ks.db(0).Peek("k");
  ks.db(0).ReplaceEntry(old, Entry::NewString("k", "w"), false);
  EXPECT_EQ(EntryLfuCounter(*ks.db(0).Peek("k"), clock), 12);
}

TEST(Evictor, NoEvictionAndEmptyKeyspaces) {
  Keyspace ks(2);
  Evictor ev;
  EvictionCandidate out;
  EXPECT_FALSE(ev.PickVictim(ks, EvictionPolicy::kAllKeysLru, 5, ks.access_clock(), &out));
  EXPECT_FALSE(ev.PickVictim(ks, EvictionPolicy::kAllKeysRandom, 5, ks.access_clock(), &out));
  Put(ks, "a");
  EXPECT_FALSE(ev.PickVictim(ks, EvictionPolicy::kNoEviction, 5, ks.access_clock(), &out));
  // Volatile policies see only keys with a TTL.
  for (EvictionPolicy p : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileLfu,
                           EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileTtl}) {
    EXPECT_FALSE(ev.PickVictim(ks, p, 5, ks.access_clock(), &out));
  }
  Put(ks, "t", kT0 + 100000, 1);
  for (EvictionPolicy p : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileLfu,
                           EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileTtl}) {
    ASSERT_TRUE(ev.PickVictim(ks, p, 5, ks.access_clock(), &out));
    EXPECT_EQ(out.db, 1);
    EXPECT_EQ(out.key, "t");
  }
}

// Evicts `n` keys under `policy`, returning them.
std::set<std::string> EvictN(Keyspace& ks, Evictor& ev, EvictionPolicy policy, int n,
                             int samples = 5) {
  std::set<std::string> gone;
  EvictionCandidate out;
  for (int i = 0; i < n; ++i) {
    if (!ev.PickVictim(ks, policy, samples, ks.access_clock(), &out)) break;
    EXPECT_TRUE(ks.db(out.db).Delete(out.key));
    gone.insert(out.key);
  }
  return gone;
}

TEST(Evictor, LruApproximatesLeastRecentlyUsed) {
  Keyspace ks(1);
  AccessClock& clock = ks.access_clock();
  clock.now_ms = kT0;
  for (int i = 0; i < 1000; ++i) {
    Put(ks, "k" + std::to_string(i));
    clock.now_ms += 20;
  }
  // Half of the keys are evicted; with a pool of candidates, nearly all of
  // them come from the older half.
  Evictor ev;
  std::set<std::string> gone = EvictN(ks, ev, EvictionPolicy::kAllKeysLru, 500);
  int old = 0;
  for (int i = 0; i < 500; ++i) old += gone.count("k" + std::to_string(i));
  EXPECT_GT(old, 400);
  // More samples get closer to exact LRU.
  Keyspace ks2(1);
  ks2.access_clock().now_ms = kT0;
  for (int i = 0; i < 1000; ++i) {
    Put(ks2, "k" + std::to_string(i));
    ks2.access_clock().now_ms += 20;
  }
  Evictor ev2;
  std::set<std::string> gone2 = EvictN(ks2, ev2, EvictionPolicy::kAllKeysLru, 500, 10);
  int old2 = 0;
  for (int i = 0; i < 500; ++i) old2 += gone2.count("k" + std::to_string(i));
  EXPECT_GE(old2, old);
}

TEST(Evictor, LfuEvictsTheLeastFrequentlyUsed) {
  Keyspace ks(1);
  AccessClock& clock = ks.access_clock();
  clock.now_ms = kT0;
  clock.lfu = true;
  clock.lfu_log_factor = 0;
  for (int i = 0; i < 100; ++i) Put(ks, "k" + std::to_string(i));
  for (int i = 0; i < 10; ++i) {
    for (int r = 0; r < 20; ++r) ks.db(0).Find("k" + std::to_string(i), clock.now_ms);
  }
  Evictor ev;
  std::set<std::string> gone = EvictN(ks, ev, EvictionPolicy::kAllKeysLfu, 80);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(gone.count("k" + std::to_string(i)), 0u) << i;
}

TEST(Evictor, VolatileTtlPrefersTheNearestExpiry) {
  Keyspace ks(1);
  ks.access_clock().now_ms = kT0;
  for (int i = 0; i < 10; ++i) Put(ks, "t" + std::to_string(i), kT0 + 1000 * (10 - i));
  Put(ks, "forever");
  Evictor ev;
  EvictionCandidate out;
  ASSERT_TRUE(ev.PickVictim(ks, EvictionPolicy::kVolatileTtl, 64, ks.access_clock(), &out));
  EXPECT_EQ(out.key, "t9");
  std::set<std::string> gone = EvictN(ks, ev, EvictionPolicy::kVolatileTtl, 20, 20);
  EXPECT_EQ(gone.size(), 10u);
  EXPECT_EQ(gone.count("forever"), 0u);
}

TEST(Evictor, SkipsKeysDeletedSincePooled) {
  Keyspace ks(1);
  ks.access_clock().now_ms = kT0;
  for (int i = 0; i < 50; ++i) Put(ks, "k" + std::to_string(i));
  ks.access_clock().now_ms += 1000;
  Evictor ev;
  EvictionCandidate out;
  ASSERT_TRUE(ev.PickVictim(ks, EvictionPolicy::kAllKeysLru, 16, ks.access_clock(), &out));
  ks.db(0).Clear();
  Put(ks, "fresh");
  ASSERT_TRUE(ev.PickVictim(ks, EvictionPolicy::kAllKeysLru, 5, ks.access_clock(), &out));
  EXPECT_EQ(out.key, "fresh");
}

TEST(Evictor, RandomVisitsEveryDatabase) {
  Keyspace ks(3);
  Put(ks, "a", 0, 0);
  Put(ks, "b", 0, 2);
  Evictor ev;
  std::set<std::string> gone = EvictN(ks, ev, EvictionPolicy::kAllKeysRandom, 5);
  EXPECT_EQ(gone, (std::set<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace duet
