// Connection commands: PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH, CLIENT.

#include <algorithm>

#include "server/commands/arg_parser.h"
#include "server/commands/client_info.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/output_limits.h"
#include "server/server.h"
#include "server/version.h"

namespace duet {
namespace {

void CmdPing(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    return ctx.rb.Error("ERR wrong number of arguments for 'ping' command");
  }
  // A RESP2 subscriber gets ["pong", message] (server/pubsub.h).
  if (ctx.client.subscribed() && ctx.rb.resp() == 2) {
    ctx.rb.ArrayHeader(2);
    ctx.rb.Bulk("pong");
    return ctx.rb.Bulk(ctx.argc() == 2 ? ctx.args[1] : std::string_view());
  }
  if (ctx.argc() == 1) return ctx.rb.Raw("+PONG\r\n");
  ctx.rb.Bulk(ctx.args[1]);
}

void CmdEcho(CommandContext& ctx) { ctx.rb.Bulk(ctx.args[1]); }

void CmdQuit(CommandContext& ctx) {
  ctx.rb.Ok();
  ctx.client.close_after_reply = true;
}

void CmdSelect(CommandContext& ctx) {
  int64_t id;
  if (!ParseIntArg(ctx.rb, ctx.args[1], &id)) return;
  if (id < 0 || id >= ctx.server.keyspace().databases()) {
    return ctx.rb.Error(errors::kDbIndexOutOfRange);
  }
  ctx.client.db = static_cast<int>(id);
  ctx.rb.Ok();
}

void CmdSwapDb(CommandContext& ctx) {
  int64_t a, b;
  if (!ParseInt64(ctx.args[1], &a)) return ctx.rb.Error("ERR invalid first DB index");
  if (!ParseInt64(ctx.args[2], &b)) return ctx.rb.Error("ERR invalid second DB index");
  int n = ctx.server.keyspace().databases();
  if (a < 0 || a >= n || b < 0 || b >= n) return ctx.rb.Error(errors::kDbIndexOutOfRange);
  ctx.server.keyspace().Swap(static_cast<int>(a), static_cast<int>(b));
  // Clients blocked in either database now see the other one's keys.
  ctx.server.blocking().SignalDatabasesSwapped(static_cast<int>(a), static_cast<int>(b));
  ctx.server.watches().OnSwapDb(static_cast<int>(a), static_cast<int>(b), ctx.now_ms);
  ctx.AddDirty();
  ctx.rb.Ok();
}

void CmdAuth(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.rb.Error(errors::kSyntax);
  Acl& acl = ctx.server.acl();
  std::string_view user = "default";
  std::string_view pass = ctx.args[1];
  if (ctx.argc() == 2) {
    // The one-argument form only makes sense when the default user has a password.
    if (acl.default_user().nopass) return ctx.rb.Error(kAuthWithoutPasswordError);
  } else {
    user = ctx.args[1];
    pass = ctx.args[2];
  }
  if (!acl.Authenticate(ctx.client, user, pass, ctx.now_ms)) return ctx.rb.Error(kWrongPassError);
  ctx.rb.Ok();
}

// CLIENT LIST/KILL TYPE: the ClientClass named, -1 for master (no such
// clients here), -2 for an unknown name.
int ParseClientType(std::string_view t) {
  if (ArgParser::EqualsIgnoreCase(t, "normal")) return static_cast<int>(ClientClass::kNormal);
  if (ArgParser::EqualsIgnoreCase(t, "pubsub")) return static_cast<int>(ClientClass::kPubSub);
  if (ArgParser::EqualsIgnoreCase(t, "replica") || ArgParser::EqualsIgnoreCase(t, "slave")) {
    return static_cast<int>(ClientClass::kReplica);
  }
  if (ArgParser::EqualsIgnoreCase(t, "master")) return -1;
  return -2;
}

bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

void CmdHello(CommandContext& ctx) {
  int64_t ver = ctx.client.rb.resp();
  size_t next = 1;
  if (ctx.argc() >= 2) {
    if (!ParseInt64(ctx.args[1], &ver)) {
      return ctx.rb.Error("ERR Protocol version is not an integer or out of range");
    }
    next = 2;
    if (ver < 2 || ver > 3) return ctx.rb.Error(errors::kUnsupportedProtocol);
  }
  std::string_view setname;
  bool has_setname = false;
  for (size_t i = next; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - i - 1;
    if (ArgParser::EqualsIgnoreCase(ctx.args[i], "AUTH") && more >= 2) {
      if (!ctx.server.acl().Authenticate(ctx.client, ctx.args[i + 1], ctx.args[i + 2],
                                         ctx.now_ms)) {
        return ctx.rb.Error(kWrongPassError);
      }
      i += 2;
    } else if (ArgParser::EqualsIgnoreCase(ctx.args[i], "SETNAME") && more >= 1) {
      setname = ctx.args[i + 1];
      if (!ValidClientName(setname)) {
        return ctx.rb.Error(
            "ERR Client names cannot contain spaces, newlines or special characters.");
      }
      has_setname = true;
      i += 1;
    } else {
      return ctx.rb.Error("ERR Syntax error in HELLO option '" + std::string(ctx.args[i]) + "'");
    }
  }
  if (!ctx.client.authenticated && ctx.server.acl().AuthRequired()) {
    return ctx.rb.Error(kHelloNoAuthError);
  }
  if (has_setname) ctx.client.name.assign(setname);
  ctx.client.rb.set_resp(static_cast<int>(ver));
  ctx.rb.MapHeader(7);
  ctx.rb.Bulk("server");
  ctx.rb.Bulk("redis");
  ctx.rb.Bulk("version");
  ctx.rb.Bulk(kRedisCompatVersion);
  ctx.rb.Bulk("proto");
  ctx.rb.Integer(ver);
  ctx.rb.Bulk("id");
  ctx.rb.Integer(static_cast<int64_t>(ctx.client.id));
  ctx.rb.Bulk("mode");
  ctx.rb.Bulk("standalone");
  ctx.rb.Bulk("role");
  ctx.rb.Bulk("master");
  ctx.rb.Bulk("modules");
  ctx.rb.ArrayHeader(0);
}

void CmdReset(CommandContext& ctx) {
  Client& c = ctx.client;
  // Transactions, watched keys and subscriptions (server/multi.h, pubsub.h).
  DiscardTransaction(ctx.server, c);
  ctx.server.pubsub().RemoveClient(c);
  ctx.server.RemoveMonitor(&c);
  c.db = 0;
  c.rb.set_resp(2);
  c.name.clear();
  c.reply_mode = ReplyMode::kOn;
  c.rb.set_muted(false);
  c.no_evict = false;
  ctx.server.acl().SetDefaultAuth(c);
  ctx.rb.Raw("+RESET\r\n");
}

// ---- CLIENT ----

void CmdClientId(CommandContext& ctx) { ctx.rb.Integer(static_cast<int64_t>(ctx.client.id)); }

void CmdClientGetName(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.rb.Null();
  ctx.rb.Bulk(ctx.client.name);
}

void CmdClientSetName(CommandContext& ctx) {
  if (!ValidClientName(ctx.args[2])) {
    return ctx.rb.Error("ERR Client names cannot contain spaces, newlines or special characters.");
  }
  ctx.client.name.assign(ctx.args[2]);
  ctx.rb.Ok();
}

void CmdClientSetInfo(CommandContext& ctx) {
  std::string_view attr = ctx.args[2];
  std::string_view value = ctx.args[3];
  std::string* target = nullptr;
  if (ArgParser::EqualsIgnoreCase(attr, "LIB-NAME")) {
    target = &ctx.client.lib_name;
  } else if (ArgParser::EqualsIgnoreCase(attr, "LIB-VER")) {
    target = &ctx.client.lib_ver;
  } else {
    return ctx.rb.Error("ERR Unrecognized option '" + std::string(attr) + "'");
  }
  if (!ValidClientName(value)) {
    return ctx.rb.Error("ERR " + std::string(attr) +
                        " cannot contain spaces, newlines or special characters.");
  }
  target->assign(value);
  ctx.rb.Ok();
}

void CmdClientList(CommandContext& ctx) {
  std::vector<uint64_t> ids;
  ArgParser p(ctx.args, 2);
  bool filter_ids = false;
  int want_type = -3;  // no TYPE filter
  while (p.HasNext()) {
    if (p.remaining() >= 2 && p.Eat("TYPE")) {
      std::string_view type = p.Next();
      want_type = ParseClientType(type);
      if (want_type == -2) {
        return ctx.rb.Error("ERR Unknown client type '" + std::string(type) + "'");
      }
    } else if (p.remaining() >= 2 && p.Eat("ID")) {
      filter_ids = true;
      while (p.HasNext()) {
        int64_t id;
        if (!ParseInt64(p.Peek(), &id) || id <= 0) return ctx.rb.Error("ERR Invalid client ID");
        p.Next();
        ids.push_back(static_cast<uint64_t>(id));
      }
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  std::string out;
  for (const auto& [id, c] : ctx.server.clients()) {
    if (filter_ids && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    if (want_type != -3 && static_cast<int>(ClassOf(*c)) != want_type) continue;
    out += DescribeClient(*c, ctx.now_ms);
    out += '\n';
  }
  ctx.rb.Verbatim(out);
}

void CmdClientInfo(CommandContext& ctx) {
  ctx.rb.Verbatim(DescribeClient(ctx.client, ctx.now_ms) + "\n");
}

void CmdClientKill(CommandContext& ctx) {
  std::vector<Client*> victims;
  bool old_form = ctx.argc() == 3;
  if (old_form) {
    for (const auto& [id, c] : ctx.server.clients()) {
      if (c->addr == ctx.args[2]) victims.push_back(c);
    }
    if (victims.empty()) return ctx.rb.Error("ERR No such client");
  } else {
    uint64_t want_id = 0;
    std::string_view want_addr, want_laddr, want_user;
    bool skipme = true;
    int want_type = -3;  // no TYPE filter
    ArgParser p(ctx.args, 2);
    while (p.HasNext()) {
      if (p.remaining() < 2) return ctx.rb.Error(errors::kSyntax);
      if (p.Eat("ID")) {
        int64_t id;
        if (!ParseInt64(p.Next(), &id) || id <= 0) {
          return ctx.rb.Error("ERR client-id should be greater than 0");
        }
        want_id = static_cast<uint64_t>(id);
      } else if (p.Eat("ADDR")) {
        want_addr = p.Next();
      } else if (p.Eat("LADDR")) {
        want_laddr = p.Next();
      } else if (p.Eat("USER")) {
        want_user = p.Next();
        if (ctx.server.acl().FindUser(want_user) == nullptr) {
          return ctx.rb.Error("ERR No such user '" + std::string(want_user) + "'");
        }
      } else if (p.Eat("TYPE")) {
        std::string_view t = p.Next();
        want_type = ParseClientType(t);
        if (want_type == -2)
          return ctx.rb.Error("ERR Unknown client type '" + std::string(t) + "'");
      } else if (p.Eat("SKIPME")) {
        std::string_view v = p.Next();
        if (ArgParser::EqualsIgnoreCase(v, "yes")) {
          skipme = true;
        } else if (ArgParser::EqualsIgnoreCase(v, "no")) {
          skipme = false;
        } else {
          return ctx.rb.Error(errors::kSyntax);
        }
      } else {
        return ctx.rb.Error(errors::kSyntax);
      }
    }
    for (const auto& [id, c] : ctx.server.clients()) {
      if (want_id != 0 && id != want_id) continue;
      if (!want_addr.empty() && c->addr != want_addr) continue;
      if (!want_laddr.empty() && c->laddr != want_laddr) continue;
      if (!want_user.empty() && (c->user != nullptr ? c->user->name : "default") != want_user) {
        continue;
      }
      if (skipme && c == &ctx.client) continue;
      if (want_type != -3 && static_cast<int>(ClassOf(*c)) != want_type) continue;
      victims.push_back(c);
    }
  }
  for (Client* c : victims) {
    if (c == &ctx.client) {
      c->close_after_reply = true;
    } else {
      c->killed = true;
    }
  }
  if (!victims.empty() && ctx.server.hooks().clients_changed) ctx.server.hooks().clients_changed();
  if (old_form) return ctx.rb.Ok();
  ctx.rb.Integer(static_cast<int64_t>(victims.size()));
}

void CmdClientNoEvict(CommandContext& ctx) {
  if (ArgParser::EqualsIgnoreCase(ctx.args[2], "ON")) {
    ctx.client.no_evict = true;
  } else if (ArgParser::EqualsIgnoreCase(ctx.args[2], "OFF")) {
    ctx.client.no_evict = false;
  } else {
    return ctx.rb.Error(errors::kSyntax);
  }
  ctx.rb.Ok();
}

void CmdClientReply(CommandContext& ctx) {
  std::string_view mode = ctx.args[2];
  if (ArgParser::EqualsIgnoreCase(mode, "ON")) {
    ctx.client.reply_mode = ReplyMode::kOn;
    ctx.rb.set_muted(false);
    ctx.rb.Ok();
  } else if (ArgParser::EqualsIgnoreCase(mode, "OFF")) {
    ctx.client.reply_mode = ReplyMode::kOff;
  } else if (ArgParser::EqualsIgnoreCase(mode, "SKIP")) {
    if (ctx.client.reply_mode != ReplyMode::kOff) ctx.client.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.rb.Error(errors::kSyntax);
  }
}

void CmdClientPause(CommandContext& ctx) {
  int64_t ms;
  if (!ParseInt64(ctx.args[2], &ms) || ms < 0) {
    return ctx.rb.Error("ERR timeout is not an integer or out of range");
  }
  bool writes_only = false;
  if (ctx.argc() == 4) {
    if (ArgParser::EqualsIgnoreCase(ctx.args[3], "WRITE")) {
      writes_only = true;
    } else if (!ArgParser::EqualsIgnoreCase(ctx.args[3], "ALL")) {
      return ctx.rb.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  } else if (ctx.argc() > 4) {
    return ctx.rb.Error(errors::kSyntax);
  }
  ctx.server.PauseClients(ctx.now_ms + ms, writes_only);
  ctx.rb.Ok();
}

void CmdClientUnpause(CommandContext& ctx) {
  ctx.server.UnpauseClients();
  if (ctx.server.hooks().clients_changed) ctx.server.hooks().clients_changed();
  ctx.rb.Ok();
}

void CmdClientHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GETNAME",
      "    The name of this connection, or nil.",
      "ID",
      "    The unique id of this connection.",
      "INFO",
      "    One CLIENT LIST line describing this connection.",
      "KILL <ip:port>",
      "    Close the connection whose peer address is <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Close every connection matching all filters: ID <client-id>, ADDR <ip:port>,",
      "    LADDR <ip:port>, TYPE (NORMAL|MASTER|REPLICA|PUBSUB), USER <username>, SKIPME (YES|NO).",
      "LIST [options ...]",
      "    One line per connection; filters: TYPE (NORMAL|MASTER|REPLICA|PUBSUB),",
      "    ID <client-id> [<client-id> ...].",
      "UNPAUSE",
      "    End a CLIENT PAUSE now.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    End that client's wait in a blocking command, as a timeout or with an error.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Hold every command (ALL) or only writes (WRITE) for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Turn replies to this connection on or off, or drop the next one.",
      "SETNAME <name>",
      "    Name this connection.",
      "SETINFO <LIB-NAME|LIB-VER> <value>",
      "    Record the client library's name or version, shown by CLIENT LIST.",
      "NO-EVICT (ON|OFF)",
      "    Exempt this connection from client eviction.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterConnectionCommands(CommandTable& t) {
  t.Bind("PING", CmdPing);
  t.Bind("ECHO", CmdEcho);
  t.Bind("QUIT", CmdQuit);
  t.Bind("SELECT", CmdSelect);
  t.Bind("SWAPDB", CmdSwapDb);
  t.Bind("AUTH", CmdAuth);
  t.Bind("HELLO", CmdHello);
  t.Bind("RESET", CmdReset);
  t.Bind("CLIENT|ID", CmdClientId);
  t.Bind("CLIENT|GETNAME", CmdClientGetName);
  t.Bind("CLIENT|SETNAME", CmdClientSetName);
  t.Bind("CLIENT|SETINFO", CmdClientSetInfo);
  t.Bind("CLIENT|LIST", CmdClientList);
  t.Bind("CLIENT|INFO", CmdClientInfo);
  t.Bind("CLIENT|KILL", CmdClientKill);
  t.Bind("CLIENT|NO-EVICT", CmdClientNoEvict);
  t.Bind("CLIENT|REPLY", CmdClientReply);
  t.Bind("CLIENT|PAUSE", CmdClientPause);
  t.Bind("CLIENT|UNPAUSE", CmdClientUnpause);
  t.Bind("CLIENT|HELP", CmdClientHelp);
}

}  // namespace duet
