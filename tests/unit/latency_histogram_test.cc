// LatencyHistogram rounds like the HDR histogram of Redis 7.0 (expected
// values read from redis-server 7.0.15's INFO latencystats).

#include "utils/latency_histogram.h"

#include <gtest/gtest.h>

namespace duet {
namespace {

TEST(LatencyHistogram, EmptyReportsZero) {
  auto h_ptr = LatencyHistogram::Create();
  LatencyHistogram& h = *h_ptr;
  EXPECT_EQ(h.total(), 0u);
  EXPECT_EQ(h.ValueAtPercentile(50), 0);
}

TEST(LatencyHistogram, RedisRounding) {
  auto h_ptr = LatencyHistogram::Create();
  LatencyHistogram& h = *h_ptr;
  h.Record(1000);  // 1 us
  EXPECT_EQ(h.ValueAtPercentile(50), 1003);
  auto zero_ptr = LatencyHistogram::Create();
  LatencyHistogram& zero = *zero_ptr;
  zero.Record(0);  // clamped to 1 ns
  EXPECT_EQ(zero.ValueAtPercentile(99.9), 1);
  auto small_ptr = LatencyHistogram::Create();
  LatencyHistogram& small = *small_ptr;
  small.Record(200);  // below 256: exact
  EXPECT_EQ(small.ValueAtPercentile(100), 200);
  auto big_ptr = LatencyHistogram::Create();
  LatencyHistogram& big = *big_ptr;
  big.Record(5000000000);  // clamped to 1 s
  EXPECT_EQ(big.ValueAtPercentile(50), 1002438655);
}

TEST(LatencyHistogram, Percentiles) {
  auto h_ptr = LatencyHistogram::Create();
  LatencyHistogram& h = *h_ptr;
  for (int i = 0; i < 98; ++i) h.Record(1000);
  h.Record(50000);
  h.Record(2000000);
  EXPECT_EQ(h.total(), 100u);
  EXPECT_EQ(h.ValueAtPercentile(50), 1003);
  EXPECT_EQ(h.ValueAtPercentile(99), 50175);
  EXPECT_EQ(h.ValueAtPercentile(99.9), 2007039);
  EXPECT_EQ(h.ValueAtPercentile(150), 2007039);
}

}  // namespace
}  // namespace duet
