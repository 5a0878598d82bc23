#include "storage/score_bounds.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace duet {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ScoreBoundsTest, ErrorTextsMatchRedis) {
  EXPECT_EQ(kErrMinMaxNotFloat, "ERR min or max is not a float");
  EXPECT_EQ(kErrMinMaxNotStringRange, "ERR min or max not valid string range item");
}

TEST(ScoreBoundsTest, ParsesScoreBounds) {
  struct Case {
    const char* arg;
    double value;
    bool exclusive;
  } cases[] = {
      {"1.5", 1.5, false},    {"(1.5", 1.5, true},  {"-inf", -kInf, false}, {"+inf", kInf, false},
      {"(-inf", -kInf, true}, {"inf", kInf, false}, {"10", 10, false},      {"-3e2", -300, false},
      {"0x10", 16, false},    {" 1", 1, false},     {"", 0, false},         {"(", 0, true},
  };
  for (const auto& c : cases) {
    double v = -1;
    bool ex = false;
    ASSERT_TRUE(ParseScoreBound(c.arg, &v, &ex)) << c.arg;
    EXPECT_EQ(v, c.value) << c.arg;
    EXPECT_EQ(ex, c.exclusive) << c.arg;
  }
}

TEST(ScoreBoundsTest, RejectsBadScoreBounds) {
  for (const char* arg : {"nan", "(nan", "1abc", "1 ", "[1", "((1", "abc", "1.5.5"}) {
    double v;
    bool ex;
    EXPECT_FALSE(ParseScoreBound(arg, &v, &ex)) << arg;
  }
  ScoreRange r;
  EXPECT_FALSE(ParseScoreRange("1", "x", &r));
  EXPECT_FALSE(ParseScoreRange("x", "1", &r));
  EXPECT_TRUE(ParseScoreRange("(1", "5", &r));
  EXPECT_TRUE(r.min_exclusive);
  EXPECT_FALSE(r.max_exclusive);
}

TEST(ScoreBoundsTest, ParsingStopsAtNulLikeRedis) {
  // Redis hands the argument to strtod, which stops at the first NUL byte.
  double v;
  bool ex;
  EXPECT_TRUE(ParseScoreBound(std::string("2\0junk", 6), &v, &ex));
  EXPECT_EQ(v, 2);
}

TEST(ScoreBoundsTest, LongScoreArguments) {
  std::string zeros(200, '0');
  double v;
  bool ex;
  EXPECT_TRUE(ParseScoreBound(zeros + "7", &v, &ex));
  EXPECT_EQ(v, 7);
}

TEST(ScoreBoundsTest, ScoreRangeMembership) {
  ScoreRange r{1, 3, true, false};
  EXPECT_FALSE(r.Contains(1));
  EXPECT_TRUE(r.Contains(1.0001));
  EXPECT_TRUE(r.Contains(3));
  EXPECT_FALSE(r.Contains(3.0001));
  EXPECT_FALSE(r.Empty());
  EXPECT_TRUE((ScoreRange{2, 1, false, false}).Empty());
  EXPECT_TRUE((ScoreRange{1, 1, true, false}).Empty());
  EXPECT_TRUE((ScoreRange{1, 1, false, true}).Empty());
  EXPECT_FALSE((ScoreRange{1, 1, false, false}).Empty());
  EXPECT_TRUE((ScoreRange{-kInf, kInf, false, false}).Contains(kInf));
}

TEST(ScoreBoundsTest, ParsesLexBounds) {
  LexBound b;
  ASSERT_TRUE(ParseLexBound("[abc", &b));
  EXPECT_EQ(b.kind, LexBound::Kind::kValue);
  EXPECT_FALSE(b.exclusive);
  EXPECT_EQ(b.value, "abc");
  ASSERT_TRUE(ParseLexBound("(abc", &b));
  EXPECT_TRUE(b.exclusive);
  ASSERT_TRUE(ParseLexBound("[", &b));
  EXPECT_EQ(b.value, "");
  ASSERT_TRUE(ParseLexBound("-", &b));
  EXPECT_EQ(b.kind, LexBound::Kind::kNegInf);
  ASSERT_TRUE(ParseLexBound("+", &b));
  EXPECT_EQ(b.kind, LexBound::Kind::kPosInf);
  for (const char* bad : {"", "abc", "-a", "+a", "--", "]a", " [a"}) {
    EXPECT_FALSE(ParseLexBound(bad, &b)) << bad;
  }
  LexRange r;
  EXPECT_FALSE(ParseLexRange("[a", "b", &r));
  EXPECT_TRUE(ParseLexRange("-", "+", &r));
}

TEST(ScoreBoundsTest, LexRangeMembership) {
  LexRange r;
  ASSERT_TRUE(ParseLexRange("[b", "(d", &r));
  EXPECT_FALSE(r.Contains("a"));
  EXPECT_TRUE(r.Contains("b"));
  EXPECT_TRUE(r.Contains("c\xff"));
  EXPECT_FALSE(r.Contains("d"));
  EXPECT_FALSE(r.Empty());
  // Bytes compare unsigned: 0xff sorts after 'z'.
  ASSERT_TRUE(ParseLexRange("(z", "+", &r));
  EXPECT_TRUE(r.Contains("\xff"));
  struct {
    const char *min, *max;
    bool empty;
  } cases[] = {{"-", "+", false},   {"+", "-", true},   {"-", "-", true},   {"+", "+", true},
               {"[a", "[a", false}, {"(a", "[a", true}, {"[a", "(a", true}, {"[b", "[a", true},
               {"[a", "+", false},  {"-", "[a", false}, {"+", "[a", true},  {"[a", "-", true}};
  for (const auto& c : cases) {
    ASSERT_TRUE(ParseLexRange(c.min, c.max, &r));
    EXPECT_EQ(r.Empty(), c.empty) << c.min << " " << c.max;
  }
}

}  // namespace
}  // namespace duet
