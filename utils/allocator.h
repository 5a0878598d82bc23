#pragma once
// Allocator housekeeping and statistics. duet-server runs on jemalloc; the
// unit tests run on the C library's malloc, where the housekeeping calls do
// nothing and the statistics come from glibc.

#include <cstddef>
#include <cstdint>
#include <string>

namespace duet {

// Returns dirty pages whose decay time has passed to the operating system.
// jemalloc only decays during allocation activity unless a background thread
// runs (Redis enables one: jemalloc-bg-thread); Duet stays single-threaded
// and calls this from its cron instead, so an idle server's RSS shrinks to
// what it uses.
void AllocatorDecay();

// Returns every unused dirty page at once (MEMORY PURGE).
void AllocatorPurge();

// Bytes the calling thread holds from the allocator now: jemalloc's
// per-thread counters (allocated minus freed), two loads after the first
// call; glibc's totals otherwise. The server thread's figure is what
// maxmemory is compared with.
size_t AllocatedBytes();

struct AllocatorStats {
  uint64_t allocated = 0;  // bytes handed out
  uint64_t active = 0;     // bytes in pages holding allocations
  uint64_t resident = 0;   // bytes the allocator keeps resident
  std::string name;        // "jemalloc-5.3.0" or "libc"
};
AllocatorStats ReadAllocatorStats();

// What an allocation of `request` bytes really takes: jemalloc's size class,
// or glibc's chunk size (request plus its 8-byte header, in 16-byte steps).
size_t AllocationSize(size_t request);

// Resident set size of the process, from /proc.
uint64_t ResidentSetBytes();

// MEMORY MALLOC-STATS text ("Stats not supported for the current allocator"
// without jemalloc).
std::string AllocatorReport();

}  // namespace duet
