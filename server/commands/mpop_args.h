#pragma once
// Pieces shared by the list commands and the blocking commands: the argument
// grammar of LMPOP / BLMPOP / BZMPOP, and the reply of a pop that names its key.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/command.h"
#include "storage/list_ops.h"

namespace duet {

// "numkeys key [key ...] <low>|<high> [COUNT count]" starting at args[numkeys_idx],
// with <low>/<high> = LEFT/RIGHT (lists) or MIN/MAX (sorted sets).
struct MPopArgs {
  size_t first_key = 0;  // index in args
  size_t numkeys = 0;
  bool high = false;  // RIGHT or MAX
  int64_t count = 1;
};

// Parses with Redis 7.0's checks and texts, in its order ("numkeys should be
// greater than 0", syntax error, "count should be greater than 0"). On error
// replies and returns false.
bool ParseMPopArgs(CommandContext& ctx, size_t numkeys_idx, std::string_view low_word,
                   std::string_view high_word, MPopArgs* out);

// LEFT / RIGHT (case-insensitive); false after replying a syntax error.
bool ParseListEnd(CommandContext& ctx, std::string_view arg, ListEnd* out);

// Pops up to `count` elements from `end` of the list at key and replies
// [key, [element, ...]] (LMPOP, BLMPOP). Replies nothing when the result is
// not ok (no list there).
OpResult<size_t> PopListWithKey(ReplyBuilder& rb, Database& db, std::string_view key, ListEnd end,
                                size_t count, int64_t now_ms);

}  // namespace duet
