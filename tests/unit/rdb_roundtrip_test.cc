// RDB save -> load round trips through in-memory files, for every type and
// encoding Duet writes, plus the exact bytes of the encodings Redis 7.0
// chooses (checked against files written by redis-server 7.0.15).

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "persistence/dump_payload.h"
#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "storage/eviction.h"
#include "tests/unit/rdb_test_util.h"

namespace duet {
namespace {

using namespace rdbtest;

constexpr int64_t kNow = 1'700'000'000'000;

std::string Hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

class RdbRoundTripTest : public ::testing::Test {
 protected:
  std::string Save(bool compress = true, bool checksum = true) {
    std::string out;
    StringWritableFile f(&out);
    RdbSaveOptions o;
    o.write.compress = compress;
    o.write.checksum = checksum;
    o.now_ms = kNow;
    RdbSaveInfo info;
    Status s = SaveRdb(src_, f, o, &info);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(info.bytes, out.size());
    return out;
  }

  Status Load(const std::string& bytes, Keyspace* dst, RdbLoadInfo* info) {
    StringSequentialFile f(bytes);
    RdbLoadOptions o;
    o.limits = limits_;
    o.now_ms = kNow;
    return LoadRdb(f, *dst, o, info);
  }

  void ExpectRoundTrip() {
    const std::string want = Describe(src_);
    for (bool compress : {true, false}) {
      std::string bytes = Save(compress);
      Keyspace dst(16);
      RdbLoadInfo info;
      Status s = Load(bytes, &dst, &info);
      ASSERT_TRUE(s.ok()) << s.message();
      EXPECT_EQ(Describe(dst), want) << "compress=" << compress;
      EXPECT_EQ(info.keys_loaded, src_.TotalKeys());
      EXPECT_EQ(info.redis_ver, "7.0.15");
      EXPECT_EQ(info.ctime, kNow / 1000);
      // Every loaded collection passes its own invariant checks.
      for (int i = 0; i < dst.databases(); ++i) {
        dst.db(i).ForEach([&](const Entry* e) {
          if (e->type == ValueType::kList) {
            EXPECT_TRUE(e->object<ListValue>()->quicklist().CheckInvariants(false));
          } else if (e->type == ValueType::kZSet) {
            std::string why;
            EXPECT_TRUE(e->object<ZSetValue>()->CheckInvariants(&why)) << why;
          }
        });
      }
    }
  }

  Database& db(int i = 0) { return src_.db(i); }

  CollectionLimits limits_;
  Keyspace src_{16};
};

TEST_F(RdbRoundTripTest, EmptyKeyspace) {
  std::string bytes = Save();
  EXPECT_EQ(bytes.substr(0, 9), "REDIS0010");
  EXPECT_EQ(static_cast<unsigned char>(bytes[bytes.size() - 9]), rdb::kOpEof);
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, Strings) {
  AddString(db(), "empty", "");
  AddString(db(), "small", "hello");
  AddString(db(), "int8", "12");
  AddString(db(), "neg", "-128");
  AddString(db(), "int16", "-129");
  AddString(db(), "int32", "100000");
  AddString(db(), "int64", "6000000000");
  AddString(db(), "intmin", "-9223372036854775808");
  AddString(db(), "leading-zero", "0123");
  AddString(db(), "minus-zero", "-0");
  AddString(db(), "plus", "+1");
  AddString(db(), "binary", std::string("a\0b\r\nc\xff", 7));
  AddString(db(), std::string("key\0with\r\nbytes", 15), "v");
  AddString(db(), "", "empty key");
  AddString(db(), "compressible", std::string(1000, 'a'));
  AddString(db(), "random", RandomBytes(3000, 1));
  AddString(db(), "big", RandomBytes(300 * 1024, 2));     // past the reader's buffer
  AddString(db(), "bigz", std::string(700 * 1024, 'z'));  // LZF larger than the buffer
  AddString(db(), "21chars", "abcabcabcabcabcabcabc");
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, Lists) {
  AddList(db(), "small", limits_, {"a", "1", "", "-5", std::string("\0\r\n", 3)});
  std::vector<std::string> many;
  for (int i = 0; i < 20000; ++i)
    many.push_back(i % 3 ? "item-" + std::to_string(i) : std::to_string(i));
  AddList(db(), "many", limits_, many);
  CollectionLimits compressed = limits_;
  compressed.list_max_listpack_size = 16;
  compressed.list_compress_depth = 1;
  ListValue* l = AddList(db(), "compressed", compressed, many);
  bool any_compressed = false;
  for (const QuicklistNode* n = l->quicklist().head(); n != nullptr; n = n->next) {
    any_compressed |= n->compressed;
  }
  EXPECT_TRUE(any_compressed);
  AddList(db(), "huge-element", limits_, {"x", std::string(100000, 'h'), "y"});
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, Sets) {
  SetValue* s16 = AddSet(db(), "int16", limits_, {"1", "2", "-3", "300"});
  EXPECT_TRUE(s16->IsIntset());
  AddSet(db(), "int32", limits_, {"1", "100000", "-70000"});
  AddSet(db(), "int64", limits_, {"1", "6000000000", "-9223372036854775808"});
  SetValue* strs = AddSet(db(), "strings", limits_, {"a", "b", "", "1", std::string("\0", 1)});
  EXPECT_FALSE(strs->IsIntset());
  std::vector<std::string> ints;
  for (int i = 0; i < 1000; ++i) ints.push_back(std::to_string(i * 7));
  SetValue* big = AddSet(db(), "big-ints", limits_, ints);
  EXPECT_FALSE(big->IsIntset());
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, SortedSets) {
  ZSetValue* small = AddZSet(db(), "small", limits_, {{"a", 1}, {"b", 2.5}, {"c", -3}, {"5", 0}});
  EXPECT_TRUE(small->IsListpack());
  std::vector<std::pair<std::string, double>> many;
  for (int i = 0; i < 300; ++i) many.push_back({"m" + std::to_string(i), i * 0.1 - 7});
  many.push_back({"inf", HUGE_VAL});
  many.push_back({"-inf", -HUGE_VAL});
  many.push_back({"tiny", 5e-324});
  many.push_back({"large", 1.7976931348623157e308});
  ZSetValue* big = AddZSet(db(), "big", limits_, many);
  EXPECT_FALSE(big->IsListpack());
  ZSetValue* longm = AddZSet(db(), "long-member", limits_, {{std::string(100, 'x'), 1}, {"y", 2}});
  EXPECT_FALSE(longm->IsListpack());
  AddZSet(db(), "scores", limits_, {{"a", HUGE_VAL}, {"b", -HUGE_VAL}, {"c", 0.1}, {"d", 1e20}});
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, Hashes) {
  AddHash(db(), "small", limits_, {{"f", "v"}, {"1", "2"}, {"", ""}, {"bin\0", "x\r\n"}});
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 600; ++i) many.push_back({"field" + std::to_string(i), std::to_string(i)});
  HashValue* big = AddHash(db(), "big", limits_, many);
  EXPECT_EQ(big->encoding(), HashValue::Encoding::kHashtable);
  HashValue* longv = AddHash(db(), "long-value", limits_, {{"f", std::string(100, 'v')}});
  EXPECT_EQ(longv->encoding(), HashValue::Encoding::kHashtable);
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, ExpiriesDatabasesAndFlags) {
  AddString(db(0), "live", "1", kNow + 10000);
  AddString(db(0), "persistent", "2");
  AddString(db(3), "in-db3", "3", kNow + 1);
  AddList(db(15), "last-db", limits_, {"x"});
  Entry* e = Entry::NewString("mc", "payload");
  e->mc_flags = 0xdeadbeef;
  db(1).Insert(e);
  // More flagged keys than one AUX record holds.
  for (int i = 0; i < 2500; ++i) {
    Entry* f = Entry::NewString("mc:" + std::to_string(i), "v");
    f->mc_flags = static_cast<uint32_t>(i + 1);
    db(2).Insert(f);
  }
  ExpectRoundTrip();
}

TEST_F(RdbRoundTripTest, ExpiredKeysAreSkippedAndCounted) {
  AddString(db(), "gone", "1", kNow - 1);
  AddString(db(), "gone2", "1", kNow - 100000);
  AddString(db(), "stays", "1", kNow + 1);
  std::string bytes = Save();
  Keyspace dst(16);
  RdbLoadInfo info;
  ASSERT_TRUE(Load(bytes, &dst, &info).ok());
  EXPECT_EQ(info.keys_loaded, 1u);
  EXPECT_EQ(info.keys_expired, 2u);
  EXPECT_NE(dst.db(0).Peek("stays"), nullptr);
  EXPECT_EQ(dst.db(0).Peek("gone"), nullptr);
}

TEST_F(RdbRoundTripTest, IdleAndFreqRecordsCarryAccessStamps) {
  AccessClock& clock = src_.access_clock();
  clock.now_ms = kNow;
  AddString(db(), "old", "1");
  SetEntryIdleSeconds(db().Peek("old"), 500, clock);
  std::string out;
  StringWritableFile f(&out);
  RdbSaveOptions o;
  o.now_ms = kNow;
  o.access_record = RdbSaveOptions::AccessRecord::kIdle;
  ASSERT_TRUE(SaveRdb(src_, f, o, nullptr).ok());
  // EXPIRETIME_MS (none here), then IDLE 500 (14-bit length), then the key.
  EXPECT_NE(Hex(out).find("f841f400036f6c64c001"), std::string::npos) << Hex(out);
  Keyspace dst(16);
  RdbLoadInfo info;
  ASSERT_TRUE(Load(out, &dst, &info).ok());
  dst.access_clock().now_ms = kNow;
  EXPECT_EQ(EntryIdleMs(*dst.db(0).Peek("old"), dst.access_clock()) / 1000, 500);

  // Under an LFU policy the counter travels instead.
  clock.lfu = true;
  SetEntryLfuCounter(db().Peek("old"), 42, clock);
  out.clear();
  o.access_record = RdbSaveOptions::AccessRecord::kFreq;
  ASSERT_TRUE(SaveRdb(src_, f, o, nullptr).ok());
  EXPECT_NE(Hex(out).find("f92a00036f6c64c001"), std::string::npos) << Hex(out);
  Keyspace lfu(16);
  lfu.access_clock().lfu = true;
  ASSERT_TRUE(Load(out, &lfu, &info).ok());
  lfu.access_clock().now_ms = kNow;
  EXPECT_EQ(EntryLfuCounter(*lfu.db(0).Peek("old"), lfu.access_clock()), 42);
}

TEST_F(RdbRoundTripTest, ChecksumOffWritesZeroAndStillLoads) {
  AddString(db(), "k", "v");
  std::string bytes = Save(true, /*checksum=*/false);
  EXPECT_EQ(bytes.substr(bytes.size() - 8), std::string(8, '\0'));
  Keyspace dst(16);
  RdbLoadInfo info;
  ASSERT_TRUE(Load(bytes, &dst, &info).ok());
  EXPECT_TRUE(info.checksum_skipped);
  EXPECT_EQ(info.keys_loaded, 1u);
}

TEST_F(RdbRoundTripTest, LoadedEncodingsFollowTheLimits) {
  std::vector<std::string> ints;
  for (int i = 0; i < 20; ++i) ints.push_back(std::to_string(i));
  AddSet(db(), "set", limits_, ints);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 20; ++i) pairs.push_back({"f" + std::to_string(i), "v"});
  AddHash(db(), "hash", limits_, pairs);
  std::vector<std::pair<std::string, double>> zs;
  for (int i = 0; i < 20; ++i) zs.push_back({"m" + std::to_string(i), i});
  AddZSet(db(), "zset", limits_, zs);
  std::string bytes = Save();
  limits_.set_max_intset_entries = 10;
  limits_.hash_max_listpack_entries = 10;
  limits_.zset_max_listpack_entries = 10;
  Keyspace dst(16);
  RdbLoadInfo info;
  ASSERT_TRUE(Load(bytes, &dst, &info).ok());
  EXPECT_FALSE(dst.db(0).Peek("set")->object<SetValue>()->IsIntset());
  EXPECT_EQ(dst.db(0).Peek("hash")->object<HashValue>()->encoding(),
            HashValue::Encoding::kHashtable);
  EXPECT_FALSE(dst.db(0).Peek("zset")->object<ZSetValue>()->IsListpack());
  EXPECT_EQ(Describe(dst, false), Describe(src_, false));
}

// --- Exact bytes ---------------------------------------------------------------

std::string Encode(std::string_view s, bool compress = true) {
  std::string out;
  StringWritableFile f(&out);
  RdbWriter w(&f, RdbWriteOptions{compress, false});
  w.String(s);
  EXPECT_TRUE(w.Flush().ok());
  return out;
}

TEST(RdbWriterTest, StringEncodingsAsRedisChooses) {
  EXPECT_EQ(Hex(Encode("12")), "c00c");
  EXPECT_EQ(Hex(Encode("-128")), "c080");
  EXPECT_EQ(Hex(Encode("-129")), "c17fff");
  EXPECT_EQ(Hex(Encode("100000")), "c2a0860100");
  EXPECT_EQ(Hex(Encode("6000000000")), "0a" + Hex("6000000000"));
  EXPECT_EQ(Hex(Encode("0123")), "04" + Hex("0123"));
  EXPECT_EQ(Hex(Encode("")), "00");
  std::string s64(64, 'x');
  EXPECT_EQ(Hex(Encode(s64, false)), "4040" + Hex(s64));  // 14-bit length
  std::string z = Encode(std::string(100, 'a'));
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0xc3);  // LZF
  EXPECT_LT(z.size(), 20u);
  // 20 bytes: never compressed.
  EXPECT_EQ(Encode(std::string(20, 'a')).size(), 21u);
}

TEST(RdbWriterTest, LengthEncodings) {
  auto len = [](uint64_t n) {
    std::string out;
    StringWritableFile f(&out);
    RdbWriter w(&f, RdbWriteOptions{});
    w.Length(n);
    EXPECT_TRUE(w.Flush().ok());
    return Hex(out);
  };
  EXPECT_EQ(len(0), "00");
  EXPECT_EQ(len(63), "3f");
  EXPECT_EQ(len(64), "4040");
  EXPECT_EQ(len(16383), "7fff");
  EXPECT_EQ(len(16384), "8000004000");
  EXPECT_EQ(len(0xFFFFFFFFull), "80ffffffff");
  EXPECT_EQ(len(0x100000000ull), "810000000100000000");
}

// Bytes redis-server 7.0.15 wrote for `SET a 1` and `RPUSH l a b c`, after
// its AUX fields (from a SAVE; xxd of dump.rdb).
TEST(RdbWriterTest, KeysAsRedisWritesThem) {
  Keyspace ks(16);
  CollectionLimits limits;
  AddString(ks.db(0), "a", "1");
  std::string out;
  StringWritableFile f(&out);
  RdbSaveOptions o;
  o.now_ms = kNow;
  ASSERT_TRUE(SaveRdb(ks, f, o, nullptr).ok());
  EXPECT_NE(Hex(out).find("fe00fb0100"
                          "000161c001"
                          "ff"),
            std::string::npos)
      << Hex(out);
  EXPECT_EQ(Hex(out.substr(0, 27)),
            Hex("REDIS0010") + "fa09" + Hex("redis-ver") + "06" + Hex("7.0.15"));
  Entry* l = Entry::New("l", new ListValue(limits));
  l->object<ListValue>()->PushBack("a");
  l->object<ListValue>()->PushBack("b");
  l->object<ListValue>()->PushBack("c");
  std::string body;
  StringWritableFile bf(&body);
  RdbWriter w(&bf, RdbWriteOptions{});
  w.KeyValue(*l);
  ASSERT_TRUE(w.Flush().ok());
  EXPECT_EQ(Hex(body), "12016c010210100000000300816102816202816302ff");
  Entry::Free(l);
}

// --- DUMP payloads ---------------------------------------------------------------

TEST(DumpPayloadTest, MatchesRedisBytesAndRoundTrips) {
  // redis-cli DUMP of `SET k hello` on redis-server 7.0.15.
  Entry* e = Entry::NewString("k", "hello");
  std::string p = MakeDumpPayload(*e, true);
  EXPECT_EQ(Hex(p), "000568656c6c6f0a006372df766534200a");
  EXPECT_TRUE(VerifyDumpPayload(p));
  Entry* back = nullptr;
  ASSERT_TRUE(ParseDumpPayload(p, "other", CollectionLimits{}, &back).ok());
  EXPECT_EQ(back->key(), "other");
  EXPECT_EQ(back->str(), "hello");
  Entry::Free(back);
  std::string bad = p;
  bad[1] ^= 1;
  EXPECT_FALSE(VerifyDumpPayload(bad));
  std::string newer = p;
  newer[p.size() - 10] = 11;  // version 11: refused even with a matching CRC
  EXPECT_FALSE(VerifyDumpPayload(newer));
  EXPECT_FALSE(VerifyDumpPayload("short"));
  Entry::Free(e);
}

TEST(DumpPayloadTest, EveryTypeRoundTrips) {
  Keyspace ks(1);
  CollectionLimits limits;
  AddList(ks.db(0), "l", limits, {"a", "b", "1"});
  AddSet(ks.db(0), "s", limits, {"1", "2"});
  AddSet(ks.db(0), "s2", limits, {"x", "y"});
  AddZSet(ks.db(0), "z", limits, {{"a", 1}, {"b", 2}});
  AddHash(ks.db(0), "h", limits, {{"f", "v"}});
  ks.db(0).ForEach([&](const Entry* e) {
    std::string p = MakeDumpPayload(*e, true);
    ASSERT_TRUE(VerifyDumpPayload(p));
    Entry* back = nullptr;
    ASSERT_TRUE(ParseDumpPayload(p, e->key(), limits, &back).ok());
    EXPECT_EQ(Describe(*back), Describe(*e));
    Entry::Free(back);
  });
}

}  // namespace
}  // namespace duet
