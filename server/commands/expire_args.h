#pragma once
// Expiry arguments (SET EX/PX/EXAT/PXAT, SETEX, GETEX, EXPIRE family) with
// Redis's overflow rules and error texts.

#include <cstdint>
#include <string_view>

#include "server/command.h"

namespace duet {

enum class ExpireUnit { kSeconds, kMillis };

// For SET/SETEX/GETEX: the value must be a positive integer; converts to an
// absolute time in ms. Replies an error and returns false when invalid.
bool ParseExpireArg(CommandContext& ctx, std::string_view arg, ExpireUnit unit, bool relative,
                    int64_t* at_ms);

}  // namespace duet
