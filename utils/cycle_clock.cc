#include "utils/cycle_clock.h"

#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace duet {
namespace {

bool HasInvariantTsc() {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) < 0x80000007u) return false;
  __cpuid(0x80000007, a, b, c, d);
  return (d & (1u << 8)) != 0;
#else
  return false;
#endif
}

}  // namespace

void CycleClock::Calibrate() {
#if defined(__x86_64__)
  if (!HasInvariantTsc()) return;
  int64_t t0 = MonotonicMicros();
  uint64_t c0 = __rdtsc();
  timespec pause{0, 10 * 1000 * 1000};
  nanosleep(&pause, nullptr);
  int64_t t1 = MonotonicMicros();
  uint64_t c1 = __rdtsc();
  if (t1 <= t0 || c1 <= c0) return;
  ticks_per_us_ = static_cast<double>(c1 - c0) / static_cast<double>(t1 - t0);
  use_tsc_ = ticks_per_us_ > 1.0;
#endif
}

}  // namespace duet
