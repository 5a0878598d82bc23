#pragma once
// Type-dispatched operations on the collection value an Entry holds (inline
// for hashes, sets and sorted sets; behind v.obj for lists).

#include <cstddef>
#include <string_view>

#include "storage/entry.h"
#include "utils/sha1.h"

namespace duet {

// Destroys the collection value of `e` (the entry itself is not freed).
// REQUIRES: e.type != kString.
void DestroyValue(Entry& e);
// A new entry under `new_key` holding a deep copy of e's collection value
// (COPY). Only the value is copied: expiry, flags and version start fresh.
// REQUIRES: e.type != kString.
Entry* CloneCollection(const Entry& e, std::string_view new_key);
// Mixes a collection's elements into a DEBUG DIGEST (see storage/digest.h).
void DigestCollection(const Entry& e, Sha1Digest& digest);
// OBJECT ENCODING name of a collection value.
const char* CollectionEncodingName(const Entry& e);
// Heap bytes a collection value owns beyond the entry header (for MEMORY
// USAGE and eviction); a list also counts its Quicklist header.
size_t ValueMemoryUsage(const Entry& e);

}  // namespace duet
