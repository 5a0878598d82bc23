#include "utils/allocator.h"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstddef>

// Present only when the binary is linked with jemalloc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));
extern "C" void malloc_stats_print(void (*write_cb)(void*, const char*), void* cbopaque,
                                   const char* opts) __attribute__((weak));
extern "C" size_t nallocx(size_t size, int flags) __attribute__((weak));

namespace duet {

// "4096" is jemalloc's MALLCTL_ARENAS_ALL: every arena.
void AllocatorDecay() {
  if (mallctl != nullptr) mallctl("arena.4096.decay", nullptr, nullptr, nullptr, 0);
}

void AllocatorPurge() {
  if (mallctl != nullptr) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

size_t AllocationSize(size_t request) {
  if (nallocx != nullptr && request > 0) return nallocx(request, 0);
  const size_t chunk = (request + 8 + 15) & ~size_t{15};
  return chunk < 32 ? 32 : chunk;
}

namespace {

struct ThreadCounters {
  bool init = false;
  uint64_t* allocated = nullptr;
  uint64_t* deallocated = nullptr;
};
thread_local ThreadCounters counters;

uint64_t ReadStat(const char* name) {
  size_t value = 0;
  size_t sz = sizeof(value);
  return mallctl(name, &value, &sz, nullptr, 0) == 0 ? value : 0;
}

}  // namespace

size_t AllocatedBytes() {
  if (!counters.init) {
    counters.init = true;
    if (mallctl != nullptr) {
      size_t sz = sizeof(uint64_t*);
      if (mallctl("thread.allocatedp", &counters.allocated, &sz, nullptr, 0) != 0 ||
          mallctl("thread.deallocatedp", &counters.deallocated, &sz, nullptr, 0) != 0) {
        counters.allocated = counters.deallocated = nullptr;
      }
    }
  }
  if (counters.allocated != nullptr) {
    uint64_t a = *counters.allocated, d = *counters.deallocated;
    return a > d ? static_cast<size_t>(a - d) : 0;
  }
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

// Read with open/read and from_chars rather than an ifstream or sscanf:
// their first use sets up libc++/libc locale data, a few hundred KB of pages
// that INFO would then show as resident memory.
uint64_t ResidentSetBytes() {
  int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  ::close(fd);
  if (n <= 0) return 0;
  // "size resident shared ...", in pages: the second number.
  const char* end = buf + n;
  const char* p = std::find(static_cast<const char*>(buf), end, ' ');
  uint64_t resident = 0;
  if (p == end || std::from_chars(p + 1, end, resident).ec != std::errc()) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

AllocatorStats ReadAllocatorStats() {
  AllocatorStats s;
  if (mallctl == nullptr) {
    struct mallinfo2 mi = mallinfo2();
    s.allocated = mi.uordblks + mi.hblkhd;
    s.active = s.allocated;
    s.resident = ResidentSetBytes();
    s.name = "libc";
    return s;
  }
  // Refresh jemalloc's statistics, then read them.
  uint64_t epoch = 1;
  size_t sz = sizeof(epoch);
  mallctl("epoch", &epoch, &sz, &epoch, sz);
  s.allocated = ReadStat("stats.allocated");
  s.active = ReadStat("stats.active");
  s.resident = ReadStat("stats.resident");
  s.name = "jemalloc";
  const char* version = nullptr;
  sz = sizeof(version);
  if (mallctl("version", &version, &sz, nullptr, 0) == 0 && version != nullptr) {
    std::string v(version);
    s.name += "-" + v.substr(0, v.find('-'));
  }
  return s;
}

std::string AllocatorReport() {
  if (malloc_stats_print == nullptr) return "Stats not supported for the current allocator";
  std::string out;
  malloc_stats_print(
      [](void* opaque, const char* text) { static_cast<std::string*>(opaque)->append(text); }, &out,
      nullptr);
  return out;
}

}  // namespace duet
