#pragma once
// SLOWLOG: the most recent commands that took longer than
// slowlog-log-slower-than microseconds, newest first, at most slowlog-max-len.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

struct SlowlogEntry {
  uint64_t id = 0;
  int64_t unix_time = 0;  // seconds
  int64_t duration_us = 0;
  std::vector<std::string> args;  // trimmed as Redis trims them
  std::string client_addr;
  std::string client_name;
};

class Slowlog {
 public:
  // Records a command (args as sent); trims to 32 arguments of 128 bytes the
  // way Redis does, so one huge command cannot fill memory.
  void Add(const std::vector<std::string_view>& args, int64_t duration_us, int64_t unix_time,
           const std::string& addr, const std::string& name, size_t max_len);
  const std::deque<SlowlogEntry>& entries() const { return entries_; }
  void Reset() { entries_.clear(); }
  void Trim(size_t max_len);

 private:
  std::deque<SlowlogEntry> entries_;  // newest first
  uint64_t next_id_ = 0;
};

}  // namespace duet
