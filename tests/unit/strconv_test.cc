// Expected values in this file were confirmed against a real redis-server
// 7.0.15 (Debian build) with redis-cli: INCRBY for integers, ZADD + ZSCORE /
// ZINCRBY for doubles, INCRBYFLOAT / HINCRBYFLOAT for long doubles,
// ZRANGEBYSCORE for range bounds.

#include "utils/strconv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace duet {
namespace {

using namespace std::string_view_literals;

std::string Fmt(double v) {
  char buf[kMaxDoubleChars];
  return std::string(buf, FormatDouble(v, buf));
}

std::string FmtInt(int64_t v) {
  char buf[kMaxInt64Chars];
  return std::string(buf, FormatInt64(v, buf));
}

TEST(StrconvTest, ParseInt64AcceptsRedisIntegers) {
  struct {
    std::string_view text;
    int64_t value;
  } ok[] = {
      {"0", 0},
      {"1", 1},
      {"-1", -1},
      {"42", 42},
      {"9223372036854775807", INT64_MAX},
      {"-9223372036854775808", INT64_MIN},
      {"-9223372036854775807", -INT64_MAX},
      {"1000000000000000000", 1000000000000000000},
      {"-1000000000000000000", -1000000000000000000},
  };
  for (const auto& c : ok) {
    int64_t v = 7;
    EXPECT_TRUE(ParseInt64(c.text, &v)) << c.text;
    EXPECT_EQ(v, c.value) << c.text;
  }
}

TEST(StrconvTest, ParseInt64RejectsWhatRedisRejects) {
  for (std::string_view s : {""sv,
                             "-"sv,
                             "-0"sv,
                             "00"sv,
                             "01"sv,
                             "-00"sv,
                             "-01"sv,
                             "+1"sv,
                             " 1"sv,
                             "1 "sv,
                             "1\0"sv,
                             "9223372036854775808"sv,
                             "-9223372036854775809"sv,
                             "12345678901234567890"sv,
                             "00000000000000000001"sv,
                             "0x10"sv,
                             "1e3"sv,
                             "1.0"sv,
                             "abc"sv,
                             "1a"sv,
                             "99999999999999999999"sv,
                             "184467440737095516160"sv}) {
    int64_t v = 7;
    EXPECT_FALSE(ParseInt64(s, &v)) << s;
    EXPECT_EQ(v, 7) << "output touched for " << s;
  }
}

TEST(StrconvTest, ParseUint64) {
  uint64_t v = 0;
  EXPECT_TRUE(ParseUint64("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ParseUint64("007", &v));
  EXPECT_EQ(v, 7u);
  EXPECT_TRUE(ParseUint64("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_TRUE(ParseUint64("00000000000000000000018446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  for (std::string_view s : {""sv, "18446744073709551616"sv, "99999999999999999999"sv, "-1"sv,
                             "+1"sv, " 1"sv, "1 "sv, "1.5"sv, "x"sv}) {
    EXPECT_FALSE(ParseUint64(s, &v)) << s;
  }
}

TEST(StrconvTest, ParseDoubleLikeZadd) {
  struct {
    std::string_view text;
    double value;
  } ok[] = {
      {"1", 1},
      {"+1", 1},
      {".5", 0.5},
      {"5.", 5},
      {"1e5", 1e5},
      {"1E5", 1e5},
      {"1e+5", 1e5},
      {"1e-5", 1e-5},
      {"00012", 12},
      {"-.5e-3", -0.0005},
      {"-2.5", -2.5},
      {"0.1", 0.1},
      {"0x10", 16},
      {"0x1p3", 8},
      {"0X1P-2", 0.25},
      {"inf", INFINITY},
      {"+inf", INFINITY},
      {"-inf", -INFINITY},
      {"INF", INFINITY},
      {"infinity", INFINITY},
      {"-Infinity", -INFINITY},
      {"1.7976931348623157e308", 1.7976931348623157e308},
      {"0x1.fffffffffffffp1023", 1.7976931348623157e308},
      {"4.9e-324", 4.9406564584124654e-324},  // denormals are fine
      {"0x1p-1074", 4.9406564584124654e-324},
      {"1e-310", 1e-310},
      {"123456789012345.625", 123456789012345.625},
      {"9007199254740993", 9007199254740992.0},  // rounds like strtod
  };
  for (const auto& c : ok) {
    double v = 7;
    EXPECT_TRUE(ParseDouble(c.text, &v)) << c.text;
    EXPECT_EQ(v, c.value) << c.text;
  }
  double v = 7;
  ASSERT_TRUE(ParseDouble("-0", &v));
  EXPECT_TRUE(v == 0 && std::signbit(v));
}

TEST(StrconvTest, ParseDoubleRejectsLikeZadd) {
  for (std::string_view s : {""sv,       " 1"sv,        "1 "sv,       "\t1"sv,
                             "\n1"sv,    "1\n"sv,       "nan"sv,      "NaN"sv,
                             "-nan"sv,   "1e400"sv,     "-1e400"sv,   "1e-400"sv,
                             "2e-324"sv, "0x1p-1075"sv, "0x1p1024"sv, "1.7976931348623159e308"sv,
                             "1\0"sv,    "1\0001"sv,    "1_0"sv,      "0.1e"sv,
                             "e5"sv,     "."sv,         "-"sv,        "+"sv,
                             "1.5."sv,   "1d"sv,        "0x"sv,       "0xg"sv,
                             "1e"sv,     "+.e1"sv,      "   "sv}) {
    double v = 7;
    EXPECT_FALSE(ParseDouble(s, &v)) << s;
  }
}

TEST(StrconvTest, ParseDoubleFastPathAgreesWithStrtod) {
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 200000; ++i) {
    std::string t;
    if (rng() % 2) t += '-';
    const int digits = 1 + static_cast<int>(rng() % 18);
    // Where the '.' goes (digits + 1 means none).
    const int dot = (rng() % 3) ? static_cast<int>(rng() % (digits + 1)) : digits + 1;
    for (int k = 0; k < digits; ++k) {
      if (k == dot) t += '.';
      t += static_cast<char>('0' + rng() % 10);
    }
    if (dot == digits) t += '.';
    double ours = 0;
    ASSERT_TRUE(ParseDouble(t, &ours)) << t;
    const double want = std::strtod(t.c_str(), nullptr);
    ASSERT_EQ(std::memcmp(&ours, &want, sizeof want), 0) << t;
  }
}

TEST(StrconvTest, ParseLongDoubleLikeIncrbyfloat) {
  long double v = 0;
  EXPECT_TRUE(ParseLongDouble("10.5", &v));
  EXPECT_EQ(v, 10.5L);
  // Beyond double range but inside long double: accepted by INCRBYFLOAT.
  EXPECT_TRUE(ParseLongDouble("1e400", &v));
  EXPECT_TRUE(ParseLongDouble("1e-400", &v));
  EXPECT_TRUE(ParseLongDouble("1e4932", &v));
  EXPECT_TRUE(ParseLongDouble("1e-4950", &v));  // denormal
  EXPECT_TRUE(ParseLongDouble("0x1p-3", &v));
  EXPECT_EQ(v, 0.125L);
  EXPECT_TRUE(ParseLongDouble("inf", &v));  // INCRBYFLOAT then refuses the result
  EXPECT_TRUE(std::isinf(v));
  for (std::string_view s : {""sv, " 1"sv, "1 "sv, "nan"sv, "1e4933"sv, "1e-4960"sv, "1\0"sv,
                             "1\0001"sv, "abc"sv, "1e"sv}) {
    EXPECT_FALSE(ParseLongDouble(s, &v)) << s;
  }
  // Length limit: 5119 bytes are fine, 5120 are not.
  EXPECT_TRUE(ParseLongDouble(std::string(5118, '0') + "1", &v));
  EXPECT_EQ(v, 1.0L);
  EXPECT_FALSE(ParseLongDouble(std::string(5119, '0') + "1", &v));
}

TEST(StrconvTest, ParseDoubleRangeBoundIsLoose) {
  double v = 7;
  EXPECT_TRUE(ParseDoubleRangeBound("", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(ParseDoubleRangeBound(" 1", &v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(ParseDoubleRangeBound("1\0x"sv, &v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(ParseDoubleRangeBound("0x1", &v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(ParseDoubleRangeBound("1e400", &v));
  EXPECT_EQ(v, INFINITY);
  EXPECT_TRUE(ParseDoubleRangeBound("-inf", &v));
  EXPECT_EQ(v, -INFINITY);
  EXPECT_FALSE(ParseDoubleRangeBound("1 ", &v));
  EXPECT_FALSE(ParseDoubleRangeBound("nan", &v));
  EXPECT_FALSE(ParseDoubleRangeBound("x", &v));
}

TEST(StrconvTest, FormatInt64) {
  EXPECT_EQ(FmtInt(0), "0");
  EXPECT_EQ(FmtInt(7), "7");
  EXPECT_EQ(FmtInt(-7), "-7");
  EXPECT_EQ(FmtInt(10), "10");
  EXPECT_EQ(FmtInt(99), "99");
  EXPECT_EQ(FmtInt(100), "100");
  EXPECT_EQ(FmtInt(-1234567890), "-1234567890");
  EXPECT_EQ(FmtInt(INT64_MAX), "9223372036854775807");
  EXPECT_EQ(FmtInt(INT64_MIN), "-9223372036854775808");
  char buf[kMaxInt64Chars];
  EXPECT_EQ(std::string(buf, FormatUint64(UINT64_MAX, buf)), "18446744073709551615");
  // Round trip and agreement with printf over every digit count.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<int64_t>(rng() >> (rng() % 64));
    const int64_t s = (i % 2) ? v : -v;
    char want[32];
    std::snprintf(want, sizeof want, "%lld", static_cast<long long>(s));
    ASSERT_EQ(FmtInt(s), want);
    int64_t back;
    ASSERT_TRUE(ParseInt64(FmtInt(s), &back));
    ASSERT_EQ(back, s);
  }
}

TEST(StrconvTest, DigitCount) {
  EXPECT_EQ(DigitCount(0), 1u);
  EXPECT_EQ(DigitCount(9), 1u);
  EXPECT_EQ(DigitCount(10), 2u);
  EXPECT_EQ(DigitCount(99999), 5u);
  EXPECT_EQ(DigitCount(100000), 6u);
  EXPECT_EQ(DigitCount(UINT64_MAX), 20u);
  uint64_t p = 1;
  for (uint32_t d = 1; d <= 19; ++d, p *= 10) {
    EXPECT_EQ(DigitCount(p), d);
    EXPECT_EQ(DigitCount(p * 10 - 1), d);
  }
}

TEST(StrconvTest, FormatDoubleLikeZscore) {
  EXPECT_EQ(Fmt(0.1), "0.10000000000000001");
  EXPECT_EQ(Fmt(1e20), "1e+20");
  EXPECT_EQ(Fmt(1e21), "1e+21");
  EXPECT_EQ(Fmt(1.5), "1.5");
  EXPECT_EQ(Fmt(3.0), "3");
  EXPECT_EQ(Fmt(-0.0), "-0");
  EXPECT_EQ(Fmt(0.0), "0");
  EXPECT_EQ(Fmt(1.0 / 3), "0.33333333333333331");
  EXPECT_EQ(Fmt(INFINITY), "inf");
  EXPECT_EQ(Fmt(-INFINITY), "-inf");
  EXPECT_EQ(Fmt(1e-5), "1.0000000000000001e-05");
  EXPECT_EQ(Fmt(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(Fmt(1e17), "1e+17");
  EXPECT_EQ(Fmt(99999999999999999.0), "1e+17");
  EXPECT_EQ(Fmt(1e16), "10000000000000000");
  EXPECT_EQ(Fmt(1e15), "1000000000000000");
  EXPECT_EQ(Fmt(12345678901234567.0), "12345678901234568");
  EXPECT_EQ(Fmt(-2.5), "-2.5");
  EXPECT_EQ(Fmt(4503599627370496.0), "4503599627370496");
  EXPECT_EQ(Fmt(4503599627370497.0), "4503599627370497");
  EXPECT_EQ(Fmt(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(Fmt(123456789012345.625), "123456789012345.62");  // a tie: rounds to even
  EXPECT_EQ(Fmt(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(Fmt(5e-324), "4.9406564584124654e-324");
  EXPECT_EQ(Fmt(1e-310), "9.9999999999999694e-311");
  EXPECT_EQ(Fmt(-0.0005), "-0.00050000000000000001");
  EXPECT_EQ(Fmt(100), "100");
  EXPECT_EQ(Fmt(-100), "-100");
  EXPECT_EQ(Fmt(2.2250738585072014e-308), "2.2250738585072014e-308");
  EXPECT_EQ(Fmt(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(StrconvTest, FormatDoubleAgreesWithPrintf) {
  // Redis 7.0 prints scores with "%.17g"; check the fast paths against it.
  std::mt19937_64 rng(99);
  auto check = [](double d) {
    char want[64];
    const int n = std::snprintf(want, sizeof want, "%.17g", d);
    ASSERT_EQ(Fmt(d), std::string(want, static_cast<size_t>(n)));
  };
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isnan(d)) continue;
    check(d);
    check(static_cast<double>(static_cast<int64_t>(rng() >> (rng() % 64))) /
          static_cast<double>(uint64_t{1} << (rng() % 20)));
  }
}

std::string IncrByFloat(std::string_view value, std::string_view incr) {
  long double a = 0;
  long double b = 0;
  EXPECT_TRUE(ParseLongDouble(value, &a)) << value;
  EXPECT_TRUE(ParseLongDouble(incr, &b)) << incr;
  return FormatLongDouble(a + b);
}

TEST(StrconvTest, FormatLongDoubleLikeIncrbyfloat) {
  EXPECT_EQ(IncrByFloat("10.5", "0.1"), "10.6");
  EXPECT_EQ(IncrByFloat("10.50", "0.1"), "10.6");
  EXPECT_EQ(IncrByFloat("3.0e3", "0"), "3000");
  EXPECT_EQ(IncrByFloat("5000", "0"), "5000");
  EXPECT_EQ(IncrByFloat("0", "-0"), "0");
  EXPECT_EQ(IncrByFloat("-0", "0"), "0");
  EXPECT_EQ(IncrByFloat("1", "-1"), "0");
  EXPECT_EQ(IncrByFloat("0.1", "0.2"), "0.3");
  EXPECT_EQ(IncrByFloat("-5", "0.5"), "-4.5");
  EXPECT_EQ(IncrByFloat("0", "1e-17"), "0.00000000000000001");
  EXPECT_EQ(IncrByFloat("0", "1e-18"), "0");
  EXPECT_EQ(IncrByFloat("0", "-1e-18"), "0");
  EXPECT_EQ(IncrByFloat("0", "0.000000000000000015"), "0.00000000000000002");
  EXPECT_EQ(IncrByFloat("1.1", "0"), "1.1");
  EXPECT_EQ(IncrByFloat("2.675", "0"), "2.675");
  EXPECT_EQ(IncrByFloat("0", "1.23456789012345678901234"), "1.23456789012345679");
  EXPECT_EQ(IncrByFloat("1e20", "0"), "100000000000000000000");
  EXPECT_EQ(IncrByFloat("1e25", "0"), "10000000000000000000000000");
  EXPECT_EQ(IncrByFloat("123456789012345678", "0"), "123456789012345678");
  EXPECT_EQ(IncrByFloat("9007199254740993", "0"), "9007199254740993");
  EXPECT_EQ(IncrByFloat("0", "0x1p-3"), "0.125");
  EXPECT_EQ(IncrByFloat("3", "1.5"), "4.5");
  EXPECT_EQ(IncrByFloat("-3.5", "-0.00000000000000001"), "-3.50000000000000001");
  EXPECT_EQ(IncrByFloat("0.1", "0"), "0.1");
  EXPECT_EQ(IncrByFloat("-1e20", "-0.5"), "-100000000000000000000");
  EXPECT_EQ(IncrByFloat("1.5", "-1e-18"), "1.5");
  EXPECT_EQ(IncrByFloat("0", "-0.1"), "-0.1");
  EXPECT_EQ(IncrByFloat("7", "-7.000000000000000001"), "0");  // "-0" becomes "0"
  EXPECT_EQ(IncrByFloat("99.99", "0.01"), "100");
  EXPECT_EQ(IncrByFloat("1e-310", "0"), "0");
  EXPECT_EQ(IncrByFloat("1.00000000000000000001", "0"), "1");
  EXPECT_EQ(IncrByFloat("1e300", "1e300"),
            "20000000000000000000179946481591183877410478885465814958765201646425312931923618"
            "71511698304167500994380700745017228549671807185112369345967826192521041497292574"
            "65427128368730658816851021521203357945330586474006110276589524198908058954556377"
            "9241212358535223254194821301134374772211380178849830208012288");
  // Huge values print every digit: 4933 characters for 1e4932.
  const std::string huge = IncrByFloat("1e4932", "0");
  EXPECT_EQ(huge.size(), 4933u);
  EXPECT_EQ(huge.substr(0, 30), "100000000000000000000601894938");
  EXPECT_EQ(IncrByFloat("-1e4932", "0").size(), 4934u);
  EXPECT_EQ(FormatLongDouble(INFINITY), "inf");
  EXPECT_EQ(FormatLongDouble(-INFINITY), "-inf");
}

TEST(AppendRepr, QuotesLikeRedis) {
  std::string out = "x=";
  AppendRepr(&out, std::string_view("a\"b\\c\n\r\t\a\b\x01\x7f\xff z", 15));
  EXPECT_EQ(out, "x=\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\x7f\\xff z\"");
  std::string empty;
  AppendRepr(&empty, "");
  EXPECT_EQ(empty, "\"\"");
}

}  // namespace
}  // namespace duet
