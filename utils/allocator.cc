#include "utils/allocator.h"

#include <cstddef>

// Present only when the binary is linked with jemalloc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace duet {

// "4096" is jemalloc's MALLCTL_ARENAS_ALL: every arena.
void AllocatorDecay() {
  if (mallctl != nullptr) mallctl("arena.4096.decay", nullptr, nullptr, nullptr, 0);
}

void AllocatorPurge() {
  if (mallctl != nullptr) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

}  // namespace duet
