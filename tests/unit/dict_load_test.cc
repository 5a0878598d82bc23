// Dict::InsertIfAbsent and Dict::Reserve, the two calls RDB loading uses,
// and Database's wrappers around them.

#include <gtest/gtest.h>

#include <string>

#include "storage/database.h"
#include "storage/dict.h"

namespace duet {
namespace {

struct LoadNode {
  LoadNode* next = nullptr;
  std::string key;
};
struct LoadTraits {
  using Node = LoadNode;
  static std::string_view KeyOf(const Node* n) { return n->key; }
};

TEST(DictLoadTest, InsertIfAbsentReturnsTheExistingNode) {
  Dict<LoadTraits> d;
  LoadNode a{nullptr, "k"}, b{nullptr, "k"}, c{nullptr, "other"};
  EXPECT_EQ(d.InsertIfAbsent(&a), nullptr);
  EXPECT_EQ(d.InsertIfAbsent(&b), &a);
  EXPECT_EQ(d.InsertIfAbsent(&c), nullptr);
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.Find("k"), &a);
  d.Unlink("k");
  d.Unlink("other");
}

TEST(DictLoadTest, InsertIfAbsentAcrossRehashing) {
  Dict<LoadTraits> d;
  std::vector<LoadNode> nodes(5000);
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].key = "key:" + std::to_string(i);
    ASSERT_EQ(d.InsertIfAbsent(&nodes[i]), nullptr);
    // Every earlier key is still found as a duplicate, whatever the table
    // is doing (growing, rehashing).
    if (i % 97 == 0) {
      LoadNode dup{nullptr, nodes[i / 2].key};
      ASSERT_EQ(d.InsertIfAbsent(&dup), &nodes[i / 2]) << i;
    }
  }
  EXPECT_EQ(d.size(), nodes.size());
  for (auto& n : nodes) d.Unlink(n.key);
}

TEST(DictLoadTest, ReserveSizesOnceAndKeepsContents) {
  Dict<LoadTraits> d;
  d.Reserve(1000);
  EXPECT_EQ(d.buckets(), 1024u);
  std::vector<LoadNode> nodes(1000);
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].key = std::to_string(i);
    d.Insert(&nodes[i]);
  }
  EXPECT_FALSE(d.rehashing());  // no growth was needed
  EXPECT_EQ(d.buckets(), 1024u);
  d.Reserve(4000);  // a non-empty table rehashes incrementally
  EXPECT_TRUE(d.rehashing());
  while (d.Rehash(100)) {
  }
  EXPECT_EQ(d.buckets(), 4096u);
  for (auto& n : nodes) ASSERT_EQ(d.Find(n.key), &n);
  d.Reserve(10);  // never shrinks
  EXPECT_EQ(d.buckets(), 4096u);
  for (auto& n : nodes) d.Unlink(n.key);
}

TEST(DictLoadTest, DatabaseInsertIfAbsentStampsVersionAndIndexesExpiry) {
  uint64_t version = 0;
  Database db(0, &version);
  db.Reserve(10, 2);
  Entry* a = Entry::NewString("a", "1");
  a->expire_ms = 5000;
  EXPECT_EQ(db.InsertIfAbsent(a), nullptr);
  EXPECT_EQ(a->version, 1u);
  EXPECT_EQ(db.expires_count(), 1u);
  Entry* dup = Entry::NewString("a", "2");
  EXPECT_EQ(db.InsertIfAbsent(dup), a);
  EXPECT_EQ(version, 1u);
  Entry::Free(dup);
  EXPECT_EQ(db.size(), 1u);
}

}  // namespace
}  // namespace duet
