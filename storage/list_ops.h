#pragma once
// List operations on a Database: what the list commands (and the blocking
// pops that serve waiting clients) do to the keyspace. Each returns a status
// and a value; elements reach the caller through callbacks as string_views
// valid only during the call, so a reply can be written without copies.
//
// Shared rules:
//   - kWrongType when the key holds another type; kKeyNotFound when absent
//     (or expired) unless the operation says otherwise.
//   - A list emptied by an operation is deleted before the operation returns:
//     Redis never keeps an empty list.
//   - Every change stamps a new version on the entry (WATCH).
//   - New lists take node size and compression from `limits`.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/database.h"
#include "storage/function_ref.h"
#include "storage/op_status.h"

namespace duet {

enum class ListEnd : uint8_t { kHead, kTail };

using ElementFn = FunctionRef<void(std::string_view)>;
using CountFn = FunctionRef<void(size_t)>;

// kOk when key holds a list; kKeyNotFound; kWrongType. For commands whose
// error order makes them look at the key before parsing an argument.
OpStatus ListCheck(Database& db, std::string_view key, int64_t now_ms);

// LPUSH/RPUSH (creates the list) and, with only_existing, LPUSHX/RPUSHX (an
// absent key gives 0 and is not created). Values go in one at a time, so
// LPUSH a b c leaves c first. Returns the new length.
OpResult<size_t> ListPush(Database& db, std::string_view key, const std::string_view* values,
                          size_t n, ListEnd end, bool only_existing, const CollectionLimits& limits,
                          int64_t now_ms);

// Pops up to `count` elements from `end`: on_count(k) first, with
// k = min(count, length) (0 when count is 0), then fn once per element in pop
// order. Returns k.
OpResult<size_t> ListPop(Database& db, std::string_view key, ListEnd end, size_t count,
                         CountFn on_count, ElementFn fn, int64_t now_ms);

// The length; kKeyNotFound when absent.
OpResult<size_t> ListLength(Database& db, std::string_view key, int64_t now_ms);

// LRANGE with Redis's index rules: on_count(n), then the n elements in order.
OpResult<size_t> ListRange(Database& db, std::string_view key, int64_t start, int64_t stop,
                           CountFn on_count, ElementFn fn, int64_t now_ms);

// LINDEX: fn gets the element; kOutOfRange when the index is outside the list.
OpStatus ListIndex(Database& db, std::string_view key, int64_t index, ElementFn fn, int64_t now_ms);

// LSET: kKeyNotFound, kWrongType, kOutOfRange or kOk.
OpStatus ListSet(Database& db, std::string_view key, int64_t index, std::string_view value,
                 int64_t now_ms);

// LINSERT: the new length, or -1 when the pivot is not in the list.
OpResult<int64_t> ListInsert(Database& db, std::string_view key, bool before,
                             std::string_view pivot, std::string_view value, int64_t now_ms);

// LREM (count > 0 from the head, < 0 from the tail, 0 all): how many went.
OpResult<size_t> ListRemove(Database& db, std::string_view key, int64_t count,
                            std::string_view value, int64_t now_ms);

// LTRIM with Redis's index rules: how many elements went.
OpResult<size_t> ListTrim(Database& db, std::string_view key, int64_t start, int64_t stop,
                          int64_t now_ms);

// LPOS: rank as ListValue::Pos (non-zero), count 0 = all matches, maxlen 0 =
// whole list. fn gets each reported index. Returns how many were reported.
OpResult<size_t> ListPos(Database& db, std::string_view key, std::string_view value, int64_t rank,
                         int64_t count, int64_t maxlen, FunctionRef<void(int64_t)> fn,
                         int64_t now_ms);

// LMOVE/RPOPLPUSH: pops one element from `from` of src and pushes it at `to`
// of dst (created when absent), then deletes src if it is now empty. src may
// equal dst (a rotation). Both keys are type-checked before anything moves.
// fn gets the moved element. kKeyNotFound when src is absent.
OpStatus ListMove(Database& db, std::string_view src, std::string_view dst, ListEnd from,
                  ListEnd to, const CollectionLimits& limits, ElementFn fn, int64_t now_ms);

// LMPOP/BLPOP key choice: the index of the first key holding a list. Absent
// keys are skipped; a key of another type before any list gives kWrongType;
// kKeyNotFound when no key holds a list.
OpResult<size_t> ListFirstNonEmpty(Database& db, const std::string_view* keys, size_t n,
                                   int64_t now_ms);

}  // namespace duet
