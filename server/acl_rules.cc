#include "server/acl_rules.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "server/command_table.h"
#include "server/commands/command_spec.h"
#include "server/commands/sort_command.h"
#include "utils/ascii.h"
#include "utils/glob.h"

namespace duet {
namespace {

bool IsPasswordHash(std::string_view h) {
  if (h.size() != 64) return false;
  for (char c : h) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

uint32_t CategoriesOf(const Command& cmd) {
  return cmd.spec != nullptr ? EffectiveAclCategoryBits(*cmd.spec) : 0;
}

// Looks up "get" or "config|get" (case-insensitive). Null if unknown, or if
// the name has a '|' and the part before it has no such subcommand.
const Command* LookupRuleCommand(const CommandTable& t, std::string_view name) {
  size_t bar = name.find('|');
  const Command* base = t.Find(name.substr(0, bar));
  if (base == nullptr || bar == std::string_view::npos) return base;
  if (base->subcommands.empty()) return nullptr;
  std::string lower;
  auto it = base->subcommands.find(ToLowerInto(name.substr(bar + 1), lower));
  return it == base->subcommands.end() ? nullptr : it->second;
}

void ResetFirstArgs(AclSelector& s, uint32_t id) {
  std::erase_if(s.first_args, [id](const auto& p) { return p.first == id; });
}

// Allows or forbids a command and, for a container, all its subcommands.
void ChangeCommand(AclSelector& s, const Command& cmd, bool allow) {
  s.commands.set(cmd.id, allow);
  ResetFirstArgs(s, cmd.id);
  for (const auto& [name, sub] : cmd.subcommands) s.commands.set(sub->id, allow);
}

void ChangeCategory(std::bitset<kAclCommandBits>& bits, const CommandTable& t, uint32_t category,
                    bool allow) {
  for (const auto& cmd : t.all()) {
    if (!(CategoriesOf(*cmd) & category)) continue;
    bits.set(cmd->id, allow);
    for (const auto& [name, sub] : cmd->subcommands) bits.set(sub->id, allow);
  }
}

void ChangeCategory(AclSelector& s, const CommandTable& t, uint32_t category, bool allow) {
  ChangeCategory(s.commands, t, category, allow);
  for (const auto& cmd : t.all()) {
    if (CategoriesOf(*cmd) & category) ResetFirstArgs(s, cmd->id);
  }
}

AclError AllowCommandRule(AclSelector& s, std::string_view name, const AclRuleContext& ctx) {
  if (ctx.commands == nullptr) return AclError::kUnknownCommand;
  const CommandTable& t = *ctx.commands;
  size_t bar = name.rfind('|');
  if (bar == std::string_view::npos) {
    const Command* cmd = t.Find(name);
    if (cmd == nullptr) return AclError::kUnknownCommand;
    ChangeCommand(s, *cmd, true);
    return AclError::kOk;
  }
  std::string_view base_name = name.substr(0, bar);
  std::string_view arg = name.substr(bar + 1);
  const Command* base = LookupRuleCommand(t, base_name);
  if (base == nullptr) return AclError::kUnknownCommand;
  if (base->parent != nullptr) return AclError::kFirstArgOfSubcommand;
  if (arg.empty()) return AclError::kSyntax;
  if (!base->subcommands.empty()) {
    const Command* sub = LookupRuleCommand(t, name);
    if (sub == nullptr) return AclError::kUnknownCommand;
    ChangeCommand(s, *sub, true);
    return AclError::kOk;
  }
  // A first argument of a command without subcommands ("+select|0").
  auto it = std::find_if(s.first_args.begin(), s.first_args.end(),
                         [&](const auto& p) { return p.first == base->id; });
  if (it == s.first_args.end()) {
    s.first_args.emplace_back(base->id, std::vector<std::string>{});
    it = s.first_args.end() - 1;
  }
  for (const std::string& a : it->second) {
    if (EqualsIgnoreCase(a, arg)) return AclError::kOk;
  }
  it->second.emplace_back(arg);
  return AclError::kOk;
}

AclError KeyPatternRule(AclSelector& s, std::string_view op) {
  if (s.all_keys) return AclError::kKeyAfterAll;
  uint8_t perms = 0;
  size_t offset = 1;
  if (op[0] == '%') {
    for (; offset < op.size(); ++offset) {
      char c = static_cast<char>(std::toupper(static_cast<unsigned char>(op[offset])));
      if (c == 'R' && !(perms & kAclKeyRead)) {
        perms |= kAclKeyRead;
      } else if (c == 'W' && !(perms & kAclKeyWrite)) {
        perms |= kAclKeyWrite;
      } else if (op[offset] == '~') {
        ++offset;
        break;
      } else {
        return AclError::kSyntax;
      }
    }
  } else {
    perms = kAclKeyReadWrite;
  }
  std::string_view pattern = op.substr(std::min(offset, op.size()));
  if (pattern == "*" && perms == kAclKeyReadWrite) {
    s.all_keys = true;
    s.keys.clear();
    return AclError::kOk;
  }
  for (AclKeyPattern& k : s.keys) {
    if (k.pattern == pattern) {
      k.perms |= perms;
      return AclError::kOk;
    }
  }
  s.keys.push_back(AclKeyPattern{std::string(pattern), perms});
  return AclError::kOk;
}

AclError ChannelPatternRule(AclSelector& s, std::string_view op) {
  if (s.all_channels) return AclError::kChannelAfterAll;
  std::string_view pattern = op.substr(1);
  if (pattern == "*") {
    s.all_channels = true;
    s.channels.clear();
    return AclError::kOk;
  }
  if (std::find(s.channels.begin(), s.channels.end(), pattern) == s.channels.end()) {
    s.channels.emplace_back(pattern);
  }
  return AclError::kOk;
}

AclSelector NewSelector(const AclRuleContext& ctx) {
  AclSelector s;
  s.all_channels = ctx.pubsub_default_all;
  return s;
}

std::string PatternText(const AclKeyPattern& k) {
  switch (k.perms) {
    case kAclKeyReadWrite:
      return "~" + k.pattern;
    case kAclKeyRead:
      return "%R~" + k.pattern;
    case kAclKeyWrite:
      return "%W~" + k.pattern;
    default:
      return "%~" + k.pattern;
  }
}

void AppendSelectorDescription(const AclSelector& s, const CommandTable& t, std::string& out) {
  if (s.all_keys) {
    out += "~* ";
  } else {
    for (const AclKeyPattern& k : s.keys) out += PatternText(k) + " ";
  }
  if (s.all_channels) {
    out += "&* ";
  } else {
    out += "resetchannels ";
    for (const std::string& c : s.channels) out += "&" + c + " ";
  }
  out += DescribeCommandRules(s, t);
}

void SplitOnSpaces(std::string_view text, std::vector<std::string_view>* out) {
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) out->push_back(text.substr(i, j - i));
    i = j + 1;
  }
}

const std::vector<std::string>* FirstArgsOf(const AclSelector& s, uint32_t id) {
  for (const auto& [cmd_id, args] : s.first_args) {
    if (cmd_id == id) return &args;
  }
  return nullptr;
}

// The channels a command names, with whether they are patterns (PSUBSCRIBE).
// Only commands that publish or subscribe are checked, as in Redis.
bool ChannelArgs(const Command& cmd, size_t argc, size_t* first, size_t* last, bool* pattern) {
  const std::string& n = cmd.full_name;
  *pattern = false;
  if (n == "publish" || n == "spublish") {
    *first = *last = 1;
  } else if (n == "subscribe" || n == "ssubscribe") {
    *first = 1;
    *last = argc - 1;
  } else if (n == "psubscribe") {
    *first = 1;
    *last = argc - 1;
    *pattern = true;
  } else {
    return false;
  }
  return argc > 1;
}

bool KeyAllowed(const AclSelector& s, std::string_view key, uint32_t spec_flags) {
  uint8_t need = 0;
  if (spec_flags & kKeyAccess) need |= kAclKeyRead;
  if (spec_flags & (kKeyInsert | kKeyDelete | kKeyUpdate)) need |= kAclKeyWrite;
  for (const AclKeyPattern& k : s.keys) {
    if ((k.perms & need) != need) continue;
    if (GlobMatch(k.pattern, key, /*nocase=*/false)) return true;
  }
  return false;
}

bool ChannelAllowed(const AclSelector& s, std::string_view channel, bool is_pattern) {
  for (const std::string& c : s.channels) {
    // A subscription pattern must appear literally in the list.
    if (is_pattern ? c == channel : GlobMatch(c, channel, /*nocase=*/false)) return true;
  }
  return false;
}

bool ArgIs(std::string_view arg, std::string_view word) { return EqualsIgnoreCase(arg, word); }

// The keys of a command line with the flags of this call. The key specs
// suffice except where Redis asks the command itself: flags that depend on
// the options (SET ... GET, BITFIELD with only GETs) and keys the specs
// cannot find (SORT ... STORE).
void KeysForAcl(const Command& cmd, std::span<const std::string_view> args,
                std::vector<KeyRef>* keys) {
  const std::string& n = cmd.full_name;
  keys->clear();
  if (n == "sort" || n == "sort_ro") {
    if (args.size() >= 2) SortGetKeys(args, n == "sort_ro", keys);
    return;
  }
  GetKeysOptions options;
  options.partial = true;
  GetKeysFromArgs(*cmd.spec, args, keys, options);
  if (keys->empty()) return;
  if (n == "set") {
    bool get = false;
    for (size_t i = 3; i < args.size(); ++i) get = get || ArgIs(args[i], "get");
    (*keys)[0].flags = get ? (kKeyRW | kKeyAccess | kKeyUpdate) : (kKeyOW | kKeyUpdate);
  } else if (n == "bitfield") {
    bool read_only = true;
    for (size_t i = 2; i < args.size() && read_only; ++i) {
      size_t more = args.size() - i - 1;
      if (ArgIs(args[i], "get") && more >= 2) {
        i += 2;
      } else if (ArgIs(args[i], "overflow") && more >= 1) {
        i += 1;
      } else {
        read_only = false;  // SET, INCRBY, or a syntax error: assume a write
      }
    }
    (*keys)[0].flags = read_only ? (kKeyRO | kKeyAccess) : (kKeyRW | kKeyAccess | kKeyUpdate);
  }
}

AclDenial CheckSelector(const AclSelector& s, const Command& cmd,
                        std::span<const std::string_view> args, std::vector<KeyRef>& keys,
                        bool& keys_ready, int* arg_index) {
  // Commands that run before authentication (AUTH, HELLO...) are always allowed.
  if (!cmd.has(kCmdNoAuth) && !s.commands.test(cmd.id)) {
    const std::vector<std::string>* allowed = FirstArgsOf(s, cmd.id);
    if (allowed == nullptr || args.size() < 2) return AclDenial::kCommand;
    bool found = false;
    for (const std::string& a : *allowed) found = found || EqualsIgnoreCase(a, args[1]);
    if (!found) return AclDenial::kCommand;
  }
  if (!s.all_keys && cmd.spec != nullptr && HasKeyArguments(*cmd.spec)) {
    if (!keys_ready) {
      KeysForAcl(cmd, args, &keys);
      keys_ready = true;
    }
    for (const KeyRef& k : keys) {
      if (k.flags & kKeyNotKey) continue;
      if (!KeyAllowed(s, args[static_cast<size_t>(k.pos)], k.flags)) {
        *arg_index = k.pos;
        return AclDenial::kKey;
      }
    }
  }
  size_t first, last;
  bool pattern;
  if (!s.all_channels && ChannelArgs(cmd, args.size(), &first, &last, &pattern)) {
    for (size_t i = first; i <= last && i < args.size(); ++i) {
      if (!ChannelAllowed(s, args[i], pattern)) {
        *arg_index = static_cast<int>(i);
        return AclDenial::kChannel;
      }
    }
  }
  return AclDenial::kOk;
}

}  // namespace

void AclUser::RefreshDerived() {
  const AclSelector& root = selectors.front();
  unrestricted = root.all_keys && root.all_channels && root.commands.all();
}

std::string_view AclErrorText(AclError e) {
  switch (e) {
    case AclError::kOk:
      return "";
    case AclError::kSyntax:
      return "Syntax error";
    case AclError::kUnknownCommand:
      return "Unknown command or category name in ACL";
    case AclError::kKeyAfterAll:
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
             "not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case AclError::kChannelAfterAll:
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
             "does not have any effect. Try 'resetchannels' to start with an empty list of "
             "channels";
    case AclError::kNoSuchPassword:
      return "The password you are trying to remove from the user does not exist";
    case AclError::kBadHash:
      return "The password hash must be exactly 64 characters and contain only lowercase "
             "hexadecimal characters";
    case AclError::kFirstArgOfSubcommand:
      return "Allowing first-arg of a subcommand is not supported";
  }
  return "Unknown error";
}

AclUser NewAclUser(std::string_view name, const AclRuleContext& ctx) {
  AclUser u;
  u.name.assign(name);
  u.selectors.push_back(NewSelector(ctx));
  u.RefreshDerived();
  return u;
}

AclUser NewDefaultUser(const AclRuleContext& ctx) {
  AclUser u = NewAclUser("default", ctx);
  for (std::string_view op : {"+@all", "~*", "&*", "on", "nopass"}) ApplyUserRule(u, op, ctx);
  return u;
}

AclError ApplySelectorRule(AclSelector& s, std::string_view op, const AclRuleContext& ctx) {
  if (op.empty()) return AclError::kSyntax;
  if (EqualsIgnoreCase(op, "allkeys") || op == "~*") {
    s.all_keys = true;
    s.keys.clear();
  } else if (EqualsIgnoreCase(op, "resetkeys")) {
    s.all_keys = false;
    s.keys.clear();
  } else if (EqualsIgnoreCase(op, "allchannels") || op == "&*") {
    s.all_channels = true;
    s.channels.clear();
  } else if (EqualsIgnoreCase(op, "resetchannels")) {
    s.all_channels = false;
    s.channels.clear();
  } else if (EqualsIgnoreCase(op, "allcommands") || EqualsIgnoreCase(op, "+@all")) {
    s.commands.set();
    s.first_args.clear();
  } else if (EqualsIgnoreCase(op, "nocommands") || EqualsIgnoreCase(op, "-@all")) {
    s.commands.reset();
    s.first_args.clear();
  } else if (op[0] == '~' || op[0] == '%') {
    return KeyPatternRule(s, op);
  } else if (op[0] == '&') {
    return ChannelPatternRule(s, op);
  } else if ((op[0] == '+' || op[0] == '-') && op.size() > 1 && op[1] == '@') {
    uint32_t category = AclCategoryFromName(op.substr(2));
    if (category == 0) return AclError::kUnknownCommand;
    if (ctx.commands != nullptr) ChangeCategory(s, *ctx.commands, category, op[0] == '+');
  } else if (op[0] == '+') {
    return AllowCommandRule(s, op.substr(1), ctx);
  } else if (op[0] == '-') {
    if (ctx.commands == nullptr) return AclError::kUnknownCommand;
    const Command* cmd = LookupRuleCommand(*ctx.commands, op.substr(1));
    if (cmd == nullptr) return AclError::kUnknownCommand;
    // Like Redis, this keeps +@all's promise about commands added later.
    ChangeCommand(s, *cmd, false);
  } else {
    return AclError::kSyntax;
  }
  return AclError::kOk;
}

AclError ApplyUserRule(AclUser& u, std::string_view op, const AclRuleContext& ctx) {
  AclError err = AclError::kOk;
  if (op.empty()) return AclError::kSyntax;
  if (EqualsIgnoreCase(op, "on")) {
    u.enabled = true;
  } else if (EqualsIgnoreCase(op, "off")) {
    u.enabled = false;
  } else if (EqualsIgnoreCase(op, "skip-sanitize-payload")) {
    u.sanitize = AclSanitize::kSkip;
  } else if (EqualsIgnoreCase(op, "sanitize-payload")) {
    u.sanitize = AclSanitize::kSanitize;
  } else if (EqualsIgnoreCase(op, "nopass")) {
    u.nopass = true;
    u.passwords.clear();
  } else if (EqualsIgnoreCase(op, "resetpass")) {
    u.nopass = false;
    u.passwords.clear();
  } else if (op[0] == '>' || op[0] == '#') {
    std::string hash;
    if (op[0] == '>') {
      hash = HashAclPassword(op.substr(1));
    } else {
      if (!IsPasswordHash(op.substr(1))) return AclError::kBadHash;
      hash.assign(op.substr(1));
    }
    if (std::find(u.passwords.begin(), u.passwords.end(), hash) == u.passwords.end()) {
      u.passwords.push_back(std::move(hash));
    }
    u.nopass = false;
  } else if (op[0] == '<' || op[0] == '!') {
    std::string hash;
    if (op[0] == '<') {
      hash = HashAclPassword(op.substr(1));
    } else {
      if (!IsPasswordHash(op.substr(1))) return AclError::kBadHash;
      hash.assign(op.substr(1));
    }
    auto it = std::find(u.passwords.begin(), u.passwords.end(), hash);
    if (it == u.passwords.end()) return AclError::kNoSuchPassword;
    u.passwords.erase(it);
  } else if (op.size() >= 2 && op.front() == '(' && op.back() == ')') {
    AclSelector s = NewSelector(ctx);
    std::vector<std::string_view> parts;
    SplitOnSpaces(op.substr(1, op.size() - 2), &parts);
    for (std::string_view part : parts) {
      err = ApplySelectorRule(s, part, ctx);
      if (err != AclError::kOk) return err;
    }
    u.selectors.push_back(std::move(s));
  } else if (EqualsIgnoreCase(op, "clearselectors")) {
    u.selectors.resize(1);
  } else if (EqualsIgnoreCase(op, "reset")) {
    for (std::string_view step : {"resetpass", "resetkeys", "resetchannels"}) {
      ApplyUserRule(u, step, ctx);
    }
    if (ctx.pubsub_default_all) ApplyUserRule(u, "allchannels", ctx);
    for (std::string_view step : {"off", "sanitize-payload", "clearselectors", "-@all"}) {
      ApplyUserRule(u, step, ctx);
    }
  } else {
    err = ApplySelectorRule(u.selectors.front(), op, ctx);
  }
  u.RefreshDerived();
  return err;
}

bool MergeSelectorArgs(std::span<const std::string_view> args, std::vector<std::string>* out,
                       size_t* open_index) {
  out->clear();
  std::string pending;
  bool open = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view op = args[i];
    if (!open && !op.empty() && op.front() == '(' && op.back() != ')') {
      pending.assign(op);
      open = true;
      *open_index = i;
      continue;
    }
    if (open) {
      pending += ' ';
      pending += op;
      if (!op.empty() && op.back() == ')') {
        out->push_back(std::move(pending));
        pending.clear();
        open = false;
      }
      continue;
    }
    out->emplace_back(op);
  }
  return !open;
}

bool ValidAclUserName(std::string_view name) {
  return name.find_first_of(std::string_view(" \0", 2)) == std::string_view::npos;
}

bool AddUserDirective(const std::vector<std::string>& args,
                      std::vector<std::vector<std::string>>* users, std::string* err) {
  auto fail = [&](size_t index, std::string_view reason) {
    // Redis quotes the argument at the rule's index counted from the start
    // of the line, not from the first rule.
    *err = "Error in user declaration '" + args[std::min(index, args.size() - 1)] +
           "': " + std::string(reason);
    return false;
  };
  for (const auto& existing : *users) {
    if (existing.front() == args[1]) {
      return fail(1, "Duplicate user found. A user can only be defined once in config files");
    }
  }
  std::vector<std::string_view> rules(args.begin() + 2, args.end());
  std::vector<std::string> merged;
  size_t open_index = 0;
  if (!MergeSelectorArgs(rules, &merged, &open_index)) {
    return fail(open_index, AclErrorText(AclError::kUnknownCommand));
  }
  AclRuleContext ctx;  // commands unknown: command names are checked at start-up
  AclUser fake = NewAclUser(args[1], ctx);
  for (size_t j = 0; j < merged.size(); ++j) {
    AclError e = ApplyUserRule(fake, merged[j], ctx);
    if (e != AclError::kOk && e != AclError::kUnknownCommand) return fail(j, AclErrorText(e));
  }
  std::vector<std::string> entry;
  entry.push_back(args[1]);
  for (std::string& m : merged) entry.push_back(std::move(m));
  users->push_back(std::move(entry));
  return true;
}

std::string DescribeCommandRules(const AclSelector& s, const CommandTable& t) {
  std::string out;
  std::bitset<kAclCommandBits> fake;
  const bool additive = !s.commands.test(kAclFutureCommandsBit);
  if (additive) {
    out = "-@all ";
  } else {
    out = "+@all ";
    fake.set();
  }
  // Pick the category that fits the remaining commands best, apply it to the
  // description, and remove it from what is left to describe.
  std::bitset<kAclCommandBits> left = s.commands;
  for (;;) {
    int best = -1;
    size_t min_diff = SIZE_MAX, max_same = 0;
    for (int c = 0; c < kAclCategoryCount; ++c) {
      uint32_t category = 1u << c;
      size_t on = 0, off = 0;
      for (const auto& cmd : t.all()) {
        if (!(CategoriesOf(*cmd) & category)) continue;
        if (left.test(cmd->id)) {
          ++on;
        } else {
          ++off;
        }
      }
      size_t diff = additive ? off : on;
      size_t same = additive ? on : off;
      if (same > diff && (diff < min_diff || (diff == min_diff && same > max_same))) {
        best = c;
        min_diff = diff;
        max_same = same;
      }
    }
    if (best < 0) break;
    uint32_t category = 1u << best;
    ChangeCategory(fake, t, category, additive);
    ChangeCategory(left, t, category, !additive);
    out += additive ? "+@" : "-@";
    out += AclCategoryName(category);
    out += ' ';
  }
  // Single commands where the categories did not fit exactly. Containers come
  // before their subcommands in all(), and a container rule covers them.
  for (const auto& cmd : t.all()) {
    bool user_bit = s.commands.test(cmd->id);
    if (user_bit != fake.test(cmd->id)) {
      out += user_bit ? '+' : '-';
      out += cmd->full_name;
      out += ' ';
      fake.set(cmd->id, user_bit);
      for (const auto& [name, sub] : cmd->subcommands) fake.set(sub->id, user_bit);
    }
    if (!user_bit) {
      if (const std::vector<std::string>* args = FirstArgsOf(s, cmd->id)) {
        for (const std::string& a : *args) out += "+" + cmd->full_name + "|" + a + " ";
      }
    }
  }
  out.pop_back();
  return out;
}

std::string DescribeKeys(const AclSelector& s) {
  if (s.all_keys) return "~*";
  std::string out;
  for (const AclKeyPattern& k : s.keys) {
    if (!out.empty()) out += ' ';
    out += PatternText(k);
  }
  return out;
}

std::string DescribeChannels(const AclSelector& s) {
  if (s.all_channels) return "&*";
  std::string out;
  for (const std::string& c : s.channels) {
    if (!out.empty()) out += ' ';
    out += "&" + c;
  }
  return out;
}

std::vector<std::string_view> AclUserFlagNames(const AclUser& u) {
  std::vector<std::string_view> out;
  out.push_back(u.enabled ? "on" : "off");
  if (u.nopass) out.push_back("nopass");
  if (u.sanitize == AclSanitize::kSkip) out.push_back("skip-sanitize-payload");
  if (u.sanitize == AclSanitize::kSanitize) out.push_back("sanitize-payload");
  return out;
}

std::string DescribeAclUser(const AclUser& u, const CommandTable& t) {
  std::string out;
  for (std::string_view f : AclUserFlagNames(u)) {
    out += f;
    out += ' ';
  }
  for (const std::string& p : u.passwords) out += "#" + p + " ";
  AppendSelectorDescription(u.selectors.front(), t, out);
  for (size_t i = 1; i < u.selectors.size(); ++i) {
    out += " (";
    AppendSelectorDescription(u.selectors[i], t, out);
    out += ')';
  }
  return out;
}

std::string HashAclPassword(std::string_view password) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(password.data(), password.size(), digest, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

bool AclCredentialsMatch(const AclUser& u, std::string_view password) {
  if (!u.enabled) return false;
  if (u.nopass) return true;
  std::string hash = HashAclPassword(password);
  bool match = false;
  for (const std::string& p : u.passwords) {
    // Compare every byte: the time taken must not tell how much matched.
    unsigned char diff = 0;
    for (size_t i = 0; i < 64; ++i) diff |= static_cast<unsigned char>(p[i] ^ hash[i]);
    match = match || diff == 0;
  }
  return match;
}

AclDenial CheckAclPermission(const AclUser& u, const Command& cmd,
                             std::span<const std::string_view> args, int* arg_index) {
  thread_local std::vector<KeyRef> keys;
  bool keys_ready = false;
  AclDenial worst = AclDenial::kCommand;
  int worst_index = 0;
  for (const AclSelector& s : u.selectors) {
    int index = 0;
    AclDenial d = CheckSelector(s, cmd, args, keys, keys_ready, &index);
    if (d == AclDenial::kOk) return d;
    // Report the most specific refusal; among equals, the later argument.
    if (d > worst || (d == worst && index > worst_index)) {
      worst = d;
      worst_index = index;
    }
  }
  *arg_index = worst_index;
  return worst;
}

}  // namespace duet
