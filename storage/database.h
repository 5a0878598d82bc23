#pragma once
// Database: one numbered keyspace (SELECT n). Owns its entries.
//
// Expiry is lazy and active: every lookup that finds an expired key deletes it
// before answering (so an expired key is never served), and ActiveExpire,
// called from the server's cron with a time budget, samples keys that have a
// TTL and deletes the expired ones. Keys with a TTL are indexed in a second
// Dict of small reference nodes, so the sampler never walks keys without one.
//
// Every write goes through this class so that versions, the expiry index and
// the observer stay consistent.

#include <cstdint>
#include <functional>
#include <random>
#include <string_view>

#include "storage/dict.h"
#include "storage/entry.h"
#include "storage/eviction.h"

namespace duet {

struct EntryTraits {
  using Node = Entry;
  static std::string_view KeyOf(const Entry* e) { return e->key(); }
};

// A reference from the expiry index to an entry with a TTL.
struct ExpireRef {
  ExpireRef* next;
  Entry* entry;
};
struct ExpireRefTraits {
  using Node = ExpireRef;
  static std::string_view KeyOf(const ExpireRef* r) { return r->entry->key(); }
};

// Told about deletions the database makes on its own (expiry), so the server
// can count them, propagate a DEL and notify watchers.
class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  virtual void OnExpired(int db_index, std::string_view key) = 0;
  // A key came into existence (Insert). Called only while the database has
  // insert listeners (see AddInsertListener): WATCH of absent keys and
  // "new" keyspace events need it; nothing else pays for it.
  virtual void OnInserted(int db_index, std::string_view key) {
    (void)db_index;
    (void)key;
  }
  // A list or sorted set was stored under `key` (Insert or ReplaceEntry):
  // clients blocked on that key may now be served (server/blocking.h).
  virtual void OnBlockableStored(int db_index, std::string_view key) {
    (void)db_index;
    (void)key;
  }
};

class Database {
 public:
  Database(int index, uint64_t* version_counter)
      : index_(index), version_counter_(version_counter) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&&) = delete;

  int index() const { return index_; }
  size_t size() const { return dict_.size(); }
  // Longest bucket chain of the key table (hash-flooding tests).
  size_t LongestChain() const { return dict_.LongestChain(); }
  size_t expires_count() const { return expires_.size(); }
  void set_observer(KeyspaceObserver* o) { observer_ = o; }
  // The clock that stamps accesses (Entry::access); null = no tracking.
  void set_access_clock(AccessClock* c) { access_ = c; }
  // While the count is positive, Insert reports new keys to the observer.
  // The count stays with the database number (SwapWith leaves it).
  void AddInsertListener() { ++insert_listeners_; }
  void RemoveInsertListener() { --insert_listeners_; }

  // The live entry for key, or null if absent or expired (an expired key is
  // deleted on the spot). Counts as an access for LRU/LFU.
  Entry* Find(std::string_view key, int64_t now_ms);
  // The same without recording an access (TYPE, TTL, EXISTS, OBJECT...).
  Entry* FindNoTouch(std::string_view key, int64_t now_ms);
  // The entry even if expired, without side effects (DEBUG, tests).
  Entry* Peek(std::string_view key) const { return dict_.Peek(key); }

  // Adds a new entry; REQUIRES: the key is absent (call Find first). Stamps a
  // new version, and the access time unless the entry carries one (RENAME).
  void Insert(Entry* e);
  // Insert, unless the key is present: then returns that entry and changes
  // nothing (RDB loading: one lookup instead of Peek + Insert).
  Entry* InsertIfAbsent(Entry* e);
  // Sizes the tables for about `keys` keys, `expires` of them with a TTL.
  void Reserve(size_t keys, size_t expires) {
    dict_.Reserve(keys);
    expires_.Reserve(expires);
  }
  // Puts `repl` in place of `old` (same key) and frees `old`. The new entry
  // gets a new version; the expiry moves over unless `keep_ttl` is false.
  void ReplaceEntry(Entry* old, Entry* repl, bool keep_ttl);
  // Call after `e` may have been reallocated from `old` by Entry::Resize*/
  // AssignString: fixes the tables (no free: realloc already released old).
  void Relocated(Entry* old_ptr_value, Entry* e);
  // Marks an in-place change: new version.
  void Touch(Entry* e) { e->version = ++*version_counter_; }
  // After an edit of a live hash or sorted set: Entry::PackValue, with the
  // tables fixed if the entry moved. Returns the entry to use from now on.
  Entry* PackValue(Entry* e) {
    Entry* packed = Entry::PackValue(e);
    Relocated(e, packed);
    return packed;
  }

  // Deletes the live key; false if absent.
  bool Delete(std::string_view key);
  // Removes the entry from this database without freeing it (RENAME, MOVE).
  Entry* Detach(std::string_view key);

  // Sets (ms > 0) or clears (0) the absolute expiry of a live entry.
  void SetExpire(Entry* e, int64_t expire_ms);

  // Deletes every key. Returns how many there were.
  size_t Clear();
  void SwapWith(Database& other);

  // One SCAN step over the keys (expired ones skipped but not deleted).
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    return dict_.Scan(cursor, std::forward<Fn>(fn));
  }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    dict_.ForEach(std::forward<Fn>(fn));
  }

  // A random live key's entry, or null when empty.
  Entry* RandomEntry(int64_t now_ms);
  // Up to `n` random entries (among the keys with a TTL when `with_ttl`),
  // expired or not, without side effects on them: eviction sampling.
  size_t SampleEntries(bool with_ttl, Entry** out, size_t n);

  // Samples keys with a TTL and deletes expired ones, until `deadline_us`
  // (steady microseconds per `now_us`) or until a sample finds few expired
  // keys. Returns how many keys it deleted.
  size_t ActiveExpire(int64_t now_ms, const std::function<int64_t()>& now_us, int64_t deadline_us);

  // Moves some rehash work forward (cron).
  void RehashSome() {
    dict_.Rehash(100);
    expires_.Rehash(100);
  }
  // Repeats RehashSome until no table is mid-rehash or the clock passes
  // `deadline_us` (cron). Until a rehash finishes both bucket arrays stay
  // allocated, so a burst of inserts should not leave it pending for seconds.
  void RehashUntil(const std::function<int64_t()>& now_us, int64_t deadline_us) {
    do {
      RehashSome();
    } while ((dict_.rehashing() || expires_.rehashing()) && now_us() < deadline_us);
  }

  // Sum of ttl (ms) over a sample, for INFO's avg_ttl.
  int64_t avg_ttl() const { return avg_ttl_; }

 private:
  void ExpireNow(Entry* e);
  void IndexExpire(Entry* e);
  void UnindexExpire(Entry* e);

  int index_;
  uint64_t* version_counter_;
  KeyspaceObserver* observer_ = nullptr;
  AccessClock* access_ = nullptr;
  int insert_listeners_ = 0;
  Dict<EntryTraits> dict_;
  Dict<ExpireRefTraits> expires_;
  std::mt19937_64 rng_{0x5eed};
  int64_t avg_ttl_ = 0;
};

}  // namespace duet
