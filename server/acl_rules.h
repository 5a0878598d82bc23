#pragma once
// ACL users and the rules that shape them, with Redis 7.0's semantics.
//
// A user has flags (on/off, nopass, sanitize-payload), SHA-256 password
// digests and one or more selectors. The first selector is the root one; the
// others come from "(...)" rules. A selector allows a set of commands (one
// bit per Command::id, plus first-argument exceptions such as "+select|0"),
// key patterns with read/write permissions and channel patterns. A command
// runs if any selector allows the command, all its keys and all its
// channels.
//
// Rules are applied one at a time (ApplyUserRule); ACL SETUSER applies them
// to a copy and keeps the copy only if every rule was valid. Descriptions
// (ACL LIST, ACL GETUSER, ACL SAVE) are derived from the bitmaps the way
// Redis 7.0 derives them: start from +@all or -@all, add or remove the
// category that best fits what is left, and finish with single commands.
//
// This file knows the command table but not the server; everything here is
// pure and unit-testable.

#include <bitset>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duet {

class CommandTable;
struct Command;

inline constexpr size_t kAclCommandBits = 1024;
// Set only by +@all (allcommands): the user may run commands added later.
inline constexpr size_t kAclFutureCommandsBit = kAclCommandBits - 1;

// Permissions of a key pattern ("%R~", "%W~", "~" = both).
inline constexpr uint8_t kAclKeyRead = 1;
inline constexpr uint8_t kAclKeyWrite = 2;
inline constexpr uint8_t kAclKeyReadWrite = 3;

struct AclKeyPattern {
  std::string pattern;
  uint8_t perms = kAclKeyReadWrite;
};

struct AclSelector {
  std::bitset<kAclCommandBits> commands;
  // First arguments allowed for a command that is not allowed as a whole,
  // by command id ("+select|0"); compared case-insensitively.
  std::vector<std::pair<uint32_t, std::vector<std::string>>> first_args;
  bool all_keys = false;
  bool all_channels = false;
  std::vector<AclKeyPattern> keys;
  std::vector<std::string> channels;
};

enum class AclSanitize : uint8_t { kUnset, kSanitize, kSkip };

struct AclUser {
  std::string name;
  bool enabled = false;
  bool nopass = false;
  AclSanitize sanitize = AclSanitize::kUnset;
  std::vector<std::string> passwords;  // SHA-256 digests, 64 lower-case hex digits
  std::vector<AclSelector> selectors;  // [0] is the root selector; never empty
  // Derived (RefreshDerived): the root selector allows every command, key
  // and channel, so the dispatcher can skip the checks.
  bool unrestricted = false;

  void RefreshDerived();
};

// Why a rule was refused. AclErrorText gives Redis's reason text.
enum class AclError : uint8_t {
  kOk,
  kSyntax,
  kUnknownCommand,
  kKeyAfterAll,
  kChannelAfterAll,
  kNoSuchPassword,
  kBadHash,
  kFirstArgOfSubcommand,
};
std::string_view AclErrorText(AclError e);

struct AclRuleContext {
  // Null while the configuration file is read: command names cannot be
  // checked yet and every command rule reports kUnknownCommand.
  const CommandTable* commands = nullptr;
  bool pubsub_default_all = false;  // acl-pubsub-default allchannels
};

// A user as ACL SETUSER creates it: off, no password, no keys, channels per
// acl-pubsub-default, no commands.
AclUser NewAclUser(std::string_view name, const AclRuleContext& ctx);
// The built-in default user: on, nopass, ~*, &*, +@all.
AclUser NewDefaultUser(const AclRuleContext& ctx);

AclError ApplyUserRule(AclUser& u, std::string_view op, const AclRuleContext& ctx);
AclError ApplySelectorRule(AclSelector& s, std::string_view op, const AclRuleContext& ctx);

// Joins arguments that form one "(...)" selector: "(~a" "+get)" -> "(~a +get)".
// Returns false, with *open_index = the argument that opened it, when a
// selector is not closed.
bool MergeSelectorArgs(std::span<const std::string_view> args, std::vector<std::string>* out,
                       size_t* open_index);

// Names may not contain spaces or NUL bytes.
bool ValidAclUserName(std::string_view name);

// Validates a `user` line of the configuration file (args[0] == "user") as
// Redis does before the commands exist, and appends name + rules to `users`.
// On failure *err is Redis's text ("Error in user declaration 'x': ...").
bool AddUserDirective(const std::vector<std::string>& args,
                      std::vector<std::vector<std::string>>* users, std::string* err);

// "on nopass #... ~* &* +@all (...)": the rules that recreate the user.
std::string DescribeAclUser(const AclUser& u, const CommandTable& commands);
// The command part of one selector ("-@all +@read -keys").
std::string DescribeCommandRules(const AclSelector& s, const CommandTable& commands);
// ACL GETUSER forms: "~a %R~b" (or "~*"), "&a &b" (or "&*").
std::string DescribeKeys(const AclSelector& s);
std::string DescribeChannels(const AclSelector& s);
// "on"/"off", "nopass", "skip-sanitize-payload"/"sanitize-payload".
std::vector<std::string_view> AclUserFlagNames(const AclUser& u);

std::string HashAclPassword(std::string_view password);
// True when the user is enabled and the password matches (or nopass).
bool AclCredentialsMatch(const AclUser& u, std::string_view password);

// Result of a permission check; the values order the errors as Redis does
// when several selectors refuse for different reasons.
enum class AclDenial : uint8_t { kOk = 0, kCommand = 1, kKey = 2, kAuth = 3, kChannel = 4 };

// Whether `u` may run `cmd` with `args` (args[0] is the command name). On a
// key or channel denial *arg_index is the position of the refused argument.
AclDenial CheckAclPermission(const AclUser& u, const Command& cmd,
                             std::span<const std::string_view> args, int* arg_index);

}  // namespace duet
