#pragma once
// The arguments shared by SCAN, SSCAN, HSCAN and ZSCAN.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/command.h"
#include "storage/entry.h"

namespace duet {

struct ScanArgs {
  uint64_t cursor = 0;
  bool has_pattern = false;  // MATCH given and not "*"
  std::string_view pattern;
  size_t count = 10;
  bool has_type = false;  // SCAN ... TYPE
  bool type_matches_nothing = false;
  ValueType type = ValueType::kString;
};

// A cursor argument as Redis reads it (strtoull over the whole text). Redis
// checks the cursor before looking up the key of SSCAN/HSCAN/ZSCAN, and their
// other options only once the key exists; those commands call this first.
bool ParseScanCursor(std::string_view s, uint64_t* out);

// Parses args[cursor_index] as the cursor and the options after it. Replies
// the error and returns false when invalid.
bool ParseScanArgs(CommandContext& ctx, size_t cursor_index, bool allow_type, ScanArgs* out);
void ReplyScan(ReplyBuilder& rb, uint64_t cursor, const std::vector<std::string>& items);

}  // namespace duet
