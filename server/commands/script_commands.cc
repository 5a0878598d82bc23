// Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT
// LOAD / EXISTS / FLUSH / KILL / HELP, FCALL, FCALL_RO and FUNCTION
// LOAD / DELETE / FLUSH / LIST / STATS / DUMP / RESTORE / KILL / HELP
// (server/script_engine.h).

#include "persistence/dump_payload.h"
#include "protocol/errors.h"
#include "server/command_table.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/script_engine.h"
#include "server/server.h"
#include "utils/ascii.h"

namespace duet {
namespace {

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
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsIgnoreCase(ctx.args[2], "async") &&
                         !EqualsIgnoreCase(ctx.args[2], "sync"))) {
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

void CmdFCall(CommandContext& ctx) { ctx.server.scripts().FCall(ctx, false); }
void CmdFCallRo(CommandContext& ctx) { ctx.server.scripts().FCall(ctx, true); }

void CmdFunctionLoad(CommandContext& ctx) {
  bool replace = false;
  if (ctx.argc() == 4) {
    if (!EqualsIgnoreCase(ctx.args[2], "replace")) {
      return ctx.rb.Error("ERR Unknown option given: " + std::string(ctx.args[2]));
    }
    replace = true;
  } else if (ctx.argc() != 3) {
    return ctx.rb.Error("ERR Unknown option given: " + std::string(ctx.args[2]));
  }
  std::string name, error;
  if (!ctx.server.scripts().LoadLibrary(ctx.args[ctx.argc() - 1], replace, &name, &error)) {
    return ctx.rb.Error(error);
  }
  ctx.AddDirty();
  ctx.rb.Bulk(name);
}

void CmdFunctionDelete(CommandContext& ctx) {
  if (!ctx.server.scripts().DeleteLibrary(ctx.args[2])) {
    return ctx.rb.Error("ERR Library not found");
  }
  ctx.AddDirty();
  ctx.rb.Ok();
}

void CmdFunctionFlush(CommandContext& ctx) {
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsIgnoreCase(ctx.args[2], "async") &&
                         !EqualsIgnoreCase(ctx.args[2], "sync"))) {
    return ctx.rb.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  ctx.server.scripts().FlushFunctions();
  ctx.AddDirty();
  ctx.rb.Ok();
}

void CmdFunctionList(CommandContext& ctx) { ctx.server.scripts().FunctionList(ctx); }
void CmdFunctionStats(CommandContext& ctx) { ctx.server.scripts().FunctionStats(ctx); }

void CmdFunctionDump(CommandContext& ctx) {
  std::vector<std::string> codes = ctx.server.scripts().LibraryCodes();
  std::vector<std::string_view> views(codes.begin(), codes.end());
  ctx.rb.Bulk(MakeFunctionsPayload(views, ctx.server.config().rdbcompression));
}

void CmdFunctionRestore(CommandContext& ctx) {
  enum class Policy { kAppend, kReplace, kFlush } policy = Policy::kAppend;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.args[3], "append")) {
      policy = Policy::kAppend;
    } else if (EqualsIgnoreCase(ctx.args[3], "replace")) {
      policy = Policy::kReplace;
    } else if (EqualsIgnoreCase(ctx.args[3], "flush")) {
      policy = Policy::kFlush;
    } else {
      return ctx.rb.Error(
          "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  } else if (ctx.argc() > 4) {
    return ctx.rb.Error(errors::kSyntax);
  }
  std::string_view payload = ctx.args[2];
  std::vector<std::string> codes;
  if (!VerifyDumpPayload(payload)) {
    return ctx.rb.Error("ERR DUMP payload version or checksum are wrong");
  }
  if (!ParseFunctionsPayload(payload, &codes).ok()) {
    return ctx.rb.Error("ERR given payload is not a valid function payload");
  }
  ScriptEngine& e = ctx.server.scripts();
  if (policy == Policy::kFlush) e.FlushFunctions();
  std::string name, error;
  for (const std::string& code : codes) {
    if (!e.LoadLibrary(code, policy != Policy::kAppend, &name, &error)) {
      return ctx.rb.Error(error);
    }
  }
  ctx.AddDirty();
  ctx.rb.Ok();
}

void CmdFunctionKill(CommandContext& ctx) {
  std::string_view err = ctx.server.scripts().Kill(true);
  if (!err.empty()) return ctx.rb.Error(err);
  ctx.rb.Ok();
}

void CmdFunctionHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <library code>",
      "    Load a library (\"#!lua name=<library>\" first line); REPLACE overwrites one.",
      "DELETE <library name>",
      "    Remove a library and its functions.",
      "LIST [LIBRARYNAME <pattern>] [WITHCODE]",
      "    Describe the libraries, optionally only matching ones, optionally with code.",
      "FLUSH [ASYNC|SYNC]",
      "    Remove every library.",
      "DUMP",
      "    Serialize every library into one payload.",
      "RESTORE <payload> [FLUSH|APPEND|REPLACE]",
      "    Load the libraries of a DUMP payload.",
      "STATS",
      "    The running function, and the libraries and functions per engine.",
      "KILL",
      "    Stop the running function, unless it has written.",
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
  t.Bind("FCALL", CmdFCall);
  t.Bind("FCALL_RO", CmdFCallRo);
  t.Bind("FUNCTION|LOAD", CmdFunctionLoad);
  t.Bind("FUNCTION|DELETE", CmdFunctionDelete);
  t.Bind("FUNCTION|FLUSH", CmdFunctionFlush);
  t.Bind("FUNCTION|LIST", CmdFunctionList);
  t.Bind("FUNCTION|STATS", CmdFunctionStats);
  t.Bind("FUNCTION|DUMP", CmdFunctionDump);
  t.Bind("FUNCTION|RESTORE", CmdFunctionRestore);
  t.Bind("FUNCTION|KILL", CmdFunctionKill);
  t.Bind("FUNCTION|HELP", CmdFunctionHelp);
}

}  // namespace duet
