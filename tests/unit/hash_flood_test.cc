// Hash flooding: keys built to collide under an unseeded hash must spread in
// the keyspace like random keys, because every table hashes with SipHash
// keyed by a per-process random seed (utils/hash.h).

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/string_ops.h"
#include "utils/hash.h"

namespace duet {
namespace {

// The classic unseeded string hash (h = h * 33 + c), which hash tables of
// many servers used before keyed hashing.
uint64_t Times33(std::string_view s) {
  uint64_t h = 5381;
  for (unsigned char c : s) h = h * 33 + c;
  return h;
}

// "b!" and "aB" have the same Times33 contribution (33*'b'+'!' == 33*'a'+'B'),
// so every string made of n such blocks has the same hash: 2^n keys with one
// hash value, found without any search.
std::vector<std::string> CollidingKeys(size_t count) {
  std::vector<std::string> keys;
  for (uint32_t bits = 0; keys.size() < count; ++bits) {
    std::string k;
    for (int b = 0; b < 17; ++b) k += (bits >> b) & 1 ? "b!" : "aB";
    keys.push_back(std::move(k));
  }
  return keys;
}

size_t LongestChainOf(const std::vector<std::string>& keys) {
  uint64_t version = 0;
  Database db(0, &version);
  for (const auto& k : keys) StringSetPlain(db, k, "v", 1000);
  EXPECT_EQ(db.size(), keys.size());
  for (int i = 0; i < 100000; ++i) db.RehashSome();  // finish any resize
  return db.LongestChain();
}

// Other tests expect the built-in seed: put it back afterwards.
class HashFlood : public ::testing::Test {
 protected:
  void TearDown() override { ResetHashSeedForTesting(); }
};

TEST_F(HashFlood, CraftedCollisionsSpreadLikeRandomKeys) {
  ASSERT_TRUE(InitHashSeed().ok());  // as the server does at start
  constexpr size_t kKeys = 100000;
  auto crafted = CollidingKeys(kKeys);
  // They do all collide under the unseeded hash: one chain of 100,000.
  for (const auto& k : crafted) ASSERT_EQ(Times33(k), Times33(crafted[0]));

  std::mt19937_64 rng(42);
  std::vector<std::string> random;
  random.reserve(kKeys);
  for (size_t i = 0; i < kKeys; ++i) {
    std::string k(34, '\0');
    for (char& c : k) c = static_cast<char>('!' + rng() % 90);
    random.push_back(std::move(k));
  }
  size_t crafted_longest = LongestChainOf(crafted);
  size_t random_longest = LongestChainOf(random);
  // 100,000 keys in 131,072 buckets: random keys give chains of about 8 at
  // most; crafted keys must do no worse than a few more.
  EXPECT_LE(random_longest, 12u);
  EXPECT_LE(crafted_longest, random_longest + 4);
}

TEST_F(HashFlood, SeedIsPickedPerProcess) {
  const std::string key = "same-key";
  ASSERT_TRUE(InitHashSeed().ok());
  uint64_t a = HashBytes(key);
  ASSERT_TRUE(InitHashSeed().ok());
  uint64_t b = HashBytes(key);
  EXPECT_NE(a, b);  // 2^-64 chance of a false failure
}

}  // namespace
}  // namespace duet
