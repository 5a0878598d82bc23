#include "server/acl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "server/client.h"
#include "server/commands/client_info.h"
#include "server/server.h"
#include "utils/config_tokenizer.h"
#include "utils/logging.h"

namespace duet {

const std::string_view kProtectedModeError =
    "DENIED Redis is running in protected mode because protected mode is enabled and no password "
    "is set for the default user. In this mode connections are only accepted from the loopback "
    "interface. If you want to connect from external computers to Redis you may adopt one of the "
    "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET "
    "protected-mode no' from the loopback interface by connecting to Redis from the same host the "
    "server is running, however MAKE SURE Redis is not publicly accessible from internet if you "
    "do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just "
    "disable the protected mode by editing the Redis configuration file, and setting the "
    "protected mode option to 'no', and then restarting the server. 3) If you started the server "
    "manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
    "authentication password for the default user. NOTE: You only need to do one of the above "
    "things in order for the server to start accepting connections from the outside.";

namespace {

// Similar refusals closer together than this share one ACL LOG entry.
constexpr int64_t kLogGroupingMs = 60000;
// How many recent entries a new event is compared with.
constexpr int kLogGroupingScan = 10;

}  // namespace

const char* AclDenialName(AclDenial d) {
  switch (d) {
    case AclDenial::kCommand:
      return "command";
    case AclDenial::kKey:
      return "key";
    case AclDenial::kChannel:
      return "channel";
    case AclDenial::kAuth:
      return "auth";
    case AclDenial::kOk:
      break;
  }
  return "unknown";
}

Acl::Acl(Server& server) : server_(server) {
  // Until Init runs (and for tests that never call it) there is a default
  // user without a command table: nopass, everything allowed.
  auto u = std::make_unique<AclUser>(NewDefaultUser(AclRuleContext{}));
  default_ = u.get();
  users_.emplace("default", std::move(u));
}

AclRuleContext Acl::RuleContext() const {
  AclRuleContext ctx;
  ctx.commands = &server_.commands();
  ctx.pubsub_default_all = server_.config().acl_pubsub_default != 0;
  return ctx;
}

Status Acl::Init() {
  const ServerConfig& cfg = server_.config();
  *default_ = NewDefaultUser(RuleContext());
  if (!cfg.requirepass.empty()) SetDefaultPassword(cfg.requirepass);
  if (!cfg.aclfile.empty() && !cfg.acl_users.empty()) {
    return Status::InvalidArgument(
        "Configuring Duet with users defined in the configuration file and at the same time an "
        "ACL file path is invalid: define users either in the ACL file or with `user` "
        "directives, not both.");
  }
  for (const std::vector<std::string>& line : cfg.acl_users) {
    const std::string& name = line.front();
    if (!ValidAclUserName(name)) {
      return Status::InvalidArgument("Spaces not allowed in ACL usernames");
    }
    // Only the default user exists already; like Redis, it is reset first.
    AclUser* u = FindUser(name);
    if (u == nullptr) {
      u = CreateUser(name);
    } else {
      ApplyUserRule(*u, "reset", RuleContext());
    }
    for (size_t i = 1; i < line.size(); ++i) {
      AclError e = ApplyUserRule(*u, line[i], RuleContext());
      if (e != AclError::kOk) {
        return Status::InvalidArgument("Error loading ACL rule '" + line[i] +
                                       "' for the user named '" + name +
                                       "': " + std::string(AclErrorText(e)));
      }
    }
    if (!u->enabled) {
      LogNotice("The user '" + name +
                "' is disabled (its rules have no 'on'): check that this is intended.");
    }
  }
  if (!cfg.aclfile.empty()) {
    std::string err = LoadFromFile(cfg.aclfile);
    if (!err.empty()) {
      return Status::InvalidArgument("Aborting start-up because of ACL errors: " + err);
    }
  }
  server_.config_api().OnChange("requirepass", [this](const ServerConfig& c) {
    SetDefaultPassword(c.requirepass);
    return Status::Ok();
  });
  server_.config_api().OnChange("acllog-max-len", [this](const ServerConfig&) {
    TrimLog();
    return Status::Ok();
  });
  return Status::Ok();
}

AclUser* Acl::FindUser(std::string_view name) {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : it->second.get();
}

AclUser* Acl::CreateUser(std::string_view name) {
  auto u = std::make_unique<AclUser>(NewAclUser(name, RuleContext()));
  AclUser* raw = u.get();
  users_.emplace(std::string(name), std::move(u));
  return raw;
}

void Acl::SetDefaultAuth(Client& c) const {
  c.user = default_;
  c.authenticated = default_->nopass && default_->enabled;
}

bool Acl::ProtectedModeRefuses(const Client& c) const {
  return server_.config().protected_mode && default_->nopass && !c.is_local;
}

bool Acl::Authenticate(Client& c, std::string_view user, std::string_view password,
                       int64_t now_ms) {
  AclUser* u = FindUser(user);
  if (u != nullptr && AclCredentialsMatch(*u, password)) {
    c.user = u;
    c.authenticated = true;
    return true;
  }
  Log(AclDenial::kAuth, "AUTH", user, c, now_ms);
  return false;
}

std::string Acl::NoPermError(AclDenial d, const Command& cmd) {
  switch (d) {
    case AclDenial::kKey:
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    case AclDenial::kChannel:
      return "NOPERM this user has no permissions to access one of the channels used as "
             "arguments";
    default:
      return "NOPERM this user has no permissions to run the '" + cmd.full_name + "' command";
  }
}

std::string Acl::Refusal(Client& c, const Command& cmd, const std::vector<std::string_view>& args,
                         int64_t now_ms) {
  int pos = 0;
  AclDenial d = CheckAclPermission(*c.user, cmd, args, &pos);
  if (d == AclDenial::kOk) return {};
  std::string_view object =
      d == AclDenial::kCommand ? std::string_view(cmd.full_name) : args[static_cast<size_t>(pos)];
  Log(d, object, c.user->name, c, now_ms);
  return NoPermError(d, cmd);
}

bool Acl::Permit(Client& c, const Command& cmd, const std::vector<std::string_view>& args,
                 int64_t now_ms) {
  std::string refusal = Refusal(c, cmd, args, now_ms);
  if (refusal.empty()) return true;
  c.rb.Error(refusal);
  return false;
}

void Acl::SetDefaultPassword(std::string_view password) {
  AclRuleContext ctx = RuleContext();
  ApplyUserRule(*default_, "resetpass", ctx);
  if (password.empty()) {
    ApplyUserRule(*default_, "nopass", ctx);
  } else {
    ApplyUserRule(*default_, ">" + std::string(password), ctx);
  }
}

std::string Acl::SetUser(std::string_view name, std::span<const std::string_view> rules) {
  std::vector<std::string> merged;
  size_t open_index = 0;
  if (!MergeSelectorArgs(rules, &merged, &open_index)) {
    return "ERR Unmatched parenthesis in acl selector starting at '" +
           std::string(rules[open_index]) + "'.";
  }
  AclRuleContext ctx = RuleContext();
  AclUser* existing = FindUser(name);
  AclUser staged = existing != nullptr ? *existing : NewAclUser(name, ctx);
  for (const std::string& op : merged) {
    AclError e = ApplyUserRule(staged, op, ctx);
    if (e != AclError::kOk) {
      return "ERR Error in ACL SETUSER modifier '" + op + "': " + std::string(AclErrorText(e));
    }
  }
  if (existing == nullptr) existing = CreateUser(name);
  *existing = std::move(staged);
  return "";
}

void Acl::DisconnectUserClients(const AclUser* u, Client* current) {
  bool any = false;
  for (const auto& [id, c] : server_.clients()) {
    if (c->user != u) continue;
    c->user = default_;
    c->authenticated = false;
    if (c == current) {
      c->close_after_reply = true;
    } else {
      c->killed = true;
      any = true;
    }
  }
  if (any && server_.hooks().clients_changed) server_.hooks().clients_changed();
}

int64_t Acl::DeleteUsers(std::span<const std::string_view> names, Client* current) {
  int64_t deleted = 0;
  for (std::string_view name : names) {
    auto it = users_.find(name);
    if (it == users_.end() || it->second.get() == default_) continue;
    DisconnectUserClients(it->second.get(), current);
    users_.erase(it);
    ++deleted;
  }
  return deleted;
}

std::vector<std::string> Acl::ListLines() const {
  std::vector<std::string> out;
  out.reserve(users_.size());
  for (const auto& [name, u] : users_) {
    out.push_back("user " + name + " " + DescribeAclUser(*u, server_.commands()));
  }
  return out;
}

std::string Acl::LoadFromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "Error loading ACLs, opening file '" + path + "': " + std::strerror(errno);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();

  AclRuleContext ctx = RuleContext();
  UserMap fresh;
  std::string errors;
  int line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line = TrimConfigLine(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++line_no;
    const std::string where = path + ":" + std::to_string(line_no);
    if (line.empty()) continue;
    auto args = SplitConfigArgs(line);
    if (!args) {
      errors += where + ": unbalanced quotes in acl line. ";
      continue;
    }
    if (args->empty()) continue;
    if ((*args)[0] != "user" || args->size() < 2) {
      errors += where + " should start with user keyword followed by the username. ";
      continue;
    }
    const std::string& name = (*args)[1];
    if (!ValidAclUserName(name)) {
      errors += "'" + where + ": username '" + name + "' contains invalid characters. ";
      continue;
    }
    if (fresh.count(name) != 0) {
      errors +=
          "WARNING: Duplicate user '" + name + "' found on line " + std::to_string(line_no) + ". ";
      continue;
    }
    auto u = std::make_unique<AclUser>(NewAclUser(name, ctx));
    std::vector<std::string_view> rules(args->begin() + 2, args->end());
    std::vector<std::string> merged;
    size_t open_index = 0;
    if (!MergeSelectorArgs(rules, &merged, &open_index)) {
      errors += where + ": Unmatched parenthesis in selector definition.";
      continue;
    }
    bool reported = false;
    for (const std::string& op : merged) {
      AclError e = ApplyUserRule(*u, op, ctx);
      if (e == AclError::kOk) continue;
      // Unknown commands are named; other rule errors are not (they may hold
      // a password), and only the first one of a line is reported.
      if (e == AclError::kUnknownCommand) {
        errors += where + ": Error in applying operation '" + op +
                  "': " + std::string(AclErrorText(e)) + ". ";
      } else if (!reported) {
        errors += where + ": " + std::string(AclErrorText(e)) + ". ";
        reported = true;
      }
    }
    fresh.emplace(name, std::move(u));
  }
  if (!errors.empty()) {
    return errors +
           "WARNING: ACL errors detected, no change to the previously active ACL rules was "
           "performed";
  }
  // Every user but the default one is replaced: their clients go.
  for (const auto& [name, u] : users_) {
    if (u.get() != default_) DisconnectUserClients(u.get(), nullptr);
  }
  // The default user keeps its object: clients and requirepass point at it.
  std::unique_ptr<AclUser> keep = std::move(users_.find("default")->second);
  auto def = fresh.find("default");
  if (def != fresh.end()) {
    *keep = std::move(*def->second);
    fresh.erase(def);
  } else {
    *keep = NewDefaultUser(ctx);
  }
  users_ = std::move(fresh);
  users_.emplace("default", std::move(keep));
  return "";
}

std::string Acl::SaveToFile(const std::string& path) const {
  std::string content;
  for (const std::string& line : ListLines()) content += line + "\n";
  std::string tmp = path + ".tmp-" + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return std::string("Opening temp ACL file for ACL SAVE: ") + std::strerror(errno);
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string err = std::string("Writing ACL file for ACL SAVE: ") + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return std::string("Writing ACL file for ACL SAVE: ") + std::strerror(errno);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::string("Renaming ACL file for ACL SAVE: ") + std::strerror(errno);
    ::unlink(tmp.c_str());
    return err;
  }
  return "";
}

void Acl::Log(AclDenial reason, std::string_view object, std::string_view username, const Client& c,
              int64_t now_ms) {
  const std::string_view context = "toplevel";
  int scanned = 0;
  for (auto it = log_.begin(); it != log_.end() && scanned < kLogGroupingScan; ++it, ++scanned) {
    if (it->reason != reason || it->context != context || it->object != object ||
        it->username != username || now_ms - it->created_ms > kLogGroupingMs) {
      continue;
    }
    LogEntry e = std::move(*it);
    log_.erase(it);
    ++e.count;
    e.created_ms = now_ms;
    e.client_info = DescribeClient(c, now_ms);
    log_.push_front(std::move(e));
    return;
  }
  LogEntry e;
  e.reason = reason;
  e.context = context;
  e.object.assign(object);
  e.username.assign(username);
  e.created_ms = now_ms;
  e.client_info = DescribeClient(c, now_ms);
  log_.push_front(std::move(e));
  TrimLog();
}

void Acl::TrimLog() {
  size_t max = static_cast<size_t>(server_.config().acllog_max_len);
  while (log_.size() > max) log_.pop_back();
}

}  // namespace duet
