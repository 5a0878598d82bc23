// CONFIG GET / SET / REWRITE / RESETSTAT / HELP over the parameter table (server/config.h).

#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"
#include "utils/logging.h"

namespace duet {
namespace {

void CmdConfigGet(CommandContext& ctx) {
  std::vector<std::string_view> patterns(ctx.args.begin() + 2, ctx.args.end());
  auto pairs = ctx.server.config_api().Get(patterns);
  ctx.rb.MapHeader(pairs.size());
  for (const auto& [name, value] : pairs) {
    ctx.rb.Bulk(name);
    ctx.rb.Bulk(value);
  }
}

void CmdConfigSet(CommandContext& ctx) {
  if ((ctx.argc() - 2) % 2 != 0) return ctx.rb.Error(errors::kSyntax);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) pairs.emplace_back(ctx.args[i], ctx.args[i + 1]);
  ConfigSetContext sc;
  sc.client_is_local = ctx.client.is_local;
  Status s = ctx.server.config_api().Set(pairs, sc);
  if (!s.ok()) return ctx.rb.Error(s.message());
  ctx.rb.Ok();
}

void CmdConfigRewrite(CommandContext& ctx) {
  Server& server = ctx.server;
  Status s = RewriteConfigFile(server.config_file(), server.config(), server.acl().ListLines());
  if (!s.ok()) {
    if (!server.config_file().empty())
      LogWarning("CONFIG REWRITE failed: " + s.message().substr(4));
    return ctx.rb.Error(s.message());
  }
  LogNotice("CONFIG REWRITE executed with success.");
  ctx.rb.Ok();
}

void CmdConfigResetStat(CommandContext& ctx) {
  ctx.server.ResetStats();
  ctx.rb.Ok();
}

void CmdConfigHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    The parameters whose names match the glob-style <pattern>, with their values.",
      "SET <directive> <value> [<directive> <value> ...]",
      "    Change parameters at runtime; all of them or none.",
      "REWRITE",
      "    Write the running configuration back into the configuration file.",
      "RESETSTAT",
      "    Zero the statistics INFO reports.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterConfigCommands(CommandTable& t) {
  t.Bind("CONFIG|GET", CmdConfigGet);
  t.Bind("CONFIG|SET", CmdConfigSet);
  t.Bind("CONFIG|REWRITE", CmdConfigRewrite);
  t.Bind("CONFIG|RESETSTAT", CmdConfigResetStat);
  t.Bind("CONFIG|HELP", CmdConfigHelp);
}

}  // namespace duet
