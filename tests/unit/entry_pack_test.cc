// Entry::PackValue: a small hash's or sorted set's listpack kept in the
// entry's own allocation, and everything that moves, edits or frees it.
// Under the sanitizer build these also prove that no edit reallocs or frees
// the embedded bytes and that nothing reads them after the entry moved.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/entry.h"
#include "storage/hash_ops.h"
#include "storage/hash_value.h"
#include "storage/listpack.h"
#include "storage/zset_ops.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

const CollectionLimits kDefault;

std::map<std::string, std::string> AsMap(const HashValue& h) {
  std::map<std::string, std::string> out;
  h.ForEach([&](std::string_view f, std::string_view v) { out.emplace(f, v); });
  return out;
}

std::vector<std::pair<std::string, double>> AsList(const ZSetValue& z) {
  std::vector<std::pair<std::string, double>> out;
  z.ForEach([&](std::string_view m, double s) { out.emplace_back(m, s); });
  return out;
}

// A hash of `n` pairs fieldNN -> valueNN, with the same contents in `model`.
HashValue SmallHash(int n, std::map<std::string, std::string>* model) {
  HashValue h;
  for (int i = 0; i < n; ++i) {
    std::string f = "field" + std::to_string(i), v = "value" + std::to_string(i);
    h.Set(f, v, kDefault);
    (*model)[f] = v;
  }
  return h;
}

bool HasTail(const Entry* e) { return (e->layout & kEntryHasTail) != 0; }

TEST(EntryPack, NewEntryHoldsASmallHashInItsOwnAllocation) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(20, &model));
  const HashValue* h = e->object<HashValue>();
  EXPECT_TRUE(h->ListpackEmbedded());
  EXPECT_TRUE(HasTail(e));
  EXPECT_EQ(AsMap(*h), model);
  char buf[lp::kIntBufSize];
  EXPECT_EQ(h->Get("field7", buf).value_or("<nil>"), "value7");
  // MEMORY USAGE counts the listpack once, as part of the entry.
  EXPECT_EQ(e->MemoryUsage(), sizeof(Entry) + 1 + lp::Bytes(h->listpack()));
  Entry::Free(e);
}

TEST(EntryPack, AnEditCopiesTheListpackOutAndPackingPutsItBack) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(20, &model));
  HashValue* h = e->object<HashValue>();

  EXPECT_TRUE(h->Set("field3", "changed", kDefault) == false);
  model["field3"] = "changed";
  EXPECT_FALSE(h->ListpackEmbedded());
  EXPECT_EQ(AsMap(*h), model);
  e = Entry::PackValue(e);
  EXPECT_TRUE(e->object<HashValue>()->ListpackEmbedded());
  EXPECT_EQ(AsMap(*e->object<HashValue>()), model);

  EXPECT_TRUE(e->object<HashValue>()->Delete("field0"));
  model.erase("field0");
  EXPECT_FALSE(e->object<HashValue>()->Delete("absent"));
  e = Entry::PackValue(e);
  EXPECT_EQ(AsMap(*e->object<HashValue>()), model);

  EXPECT_TRUE(e->object<HashValue>()->Set("new", "pair", kDefault));
  model["new"] = "pair";
  e = Entry::PackValue(e);
  EXPECT_TRUE(e->object<HashValue>()->ListpackEmbedded());
  EXPECT_EQ(AsMap(*e->object<HashValue>()), model);
  Entry::Free(e);
}

TEST(EntryPack, ReadsDoNotCopyTheListpackOut) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(5, &model));
  HashValue* h = e->object<HashValue>();
  EXPECT_FALSE(h->Delete("absent"));
  EXPECT_FALSE(h->SetNx("field1", "x", kDefault));
  EXPECT_TRUE(h->Exists("field1"));
  EXPECT_TRUE(h->ListpackEmbedded());
  EXPECT_EQ(Entry::PackValue(e), e);  // nothing to do: no move
  Entry::Free(e);
}

TEST(EntryPack, ConvertingToAHashtableDropsTheTail) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(10, &model));
  CollectionLimits tight = kDefault;
  tight.hash_max_listpack_entries = 10;
  e->object<HashValue>()->Set("one", "more", tight);
  model["one"] = "more";
  EXPECT_EQ(e->object<HashValue>()->encoding(), HashValue::Encoding::kHashtable);
  EXPECT_TRUE(HasTail(e));  // the stale copy, until packed
  e = Entry::PackValue(e);
  EXPECT_FALSE(HasTail(e));
  EXPECT_EQ(AsMap(*e->object<HashValue>()), model);
  Entry::Free(e);
}

TEST(EntryPack, ABigListpackKeepsItsOwnAllocation) {
  CollectionLimits roomy = kDefault;
  roomy.hash_max_listpack_value = 4096;
  HashValue big;
  big.Set("a", std::string(3000, 'a'), roomy);
  big.Set("b", std::string(3000, 'b'), roomy);
  ASSERT_GT(lp::Bytes(big.listpack()), kMaxEmbeddedListpack);
  Entry* e = Entry::New("h", std::move(big));
  EXPECT_FALSE(e->object<HashValue>()->ListpackEmbedded());
  EXPECT_FALSE(HasTail(e));
  // Shrinking it under the limit packs it.
  EXPECT_TRUE(e->object<HashValue>()->Delete("a"));
  e = Entry::PackValue(e);
  EXPECT_TRUE(e->object<HashValue>()->ListpackEmbedded());
  char buf[lp::kIntBufSize];
  EXPECT_EQ(e->object<HashValue>()->Get("b", buf)->size(), 3000u);
  Entry::Free(e);
}

TEST(EntryPack, RekeyMovesTheEmbeddedListpackToTheNewKeyLength) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("short", SmallHash(30, &model));
  e->expire_ms = 12345;
  for (const char* key : {"a much longer key name than before", "k", "medium-key"}) {
    e = Entry::Rekey(e, key);
    EXPECT_EQ(e->key(), key);
    EXPECT_EQ(e->expire_ms, 12345);
    EXPECT_TRUE(e->object<HashValue>()->ListpackEmbedded());
    EXPECT_EQ(AsMap(*e->object<HashValue>()), model);
  }
  Entry::Free(e);
}

TEST(EntryPack, RekeyOfAnUnpackedEditLeavesNoTail) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(30, &model));
  e->object<HashValue>()->Set("x", "y", kDefault);  // copied out, not packed
  model["x"] = "y";
  e = Entry::Rekey(e, "renamed");
  EXPECT_FALSE(HasTail(e));
  EXPECT_EQ(AsMap(*e->object<HashValue>()), model);
  Entry::Free(e);
}

TEST(EntryPack, MovingAValueOutOfItsEntryCopiesTheListpack) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(12, &model));
  HashValue taken(std::move(*e->object<HashValue>()));
  Entry::Free(e);  // the moved-from value frees nothing
  EXPECT_FALSE(taken.ListpackEmbedded());
  EXPECT_EQ(AsMap(taken), model);

  Entry* z = Entry::New("z", ZSetValue());
  z->object<ZSetValue>()->Add("m", 1.5, 0, kDefault);
  z = Entry::PackValue(z);
  ASSERT_TRUE(z->object<ZSetValue>()->ListpackEmbedded());
  ZSetValue assigned;
  assigned = std::move(*z->object<ZSetValue>());
  Entry::Free(z);
  EXPECT_EQ(AsList(assigned), (std::vector<std::pair<std::string, double>>{{"m", 1.5}}));
}

TEST(EntryPack, CloneOfAPackedValueIsIndependent) {
  std::map<std::string, std::string> model;
  Entry* e = Entry::New("h", SmallHash(8, &model));
  HashValue copy = e->object<HashValue>()->Clone();
  Entry::Free(e);
  EXPECT_EQ(AsMap(copy), model);
}

TEST(EntryPack, SortedSetEditsOnAnEmbeddedListpack) {
  ZSetValue z;
  std::vector<std::pair<std::string, double>> model;
  for (int i = 0; i < 40; ++i) {
    z.Add("member" + std::to_string(100 + i), i, 0, kDefault);
    model.emplace_back("member" + std::to_string(100 + i), i);
  }
  Entry* e = Entry::New("z", std::move(z));
  ASSERT_TRUE(e->object<ZSetValue>()->ListpackEmbedded());
  EXPECT_EQ(AsList(*e->object<ZSetValue>()), model);

  // Score update: the member moves to its new rank.
  auto r = e->object<ZSetValue>()->Add("member100", 100, 0, kDefault);
  EXPECT_EQ(r.outcome, ZSetValue::AddOutcome::kUpdated);
  model.erase(model.begin());
  model.emplace_back("member100", 100);
  e = Entry::PackValue(e);
  EXPECT_EQ(AsList(*e->object<ZSetValue>()), model);

  // No-ops leave it embedded.
  EXPECT_EQ(e->object<ZSetValue>()->Add("member101", 7, ZSetValue::kAddNX, kDefault).outcome,
            ZSetValue::AddOutcome::kNotPerformed);
  EXPECT_FALSE(e->object<ZSetValue>()->Remove("absent"));
  EXPECT_TRUE(e->object<ZSetValue>()->ListpackEmbedded());

  EXPECT_TRUE(e->object<ZSetValue>()->Remove("member101"));
  model.erase(model.begin());
  e = Entry::PackValue(e);

  std::vector<std::string> popped;
  e->object<ZSetValue>()->Pop(2, false,
                              [&](std::string_view m, double) { popped.emplace_back(m); });
  EXPECT_EQ(popped, (std::vector<std::string>{"member102", "member103"}));
  model.erase(model.begin(), model.begin() + 2);
  e = Entry::PackValue(e);

  EXPECT_EQ(e->object<ZSetValue>()->RemoveRangeByRank(0, 4), 5u);
  model.erase(model.begin(), model.begin() + 5);
  e = Entry::PackValue(e);
  ASSERT_TRUE(e->object<ZSetValue>()->ListpackEmbedded());
  EXPECT_EQ(AsList(*e->object<ZSetValue>()), model);
  std::string why;
  EXPECT_TRUE(e->object<ZSetValue>()->CheckInvariants(&why)) << why;

  e = Entry::Rekey(e, "another name for the sorted set");
  EXPECT_EQ(AsList(*e->object<ZSetValue>()), model);
  Entry::Free(e);
}

// Through the database: packing moves entries, and a key with a TTL must
// stay reachable through the expiry index afterwards (the index holds the
// entry's address).
TEST(EntryPack, PackedKeysWithATtlExpireNormally) {
  uint64_t version = 0;
  Database db(0, &version);
  const int64_t now = 1000000;
  for (int k = 0; k < 30; ++k) {
    const std::string hkey = "h" + std::to_string(k), zkey = "z" + std::to_string(k);
    for (int i = 0; i < 60; ++i) {
      const std::string f = "field" + std::to_string(i), v(static_cast<size_t>(i), 'v');
      const std::string_view pair[2] = {f, v};
      ASSERT_TRUE(HashSet(db, hkey, pair, 1, kDefault, now).ok());
      const ZAddItem item{static_cast<double>(i), f};
      ASSERT_TRUE(ZSetAdd(db, zkey, std::span(&item, 1), 0, kDefault, now).ok());
      if (i == 0) {
        db.SetExpire(db.Find(hkey, now), now + 10);
        db.SetExpire(db.Find(zkey, now), now + 10);
      }
    }
    EXPECT_TRUE(db.Find(hkey, now)->object<HashValue>()->ListpackEmbedded());
    EXPECT_TRUE(db.Find(zkey, now)->object<ZSetValue>()->ListpackEmbedded());
  }
  size_t deleted = 0;
  for (int round = 0; round < 200 && db.size() > 0; ++round) {
    deleted += db.ActiveExpire(
        now + 20, [] { return int64_t{0}; }, 1);
  }
  EXPECT_EQ(deleted, 60u);
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.expires_count(), 0u);
}

}  // namespace
}  // namespace duet
