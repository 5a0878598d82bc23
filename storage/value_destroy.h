#pragma once
// Type-dispatched operations on the collection object an Entry owns.

#include <cstddef>

#include "storage/entry.h"
#include "utils/sha1.h"

namespace duet {

// Frees a collection object of the given type.
void DestroyValue(ValueType type, void* obj);
// A deep copy of a collection object (COPY, RENAME).
void* CloneValue(ValueType type, const void* obj);
// Mixes a collection's elements into a DEBUG DIGEST (see storage/digest.h).
void DigestCollection(ValueType type, const void* obj, Sha1Digest& digest);
// OBJECT ENCODING name of a collection object.
const char* CollectionEncodingName(ValueType type, const void* obj);
// Bytes a collection object occupies (for MEMORY USAGE and eviction).
size_t ValueMemoryUsage(ValueType type, const void* obj);

}  // namespace duet
