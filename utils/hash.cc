#include "utils/hash.h"

#include <sodium.h>

#include <cstring>

namespace duet {
namespace {

// Starts as a fixed value so code that hashes before InitHashSeed (tests)
// still works; the server replaces it with random bytes at start.
unsigned char g_seed[crypto_shorthash_KEYBYTES] = {0x64, 0x75, 0x65, 0x74, 0x2d, 0x73, 0x65, 0x65,
                                                   0x64, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35};

}  // namespace

void InitHashSeed() {
  if (sodium_init() < 0) return;  // keeps the built-in seed; libsodium is unusable anyway
  randombytes_buf(g_seed, sizeof(g_seed));
}

void SetHashSeedForTesting(const unsigned char seed[16]) {
  std::memcpy(g_seed, seed, sizeof(g_seed));
}

uint64_t HashBytes(std::string_view bytes) {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), g_seed);
  uint64_t h;
  std::memcpy(&h, out, sizeof(h));
  return h;
}

}  // namespace duet
