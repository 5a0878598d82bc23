#include "storage/intset.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "storage/random.h"

namespace duet {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(IntsetTest, EmptyHeader) {
  Intset is;
  EXPECT_EQ(is.Length(), 0u);
  EXPECT_EQ(is.Encoding(), 2u);
  EXPECT_EQ(is.Blob(), Bytes({2, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(IntsetTest, Int16LayoutMatchesRedis) {
  Intset is;
  EXPECT_TRUE(is.Add(3));
  EXPECT_TRUE(is.Add(1));
  EXPECT_TRUE(is.Add(2));
  EXPECT_FALSE(is.Add(2));
  // Bytes taken from DUMP of SADD k 1 2 3 in Redis 7.0.
  EXPECT_EQ(is.Blob(), Bytes({2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0}));
}

TEST(IntsetTest, UpgradeTo32AppendsAtEnd) {
  Intset is;
  for (int v : {1, 2, 3}) is.Add(v);
  EXPECT_TRUE(is.Add(70000));
  EXPECT_EQ(is.Encoding(), 4u);
  EXPECT_EQ(is.Blob(), Bytes({4, 0, 0, 0, 4, 0, 0, 0, 1,    0,    0,    0,
                              2, 0, 0, 0, 3, 0, 0, 0, 0x70, 0x11, 0x01, 0x00}));
}

TEST(IntsetTest, UpgradeTo64PrependsNegative) {
  Intset is;
  for (int64_t v : {1, 2, 3, 70000}) is.Add(v);
  EXPECT_TRUE(is.Add(-5000000000LL));
  EXPECT_EQ(is.Encoding(), 8u);
  ASSERT_EQ(is.Length(), 5u);
  EXPECT_EQ(is.Get(0), -5000000000LL);
  EXPECT_EQ(is.Get(4), 70000);
  EXPECT_EQ(is.Blob().substr(8, 8), Bytes({0x00, 0x0e, 0xfa, 0xd5, 0xfe, 0xff, 0xff, 0xff}));
  EXPECT_EQ(is.BlobBytes(), 8u + 5 * 8);
}

TEST(IntsetTest, UpgradeStraightFrom16To64) {
  Intset is;
  is.Add(-1);
  is.Add(1);
  EXPECT_TRUE(is.Add(INT64_MAX));
  EXPECT_TRUE(is.Add(INT64_MIN));
  EXPECT_EQ(is.Encoding(), 8u);
  EXPECT_EQ(is.Get(0), INT64_MIN);
  EXPECT_EQ(is.Get(1), -1);
  EXPECT_EQ(is.Get(2), 1);
  EXPECT_EQ(is.Get(3), INT64_MAX);
}

TEST(IntsetTest, RemoveKeepsEncoding) {
  Intset is;
  is.Add(5);
  is.Add(1 << 20);
  EXPECT_TRUE(is.Remove(1 << 20));
  EXPECT_FALSE(is.Remove(1 << 20));
  EXPECT_FALSE(is.Remove(INT64_MAX));  // wider than any element: absent
  EXPECT_EQ(is.Encoding(), 4u);
  EXPECT_EQ(is.Length(), 1u);
  EXPECT_EQ(is.BlobBytes(), 12u);
}

TEST(IntsetTest, FindOutsideEncodingRange) {
  Intset is;
  is.Add(7);
  EXPECT_TRUE(is.Find(7));
  EXPECT_FALSE(is.Find(70000));
  EXPECT_FALSE(is.Find(-70000));
  EXPECT_FALSE(is.Find(INT64_MIN));
}

TEST(IntsetTest, RandomOperationsMatchModel) {
  SeedRandom(42);
  Intset is;
  std::set<int64_t> model;
  const int64_t ranges[] = {100, 40000, 3000000000LL, INT64_MAX};
  for (int i = 0; i < 20000; ++i) {
    const int64_t range = ranges[(i / 5000) % 4];
    int64_t v = static_cast<int64_t>(RandomU64() % static_cast<uint64_t>(range));
    if (RandomU64() & 1) v = -v;
    if (RandomU64() % 3 == 0) {
      EXPECT_EQ(is.Remove(v), model.erase(v) == 1);
    } else {
      EXPECT_EQ(is.Add(v), model.insert(v).second);
    }
  }
  ASSERT_EQ(is.Length(), model.size());
  uint32_t i = 0;
  for (int64_t v : model) {
    EXPECT_EQ(is.Get(i++), v);
    EXPECT_TRUE(is.Find(v));
  }
  EXPECT_TRUE(Intset::Validate(is.Blob(), true));
}

TEST(IntsetTest, RandomReturnsMembers) {
  Intset is;
  for (int v = 0; v < 10; ++v) is.Add(v * 3);
  std::set<int64_t> seen;
  for (int i = 0; i < 500; ++i) {
    const int64_t v = is.Random();
    EXPECT_TRUE(is.Find(v));
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(IntsetTest, ValidateRejectsBadBlobs) {
  Intset is;
  is.Add(1);
  is.Add(2);
  std::string good(is.Blob());
  EXPECT_TRUE(Intset::Validate(good, true));

  EXPECT_FALSE(Intset::Validate(good.substr(0, 7), false));                // short header
  EXPECT_FALSE(Intset::Validate(good.substr(0, 11), false));               // truncated
  EXPECT_FALSE(Intset::Validate(good + "xx", false));                      // trailing bytes
  EXPECT_FALSE(Intset::Validate(Bytes({2, 0, 0, 0, 0, 0, 0, 0}), false));  // empty

  std::string bad_enc = good;
  bad_enc[0] = 3;
  EXPECT_FALSE(Intset::Validate(bad_enc, false));

  std::string huge_len = good;
  huge_len[7] = static_cast<char>(0x80);
  EXPECT_FALSE(Intset::Validate(huge_len, false));

  std::string unsorted = Bytes({2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0});
  EXPECT_TRUE(Intset::Validate(unsorted, false));
  EXPECT_FALSE(Intset::Validate(unsorted, true));
  std::string dup = Bytes({2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0});
  EXPECT_FALSE(Intset::Validate(dup, true));
  EXPECT_FALSE(Intset::FromBlob(dup).has_value());
}

TEST(IntsetTest, FromBlobRoundTrip) {
  Intset is;
  for (int64_t v : {-3LL, 9LL, 100000LL, 1LL << 40}) is.Add(v);
  auto copy = Intset::FromBlob(is.Blob());
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->Blob(), is.Blob());
  EXPECT_TRUE(copy->Add(10));
  EXPECT_EQ(copy->Length(), 5u);
}

TEST(IntsetTest, MoveTransfersOwnership) {
  Intset a;
  a.Add(11);
  Intset b(std::move(a));
  EXPECT_TRUE(b.Find(11));
  Intset c;
  c = std::move(b);
  EXPECT_EQ(c.Length(), 1u);
}

}  // namespace
}  // namespace duet
