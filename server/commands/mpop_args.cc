#include "server/commands/mpop_args.h"

#include "protocol/errors.h"
#include "server/commands/arg_parser.h"
#include "server/server.h"

namespace duet {

bool ParseListEnd(CommandContext& ctx, std::string_view arg, ListEnd* out) {
  if (ArgParser::EqualsIgnoreCase(arg, "LEFT")) {
    *out = ListEnd::kHead;
  } else if (ArgParser::EqualsIgnoreCase(arg, "RIGHT")) {
    *out = ListEnd::kTail;
  } else {
    ctx.rb.Error(errors::kSyntax);
    return false;
  }
  return true;
}

bool ParseMPopArgs(CommandContext& ctx, size_t numkeys_idx, std::string_view low_word,
                   std::string_view high_word, MPopArgs* out) {
  int64_t numkeys;
  if (!ParseInt64(ctx.args[numkeys_idx], &numkeys) || numkeys < 1) {
    ctx.rb.Error("ERR numkeys should be greater than 0");
    return false;
  }
  // The keys and the LEFT/RIGHT word must fit in what was sent (compared
  // without forming numkeys_idx + numkeys, which could overflow).
  size_t after = ctx.argc() - numkeys_idx - 1;
  if (static_cast<uint64_t>(numkeys) >= after) {
    ctx.rb.Error(errors::kSyntax);
    return false;
  }
  out->first_key = numkeys_idx + 1;
  out->numkeys = static_cast<size_t>(numkeys);
  ArgParser p(ctx.args, out->first_key + out->numkeys);
  if (p.Eat(low_word)) {
    out->high = false;
  } else if (p.Eat(high_word)) {
    out->high = true;
  } else {
    ctx.rb.Error(errors::kSyntax);
    return false;
  }
  bool have_count = false;
  while (p.HasNext()) {
    if (!have_count && p.remaining() >= 2 && p.Eat("COUNT")) {
      int64_t count;
      if (!ParseInt64(p.Next(), &count) || count < 1) {
        ctx.rb.Error("ERR count should be greater than 0");
        return false;
      }
      out->count = count;
      have_count = true;
    } else {
      ctx.rb.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

OpResult<size_t> PopListWithKey(ReplyBuilder& rb, Database& db, std::string_view key, ListEnd end,
                                size_t count, int64_t now_ms) {
  return ListPop(
      db, key, end, count,
      [&](size_t n) {
        rb.ArrayHeader(2);
        rb.Bulk(key);
        rb.ArrayHeader(n);
      },
      [&](std::string_view v) { rb.Bulk(v); }, now_ms);
}

}  // namespace duet
