#include "protocol/memcache_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace duet {
namespace {

const char* Name(McCommand c) {
  switch (c) {
    case McCommand::kGet:
      return "get";
    case McCommand::kGets:
      return "gets";
    case McCommand::kGat:
      return "gat";
    case McCommand::kGats:
      return "gats";
    case McCommand::kSet:
      return "set";
    case McCommand::kAdd:
      return "add";
    case McCommand::kReplace:
      return "replace";
    case McCommand::kAppend:
      return "append";
    case McCommand::kPrepend:
      return "prepend";
    case McCommand::kCas:
      return "cas";
    case McCommand::kIncr:
      return "incr";
    case McCommand::kDecr:
      return "decr";
    case McCommand::kTouch:
      return "touch";
    case McCommand::kDelete:
      return "delete";
    case McCommand::kFlushAll:
      return "flush_all";
    case McCommand::kVersion:
      return "version";
    case McCommand::kVerbosity:
      return "verbosity";
    case McCommand::kQuit:
      return "quit";
    case McCommand::kStats:
      return "stats";
    case McCommand::kShutdown:
      return "shutdown";
    case McCommand::kMetaGet:
      return "mg";
    case McCommand::kMetaSet:
      return "ms";
    case McCommand::kMetaDelete:
      return "md";
    case McCommand::kMetaArithmetic:
      return "ma";
    case McCommand::kMetaNoop:
      return "mn";
    case McCommand::kMetaDebug:
      return "me";
    case McCommand::kError:
      return "ERR";
    case McCommand::kNone:
      return "none";
  }
  return "?";
}

// One line per request, with the fields that matter for its command.
std::string Describe(const McRequest& r) {
  std::string s = Name(r.command);
  if (r.command == McCommand::kError) {
    s += " " + std::string(r.error);
  } else {
    if (!r.key.empty()) s += " " + std::string(r.key);
    for (auto k : r.keys) s += " " + std::string(k);
    for (auto a : r.args) s += " <" + std::string(a) + ">";
    if (r.flags != 0) s += " f=" + std::to_string(r.flags);
    if (r.exptime != 0) s += " e=" + std::to_string(r.exptime);
    if (r.cas != 0) s += " cas=" + std::to_string(r.cas);
    if (r.delta != 0) s += " d=" + std::to_string(r.delta);
    if (r.command == McCommand::kSet || r.command == McCommand::kAdd ||
        r.command == McCommand::kReplace || r.command == McCommand::kAppend ||
        r.command == McCommand::kPrepend || r.command == McCommand::kCas ||
        r.command == McCommand::kMetaSet) {
      if (r.too_large) {
        s += " TOO_LARGE";
      } else if (r.data.size() > 40) {
        s += " [" + std::to_string(r.data.size()) + " bytes]";
      } else {
        s += " [" + std::string(r.data) + "]";
      }
    }
    if (r.command >= McCommand::kMetaGet && r.command <= McCommand::kMetaDebug) {
      s += " flags=" + std::string(r.meta.order, r.meta.order_len);
    }
  }
  if (r.noreply) s += " noreply";
  if (r.close) s += " close";
  return s;
}

using Transcript = std::vector<std::string>;

// Feeds `input` in pieces of the given sizes (the rest in one piece) as a
// connection does: unconsumed bytes stay at the front of the buffer, and the
// buffer is moved (erase) between calls.
Transcript Feed(const std::string& input, const std::vector<size_t>& cuts,
                int64_t max_item = 1024 * 1024) {
  McParser p;
  p.set_max_item_size(max_item);
  Transcript out;
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
      if (r == McParser::Result::kNeedMore) {
        EXPECT_EQ(consumed, 0u);
        break;
      }
      EXPECT_GT(consumed, 0u);
      if (r == McParser::Result::kRequest) out.push_back(Describe(p.request()));
      buf.erase(0, consumed);
    }
  }
  return out;
}

Transcript FeedAll(const std::string& input, int64_t max_item = 1024 * 1024) {
  return Feed(input, {}, max_item);
}

// Checks the transcript of `input` whole, byte by byte, split at every byte
// and in random pieces.
void ExpectAllSplits(const std::string& input, const Transcript& expected,
                     int64_t max_item = 1024 * 1024) {
  EXPECT_EQ(FeedAll(input, max_item), expected) << "whole";
  EXPECT_EQ(Feed(input, std::vector<size_t>(input.size(), 1), max_item), expected) << "bytes";
  for (size_t i = 1; i < input.size(); ++i) {
    ASSERT_EQ(Feed(input, {i}, max_item), expected) << "split at " << i;
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<size_t> cuts;
    for (size_t total = 0; total < input.size();) {
      size_t n = 1 + rng() % 9;
      cuts.push_back(n);
      total += n;
    }
    ASSERT_EQ(Feed(input, cuts, max_item), expected) << "round " << round;
  }
}

TEST(McParser, ClassicPipelineAtEverySplit) {
  const std::string input =
      "get a\r\n"
      "gets a bb  ccc\r\n"
      "set k 5 100 5\r\nhe\r\nl\r\n"
      "add k 0 0 0 noreply\r\n\r\n"
      "cas k 1 2 3 77\r\nxyz\r\n"
      "append k 0 0 1\nz\r\n"
      "incr n 18446744073709551615\r\n"
      "decr n 2 noreply\r\n"
      "touch k -1\r\n"
      "gat 30 a b\r\n"
      "gats 0 a\r\n"
      "delete k\r\n"
      "delete k 0 noreply\r\n"
      "flush_all\r\n"
      "flush_all 10 noreply\r\n"
      "version\r\n"
      "verbosity 1\r\n"
      "stats items\r\n"
      "quit\r\n";
  ExpectAllSplits(
      input, {"get a", "gets a bb ccc", "set k f=5 e=100 [he\r\nl]", "add k [] noreply",
              "cas k f=1 e=2 cas=77 [xyz]", "append k [z]", "incr n d=18446744073709551615",
              "decr n d=2 noreply", "touch k e=-1", "gat a b e=30", "gats a", "delete k",
              "delete k noreply", "flush_all", "flush_all e=10 noreply", "version", "verbosity",
              "stats <items>", "quit"});
}

TEST(McParser, NumbersAsMemcachedReadsThem) {
  EXPECT_EQ(FeedAll("set k 4294967296 0 1\r\nx\r\nset k 12345678901 0 01\r\ny\r\n"),
            (Transcript{"set k [x]", "set k f=3755744309 [y]"}));
  EXPECT_EQ(FeedAll("set k -1 0 1\r\n"), Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("set k 0x1 0 1\r\n"), Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("set k 0 0 -1\r\n"), Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("set k 0 0 2147483646\r\n", INT64_MAX),
            Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("cas k 0 0 1 18446744073709551616\r\n"),
            Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("incr k -1\r\nincr k x noreply\r\n"),
            (Transcript{"ERR CLIENT_ERROR invalid numeric delta argument",
                        "ERR CLIENT_ERROR invalid numeric delta argument noreply"}));
  EXPECT_EQ(FeedAll("touch k x\r\ngat x k\r\n"),
            (Transcript{"ERR CLIENT_ERROR invalid exptime argument",
                        "ERR CLIENT_ERROR invalid exptime argument"}));
}

TEST(McParser, WrongTokenCountsAreUnknownCommands) {
  EXPECT_EQ(FeedAll("bogus\r\n\r\nGET a\r\nget\r\nset a 0 0\r\nset a 0 0 1 noreply x\r\n"
                    "cas a 0 0 1\r\nincr a\r\ntouch a\r\nflush_all 1 2 3\r\nverbosity\r\n"
                    "delete\r\n"),
            Transcript(12, "ERR ERROR"));
  // An error line does not read a data block: the block is the next command.
  EXPECT_EQ(FeedAll("set a 0 0 x\r\nabc\r\n"),
            (Transcript{"ERR CLIENT_ERROR bad command line format", "ERR ERROR"}));
}

TEST(McParser, NoreplyAppliesToLineErrors) {
  EXPECT_EQ(FeedAll("set k x 0 1 noreply\r\nset k 0 0 1 foo\r\nv\r\n"),
            (Transcript{"ERR CLIENT_ERROR bad command line format noreply", "set k [v]"}));
  EXPECT_EQ(FeedAll("delete a 5\r\ndelete a x noreply\r\ndelete a 0 0\r\n"),
            (Transcript{
                "ERR CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]",
                "ERR CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply] noreply",
                "ERR CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]"}));
  EXPECT_EQ(FeedAll("flush_all x\r\nflush_all noreply x\r\nverbosity noreply\r\n"),
            (Transcript{"ERR CLIENT_ERROR invalid exptime argument",
                        "ERR CLIENT_ERROR invalid exptime argument",
                        "ERR CLIENT_ERROR bad command line format noreply"}));
}

TEST(McParser, KeyLimits) {
  std::string k250(250, 'k'), k251(251, 'k');
  EXPECT_EQ(FeedAll("get " + k250 + "\r\n"), Transcript{"get " + k250});
  EXPECT_EQ(FeedAll("get a " + k251 + " b\r\n"),
            Transcript{"ERR CLIENT_ERROR bad command line format"});
  EXPECT_EQ(FeedAll("set " + k251 + " 0 0 1\r\nx\r\n"),
            (Transcript{"ERR CLIENT_ERROR bad command line format", "ERR ERROR"}));
  for (std::string bad :
       std::vector<std::string>{"a\tb", "a\x01", "a\x7f", std::string("a\0b", 3)}) {
    EXPECT_EQ(FeedAll("get " + bad + "\r\n"),
              Transcript{"ERR CLIENT_ERROR bad command line format"});
    EXPECT_EQ(FeedAll("delete " + bad + "\r\n"),
              Transcript{"ERR CLIENT_ERROR bad command line format"});
    EXPECT_EQ(FeedAll("mg " + bad + " v\r\n"),
              Transcript{"ERR CLIENT_ERROR bad command line format"});
  }
  // UTF-8 is not a control character.
  EXPECT_EQ(FeedAll("get caf\xc3\xa9\r\n"), Transcript{"get caf\xc3\xa9"});
}

TEST(McParser, BadDataChunkDropsExactlyTheBlock) {
  // The block is <bytes> + 2 bytes whatever they are; what follows is parsed.
  ExpectAllSplits("set a 0 0 3\r\nabcde\r\nget a\r\nset b 0 0 1 noreply\r\nxyz\r\nmn\r\n",
                  {"ERR CLIENT_ERROR bad data chunk", "ERR ERROR", "get a",
                   "ERR CLIENT_ERROR bad data chunk noreply", "ERR ERROR", "mn flags="});
  EXPECT_EQ(FeedAll("set k 0 0 1\nx\nget k\n"),
            (Transcript{"ERR CLIENT_ERROR bad data chunk", "ERR ERROR"}));
  // ms always reports it (q does not hide errors).
  EXPECT_EQ(FeedAll("ms k 1 q\r\nxyz\r\n"),
            (Transcript{"ERR CLIENT_ERROR bad data chunk", "ERR ERROR"}));
}

TEST(McParser, TooLargeIsAnsweredAndSwallowed) {
  std::string big(5000, 'x');
  std::string input = "set k 0 0 5000\r\n" + big + "\r\nget k\r\n" + "ms k 5000 T1\r\n" + big +
                      "\r\nset j 0 0 4000 noreply\r\n" + big.substr(0, 4000) + "\r\nmn\r\n";
  McParser p;
  p.set_max_item_size(4000);
  Transcript expected = {"set k TOO_LARGE", "get k", "ERR SERVER_ERROR object too large for cache",
                         "set j [4000 bytes] noreply", "mn flags="};
  ExpectAllSplits(input, expected, 4000);
  // The answer comes before the block arrives, and the block is never buffered.
  size_t consumed = 0;
  std::string line = "set k 0 0 1000000000\r\n";
  ASSERT_EQ(p.Parse(line.data(), line.size(), &consumed), McParser::Result::kRequest);
  EXPECT_TRUE(p.request().too_large);
  EXPECT_EQ(consumed, line.size());
  EXPECT_EQ(p.swallowing(), 1000000002u);
  std::string chunk(64 * 1024, 'x');
  ASSERT_EQ(p.Parse(chunk.data(), chunk.size(), &consumed), McParser::Result::kSkipped);
  EXPECT_EQ(consumed, chunk.size());
}

TEST(McParser, WaitsForTheWholeBlockAndSaysHowMuch) {
  McParser p;
  std::string input = "set k 0 0 10\r\n01234";
  size_t consumed = 99;
  EXPECT_EQ(p.Parse(input.data(), input.size(), &consumed), McParser::Result::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(p.bytes_wanted(), 14u + 12u);
}

// Found by fuzz_memcache_text: a line too long that is still unterminated
// came out with the previous request's key (a view into bytes the caller had
// since dropped). Every field of an error request is reset.
TEST(McParser, LineTooLongCarriesNothingFromThePreviousRequest) {
  McParser p;
  std::string first = "mg k v O123\r\n";
  size_t consumed = 0;
  ASSERT_EQ(p.Parse(first.data(), first.size(), &consumed), McParser::Result::kRequest);
  ASSERT_EQ(p.request().key, "k");
  std::string junk(3000, 'x');
  ASSERT_EQ(p.Parse(junk.data(), junk.size(), &consumed), McParser::Result::kRequest);
  const McRequest& r = p.request();
  EXPECT_EQ(r.command, McCommand::kError);
  EXPECT_EQ(r.error, "CLIENT_ERROR line too long");
  EXPECT_TRUE(r.key.empty());
  EXPECT_TRUE(r.key_token.empty());
  EXPECT_TRUE(r.meta.opaque.empty());
  EXPECT_EQ(r.meta.present, 0u);
}

TEST(McParser, LongLines) {
  // A non-get line over 2048 bytes, complete or not, ends the connection.
  std::string junk(3000, 'x');
  EXPECT_EQ(FeedAll(junk), Transcript{"ERR CLIENT_ERROR line too long close"});
  EXPECT_EQ(FeedAll("bogus " + junk + "\r\n"), Transcript{"ERR CLIENT_ERROR line too long close"});
  EXPECT_EQ(Feed(std::string(101, ' ') + "get " + junk, {2100}),
            Transcript{"ERR CLIENT_ERROR line too long close"});
  // get and gets may name any number of keys.
  std::string keys;
  Transcript expected = {"get"};
  for (int i = 0; i < 2000; ++i) {
    keys += " key" + std::to_string(i);
    expected[0] += " key" + std::to_string(i);
  }
  EXPECT_EQ(Feed("get" + keys + "\r\n", {100, 3000, 5000}), expected);
  EXPECT_EQ(FeedAll("  get" + keys + "\r\n"), expected);
}

TEST(McParser, TokenizerAgainstANaiveSplit) {
  // Random get lines: runs of spaces, bytes that look like spaces to a naive
  // word test ('!', 0xa0), control characters anywhere.
  std::mt19937 rng(11);
  const std::string alphabet = std::string("ab!~ \xa0\x7f\x1f\t") + std::string(1, '\0');
  for (int round = 0; round < 3000; ++round) {
    std::string line = "get";
    size_t n = 1 + rng() % 40;
    for (size_t i = 0; i < n; ++i) line += alphabet[rng() % alphabet.size()];
    std::vector<std::string> words;
    bool control = false;
    std::string cur;
    for (char c : line.substr(3)) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) control = true;
      if (c == ' ') {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) words.push_back(cur);
    Transcript expected;
    if (line[3] != ' ') {
      expected = {"ERR ERROR"};  // "getab..." is not a command
    } else if (words.empty()) {
      expected = {"ERR ERROR"};
    } else if (control) {
      expected = {"ERR CLIENT_ERROR bad command line format"};
    } else {
      std::string desc = "get";
      for (const auto& w : words) desc += " " + w;
      expected = {desc};
    }
    ASSERT_EQ(FeedAll(line + "\r\n"), expected) << round;
  }
}

TEST(McParser, MetaCommandsAtEverySplit) {
  ExpectAllSplits(
      "mg foo t f v\r\n"
      "ms foo 2 T90 F5 c\r\nhi\r\n"
      "md foo q I T30 Oab\r\n"
      "ma cnt N0 J10 D3 MD v\r\n"
      "mn\r\n"
      "me foo\r\n"
      "ms Zm9v 0 b k\r\n\r\n",
      {"mg foo flags=tfv", "ms foo [hi] flags=TFc", "md foo flags=qITO", "ma cnt flags=NJDMv",
       "mn flags=", "me foo flags=", "ms foo [] flags=bk"});
}

TEST(McParser, MetaFlagTokens) {
  McParser p;
  std::string in = "ms k 1 T-1 F4294967297 C12 E34 MA O1234 q I\r\nx\r\n";
  size_t consumed;
  ASSERT_EQ(p.Parse(in.data(), in.size(), &consumed), McParser::Result::kRequest);
  const McMetaFlags& m = p.request().meta;
  EXPECT_EQ(m.ttl, -1);
  EXPECT_EQ(m.client_flags, 1u);
  EXPECT_EQ(m.compare_cas, 12u);
  EXPECT_EQ(m.new_cas, 34u);
  EXPECT_EQ(m.mode, 'A');
  EXPECT_EQ(m.opaque, "1234");
  EXPECT_TRUE(m.has('q'));
  EXPECT_TRUE(m.has('I'));
  EXPECT_FALSE(m.has('v'));
  EXPECT_TRUE(p.request().noreply);

  in = "ma k MI D5 J7 N60\r\n";
  ASSERT_EQ(p.Parse(in.data(), in.size(), &consumed), McParser::Result::kRequest);
  EXPECT_EQ(p.request().meta.mode, '+');
  EXPECT_EQ(p.request().meta.delta, 5u);
  EXPECT_EQ(p.request().meta.initial, 7u);
  EXPECT_EQ(p.request().meta.vivify_ttl, 60);
  in = "ma k M-\r\n";
  ASSERT_EQ(p.Parse(in.data(), in.size(), &consumed), McParser::Result::kRequest);
  EXPECT_EQ(p.request().meta.mode, '-');
  EXPECT_EQ(p.request().meta.delta, 1u);
}

TEST(McParser, MetaErrorsAsMemcached) {
  auto one = [](const std::string& in) {
    Transcript t = FeedAll(in);
    return t.empty() ? std::string() : t[0];
  };
  EXPECT_EQ(one("mg\r\n"), "ERR ERROR");
  EXPECT_EQ(one("md\r\n"), "ERR ERROR");
  EXPECT_EQ(one("ms\r\n"), "ERR ERROR");
  EXPECT_EQ(one("me\r\n"), "ERR CLIENT_ERROR bad command line format");
  EXPECT_EQ(one("ms foo\r\n"), "ERR CLIENT_ERROR bad command line format");
  EXPECT_EQ(one("mg foo zz\r\n"), "ERR CLIENT_ERROR invalid flag");
  EXPECT_EQ(one("mg foo v v\r\n"), "ERR CLIENT_ERROR duplicate flag");
  EXPECT_EQ(one("mg foo Tx\r\n"), "ERR CLIENT_ERROR bad token in command line format");
  EXPECT_EQ(one("mg foo N\r\n"), "ERR CLIENT_ERROR bad token in command line format");
  EXPECT_EQ(one("mg foo O" + std::string(32, 'o') + "\r\n"),
            "ERR CLIENT_ERROR opaque token too long");
  EXPECT_EQ(one("mg foo O" + std::string(31, 'o') + "\r\n"), "mg foo flags=O");
  EXPECT_EQ(one("mg hit b\r\n"), "ERR CLIENT_ERROR error decoding key");
  EXPECT_EQ(one("me hit b\r\n"), "ERR CLIENT_ERROR bad command line format");
  EXPECT_EQ(one("ms k 1 S5\r\nx\r\n"), "ERR CLIENT_ERROR invalid flag");
  EXPECT_EQ(one("ms k 1 MX\r\nx\r\n"), "ERR CLIENT_ERROR invalid mode for ms M token");
  EXPECT_EQ(one("ms k 1 MSS\r\nx\r\n"), "ERR CLIENT_ERROR incorrect length for M token");
  EXPECT_EQ(one("ms k 1 F-1\r\nx\r\n"), "ERR CLIENT_ERROR bad command line format");
  EXPECT_EQ(one("ms k 1 Cx\r\nx\r\n"), "ERR CLIENT_ERROR bad token in command line format");
  EXPECT_EQ(one("md k zz\r\n"), "ERR CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(one("md k q q\r\n"), "ERR CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(one("md k Cx\r\n"), "ERR CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(one("ma k Dx\r\n"), "ERR CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(one("ma k MII\r\n"), "ERR CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(one("ma k Ma\r\n"), "ERR CLIENT_ERROR invalid mode for ma M token");
  EXPECT_EQ(one("ma k O" + std::string(40, 'o') + "\r\n"),
            "ERR CLIENT_ERROR opaque token too long");
  // Errors after ms's length swallow the block; a bad length does not.
  EXPECT_EQ(FeedAll("ms k 2 zz\r\nhi\r\nmn\r\n"),
            (Transcript{"ERR CLIENT_ERROR invalid flag", "mn flags="}));
  EXPECT_EQ(FeedAll("ms k -1\r\nhi\r\n"),
            (Transcript{"ERR CLIENT_ERROR bad command line format", "ERR ERROR"}));
}

TEST(McParser, Base64Keys) {
  EXPECT_EQ(FeedAll("mg Zm9v b v\r\n"), Transcript{"mg foo flags=bv"});
  McParser p;
  std::string in = "ms AAEC/w== 1 b\r\nx\r\n";
  size_t consumed;
  ASSERT_EQ(p.Parse(in.data(), in.size(), &consumed), McParser::Result::kRequest);
  EXPECT_EQ(p.request().key, std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(p.request().key_token, "AAEC/w==");

  std::string out;
  for (std::string s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)}) {
    std::string enc, dec;
    McBase64Encode(s, &enc);
    ASSERT_TRUE(McBase64Decode(enc, &dec)) << enc;
    EXPECT_EQ(dec, s);
  }
  McBase64Encode("foob", &out);
  EXPECT_EQ(out, "Zm9vYg==");
  for (std::string bad : {"Zm9", "Zm9v=", "Z===", "Zm=v", "Zm9*", "=m9v"}) {
    EXPECT_FALSE(McBase64Decode(bad, &out)) << bad;
  }
}

}  // namespace
}  // namespace duet
