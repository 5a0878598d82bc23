#pragma once
// A fast pseudo-random source for the collection types (SPOP, SRANDMEMBER,
// ZRANDMEMBER, skiplist levels). Not cryptographic: it only has to spread
// picks evenly. The server is single-threaded, so one global state suffices;
// tests may reseed it to get repeatable sequences.

#include <cstdint>

namespace duet {

// Next 64 random bits (xoshiro256**).
uint64_t RandomU64();

// Uniform in [0, n). REQUIRES: n > 0.
uint64_t RandomBelow(uint64_t n);

// Resets the generator to a state derived from `seed`.
void SeedRandom(uint64_t seed);

}  // namespace duet
