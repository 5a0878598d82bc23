#pragma once
// MemoryGuard: keeps the server within `maxmemory`, as Redis's
// performEvictions does, and measures what "used memory" means for it.
//
// Used memory is what the server thread holds from the allocator: with
// jemalloc (the server binary), its per-thread counters of bytes allocated
// and freed — two loads, cheap enough to read before every write; without
// it (the test binaries), glibc's totals. Tests may install their own probe.
//
// When to evict: before every command flagged denyoom (the writes that may
// add memory) and from the cron. Reads never evict: a key a command is
// reading cannot vanish under it, and a cache under pressure still answers
// GETs. A denyoom command is refused with Redis's OOM error only when the
// policy is noeviction or nothing more can be evicted; when the time budget
// (maxmemory-eviction-tenacity) runs out first, the command runs and the
// cron carries on.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/eviction.h"
#include "utils/allocator.h"

namespace duet {

class Server;

inline constexpr std::string_view kOomError =
    "OOM command not allowed when used memory > 'maxmemory'.";

class MemoryGuard {
 public:
  enum class Result { kOk, kRunning, kFail };

  explicit MemoryGuard(Server& server) : server_(server) {}

  // Applies the configuration and registers the CONFIG SET callbacks of
  // maxmemory, maxmemory-policy and the lfu-* parameters.
  void Init();

  size_t Used() const { return probe_ ? probe_() : AllocatedBytes(); }
  void set_probe_for_testing(std::function<size_t()> probe) { probe_ = std::move(probe); }

  // Evicts keys by the policy until used memory is within maxmemory, or
  // until `budget_us` (default: per maxmemory-eviction-tenacity) runs out.
  Result PerformEvictions(int64_t budget_us = -1);
  // The dispatcher's check before a denyoom command: false = refuse it.
  bool AdmitWrite() { return PerformEvictions() != Result::kFail; }
  // Finishes an eviction the per-command budget cut short, with a budget of
  // a quarter of the cron period; tracks the peak.
  void Cron();

  uint64_t peak() const { return peak_; }
  uint64_t startup() const { return startup_; }
  void ResetPeak() { peak_ = Used(); }
  EvictionPolicy policy() const;

  // Told about each evicted key after it is gone (keyspace events, AOF).
  void set_eviction_listener(std::function<void(int db, std::string_view key)> fn) {
    on_evicted_ = std::move(fn);
  }

 private:
  // Copies policy and LFU settings into the keyspace's access clock.
  void ApplyConfig();
  int64_t TimeLimitMicros() const;

  Server& server_;
  Evictor evictor_;
  EvictionCandidate victim_;
  std::function<size_t()> probe_;
  std::function<void(int, std::string_view)> on_evicted_;
  uint64_t peak_ = 0;
  uint64_t startup_ = 0;  // used memory once the server was set up
};

}  // namespace duet
