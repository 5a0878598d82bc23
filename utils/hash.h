#pragma once
// Keyed hashing for every hash table in Duet. The key is random per process
// (InitHashSeed), so a client cannot craft keys that collide: the same keys
// land in different buckets in every run. SipHash-2-4 from libsodium.

#include <cstdint>
#include <string_view>

#include "utils/status.h"

namespace duet {

// Picks a fresh random seed. Call once at start-up, before any table exists.
// Fails when libsodium cannot start (no random seed: keys would land in the
// same buckets in every run) or its SipHash-2-4 misses the paper's reference
// digest (every table depends on it). The check also runs the hash once, so
// its code is resident from the start rather than faulted in by the first
// key a client stores.
Status InitHashSeed();
// For tests that need reproducible bucket placement.
void SetHashSeedForTesting(const unsigned char seed[16]);
// Back to the built-in seed the tables start with (tests that changed it).
void ResetHashSeedForTesting();

uint64_t HashBytes(std::string_view bytes);

}  // namespace duet
