#pragma once
// Type-independent key operations: rename, copy, move between databases and
// conditional expiry.

#include <cstdint>
#include <string_view>

#include "storage/database.h"
#include "storage/op_status.h"

namespace duet {

// RENAME / RENAMENX. kKeyNotFound if src is absent; true if renamed (false
// only for nx when dst exists). Renaming a key to itself succeeds (nx: false).
OpResult<bool> KeyRename(Database& db, std::string_view src, std::string_view dst, bool nx,
                         int64_t now_ms);

// COPY: false if src is absent, or dst exists and !replace.
bool KeyCopy(Database& src_db, std::string_view src, Database& dst_db, std::string_view dst,
             bool replace, int64_t now_ms);

// MOVE: false if absent in src or present in dst.
bool KeyMove(Database& src_db, Database& dst_db, std::string_view key, int64_t now_ms);

enum class ExpireCondition { kAlways, kNx, kXx, kGt, kLt };
// Sets the absolute expiry `at_ms` under `cond`; a time not in the future
// deletes the key. Returns whether anything changed.
OpResult<bool> KeyExpire(Database& db, std::string_view key, int64_t at_ms, ExpireCondition cond,
                         int64_t now_ms);

// A deep copy of `e` under a new key (same type, value, flags; no expiry).
Entry* CloneEntry(const Entry* e, std::string_view new_key);

}  // namespace duet
