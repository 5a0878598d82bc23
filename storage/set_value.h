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

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

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
  SetValue(SetValue&&) noexcept;
  SetValue& operator=(SetValue&&) noexcept;
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

  bool IsIntset() const { return std::holds_alternative<Intset>(rep_); }
  // REQUIRES: IsIntset(). For RDB: the blob is written verbatim.
  const Intset& intset() const { return std::get<Intset>(rep_); }
  const char* EncodingName() const { return IsIntset() ? "intset" : "hashtable"; }
  // Bytes of heap owned by this value plus the object itself.
  size_t MemoryUsage() const;

  // Forces the hashtable encoding (Redis converts when a command's result
  // will not fit an intset, e.g. SINTERSTORE/SUNIONSTORE with big inputs).
  void ConvertToHashtable();

 private:
  struct Table;
  void AddToTable(std::string_view member);

  std::variant<Intset, std::unique_ptr<Table>> rep_;
};

}  // namespace duet
