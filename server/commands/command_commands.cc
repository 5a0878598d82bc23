// COMMAND and its subcommands, answered from the JSON specs. The reply
// shapes are Redis 7.0's exactly: redis-cli builds its hints from COMMAND DOCS.

#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/commands/sort_command.h"
#include "server/server.h"
#include "utils/glob.h"

namespace duet {
namespace {

void ReplyStatusSet(ReplyBuilder& rb, const std::vector<std::string_view>& items) {
  rb.SetHeader(items.size());
  for (auto s : items) rb.SimpleString(s);
}

void ReplyKeySpec(ReplyBuilder& rb, const KeySpec& ks) {
  rb.MapHeader(ks.notes.empty() ? 3 : 4);
  if (!ks.notes.empty()) {
    rb.Bulk("notes");
    rb.Bulk(ks.notes);
  }
  rb.Bulk("flags");
  ReplyStatusSet(rb, KeySpecFlagNames(ks.flags));
  rb.Bulk("begin_search");
  rb.MapHeader(2);
  rb.Bulk("type");
  switch (ks.begin) {
    case KeySpec::Begin::kIndex:
      rb.Bulk("index");
      rb.Bulk("spec");
      rb.MapHeader(1);
      rb.Bulk("index");
      rb.Integer(ks.index.pos);
      break;
    case KeySpec::Begin::kKeyword:
      rb.Bulk("keyword");
      rb.Bulk("spec");
      rb.MapHeader(2);
      rb.Bulk("keyword");
      rb.Bulk(ks.keyword.keyword);
      rb.Bulk("startfrom");
      rb.Integer(ks.keyword.startfrom);
      break;
    case KeySpec::Begin::kUnknown:
      rb.Bulk("unknown");
      rb.Bulk("spec");
      rb.MapHeader(0);
      break;
  }
  rb.Bulk("find_keys");
  rb.MapHeader(2);
  rb.Bulk("type");
  switch (ks.find) {
    case KeySpec::Find::kRange:
      rb.Bulk("range");
      rb.Bulk("spec");
      rb.MapHeader(3);
      rb.Bulk("lastkey");
      rb.Integer(ks.range.lastkey);
      rb.Bulk("keystep");
      rb.Integer(ks.range.step);
      rb.Bulk("limit");
      rb.Integer(ks.range.limit);
      break;
    case KeySpec::Find::kKeynum:
      rb.Bulk("keynum");
      rb.Bulk("spec");
      rb.MapHeader(3);
      rb.Bulk("keynumidx");
      rb.Integer(ks.keynum.keynumidx);
      rb.Bulk("firstkey");
      rb.Integer(ks.keynum.firstkey);
      rb.Bulk("keystep");
      rb.Integer(ks.keynum.step);
      break;
    case KeySpec::Find::kUnknown:
      rb.Bulk("unknown");
      rb.Bulk("spec");
      rb.MapHeader(0);
      break;
  }
}

void ReplyCommandInfo(ReplyBuilder& rb, const Command& cmd) {
  const CommandSpec& spec = *cmd.spec;
  rb.ArrayHeader(10);
  rb.Bulk(cmd.full_name);
  rb.Integer(cmd.arity);
  ReplyStatusSet(rb, FlagNames(spec.flags));
  rb.Integer(spec.legacy_range.first);
  rb.Integer(spec.legacy_range.last);
  rb.Integer(spec.legacy_range.step);
  std::vector<std::string> cats = EffectiveAclCategories(spec);
  rb.SetHeader(cats.size());
  for (const auto& c : cats) rb.SimpleString(c);
  rb.SetHeader(spec.tips.size());
  for (const auto& t : spec.tips) rb.Bulk(t);
  rb.ArrayHeader(spec.key_specs.size());
  for (const auto& ks : spec.key_specs) ReplyKeySpec(rb, ks);
  rb.ArrayHeader(cmd.subcommands.size());
  for (const auto& [name, sub] : cmd.subcommands) ReplyCommandInfo(rb, *sub);
}

void ReplyArgs(ReplyBuilder& rb, const std::vector<ArgSpec>& args) {
  rb.ArrayHeader(args.size());
  for (const ArgSpec& a : args) {
    bool nested = a.type == ArgType::kOneOf || a.type == ArgType::kBlock;
    std::vector<std::string_view> flags;
    if (a.optional) flags.push_back("optional");
    if (a.multiple) flags.push_back("multiple");
    if (a.multiple_token) flags.push_back("multiple_token");
    size_t n = 2 + (a.key_spec_index >= 0) + a.has_token + !a.summary.empty() + !a.since.empty() +
               !a.deprecated_since.empty() + !flags.empty() + nested;
    rb.MapHeader(n);
    rb.Bulk("name");
    rb.Bulk(a.name);
    rb.Bulk("type");
    rb.Bulk(ArgTypeName(a.type));
    if (a.key_spec_index >= 0) {
      rb.Bulk("key_spec_index");
      rb.Integer(a.key_spec_index);
    }
    if (a.has_token) {
      rb.Bulk("token");
      rb.Bulk(a.token);
    }
    if (!a.summary.empty()) {
      rb.Bulk("summary");
      rb.Bulk(a.summary);
    }
    if (!a.since.empty()) {
      rb.Bulk("since");
      rb.Bulk(a.since);
    }
    if (!a.deprecated_since.empty()) {
      rb.Bulk("deprecated_since");
      rb.Bulk(a.deprecated_since);
    }
    if (!flags.empty()) {
      rb.Bulk("flags");
      ReplyStatusSet(rb, flags);
    }
    if (nested) {
      rb.Bulk("arguments");
      ReplyArgs(rb, a.args);
    }
  }
}

void ReplyCommandDocs(ReplyBuilder& rb, const Command& cmd) {
  const CommandSpec& spec = *cmd.spec;
  size_t n = 1 + !spec.summary.empty() + !spec.since.empty() + !spec.complexity.empty() +
             (spec.doc_flags != 0) + !spec.deprecated_since.empty() + !spec.replaced_by.empty() +
             !spec.history.empty() + !spec.args.empty() + !cmd.subcommands.empty();
  rb.MapHeader(n);
  if (!spec.summary.empty()) {
    rb.Bulk("summary");
    rb.Bulk(spec.summary);
  }
  if (!spec.since.empty()) {
    rb.Bulk("since");
    rb.Bulk(spec.since);
  }
  rb.Bulk("group");
  rb.Bulk(spec.group);
  if (!spec.complexity.empty()) {
    rb.Bulk("complexity");
    rb.Bulk(spec.complexity);
  }
  if (spec.doc_flags != 0) {
    rb.Bulk("doc_flags");
    ReplyStatusSet(rb, DocFlagNames(spec.doc_flags));
  }
  if (!spec.deprecated_since.empty()) {
    rb.Bulk("deprecated_since");
    rb.Bulk(spec.deprecated_since);
  }
  if (!spec.replaced_by.empty()) {
    rb.Bulk("replaced_by");
    rb.Bulk(spec.replaced_by);
  }
  if (!spec.history.empty()) {
    rb.Bulk("history");
    rb.ArrayHeader(spec.history.size());
    for (const auto& [version, what] : spec.history) {
      rb.ArrayHeader(2);
      rb.Bulk(version);
      rb.Bulk(what);
    }
  }
  if (!spec.args.empty()) {
    rb.Bulk("arguments");
    ReplyArgs(rb, spec.args);
  }
  if (!cmd.subcommands.empty()) {
    rb.Bulk("subcommands");
    rb.MapHeader(cmd.subcommands.size());
    for (const auto& [name, sub] : cmd.subcommands) {
      rb.Bulk(sub->full_name);
      ReplyCommandDocs(rb, *sub);
    }
  }
}

// Finds "get" or "config|get" (COMMAND INFO/DOCS accept both forms).
const Command* FindByFullName(CommandTable& t, std::string_view name) {
  size_t bar = name.find('|');
  const Command* base = t.Find(name.substr(0, bar));
  if (base == nullptr || bar == std::string_view::npos) return base;
  std::string lower;
  auto it = base->subcommands.find(ToLowerInto(name.substr(bar + 1), lower));
  return it == base->subcommands.end() ? nullptr : it->second;
}

void CmdCommand(CommandContext& ctx) {
  const auto& cmds = ctx.server.commands().top_level();
  ctx.rb.ArrayHeader(cmds.size());
  for (const Command* c : cmds) ReplyCommandInfo(ctx.rb, *c);
}

void CmdCommandCount(CommandContext& ctx) {
  ctx.rb.Integer(static_cast<int64_t>(ctx.server.commands().size()));
}

void CmdCommandInfo(CommandContext& ctx) {
  if (ctx.argc() == 2) return CmdCommand(ctx);
  ctx.rb.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const Command* c = FindByFullName(ctx.server.commands(), ctx.args[i]);
    if (c == nullptr) {
      ctx.rb.Null();
    } else {
      ReplyCommandInfo(ctx.rb, *c);
    }
  }
}

void CmdCommandDocs(CommandContext& ctx) {
  std::vector<const Command*> found;
  if (ctx.argc() == 2) {
    for (const Command* c : ctx.server.commands().top_level()) found.push_back(c);
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      const Command* c = FindByFullName(ctx.server.commands(), ctx.args[i]);
      if (c != nullptr) found.push_back(c);
    }
  }
  ctx.rb.MapHeader(found.size());
  for (const Command* c : found) {
    ctx.rb.Bulk(c->full_name);
    ReplyCommandDocs(ctx.rb, *c);
  }
}

void CmdCommandList(CommandContext& ctx) {
  enum { kAll, kModule, kAclCat, kPattern } filter = kAll;
  std::string_view value;
  if (ctx.argc() == 5 && ArgParser::EqualsIgnoreCase(ctx.args[2], "FILTERBY")) {
    value = ctx.args[4];
    if (ArgParser::EqualsIgnoreCase(ctx.args[3], "MODULE")) {
      filter = kModule;
    } else if (ArgParser::EqualsIgnoreCase(ctx.args[3], "ACLCAT")) {
      filter = kAclCat;
    } else if (ArgParser::EqualsIgnoreCase(ctx.args[3], "PATTERN")) {
      filter = kPattern;
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  } else if (ctx.argc() != 2) {
    return ctx.rb.Error(errors::kSyntax);
  }
  uint32_t cat = filter == kAclCat ? AclCategoryFromName(value) : 0;
  std::vector<std::string_view> names;
  auto consider = [&](const Command& c) {
    bool keep = true;
    if (filter == kModule) keep = false;  // Duet has no modules
    if (filter == kAclCat) keep = cat != 0 && (EffectiveAclCategoryBits(*c.spec) & cat) != 0;
    if (filter == kPattern) keep = GlobMatch(value, c.full_name, /*nocase=*/true);
    if (keep) names.push_back(c.full_name);
  };
  for (const Command* c : ctx.server.commands().top_level()) {
    consider(*c);
    for (const auto& [n, sub] : c->subcommands) consider(*sub);
  }
  ctx.rb.ArrayHeader(names.size());
  for (auto n : names) ctx.rb.Bulk(n);
}

void GetKeysImpl(CommandContext& ctx, bool with_flags) {
  std::vector<std::string_view> sub(ctx.args.begin() + 2, ctx.args.end());
  bool unknown_sub = false;
  const Command* c = ctx.server.commands().Lookup(sub, &unknown_sub);
  if (c == nullptr) return ctx.rb.Error("ERR Invalid command specified");
  if (!HasKeyArguments(*c->spec)) return ctx.rb.Error("ERR The command has no key arguments");
  if (!c->ArityOk(sub.size())) {
    return ctx.rb.Error("ERR Invalid number of arguments specified for command");
  }
  std::vector<KeyRef> keys;
  if (c->name == "sort" || c->name == "sort_ro") {
    SortGetKeys(sub, c->name == "sort_ro", &keys);
  } else if (!GetKeysFromArgs(*c->spec, sub, &keys)) {
    if (c->spec->Has(kCmdNoMandatoryKeys)) return ctx.rb.ArrayHeader(0);
    return ctx.rb.Error("ERR Invalid arguments specified for command");
  }
  ctx.rb.ArrayHeader(keys.size());
  for (const KeyRef& k : keys) {
    if (!with_flags) {
      ctx.rb.Bulk(sub[static_cast<size_t>(k.pos)]);
    } else {
      ctx.rb.ArrayHeader(2);
      ctx.rb.Bulk(sub[static_cast<size_t>(k.pos)]);
      ReplyStatusSet(ctx.rb, KeySpecFlagNames(k.flags));
    }
  }
}
void CmdCommandGetKeys(CommandContext& ctx) { GetKeysImpl(ctx, false); }
void CmdCommandGetKeysAndFlags(CommandContext& ctx) { GetKeysImpl(ctx, true); }

void CmdCommandHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Details of every command.",
      "COUNT",
      "    How many commands there are.",
      "DOCS [<command-name> ...]",
      "    Documentation of the given commands, or of all of them.",
      "GETKEYS <full-command>",
      "    The key names in a full command line.",
      "GETKEYSANDFLAGS <full-command>",
      "    The key names in a full command line, with their access flags.",
      "INFO [<command-name> ...]",
      "    Details of the given commands, or of all of them.",
      "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
      "    The names of all commands, optionally filtered.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterCommandCommands(CommandTable& t) {
  t.Bind("COMMAND", CmdCommand);
  t.Bind("COMMAND|COUNT", CmdCommandCount);
  t.Bind("COMMAND|INFO", CmdCommandInfo);
  t.Bind("COMMAND|DOCS", CmdCommandDocs);
  t.Bind("COMMAND|LIST", CmdCommandList);
  t.Bind("COMMAND|GETKEYS", CmdCommandGetKeys);
  t.Bind("COMMAND|GETKEYSANDFLAGS", CmdCommandGetKeysAndFlags);
  t.Bind("COMMAND|HELP", CmdCommandHelp);
}

}  // namespace duet
