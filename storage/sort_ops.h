#pragma once
// SORT and SORT_RO over a list, set or sorted set, with Redis 7.0's rules.
//
// Patterns (BY and GET): "#" stands for the element itself. Otherwise the
// first '*' is replaced by the element to form a key name; a pattern without
// '*' names no key (GET yields nothing, BY means "do not sort"). If "->" with
// a non-empty name follows the '*', the text after it is a hash field and the
// text before it the key: "user_*->age" reads field "age" of hash "user_<e>".
// A key of the wrong type reads as missing. Every key a pattern names is
// looked up like a read (lazy expiry, keyspace hits/misses).
//
// Ordering:
//   numeric (default)  each weight parsed as a C double (strtod, whole text,
//                      no NaN, no overflow or underflow); a missing weight is
//                      0; equal weights fall back to the elements' bytes. A
//                      weight that does not parse fails the whole command.
//   ALPHA              the elements (or BY weights, missing ones first) by
//                      strcoll, or by bytes when the result is stored (so a
//                      stored list does not depend on the locale).
// DESC reverses the comparison; equal elements keep their source order.
//
// "BY <pattern without *>" skips sorting: lists and sorted sets keep their
// own order (DESC walks from the end, LIMIT picks the range directly); sets
// keep their iteration order, except that a stored (or scripted) result is
// sorted ALPHA so that it is deterministic.
//
// LIMIT offset count: negative offset = 0, negative count = to the end.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/collection_limits.h"
#include "storage/database.h"
#include "storage/lookup_counts.h"
#include "storage/op_status.h"

namespace duet {

struct SortOptions {
  bool has_by = false;
  std::string_view by;
  bool dont_sort = false;  // a BY pattern without '*' was given (sticky)
  bool desc = false;
  bool alpha = false;
  int64_t limit_offset = 0;
  int64_t limit_count = -1;
  std::vector<std::string_view> gets;  // GET patterns, in order
  bool has_store = false;
  std::string_view store;
  bool from_script = false;  // Redis sorts unsorted sets for scripts too
};

// Receives the reply of a SORT without STORE.
class SortSink {
 public:
  // Called once, before the values, with how many follow.
  virtual void Begin(size_t n) = 0;
  virtual void Value(std::string_view v) = 0;
  // A GET pattern that named no existing string or hash field.
  virtual void Missing() = 0;

 protected:
  ~SortSink() = default;
};

struct SortOutcome {
  uint64_t length = 0;       // values produced (and stored, under STORE)
  bool dst_deleted = false;  // STORE of an empty result removed the old key
};

// kWrongType when key holds a string or hash; kNotAFloat when a weight is
// not a number (Redis: "One or more scores can't be converted into double"),
// in which case nothing is replied or stored. Without STORE, `sink` gets the
// values; with STORE, the values (missing GETs as "") replace o.store as a
// list, or an empty result deletes it. `lookups` counts the sorted key and
// every pattern lookup, also when the command fails.
OpResult<SortOutcome> Sort(Database& db, std::string_view key, const SortOptions& o,
                           const CollectionLimits& limits, int64_t now_ms, SortSink* sink,
                           LookupCounts* lookups);

}  // namespace duet
