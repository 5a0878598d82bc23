#pragma once
// LatencyHistogram: command latencies for INFO latencystats, bucketed exactly
// like the HDR histogram Redis 7.0 keeps per command (values 1 ns .. 1 s, two
// significant decimal digits), so the percentiles Duet reports round the same
// way Redis's do (1 us is reported as 1.003).
//
// Layout: values below 256 have a bucket each; above, every power-of-two
// range is split into 128 equal buckets. 3072 counters (24 KB), allocated
// by the owner only once a command has been called, and zeroed by calloc: on
// fresh pages that writes nothing, so only the pages of the buckets latencies
// actually reach become resident (as with Redis's calloc'ed HDR histogram).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace duet {

class LatencyHistogram {
 public:
  static constexpr int64_t kMinValue = 1;
  static constexpr int64_t kMaxValue = 1000000000;

  struct Deleter {
    void operator()(LatencyHistogram* h) const { std::free(h); }
  };
  using Ptr = std::unique_ptr<LatencyHistogram, Deleter>;
  // An empty histogram (the only way to make one).
  static Ptr Create();

  // Records one value (ns), clamped to [kMinValue, kMaxValue].
  void Record(int64_t value);
  uint64_t total() const { return total_; }
  // The highest value equivalent to the one at `percentile` (0..100] of the
  // recorded values; 0 when nothing was recorded.
  int64_t ValueAtPercentile(double percentile) const;

 private:
  static constexpr int kSubBucketHalf = 128;
  static constexpr int kBuckets = 23;
  static constexpr int kCounts = (kBuckets + 1) * kSubBucketHalf;

  // Trivial, so calloc's zero bytes are the object (an implicit-lifetime
  // type): no constructor writes the counters.
  LatencyHistogram() = default;

  std::array<uint64_t, kCounts> counts_;
  uint64_t total_;
};

}  // namespace duet
