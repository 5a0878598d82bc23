#include "server/memory_guard.h"

#include <algorithm>
#include <cmath>

#include "server/server.h"
#include "utils/allocator.h"
#include "utils/clock.h"
#include "utils/logging.h"

namespace duet {
namespace {

// Keys evicted between two looks at the clock.
constexpr int kKeysPerTimeCheck = 16;

}  // namespace

EvictionPolicy MemoryGuard::policy() const {
  return static_cast<EvictionPolicy>(server_.config().maxmemory_policy);
}

void MemoryGuard::ApplyConfig() {
  const ServerConfig& cfg = server_.config();
  AccessClock& clock = server_.keyspace().access_clock();
  clock.lfu = IsLfuPolicy(policy());
  clock.lfu_log_factor = cfg.lfu_log_factor;
  clock.lfu_decay_time = cfg.lfu_decay_time;
  evictor_.Reset();
}

void MemoryGuard::Init() {
  ApplyConfig();
  // jemalloc builds its statistics tables (~150 KB) on their first refresh.
  // Redis refreshes them from its cron right after start; doing it here too
  // keeps that one-time cost inside used_memory_startup rather than in the
  // first INFO, where it would look like growth of the dataset.
  ReadAllocatorStats();
  startup_ = peak_ = Used();
  Config& api = server_.config_api();
  api.OnChange({"maxmemory-policy", "lfu-log-factor", "lfu-decay-time"},
               [this](const ServerConfig&) {
                 ApplyConfig();
                 return Status::Ok();
               });
  api.OnChange("maxmemory", [this](const ServerConfig& cfg) {
    size_t used = Used();
    if (cfg.maxmemory != 0 && used > cfg.maxmemory) {
      LogWarning("The new maxmemory (" + std::to_string(cfg.maxmemory) +
                 " bytes) is below the memory in use (" + std::to_string(used) +
                 " bytes): keys will be evicted, or writes refused, per maxmemory-policy.");
    }
    PerformEvictions();
    return Status::Ok();
  });
}

int64_t MemoryGuard::TimeLimitMicros() const {
  // Redis's scale: 50 us per step up to 10 (the default, 500 us), then 15%
  // more per step; 100 means no limit.
  int tenacity = server_.config().maxmemory_eviction_tenacity;
  if (tenacity <= 10) return 50LL * tenacity;
  if (tenacity < 100) return static_cast<int64_t>(500.0 * std::pow(1.15, tenacity - 10));
  return INT64_MAX;
}

MemoryGuard::Result MemoryGuard::PerformEvictions(int64_t budget_us) {
  const uint64_t limit = server_.config().maxmemory;
  if (limit == 0) return Result::kOk;
  size_t used = Used();
  if (used > peak_) peak_ = used;
  if (used <= limit) return Result::kOk;
  const EvictionPolicy p = policy();
  if (p == EvictionPolicy::kNoEviction) return Result::kFail;

  Keyspace& ks = server_.keyspace();
  const int samples = server_.config().maxmemory_samples;
  const int64_t budget = budget_us >= 0 ? budget_us : TimeLimitMicros();
  const int64_t start = MonotonicMicros();
  int evicted = 0;
  while (Used() > limit) {
    if (!evictor_.PickVictim(ks, p, samples, ks.access_clock(), &victim_)) return Result::kFail;
    ks.db(victim_.db).Delete(victim_.key);
    ++server_.stats().evicted_keys;
    if (on_evicted_) on_evicted_(victim_.db, victim_.key);
    if (++evicted % kKeysPerTimeCheck == 0 && MonotonicMicros() - start > budget) {
      return Used() > limit ? Result::kRunning : Result::kOk;
    }
  }
  return Result::kOk;
}

void MemoryGuard::Cron() {
  size_t used = Used();
  if (used > peak_) peak_ = used;
  const uint64_t limit = server_.config().maxmemory;
  if (limit == 0 || used <= limit) return;
  int hz = server_.config().hz > 0 ? server_.config().hz : 10;
  PerformEvictions(std::max<int64_t>(TimeLimitMicros(), 250000 / hz));
}

}  // namespace duet
