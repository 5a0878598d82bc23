#include "storage/random.h"

namespace duet {
namespace {

struct State {
  uint64_t s[4];
};

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

State MakeState(uint64_t seed) {
  State st;
  for (auto& w : st.s) w = SplitMix(seed);
  return st;
}

State& GlobalState() {
  static State state = MakeState(0x2545F4914F6CDD1DULL);
  return state;
}

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t RandomU64() {
  uint64_t* s = GlobalState().s;
  const uint64_t result = Rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = Rotl(s[3], 45);
  return result;
}

uint64_t RandomBelow(uint64_t n) {
  // Multiply-shift maps 64 random bits onto [0, n) with a bias below 2^-64*n,
  // which is far below anything a client could observe.
  return static_cast<uint64_t>((static_cast<unsigned __int128>(RandomU64()) * n) >> 64);
}

void SeedRandom(uint64_t seed) { GlobalState() = MakeState(seed); }

}  // namespace duet
