#include "utils/hash.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace duet {
namespace {

// Other tests expect the built-in seed: put it back afterwards.
class HashTest : public ::testing::Test {
 protected:
  void TearDown() override { ResetHashSeedForTesting(); }
};

// The reference vector of the SipHash paper (key 00..0f, message 00..0e):
// the seed reaches libsodium as given and the digest is read little-endian.
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
