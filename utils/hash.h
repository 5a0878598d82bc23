#pragma once
// Keyed hashing for every hash table in Duet. The key is random per process
// (InitHashSeed), so a client cannot craft keys that collide: the same keys
// land in different buckets in every run. SipHash-2-4 from libsodium.

#include <cstdint>
#include <string_view>

namespace duet {

// Picks a fresh random seed. Call once at start-up, before any table exists.
void InitHashSeed();
// For tests that need reproducible bucket placement.
void SetHashSeedForTesting(const unsigned char seed[16]);

uint64_t HashBytes(std::string_view bytes);

}  // namespace duet
