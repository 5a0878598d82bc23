#include "utils/hash.h"

#include <sodium.h>

#include <array>
#include <cstring>

namespace duet {
namespace {

// The seed starts as a fixed value so code that hashes before InitHashSeed
// (tests) still works; the server replaces it with random bytes at start.
using Seed = std::array<unsigned char, crypto_shorthash_KEYBYTES>;
constexpr Seed kBuiltInSeed = {0x64, 0x75, 0x65, 0x74, 0x2d, 0x73, 0x65, 0x65,
                               0x64, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35};
Seed g_seed = kBuiltInSeed;

}  // namespace

Status InitHashSeed() {
  if (sodium_init() < 0) {
    return Status::IoError("libsodium could not be initialised (no random hash seed)");
  }
  // The reference vector of the SipHash paper: key 00..0f, message 00..0e.
  unsigned char key[crypto_shorthash_KEYBYTES];
  unsigned char msg[15];
  for (unsigned i = 0; i < sizeof(key); ++i) key[i] = static_cast<unsigned char>(i);
  for (unsigned i = 0; i < sizeof(msg); ++i) msg[i] = static_cast<unsigned char>(i);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, msg, sizeof(msg), key);
  static constexpr unsigned char kExpected[crypto_shorthash_BYTES] = {0xe5, 0x45, 0xbe, 0x49,
                                                                      0x61, 0xca, 0x29, 0xa1};
  if (std::memcmp(out, kExpected, sizeof(out)) != 0) {
    return Status::Corruption("libsodium's SipHash-2-4 does not give the reference digest");
  }
  randombytes_buf(g_seed.data(), g_seed.size());
  return Status::Ok();
}

void ResetHashSeedForTesting() { g_seed = kBuiltInSeed; }

void SetHashSeedForTesting(const unsigned char seed[16]) {
  std::memcpy(g_seed.data(), seed, g_seed.size());
}

uint64_t HashBytes(std::string_view bytes) {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                   g_seed.data());
  uint64_t h;
  std::memcpy(&h, out, sizeof(h));
  return h;
}

}  // namespace duet
