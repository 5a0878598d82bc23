#include "storage/memcache_ops.h"

#include <gtest/gtest.h>

#include "storage/hash_value.h"
#include "storage/string_ops.h"

namespace duet {
namespace {

class McOpsTest : public ::testing::Test {
 protected:
  uint64_t versions_ = 0;
  Database db_{0, &versions_};
  int64_t now_ = 1'700'000'000'000;

  McStoreResult Store(McStoreMode mode, std::string_view key, std::string_view value,
                      uint32_t flags = 0, int64_t expire = 0) {
    McStoreArgs a;
    a.mode = mode;
    a.flags = flags;
    a.expire_ms = expire;
    return McStore(db_, key, value, a, now_);
  }
  std::string Value(std::string_view key) {
    Entry* e = McLookup(db_, key, now_);
    return e == nullptr ? "<miss>" : std::string(e->str());
  }
};

TEST(McExpireAt, ThirtyDayRule) {
  int64_t now = 1'700'000'000'000;
  EXPECT_EQ(McExpireAt(0, now), 0);
  EXPECT_EQ(McExpireAt(-1, now), kMcExpired);
  EXPECT_EQ(McExpireAt(10, now), now + 10'000);
  EXPECT_EQ(McExpireAt(2592000, now), now + 2592000'000LL);
  EXPECT_EQ(McExpireAt(2592001, now), kMcExpired);  // absolute, in 1970
  EXPECT_EQ(McExpireAt(1'800'000'000, now), 1'800'000'000'000LL);
  EXPECT_EQ(McExpireAt(1'700'000'000, now), kMcExpired);  // absolute, now
}

TEST(McParseCounter, MemcachedRules) {
  uint64_t v;
  EXPECT_TRUE(McParseCounter("12", &v));
  EXPECT_EQ(v, 12u);
  EXPECT_TRUE(McParseCounter(" 12", &v));
  EXPECT_TRUE(McParseCounter("12 ", &v));
  EXPECT_TRUE(McParseCounter("12 x", &v));  // stops at the first space
  EXPECT_TRUE(McParseCounter("+5", &v));
  EXPECT_EQ(v, 5u);
  EXPECT_TRUE(McParseCounter("-0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(McParseCounter("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_FALSE(McParseCounter("18446744073709551616", &v));
  EXPECT_FALSE(McParseCounter("-1", &v));
  EXPECT_FALSE(McParseCounter("", &v));
  EXPECT_FALSE(McParseCounter("  ", &v));
  EXPECT_FALSE(McParseCounter("12abc", &v));
  EXPECT_FALSE(McParseCounter("abc", &v));
}

TEST_F(McOpsTest, StoreModes) {
  EXPECT_EQ(Store(McStoreMode::kReplace, "k", "v").status, McStoreStatus::kNotStored);
  EXPECT_EQ(Store(McStoreMode::kAppend, "k", "v").status, McStoreStatus::kNotStored);
  EXPECT_EQ(Store(McStoreMode::kAdd, "k", "mid", 3).status, McStoreStatus::kStored);
  EXPECT_EQ(Store(McStoreMode::kAdd, "k", "x").status, McStoreStatus::kNotStored);
  EXPECT_EQ(Store(McStoreMode::kAppend, "k", ">", 9).status, McStoreStatus::kStored);
  EXPECT_EQ(Store(McStoreMode::kPrepend, "k", "<").status, McStoreStatus::kStored);
  EXPECT_EQ(Value("k"), "<mid>");
  EXPECT_EQ(McLookup(db_, "k", now_)->mc_flags, 3u);  // append keeps the flags
  EXPECT_EQ(Store(McStoreMode::kReplace, "k", "new", 7).status, McStoreStatus::kStored);
  EXPECT_EQ(McLookup(db_, "k", now_)->mc_flags, 7u);
}

TEST_F(McOpsTest, EveryWriteRenewsTheVersion) {
  uint64_t v1 = Store(McStoreMode::kSet, "k", "1").entry->version;
  uint64_t v2 = Store(McStoreMode::kSet, "k", "1").entry->version;
  EXPECT_NE(v1, v2);
  McDeltaArgs inc;
  inc.delta = 1;
  uint64_t v3 = McDelta(db_, "k", inc, now_).entry->version;
  EXPECT_NE(v2, v3);
  StringAppend(db_, "k", "0", SIZE_MAX, now_);  // a RESP write
  EXPECT_NE(McLookup(db_, "k", now_)->version, v3);
  // touch does not change the CAS unique.
  uint64_t v4 = McLookup(db_, "k", now_)->version;
  EXPECT_TRUE(McTouch(db_, "k", now_ + 5000, now_));
  EXPECT_EQ(McLookup(db_, "k", now_)->version, v4);
}

TEST_F(McOpsTest, CompareAndSwap) {
  McStoreArgs a;
  a.check_cas = true;
  a.cas = 1;
  EXPECT_EQ(McStore(db_, "k", "v", a, now_).status, McStoreStatus::kNotFound);
  uint64_t v = Store(McStoreMode::kSet, "k", "v").entry->version;
  a.cas = v + 1;
  EXPECT_EQ(McStore(db_, "k", "w", a, now_).status, McStoreStatus::kExists);
  a.cas = v;
  EXPECT_EQ(McStore(db_, "k", "w", a, now_).status, McStoreStatus::kStored);
  EXPECT_EQ(Value("k"), "w");
  EXPECT_EQ(McDelete(db_, "k", true, v, now_), McDeleteStatus::kExists);
}

TEST_F(McOpsTest, OtherTypesAreNotItems) {
  db_.Insert(Entry::New("l", HashValue()));
  EXPECT_EQ(McLookup(db_, "l", now_), nullptr);
  EXPECT_EQ(Store(McStoreMode::kReplace, "l", "v").status, McStoreStatus::kNotStored);
  EXPECT_EQ(Store(McStoreMode::kAppend, "l", "v").status, McStoreStatus::kNotStored);
  EXPECT_EQ(Store(McStoreMode::kAdd, "l", "v").status, McStoreStatus::kNotStored);
  EXPECT_FALSE(McTouch(db_, "l", 0, now_));
  EXPECT_EQ(McDelete(db_, "l", false, 0, now_), McDeleteStatus::kNotFound);
  McDeltaArgs inc;
  inc.create = true;
  EXPECT_EQ(McDelta(db_, "l", inc, now_).status, McDeltaStatus::kNotFound);
  // set replaces whatever is there.
  EXPECT_EQ(Store(McStoreMode::kSet, "l", "v", 4).status, McStoreStatus::kStored);
  EXPECT_EQ(Value("l"), "v");
}

TEST_F(McOpsTest, DeltaWrapsAndStops) {
  Store(McStoreMode::kSet, "n", "18446744073709551615", 6);
  McDeltaArgs inc;
  inc.delta = 2;
  EXPECT_EQ(McDelta(db_, "n", inc, now_).value, 1u);
  McDeltaArgs dec;
  dec.incr = false;
  dec.delta = 10;
  EXPECT_EQ(McDelta(db_, "n", dec, now_).value, 0u);
  EXPECT_EQ(Value("n"), "0");
  EXPECT_EQ(McLookup(db_, "n", now_)->mc_flags, 6u);
  Store(McStoreMode::kSet, "s", "abc");
  EXPECT_EQ(McDelta(db_, "s", inc, now_).status, McDeltaStatus::kNonNumeric);
  EXPECT_EQ(McDelta(db_, "missing", inc, now_).status, McDeltaStatus::kNotFound);
  McDeltaArgs create = inc;
  create.create = true;
  create.initial = 40;
  EXPECT_EQ(McDelta(db_, "c", create, now_).value, 40u);
  EXPECT_EQ(McDelta(db_, "c", create, now_).value, 42u);
}

TEST_F(McOpsTest, ExpiredStoresRemoveTheKey) {
  Store(McStoreMode::kSet, "k", "v");
  McStoreResult r = Store(McStoreMode::kSet, "k", "w", 0, kMcExpired);
  EXPECT_EQ(r.status, McStoreStatus::kStored);
  EXPECT_EQ(r.entry, nullptr);
  EXPECT_EQ(db_.size(), 0u);
  Store(McStoreMode::kSet, "k", "v", 0, now_ + 1000);
  EXPECT_EQ(McLookup(db_, "k", now_ + 999)->expire_ms, now_ + 1000);
  EXPECT_EQ(McLookup(db_, "k", now_ + 1000), nullptr);
  Store(McStoreMode::kSet, "k", "v");
  EXPECT_TRUE(McTouch(db_, "k", kMcExpired, now_));
  EXPECT_EQ(db_.size(), 0u);
}

}  // namespace
}  // namespace duet
