#pragma once
// INFO: the report of Redis 7.0's sections and field names. Fields of
// features Duet does not have report the neutral value Redis reports when the
// feature is off.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace duet {

struct MemoryFigures {
  uint64_t used = 0;  // bytes allocated by the allocator for the process
  uint64_t rss = 0;   // resident set size
  std::string allocator;
};
MemoryFigures ReadMemoryFigures();

// The INFO text for the requested sections (empty = default sections).
std::string BuildInfo(Server& s, const std::vector<std::string_view>& sections);

}  // namespace duet
