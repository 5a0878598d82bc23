// Damaged RDB input: every failure is reported with what is wrong and where,
// nothing is served from a file that does not load, and no input makes the
// reader read out of bounds or allocate what a corrupt length claims.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "persistence/crc64.h"
#include "persistence/dump_payload.h"
#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_writer.h"
#include "tests/unit/rdb_test_util.h"

namespace duet {
namespace {

using namespace rdbtest;

constexpr int64_t kNow = 1'700'000'000'000;

// A file whose records are written by `body` with RdbWriter pieces.
std::string Craft(const std::function<void(RdbWriter&)>& body, int version = rdb::kVersion) {
  std::string out;
  StringWritableFile f(&out);
  RdbWriter w(&f, RdbWriteOptions{});
  w.Header(version);
  body(w);
  EXPECT_TRUE(w.Finish().ok());
  return out;
}

Status LoadBytes(const std::string& bytes, Keyspace* ks, bool verify_checksum = true) {
  StringSequentialFile f(bytes);
  RdbLoadOptions o;
  o.now_ms = kNow;
  o.verify_checksum = verify_checksum;
  RdbLoadInfo info;
  return LoadRdb(f, *ks, o, &info);
}

std::string LoadError(const std::string& bytes, bool verify_checksum = true) {
  Keyspace ks(16);
  Status s = LoadBytes(bytes, &ks, verify_checksum);
  return s.ok() ? "OK" : s.message();
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A file with one key of every kind, for truncation and byte-flip sweeps.
std::string SampleFile() {
  Keyspace ks(16);
  CollectionLimits limits;
  AddString(ks.db(0), "s", "value");
  AddString(ks.db(0), "n", "12345");
  AddString(ks.db(0), "z", std::string(200, 'z'), kNow + 5000);
  AddList(ks.db(0), "l", limits, {"a", "b", "1"});
  AddSet(ks.db(0), "is", limits, {"1", "2"});
  AddSet(ks.db(0), "ss", limits, {"x", "y"});
  AddZSet(ks.db(1), "zl", limits, {{"a", 1}, {"b", 2}});
  std::vector<std::pair<std::string, double>> big;
  for (int i = 0; i < 200; ++i) big.push_back({"m" + std::to_string(i), i});
  AddZSet(ks.db(1), "zs", limits, big);
  AddHash(ks.db(2), "hl", limits, {{"f", "v"}});
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 600; ++i) many.push_back({"f" + std::to_string(i), "v"});
  AddHash(ks.db(2), "hh", limits, many);
  std::string out;
  StringWritableFile f(&out);
  RdbSaveOptions o;
  o.now_ms = kNow;
  EXPECT_TRUE(SaveRdb(ks, f, o, nullptr).ok());
  return out;
}

TEST(RdbCorruptTest, BadMagic) {
  std::string bytes = SampleFile();
  bytes[0] = 'X';
  EXPECT_EQ(LoadError(bytes), "wrong signature (not an RDB file) at offset 9");
  EXPECT_TRUE(Contains(LoadError("REDIS"), "unexpected end of file"));
  EXPECT_TRUE(Contains(LoadError(""), "at offset 0"));
  EXPECT_TRUE(Contains(LoadError("REDIS00x0"), "wrong signature"));
}

TEST(RdbCorruptTest, UnknownVersion) {
  std::string bytes = Craft([](RdbWriter&) {}, 11);
  EXPECT_EQ(LoadError(bytes), "can't handle RDB format version 11 at offset 9");
  EXPECT_EQ(LoadError(Craft([](RdbWriter&) {}, 0)),
            "can't handle RDB format version 0 at offset 9");
}

TEST(RdbCorruptTest, BadChecksum) {
  std::string bytes = SampleFile();
  bytes[bytes.size() - 3] ^= 0x10;
  std::string err = LoadError(bytes);
  EXPECT_TRUE(Contains(err, "wrong RDB checksum")) << err;
  EXPECT_TRUE(Contains(err, "at offset " + std::to_string(bytes.size() - 8))) << err;
  // rdbchecksum no: the same file loads.
  EXPECT_EQ(LoadError(bytes, false), "OK");
  // A changed data byte is caught by the checksum even if it still parses.
  std::string flipped = SampleFile();
  size_t at = flipped.find("value");
  ASSERT_NE(at, std::string::npos);
  flipped[at] = 'V';
  EXPECT_TRUE(Contains(LoadError(flipped), "wrong RDB checksum"));
}

TEST(RdbCorruptTest, EveryTruncationIsRefused) {
  const std::string bytes = SampleFile();
  ASSERT_EQ(LoadError(bytes), "OK");
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::string err = LoadError(bytes.substr(0, len));
    EXPECT_NE(err, "OK") << len;
    EXPECT_TRUE(Contains(err, "offset")) << err;
  }
}

TEST(RdbCorruptTest, ByteFlipsNeverCrash) {
  // With the checksum off the decoders see the damage themselves; each
  // flipped file must load or fail cleanly (this test matters most under
  // the sanitizers).
  const std::string bytes = SampleFile();
  size_t refused = 0;
  for (size_t i = 9; i < bytes.size() - 9; ++i) {
    for (int delta : {1, 0x7f, 0x80}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] + delta);
      if (LoadError(bad, false) != "OK") ++refused;
    }
  }
  EXPECT_GT(refused, 0u);
}

TEST(RdbCorruptTest, LengthPastTheEnd) {
  std::string bytes = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeString);
    w.String("k");
    w.Byte(rdb::kLen32);  // a 1 GB string in a tiny file
    w.Byte(0x40);
    w.Byte(0);
    w.Byte(0);
    w.Byte(0);
  });
  std::string err = LoadError(bytes);
  EXPECT_EQ(err, "string length of 1073741824 goes past the end of the input at offset 17");
  std::string set = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeSet);
    w.String("k");
    w.Length(uint64_t{1} << 40);
  });
  EXPECT_TRUE(Contains(LoadError(set), "set length of 1099511627776 goes past the end"));
  std::string lzf = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeString);
    w.String("k");
    w.Byte(0xC3);
    w.Length(3);
    w.Length(uint64_t{1} << 31);  // claims a 2 GB result from 3 bytes
    w.Raw("abc", 3);
  });
  EXPECT_TRUE(Contains(LoadError(lzf), "invalid LZF string lengths")) << LoadError(lzf);
}

TEST(RdbCorruptTest, BadLzfData) {
  std::string bytes = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeString);
    w.String("k");
    w.Byte(0xC3);
    w.Length(4);
    w.Length(10);
    w.Raw("\xff\xff\xff\xff", 4);  // a back reference before the start
  });
  EXPECT_TRUE(Contains(LoadError(bytes), "invalid LZF compressed string"));
}

TEST(RdbCorruptTest, ModuleAndStreamValuesNameKeyAndType) {
  std::string stream = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeStreamListpacks2);
    w.String("events");
    w.Raw("junk", 4);
  });
  Keyspace ks(16);
  Status s = LoadBytes(stream, &ks);
  EXPECT_EQ(s.code(), Status::Code::kNotSupported);
  EXPECT_EQ(s.message(),
            "key 'events' holds a stream value (RDB type 19, at offset 17), which Duet does not "
            "support");
  std::string module = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeModule2);
    w.String("m");
  });
  EXPECT_TRUE(Contains(LoadError(module), "key 'm' holds a module value (RDB type 7"));
  std::string aux = Craft([](RdbWriter& w) { w.Byte(rdb::kOpModuleAux); });
  EXPECT_TRUE(Contains(LoadError(aux), "module auxiliary data"));
  std::string fn = Craft([](RdbWriter& w) { w.Byte(rdb::kOpFunction2); });
  EXPECT_TRUE(Contains(LoadError(fn), "function libraries"));
}

TEST(RdbCorruptTest, StructuralErrors) {
  EXPECT_EQ(LoadError(Craft([](RdbWriter& w) { w.Byte(0x30); })),
            "unknown record type 48 at offset 9");
  EXPECT_TRUE(Contains(LoadError(Craft([](RdbWriter& w) { w.SelectDb(16); })),
                       "selects database 16 but only 16 databases"));
  std::string dup = Craft([](RdbWriter& w) {
    for (int i = 0; i < 2; ++i) {
      w.Byte(rdb::kTypeString);
      w.String("k");
      w.String("v");
    }
  });
  EXPECT_EQ(LoadError(dup), "duplicate key 'k' in database 0 at offset 14");
  std::string dup_member = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeSet);
    w.String("s");
    w.Length(2);
    w.String("a");
    w.String("a");
  });
  EXPECT_TRUE(Contains(LoadError(dup_member), "duplicate set member"));
  std::string dup_field = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeHash);
    w.String("h");
    w.Length(2);
    for (int i = 0; i < 2; ++i) {
      w.String("f");
      w.String("v");
    }
  });
  EXPECT_TRUE(Contains(LoadError(dup_field), "duplicate hash field"));
  std::string lp_dup = Craft([](RdbWriter& w) {
    unsigned char* lpk = lp::New();
    for (const char* s : {"f", "1", "f", "2"}) lpk = lp::Append(lpk, s);
    w.Byte(rdb::kTypeHashListpack);
    w.String("h");
    w.String(std::string_view(reinterpret_cast<char*>(lpk), lp::Bytes(lpk)));
    lp::Free(lpk);
  });
  EXPECT_TRUE(Contains(LoadError(lp_dup), "duplicate hash field"));
  std::string bad_lp = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeListQuicklist2);
    w.String("l");
    w.Length(1);
    w.Length(rdb::kContainerPacked);
    w.String("not a listpack at all");
  });
  EXPECT_TRUE(Contains(LoadError(bad_lp), "invalid listpack in quicklist node"));
  std::string bad_container = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeListQuicklist2);
    w.String("l");
    w.Length(1);
    w.Length(3);
  });
  EXPECT_TRUE(Contains(LoadError(bad_container), "unknown quicklist node container 3"));
  std::string nan_score = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeZSet2);
    w.String("z");
    w.Length(1);
    w.String("m");
    w.BinaryDouble(std::nan(""));
  });
  EXPECT_TRUE(Contains(LoadError(nan_score), "sorted set score is NaN"));
  std::string bad_intset = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeSetIntset);
    w.String("s");
    w.String(std::string("\x02\0\0\0\x02\0\0\0\x05\0\x01\0", 12));  // not ascending
  });
  EXPECT_TRUE(Contains(LoadError(bad_intset), "invalid intset"));
}

TEST(RdbCorruptTest, MemcachedFlagsRecords) {
  auto flags_record = [](std::string body) {
    return Craft([&](RdbWriter& w) {
      w.Byte(rdb::kTypeString);
      w.String("mc");
      w.String("v");
      w.Aux(rdb::kAuxMcFlags, body);
    });
  };
  std::string one("\x01\x00\x02mc\x07\x00\x00\x00", 9);
  Keyspace ks(16);
  ASSERT_TRUE(LoadBytes(flags_record(one + std::string("\x04gone\x01\x00\x00\x00", 9)), &ks).ok());
  EXPECT_EQ(ks.db(0).Peek("mc")->mc_flags, 7u);  // the key it names that is absent is ignored
  EXPECT_TRUE(Contains(LoadError(flags_record(one.substr(0, 6))), "bad duet-mcflags record"));
  EXPECT_TRUE(
      Contains(LoadError(flags_record(std::string("\x01\x3f", 2))), "database out of range"));
  // A later format of the record is skipped, not refused.
  EXPECT_EQ(LoadError(flags_record(std::string("\x02whatever", 9))), "OK");
}

TEST(RdbCorruptTest, EmptyCollectionsAreSkipped) {
  std::string bytes = Craft([](RdbWriter& w) {
    w.Byte(rdb::kTypeSet);
    w.String("empty-set");
    w.Length(0);
    w.Byte(rdb::kTypeListQuicklist2);
    w.String("empty-list");
    w.Length(0);
    w.Byte(rdb::kTypeString);
    w.String("k");
    w.String("v");
  });
  Keyspace ks(16);
  StringSequentialFile f(bytes);
  RdbLoadOptions o;
  o.now_ms = kNow;
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(f, ks, o, &info).ok());
  EXPECT_EQ(info.keys_loaded, 1u);
  EXPECT_EQ(info.empty_keys_skipped, 2u);
}

TEST(RdbCorruptTest, OldFilesWithoutChecksumAndSecondsExpiry) {
  // Version 4: no checksum after EOF; EXPIRETIME in seconds.
  std::string out;
  StringWritableFile f(&out);
  RdbWriter w(&f, RdbWriteOptions{});
  w.Header(4);
  w.Byte(rdb::kOpExpireTime);
  const uint32_t secs = static_cast<uint32_t>(kNow / 1000 + 100);
  w.Raw(&secs, 4);
  w.Byte(rdb::kTypeString);
  w.String("k");
  w.String("v");
  w.Byte(rdb::kOpEof);
  ASSERT_TRUE(w.Flush().ok());
  Keyspace ks(16);
  ASSERT_TRUE(LoadBytes(out, &ks).ok());
  ASSERT_NE(ks.db(0).Peek("k"), nullptr);
  EXPECT_EQ(ks.db(0).Peek("k")->expire_ms, int64_t{secs} * 1000);
}

TEST(DumpPayloadCorruptTest, BadDataFormat) {
  auto payload = [](std::string body) {
    body += std::string("\x0a\x00", 2);
    uint64_t crc = Crc64(0, body);
    for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(crc >> (8 * i)));
    return body;
  };
  auto parse = [&](const std::string& p) {
    EXPECT_TRUE(VerifyDumpPayload(p));
    Entry* out = nullptr;
    Status s = ParseDumpPayload(p, "k", CollectionLimits{}, &out);
    if (out != nullptr) Entry::Free(out);
    return s.ok() ? std::string("OK") : s.message();
  };
  EXPECT_EQ(parse(payload(std::string("\x00\x01v", 3))), "OK");
  EXPECT_EQ(parse(payload(std::string("\x30\x01v", 3))), "Bad data format");
  EXPECT_EQ(parse(payload(std::string("\x00\x05v", 3))), "Bad data format");
  EXPECT_EQ(parse(payload(std::string("\x02\x00", 2))), "Bad data format");  // empty set
  EXPECT_EQ(parse(payload(std::string("\x13\x00", 2))),
            "key 'k' holds a stream value (RDB type 19, at offset 1), which Duet does not "
            "support");
}

}  // namespace
}  // namespace duet
