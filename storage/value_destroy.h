#pragma once
// Type-dispatched operations on the collection object an Entry owns.

#include <cstddef>

#include "storage/entry.h"

namespace duet {

// Frees a collection object of the given type.
void DestroyValue(ValueType type, void* obj);
// A deep copy of a collection object (COPY, RENAME).
void* CloneValue(ValueType type, const void* obj);
// Bytes a collection object occupies (for MEMORY USAGE and eviction).
size_t ValueMemoryUsage(ValueType type, const void* obj);

}  // namespace duet
