#pragma once
// CycleClock: a cheap timer for per-command statistics (INFO commandstats).
// Reading the CPU's time-stamp counter costs a few nanoseconds, where a
// clock_gettime call per command start and end was 9% of a pipelined GET
// benchmark's CPU time. Calibrated once against CLOCK_MONOTONIC; on CPUs
// without an invariant TSC it falls back to clock_gettime.

#include <cstdint>

namespace duet {

class CycleClock {
 public:
  // Measures the tick rate (about 10 ms of sleeping). Call once at start-up;
  // until then Now() counts microseconds through clock_gettime.
  static void Calibrate();
  // An opaque tick count; convert differences with ToMicros.
  static uint64_t Now();
  static uint64_t ToMicros(uint64_t ticks);
};

}  // namespace duet
