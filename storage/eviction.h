#pragma once
// Access tracking and the choice of keys to evict under a memory limit.
//
// Entry::access (32 bits) holds one of two encodings, chosen by the policy
// family, as Redis keeps its 24-bit `lru` field:
//
//   LRU clock (every non-LFU policy): the time of the last access in units of
//     kLruResolutionMs, modulo 2^32 (wraps after about 497 days; Redis's
//     24-bit second clock wraps after 194). The finer unit lets a busy cache
//     tell apart keys touched within the same second.
//   LFU (volatile-lfu, allkeys-lfu): bits 8..23 hold the minute (mod 2^16) of
//     the last decrement, bits 0..7 a logarithmic access counter that starts
//     at kLfuInitCounter, grows with probability 1/((c - 5) * lfu-log-factor
//     + 1) on each access and loses one per lfu-decay-time minutes of
//     idleness.
//
// Switching families at run time reinterprets the bits; values settle as keys
// are touched again (Redis behaves the same way).
//
// The Evictor approximates the policies by sampling, like Redis: each round
// samples `maxmemory-samples` keys per database into a pool of the 16 best
// candidates seen so far, and the best one is evicted. The pool keeps good
// candidates across rounds, so a few samples per round approach true LRU/LFU.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/entry.h"

namespace duet {

class Keyspace;

// Values match the maxmemory-policy option table (server/config_table.cc).
enum class EvictionPolicy : uint8_t {
  kVolatileLru = 0,
  kVolatileLfu = 1,
  kVolatileRandom = 2,
  kVolatileTtl = 3,
  kAllKeysLru = 4,
  kAllKeysLfu = 5,
  kAllKeysRandom = 6,
  kNoEviction = 7,
};

inline bool IsLfuPolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileLfu || p == EvictionPolicy::kAllKeysLfu;
}
inline bool IsVolatilePolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileLru || p == EvictionPolicy::kVolatileLfu ||
         p == EvictionPolicy::kVolatileRandom || p == EvictionPolicy::kVolatileTtl;
}

inline constexpr int64_t kLruResolutionMs = 10;
inline constexpr uint8_t kLfuInitCounter = 5;

// The clock and settings every database of a keyspace uses to stamp entries.
// The server refreshes now_ms with its cached clock.
struct AccessClock {
  int64_t now_ms = 0;
  bool lfu = false;
  // No stamping at all while true: a forked child shares the pages, and
  // writing the access field of every key read would copy them (Redis skips
  // the update while a child is active).
  bool frozen = false;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;  // minutes per counter decrement; 0 = never decays
  uint64_t rng = 0x9e3779b97f4a7c15ull;

  uint32_t LruNow() const { return static_cast<uint32_t>(now_ms / kLruResolutionMs); }
  uint16_t LfuMinutes() const { return static_cast<uint16_t>(now_ms / 60000); }
};

// Stamps a new entry: the current LRU time, or an LFU counter of
// kLfuInitCounter as of now.
void StampNewEntry(Entry* e, const AccessClock& clock);
// Records an access (no-op while the clock is frozen). Inline for the LRU
// case: every key lookup comes here.
void TouchEntryLfu(Entry* e, AccessClock& clock);
inline void TouchEntry(Entry* e, AccessClock& clock) {
  if (clock.frozen) return;
  if (!clock.lfu) {
    e->access = clock.LruNow();
    return;
  }
  TouchEntryLfu(e, clock);
}

// Milliseconds since the last access, read as an LRU stamp.
int64_t EntryIdleMs(const Entry& e, const AccessClock& clock);
// The LFU counter after the decay due by now, read as an LFU stamp; does not
// store the decayed value.
uint8_t EntryLfuCounter(const Entry& e, const AccessClock& clock);

// Sets the stamp from persisted facts (RDB IDLE / FREQ opcodes).
void SetEntryIdleSeconds(Entry* e, int64_t idle_seconds, const AccessClock& clock);
void SetEntryLfuCounter(Entry* e, uint8_t counter, const AccessClock& clock);

struct EvictionCandidate {
  int db = -1;
  std::string key;
};

class Evictor {
 public:
  // Chooses the next key to evict under `policy` (not kNoEviction), sampling
  // `samples` keys per database. Returns false when there is nothing to
  // evict (no keys, or no keys with a TTL under a volatile policy). The
  // chosen key exists in `keyspace` when this returns.
  bool PickVictim(Keyspace& keyspace, EvictionPolicy policy, int samples, const AccessClock& clock,
                  EvictionCandidate* out);

  // Forgets the pooled candidates (FLUSHALL, SWAPDB, policy change).
  void Reset();

  static constexpr int kPoolSize = 16;

 private:
  struct PoolSlot {
    uint64_t score = 0;  // higher = better to evict
    int db = -1;         // -1 = empty slot
    std::string key;
  };
  void Offer(uint64_t score, int db, std::string_view key);
  bool PickFromPool(Keyspace& keyspace, EvictionPolicy policy, int samples,
                    const AccessClock& clock, EvictionCandidate* out);
  bool PickRandom(Keyspace& keyspace, EvictionPolicy policy, const AccessClock& clock,
                  EvictionCandidate* out);

  // Sorted by ascending score; empty slots (db == -1) at the end.
  std::array<PoolSlot, kPoolSize> pool_;
  int pool_size_ = 0;
  int next_random_db_ = 0;
};

}  // namespace duet
