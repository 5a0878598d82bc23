// DEBUG DIGEST / DIGEST-VALUE must equal Redis 7.0's for the same data. The
// expected hex strings were computed by redis-server 7.0.15 on the same data
// (enable-debug-command yes).
#include "storage/digest.h"

#include <gtest/gtest.h>

#include "storage/hash_value.h"
#include "storage/list_value.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

std::string Hex(const Sha1Digest& d) { return HexLower(d.data(), d.size()); }

TEST(Digest, EmptyDatasetIsZeros) {
  Keyspace ks(16);
  EXPECT_EQ(DatasetDigestHex(ks), std::string(40, '0'));
}

TEST(Digest, StringsExpiryAndDatabasesMatchRedis) {
  Keyspace ks(16);
  ks.db(0).Insert(Entry::NewString("a", "1"));
  ks.db(0).Insert(Entry::NewString("b", "hello"));
  EXPECT_EQ(DatasetDigestHex(ks), "2539797405e828ad7a3aa48c536b3eaf2803a421");
  Entry* b = ks.db(0).Peek("b");
  ks.db(0).SetExpire(b, 4102444800000);  // any expiry: only its presence is digested
  EXPECT_EQ(DatasetDigestHex(ks), "669dc7955c0119edb82e7cfeb40ea4a28f89f902");
  EXPECT_EQ(Hex(ValueDigest(*ks.db(0).Peek("a"))), "b4fc66738120fba0b5aa500ab5c2bf89cea1c5da");
  EXPECT_EQ(Hex(ValueDigest(*ks.db(0).Peek("b"))), "d037c4eb8a8b36b602fbced4000daeab0714c1e3");
  ks.db(1).Insert(Entry::NewString("c", "x"));
  EXPECT_EQ(DatasetDigestHex(ks), "5ff4bd51fc0e64f6f3504a0215f03e6c4188342b");
}

TEST(Digest, CollectionsMatchRedisWhateverTheEncoding) {
  CollectionLimits limits;
  for (int big = 0; big < 2; ++big) {
    // big = 1 forces the non-compact encodings: the digest must not change.
    if (big) {
      limits.hash_max_listpack_entries = 0;
      limits.set_max_intset_entries = 0;
      limits.zset_max_listpack_entries = 0;
    }
    auto* list = new ListValue(limits);
    for (const char* v : {"a", "b", "c"}) list->PushBack(v);
    Entry* l = Entry::New("l", list);
    HashValue hash;
    hash.Set("f1", "v1", limits);
    hash.Set("f2", "v2", limits);
    Entry* h = Entry::New("h", std::move(hash));
    SetValue set;
    for (const char* m : {"1", "2", "x"}) set.Add(m, limits);
    Entry* s = Entry::New("s", std::move(set));
    ZSetValue zset = ZSetValue::ForNewKey("a", limits);
    zset.Add("a", 1.5, 0, limits);
    zset.Add("b", 0.1, 0, limits);
    zset.Add("c", 3, 0, limits);
    Entry* z = Entry::New("z", std::move(zset));
    EXPECT_EQ(Hex(ValueDigest(*l)), "8bf72d812571eea9b927f3c11beb0c4165a6ff89") << big;
    EXPECT_EQ(Hex(ValueDigest(*h)), "047cc60ea73a34cde6d08a2721a4a26d19ee6570") << big;
    EXPECT_EQ(Hex(ValueDigest(*s)), "4c6eef6b7853d1b76391c849d71b0d35d3faf18f") << big;
    EXPECT_EQ(Hex(ValueDigest(*z)), "d3a795113ef64aa93b74bbf2442038050fd508ed") << big;
    for (Entry* e : {l, h, s, z}) Entry::Free(e);
  }
}

}  // namespace
}  // namespace duet
