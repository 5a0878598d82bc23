#pragma once
// CycleClock: a cheap timer for per-command statistics (INFO commandstats).
// Reading the CPU's time-stamp counter costs a few nanoseconds, where a
// clock_gettime call per command start and end was 9% of a pipelined GET
// benchmark's CPU time. Calibrated once against CLOCK_MONOTONIC; on CPUs
// without an invariant TSC it falls back to clock_gettime.

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "utils/clock.h"

namespace duet {

class CycleClock {
 public:
  // Measures the tick rate (about 10 ms of sleeping). Call once at start-up;
  // until then Now() counts microseconds through clock_gettime.
  static void Calibrate();
  // An opaque tick count; convert differences with ToMicros.
  static uint64_t Now() {
#if defined(__x86_64__)
    if (use_tsc_) return __rdtsc();
#endif
    return static_cast<uint64_t>(MonotonicMicros());
  }
  static uint64_t ToMicros(uint64_t ticks) {
    return use_tsc_ ? static_cast<uint64_t>(static_cast<double>(ticks) / ticks_per_us_) : ticks;
  }

 private:
  static inline bool use_tsc_ = false;
  static inline double ticks_per_us_ = 1.0;
};

}  // namespace duet
