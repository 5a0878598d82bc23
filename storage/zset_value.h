#pragma once
// ZSetValue: the value of a Redis sorted set, in one of Redis 7.0's two
// encodings.
//
//   listpack  (member, score) pairs sorted by score then member, Redis's own
//             layout (zset_listpack.h), while Size() <= zset-max-listpack-
//             entries and every member is at most zset-max-listpack-value
//             bytes long. RDB writes the blob as is.
//   skiplist  a ZSkipList for order and rank plus a Dict from member to node
//             for O(1) lookups. The Dict chains through the skiplist nodes
//             themselves, so each member costs one allocation.
//
// Add converts listpack -> skiplist when the set outgrows the limits; Remove
// never converts back (as in Redis). Commands that build a new set choose the
// encoding with the factories below, following Redis 7.0's rules for each.
//
// Callbacks receive members as string_views valid only during the call (an
// integer member of a listpack is printed into a scratch buffer) and must not
// modify the set. Ranks are 0-based in this API.
//
// Size: one tagged word (the listpack, or the skiplist structure's pointer
// with the low bit set), so an Entry holds it inline. Move-only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/function_ref.h"
#include "storage/listpack_slot.h"
#include "storage/score_bounds.h"

namespace duet {

class ZSetValue {
 public:
  using EntryFn = FunctionRef<void(std::string_view member, double score)>;

  enum AddFlag : unsigned {
    kAddNX = 1u << 0,    // only add new members
    kAddXX = 1u << 1,    // only update existing members
    kAddGT = 1u << 2,    // update only if the new score is greater
    kAddLT = 1u << 3,    // update only if the new score is less
    kAddIncr = 1u << 4,  // the score is an increment (ZINCRBY, ZADD INCR)
  };
  enum class AddOutcome {
    kAdded,         // new member
    kUpdated,       // existing member, score changed
    kUnchanged,     // existing member, same score
    kNotPerformed,  // NX/XX/GT/LT said no (ZADD INCR replies nil)
    kNaN,           // the increment made the score NaN; nothing changed
  };
  struct AddResult {
    AddOutcome outcome;
    double score;  // the member's score afterwards (meaningless for kNaN)
  };

  ZSetValue();  // empty listpack
  ~ZSetValue();
  // Moving a value whose listpack is embedded in an entry copies it out.
  ZSetValue(ZSetValue&& other) noexcept : repr_(other.Take()) {}
  ZSetValue& operator=(ZSetValue&& other) noexcept;
  ZSetValue(const ZSetValue&) = delete;
  ZSetValue& operator=(const ZSetValue&) = delete;

  // A deep copy in the same encoding (COPY).
  ZSetValue Clone() const;

  // --- Choosing the encoding of a new set ----------------------------------
  // ZADD / ZINCRBY on a missing key: skiplist when zset-max-listpack-entries
  // is 0 or the first member is longer than zset-max-listpack-value.
  static ZSetValue ForNewKey(std::string_view first_member, const CollectionLimits& limits);
  // A result whose size is known up front (ZRANGESTORE): skiplist when
  // `size` exceeds zset-max-listpack-entries.
  static ZSetValue ForSize(size_t size, const CollectionLimits& limits);
  // Built as a skiplist, then shrunk with ConvertToListpackIfFits
  // (ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, RDB skiplist loading).
  static ZSetValue EmptySkiplist();
  // A listpack blob from RDB: checked (deep adds duplicate and order checks),
  // copied, and converted if it has more entries than the limit.
  static std::optional<ZSetValue> FromListpack(std::string_view blob, bool deep,
                                               const CollectionLimits& limits);
  // Converts a skiplist to a listpack if both limits (and the 1 GB listpack
  // safety cap) allow it.
  void ConvertToListpackIfFits(const CollectionLimits& limits);
  void ConvertToSkiplist();

  // --- Single members ----------------------------------------------------------
  AddResult Add(std::string_view member, double score, unsigned flags,
                const CollectionLimits& limits);
  bool Remove(std::string_view member);
  std::optional<double> Score(std::string_view member) const;
  // 0-based rank from the lowest score (or from the highest when reverse).
  std::optional<uint64_t> Rank(std::string_view member, bool reverse) const;
  size_t Size() const;

  // --- Ranges (each returns how many entries it passed to fn) -----------------
  // start/stop as the client gave them: inclusive, negative counts from the
  // end, clamped as Redis clamps them. reverse counts from the highest score.
  uint64_t RangeByRank(int64_t start, int64_t stop, bool reverse, EntryFn fn) const;
  // reverse walks from the top of the range down. offset < 0 yields nothing;
  // limit < 0 means no limit.
  uint64_t RangeByScore(const ScoreRange& range, bool reverse, int64_t offset, int64_t limit,
                        EntryFn fn) const;
  uint64_t RangeByLex(const LexRange& range, bool reverse, int64_t offset, int64_t limit,
                      EntryFn fn) const;
  uint64_t CountByScore(const ScoreRange& range) const;
  uint64_t CountByLex(const LexRange& range) const;
  // Return the number removed.
  uint64_t RemoveRangeByRank(int64_t start, int64_t stop);
  uint64_t RemoveRangeByScore(const ScoreRange& range);
  uint64_t RemoveRangeByLex(const LexRange& range);
  // ZPOPMIN / ZPOPMAX: removes up to `count` entries from the bottom (or top),
  // passing each to fn first, lowest (or highest) first.
  uint64_t Pop(uint64_t count, bool from_max, EntryFn fn);
  // ZRANDMEMBER: count > 0 gives min(count, Size()) distinct entries;
  // count < 0 gives exactly -count entries with repetition; 0 nothing.
  void Random(int64_t count, EntryFn fn) const;

  // Every entry in ascending order.
  void ForEach(EntryFn fn) const;
  // One ZSCAN step; returns the next cursor (0 = done). A listpack returns
  // everything in one call.
  uint64_t Scan(uint64_t cursor, EntryFn fn) const;

  // --- Encoding and memory ------------------------------------------------------
  bool IsListpack() const { return (repr_ & 1) == 0; }
  // True when the listpack lives in the owning entry (Entry::PackValue).
  bool ListpackEmbedded() const { return lp_slot::IsEmbedded(repr_); }
  // REQUIRES: IsListpack(). The Redis-format blob, for RDB.
  std::string_view ListpackBlob() const;
  const char* EncodingName() const { return IsListpack() ? "listpack" : "skiplist"; }
  // Heap bytes owned (excluding this word itself, which its owner embeds).
  size_t MemoryUsage() const;
  // For tests: the skiplist invariants plus index/list agreement, or a valid
  // sorted listpack.
  bool CheckInvariants(std::string* why) const;

 private:
  struct Big;
  class Walker;

  size_t MaxEntries(const CollectionLimits& limits) const;
  Walker FirstInScore(const ScoreRange& range, bool reverse, uint64_t* rank) const;
  Walker FirstInLex(const LexRange& range, bool reverse, uint64_t* rank) const;
  Walker AtRank(uint64_t rank) const;  // 0-based, REQUIRES: rank < Size()
  Walker Skip(Walker w, uint64_t rank, bool reverse, int64_t offset) const;

  // Read access to the listpack, wherever it lives (storage/listpack_slot.h).
  const unsigned char* lp() const { return lp_slot::Address(&repr_, repr_); }
  // The listpack for an edit (which may realloc it): copied out of the entry
  // first if embedded; `*p` follows it.
  unsigned char* OwnLp(const unsigned char** p = nullptr) {
    return lp_slot::Own(&repr_, &repr_, p);
  }
  // The representation, leaving this moved-from (embedded: copied out).
  uintptr_t Take();
  void set_lp(unsigned char* lp) { repr_ = reinterpret_cast<uintptr_t>(lp); }
  Big* big() const { return reinterpret_cast<Big*>(repr_ & ~uintptr_t{1}); }
  void Reset();  // frees the representation; repr_ is left 0 (moved-from)

  // The listpack (low bit 0; 0 once moved from), or Big* | 1.
  uintptr_t repr_;
};

static_assert(sizeof(ZSetValue) == sizeof(void*), "ZSetValue is one tagged pointer");

}  // namespace duet
