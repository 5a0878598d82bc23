// Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT
// LOAD / EXISTS / FLUSH / KILL / HELP (server/script_engine.h).

#include "protocol/errors.h"
#include "server/command_table.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/script_engine.h"
#include "server/server.h"

namespace duet {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

void CmdEval(CommandContext& ctx) { ctx.server.scripts().Eval(ctx, false, false); }
void CmdEvalSha(CommandContext& ctx) { ctx.server.scripts().Eval(ctx, true, false); }
void CmdEvalRo(CommandContext& ctx) { ctx.server.scripts().Eval(ctx, false, true); }
void CmdEvalShaRo(CommandContext& ctx) { ctx.server.scripts().Eval(ctx, true, true); }

void CmdScriptLoad(CommandContext& ctx) { ctx.server.scripts().Load(ctx, ctx.args[2]); }

void CmdScriptExists(CommandContext& ctx) {
  ctx.rb.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) ctx.rb.Integer(ctx.server.scripts().Exists(ctx.args[i]));
}

void CmdScriptFlush(CommandContext& ctx) {
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsNoCase(ctx.args[2], "async") &&
                         !EqualsNoCase(ctx.args[2], "sync"))) {
    return ctx.rb.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  // ASYNC frees the same way: a fresh interpreter replaces the old one.
  ctx.server.scripts().Flush();
  ctx.rb.Ok();
}

void CmdScriptKill(CommandContext& ctx) {
  std::string_view err = ctx.server.scripts().Kill();
  if (!err.empty()) return ctx.rb.Error(err);
  ctx.rb.Ok();
}

void CmdScriptHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "EXISTS <sha1> [<sha1> ...]",
      "    For each digest, 1 if a script with it is cached, else 0.",
      "FLUSH [ASYNC|SYNC]",
      "    Empty the script cache.",
      "KILL",
      "    Stop the script that is running, unless it has written.",
      "LOAD <script>",
      "    Cache a script without running it; replies with its SHA1 digest.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterScriptCommands(CommandTable& t) {
  t.Bind("EVAL", CmdEval);
  t.Bind("EVALSHA", CmdEvalSha);
  t.Bind("EVAL_RO", CmdEvalRo);
  t.Bind("EVALSHA_RO", CmdEvalShaRo);
  t.Bind("SCRIPT|LOAD", CmdScriptLoad);
  t.Bind("SCRIPT|EXISTS", CmdScriptExists);
  t.Bind("SCRIPT|FLUSH", CmdScriptFlush);
  t.Bind("SCRIPT|KILL", CmdScriptKill);
  t.Bind("SCRIPT|HELP", CmdScriptHelp);
}

}  // namespace duet
