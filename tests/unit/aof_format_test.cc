// The AOF's formats: records, the parser (complete, torn and damaged
// streams) and the manifest (Redis 7.0's syntax and names).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/aof_manifest.h"
#include "persistence/aof_parser.h"
#include "persistence/aof_record.h"
#include "persistence/file.h"

namespace duet {
namespace {

std::vector<std::vector<std::string>> ParseAll(std::string_view data, AofParseOutcome* out) {
  std::vector<std::vector<std::string>> cmds;
  *out = ParseAofBuffer(data, [&](std::span<const std::string_view> argv, uint64_t) {
    cmds.emplace_back(argv.begin(), argv.end());
    return true;
  });
  return cmds;
}

TEST(AofRecordTest, WritesRespArraysOfBulkStrings) {
  std::string out;
  AppendAofSelect(out, 3);
  AppendAofRecord(out, {"SET", "k", ""});
  EXPECT_EQ(out, "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
  EXPECT_EQ(AofInt(-1234567890123).view(), "-1234567890123");
}

TEST(AofParserTest, RoundTripsBinaryArguments) {
  std::string data;
  const std::string bin("a\r\nb\0c", 6);
  AppendAofRecord(data, {"RPUSH", "list", bin, std::string(70000, 'x')});
  data += "#TS:1700000000\r\n";  // annotation lines are skipped
  AppendAofRecord(data, {"DEL", "list"});
  AofParseOutcome out;
  auto cmds = ParseAll(data, &out);
  EXPECT_EQ(out.kind, AofParseOutcome::Kind::kComplete);
  EXPECT_EQ(out.valid_bytes, data.size());
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0][2], bin);
  EXPECT_EQ(cmds[0][3].size(), 70000u);
  EXPECT_EQ(cmds[1], (std::vector<std::string>{"DEL", "list"}));
}

TEST(AofParserTest, EveryCutOfTheLastRecordIsATornTail) {
  std::string first, data;
  AppendAofRecord(first, {"SET", "a", "1"});
  data = first;
  AppendAofRecord(data, {"SET", "bb", "22"});
  for (size_t cut = first.size() + 1; cut < data.size(); ++cut) {
    AofParseOutcome out;
    auto cmds = ParseAll(std::string_view(data).substr(0, cut), &out);
    EXPECT_EQ(out.kind, AofParseOutcome::Kind::kTruncated) << cut;
    EXPECT_EQ(out.valid_bytes, first.size()) << cut;
    EXPECT_EQ(cmds.size(), 1u) << cut;
  }
}

TEST(AofParserTest, DamageIsReportedWithItsOffset) {
  std::string data;
  AppendAofRecord(data, {"SET", "a", "1"});
  const size_t good = data.size();
  data += "*2\r\n$3\r\nDEL\r\nx1\r\n";  // '$' expected
  AppendAofRecord(data, {"SET", "b", "2"});
  AofParseOutcome out;
  auto cmds = ParseAll(data, &out);
  EXPECT_EQ(out.kind, AofParseOutcome::Kind::kCorrupt);
  EXPECT_EQ(out.error_offset, good + 13);
  EXPECT_EQ(cmds.size(), 1u);
  for (std::string bad :
       {"hello\r\n", "*0\r\n", "*x\r\n", "*1\r\n$-1\r\n", "*1\r\n$3\r\nabcd\r\n"}) {
    auto c = ParseAll(bad, &out);
    EXPECT_EQ(out.kind, AofParseOutcome::Kind::kCorrupt) << bad;
    EXPECT_TRUE(c.empty());
  }
}

TEST(AofParserTest, FileParsingMatchesBufferParsingAcrossChunks) {
  std::string data;
  for (int i = 0; i < 3000; ++i) {
    AppendAofRecord(data, {"SET", "key:" + std::to_string(i), std::string(i % 900, 'v')});
  }
  data.resize(data.size() - 5);  // torn tail
  StringSequentialFile file(data);
  size_t n = 0;
  uint64_t last_offset = 0;
  AofParseOutcome out =
      ParseAofFile(file, [&](std::span<const std::string_view> argv, uint64_t at) {
        EXPECT_EQ(argv[1], "key:" + std::to_string(n));
        last_offset = at;
        ++n;
        return true;
      });
  EXPECT_EQ(out.kind, AofParseOutcome::Kind::kTruncated);
  EXPECT_EQ(n, 2999u);
  EXPECT_GT(out.valid_bytes, last_offset);
  EXPECT_EQ(data.substr(last_offset, 1), "*");
}

TEST(AofManifestTest, KeptHistoryIsNewestFirst) {
  // Three rewrites with history kept; the expected text is what
  // redis-server 7.0.15 wrote for the same steps.
  AofManifest m;
  m.NewBase("appendonly.aof", true, 0);
  m.NewIncr("appendonly.aof");
  for (int i = 0; i < 3; ++i) {
    m.NewIncr("appendonly.aof");
    m.NewBase("appendonly.aof", true, 1);
  }
  EXPECT_EQ(m.Serialize(),
            "file appendonly.aof.4.base.rdb seq 4 type b\n"
            "file appendonly.aof.3.incr.aof seq 3 type h\n"
            "file appendonly.aof.3.base.rdb seq 3 type h\n"
            "file appendonly.aof.2.incr.aof seq 2 type h\n"
            "file appendonly.aof.2.base.rdb seq 2 type h\n"
            "file appendonly.aof.1.incr.aof seq 1 type h\n"
            "file appendonly.aof.1.base.rdb seq 1 type h\n"
            "file appendonly.aof.4.incr.aof seq 4 type i\n");
}

TEST(AofManifestTest, SerializesAsRedisDoes) {
  AofManifest m;
  m.NewBase("appendonly.aof", true, 0);
  m.NewIncr("appendonly.aof");
  EXPECT_EQ(m.Serialize(),
            "file appendonly.aof.1.base.rdb seq 1 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type i\n");
  // A rewrite: new incr, then a new base that keeps only the newest incr.
  m.NewIncr("appendonly.aof");
  AofFileInfo base = m.NewBase("appendonly.aof", false, 1);
  EXPECT_EQ(base.name, "appendonly.aof.2.base.aof");
  // History is listed newest first, incr files before their base (as
  // redis-server 7.0.15 writes it with aof-disable-auto-gc yes).
  EXPECT_EQ(m.Serialize(),
            "file appendonly.aof.2.base.aof seq 2 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type h\n"
            "file appendonly.aof.1.base.rdb seq 1 type h\n"
            "file appendonly.aof.2.incr.aof seq 2 type i\n");
  AofManifest back;
  ASSERT_TRUE(AofManifest::Parse(m.Serialize(), &back).ok());
  EXPECT_EQ(back.Serialize(), m.Serialize());
  EXPECT_EQ(back.base_seq, 2);
  EXPECT_EQ(back.incr_seq, 2);
}

TEST(AofManifestTest, ParsesQuotedNamesKeysInAnyOrderAndComments) {
  AofManifest m;
  Status s = AofManifest::Parse(
      "# written by hand\n"
      "seq 4 type b file \"my file.4.base.rdb\"\n"
      "file x.5.incr.aof type i seq 5 newkey v\n",
      &m);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(m.base.name, "my file.4.base.rdb");
  ASSERT_EQ(m.incrs.size(), 1u);
  EXPECT_EQ(m.incrs[0].seq, 5);
  EXPECT_EQ(m.Serialize(),
            "file \"my file.4.base.rdb\" seq 4 type b\nfile x.5.incr.aof seq 5 type i\n");
}

// Names are quoted as Redis's sdscatrepr does and read back with the config
// line splitter (sdssplitargs), so \a, \b and \xHH survive a round trip.
TEST(AofManifestTest, QuotedNamesRoundTripWithRedisEscapes) {
  AofManifest m;
  ASSERT_TRUE(AofManifest::Parse("file \"a\\ab\\x01'q\" seq 1 type b\n", &m).ok());
  EXPECT_EQ(m.base.name, std::string("a\ab\x01'q"));
  EXPECT_EQ(m.Serialize(), "file \"a\\ab\\x01'q\" seq 1 type b\n");
  AofManifest back;
  ASSERT_TRUE(AofManifest::Parse(m.Serialize(), &back).ok());
  EXPECT_EQ(back.base.name, m.base.name);
}

TEST(AofManifestTest, RefusesMalformedManifests) {
  AofManifest m;
  for (const char* bad :
       {"", "file a seq 1\n", "file a seq x type b\n", "file a seq 1 type z\n",
        "file a seq 1 type b\nfile b seq 2 type b\n", "file a seq 2 type i\nfile b seq 1 type i\n",
        "file \"a seq 1 type b\n"}) {
    EXPECT_FALSE(AofManifest::Parse(bad, &m).ok()) << bad;
  }
}

}  // namespace
}  // namespace duet
