#include "server/commands/expire_args.h"

#include <limits>

#include "server/commands/reply_util.h"

namespace duet {

bool ParseExpireArg(CommandContext& ctx, std::string_view arg, ExpireUnit unit, bool relative,
                    int64_t* at_ms) {
  int64_t v;
  if (!ParseIntArg(ctx.rb, arg, &v)) return false;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (v <= 0 || (unit == ExpireUnit::kSeconds && v > kMax / 1000)) {
    ctx.rb.Error(InvalidExpireError(ctx.command.full_name));
    return false;
  }
  if (unit == ExpireUnit::kSeconds) v *= 1000;
  if (relative) {
    if (v > kMax - ctx.now_ms) {
      ctx.rb.Error(InvalidExpireError(ctx.command.full_name));
      return false;
    }
    v += ctx.now_ms;
  }
  *at_ms = v;
  return true;
}

}  // namespace duet
