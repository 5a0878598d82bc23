#include "storage/hash_value.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/listpack.h"

namespace duet {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs AllPairs(const HashValue& h) {
  Pairs out;
  h.ForEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

std::map<std::string, std::string> AsMap(const HashValue& h) {
  std::map<std::string, std::string> out;
  h.ForEach([&](std::string_view f, std::string_view v) { out.emplace(f, v); });
  return out;
}

std::string GetOr(const HashValue& h, std::string_view f, std::string dflt = "<nil>") {
  char buf[lp::kIntBufSize];
  auto v = h.Get(f, buf);
  return v ? std::string(*v) : dflt;
}

CollectionLimits Limits(int64_t entries, int64_t value) {
  CollectionLimits l;
  l.hash_max_listpack_entries = entries;
  l.hash_max_listpack_value = value;
  return l;
}

const CollectionLimits kDefault;

TEST(HashValueTest, ListpackBasics) {
  HashValue h;
  EXPECT_STREQ(h.EncodingName(), "listpack");
  EXPECT_EQ(h.Length(), 0u);
  EXPECT_TRUE(h.Set("name", "duet", kDefault));
  EXPECT_TRUE(h.Set("age", "7", kDefault));
  EXPECT_FALSE(h.Set("age", "-12345", kDefault));
  EXPECT_TRUE(h.Set("123", "", kDefault));
  EXPECT_EQ(h.Length(), 3u);
  EXPECT_EQ(GetOr(h, "age"), "-12345");
  EXPECT_EQ(GetOr(h, "123"), "");
  EXPECT_EQ(GetOr(h, "missing"), "<nil>");
  EXPECT_TRUE(h.Exists("name"));
  EXPECT_FALSE(h.Exists("nam"));
  EXPECT_EQ(h.StrLen("age"), 6u);
  EXPECT_EQ(h.StrLen("nope"), 0u);
  EXPECT_FALSE(h.SetNx("name", "other", kDefault));
  EXPECT_TRUE(h.SetNx("new", "x", kDefault));
  EXPECT_EQ(AllPairs(h), (Pairs{{"name", "duet"}, {"age", "-12345"}, {"123", ""}, {"new", "x"}}));
  EXPECT_TRUE(h.Delete("age"));
  EXPECT_FALSE(h.Delete("age"));
  EXPECT_EQ(AllPairs(h), (Pairs{{"name", "duet"}, {"123", ""}, {"new", "x"}}));
  // A value equal to a field name is not mistaken for the field.
  EXPECT_TRUE(h.Set("k", "name", kDefault));
  EXPECT_TRUE(h.Delete("name"));
  EXPECT_EQ(GetOr(h, "k"), "name");
  EXPECT_TRUE(lp::Validate(h.listpack(), lp::Bytes(h.listpack())));
}

// Same HSET as in ListpackTest.MatchesRedisDumpOfHash: the blob must be the
// one redis-server 7.0.15 dumped.
TEST(HashValueTest, ListpackBytesMatchRedis) {
  static const char kRedis[] =
      "\x5c\x00\x00\x00\x14\x00\x81\x61\x02\x01\x01\x81\x62\x02\xdf\xff\x02\x81\x63\x02\x85hello"
      "\x06\x81\x64\x02\xf1\x00\x10\x03\x81\x65\x02\xf2\x00\x80\x00\x04\x81\x66\x02\xf3\x00\x00"
      "\x80\x00\x05\x81\x67\x02\xf4\x00\x00\x00\x80\x00\x00\x00\x00\x09\x81\x68\x02\xf4\x00\x00"
      "\x00\x00\x00\x00\x00\x80\x09\x81\x69\x02\x84\x30\x31\x32\x33\x05\x81\x6a\x02\x80\x01\xff";
  HashValue h;
  Pairs in = {{"a", "1"},     {"b", "-1"},      {"c", "hello"},      {"d", "4096"},
              {"e", "32768"}, {"f", "8388608"}, {"g", "2147483648"}, {"h", "-9223372036854775808"},
              {"i", "0123"},  {"j", ""}};
  for (const auto& [f, v] : in) h.Set(f, v, kDefault);
  std::string got(reinterpret_cast<const char*>(h.listpack()), lp::Bytes(h.listpack()));
  EXPECT_EQ(got, std::string(kRedis, sizeof(kRedis) - 1));
}

TEST(HashValueTest, ConvertsWhenEntriesExceedLimit) {
  CollectionLimits l = Limits(4, 64);
  HashValue h;
  for (int i = 0; i < 4; ++i) h.Set("f" + std::to_string(i), std::to_string(i), l);
  EXPECT_STREQ(h.EncodingName(), "listpack");
  h.Set("f0", "updated", l);  // updates never convert
  EXPECT_STREQ(h.EncodingName(), "listpack");
  h.Set("f4", "4", l);
  EXPECT_STREQ(h.EncodingName(), "hashtable");
  EXPECT_EQ(h.Length(), 5u);
  EXPECT_EQ(GetOr(h, "f0"), "updated");
  EXPECT_EQ(GetOr(h, "f4"), "4");
  // One way: shrinking keeps the hashtable.
  for (int i = 0; i < 4; ++i) h.Delete("f" + std::to_string(i));
  EXPECT_STREQ(h.EncodingName(), "hashtable");
  EXPECT_EQ(AllPairs(h), (Pairs{{"f4", "4"}}));
}

TEST(HashValueTest, ConvertsOnLongFieldOrValue) {
  CollectionLimits l = Limits(128, 64);
  HashValue a;
  a.Set("f", std::string(64, 'x'), l);
  EXPECT_STREQ(a.EncodingName(), "listpack");
  a.Set("f", std::string(65, 'x'), l);  // an update over the limit converts too
  EXPECT_STREQ(a.EncodingName(), "hashtable");
  EXPECT_EQ(GetOr(a, "f"), std::string(65, 'x'));
  HashValue b;
  b.Set(std::string(65, 'k'), "v", l);
  EXPECT_STREQ(b.EncodingName(), "hashtable");
  HashValue c;
  c.Set("a", "1", Limits(0, 64));  // hash-max-listpack-entries 0
  EXPECT_STREQ(c.EncodingName(), "hashtable");
}

TEST(HashValueTest, HashtableUpdatesInPlaceAndByReplacement) {
  HashValue h;
  h.ConvertToHashtable();
  CollectionLimits l = kDefault;
  for (int i = 0; i < 1000; ++i) h.Set("field:" + std::to_string(i), "v" + std::to_string(i), l);
  EXPECT_EQ(h.Length(), 1000u);
  EXPECT_FALSE(h.Set("field:5", "xx", l));                   // shorter: in place
  EXPECT_FALSE(h.Set("field:6", std::string(500, 'L'), l));  // longer: new node
  EXPECT_FALSE(h.Set("field:7", std::string(200, 'M'), l));  // value length varint grows
  EXPECT_FALSE(h.Set("field:7", "", l));
  EXPECT_EQ(GetOr(h, "field:5"), "xx");
  EXPECT_EQ(GetOr(h, "field:6"), std::string(500, 'L'));
  EXPECT_EQ(GetOr(h, "field:7"), "");
  EXPECT_EQ(h.StrLen("field:6"), 500u);
  EXPECT_EQ(GetOr(h, "field:999"), "v999");
  EXPECT_TRUE(h.Delete("field:999"));
  EXPECT_FALSE(h.Exists("field:999"));
  EXPECT_EQ(h.Length(), 999u);
  // Long fields need multi-byte length varints.
  std::string long_field(300, 'F');
  EXPECT_TRUE(h.Set(long_field, "long", l));
  EXPECT_EQ(GetOr(h, long_field), "long");
  EXPECT_TRUE(h.Delete(long_field));
}

TEST(HashValueTest, ScanListpackIsOneShotHashtableCoversAll) {
  HashValue small;
  small.Set("a", "1", kDefault);
  small.Set("b", "2", kDefault);
  Pairs got;
  EXPECT_EQ(small.Scan(0, [&](std::string_view f, std::string_view v) { got.emplace_back(f, v); }),
            0u);
  EXPECT_EQ(got, (Pairs{{"a", "1"}, {"b", "2"}}));

  HashValue big;
  for (int i = 0; i < 3000; ++i) big.Set("k" + std::to_string(i), "v", kDefault);
  ASSERT_STREQ(big.EncodingName(), "hashtable");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = big.Scan(cursor, [&](std::string_view f, std::string_view) { seen.emplace(f); });
    ++calls;
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 3000u);
  EXPECT_GT(calls, 1);
}

TEST(HashValueTest, RandomFieldsBothEncodings) {
  std::mt19937_64 gen(42);
  auto rng = [&]() -> uint64_t { return gen(); };
  for (int n : {10, 300}) {
    HashValue h;
    for (int i = 0; i < n; ++i) h.Set("f" + std::to_string(i), std::to_string(i * 2), kDefault);
    auto fields = AsMap(h);
    for (int64_t count :
         {int64_t{1}, int64_t{3}, int64_t{n / 2}, int64_t{n - 1}, int64_t{n}, int64_t{n + 5}}) {
      std::set<std::string> got;
      size_t emitted = h.RandomFields(count, rng, [&](std::string_view f, std::string_view v) {
        EXPECT_EQ(fields.at(std::string(f)), v);
        EXPECT_TRUE(got.emplace(f).second) << "repeated field " << f;
      });
      EXPECT_EQ(emitted, std::min<size_t>(static_cast<size_t>(count), n));
      EXPECT_EQ(got.size(), emitted);
    }
    size_t emitted = h.RandomFields(-25, rng, [&](std::string_view f, std::string_view) {
      EXPECT_TRUE(fields.count(std::string(f)));
    });
    EXPECT_EQ(emitted, 25u);
    EXPECT_EQ(h.RandomFields(0, rng, [](std::string_view, std::string_view) { FAIL(); }), 0u);
  }
  // Every field of a small listpack hash gets picked eventually.
  HashValue h;
  for (int i = 0; i < 5; ++i) h.Set("f" + std::to_string(i), "v", kDefault);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    h.RandomFields(2, rng, [&](std::string_view f, std::string_view) { seen.emplace(f); });
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(HashValueTest, CloneAndFromListpack) {
  HashValue h;
  h.Set("x", "1", kDefault);
  h.Set("y", "two", kDefault);
  HashValue c = h.Clone();
  c.Set("x", "changed", kDefault);
  EXPECT_EQ(GetOr(h, "x"), "1");
  EXPECT_EQ(GetOr(c, "x"), "changed");
  h.ConvertToHashtable();
  HashValue c2 = h.Clone();
  EXPECT_STREQ(c2.EncodingName(), "hashtable");
  EXPECT_EQ(AsMap(c2), AsMap(h));

  std::vector<std::string_view> items = {"a", "1", "b", "22", "c", "333"};
  HashValue loaded = HashValue::FromListpack(lp::AppendMany(lp::New(), items.data(), items.size()));
  EXPECT_EQ(loaded.Length(), 3u);
  EXPECT_EQ(GetOr(loaded, "c"), "333");
  loaded.ConvertIfOver(Limits(3, 64));
  EXPECT_STREQ(loaded.EncodingName(), "listpack");
  loaded.ConvertIfOver(Limits(3, 2));  // "333" is longer than 2
  EXPECT_STREQ(loaded.EncodingName(), "hashtable");
  EXPECT_EQ(GetOr(loaded, "b"), "22");
  HashValue moved = std::move(loaded);
  EXPECT_EQ(moved.Length(), 3u);
}

// The brief's memory target: Redis 7.0 spends about 77 bytes per field for
// 100k fields "field%07d" with 8-byte values.
TEST(HashValueTest, HashtableMemoryPerFieldBelowRedis) {
  HashValue h;
  for (int i = 0; i < 100000; ++i) {
    char f[16];
    std::snprintf(f, sizeof(f), "field%07d", i);
    h.Set(f, "45678abc", kDefault);  // 8 bytes, not an integer
  }
  ASSERT_STREQ(h.EncodingName(), "hashtable");
  size_t bytes = h.MemoryUsage();
  double per_field = static_cast<double>(bytes) / 100000;
  RecordProperty("bytes_per_field", std::to_string(per_field));
  EXPECT_LT(per_field, 77.0);
  size_t sampled = h.MemoryUsage(/*samples=*/100);
  EXPECT_NEAR(static_cast<double>(sampled), static_cast<double>(bytes), bytes * 0.1);
}

TEST(HashValueTest, RandomOpsAgainstMap) {
  std::mt19937 rng(11);
  CollectionLimits l = Limits(16, 10);
  HashValue h;
  std::map<std::string, std::string> model;
  for (int step = 0; step < 5000; ++step) {
    std::string f = "f" + std::to_string(rng() % 40);
    switch (rng() % 4) {
      case 0:
      case 1: {
        std::string v = rng() % 2 ? std::to_string(static_cast<int>(rng() % 2000) - 1000)
                                  : std::string(rng() % 12, 'v');
        bool added = !model.count(f);
        ASSERT_EQ(h.Set(f, v, l), added);
        model[f] = v;
        break;
      }
      case 2:
        ASSERT_EQ(h.Delete(f), model.erase(f) == 1);
        break;
      default:
        ASSERT_EQ(GetOr(h, f, "<nil>"), model.count(f) ? model[f] : "<nil>");
    }
    ASSERT_EQ(h.Length(), model.size());
  }
  EXPECT_EQ(AsMap(h), model);
}

}  // namespace
}  // namespace duet
