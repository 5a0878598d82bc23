#pragma once
// DEBUG DIGEST and DEBUG DIGEST-VALUE: an order-independent SHA-1 summary of
// the dataset, computed exactly as Redis 7.0 computes it, so the same data
// gives the same digest in Duet and in Redis whatever the encodings.
//
// Per key: digest = 0; mix(key); mix(type as big-endian u32); then the value
// (strings: mix(bytes); lists: mix each element in order; sets: xor the hash
// of each member; hashes and sorted sets: xor, per element, the digest of
// mix(field) mix(value-or-score)); xor hash("!!expire!!") if the key has a TTL.
// Dataset: for each non-empty db, mix(db index as big-endian u32), then xor
// in sha1(key digest) for every key. Here mix(d, x) = d := sha1(d xor sha1(x)).

#include <string>
#include <string_view>

#include "storage/keyspace.h"
#include "utils/sha1.h"

namespace duet {

// Digest of one value, as DEBUG DIGEST-VALUE reports it (key name not mixed).
Sha1Digest ValueDigest(const Entry& e);
// The whole dataset, as DEBUG DIGEST reports it; 40 zeros when empty.
std::string DatasetDigestHex(const Keyspace& ks);

// Building blocks, exposed for the collection types' digests.
void DigestXor(Sha1Digest& d, std::string_view data);
void DigestMix(Sha1Digest& d, std::string_view data);

}  // namespace duet
