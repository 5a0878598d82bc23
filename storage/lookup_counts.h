#pragma once
// LookupCounts: how many key lookups of one operation found their key, for
// INFO's keyspace_hits / keyspace_misses. Operations that read several keys
// (set algebra, SORT's BY and GET patterns) fill one in; the handler adds it
// to the server's statistics.

#include <cstdint>

namespace duet {

struct LookupCounts {
  int64_t hits = 0;
  int64_t misses = 0;
};

}  // namespace duet
