// SLOWLOG GET / LEN / RESET / HELP.

#include <algorithm>

#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"

namespace duet {
namespace {

void CmdSlowlogGet(CommandContext& ctx) {
  const auto& entries = ctx.server.slowlog().entries();
  size_t count = 10;
  if (ctx.argc() == 3) {
    int64_t n;
    if (!ParseInt64(ctx.args[2], &n) || n < -1) {
      return ctx.rb.Error("ERR count should be greater than or equal to -1");
    }
    count = n == -1 ? entries.size() : static_cast<size_t>(n);
  }
  count = std::min(count, entries.size());
  ctx.rb.ArrayHeader(count);
  for (size_t i = 0; i < count; ++i) {
    const SlowlogEntry& e = entries[i];
    ctx.rb.ArrayHeader(6);
    ctx.rb.Integer(static_cast<int64_t>(e.id));
    ctx.rb.Integer(e.unix_time);
    ctx.rb.Integer(e.duration_us);
    ctx.rb.ArrayHeader(e.args.size());
    for (const auto& a : e.args) ctx.rb.Bulk(a);
    ctx.rb.Bulk(e.client_addr);
    ctx.rb.Bulk(e.client_name);
  }
}

void CmdSlowlogLen(CommandContext& ctx) {
  ctx.rb.Integer(static_cast<int64_t>(ctx.server.slowlog().entries().size()));
}

void CmdSlowlogReset(CommandContext& ctx) {
  ctx.server.slowlog().Reset();
  ctx.rb.Ok();
}

void CmdSlowlogHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    The <count> newest slow log entries (10 by default; -1 for all). Each is:",
      "    1. A unique id.",
      "    2. The Unix time at which the command ran.",
      "    3. How long it ran, in microseconds.",
      "    4. The command and its arguments (long ones shortened).",
      "    5. The client's address and port.",
      "    6. The client's name (CLIENT SETNAME).",
      "LEN",
      "    How many entries the slow log holds.",
      "RESET",
      "    Empty the slow log.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterSlowlogCommands(CommandTable& t) {
  t.Bind("SLOWLOG|GET", CmdSlowlogGet);
  t.Bind("SLOWLOG|LEN", CmdSlowlogLen);
  t.Bind("SLOWLOG|RESET", CmdSlowlogReset);
  t.Bind("SLOWLOG|HELP", CmdSlowlogHelp);
}

}  // namespace duet
