#pragma once
// SetValue: the value of a Redis set, in one of Redis 7.0's two encodings.
//
//   intset     while every member is a canonical decimal int64 (Redis's
//              string2ll rules: no '+', leading zeros, spaces or "-0") and
//              Size() <= set-max-intset-entries.
//              The blob is Redis's, so RDB writes it as is.
//   hashtable  otherwise: a Dict of nodes, each ONE allocation holding the
//              chain pointer, a length prefix and the member bytes.
//
// Conversion is one-way on Add/Remove (as in Redis): a hashtable set stays one
// even if it shrinks or only integers remain. The one exception is also
// Redis's: SPOP with a large count rebuilds the few remaining members into a
// fresh set, which starts out as an intset again when they are integers.
//
// Callbacks receive members as string_views valid only during the call (an
// intset member is printed into a stack buffer), and must not modify the set.
//
// Size: one tagged word (the intset blob, or the table pointer with the low
// bit set), so an Entry holds it inline. Move-only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/function_ref.h"
#include "storage/intset.h"

namespace duet {

class SetValue {
 public:
  using MemberFn = FunctionRef<void(std::string_view)>;

  SetValue();  // empty intset
  explicit SetValue(Intset intset);
  ~SetValue();
  SetValue(SetValue&& o) noexcept : repr_(o.repr_) { o.repr_ = 0; }
  SetValue& operator=(SetValue&& o) noexcept;
  SetValue(const SetValue&) = delete;
  SetValue& operator=(const SetValue&) = delete;

  // A deep copy in the same encoding (COPY, set algebra on a source).
  SetValue Clone() const;

  // Returns true if `member` was not present.
  bool Add(std::string_view member, const CollectionLimits& limits);
  // Returns true if `member` was present.
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  size_t Size() const;

  // SPOP without count. REQUIRES: Size() > 0.
  std::string PopOne();
  // The same without building a string: fn sees the member just before it is
  // freed. REQUIRES: Size() > 0.
  void PopOne(MemberFn fn);
  // SPOP with count > 0: removes min(count, Size()) distinct random members
  // and passes each to fn (count >= Size() empties the set).
  void Pop(uint64_t count, const CollectionLimits& limits, MemberFn fn);

  // SRANDMEMBER without count. REQUIRES: Size() > 0.
  std::string RandomOne() const;
  // SRANDMEMBER with count: count > 0 gives min(count, Size()) distinct
  // members; count < 0 gives exactly -count members, repetitions allowed;
  // 0 gives nothing.
  void Random(int64_t count, MemberFn fn) const;

  void ForEach(MemberFn fn) const;
  // One SSCAN step; returns the next cursor (0 = done). Every member present
  // for the whole scan is returned at least once. An intset returns all
  // members in the first call and cursor 0.
  uint64_t Scan(uint64_t cursor, MemberFn fn) const;

  bool IsIntset() const { return (repr_ & 1) == 0; }
  // REQUIRES: IsIntset(). For RDB: the blob is written verbatim.
  std::string_view IntsetBlob() const;
  const char* EncodingName() const { return IsIntset() ? "intset" : "hashtable"; }
  // Heap bytes owned (excluding this word itself, which its owner embeds).
  size_t MemoryUsage() const;

  // Forces the hashtable encoding (Redis converts when a command's result
  // will not fit an intset, e.g. SINTERSTORE/SUNIONSTORE with big inputs).
  void ConvertToHashtable();

 private:
  struct Table;
  class LentIntset;

  Table* table() const { return reinterpret_cast<Table*>(repr_ & ~uintptr_t{1}); }
  // Read-only and writable access to the intset encoding. REQUIRES: IsIntset().
  LentIntset ints() const;
  LentIntset mutable_ints();
  int64_t PopFromIntset();  // removes and returns a random member. REQUIRES: IsIntset(), Size() > 0
  void Reset();             // frees the representation; repr_ is left 0 (moved-from)

  uintptr_t repr_;  // intset blob (low bit 0; 0 once moved from), or Table* | 1
};

static_assert(sizeof(SetValue) == sizeof(void*), "SetValue is one tagged pointer");

}  // namespace duet
