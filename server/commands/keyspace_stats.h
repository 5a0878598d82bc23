#pragma once
// Keyspace hit/miss accounting for read commands (INFO keyspace_hits and
// keyspace_misses). Redis counts every read lookup, including one that finds
// a key of the wrong type; write lookups are not counted.

#include "server/command.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/lookup_counts.h"

namespace duet {

// A miss also publishes the "keymiss" keyspace event for `key`.
inline void CountKeyLookup(CommandContext& ctx, std::string_view key, bool hit) {
  if (hit) {
    ++ctx.server.stats().keyspace_hits;
  } else {
    ++ctx.server.stats().keyspace_misses;
    NotifyKeyMiss(ctx, key);
  }
}

// After a read of several keys: the counts, and a "keymiss" event for each of
// `keys` that does not exist (looked up again only when there were misses and
// such events are enabled).
inline void AddLookupCounts(CommandContext& ctx, const LookupCounts& c,
                            const std::string_view* keys = nullptr, size_t n = 0) {
  ctx.server.stats().keyspace_hits += static_cast<uint64_t>(c.hits);
  ctx.server.stats().keyspace_misses += static_cast<uint64_t>(c.misses);
  if (c.misses == 0 || (ctx.server.config().notify_keyspace_events & kNotifyKeyMiss) == 0) return;
  for (size_t i = 0; i < n; ++i) {
    if (ctx.db().Find(keys[i], ctx.now_ms) == nullptr) NotifyKeyMiss(ctx, keys[i]);
  }
}

}  // namespace duet
