#pragma once
// Set operations on a Database: the SADD ... SDIFFSTORE family. Each returns a
// status and a value; handlers turn them into replies. Plain reads (SCARD,
// SISMEMBER, SMEMBERS, SSCAN, SRANDMEMBER) use SetFind and the SetValue API.
//
// Rules shared by every operation here, as in Redis 7.0:
//   - a missing key is an empty set; a key of another type is kWrongType;
//   - a set left empty is deleted as a key (no empty sets in the keyspace);
//   - every change stamps the entry with a new version (WATCH);
//   - a new set starts as an empty intset and converts on Add, so results
//     get the encoding adding their members one by one would give them.
//
// Members handed to callbacks are views valid only during the call.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/collection_limits.h"
#include "storage/database.h"
#include "storage/function_ref.h"
#include "storage/lookup_counts.h"
#include "storage/op_status.h"
#include "storage/set_value.h"

namespace duet {

using SetMemberFn = FunctionRef<void(std::string_view)>;

// The set stored at key: kKeyNotFound or kWrongType otherwise.
OpResult<SetValue*> SetFind(Database& db, std::string_view key, int64_t now_ms);

// SADD: returns how many members were new. Creates the key.
OpResult<int64_t> SetAdd(Database& db, std::string_view key, const std::string_view* members,
                         size_t n, const CollectionLimits& limits, int64_t now_ms);
// SREM: returns how many members were removed (0 for a missing key).
OpResult<int64_t> SetRemove(Database& db, std::string_view key, const std::string_view* members,
                            size_t n, int64_t now_ms);

// SMOVE: true if the member was in src (and is now in dst). A missing src
// gives false before dst's type is checked, as Redis does; src == dst only
// reports membership.
OpResult<bool> SetMove(Database& db, std::string_view src, std::string_view dst,
                       std::string_view member, const CollectionLimits& limits, int64_t now_ms);

// SPOP without count: passes the removed member to fn. kKeyNotFound when
// there is nothing to pop.
OpStatus SetPopOne(Database& db, std::string_view key, int64_t now_ms, SetMemberFn fn);
// SPOP with count: calls on_count(n) with n = min(count, size) first, then
// fn for each of the n removed members. A missing key gives on_count(0).
OpStatus SetPop(Database& db, std::string_view key, uint64_t count, const CollectionLimits& limits,
                int64_t now_ms, FunctionRef<void(uint64_t)> on_count, SetMemberFn fn);

// Members kept in one buffer: a result whose size is needed before its
// members can be sent, without one allocation per member.
class MemberList {
 public:
  void Add(std::string_view m) {
    data_.append(m);
    ends_.push_back(data_.size());
  }
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string data_;
  std::vector<size_t> ends_;
};

enum class SetAlgebra { kUnion, kInter, kDiff };

// SINTER / SUNION / SDIFF over keys[0..n): the result as a new set. Every key
// is looked up (and counted) before any work, so one key of another type
// gives kWrongType whatever the others hold.
OpResult<SetValue> SetCombine(Database& db, const std::string_view* keys, size_t n, SetAlgebra op,
                              const CollectionLimits& limits, int64_t now_ms, LookupCounts* counts);
// SINTER for a reply: the members in the order the smallest set yields them,
// without building a set.
OpResult<MemberList> SetInter(Database& db, const std::string_view* keys, size_t n, int64_t now_ms,
                              LookupCounts* counts);
// SINTERCARD: size of the intersection, counting stops at `limit` (0 = none).
OpResult<uint64_t> SetInterCard(Database& db, const std::string_view* keys, size_t n,
                                uint64_t limit, int64_t now_ms, LookupCounts* counts);
// S*STORE: stores the result at dst (replacing any value of any type and its
// TTL) or deletes dst when the result is empty. Returns the result's size;
// *dst_deleted tells whether an empty result removed an existing dst.
OpResult<uint64_t> SetCombineStore(Database& db, std::string_view dst, const std::string_view* keys,
                                   size_t n, SetAlgebra op, const CollectionLimits& limits,
                                   int64_t now_ms, LookupCounts* counts, bool* dst_deleted);

}  // namespace duet
