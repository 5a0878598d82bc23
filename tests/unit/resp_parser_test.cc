#include "protocol/resp_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace duet {
namespace {

using Commands = std::vector<std::vector<std::string>>;

// Feeds `input` in pieces of the given sizes (the tail in one piece) and
// collects the commands, exactly as a connection would: unconsumed bytes stay
// at the front of the buffer.
Commands FeedInPieces(const std::string& input, const std::vector<size_t>& cuts,
                      std::string* error = nullptr) {
  RespParser p;
  Commands out;
  std::string buf;
  size_t fed = 0, cut = 0;
  while (fed < input.size()) {
    size_t n = cut < cuts.size() ? cuts[cut++] : input.size() - fed;
    n = std::min(n, input.size() - fed);
    buf.append(input, fed, n);
    fed += n;
    while (true) {
      size_t consumed = 0;
      auto r = p.Parse(buf.data(), buf.size(), &consumed);
      if (r == RespParser::Result::kNeedMore) break;
      if (r == RespParser::Result::kError) {
        if (error) *error = std::string(p.error());
        return out;
      }
      if (!p.args().empty()) out.emplace_back(p.args().begin(), p.args().end());
      buf.erase(0, consumed);
    }
  }
  return out;
}

Commands FeedAll(const std::string& input, std::string* error = nullptr) {
  return FeedInPieces(input, {}, error);
}

const std::string kPipeline =
    "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n"
    "*1\r\n$4\r\nPING\r\n"
    "*0\r\n"
    "get  key\r\n"
    "\r\n"
    "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
    "set \"a b\" 'c\\'d' \"\\x41\\n\"\n";

const Commands kExpected = {{"SET", "key", "va\r\nl"},
                            {"PING"},
                            {"get", "key"},
                            {"ECHO", ""},
                            {"set", "a b", "c'd", "A\n"}};

TEST(RespParser, WholeBuffer) { EXPECT_EQ(FeedAll(kPipeline), kExpected); }

TEST(RespParser, OneByteAtATime) {
  std::vector<size_t> ones(kPipeline.size(), 1);
  EXPECT_EQ(FeedInPieces(kPipeline, ones), kExpected);
}

TEST(RespParser, EverySplitPoint) {
  for (size_t i = 1; i < kPipeline.size(); ++i) {
    EXPECT_EQ(FeedInPieces(kPipeline, {i}), kExpected) << "split at " << i;
  }
}

TEST(RespParser, RandomSplits) {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<size_t> cuts;
    for (size_t total = 0; total < kPipeline.size();) {
      size_t n = 1 + rng() % 7;
      cuts.push_back(n);
      total += n;
    }
    EXPECT_EQ(FeedInPieces(kPipeline, cuts), kExpected);
  }
}

TEST(RespParser, ProtocolErrorsUseRedisText) {
  std::string err;
  FeedAll("*abc\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: invalid multibulk length");
  FeedAll("*99999999999\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: invalid multibulk length");
  FeedAll("*1\r\n$-1\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: invalid bulk length");
  FeedAll("*1\r\n$2147483648\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: invalid bulk length");
  FeedAll("*1\r\n+OK\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: expected '$', got '+'");
  FeedAll("set \"unbalanced\r\n", &err);
  EXPECT_EQ(err, "ERR Protocol error: unbalanced quotes in request");
  FeedAll(std::string(70 * 1024, 'a'), &err);
  EXPECT_EQ(err, "ERR Protocol error: too big inline request");
  FeedAll("*" + std::string(70 * 1024, '1'), &err);
  EXPECT_EQ(err, "ERR Protocol error: too big mbulk count string");
  FeedAll("*1\r\n$" + std::string(70 * 1024, '1'), &err);
  EXPECT_EQ(err, "ERR Protocol error: too big bulk count string");
}

TEST(RespParser, NegativeCountIsAnEmptyRequest) {
  EXPECT_EQ(FeedAll("*-5\r\n*1\r\n$4\r\nPING\r\n"), (Commands{{"PING"}}));
}

TEST(RespParser, BulkLimitIsConfigurable) {
  RespParser p;
  p.set_max_bulk_len(4);
  std::string in = "*1\r\n$5\r\nhello\r\n";
  size_t consumed;
  EXPECT_EQ(p.Parse(in.data(), in.size(), &consumed), RespParser::Result::kError);
  EXPECT_EQ(p.error(), "ERR Protocol error: invalid bulk length");
}

TEST(RespParser, UnauthenticatedLimits) {
  RespParser p;
  p.set_authenticated(false);
  std::string many = "*11\r\n";
  size_t consumed;
  EXPECT_EQ(p.Parse(many.data(), many.size(), &consumed), RespParser::Result::kError);
  EXPECT_EQ(p.error(), "ERR Protocol error: unauthenticated multibulk length");
  RespParser q;
  q.set_authenticated(false);
  std::string big = "*1\r\n$16385\r\n";
  EXPECT_EQ(q.Parse(big.data(), big.size(), &consumed), RespParser::Result::kError);
  EXPECT_EQ(q.error(), "ERR Protocol error: unauthenticated bulk length");
}

TEST(RespParser, AsksForWholeBigArgument) {
  RespParser p;
  std::string in = "*1\r\n$100000\r\nabc";
  size_t consumed;
  EXPECT_EQ(p.Parse(in.data(), in.size(), &consumed), RespParser::Result::kNeedMore);
  EXPECT_EQ(p.bytes_wanted(), std::string("*1\r\n$100000\r\n").size() + 100000 + 2);
}

// Checked against redis-server 7.0.15: "SET k a\0b\r\n" gets no reply at all,
// nor does anything pipelined after it, and once more than 64 KB are
// buffered the reply is the too-big-inline error (Redis finds the newline
// with strchr(), which stops at the NUL). Found by fuzz_resp_inline, which
// compares inline splitting with the configuration tokenizer's.
TEST(RespParser, NulByteHidesTheInlineNewline) {
  std::string in("set k a\0b\r\nPING\r\n", 17);
  RespParser p;
  size_t consumed = 1;
  EXPECT_EQ(p.Parse(in.data(), in.size(), &consumed), RespParser::Result::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  std::string error;
  Commands got = FeedAll(in + std::string(70000, 'x'), &error);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(error, "ERR Protocol error: too big inline request");
  // A NUL inside a multibulk argument is just a byte.
  got = FeedAll(std::string("*2\r\n$4\r\nECHO\r\n$3\r\na\0b\r\n", 23));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0][1], std::string("a\0b", 3));
}

// Checked against redis-server 7.0.15: "ECHO a\vb" echoes "a\vb", while
// "ECHO \v\fab" echoes "ab". Found by fuzz_resp_inline.
TEST(RespParser, VerticalTabAndFormFeedSeparateOnlyBeforeAnArgument) {
  Commands got = FeedAll("ECHO a\vb\fc\r\nECHO \v\fab\r\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (std::vector<std::string>{"ECHO", "a\vb\fc"}));
  EXPECT_EQ(got[1], (std::vector<std::string>{"ECHO", "ab"}));
}

// Redis 7.0.15 answers a 100 KB inline line with the too-big-inline error even
// when the newline is already buffered (its 16 KB reads pass 64 KB before
// reaching it). Found by tests/integration/test_hostile.py.
TEST(RespParser, InlineLineOverTheLimitIsRefusedWhole) {
  std::string error;
  Commands got = FeedAll(std::string(100 * 1024, 'x') + "\r\n", &error);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(error, "ERR Protocol error: too big inline request");
  got = FeedAll("ECHO " + std::string(60 * 1024, 'x') + "\r\n", &error);
  ASSERT_EQ(got.size(), 1u);
}

}  // namespace
}  // namespace duet
