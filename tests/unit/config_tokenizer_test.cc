// redis.conf lexical rules (utils/config_tokenizer.h).
// Expected results were checked against redis-server 7.0.15.

#include "utils/config_tokenizer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace duet {
namespace {

using Args = std::vector<std::string>;

Args Split(std::string_view line) {
  auto r = SplitConfigArgs(line);
  EXPECT_TRUE(r.has_value()) << "unexpected unbalanced quotes in: " << line;
  return r.value_or(Args{"<unbalanced>"});
}

TEST(ConfigTokenizer, SplitsOnBlanks) {
  EXPECT_EQ(Split("port 6379"), (Args{"port", "6379"}));
  EXPECT_EQ(Split("  bind\t127.0.0.1   -::1  "), (Args{"bind", "127.0.0.1", "-::1"}));
  EXPECT_EQ(Split("a\r\nb"), (Args{"a", "b"}));
  EXPECT_EQ(Split(""), Args{});
  EXPECT_EQ(Split(" \t "), Args{});
  // A vertical tab separates nothing inside an argument, but is skipped before one.
  EXPECT_EQ(Split("\va\vb"), (Args{"a\vb"}));
}

TEST(ConfigTokenizer, DoubleQuotesAndEscapes) {
  EXPECT_EQ(Split("logfile \"a b.log\""), (Args{"logfile", "a b.log"}));
  EXPECT_EQ(Split(R"("\x41\x7a\n\r\t\b\a\\\"\q")"), (Args{"Az\n\r\t\b\a\\\"q"}));
  // \x needs two hex digits; otherwise the x stands for itself.
  EXPECT_EQ(Split(R"("\xZZ" "\x4")"), (Args{"xZZ", "x4"}));
  EXPECT_EQ(Split(R"("\x00")"), (Args{std::string(1, '\0')}));
  EXPECT_EQ(Split("\"\""), (Args{""}));
  EXPECT_EQ(Split("save \"\""), (Args{"save", ""}));
  EXPECT_EQ(Split("\"\" \"\""), (Args{"", ""}));
  EXPECT_EQ(Split("\"a\"\t\"b\""), (Args{"a", "b"}));
}

TEST(ConfigTokenizer, SingleQuotesOnlyEscapeTheQuote) {
  EXPECT_EQ(Split(R"('a\'b')"), (Args{"a'b"}));
  EXPECT_EQ(Split(R"('a\nb\x')"), (Args{R"(a\nb\x)"}));
  // The backslash before the closing quote escapes it: the quote never closes.
  EXPECT_FALSE(SplitConfigArgs(R"('a\\')").has_value());
  EXPECT_EQ(Split(R"('say "hi"')"), (Args{"say \"hi\""}));
}

TEST(ConfigTokenizer, QuotesMayOpenInsideAnArgument) {
  EXPECT_EQ(Split("ab\"c d\" e"), (Args{"abc d", "e"}));
  EXPECT_EQ(Split("x'y z'"), (Args{"xy z"}));
}

TEST(ConfigTokenizer, UnbalancedQuotes) {
  for (std::string_view line : {"port \"123", "port \"123\"x", "port '123'x", "port 'abc", "\"",
                                "'", "a \"b\\\"", "\"a\"\"b\""}) {
    EXPECT_FALSE(SplitConfigArgs(line).has_value()) << line;
  }
}

TEST(ConfigTokenizer, NulEndsTheLine) {
  EXPECT_EQ(Split(std::string_view("a b\0c d", 7)), (Args{"a", "b"}));
}

TEST(ConfigTokenizer, TrimConfigLine) {
  EXPECT_EQ(TrimConfigLine("  \tport 1 \r\n"), "port 1");
  EXPECT_EQ(TrimConfigLine(" \r\n\t"), "");
  EXPECT_EQ(TrimConfigLine("\vx\v"), "\vx\v");
}

TEST(ConfigTokenizer, QuoteConfigArgMatchesRedisRepr) {
  EXPECT_EQ(QuoteConfigArg("abc"), "\"abc\"");
  EXPECT_EQ(QuoteConfigArg(""), "\"\"");
  EXPECT_EQ(QuoteConfigArg("a'b"), "\"a'b\"");
  EXPECT_EQ(QuoteConfigArg("a\"b\\"), R"("a\"b\\")");
  EXPECT_EQ(QuoteConfigArg("a\nb\r\t\a\b"), R"("a\nb\r\t\a\b")");
  EXPECT_EQ(QuoteConfigArg(std::string("\x01\x7f\xff", 3)), R"("\x01\x7f\xff")");
}

TEST(ConfigTokenizer, QuoteRoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(Split(QuoteConfigArg(one)), Args{one}) << "byte " << c;
    all.push_back(static_cast<char>(c));
  }
  EXPECT_EQ(Split("x " + QuoteConfigArg(all) + " y"), (Args{"x", all, "y"}));
}

TEST(ConfigTokenizer, MemoryUnits) {
  EXPECT_EQ(ParseMemoryValue("0"), 0u);
  EXPECT_EQ(ParseMemoryValue("123"), 123u);
  EXPECT_EQ(ParseMemoryValue("007"), 7u);
  EXPECT_EQ(ParseMemoryValue("1b"), 1u);
  EXPECT_EQ(ParseMemoryValue("1B"), 1u);
  EXPECT_EQ(ParseMemoryValue("1k"), 1000u);
  EXPECT_EQ(ParseMemoryValue("1K"), 1000u);
  EXPECT_EQ(ParseMemoryValue("1kb"), 1024u);
  EXPECT_EQ(ParseMemoryValue("1Kb"), 1024u);
  EXPECT_EQ(ParseMemoryValue("2m"), 2000000u);
  EXPECT_EQ(ParseMemoryValue("2mb"), 2u * 1024 * 1024);
  EXPECT_EQ(ParseMemoryValue("1Mb"), 1024u * 1024);
  EXPECT_EQ(ParseMemoryValue("3g"), 3000000000u);
  EXPECT_EQ(ParseMemoryValue("1gB"), 1024u * 1024 * 1024);
  EXPECT_EQ(ParseMemoryValue("512mb"), 536870912u);
}

TEST(ConfigTokenizer, MemoryQuirksOfRedis70) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(ParseMemoryValue(""), 0u);
  EXPECT_EQ(ParseMemoryValue("kb"), 0u);
  EXPECT_EQ(ParseMemoryValue("18446744073709551615"), kMax);
  EXPECT_EQ(ParseMemoryValue("18446744073709551616"), kMax);
  EXPECT_EQ(ParseMemoryValue("99999999999999999999999"), kMax);
  EXPECT_EQ(ParseMemoryValue("20000000000gb"), 3028092406290448384u);  // wraps
  EXPECT_EQ(ParseMemoryValue(std::string(127, '9')), kMax);
  EXPECT_FALSE(ParseMemoryValue(std::string(128, '9')).has_value());
}

TEST(ConfigTokenizer, MemoryRejects) {
  for (std::string_view bad : {"-1", "-0", "+1", " 1", "1 ", "1 kb", "1.5kb", "1kk", "0x1", "1t",
                               "1tb", "abc", "1bb", "k1"}) {
    EXPECT_FALSE(ParseMemoryValue(bad).has_value()) << bad;
  }
}

TEST(ConfigTokenizer, YesNo) {
  EXPECT_EQ(ParseYesNo("yes"), true);
  EXPECT_EQ(ParseYesNo("YES"), true);
  EXPECT_EQ(ParseYesNo("Yes"), true);
  EXPECT_EQ(ParseYesNo("no"), false);
  EXPECT_EQ(ParseYesNo("nO"), false);
  for (std::string_view bad : {"", "1", "0", "y", "n", "true", "yes ", " no"}) {
    EXPECT_FALSE(ParseYesNo(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace duet
