#include "storage/dict.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace duet {
namespace {

struct TestNode {
  TestNode* next = nullptr;
  std::string key;
};
struct TestTraits {
  using Node = TestNode;
  static std::string_view KeyOf(const Node* n) { return n->key; }
};
using TestDict = Dict<TestTraits>;

class DictTest : public ::testing::Test {
 protected:
  ~DictTest() override {
    dict_.Clear([](TestNode* n) { delete n; });
  }
  void Add(const std::string& k) { dict_.Insert(new TestNode{nullptr, k}); }
  bool Remove(const std::string& k) {
    TestNode* n = dict_.Unlink(k);
    delete n;
    return n != nullptr;
  }
  TestDict dict_;
};

TEST_F(DictTest, InsertFindUnlink) {
  for (int i = 0; i < 1000; ++i) Add("k" + std::to_string(i));
  EXPECT_EQ(dict_.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_NE(dict_.Find("k" + std::to_string(i)), nullptr) << i;
  EXPECT_EQ(dict_.Find("nope"), nullptr);
  for (int i = 0; i < 1000; i += 2) ASSERT_TRUE(Remove("k" + std::to_string(i)));
  EXPECT_FALSE(Remove("k0"));
  EXPECT_EQ(dict_.size(), 500u);
  for (int i = 1; i < 1000; i += 2) ASSERT_NE(dict_.Find("k" + std::to_string(i)), nullptr);
}

TEST_F(DictTest, ShrinksWhenSparse) {
  for (int i = 0; i < 4096; ++i) Add(std::to_string(i));
  while (dict_.rehashing()) dict_.Rehash(100);
  size_t big = dict_.buckets();
  for (int i = 0; i < 4090; ++i) Remove(std::to_string(i));
  while (dict_.rehashing()) dict_.Rehash(100);
  EXPECT_LT(dict_.buckets(), big / 8);
  EXPECT_EQ(dict_.size(), 6u);
}

// The SCAN guarantee: keys present for the whole scan are all returned, while
// the table grows and shrinks between cursor steps.
TEST_F(DictTest, ScanReturnsEveryStableKeyAcrossResizes) {
  std::set<std::string> stable;
  for (int i = 0; i < 200; ++i) {
    Add("s" + std::to_string(i));
    stable.insert("s" + std::to_string(i));
  }
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0, extra = 0;
  do {
    cursor = dict_.Scan(cursor, [&](const TestNode* n) { seen.insert(n->key); });
    ++step;
    if (step % 3 == 0 && step < 60) {
      for (int j = 0; j < 40; ++j) Add("g" + std::to_string(extra++));  // grow
    } else if (step >= 60 && extra > 0) {
      for (int j = 0; j < 40 && extra > 0; ++j) Remove("g" + std::to_string(--extra));  // shrink
    }
  } while (cursor != 0 && step < 100000);
  ASSERT_EQ(cursor, 0u);
  for (const auto& k : stable) EXPECT_TRUE(seen.count(k)) << k;
}

TEST_F(DictTest, ScanOfStableTableVisitsEachKeyOnce) {
  for (int i = 0; i < 1000; ++i) Add(std::to_string(i));
  while (dict_.rehashing()) dict_.Rehash(100);
  std::vector<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = dict_.Scan(cursor, [&](const TestNode* n) { seen.push_back(n->key); });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 1000u);
}

TEST_F(DictTest, RandomNodeReachesEveryKey) {
  for (int i = 0; i < 50; ++i) Add(std::to_string(i));
  std::mt19937_64 rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) seen.insert(dict_.RandomNode(rng)->key);
  EXPECT_EQ(seen.size(), 50u);
}

TEST_F(DictTest, ReplaceSwapsNodeInPlace) {
  Add("a");
  TestNode* old = dict_.Find("a");
  auto* repl = new TestNode{nullptr, "a"};
  ASSERT_TRUE(dict_.Replace(old, repl));
  delete old;
  EXPECT_EQ(dict_.Find("a"), repl);
}

// Keys chosen to share their low hash bits under one seed spread out under
// another: the seed, not the key, decides the bucket.
TEST_F(DictTest, CraftedCollisionsSpreadUnderAnotherSeed) {
  const unsigned char seed_a[16] = {1};
  const unsigned char seed_b[16] = {2};
  SetHashSeedForTesting(seed_a);
  std::vector<std::string> colliding;
  for (int i = 0; colliding.size() < 2000; ++i) {
    std::string k = "key" + std::to_string(i);
    if ((HashBytes(k) & 0xFFF) == 0) colliding.push_back(k);
  }
  SetHashSeedForTesting(seed_b);
  for (const auto& k : colliding) Add(k);
  while (dict_.rehashing()) dict_.Rehash(100);
  EXPECT_LE(dict_.LongestChain(), 10u);
  dict_.Clear([](TestNode* n) { delete n; });
  ResetHashSeedForTesting();
}

}  // namespace
}  // namespace duet
