#include "utils/latency_histogram.h"

#include <algorithm>
#include <new>
#include <type_traits>

namespace duet {
namespace {

constexpr int kSubBucketMagnitude = 7;  // log2(half the sub-buckets)
constexpr uint64_t kSubBucketMask = 255;

int BucketOf(uint64_t value) { return 64 - __builtin_clzll(value | kSubBucketMask) - 8; }

int IndexOf(uint64_t value) {
  const int bucket = BucketOf(value);
  const auto sub = static_cast<int>(value >> bucket);
  return ((bucket + 1) << kSubBucketMagnitude) + (sub - (1 << kSubBucketMagnitude));
}

uint64_t ValueOfIndex(int index) {
  int bucket = (index >> kSubBucketMagnitude) - 1;
  int sub = (index & ((1 << kSubBucketMagnitude) - 1)) + (1 << kSubBucketMagnitude);
  if (bucket < 0) {
    sub -= 1 << kSubBucketMagnitude;
    bucket = 0;
  }
  return static_cast<uint64_t>(sub) << bucket;
}

uint64_t HighestEquivalent(uint64_t value) {
  const int bucket = BucketOf(value);
  const uint64_t sub = value >> bucket;
  const int range_bucket = sub >= 256 ? bucket + 1 : bucket;
  return (sub << bucket) + (uint64_t{1} << range_bucket) - 1;
}

}  // namespace

// Create relies on calloc'ed bytes being a valid, empty histogram.
static_assert(std::is_trivially_copyable_v<LatencyHistogram> &&
              std::is_trivially_destructible_v<LatencyHistogram>);

LatencyHistogram::Ptr LatencyHistogram::Create() {
  void* p = std::calloc(1, sizeof(LatencyHistogram));
  if (p == nullptr) throw std::bad_alloc();
  return Ptr(static_cast<LatencyHistogram*>(p));
}

void LatencyHistogram::Record(int64_t value) {
  value = std::clamp(value, kMinValue, kMaxValue);
  ++counts_[static_cast<size_t>(IndexOf(static_cast<uint64_t>(value)))];
  ++total_;
}

int64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (total_ == 0) return 0;
  const double p = std::min(percentile, 100.0);
  auto wanted = static_cast<uint64_t>(p / 100 * static_cast<double>(total_) + 0.5);
  wanted = std::max<uint64_t>(wanted, 1);
  uint64_t seen = 0;
  for (int i = 0; i < kCounts; ++i) {
    seen += counts_[static_cast<size_t>(i)];
    if (seen >= wanted) return static_cast<int64_t>(HighestEquivalent(ValueOfIndex(i)));
  }
  return 0;
}

}  // namespace duet
