#pragma once
// What the memory allocator can tell about the process. duet-server links
// jemalloc and gets its statistics; test binaries use glibc malloc and get
// coarser figures. Every function works in both.

#include <cstddef>
#include <cstdint>
#include <string>

namespace duet {

// Bytes the calling thread holds from the allocator now: jemalloc's
// per-thread counters (allocated minus freed), two loads after the first
// call; glibc's totals otherwise.
size_t AllocatedBytes();

struct AllocatorStats {
  uint64_t allocated = 0;  // bytes handed out
  uint64_t active = 0;     // bytes in pages holding allocations
  uint64_t resident = 0;   // bytes the allocator keeps resident
  std::string name;        // "jemalloc-5.3.0" or "libc"
};
AllocatorStats ReadAllocatorStats();

// Resident set size of the process, from /proc.
uint64_t ResidentSetBytes();

// MEMORY MALLOC-STATS text ("Stats not supported for the current allocator"
// without jemalloc).
std::string AllocatorReport();
// Returns unused dirty pages to the system (MEMORY PURGE); false without
// jemalloc.
bool PurgeAllocator();

}  // namespace duet
