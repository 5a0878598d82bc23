#pragma once
// Acl: the users of a server and what connections may do with them — AUTH,
// permission checks in the dispatcher, ACL LOG, the aclfile, requirepass and
// protected mode. The rules themselves live in server/acl_rules.h.
//
// Invariants: a user named "default" always exists and its object never
// moves (clients and requirepass refer to it); a client's `user` points into
// users_ or is null (internal clients without restrictions). Deleting or
// replacing a user first moves its clients back to the default user,
// unauthenticated, and closes them, as Redis does.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/acl_rules.h"
#include "utils/status.h"

namespace duet {

class Server;
struct Client;

// Reply texts, word for word as Redis 7.0 sends them.
inline constexpr std::string_view kWrongPassError =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kHelloNoAuthError =
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
    "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
    "protocol version at the same time";
inline constexpr std::string_view kAuthWithoutPasswordError =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kNoAclFileError =
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
    "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
    "configuration file set) in order to store users in the Redis configuration.";
extern const std::string_view kProtectedModeError;

// "command", "key", "channel", "auth": ACL LOG's reason field.
const char* AclDenialName(AclDenial d);

class Acl {
 public:
  struct LogEntry {
    uint64_t count = 1;
    AclDenial reason = AclDenial::kCommand;
    std::string context;   // "toplevel", "multi", ...
    std::string object;    // command, key or channel name, or "AUTH"
    std::string username;  // for auth failures: the name that was tried
    int64_t created_ms = 0;
    std::string client_info;
  };
  using UserMap = std::map<std::string, std::unique_ptr<AclUser>, std::less<>>;

  explicit Acl(Server& server);
  Acl(const Acl&) = delete;
  Acl& operator=(const Acl&) = delete;

  // Start-up, once the command table is loaded: the default user, then
  // requirepass, the `user` directives and the aclfile, in Redis's order.
  // Also registers the CONFIG SET callbacks of requirepass and
  // acllog-max-len. An error is the message to log before exiting.
  Status Init();

  AclRuleContext RuleContext() const;
  AclUser* FindUser(std::string_view name);
  AclUser& default_user() { return *default_; }
  const UserMap& users() const { return users_; }

  // The default user has a password or is off: new connections must AUTH.
  bool AuthRequired() const { return !default_->nopass || !default_->enabled; }
  // Binds `c` to the default user, authenticated when that needs no password.
  void SetDefaultAuth(Client& c) const;
  // protected-mode: no password on the default user and a non-local peer.
  bool ProtectedModeRefuses(const Client& c) const;

  // AUTH / HELLO AUTH. On success binds `c` to the user; on failure records
  // an ACL LOG entry and returns false.
  bool Authenticate(Client& c, std::string_view user, std::string_view password, int64_t now_ms);

  // The dispatcher's check for a user with restrictions. On refusal writes
  // the NOPERM reply, records an ACL LOG entry and returns false.
  bool Permit(Client& c, const Command& cmd, const std::vector<std::string_view>& args,
              int64_t now_ms);
  // The same check without the reply: empty when permitted, else the NOPERM
  // text (the refusal is logged).
  std::string Refusal(Client& c, const Command& cmd, const std::vector<std::string_view>& args,
                      int64_t now_ms);
  // Reply text (without the leading '-') for a refusal.
  static std::string NoPermError(AclDenial d, const Command& cmd);

  // requirepass: makes `password` the default user's only password; empty
  // means nopass.
  void SetDefaultPassword(std::string_view password);

  // ACL SETUSER, all or nothing: "" on success, else the error reply text.
  std::string SetUser(std::string_view name, std::span<const std::string_view> rules);
  // ACL DELUSER (REQUIRES: "default" not among `names`): the number deleted.
  // Their clients are closed; `current`, if among them, after its reply.
  int64_t DeleteUsers(std::span<const std::string_view> names, Client* current);
  // "user <name> <rules>" for every user, by name: ACL LIST, ACL SAVE and
  // CONFIG REWRITE's `user` lines.
  std::vector<std::string> ListLines() const;

  // ACL LOAD / ACL SAVE against the configured aclfile. "" on success, else
  // the error text (without "ERR ").
  std::string LoadFromFile(const std::string& path);
  std::string SaveToFile(const std::string& path) const;

  // ACL LOG, newest first; similar events within a minute share an entry.
  void Log(AclDenial reason, std::string_view object, std::string_view username, const Client& c,
           int64_t now_ms);
  const std::deque<LogEntry>& log() const { return log_; }
  void ResetLog() { log_.clear(); }

 private:
  AclUser* CreateUser(std::string_view name);
  // Moves the clients of `u` back to the default user, unauthenticated, and
  // closes them (`current` after its reply).
  void DisconnectUserClients(const AclUser* u, Client* current);
  void TrimLog();

  Server& server_;
  UserMap users_;
  AclUser* default_ = nullptr;
  std::deque<LogEntry> log_;
};

}  // namespace duet
