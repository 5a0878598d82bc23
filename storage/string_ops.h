#pragma once
// String operations on a Database. Each returns a status and a value; the
// command handler turns them into replies. Values returned as string_view
// point into the entry and are valid until the next write to the database.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"
#include "storage/op_status.h"

namespace duet {

struct SetParams {
  enum class Condition { kAlways, kIfAbsent, kIfPresent } condition = Condition::kAlways;
  int64_t expire_at_ms = 0;  // absolute; 0 = none
  bool keep_ttl = false;
  bool get_old = false;  // SET ... GET: report the previous value
};

struct SetOutcome {
  bool stored = false;
  std::optional<std::string> old_value;  // filled when get_old and the key existed
};

// kWrongType only when get_old is set and the key holds another type.
OpResult<SetOutcome> StringSet(Database& db, std::string_view key, std::string_view value,
                               const SetParams& params, int64_t now_ms);
// Plain SET key value (no options): the fast path.
void StringSetPlain(Database& db, std::string_view key, std::string_view value, int64_t now_ms);

OpResult<std::string_view> StringGet(Database& db, std::string_view key, int64_t now_ms);
OpResult<std::string> StringGetDel(Database& db, std::string_view key, int64_t now_ms);

// Adds `delta` to the integer stored at key (0 when absent).
OpResult<int64_t> StringIncrBy(Database& db, std::string_view key, int64_t delta, int64_t now_ms);

// APPEND; returns the new length. kTooBig past `max_len`.
OpResult<size_t> StringAppend(Database& db, std::string_view key, std::string_view suffix,
                              size_t max_len, int64_t now_ms);
// SETRANGE; returns the new length.
OpResult<size_t> StringSetRange(Database& db, std::string_view key, int64_t offset,
                                std::string_view value, size_t max_len, int64_t now_ms);
// GETRANGE with Redis's index rules (negative from the end, clamped);
// kKeyNotFound for a missing key (GETRANGE answers "" for it).
OpResult<std::string_view> StringGetRange(Database& db, std::string_view key, int64_t start,
                                          int64_t end, int64_t now_ms);

// Stores `value` at key replacing any value of any type; `expire_at_ms` 0 = none.
void StringOverwrite(Database& db, std::string_view key, std::string_view value,
                     int64_t expire_at_ms, int64_t now_ms);

}  // namespace duet

namespace duet {

// For bit writes (SETBIT, BITFIELD): the string at key, created when absent
// and zero-extended to at least `min_len` bytes. kTooBig past `max_len`.
OpResult<Entry*> StringForBitWrite(Database& db, std::string_view key, size_t min_len,
                                   size_t max_len, int64_t now_ms);

// INCRBYFLOAT: the new value, already formatted as Redis formats it.
OpResult<std::string> StringIncrByFloat(Database& db, std::string_view key, long double delta,
                                        int64_t now_ms);

}  // namespace duet
