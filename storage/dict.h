#pragma once
// Dict: an intrusive, chained hash table with incremental rehashing and a
// resize-proof SCAN cursor. Used for the keyspace and for the hashtable
// encodings of sets and hashes.
//
// Intrusive: the caller allocates nodes; each node begins with `Node* next`.
// The table never allocates or frees a node, so one allocation can hold the
// chain pointer, the key and the value together (the main memory saving over
// a dictEntry + separate key and value objects).
//
// Traits must provide:
//   using Node = ...;                              // struct with `Node* next` first
//   static std::string_view KeyOf(const Node*);    // the node's key bytes
//
// Sizes are powers of two. While rehashing, two tables exist and every
// mutating call moves one bucket from the old to the new one, so growing a
// table with millions of keys never pauses the server.
//
// SCAN contract (the same as Redis's): a key present in the table from the
// start to the end of a full scan is returned at least once, even if the table
// grows or shrinks in between; a key may be returned more than once. This holds
// because the cursor is advanced by incrementing its *reversed* bits: the
// buckets already visited at one table size map exactly onto buckets already
// visited at any other power-of-two size.
//
// Not thread-safe; callbacks of Scan/ForEach must not modify the table.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>

#include "utils/hash.h"

namespace duet {

template <typename Traits>
class Dict {
 public:
  using Node = typename Traits::Node;

  Dict() = default;
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;
  Dict(Dict&& o) noexcept { MoveFrom(o); }
  Dict& operator=(Dict&& o) noexcept {
    if (this != &o) {
      FreeTables();
      MoveFrom(o);
    }
    return *this;
  }
  ~Dict() { FreeTables(); }

  size_t size() const { return t_[0].used + t_[1].used; }
  bool empty() const { return size() == 0; }
  bool rehashing() const { return rehash_idx_ >= 0; }
  // Number of buckets over both tables (for MEMORY USAGE and tests).
  size_t buckets() const { return Slots(t_[0]) + Slots(t_[1]); }
  size_t MemoryUsage() const { return sizeof(*this) + buckets() * sizeof(Node*); }

  Node* Find(std::string_view key) { return Find(key, HashBytes(key)); }
  Node* Find(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    if (rehashing()) RehashStep();
    for (int t = 0; t < 2; ++t) {
      const Table& tb = t_[t];
      if (tb.slots != nullptr) {
        for (Node* n = tb.slots[hash & tb.mask]; n != nullptr; n = n->next) {
          if (Traits::KeyOf(n) == key) return n;
        }
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Finds without moving any bucket (usable from const contexts and scans).
  Node* Peek(std::string_view key) const {
    uint64_t hash = HashBytes(key);
    for (int t = 0; t < 2; ++t) {
      const Table& tb = t_[t];
      if (tb.slots == nullptr) continue;
      for (Node* n = tb.slots[hash & tb.mask]; n != nullptr; n = n->next) {
        if (Traits::KeyOf(n) == key) return n;
      }
    }
    return nullptr;
  }

  // The first node in `key`'s bucket for which pred(node) holds, without
  // reading any node's key (for nodes that refer to memory just moved).
  template <typename Pred>
  Node* FindInBucket(std::string_view key, Pred&& pred) const {
    uint64_t hash = HashBytes(key);
    for (int t = 0; t < 2; ++t) {
      const Table& tb = t_[t];
      if (tb.slots == nullptr) continue;
      for (Node* n = tb.slots[hash & tb.mask]; n != nullptr; n = n->next) {
        if (pred(n)) return n;
      }
    }
    return nullptr;
  }

  // REQUIRES: no node with the same key is present.
  void Insert(Node* node) { Insert(node, HashBytes(Traits::KeyOf(node))); }
  void Insert(Node* node, uint64_t hash) {
    if (rehashing()) RehashStep();
    GrowIfNeeded();
    Table& tb = rehashing() ? t_[1] : t_[0];
    Node** slot = &tb.slots[hash & tb.mask];
    node->next = *slot;
    *slot = node;
    ++tb.used;
  }

  // Inserts `node` unless a node with the same key is present, in which case
  // that node is returned and nothing changes; null after an insertion. One
  // hash and one bucket walk (RDB loading inserts a million keys this way).
  Node* InsertIfAbsent(Node* node) {
    const std::string_view key = Traits::KeyOf(node);
    const uint64_t hash = HashBytes(key);
    if (size() > 0) {
      if (rehashing()) RehashStep();
      for (int t = 0; t < 2; ++t) {
        const Table& tb = t_[t];
        if (tb.slots != nullptr) {
          for (Node* n = tb.slots[hash & tb.mask]; n != nullptr; n = n->next) {
            if (Traits::KeyOf(n) == key) return n;
          }
        }
        if (!rehashing()) break;
      }
    }
    GrowIfNeeded();
    Table& tb = rehashing() ? t_[1] : t_[0];
    Node** slot = &tb.slots[hash & tb.mask];
    node->next = *slot;
    *slot = node;
    ++tb.used;
    return nullptr;
  }

  // Makes room for `n` nodes without growing again: sizes an empty table at
  // once, or starts an incremental rehash to the larger size (RDB RESIZEDB).
  void Reserve(size_t n) {
    size_t want = kInitialSlots;
    while (want < n) want *= 2;
    if (t_[0].slots == nullptr) {
      t_[0].slots = AllocSlots(want);
      t_[0].mask = want - 1;
    } else if (!rehashing() && Slots(t_[0]) < want) {
      StartRehash(want);
    }
  }

  // Removes the node with `key` and returns it (the caller frees it), or null.
  Node* Unlink(std::string_view key) { return Unlink(key, HashBytes(key)); }
  Node* Unlink(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    if (rehashing()) RehashStep();
    for (int t = 0; t < 2; ++t) {
      Table& tb = t_[t];
      if (tb.slots != nullptr) {
        for (Node** link = &tb.slots[hash & tb.mask]; *link != nullptr; link = &(*link)->next) {
          Node* n = *link;
          if (Traits::KeyOf(n) == key) {
            *link = n->next;
            n->next = nullptr;
            --tb.used;
            ShrinkIfSparse();
            return n;
          }
        }
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Puts `replacement` where `old` is (same key), e.g. after the caller
  // reallocated a node. `old` is compared by address only, so it may already
  // be freed (realloc). Returns false if `old` is not in the table.
  bool Replace(Node* old, Node* replacement) {
    Node** link = FindLink(old, replacement);
    if (link == nullptr) return false;
    replacement->next = old->next;
    *link = replacement;
    return true;
  }

  // Like Replace, for a node moved by realloc: `old` is no longer readable and
  // `moved` already carries its chain pointer.
  bool Relocate(Node* old, Node* moved) {
    Node** link = FindLink(old, moved);
    if (link == nullptr) return false;
    *link = moved;
    return true;
  }

  // Visits one cursor step; returns the next cursor (0 when the scan is done).
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    if (size() == 0) return 0;
    if (!rehashing()) {
      const Table& tb = t_[0];
      EmitBucket(tb, cursor & tb.mask, fn);
      return NextCursor(cursor, tb.mask);
    }
    // While rehashing: visit the small table's bucket, then every bucket of
    // the large table that the small bucket expands into.
    const Table* small = &t_[0];
    const Table* large = &t_[1];
    if (Slots(*small) > Slots(*large)) std::swap(small, large);
    uint64_t m0 = small->mask, m1 = large->mask;
    EmitBucket(*small, cursor & m0, fn);
    do {
      EmitBucket(*large, cursor & m1, fn);
      cursor = NextCursor(cursor, m1);
    } while (cursor & (m0 ^ m1));
    return cursor;
  }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (int t = 0; t < 2; ++t) {
      const Table& tb = t_[t];
      for (size_t i = 0; i < Slots(tb); ++i) {
        for (Node* n = tb.slots[i]; n != nullptr;) {
          Node* next = n->next;  // fn may free nothing, but may read next
          fn(n);
          n = next;
        }
      }
    }
  }

  // A node picked nearly uniformly at random, or null when empty. `rng`
  // returns uniformly distributed 64-bit values.
  template <typename Rng>
  Node* RandomNode(Rng& rng) {
    if (size() == 0) return nullptr;
    if (rehashing()) RehashStep();
    Node* bucket = nullptr;
    // Empty buckets are skipped by retrying; the load factor keeps this short.
    while (bucket == nullptr) {
      if (rehashing()) {
        // Buckets below rehash_idx_ in the old table are already empty.
        size_t span = Slots(t_[0]) + Slots(t_[1]) - static_cast<size_t>(rehash_idx_);
        size_t i = static_cast<size_t>(rehash_idx_) + rng() % span;
        bucket = i >= Slots(t_[0]) ? t_[1].slots[i - Slots(t_[0])] : t_[0].slots[i];
      } else {
        bucket = t_[0].slots[rng() & t_[0].mask];
      }
    }
    size_t len = 0;
    for (Node* n = bucket; n != nullptr; n = n->next) ++len;
    size_t pick = rng() % len;
    Node* n = bucket;
    while (pick-- > 0) n = n->next;
    return n;
  }

  // Moves up to `steps` buckets; returns true while more rehashing remains.
  bool Rehash(int steps) {
    while (steps-- > 0 && rehashing()) RehashStep();
    return rehashing();
  }

  // Drops every node, calling `deleter(node)` on each; keeps no table.
  template <typename Deleter>
  void Clear(Deleter&& deleter) {
    for (int t = 0; t < 2; ++t) {
      Table& tb = t_[t];
      for (size_t i = 0; i < Slots(tb); ++i) {
        Node* n = tb.slots[i];
        while (n != nullptr) {
          Node* next = n->next;
          deleter(n);
          n = next;
        }
      }
    }
    FreeTables();
  }

  // Longest chain over both tables (for tests of hash-flooding resistance).
  size_t LongestChain() const {
    size_t longest = 0;
    for (int t = 0; t < 2; ++t) {
      for (size_t i = 0; i < Slots(t_[t]); ++i) {
        size_t len = 0;
        for (Node* n = t_[t].slots[i]; n != nullptr; n = n->next) ++len;
        if (len > longest) longest = len;
      }
    }
    return longest;
  }

 private:
  struct Table {
    Node** slots = nullptr;
    uint64_t mask = 0;  // slots - 1; meaningful only when slots != nullptr
    size_t used = 0;
  };
  static constexpr size_t kInitialSlots = 4;
  // Past this many buckets visited per step, RehashStep returns even if it
  // moved nothing, to bound the work per command.
  static constexpr int kMaxEmptyVisits = 10;

  static size_t Slots(const Table& tb) { return tb.slots == nullptr ? 0 : tb.mask + 1; }

  static uint64_t NextCursor(uint64_t cursor, uint64_t mask) {
    // Set the bits above the mask so the reversed increment carries into the
    // masked bits only, then increment the reversed value.
    cursor |= ~mask;
    cursor = ReverseBits(cursor);
    ++cursor;
    return ReverseBits(cursor);
  }

  static uint64_t ReverseBits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }

  template <typename Fn>
  static void EmitBucket(const Table& tb, uint64_t idx, Fn& fn) {
    for (Node* n = tb.slots[idx]; n != nullptr; n = n->next) fn(n);
  }

  // The link that points at `target`, found in the bucket of `same_key`'s key.
  Node** FindLink(const Node* target, const Node* same_key) {
    uint64_t hash = HashBytes(Traits::KeyOf(same_key));
    for (int t = 0; t < 2; ++t) {
      Table& tb = t_[t];
      if (tb.slots == nullptr) continue;
      for (Node** link = &tb.slots[hash & tb.mask]; *link != nullptr; link = &(*link)->next) {
        if (*link == target) return link;
      }
    }
    return nullptr;
  }

  static Node** AllocSlots(size_t n) { return static_cast<Node**>(std::calloc(n, sizeof(Node*))); }

  void GrowIfNeeded() {
    if (t_[0].slots == nullptr) {
      t_[0].slots = AllocSlots(kInitialSlots);
      t_[0].mask = kInitialSlots - 1;
      return;
    }
    if (!rehashing() && t_[0].used >= Slots(t_[0])) StartRehash(Slots(t_[0]) * 2);
  }

  void ShrinkIfSparse() {
    if (rehashing() || t_[0].slots == nullptr) return;
    size_t slots = Slots(t_[0]);
    // Below 1/8 full: halve repeatedly down to the next power of two that fits.
    if (slots > kInitialSlots && t_[0].used * 8 < slots) {
      size_t target = kInitialSlots;
      while (target < t_[0].used) target *= 2;
      StartRehash(target);
    }
  }

  void StartRehash(size_t new_slots) {
    t_[1].slots = AllocSlots(new_slots);
    t_[1].mask = new_slots - 1;
    t_[1].used = 0;
    rehash_idx_ = 0;
  }

  void RehashStep() {
    Table& from = t_[0];
    Table& to = t_[1];
    int empty_visits = kMaxEmptyVisits;
    size_t idx = static_cast<size_t>(rehash_idx_);
    while (idx < Slots(from) && from.slots[idx] == nullptr) {
      ++idx;
      if (--empty_visits == 0) break;
    }
    if (idx < Slots(from) && from.slots[idx] != nullptr) {
      Node* n = from.slots[idx];
      while (n != nullptr) {
        Node* next = n->next;
        Node** slot = &to.slots[HashBytes(Traits::KeyOf(n)) & to.mask];
        n->next = *slot;
        *slot = n;
        --from.used;
        ++to.used;
        n = next;
      }
      from.slots[idx] = nullptr;
      ++idx;
    }
    rehash_idx_ = static_cast<int64_t>(idx);
    if (from.used == 0) {
      std::free(from.slots);
      from = to;
      to = Table{};
      rehash_idx_ = -1;
    }
  }

  void FreeTables() {
    std::free(t_[0].slots);
    std::free(t_[1].slots);
    t_[0] = Table{};
    t_[1] = Table{};
    rehash_idx_ = -1;
  }

  void MoveFrom(Dict& o) {
    t_[0] = o.t_[0];
    t_[1] = o.t_[1];
    rehash_idx_ = o.rehash_idx_;
    o.t_[0] = Table{};
    o.t_[1] = Table{};
    o.rehash_idx_ = -1;
  }

  Table t_[2];
  int64_t rehash_idx_ = -1;  // next bucket of t_[0] to move; -1 when not rehashing
};

}  // namespace duet
