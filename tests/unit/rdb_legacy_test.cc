// Old encodings: the ziplist and zipmap decoders on hand-built blobs, and the
// sample files written by older Redis versions (../shared/rdb-assets), whose
// expected contents are what redis-server 7.0.15 reports after loading them.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "persistence/rdb_legacy/ziplist.h"
#include "persistence/rdb_legacy/zipmap.h"
#include "tests/unit/rdb_test_util.h"

namespace duet {
namespace {

using namespace rdbtest;
using rdb_legacy::ZiplistForEach;
using rdb_legacy::ZiplistToListpack;
using rdb_legacy::ZiplistValidate;
using rdb_legacy::ZipmapForEach;
using rdb_legacy::ZipmapValidate;

// Builds a ziplist from raw entry bodies (encoding + data), filling in the
// header, the prevlen fields and the end byte.
std::string MakeZiplist(const std::vector<std::string>& bodies) {
  std::string entries;
  size_t prev = 0, last = 10;
  for (const auto& b : bodies) {
    last = 10 + entries.size();
    std::string e;
    if (prev < 254) {
      e.push_back(static_cast<char>(prev));
    } else {
      e.push_back(static_cast<char>(0xFE));
      for (int i = 0; i < 4; ++i) e.push_back(static_cast<char>(prev >> (8 * i)));
    }
    e += b;
    prev = e.size();
    entries += e;
  }
  std::string zl(10, '\0');
  zl += entries;
  zl.push_back(static_cast<char>(0xFF));
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) zl[at + i] = static_cast<char>(v >> (8 * i));
  };
  put32(0, static_cast<uint32_t>(zl.size()));
  put32(4, static_cast<uint32_t>(last));
  zl[8] = static_cast<char>(bodies.size() & 0xFF);
  zl[9] = static_cast<char>(bodies.size() >> 8);
  return zl;
}

std::string Str6(std::string_view s) {
  return std::string(1, static_cast<char>(s.size())) + std::string(s);
}

std::vector<std::string> Elements(std::string_view zl) {
  std::vector<std::string> out;
  ZiplistForEach(zl, [&](const lp::Value& v) {
    char buf[lp::kIntBufSize];
    out.emplace_back(v.View(buf));
  });
  return out;
}

TEST(ZiplistTest, EveryEncoding) {
  std::string big(300, 'b');  // 14-bit length, and a 5-byte prevlen after it
  std::string str14 = std::string("\x41\x2c", 2) + big;
  std::string huge(20000, 'h');
  std::string str32 = std::string("\x80\x00\x00\x4e\x20", 5) + huge;
  std::vector<std::string> bodies = {
      Str6("abc"),
      std::string("\xC0\x39\x30", 3),                          // int16 12345
      std::string("\xD0\x15\xCD\x5B\x07", 5),                  // int32 123456789
      std::string("\xE0\x00\x00\x00\x00\x01\x00\x00\x80", 9),  // int64
      std::string("\xF0\xFF\xFF\xFF", 4),                      // int24 -1
      std::string("\xFE\x80", 2),                              // int8 -128
      std::string("\xF1", 1),                                  // immediate 0
      std::string("\xFD", 1),                                  // immediate 12
      str14,
      Str6(""),
      str32,
      Str6("end"),
  };
  std::string zl = MakeZiplist(bodies);
  size_t count = 0;
  ASSERT_TRUE(ZiplistValidate(zl, &count));
  EXPECT_EQ(count, bodies.size());
  std::vector<std::string> want = {"abc", "12345", "123456789", "-9223372032559808512",
                                   "-1",  "-128",  "0",         "12",
                                   big,   "",      huge,        "end"};
  EXPECT_EQ(Elements(zl), want);
  unsigned char* lpk = ZiplistToListpack(zl);
  size_t n = 0;
  ASSERT_TRUE(lp::Validate(lpk, lp::Bytes(lpk), &n));
  EXPECT_EQ(n, want.size());
  lp::Free(lpk);
}

TEST(ZiplistTest, RefusesDamage) {
  std::string zl = MakeZiplist({Str6("abc"), std::string("\xC0\x39\x30", 3), Str6("de")});
  size_t count;
  ASSERT_TRUE(ZiplistValidate(zl, &count));
  // Every truncation, and every single-byte change to the structure, is
  // either refused or still reads within bounds (checked under ASan).
  for (size_t len = 0; len < zl.size(); ++len) {
    EXPECT_FALSE(ZiplistValidate(std::string_view(zl).substr(0, len), &count)) << len;
  }
  for (size_t i = 0; i < zl.size(); ++i) {
    for (int delta : {1, 0x40, 0x80}) {
      std::string bad = zl;
      bad[i] = static_cast<char>(bad[i] + delta);
      if (ZiplistValidate(bad, &count)) Elements(bad);
    }
  }
  std::string wrong_prev = zl;
  wrong_prev[10 + 5] = 9;  // second entry's prevlen (the first is 5 bytes)
  EXPECT_FALSE(ZiplistValidate(wrong_prev, &count));
  std::string wrong_tail = zl;
  wrong_tail[4] = 11;
  EXPECT_FALSE(ZiplistValidate(wrong_tail, &count));
  std::string wrong_count = zl;
  wrong_count[8] = 2;
  EXPECT_FALSE(ZiplistValidate(wrong_count, &count));
  std::string unknown_count = zl;
  unknown_count[8] = unknown_count[9] = static_cast<char>(0xFF);
  EXPECT_TRUE(ZiplistValidate(unknown_count, &count));
  EXPECT_EQ(count, 3u);
}

std::string MakeZipmap(const std::vector<std::pair<std::string, std::string>>& pairs,
                       int free_bytes = 0) {
  auto len = [](size_t n) {
    if (n < 254) return std::string(1, static_cast<char>(n));
    std::string s(1, static_cast<char>(0xFE));
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(n >> (8 * i)));
    return s;
  };
  std::string zm(1, static_cast<char>(pairs.size()));
  for (const auto& [f, v] : pairs) {
    zm += len(f.size()) + f + len(v.size());
    zm.push_back(static_cast<char>(free_bytes));
    zm += v + std::string(free_bytes, '?');
  }
  zm.push_back(static_cast<char>(0xFF));
  return zm;
}

TEST(ZipmapTest, ReadsPairsAndRefusesDamage) {
  std::string long_value(1000, 'v');
  std::string zm = MakeZipmap({{"f1", "v1"}, {"", "empty-field"}, {"f3", long_value}}, 2);
  size_t pairs = 0;
  ASSERT_TRUE(ZipmapValidate(zm, &pairs));
  EXPECT_EQ(pairs, 3u);
  std::vector<std::string> got;
  ZipmapForEach(zm, [&](std::string_view f, std::string_view v) {
    got.push_back(std::string(f) + "=" + std::string(v));
  });
  EXPECT_EQ(got, (std::vector<std::string>{"f1=v1", "=empty-field", "f3=" + long_value}));
  for (size_t len = 0; len < zm.size(); ++len) {
    EXPECT_FALSE(ZipmapValidate(std::string_view(zm).substr(0, len), &pairs)) << len;
  }
  std::string wrong_count = zm;
  wrong_count[0] = 2;
  EXPECT_FALSE(ZipmapValidate(wrong_count, &pairs));
  std::string unknown_count = zm;
  unknown_count[0] = static_cast<char>(0xFE);
  EXPECT_TRUE(ZipmapValidate(unknown_count, &pairs));
}

// --- Files written by older Redis versions ----------------------------------------

std::string AssetPath(const std::string& name) {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string() +
         "/../shared/rdb-assets/" + name;
}

class RdbAssetTest : public ::testing::Test {
 protected:
  // Loads an asset; returns Describe() of the keyspace, or the error.
  std::string LoadAsset(const std::string& name) {
    std::unique_ptr<SequentialFile> f;
    Status s = FileSystem::Posix().NewSequentialFile(AssetPath(name), &f);
    if (!s.ok()) return "MISSING";
    Keyspace ks(16);
    RdbLoadOptions o;
    o.now_ms = 1'700'000'000'000;
    RdbLoadInfo info;
    s = LoadRdb(*f, ks, o, &info);
    if (!s.ok()) return "ERROR " + s.message();
    ks.db(0).ForEach([&](const Entry* e) {
      if (e->type == ValueType::kList) {
        EXPECT_TRUE(e->object<ListValue>()->quicklist().CheckInvariants(false));
      }
    });
    return Describe(ks);
  }
  void SetUp() override {
    if (!std::filesystem::exists(AssetPath("encodings.rdb"))) GTEST_SKIP() << "no rdb-assets";
  }
};

TEST_F(RdbAssetTest, HashZipmap) {
  EXPECT_EQ(LoadAsset("hash-zipmap.rdb"),
            "db0 \"hash\" hash listpack : \"f1\"=\"v1\" \"f2\"=\"v2\"\n");
}

TEST_F(RdbAssetTest, HashZiplist) {
  EXPECT_EQ(LoadAsset("hash-ziplist.rdb"),
            "db0 \"hash\" hash listpack : \"f1\"=\"v1\" \"f2\"=\"v2\"\n");
}

TEST_F(RdbAssetTest, ListQuicklistVersion1) {
  EXPECT_EQ(LoadAsset("list-quicklist.rdb"),
            "db0 \"list\" list quicklist : \"7\"\n"
            "db0 \"x\" string string : \"7\"\n");
}

TEST_F(RdbAssetTest, ZsetZiplist) {
  EXPECT_EQ(LoadAsset("zset-ziplist.rdb"), "db0 \"zset\" zset listpack : \"one\"=1 \"two\"=2\n");
}

TEST_F(RdbAssetTest, EncodingsVersion4) {
  const std::string a137(137, 'a');
  const std::string list8 = "\"1\" \"2\" \"3\" \"a\" \"b\" \"c\" \"100000\" \"6000000000\"";
  std::string want =
      "db0 \"compressible\" string string : \"" + a137 + "\"\n" +
      "db0 \"hash\" hash listpack : \"a\"=\"1\" \"aa\"=\"10\" \"aaa\"=\"100\" \"b\"=\"2\" "
      "\"bb\"=\"20\" \"bbb\"=\"200\" \"c\"=\"3\" \"cc\"=\"30\" \"ccc\"=\"300\" \"ddd\"=\"400\" "
      "\"eee\"=\"5000000000\"\n" +
      "db0 \"hash_zipped\" hash listpack : \"a\"=\"1\" \"b\"=\"2\" \"c\"=\"3\"\n" +
      "db0 \"list\" list quicklist : " + list8 + " " + list8 + " " + list8 + "\n" +
      "db0 \"list_zipped\" list quicklist : " + list8 + "\n" +
      "db0 \"number\" string string : \"10\"\n" +
      "db0 \"set\" set hashtable : \"1\" \"100000\" \"2\" \"3\" \"6000000000\" \"a\" \"b\" "
      "\"c\"\n" +
      "db0 \"set_zipped_1\" set intset : \"1\" \"2\" \"3\" \"4\"\n" +
      "db0 \"set_zipped_2\" set intset : \"100000\" \"200000\" \"300000\" \"400000\"\n" +
      "db0 \"set_zipped_3\" set intset : \"1000000000\" \"2000000000\" \"3000000000\" "
      "\"4000000000\" \"5000000000\" \"6000000000\"\n" +
      "db0 \"string\" string string : \"Hello World\"\n" +
      "db0 \"zset\" zset listpack : \"a\"=1 \"b\"=2 \"c\"=3 \"aa\"=10 \"bb\"=20 \"cc\"=30 "
      "\"aaa\"=100 \"bbb\"=200 \"ccc\"=300 \"aaaa\"=1000 \"cccc\"=123456789 "
      "\"bbbb\"=5000000000\n" +
      "db0 \"zset_zipped\" zset listpack : \"a\"=1 \"b\"=2 \"c\"=3\n";
  EXPECT_EQ(LoadAsset("encodings.rdb"), want);
}

}  // namespace
}  // namespace duet
