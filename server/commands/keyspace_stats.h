#pragma once
// Keyspace hit/miss accounting for read commands (INFO keyspace_hits and
// keyspace_misses). Redis counts every read lookup, including one that finds
// a key of the wrong type; write lookups are not counted.

#include "server/command.h"
#include "server/server.h"
#include "storage/lookup_counts.h"

namespace duet {

inline void CountKeyLookup(CommandContext& ctx, bool hit) {
  if (hit) {
    ++ctx.server.stats().keyspace_hits;
  } else {
    ++ctx.server.stats().keyspace_misses;
  }
}

inline void AddLookupCounts(CommandContext& ctx, const LookupCounts& c) {
  ctx.server.stats().keyspace_hits += static_cast<uint64_t>(c.hits);
  ctx.server.stats().keyspace_misses += static_cast<uint64_t>(c.misses);
}

}  // namespace duet
