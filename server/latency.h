#pragma once
// The latency monitor: for each event ("command", "fast-command"), the
// spikes at or above latency-monitor-threshold ms, one per second at most
// (the worst of that second), 160 kept, plus the all-time maximum.

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace duet {

struct LatencySample {
  int64_t unix_time = 0;
  int64_t ms = 0;
};

struct LatencyEvent {
  std::deque<LatencySample> samples;  // oldest first
  int64_t max_ms = 0;
};

class LatencyMonitor {
 public:
  static constexpr size_t kSamples = 160;
  void Record(const std::string& event, int64_t ms, int64_t unix_time);
  // Forgets the named events; all when `events` is empty. Returns how many went.
  size_t Reset(const std::vector<std::string>& events);
  const std::map<std::string, LatencyEvent>& events() const { return events_; }

 private:
  std::map<std::string, LatencyEvent> events_;
};

}  // namespace duet
