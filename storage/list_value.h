#pragma once
// ListValue: what a list key holds. A thin layer over Quicklist that speaks
// in Redis list-command terms (negative indexes, LREM/LTRIM/LPOS rules) and
// never builds replies: elements go to callbacks as string_views that are
// valid only during the callback.
//
// Node size and compression come from CollectionLimits at creation, as in
// Redis 7.0 (a later CONFIG SET affects lists created afterwards). OBJECT
// ENCODING is always "quicklist", as Redis 7.0 reports for every list.
//
// A list left empty by an operation is still a valid object; the caller
// deletes the key (Redis never keeps empty lists).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/function_ref.h"
#include "storage/op_status.h"
#include "storage/quicklist.h"

namespace duet {

class ListValue {
 public:
  explicit ListValue(const CollectionLimits& limits)
      : ql_(limits.list_max_listpack_size, limits.list_compress_depth) {}
  explicit ListValue(Quicklist&& ql) : ql_(std::move(ql)) {}

  ListValue Clone() const { return ListValue(ql_.Clone()); }

  size_t Length() const { return ql_.Count(); }

  void PushFront(std::string_view v) { ql_.PushFront(v); }
  void PushBack(std::string_view v) { ql_.PushBack(v); }
  // LPUSH order: each value goes to the front in turn, so the last ends first.
  void PushFront(const std::string_view* values, size_t n);
  void PushBack(const std::string_view* values, size_t n);

  // Up to `count` elements from the front (back), passed to fn in pop order.
  size_t PopFront(size_t count, FunctionRef<void(std::string_view)> fn) {
    return ql_.PopFront(count, fn);
  }
  size_t PopBack(size_t count, FunctionRef<void(std::string_view)> fn) {
    return ql_.PopBack(count, fn);
  }

  // LINDEX: false when out of range (negative counts from the tail).
  bool Index(int64_t index, FunctionRef<void(std::string_view)> fn) const;
  // LSET: kOutOfRange when the index is out of range.
  OpStatus Set(int64_t index, std::string_view v);
  // LINSERT: new length, or -1 when the pivot is absent.
  int64_t Insert(std::string_view pivot, std::string_view v, bool before);
  // LREM: count > 0 removes the first `count` matches from the head, < 0 the
  // first |count| from the tail, 0 all of them. Returns how many went.
  size_t Remove(int64_t count, std::string_view v);
  // LTRIM with Redis's index rules (may leave the list empty).
  void Trim(int64_t start, int64_t stop);

  // LRANGE: the number of elements Range(start, stop) yields (for the reply
  // header), and the elements themselves in order.
  size_t RangeLength(int64_t start, int64_t stop) const;
  size_t Range(int64_t start, int64_t stop, FunctionRef<void(std::string_view)> fn) const;

  // LPOS. rank != 0: the |rank|-th match is the first reported; negative
  // searches from the tail. count: report at most this many (0 = all).
  // maxlen: compare at most this many elements (0 = all). fn receives
  // indexes counted from the head. Returns how many were reported.
  size_t Pos(std::string_view v, int64_t rank, int64_t count, int64_t maxlen,
             FunctionRef<void(int64_t)> fn) const;

  const char* EncodingName() const { return "quicklist"; }
  size_t MemoryUsage() const { return sizeof(*this) + ql_.MemoryUsage(); }

  const Quicklist& quicklist() const { return ql_; }
  Quicklist& quicklist() { return ql_; }

 private:
  // Normalizes a possibly negative index; false when out of range.
  bool Normalize(int64_t index, size_t* out) const;

  Quicklist ql_;
};

}  // namespace duet
