#include "server/latency.h"

#include <vector>

namespace duet {

void LatencyMonitor::Record(const std::string& event, int64_t ms, int64_t unix_time) {
  LatencyEvent& e = events_[event];
  if (ms > e.max_ms) e.max_ms = ms;
  if (!e.samples.empty() && e.samples.back().unix_time == unix_time) {
    if (ms > e.samples.back().ms) e.samples.back().ms = ms;
    return;
  }
  e.samples.push_back({unix_time, ms});
  if (e.samples.size() > kSamples) e.samples.pop_front();
}

size_t LatencyMonitor::Reset(const std::vector<std::string>& events) {
  if (events.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (const auto& name : events) n += events_.erase(name);
  return n;
}

}  // namespace duet
