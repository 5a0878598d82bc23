#include "storage/eviction.h"

#include <algorithm>
#include <limits>

#include "storage/keyspace.h"

namespace duet {
namespace {

constexpr uint32_t kLfuCounterMask = 0xff;

uint32_t LfuStamp(uint16_t minutes, uint8_t counter) {
  return (static_cast<uint32_t>(minutes) << 8) | counter;
}

// Minutes from `then` to `now` on the 16-bit minute clock (one wrap allowed).
uint32_t MinutesSince(uint16_t then, uint16_t now) {
  return now >= then ? static_cast<uint32_t>(now - then)
                     : static_cast<uint32_t>(now) + 65536u - static_cast<uint32_t>(then);
}

uint8_t DecayedCounter(uint32_t stamp, const AccessClock& clock) {
  uint8_t counter = static_cast<uint8_t>(stamp & kLfuCounterMask);
  if (clock.lfu_decay_time <= 0) return counter;
  uint16_t then = static_cast<uint16_t>(stamp >> 8);
  uint32_t periods =
      MinutesSince(then, clock.LfuMinutes()) / static_cast<uint32_t>(clock.lfu_decay_time);
  return periods >= counter ? 0 : static_cast<uint8_t>(counter - periods);
}

// xorshift64*: a cheap source for the probabilistic counter increment.
double NextUnit(uint64_t& state) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  uint64_t r = state * 0x2545f4914f6cdd1dull;
  return static_cast<double>(r >> 11) * (1.0 / 9007199254740992.0);
}

uint8_t LogIncrement(uint8_t counter, AccessClock& clock) {
  if (counter == 255) return counter;
  int base = counter - kLfuInitCounter;
  if (base < 0) base = 0;
  double p = 1.0 / (static_cast<double>(base) * clock.lfu_log_factor + 1.0);
  return NextUnit(clock.rng) < p ? static_cast<uint8_t>(counter + 1) : counter;
}

uint64_t Score(const Entry& e, EvictionPolicy policy, const AccessClock& clock) {
  switch (policy) {
    case EvictionPolicy::kVolatileTtl:
      return std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(e.expire_ms);
    case EvictionPolicy::kVolatileLfu:
    case EvictionPolicy::kAllKeysLfu:
      return 255u - EntryLfuCounter(e, clock);
    default:
      return static_cast<uint64_t>(EntryIdleMs(e, clock));
  }
}

}  // namespace

void StampNewEntry(Entry* e, const AccessClock& clock) {
  e->access = clock.lfu ? LfuStamp(clock.LfuMinutes(), kLfuInitCounter) : clock.LruNow();
}

void TouchEntryLfu(Entry* e, AccessClock& clock) {
  uint8_t counter = LogIncrement(DecayedCounter(e->access, clock), clock);
  e->access = LfuStamp(clock.LfuMinutes(), counter);
}

int64_t EntryIdleMs(const Entry& e, const AccessClock& clock) {
  // Unsigned subtraction handles the wrap of the 32-bit clock.
  uint32_t units = clock.LruNow() - e.access;
  return static_cast<int64_t>(units) * kLruResolutionMs;
}

uint8_t EntryLfuCounter(const Entry& e, const AccessClock& clock) {
  return DecayedCounter(e.access, clock);
}

void SetEntryIdleSeconds(Entry* e, int64_t idle_seconds, const AccessClock& clock) {
  if (clock.lfu) return;
  int64_t units = idle_seconds * 1000 / kLruResolutionMs;
  e->access = clock.LruNow() - static_cast<uint32_t>(units);
}

void SetEntryLfuCounter(Entry* e, uint8_t counter, const AccessClock& clock) {
  if (!clock.lfu) return;
  e->access = LfuStamp(clock.LfuMinutes(), counter);
}

void Evictor::Reset() { pool_size_ = 0; }

void Evictor::Offer(uint64_t score, int db, std::string_view key) {
  // Insert before the first candidate with a score >= this one.
  int k = 0;
  while (k < pool_size_ && pool_[k].score < score) ++k;
  if (pool_size_ < kPoolSize) {
    // Rotate the spare slot at the end into position k (keeps its buffer).
    std::rotate(pool_.begin() + k, pool_.begin() + pool_size_, pool_.begin() + pool_size_ + 1);
    ++pool_size_;
  } else {
    if (k == 0) return;  // worse than every pooled candidate
    // Drop the worst candidate (slot 0) and reuse its slot at k - 1.
    --k;
    std::rotate(pool_.begin(), pool_.begin() + 1, pool_.begin() + k + 1);
  }
  PoolSlot& slot = pool_[k];
  slot.score = score;
  slot.db = db;
  slot.key.assign(key);
}

bool Evictor::PickFromPool(Keyspace& keyspace, EvictionPolicy policy, int samples,
                           const AccessClock& clock, EvictionCandidate* out) {
  const bool volatile_only = IsVolatilePolicy(policy);
  constexpr size_t kChunk = 32;
  Entry* sample[kChunk];
  for (;;) {
    size_t total = 0;
    for (int i = 0; i < keyspace.databases(); ++i) {
      Database& db = keyspace.db(i);
      size_t size = volatile_only ? db.expires_count() : db.size();
      if (size == 0) continue;
      total += size;
      size_t want = static_cast<size_t>(samples);
      while (want > 0) {
        size_t n = db.SampleEntries(volatile_only, sample, std::min(want, kChunk));
        if (n == 0) break;
        for (size_t j = 0; j < n; ++j) Offer(Score(*sample[j], policy, clock), i, sample[j]->key());
        want -= std::min(want, kChunk);
      }
    }
    if (total == 0) return false;
    // Best candidates last; a pooled key may be gone (deleted since it was
    // sampled) or have lost its TTL: skip those ghosts.
    while (pool_size_ > 0) {
      PoolSlot& slot = pool_[pool_size_ - 1];
      --pool_size_;
      const Entry* e = keyspace.db(slot.db).Peek(slot.key);
      if (e == nullptr || (volatile_only && !e->has_expire())) continue;
      out->db = slot.db;
      out->key.assign(slot.key);
      return true;
    }
  }
}

bool Evictor::PickRandom(Keyspace& keyspace, EvictionPolicy policy, const AccessClock& clock,
                         EvictionCandidate* out) {
  (void)clock;
  const bool volatile_only = IsVolatilePolicy(policy);
  const int n = keyspace.databases();
  for (int i = 0; i < n; ++i) {
    next_random_db_ = (next_random_db_ + 1) % n;
    Entry* e = nullptr;
    if (keyspace.db(next_random_db_).SampleEntries(volatile_only, &e, 1) == 0) continue;
    out->db = next_random_db_;
    out->key.assign(e->key());
    return true;
  }
  return false;
}

bool Evictor::PickVictim(Keyspace& keyspace, EvictionPolicy policy, int samples,
                         const AccessClock& clock, EvictionCandidate* out) {
  if (policy == EvictionPolicy::kNoEviction) return false;
  if (policy == EvictionPolicy::kAllKeysRandom || policy == EvictionPolicy::kVolatileRandom) {
    return PickRandom(keyspace, policy, clock, out);
  }
  return PickFromPool(keyspace, policy, samples < 1 ? 1 : samples, clock, out);
}

}  // namespace duet
