// ACL commands: CAT, DELUSER, DRYRUN, GENPASS, GETUSER, HELP, LIST, LOAD, LOG,
// SAVE, SETUSER, USERS, WHOAMI.

#include <openssl/rand.h>

#include <vector>

#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"
#include "utils/logging.h"

namespace duet {
namespace {

// Redis's reply to a known subcommand with a wrong number of arguments.
void SubcommandSyntaxError(CommandContext& ctx) {
  ctx.rb.Error("ERR unknown subcommand or wrong number of arguments for '" +
               std::string(ctx.args[1]) + "'. Try ACL HELP.");
}

std::string_view UserName(const Client& c) {
  return c.user != nullptr ? std::string_view(c.user->name) : std::string_view("default");
}

void CmdAclCat(CommandContext& ctx) {
  if (ctx.argc() > 3) return SubcommandSyntaxError(ctx);
  if (ctx.argc() == 2) {
    ctx.rb.ArrayHeader(kAclCategoryCount);
    for (int i = 0; i < kAclCategoryCount; ++i) ctx.rb.Bulk(AclCategoryName(1u << i));
    return;
  }
  uint32_t category = AclCategoryFromName(ctx.args[2]);
  if (category == 0) {
    return ctx.rb.Error("ERR Unknown category '" + std::string(ctx.args[2]) + "'");
  }
  std::vector<std::string_view> names;
  for (const auto& cmd : ctx.server.commands().all()) {
    if (EffectiveAclCategoryBits(*cmd->spec) & category) names.push_back(cmd->full_name);
  }
  ctx.rb.BulkArray(names.data(), names.size());
}

void CmdAclDelUser(CommandContext& ctx) {
  std::vector<std::string_view> names(ctx.args.begin() + 2, ctx.args.end());
  for (std::string_view n : names) {
    if (n == "default") return ctx.rb.Error("ERR The 'default' user cannot be removed");
  }
  ctx.rb.Integer(ctx.server.acl().DeleteUsers(names, &ctx.client));
}

void CmdAclDryRun(CommandContext& ctx) {
  AclUser* u = ctx.server.acl().FindUser(ctx.args[2]);
  if (u == nullptr) {
    return ctx.rb.Error("ERR User '" + std::string(ctx.args[2]) + "' not found");
  }
  std::vector<std::string_view> argv(ctx.args.begin() + 3, ctx.args.end());
  bool unknown_sub = false;
  const Command* cmd = ctx.server.commands().Lookup(argv, &unknown_sub);
  if (cmd == nullptr) {
    return ctx.rb.Error("ERR Command '" + std::string(argv[0]) + "' not found");
  }
  if (!cmd->ArityOk(argv.size())) {
    return ctx.rb.Error("ERR wrong number of arguments for '" + cmd->full_name + "' command");
  }
  int pos = 0;
  AclDenial d = CheckAclPermission(*u, *cmd, argv, &pos);
  switch (d) {
    case AclDenial::kOk:
      return ctx.rb.Ok();
    case AclDenial::kKey:
      return ctx.rb.Bulk("This user has no permissions to access the '" +
                         std::string(argv[static_cast<size_t>(pos)]) + "' key");
    case AclDenial::kChannel:
      return ctx.rb.Bulk("This user has no permissions to access the '" +
                         std::string(argv[static_cast<size_t>(pos)]) + "' channel");
    default:
      return ctx.rb.Bulk("This user has no permissions to run the '" + cmd->full_name +
                         "' command");
  }
}

void CmdAclGenPass(CommandContext& ctx) {
  int64_t bits = 256;
  if (ctx.argc() > 3) return SubcommandSyntaxError(ctx);
  if (ctx.argc() == 3 && !ParseIntArg(ctx.rb, ctx.args[2], &bits)) return;
  if (bits <= 0 || bits > 4096) {
    return ctx.rb.Error(
        "ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
        "number up to 4096");
  }
  size_t chars = static_cast<size_t>((bits + 3) / 4);
  std::vector<unsigned char> raw((chars + 1) / 2);
  RAND_bytes(raw.data(), static_cast<int>(raw.size()));
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  out.resize(chars);
  ctx.rb.Bulk(out);
}

void SelectorFields(CommandContext& ctx, const AclSelector& s) {
  ctx.rb.Bulk("commands");
  ctx.rb.Bulk(DescribeCommandRules(s, ctx.server.commands()));
  ctx.rb.Bulk("keys");
  ctx.rb.Bulk(DescribeKeys(s));
  ctx.rb.Bulk("channels");
  ctx.rb.Bulk(DescribeChannels(s));
}

void CmdAclGetUser(CommandContext& ctx) {
  const AclUser* u = ctx.server.acl().FindUser(ctx.args[2]);
  if (u == nullptr) return ctx.rb.Null();
  ctx.rb.MapHeader(6);
  ctx.rb.Bulk("flags");
  std::vector<std::string_view> flags = AclUserFlagNames(*u);
  ctx.rb.SetHeader(flags.size());
  for (std::string_view f : flags) ctx.rb.Bulk(f);
  ctx.rb.Bulk("passwords");
  ctx.rb.ArrayHeader(u->passwords.size());
  for (const std::string& p : u->passwords) ctx.rb.Bulk(p);
  SelectorFields(ctx, u->selectors.front());
  ctx.rb.Bulk("selectors");
  ctx.rb.ArrayHeader(u->selectors.size() - 1);
  for (size_t i = 1; i < u->selectors.size(); ++i) {
    ctx.rb.MapHeader(3);
    SelectorFields(ctx, u->selectors[i]);
  }
}

void CmdAclList(CommandContext& ctx) {
  std::vector<std::string> lines = ctx.server.acl().ListLines();
  ctx.rb.ArrayHeader(lines.size());
  for (const std::string& l : lines) ctx.rb.Bulk(l);
}

void CmdAclUsers(CommandContext& ctx) {
  const Acl::UserMap& users = ctx.server.acl().users();
  ctx.rb.ArrayHeader(users.size());
  for (const auto& [name, u] : users) ctx.rb.Bulk(name);
}

void CmdAclWhoAmI(CommandContext& ctx) { ctx.rb.Bulk(UserName(ctx.client)); }

void CmdAclSetUser(CommandContext& ctx) {
  std::string_view name = ctx.args[2];
  if (!ValidAclUserName(name)) {
    return ctx.rb.Error("ERR Usernames can't contain spaces or null characters");
  }
  std::vector<std::string_view> rules(ctx.args.begin() + 3, ctx.args.end());
  std::string err = ctx.server.acl().SetUser(name, rules);
  if (!err.empty()) return ctx.rb.Error(err);
  ctx.rb.Ok();
}

void CmdAclLoad(CommandContext& ctx) {
  const std::string& path = ctx.server.config().aclfile;
  if (path.empty()) return ctx.rb.Error(kNoAclFileError);
  std::string err = ctx.server.acl().LoadFromFile(path);
  if (!err.empty()) return ctx.rb.Error("ERR " + err);
  ctx.rb.Ok();
}

void CmdAclSave(CommandContext& ctx) {
  const std::string& path = ctx.server.config().aclfile;
  if (path.empty()) return ctx.rb.Error(kNoAclFileError);
  std::string err = ctx.server.acl().SaveToFile(path);
  if (!err.empty()) {
    LogWarning(err);
    return ctx.rb.Error(
        "ERR There was an error trying to save the ACLs. Please check the server logs for more "
        "information");
  }
  ctx.rb.Ok();
}

void CmdAclLog(CommandContext& ctx) {
  Acl& acl = ctx.server.acl();
  int64_t count = 10;
  if (ctx.argc() > 3) return SubcommandSyntaxError(ctx);
  if (ctx.argc() == 3) {
    if (ArgParser::EqualsIgnoreCase(ctx.args[2], "RESET")) {
      acl.ResetLog();
      return ctx.rb.Ok();
    }
    if (!ParseIntArg(ctx.rb, ctx.args[2], &count)) return;
    if (count < 0) count = 0;
  }
  size_t n = std::min(acl.log().size(), static_cast<size_t>(count));
  ctx.rb.ArrayHeader(n);
  for (size_t i = 0; i < n; ++i) {
    const Acl::LogEntry& e = acl.log()[i];
    ctx.rb.MapHeader(7);
    ctx.rb.Bulk("count");
    ctx.rb.Integer(static_cast<int64_t>(e.count));
    ctx.rb.Bulk("reason");
    ctx.rb.Bulk(AclDenialName(e.reason));
    ctx.rb.Bulk("context");
    ctx.rb.Bulk(e.context);
    ctx.rb.Bulk("object");
    ctx.rb.Bulk(e.object);
    ctx.rb.Bulk("username");
    ctx.rb.Bulk(e.username);
    ctx.rb.Bulk("age-seconds");
    ctx.rb.Double(static_cast<double>(ctx.now_ms - e.created_ms) / 1000.0);
    ctx.rb.Bulk("client-info");
    ctx.rb.Bulk(e.client_info);
  }
}

void CmdAclHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CAT [<category>]",
      "    The command categories, or the commands of <category>.",
      "DELUSER <username> [<username> ...]",
      "    Delete users and close their connections.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Tell whether <username> may run the command, without running it.",
      "GETUSER <username>",
      "    The flags, passwords and permissions of <username>.",
      "GENPASS [<bits>]",
      "    A random password of 256 bits, or of <bits> bits.",
      "LIST",
      "    Every user, as ACL file lines.",
      "LOAD",
      "    Replace the users with the ones of the ACL file.",
      "LOG [<count> | RESET]",
      "    The latest refused commands and logins, or clear them.",
      "SAVE",
      "    Write the users to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create <username> or change its attributes.",
      "USERS",
      "    The names of all users.",
      "WHOAMI",
      "    The user of this connection.",
      "HELP",
      "    This text.",
  };
  ctx.rb.ArrayHeader(std::size(kLines));
  for (auto l : kLines) ctx.rb.SimpleString(l);
}

}  // namespace

void RegisterAclCommands(CommandTable& t) {
  t.Bind("ACL|CAT", CmdAclCat);
  t.Bind("ACL|DELUSER", CmdAclDelUser);
  t.Bind("ACL|DRYRUN", CmdAclDryRun);
  t.Bind("ACL|GENPASS", CmdAclGenPass);
  t.Bind("ACL|GETUSER", CmdAclGetUser);
  t.Bind("ACL|HELP", CmdAclHelp);
  t.Bind("ACL|LIST", CmdAclList);
  t.Bind("ACL|LOAD", CmdAclLoad);
  t.Bind("ACL|LOG", CmdAclLog);
  t.Bind("ACL|SAVE", CmdAclSave);
  t.Bind("ACL|SETUSER", CmdAclSetUser);
  t.Bind("ACL|USERS", CmdAclUsers);
  t.Bind("ACL|WHOAMI", CmdAclWhoAmI);
}

}  // namespace duet
