#include "storage/zset_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/random.h"

namespace duet {
namespace {

using Entry = std::pair<std::string, double>;
using Entries = std::vector<Entry>;
using Outcome = ZSetValue::AddOutcome;
constexpr double kInf = std::numeric_limits<double>::infinity();

Entries All(const ZSetValue& z) {
  Entries out;
  z.ForEach([&](std::string_view m, double s) { out.emplace_back(std::string(m), s); });
  return out;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

CollectionLimits ForcedSkiplist() {
  CollectionLimits l;
  l.zset_max_listpack_entries = 0;
  return l;
}

TEST(ZSetValueTest, ListpackBytesMatchRedis) {
  // DUMP of ZADD s 1.1 a 1 b 1e20 c -0.0 d 3.0e2 e in Redis 7.0.15.
  CollectionLimits limits;
  ZSetValue z;
  z.Add("a", 1.1, 0, limits);
  z.Add("b", 1, 0, limits);
  z.Add("c", 1e20, 0, limits);
  z.Add("d", -0.0, 0, limits);
  z.Add("e", 300, 0, limits);
  std::string want = Bytes({0x38, 0,    0,   0, 0x0a, 0, 0x81, 'd', 2, 0x00,
                            1,    0x81, 'b', 2, 0x01, 1, 0x81, 'a', 2, 0x92}) +
                     "1.1000000000000001" +
                     Bytes({0x13, 0x81, 'e', 2, 0xc1, 0x2c, 2, 0x81, 'c', 2, 0x85}) + "1e+20" +
                     Bytes({6, 0xff});
  EXPECT_EQ(z.ListpackBlob(), want);
  EXPECT_STREQ(z.EncodingName(), "listpack");
  EXPECT_EQ(*z.Score("a"), 1.1);
  EXPECT_EQ(*z.Score("c"), 1e20);
}

TEST(ZSetValueTest, LargeIntegralScoresAreIntEntriesLikeRedis) {
  // DUMP of ZADD s 123456789012345678 a 4611686018427387904 b in Redis 7.0.15:
  // integral scores up to 2^62 are int64 entries, not %.17g text.
  CollectionLimits limits;
  ZSetValue z;
  z.Add("a", 123456789012345678.0, 0, limits);
  z.Add("b", 4611686018427387904.0, 0, limits);
  const std::string want = Bytes({0x21, 0,    0,    0,    4,    0,    0x81, 'a', 2,    0xf4, 0x50,
                                  0xf3, 0x30, 0xa6, 0x4b, 0x9b, 0xb6, 0x01, 9,   0x81, 'b',  2,
                                  0xf4, 0,    0,    0,    0,    0,    0,    0,   0x40, 9,    0xff});
  EXPECT_EQ(z.ListpackBlob(), want);
  EXPECT_EQ(*z.Score("a"), 123456789012345678.0);
  EXPECT_EQ(*z.Score("b"), 4611686018427387904.0);
}

TEST(ZSetValueTest, PopFromBothEndsOfASkiplist) {
  ZSetValue z = ZSetValue::EmptySkiplist();
  const CollectionLimits limits;
  for (int i = 0; i < 1000; ++i) z.Add("m" + std::to_string(i), i, 0, limits);
  Entries low, high;
  EXPECT_EQ(z.Pop(300, false, [&](std::string_view m, double s) { low.emplace_back(m, s); }), 300u);
  EXPECT_EQ(z.Pop(300, true, [&](std::string_view m, double s) { high.emplace_back(m, s); }), 300u);
  ASSERT_EQ(low.size(), 300u);
  ASSERT_EQ(high.size(), 300u);
  EXPECT_EQ(low.front(), Entry("m0", 0));
  EXPECT_EQ(low.back(), Entry("m299", 299));
  EXPECT_EQ(high.front(), Entry("m999", 999));
  EXPECT_EQ(high.back(), Entry("m700", 700));
  std::string why;
  EXPECT_TRUE(z.CheckInvariants(&why)) << why;
  EXPECT_EQ(z.Size(), 400u);
  EXPECT_FALSE(z.Score("m299").has_value());
  EXPECT_EQ(*z.Score("m300"), 300);
  EXPECT_EQ(*z.Rank("m699", false), 399u);
  EXPECT_EQ(z.Pop(1000, false, [](std::string_view, double) {}), 400u);
  EXPECT_EQ(z.Size(), 0u);
  EXPECT_TRUE(z.CheckInvariants(&why)) << why;
}

TEST(ZSetValueTest, InfinityScoresRoundTrip) {
  CollectionLimits limits;
  ZSetValue z;
  z.Add("hi", kInf, 0, limits);
  z.Add("lo", -kInf, 0, limits);
  z.Add("mid", 0.1, 0, limits);
  EXPECT_EQ(All(z), (Entries{{"lo", -kInf}, {"mid", 0.1}, {"hi", kInf}}));
  EXPECT_NE(z.ListpackBlob().find("-inf"), std::string_view::npos);
}

TEST(ZSetValueTest, ConvertsAboveMaxEntries) {
  CollectionLimits limits;
  limits.zset_max_listpack_entries = 4;
  ZSetValue z;
  for (int i = 0; i < 4; ++i) z.Add("m" + std::to_string(i), i, 0, limits);
  EXPECT_STREQ(z.EncodingName(), "listpack");
  z.Add("m0", 10, 0, limits);  // update: no growth
  EXPECT_STREQ(z.EncodingName(), "listpack");
  z.Add("m4", 4, 0, limits);
  EXPECT_STREQ(z.EncodingName(), "skiplist");
  EXPECT_EQ(All(z), (Entries{{"m1", 1}, {"m2", 2}, {"m3", 3}, {"m4", 4}, {"m0", 10}}));
  // One-way on removal.
  for (int i = 0; i < 4; ++i) z.Remove("m" + std::to_string(i));
  EXPECT_STREQ(z.EncodingName(), "skiplist");
  std::string why;
  EXPECT_TRUE(z.CheckInvariants(&why)) << why;
}

TEST(ZSetValueTest, ConvertsOnLongMember) {
  CollectionLimits limits;
  limits.zset_max_listpack_value = 8;
  ZSetValue z;
  z.Add("12345678", 1, 0, limits);
  EXPECT_STREQ(z.EncodingName(), "listpack");
  z.Add("123456789", 2, 0, limits);
  EXPECT_STREQ(z.EncodingName(), "skiplist");
  EXPECT_EQ(All(z), (Entries{{"12345678", 1}, {"123456789", 2}}));
}

TEST(ZSetValueTest, FactoriesFollowRedisRules) {
  CollectionLimits limits;
  limits.zset_max_listpack_entries = 3;
  limits.zset_max_listpack_value = 5;
  EXPECT_STREQ(ZSetValue::ForNewKey("abcde", limits).EncodingName(), "listpack");
  EXPECT_STREQ(ZSetValue::ForNewKey("abcdef", limits).EncodingName(), "skiplist");
  EXPECT_STREQ(ZSetValue::ForSize(3, limits).EncodingName(), "listpack");
  EXPECT_STREQ(ZSetValue::ForSize(4, limits).EncodingName(), "skiplist");
  CollectionLimits zero;
  zero.zset_max_listpack_entries = 0;
  EXPECT_STREQ(ZSetValue::ForNewKey("a", zero).EncodingName(), "skiplist");

  ZSetValue z = ZSetValue::EmptySkiplist();
  z.Add("a", 1, 0, limits);
  z.Add("b", 2, 0, limits);
  z.ConvertToListpackIfFits(limits);
  EXPECT_STREQ(z.EncodingName(), "listpack");
  EXPECT_EQ(All(z), (Entries{{"a", 1}, {"b", 2}}));

  ZSetValue big_member = ZSetValue::EmptySkiplist();
  big_member.Add("abcdef", 1, 0, limits);
  big_member.ConvertToListpackIfFits(limits);
  EXPECT_STREQ(big_member.EncodingName(), "skiplist");

  ZSetValue many = ZSetValue::EmptySkiplist();
  for (int i = 0; i < 4; ++i) many.Add(std::to_string(i), i, 0, limits);
  many.ConvertToListpackIfFits(limits);
  EXPECT_STREQ(many.EncodingName(), "skiplist");
}

TEST(ZSetValueTest, ConversionBothWaysKeepsEntries) {
  CollectionLimits limits;
  ZSetValue z;
  Entries want;
  for (int i = 0; i < 100; ++i) {
    const double s = (i % 7) * 0.5 - 1;
    z.Add("c" + std::to_string(i * 37 % 100), s, 0, limits);
  }
  z.Add("12", 3, 0, limits);  // an integer member (stored as an int entry)
  const Entries before = All(z);
  z.ConvertToSkiplist();
  EXPECT_STREQ(z.EncodingName(), "skiplist");
  EXPECT_EQ(All(z), before);
  const std::string blob_before = [&] {
    ZSetValue copy = ZSetValue::EmptySkiplist();
    for (const auto& [m, s] : before) copy.Add(m, s, 0, limits);
    copy.ConvertToListpackIfFits(limits);
    return std::string(copy.ListpackBlob());
  }();
  z.ConvertToListpackIfFits(limits);
  EXPECT_STREQ(z.EncodingName(), "listpack");
  EXPECT_EQ(All(z), before);
  EXPECT_EQ(z.ListpackBlob(), blob_before);
  std::string why;
  EXPECT_TRUE(z.CheckInvariants(&why)) << why;
}

// ZADD flag semantics, checked on both encodings.
class ZAddFlagsTest : public ::testing::TestWithParam<bool> {
 protected:
  CollectionLimits limits_ = GetParam() ? ForcedSkiplist() : CollectionLimits{};
  ZSetValue Make() {
    ZSetValue z = GetParam() ? ZSetValue::EmptySkiplist() : ZSetValue();
    z.Add("a", 5, 0, limits_);
    return z;
  }
  void Expect(unsigned flags, std::string_view member, double score, Outcome outcome,
              double after) {
    ZSetValue z = Make();
    auto r = z.Add(member, score, flags, limits_);
    EXPECT_EQ(r.outcome, outcome) << "flags " << flags << " " << member << " " << score;
    if (outcome != Outcome::kNaN && outcome != Outcome::kNotPerformed) {
      EXPECT_EQ(r.score, after);
    }
    if (outcome == Outcome::kNotPerformed || outcome == Outcome::kNaN) {
      EXPECT_EQ(z.Size(), 1u);
      EXPECT_EQ(*z.Score("a"), 5);
    } else {
      EXPECT_EQ(*z.Score(member), after);
    }
  }
};

TEST_P(ZAddFlagsTest, Semantics) {
  using Z = ZSetValue;
  Expect(0, "a", 6, Outcome::kUpdated, 6);
  Expect(0, "a", 5, Outcome::kUnchanged, 5);
  Expect(0, "b", 1, Outcome::kAdded, 1);
  Expect(Z::kAddNX, "a", 6, Outcome::kNotPerformed, 5);
  Expect(Z::kAddNX, "b", 6, Outcome::kAdded, 6);
  Expect(Z::kAddXX, "b", 6, Outcome::kNotPerformed, 0);
  Expect(Z::kAddXX, "a", 6, Outcome::kUpdated, 6);
  Expect(Z::kAddGT, "a", 4, Outcome::kNotPerformed, 5);
  Expect(Z::kAddGT, "a", 5, Outcome::kNotPerformed, 5);
  Expect(Z::kAddGT, "a", 6, Outcome::kUpdated, 6);
  Expect(Z::kAddGT, "b", -1, Outcome::kAdded, -1);  // GT/LT never block new members
  Expect(Z::kAddLT, "a", 6, Outcome::kNotPerformed, 5);
  Expect(Z::kAddLT, "a", 4, Outcome::kUpdated, 4);
  Expect(Z::kAddIncr, "a", 2.5, Outcome::kUpdated, 7.5);
  Expect(Z::kAddIncr, "a", 0, Outcome::kUnchanged, 5);
  Expect(Z::kAddIncr, "b", 2.5, Outcome::kAdded, 2.5);
  Expect(Z::kAddIncr | Z::kAddGT, "a", 0, Outcome::kNotPerformed, 5);
  Expect(Z::kAddIncr | Z::kAddGT, "a", -1, Outcome::kNotPerformed, 5);
  Expect(Z::kAddIncr | Z::kAddLT, "a", -1, Outcome::kUpdated, 4);
  Expect(Z::kAddIncr | Z::kAddXX, "b", 1, Outcome::kNotPerformed, 0);
  Expect(Z::kAddIncr | Z::kAddNX, "a", 1, Outcome::kNotPerformed, 5);
  Expect(Z::kAddGT | Z::kAddXX, "a", 9, Outcome::kUpdated, 9);
}

TEST_P(ZAddFlagsTest, IncrementToNaNIsRefused) {
  ZSetValue z = GetParam() ? ZSetValue::EmptySkiplist() : ZSetValue();
  z.Add("a", kInf, 0, limits_);
  auto r = z.Add("a", -kInf, ZSetValue::kAddIncr, limits_);
  EXPECT_EQ(r.outcome, Outcome::kNaN);
  EXPECT_EQ(*z.Score("a"), kInf);
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, ZAddFlagsTest, ::testing::Bool());

// Reference model: the entries in (score, member) order.
struct Model {
  std::map<std::string, double> scores;
  Entries Sorted() const {
    std::set<std::pair<double, std::string>> s;
    for (const auto& [m, sc] : scores) s.insert({sc, m});
    Entries out;
    for (const auto& [sc, m] : s) out.emplace_back(m, sc);
    return out;
  }
};

Entries Collect(const std::function<void(ZSetValue::EntryFn)>& run) {
  Entries out;
  run([&](std::string_view m, double s) { out.emplace_back(std::string(m), s); });
  return out;
}

Entries ModelRange(const Entries& sorted, bool reverse, int64_t offset, int64_t limit,
                   const std::function<bool(const Entry&)>& in) {
  Entries picked;
  for (const auto& e : sorted) {
    if (in(e)) picked.push_back(e);
  }
  if (reverse) std::reverse(picked.begin(), picked.end());
  Entries out;
  if (offset < 0) return out;
  for (size_t i = static_cast<size_t>(offset); i < picked.size(); ++i) {
    if (limit >= 0 && static_cast<int64_t>(out.size()) >= limit) break;
    out.push_back(picked[i]);
  }
  return out;
}

ScoreRange RandomScoreRange() {
  ScoreRange r;
  r.min = RandomBelow(15) == 0 ? -kInf : static_cast<double>(RandomBelow(24)) / 2 - 1;
  r.max = RandomBelow(15) == 0 ? kInf : static_cast<double>(RandomBelow(24)) / 2 - 1;
  r.min_exclusive = RandomBelow(2);
  r.max_exclusive = RandomBelow(2);
  return r;
}

LexBound RandomLexBound(const std::vector<std::string>& words) {
  switch (RandomBelow(8)) {
    case 0:
      return {LexBound::Kind::kNegInf, true, {}};
    case 1:
      return {LexBound::Kind::kPosInf, true, {}};
    default:
      return {LexBound::Kind::kValue, RandomBelow(2) == 1, words[RandomBelow(words.size())]};
  }
}

void CheckAgainstModel(const ZSetValue& z, const Model& model, bool same_score,
                       const std::vector<std::string>& words) {
  std::string why;
  ASSERT_TRUE(z.CheckInvariants(&why)) << why;
  const Entries sorted = model.Sorted();
  ASSERT_EQ(All(z), sorted);
  ASSERT_EQ(z.Size(), sorted.size());
  const auto n = static_cast<int64_t>(sorted.size());
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_EQ(*z.Rank(sorted[i].first, false), static_cast<uint64_t>(i));
    EXPECT_EQ(*z.Rank(sorted[i].first, true), static_cast<uint64_t>(n - 1 - i));
    EXPECT_EQ(*z.Score(sorted[i].first), sorted[i].second);
  }
  EXPECT_FALSE(z.Rank("absent", false).has_value());
  EXPECT_FALSE(z.Score("absent").has_value());
  for (int q = 0; q < 20; ++q) {
    const int64_t start = static_cast<int64_t>(RandomBelow(2 * n + 6)) - n - 3;
    const int64_t stop = static_cast<int64_t>(RandomBelow(2 * n + 6)) - n - 3;
    const bool rev = RandomBelow(2);
    Entries want;
    int64_t s = start < 0 ? start + n : start, e = stop < 0 ? stop + n : stop;
    if (s < 0) s = 0;
    if (e >= n) e = n - 1;
    Entries ordered = sorted;
    if (rev) std::reverse(ordered.begin(), ordered.end());
    for (int64_t i = s; i <= e && s < n; ++i) want.push_back(ordered[i]);
    EXPECT_EQ(Collect([&](auto fn) { z.RangeByRank(start, stop, rev, fn); }), want)
        << start << " " << stop << " " << rev;

    const ScoreRange sr = RandomScoreRange();
    const int64_t offset = static_cast<int64_t>(RandomBelow(6)) - 1;
    const int64_t limit = static_cast<int64_t>(RandomBelow(8)) - 2;
    auto in_score = [&](const Entry& x) { return sr.Contains(x.second); };
    EXPECT_EQ(Collect([&](auto fn) { z.RangeByScore(sr, rev, offset, limit, fn); }),
              ModelRange(sorted, rev, offset, limit, in_score));
    EXPECT_EQ(z.CountByScore(sr), ModelRange(sorted, false, 0, -1, in_score).size());

    if (same_score) {
      LexRange lr{RandomLexBound(words), RandomLexBound(words)};
      auto in_lex = [&](const Entry& x) { return lr.Contains(x.first); };
      EXPECT_EQ(Collect([&](auto fn) { z.RangeByLex(lr, rev, offset, limit, fn); }),
                ModelRange(sorted, rev, offset, limit, in_lex));
      EXPECT_EQ(z.CountByLex(lr), ModelRange(sorted, false, 0, -1, in_lex).size());
    }
  }
}

// Drives one set through random operations (add with flags, remove, range
// deletes, pops) and compares every query with the model.
void RandomWorkout(const CollectionLimits& limits, bool same_score, uint64_t seed) {
  SeedRandom(seed);
  ZSetValue z;
  Model model;
  std::vector<std::string> words;
  for (int i = 0; i < 60; ++i) {
    std::string w;
    const uint64_t len = 1 + RandomBelow(3);
    for (uint64_t k = 0; k < len; ++k) w.push_back(static_cast<char>('a' + RandomBelow(3)));
    words.push_back(RandomBelow(10) == 0 ? std::to_string(RandomBelow(200)) : w);
  }
  for (int step = 0; step < 600; ++step) {
    const uint64_t op = RandomBelow(20);
    const std::string& m = words[RandomBelow(words.size())];
    const double score = same_score ? 0 : static_cast<double>(RandomBelow(20)) / 2;
    if (op < 12) {
      z.Add(m, score, 0, limits);
      model.scores[m] = score;
    } else if (op < 15) {
      EXPECT_EQ(z.Remove(m), model.scores.erase(m) == 1);
    } else if (op == 15) {
      const ScoreRange r = RandomScoreRange();
      uint64_t expect = 0;
      for (auto it = model.scores.begin(); it != model.scores.end();) {
        if (r.Contains(it->second)) {
          it = model.scores.erase(it);
          ++expect;
        } else {
          ++it;
        }
      }
      EXPECT_EQ(z.RemoveRangeByScore(r), expect);
    } else if (op == 16 && same_score) {
      LexRange r{RandomLexBound(words), RandomLexBound(words)};
      uint64_t expect = 0;
      for (auto it = model.scores.begin(); it != model.scores.end();) {
        if (r.Contains(it->first)) {
          it = model.scores.erase(it);
          ++expect;
        } else {
          ++it;
        }
      }
      EXPECT_EQ(z.RemoveRangeByLex(r), expect);
    } else if (op == 17) {
      const int64_t a = static_cast<int64_t>(RandomBelow(8)) - 4;
      const int64_t b = static_cast<int64_t>(RandomBelow(8)) - 2;
      Entries victims = Collect([&](auto fn) { z.RangeByRank(a, b, false, fn); });
      for (const auto& v : victims) model.scores.erase(v.first);
      EXPECT_EQ(z.RemoveRangeByRank(a, b), victims.size());
    } else if (op == 18) {
      const bool from_max = RandomBelow(2);
      const uint64_t count = RandomBelow(4);
      Entries sorted = model.Sorted();
      if (from_max) std::reverse(sorted.begin(), sorted.end());
      sorted.resize(std::min<size_t>(count, sorted.size()));
      for (const auto& v : sorted) model.scores.erase(v.first);
      EXPECT_EQ(Collect([&](auto fn) { z.Pop(count, from_max, fn); }), sorted);
    } else {
      // Increment an existing or new member (by 0 when lex ranges need one
      // score for all members).
      const double by = same_score ? 0 : 1;
      auto r = z.Add(m, by, ZSetValue::kAddIncr, limits);
      model.scores[m] += by;
      EXPECT_EQ(r.score, model.scores[m]);
    }
    if (step % 50 == 0) CheckAgainstModel(z, model, same_score, words);
  }
  CheckAgainstModel(z, model, same_score, words);
}

TEST(ZSetValueTest, ListpackMatchesModel) {
  CollectionLimits limits;
  limits.zset_max_listpack_entries = 1000;
  RandomWorkout(limits, false, 11);
  RandomWorkout(limits, true, 12);
}

TEST(ZSetValueTest, SkiplistMatchesModel) {
  RandomWorkout(ForcedSkiplist(), false, 21);
  RandomWorkout(ForcedSkiplist(), true, 22);
}

TEST(ZSetValueTest, MixedEncodingsMatchModel) {
  CollectionLimits limits;
  limits.zset_max_listpack_entries = 16;
  RandomWorkout(limits, false, 31);
  RandomWorkout(limits, true, 32);
}

TEST(ZSetValueTest, RangeByScoreOffsetJumpsInSkiplist) {
  ZSetValue z = ZSetValue::EmptySkiplist();
  CollectionLimits limits = ForcedSkiplist();
  for (int i = 0; i < 1000; ++i) z.Add("k" + std::to_string(i), i, 0, limits);
  ScoreRange r{100, 200, false, true};
  Entries got = Collect([&](auto fn) { z.RangeByScore(r, false, 95, 10, fn); });
  EXPECT_EQ(got,
            (Entries{{"k195", 195}, {"k196", 196}, {"k197", 197}, {"k198", 198}, {"k199", 199}}));
  got = Collect([&](auto fn) { z.RangeByScore(r, true, 98, -1, fn); });
  EXPECT_EQ(got, (Entries{{"k101", 101}, {"k100", 100}}));
  EXPECT_TRUE(Collect([&](auto fn) { z.RangeByScore(r, true, 100, -1, fn); }).empty());
  EXPECT_TRUE(Collect([&](auto fn) { z.RangeByScore(r, false, -1, -1, fn); }).empty());
  EXPECT_EQ(z.CountByScore(r), 100u);
}

void CheckRandom(const ZSetValue& z) {
  const Entries all = All(z);
  std::map<std::string, double> members(all.begin(), all.end());
  for (int64_t count : {1, 2, 5, 10, 19, 20, 21, 100}) {
    Entries got = Collect([&](auto fn) { z.Random(count, fn); });
    EXPECT_EQ(got.size(), std::min<size_t>(count, all.size()));
    std::set<std::string> distinct;
    for (const auto& [m, s] : got) {
      EXPECT_EQ(members.at(m), s);
      distinct.insert(m);
    }
    EXPECT_EQ(distinct.size(), got.size());
  }
  Entries rep = Collect([&](auto fn) { z.Random(-50, fn); });
  EXPECT_EQ(rep.size(), 50u);
  for (const auto& [m, s] : rep) EXPECT_EQ(members.at(m), s);
  EXPECT_TRUE(Collect([&](auto fn) { z.Random(0, fn); }).empty());
  // Uniform enough: every member shows up among many repeated picks.
  std::set<std::string> seen;
  z.Random(-2000, [&](std::string_view m, double) { seen.emplace(m); });
  EXPECT_EQ(seen.size(), all.size());
}

TEST(ZSetValueTest, RandomMembersBothEncodings) {
  CollectionLimits limits;
  ZSetValue small, big = ZSetValue::EmptySkiplist();
  for (int i = 0; i < 20; ++i) {
    small.Add("r" + std::to_string(i), i * 1.5, 0, limits);
    big.Add("r" + std::to_string(i), i * 1.5, 0, ForcedSkiplist());
  }
  CheckRandom(small);
  CheckRandom(big);
}

TEST(ZSetValueTest, ScanListpackAllAtOnce) {
  CollectionLimits limits;
  ZSetValue z;
  z.Add("a", 1, 0, limits);
  z.Add("b", 2, 0, limits);
  Entries got;
  EXPECT_EQ(z.Scan(0, [&](std::string_view m, double s) { got.emplace_back(m, s); }), 0u);
  EXPECT_EQ(got, All(z));
}

TEST(ZSetValueTest, ScanReturnsEveryMemberAcrossResize) {
  CollectionLimits limits = ForcedSkiplist();
  ZSetValue z = ZSetValue::EmptySkiplist();
  std::map<std::string, double> original;
  for (int i = 0; i < 500; ++i) {
    z.Add("o" + std::to_string(i), i, 0, limits);
    original["o" + std::to_string(i)] = i;
  }
  std::map<std::string, double> seen;
  uint64_t cursor = 0;
  int step = 0, extra = 0;
  do {
    cursor = z.Scan(cursor, [&](std::string_view m, double s) { seen[std::string(m)] = s; });
    if (step < 100) {
      for (int k = 0; k < 30; ++k) z.Add("x" + std::to_string(extra++), -1, 0, limits);
    } else {
      for (int k = 0; k < 30 && extra > 0; ++k) z.Remove("x" + std::to_string(--extra));
    }
    ++step;
  } while (cursor != 0);
  for (const auto& [m, s] : original) {
    ASSERT_TRUE(seen.count(m)) << m;
    EXPECT_EQ(seen[m], s);
  }
}

TEST(ZSetValueTest, CloneKeepsEncodingAndIsIndependent) {
  CollectionLimits limits;
  ZSetValue small, big = ZSetValue::EmptySkiplist();
  for (int i = 0; i < 20; ++i) {
    small.Add("c" + std::to_string(i), i, 0, limits);
    big.Add("c" + std::to_string(i), i, 0, limits);
  }
  for (ZSetValue* z : {&small, &big}) {
    ZSetValue copy = z->Clone();
    EXPECT_STREQ(copy.EncodingName(), z->EncodingName());
    EXPECT_EQ(All(copy), All(*z));
    copy.Add("c0", 100, 0, limits);
    EXPECT_EQ(*z->Score("c0"), 0);
    std::string why;
    EXPECT_TRUE(copy.CheckInvariants(&why)) << why;
  }
}

TEST(ZSetValueTest, FromListpackValidates) {
  CollectionLimits limits;
  ZSetValue z;
  z.Add("a", 1, 0, limits);
  z.Add("b", 2.5, 0, limits);
  const std::string good(z.ListpackBlob());
  auto loaded = ZSetValue::FromListpack(good, true, limits);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(All(*loaded), All(z));

  // Odd number of entries: drop the last score by rebuilding.
  ZSetValue odd;
  odd.Add("a", 1, 0, limits);
  std::string blob(odd.ListpackBlob());
  EXPECT_FALSE(ZSetValue::FromListpack(blob.substr(0, blob.size() - 1), false, limits));
  EXPECT_FALSE(ZSetValue::FromListpack(std::string_view(), false, limits));

  // Duplicate member and unsorted pairs are only caught by the deep check.
  std::string dup = good;
  dup[good.find('b')] = 'a';
  EXPECT_TRUE(ZSetValue::FromListpack(dup, false, limits).has_value());
  EXPECT_FALSE(ZSetValue::FromListpack(dup, true, limits).has_value());

  // More pairs than the limit: converted on load.
  CollectionLimits tiny;
  tiny.zset_max_listpack_entries = 1;
  auto converted = ZSetValue::FromListpack(good, true, tiny);
  ASSERT_TRUE(converted.has_value());
  EXPECT_STREQ(converted->EncodingName(), "skiplist");
  EXPECT_EQ(All(*converted), All(z));
}

TEST(ZSetValueTest, MemoryBelowRedis) {
  CollectionLimits limits;
  ZSetValue z = ZSetValue::EmptySkiplist();
  char buf[32];
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof(buf), "member%07d", i);
    z.Add(buf, i, 0, limits);
  }
  const double per_member = static_cast<double>(z.MemoryUsage()) / n;
  EXPECT_LT(per_member, 90.0);  // Redis 7.0: ~115
  RecordProperty("bytes_per_member", std::to_string(per_member));
}

}  // namespace
}  // namespace duet
