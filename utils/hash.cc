#include "utils/hash.h"

#include <sodium.h>

#include <bit>
#include <cstring>

namespace duet {
namespace {

// Starts as a fixed value so code that hashes before InitHashSeed (tests)
// still works; the server replaces it with random bytes at start.
unsigned char g_seed[16] = {0x64, 0x75, 0x65, 0x74, 0x2d, 0x73, 0x65, 0x65,
                            0x64, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35};

uint64_t LoadLE64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

struct SipKey {
  uint64_t k0, k1;
};

SipKey KeyOf(const unsigned char* seed) { return {LoadLE64(seed), LoadLE64(seed + 8)}; }

SipKey g_key = KeyOf(g_seed);

struct SipState {
  uint64_t v0, v1, v2, v3;

  void Round() {
    v0 += v1;
    v1 = std::rotl(v1, 13);
    v1 ^= v0;
    v0 = std::rotl(v0, 32);
    v2 += v3;
    v3 = std::rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = std::rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = std::rotl(v1, 17);
    v1 ^= v2;
    v2 = std::rotl(v2, 32);
  }

  void Absorb(uint64_t m) {
    v3 ^= m;
    Round();
    Round();
    v0 ^= m;
  }
};

}  // namespace

void InitHashSeed() {
  if (sodium_init() < 0) return;  // keeps the built-in seed; libsodium is unusable anyway
  randombytes_buf(g_seed, sizeof(g_seed));
  g_key = KeyOf(g_seed);
}

void SetHashSeedForTesting(const unsigned char seed[16]) {
  std::memcpy(g_seed, seed, sizeof(g_seed));
  g_key = KeyOf(g_seed);
}

// SipHash-2-4 (Aumasson and Bernstein, 2012): the function libsodium's
// crypto_shorthash computes, here in the binary next to the tables that call
// it on every lookup. The result is the 64-bit little-endian digest as a number.
uint64_t HashBytes(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t len = bytes.size();
  SipState s{g_key.k0 ^ 0x736f6d6570736575ULL, g_key.k1 ^ 0x646f72616e646f6dULL,
             g_key.k0 ^ 0x6c7967656e657261ULL, g_key.k1 ^ 0x7465646279746573ULL};
  const unsigned char* end = p + (len & ~size_t{7});
  for (; p != end; p += 8) s.Absorb(LoadLE64(p));
  uint64_t last = uint64_t{len & 0xff} << 56;
  for (size_t i = 0; i < (len & 7); ++i) last |= uint64_t{p[i]} << (8 * i);
  s.Absorb(last);
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.Round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace duet
