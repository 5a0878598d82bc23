#include "utils/hash.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <random>
#include <string>

namespace duet {
namespace {

// Other tests expect the built-in seed: put it back afterwards.
class HashTest : public ::testing::Test {
 protected:
  void TearDown() override {
    const unsigned char built_in[16] = {0x64, 0x75, 0x65, 0x74, 0x2d, 0x73, 0x65, 0x65,
                                        0x64, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35};
    SetHashSeedForTesting(built_in);
  }
};

// HashBytes is SipHash-2-4: it must agree with libsodium's crypto_shorthash
// for every length around the 8-byte block boundaries, under any key.
TEST_F(HashTest, MatchesLibsodiumSipHash24) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    unsigned char seed[16];
    for (unsigned char& b : seed) b = static_cast<unsigned char>(rng());
    SetHashSeedForTesting(seed);
    for (size_t len = 0; len <= 70; ++len) {
      std::string s(len, '\0');
      for (char& c : s) c = static_cast<char>(rng());
      unsigned char out[crypto_shorthash_BYTES];
      crypto_shorthash(out, reinterpret_cast<const unsigned char*>(s.data()), s.size(), seed);
      uint64_t want = 0;
      for (int i = 7; i >= 0; --i) want = want << 8 | out[i];
      ASSERT_EQ(HashBytes(s), want) << "len " << len << " round " << round;
    }
  }
}

// The reference vector of the SipHash paper: key 00..0f, message 00..0e.
TEST_F(HashTest, PaperVector) {
  unsigned char key[16];
  for (int i = 0; i < 16; ++i) key[i] = static_cast<unsigned char>(i);
  SetHashSeedForTesting(key);
  std::string msg;
  for (int i = 0; i < 15; ++i) msg.push_back(static_cast<char>(i));
  EXPECT_EQ(HashBytes(msg), 0xa129ca6149be45e5ULL);
}

}  // namespace
}  // namespace duet
