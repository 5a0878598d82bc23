#pragma once
// What a heap allocation really costs, for MEMORY USAGE-style accounting.
// Models glibc malloc: a chunk is the request plus an 8-byte header, rounded
// up to 16 bytes, and never smaller than 32. The model keeps the numbers
// deterministic (tests compare them) and close to what the process pays.

#include <cstddef>

namespace duet {

constexpr size_t MallocChunkBytes(size_t request) {
  const size_t chunk = (request + 8 + 15) & ~size_t{15};
  return chunk < 32 ? 32 : chunk;
}

}  // namespace duet
