#include "storage/set_value.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/random.h"

namespace duet {
namespace {

std::set<std::string> Members(const SetValue& s) {
  std::set<std::string> out;
  s.ForEach([&](std::string_view m) { out.emplace(m); });
  return out;
}

TEST(SetValueTest, IntegersStayIntset) {
  CollectionLimits limits;
  SetValue s;
  EXPECT_TRUE(s.Add("1", limits));
  EXPECT_TRUE(s.Add("-9223372036854775808", limits));
  EXPECT_TRUE(s.Add("9223372036854775807", limits));
  EXPECT_FALSE(s.Add("1", limits));
  EXPECT_STREQ(s.EncodingName(), "intset");
  EXPECT_EQ(s.Size(), 3u);
  EXPECT_TRUE(s.Contains("9223372036854775807"));
  EXPECT_FALSE(s.Contains("01"));
  EXPECT_FALSE(s.Contains("abc"));
}

TEST(SetValueTest, NonCanonicalIntegersConvert) {
  CollectionLimits limits;
  for (const char* m : {"007", "-0", "+1", " 1", "1 ", "9223372036854775808",
                        "-9223372036854775809", "", "1.0", "0x10"}) {
    SetValue s;
    s.Add("5", limits);
    EXPECT_TRUE(s.Add(m, limits)) << m;
    EXPECT_STREQ(s.EncodingName(), "hashtable") << m;
    EXPECT_TRUE(s.Contains(m)) << m;
    EXPECT_TRUE(s.Contains("5")) << m;
    EXPECT_EQ(s.Size(), 2u);
  }
}

TEST(SetValueTest, ConvertsAboveMaxIntsetEntries) {
  CollectionLimits limits;
  limits.set_max_intset_entries = 4;
  SetValue s;
  for (int i = 0; i < 4; ++i) s.Add(std::to_string(i * 10), limits);
  EXPECT_STREQ(s.EncodingName(), "intset");
  EXPECT_FALSE(s.Add("10", limits));  // duplicate does not count
  EXPECT_STREQ(s.EncodingName(), "intset");
  EXPECT_TRUE(s.Add("40", limits));
  EXPECT_STREQ(s.EncodingName(), "hashtable");
  EXPECT_EQ(Members(s), (std::set<std::string>{"0", "10", "20", "30", "40"}));
  // One-way: shrinking does not go back.
  for (const char* m : {"0", "10", "20", "30"}) EXPECT_TRUE(s.Remove(m));
  EXPECT_FALSE(s.Remove("0"));
  EXPECT_STREQ(s.EncodingName(), "hashtable");
  EXPECT_EQ(s.Size(), 1u);
}

TEST(SetValueTest, ZeroLimitConvertsOnFirstAdd) {
  CollectionLimits limits;
  limits.set_max_intset_entries = 0;
  SetValue s;
  s.Add("1", limits);
  EXPECT_STREQ(s.EncodingName(), "hashtable");
}

TEST(SetValueTest, RemoveFromIntset) {
  CollectionLimits limits;
  SetValue s;
  s.Add("3", limits);
  EXPECT_FALSE(s.Remove("x"));
  EXPECT_FALSE(s.Remove("4"));
  EXPECT_TRUE(s.Remove("3"));
  EXPECT_EQ(s.Size(), 0u);
}

TEST(SetValueTest, PopOneRemovesWhatItReturns) {
  CollectionLimits limits;
  for (bool ints : {true, false}) {
    SetValue s;
    std::set<std::string> model;
    for (int i = 0; i < 50; ++i) {
      std::string m = ints ? std::to_string(i) : "m" + std::to_string(i);
      s.Add(m, limits);
      model.insert(m);
    }
    while (s.Size() > 0) {
      std::string m = s.PopOne();
      EXPECT_EQ(model.erase(m), 1u) << m;
      EXPECT_FALSE(s.Contains(m));
    }
    EXPECT_TRUE(model.empty());
  }
}

TEST(SetValueTest, PopOneCallbackSeesTheRemovedMember) {
  CollectionLimits limits;
  for (bool ints : {true, false}) {
    SetValue s;
    std::set<std::string> model;
    for (int i = 0; i < 50; ++i) {
      std::string m = ints ? std::to_string(i * 1000) : "member-number-" + std::to_string(i);
      s.Add(m, limits);
      model.insert(m);
    }
    while (s.Size() > 0) {
      const size_t before = s.Size();
      std::string seen;
      s.PopOne([&](std::string_view m) {
        seen.assign(m);
        EXPECT_EQ(s.Size(), ints ? before - 1 : before);  // a node is freed only after fn
      });
      EXPECT_EQ(model.erase(seen), 1u) << seen;
      EXPECT_FALSE(s.Contains(seen));
      EXPECT_EQ(s.Size(), before - 1);
    }
    EXPECT_TRUE(model.empty());
  }
}

void CheckPop(SetValue& s, uint64_t count, const CollectionLimits& limits) {
  std::set<std::string> before = Members(s);
  std::vector<std::string> popped;
  s.Pop(count, limits, [&](std::string_view m) { popped.emplace_back(m); });
  const size_t expect = std::min<size_t>(count, before.size());
  ASSERT_EQ(popped.size(), expect);
  std::set<std::string> distinct(popped.begin(), popped.end());
  EXPECT_EQ(distinct.size(), expect);
  std::set<std::string> after = Members(s);
  EXPECT_EQ(after.size(), before.size() - expect);
  for (const auto& m : popped) {
    EXPECT_TRUE(before.count(m));
    EXPECT_FALSE(after.count(m));
  }
  EXPECT_EQ(s.Size(), after.size());
}

TEST(SetValueTest, PopWithCountCoversEveryCase) {
  CollectionLimits limits;
  for (uint64_t count : {0, 1, 10, 80, 95, 100, 150}) {
    for (bool ints : {true, false}) {
      SetValue s;
      for (int i = 0; i < 100; ++i)
        s.Add(ints ? std::to_string(i) : "k" + std::to_string(i), limits);
      CheckPop(s, count, limits);
    }
  }
}

TEST(SetValueTest, PopLeavingFewIntegersRebuildsAnIntset) {
  // Redis rebuilds the remaining members into a new set: integers go back to
  // an intset even though the set had been converted.
  CollectionLimits limits;
  limits.set_max_intset_entries = 16;
  SetValue s;
  for (int i = 0; i < 100; ++i) s.Add(std::to_string(i), limits);
  EXPECT_STREQ(s.EncodingName(), "hashtable");
  CheckPop(s, 90, limits);  // 10 remain: 10 * 5 <= 90
  EXPECT_STREQ(s.EncodingName(), "intset");

  SetValue t;
  for (int i = 0; i < 100; ++i) t.Add(std::to_string(i), limits);
  CheckPop(t, 10, limits);  // 90 remain: popped one at a time
  EXPECT_STREQ(t.EncodingName(), "hashtable");
}

TEST(SetValueTest, RandomPositiveCountIsDistinct) {
  CollectionLimits limits;
  for (bool ints : {true, false}) {
    SetValue s;
    for (int i = 0; i < 100; ++i) s.Add(ints ? std::to_string(i) : "r" + std::to_string(i), limits);
    for (int64_t count : {1, 5, 33, 34, 99, 100, 1000}) {
      std::vector<std::string> got;
      s.Random(count, [&](std::string_view m) { got.emplace_back(m); });
      std::set<std::string> distinct(got.begin(), got.end());
      EXPECT_EQ(got.size(), std::min<size_t>(count, 100));
      EXPECT_EQ(distinct.size(), got.size());
      for (const auto& m : got) EXPECT_TRUE(s.Contains(m));
    }
    EXPECT_EQ(s.Size(), 100u);
  }
}

TEST(SetValueTest, RandomNegativeCountRepeats) {
  CollectionLimits limits;
  for (bool ints : {true, false}) {
    SetValue s;
    for (int i = 0; i < 3; ++i) s.Add(ints ? std::to_string(i) : "n" + std::to_string(i), limits);
    std::vector<std::string> got;
    s.Random(-20, [&](std::string_view m) { got.emplace_back(m); });
    EXPECT_EQ(got.size(), 20u);
    for (const auto& m : got) EXPECT_TRUE(s.Contains(m));
    got.clear();
    s.Random(0, [&](std::string_view m) { got.emplace_back(m); });
    EXPECT_TRUE(got.empty());
  }
}

// Chi-square over 50 members (49 degrees of freedom): Redis's own test
// accepts below 73. A picker that favours short hash chains fails by far.
double ChiSquare(const SetValue& s, int64_t draws, bool one_at_a_time) {
  std::map<std::string, int64_t> hist;
  s.ForEach([&](std::string_view m) { hist[std::string(m)] = 0; });
  if (one_at_a_time) {
    for (int64_t i = 0; i < draws; ++i) ++hist[s.RandomOne()];
  } else {
    s.Random(-draws, [&](std::string_view m) { ++hist[std::string(m)]; });
  }
  const double expected = static_cast<double>(draws) / static_cast<double>(hist.size());
  double chi = 0;
  for (const auto& [m, n] : hist) chi += (n - expected) * (n - expected) / expected;
  return chi;
}

TEST(SetValueTest, RandomIsUniform) {
  SeedRandom(7);
  CollectionLimits limits;
  SetValue ints, strs;
  for (int i = 0; i < 50; ++i) {
    ints.Add(std::to_string(i * 7), limits);
    strs.Add("u" + std::to_string(i), limits);
  }
  EXPECT_LT(ChiSquare(ints, 100000, false), 73);
  EXPECT_LT(ChiSquare(strs, 100000, false), 73);
  EXPECT_LT(ChiSquare(strs, 100000, true), 73);
}

TEST(SetValueTest, ScanIntsetReturnsAllAtOnce) {
  CollectionLimits limits;
  SetValue s;
  for (int i = 0; i < 10; ++i) s.Add(std::to_string(i), limits);
  std::set<std::string> seen;
  EXPECT_EQ(s.Scan(0, [&](std::string_view m) { seen.emplace(m); }), 0u);
  EXPECT_EQ(seen, Members(s));
}

TEST(SetValueTest, ScanReturnsEveryMemberAcrossResize) {
  CollectionLimits limits;
  SetValue s;
  std::set<std::string> original;
  for (int i = 0; i < 1000; ++i) {
    std::string m = "orig" + std::to_string(i);
    s.Add(m, limits);
    original.insert(m);
  }
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0, extra = 0;
  do {
    cursor = s.Scan(cursor, [&](std::string_view m) { seen.emplace(m); });
    // Grow the table mid-scan (several doublings), then shrink it.
    if (step < 200) {
      for (int k = 0; k < 40; ++k) s.Add("extra" + std::to_string(extra++), limits);
    } else {
      for (int k = 0; k < 40 && extra > 0; ++k) s.Remove("extra" + std::to_string(--extra));
    }
    ++step;
  } while (cursor != 0);
  for (const auto& m : original) EXPECT_TRUE(seen.count(m)) << m;
}

TEST(SetValueTest, MemoryBelowRedis) {
  CollectionLimits limits;
  SetValue s;
  char buf[32];
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof(buf), "member%07d", i);
    s.Add(buf, limits);
  }
  EXPECT_STREQ(s.EncodingName(), "hashtable");
  const double per_member = static_cast<double>(s.MemoryUsage()) / n;
  EXPECT_LT(per_member, 50.0);  // Redis 7.0: ~66
  RecordProperty("bytes_per_member", std::to_string(per_member));
}

TEST(SetValueTest, CloneKeepsEncodingAndIsIndependent) {
  CollectionLimits limits;
  SetValue ints, strs;
  for (int i = 0; i < 20; ++i) {
    ints.Add(std::to_string(i), limits);
    strs.Add("c" + std::to_string(i), limits);
  }
  for (SetValue* s : {&ints, &strs}) {
    SetValue copy = s->Clone();
    EXPECT_STREQ(copy.EncodingName(), s->EncodingName());
    EXPECT_EQ(Members(copy), Members(*s));
    copy.Add("extra", limits);
    EXPECT_FALSE(s->Contains("extra"));
    EXPECT_EQ(s->Size(), 20u);
  }
}

TEST(SetValueTest, IntsetMemoryIsItsBlob) {
  CollectionLimits limits;
  SetValue s;
  for (int i = 0; i < 100; ++i) s.Add(std::to_string(i), limits);
  EXPECT_EQ(s.IntsetBlob().size(), 8u + 200);
  EXPECT_LE(s.MemoryUsage(), sizeof(SetValue) + 8 + 200 + 24);
}

}  // namespace
}  // namespace duet
