#include "server/server.h"

#include <strings.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "protocol/errors.h"
#include "server/aof.h"
#include "server/commands/register.h"
#include "server/memcache/handler.h"
#include "server/monitor.h"
#include "server/notify.h"
#include "server/output_limits.h"
#include "server/process.h"
#include "server/script_engine.h"
#include "server/snapshots.h"
#include "utils/allocator.h"
#include "utils/clock.h"
#include "utils/cycle_clock.h"
#include "utils/logging.h"

namespace duet {
namespace {

std::string MakeRunId(std::mt19937_64& rng) {
  static const char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  for (char& c : id) c = kHex[rng() % 16];
  return id;
}

}  // namespace

Server::Server(ServerConfig config)
    : config_(std::move(config)), keyspace_(config_.databases), rng_(std::random_device{}()) {
  keyspace_.set_observer(this);
  snapshots_ = std::make_unique<Snapshots>(*this);
  aof_ = std::make_unique<Aof>(*this, FileSystem::Posix());
  stats_.start_ms = UnixMillis();
  RefreshClock();
  run_id_ = MakeRunId(rng_);
  memcache_ = std::make_unique<McHandler>(*this);
  scripts_ = std::make_unique<ScriptEngine>(*this);
}

Server::~Server() = default;

Status Server::Init() {
  Status s = commands_.LoadSpecs();
  if (!s.ok()) return s;
  RegisterAllCommands(commands_);
  config_api_.OnChange("slowlog-max-len", [this](const ServerConfig& c) {
    slowlog_.Trim(static_cast<size_t>(c.slowlog_max_len));
    return Status::Ok();
  });
  config_api_.OnChange("loglevel", [](const ServerConfig& c) {
    SetLogVerbosity(static_cast<int>(c.loglevel));
    return Status::Ok();
  });
  config_api_.OnChange("dir", [](const ServerConfig& c) {
    if (chdir(c.dir.c_str()) != 0) return Status::InvalidArgument(std::strerror(errno));
    return Status::Ok();
  });
  config_api_.OnChange("notify-keyspace-events", [this](const ServerConfig&) {
    UpdateNewKeyEvents();
    return Status::Ok();
  });
  UpdateNewKeyEvents();
  s = commands_.Verify();
  if (!s.ok()) return Status::InvalidArgument("Command table error: " + s.message());
  // [auth] users, requirepass, aclfile. [memory] maxmemory settings.
  s = acl_.Init();
  if (!s.ok()) return s;
  memory_.Init();
  // Evicted keys publish the "evicted" keyspace event (class e), as in Redis.
  memory_.set_eviction_listener([this](int db, std::string_view key) {
    Propagate(db, {"DEL", key});
    NotifyKeyspaceEvent(*this, kNotifyEvicted, "evicted", key, db);
  });
  aof_->set_timestamps(config_.aof_timestamp_enabled);
  config_api_.OnChange("aof-timestamp-enabled", [this](const ServerConfig& c) {
    aof_->set_timestamps(c.aof_timestamp_enabled);
    return Status::Ok();
  });
  config_api_.OnChange("aof-disable-auto-gc", [this](const ServerConfig& c) {
    // Back to no: what was kept goes now, as in Redis.
    if (!c.aof_disable_auto_gc && aof_->active()) aof_->RemoveHistory();
    return Status::Ok();
  });
  config_api_.OnChange("appendonly", [this](const ServerConfig& c) {
    if (!c.appendonly) {
      aof_->TurnOff();
      return Status::Ok();
    }
    return aof_->TurnOn();
  });
  return Status::Ok();
}

int64_t Server::NowMs() const {
  return (frozen_unix_ms_ != 0 ? frozen_unix_ms_ : UnixMillis()) + time_offset_ms_;
}

void Server::AddClient(Client* c) {
  clients_[c->id] = c;
  c->rb.set_error_hook(
      [](void* self, std::string_view msg) { static_cast<Server*>(self)->CountError(msg); }, this);
  // [auth] default user; protected mode refuses outside peers.
  acl_.SetDefaultAuth(*c);
  if (acl_.ProtectedModeRefuses(*c)) {
    c->rb.Raw("-" + std::string(kProtectedModeError) + "\r\n");
    c->close_after_reply = true;
  }
}

void Server::RemoveClient(Client* c) {
  if (c->blocked) blocking_.Forget(*c);  // a disconnected waiter leaves nothing behind
  // A departing client leaves its transaction, watched keys and channels.
  DiscardTransaction(*this, *c);
  pubsub_.RemoveClient(*c);
  if (c->monitor) RemoveMonitor(c);
  clients_.erase(c->id);
}

void Server::AddMonitor(Client* c) {
  if (c->monitor) return;
  c->monitor = true;
  monitors_.push_back(c);
}

void Server::RemoveMonitor(Client* c) {
  if (!c->monitor) return;
  c->monitor = false;
  std::erase(monitors_, c);
}

void Server::FeedMonitors(const Client& client, int db, std::string_view command_name,
                          const std::vector<std::string_view>& args) {
  if (monitors_.empty()) return;
  std::string addr_buf;
  std::string_view addr = client.monitor_addr;
  if (addr.empty()) {
    if (client.unix_socket) {
      addr_buf = "unix:" + config_.unixsocket;
      addr = addr_buf;
    } else {
      addr = client.addr;
    }
  }
  std::string line;
  AppendMonitorLine(&line, UnixMicros(), db, addr, command_name, args);
  for (Client* m : monitors_) {
    m->rb.Raw(line);
    if (m->io != nullptr && m != &client) m->io->RequestFlush();
  }
}

Client* Server::FindClient(uint64_t id) const {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void Server::PauseClients(int64_t until_ms, bool writes_only) {
  // A later pause never shortens an earlier one; ALL wins over WRITE.
  if (until_ms > pause_until_ms_) pause_until_ms_ = until_ms;
  pause_writes_only_ =
      pause_until_ms_ == until_ms ? writes_only : pause_writes_only_ && writes_only;
}

bool Server::IsPaused(const Command& cmd, int64_t now_ms, const Client* client) const {
  if (pause_until_ms_ == 0 || now_ms >= pause_until_ms_) return false;
  if (!pause_writes_only_) return true;
  uint64_t flags = cmd.flags;
  if (client != nullptr && client->in_multi() && cmd.name == "exec") {
    flags |= client->tx->queued_flags;
  }
  return (flags & (kCmdWrite | kCmdMayReplicate)) != 0;
}

void Server::ResetStats() {
  int64_t start = stats_.start_ms;
  uint64_t dirty = stats_.dirty;
  stats_ = ServerStats{};
  stats_.start_ms = start;
  stats_.dirty = dirty;
  for (const auto& cmd : commands_.all()) cmd->stats = CommandStats{};
  memory_.ResetPeak();  // [memory] used_memory_peak starts over, as in Redis
}

void Server::CountError(std::string_view msg) {
  ++stats_.total_error_replies;
  size_t sp = msg.find(' ');
  std::string code(msg.substr(0, sp == std::string_view::npos ? msg.size() : sp));
  // Cap the table so a client cannot grow it with made-up codes (Redis caps at 128).
  if (stats_.error_counts.size() >= 128 && stats_.error_counts.count(code) == 0) return;
  ++stats_.error_counts[code];
}

void Server::OnExpired(int db_index, std::string_view key) {
  ++stats_.expired_keys;
  ++stats_.dirty;
  Propagate(db_index, {"DEL", key});
  NotifyKeyspaceEvent(*this, kNotifyExpired, "expired", key, db_index);
}

void Server::OnInserted(int db_index, std::string_view key) {
  watches_.OnInserted(db_index, key);
  NotifyKeyspaceEvent(*this, kNotifyNew, "new", key, db_index);
}

void Server::UpdateNewKeyEvents() {
  bool want = (config_.notify_keyspace_events & kNotifyNew) != 0;
  if (want == inserts_for_notify_) return;
  inserts_for_notify_ = want;
  for (int i = 0; i < keyspace_.databases(); ++i) {
    if (want) {
      keyspace_.db(i).AddInsertListener();
    } else {
      keyspace_.db(i).RemoveInsertListener();
    }
  }
}

bool Server::ProtectedActionAllowed(ProtectedAction setting, const Client& client) {
  return setting == ProtectedAction::kYes ||
         (setting == ProtectedAction::kLocal && client.is_local);
}

void Server::OnBlockableStored(int db_index, std::string_view key) {
  blocking_.SignalKeyReady(db_index, key);
}

void Server::RejectCommand(Client& client, std::string_view msg, const Command* cmd) {
  if (cmd != nullptr && cmd->name == "exec") return AbortExec(client, msg);
  // Inside MULTI a refused command dooms the transaction (EXECABORT).
  FlagTransactionError(client.tx.get());
  client.rb.Error(msg);
}

void Server::AbortExec(Client& client, std::string_view msg) {
  // As Redis: a refused EXEC, in MULTI or not, discards the transaction and
  // names the reason, without an "ERR " code but with any other (checked
  // against 7.0.15: "EXECABORT Transaction discarded because of: wrong number
  // of arguments for 'exec' command", "... because of: NOAUTH Authentication
  // required.").
  DiscardTransaction(*this, client);
  if (msg.starts_with("ERR ")) msg.remove_prefix(4);
  client.rb.Error("EXECABORT Transaction discarded because of: " + std::string(msg));
}

void Server::Dispatch(Client& client, const std::vector<std::string_view>& args) {
  int64_t now = cached_now_ms_;
  client.last_interaction_ms = now;

  bool unknown_sub = false;
  const Command* cmd = commands_.Lookup(args, &unknown_sub);
  // A container reached without a subcommand it can run is reported like Redis.
  if (cmd != nullptr && cmd->handler == nullptr && cmd->ArityOk(args.size())) {
    cmd = nullptr;
    unknown_sub = args.size() > 1;
  }
  if (cmd == nullptr) {
    std::string msg;
    if (unknown_sub) {
      std::string upper(args[0]);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      msg = "ERR unknown subcommand '" + std::string(args[1].substr(0, 128)) + "'. Try " + upper +
            " HELP.";
    } else {
      std::string tail;
      for (size_t i = 1; i < args.size() && tail.size() < 128; ++i) {
        tail += "'" + std::string(args[i].substr(0, 128 - tail.size())) + "' ";
      }
      msg = "ERR unknown command '" + std::string(args[0].substr(0, 128)) +
            "', with args beginning with: " + tail;
    }
    return RejectCommand(client, msg);
  }
  // Like Redis, CLIENT INFO and ACL LOG show the command being run.
  client.last_command = cmd->full_name;
  if (!cmd->ArityOk(args.size())) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client,
                         "ERR wrong number of arguments for '" + cmd->full_name + "' command", cmd);
  }
  // A script runs past busy-reply-threshold (this request comes from the busy
  // pump): only SCRIPT KILL and SHUTDOWN NOSAVE (and connection bookkeeping
  // flagged allow_busy) get through, as in Redis.
  bool shutdown_while_busy = false;
  if (scripts_->busy()) {
    // SCRIPT KILL does not stop a function, nor FUNCTION KILL/STATS a script.
    const char* other = scripts_->running_function() ? "script" : "function";
    bool allowed =
        cmd->has(kCmdAllowBusy) && !(cmd->parent != nullptr && cmd->parent->name == other);
    if (cmd->name == "shutdown") {
      allowed = false;
      for (size_t i = 1; i < args.size(); ++i) {
        if (args[i].size() == 6 && strncasecmp(args[i].data(), "nosave", 6) == 0) allowed = true;
      }
      shutdown_while_busy = allowed;
    }
    if (!allowed) {
      ++cmd->stats.rejected_calls;
      return RejectCommand(client, scripts_->BusyError());
    }
  }
  if (cmd->has(kCmdProtected) && !ProtectedActionAllowed(config_.enable_debug_command, client)) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, errors::kDebugDisabled, cmd);
  }
  if (!client.authenticated && !cmd->has(kCmdNoAuth) && acl_.AuthRequired()) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, errors::kNoAuth, cmd);
  }
  // Transactions (server/multi.h).
  bool in_multi = client.in_multi();
  if (in_multi && cmd->has(kCmdNoMulti)) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, errors::kNoMultiCommand, cmd);
  }
  // [auth] ACL: NOPERM for commands, keys and channels the user may not use
  // (inside MULTI the refusal also dooms the transaction; a refused EXEC
  // discards it).
  if (client.user != nullptr && !client.user->unrestricted) {
    std::string refusal = acl_.Refusal(client, *cmd, args, now);
    if (!refusal.empty()) {
      ++cmd->stats.rejected_calls;
      return RejectCommand(client, refusal, cmd);
    }
  }
  // EXEC counts as a write / denyoom command when its queue holds one.
  const bool is_exec = in_multi && cmd->name == "exec";
  const uint64_t effective_flags = is_exec ? cmd->flags | client.tx->queued_flags : cmd->flags;
  // [memory] Evict before a command that may add memory; refuse it with OOM
  // when nothing more can go. Inside MULTI every command but the transaction
  // controls is refused then, since queueing itself takes memory.
  if (config_.maxmemory != 0) {
    bool may_refuse =
        (effective_flags & kCmdDenyOom) != 0 ||
        (in_multi && !IsTransactionControl(*cmd) && cmd->name != "quit" && cmd->name != "reset");
    if (may_refuse && !memory_.AdmitWrite()) {
      ++cmd->stats.rejected_calls;
      return is_exec ? AbortExec(client, kOomError) : RejectCommand(client, kOomError);
    }
  }
  // A monitor is a replica to Redis: it may not touch keys.
  if (client.monitor && (cmd->flags & (kCmdWrite | kCmdReadOnly | kCmdMayReplicate)) != 0) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, "ERR Replica can't interact with the keyspace", cmd);
  }
  // RESP2 subscriber context (server/pubsub.h): only (un)subscribing, PING,
  // QUIT and RESET. RESP3 clients may run anything.
  if (client.subscribed() && client.rb.resp() == 2 && !AllowedWhileSubscribed(*cmd)) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client,
                         "ERR Can't execute '" + cmd->full_name +
                             "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
                             "RESET are allowed in this context",
                         cmd);
  }
  // After a failed background save, writes (and PING, as in Redis) are refused.
  if (snapshots_->WritesDenied() && ((effective_flags & kCmdWrite) != 0 || cmd->name == "ping")) {
    ++cmd->stats.rejected_calls;
    return is_exec ? AbortExec(client, errors::kMisconf) : RejectCommand(client, errors::kMisconf);
  }
  if (aof_->WritesDenied() && ((effective_flags & kCmdWrite) != 0 || cmd->name == "ping")) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, aof_->WriteErrorReply(), cmd);
  }
  // While the dump loads, only commands flagged "loading" run.
  if (snapshots_->loading() && !cmd->has(kCmdLoading)) {
    ++cmd->stats.rejected_calls;
    return RejectCommand(client, errors::kLoading, cmd);
  }

  // CLIENT REPLY OFF/SKIP: run the command but drop its reply.
  bool skip_this = client.reply_mode == ReplyMode::kSkip;
  if (skip_this || client.reply_mode == ReplyMode::kOff) client.rb.set_muted(true);

  if (in_multi && !IsTransactionControl(*cmd)) {
    QueueCommand(client, *cmd, args);
    client.rb.Raw("+QUEUED\r\n");
  } else {
    Call(client, *cmd, args, now);
    if (shutdown_while_busy) scripts_->ForceKill();
  }

  if (skip_this) client.reply_mode = ReplyMode::kOn;
  if (client.reply_mode == ReplyMode::kSkipNext) client.reply_mode = ReplyMode::kSkip;
  client.rb.set_muted(client.reply_mode == ReplyMode::kOff);
  // Work due once per request, after everything it changed (a whole EXEC
  // counts as one request): clients blocked on keys the command stored are
  // served before the next command runs...
  if (blocking_.has_ready_keys()) blocking_.ServeReadyKeys();
  // ...and a client over its output limit is scheduled to close.
  EnforceOutputBufferLimit(*this, client, now);
}

void Server::Call(Client& client, const Command& cmd, const std::vector<std::string_view>& args,
                  int64_t now_ms) {
  CommandContext ctx{*this, client, client.rb, args, cmd, now_ms};
  uint64_t errors_before = client.rb.error_count();
  // Dirt from expiries met on the way is propagated (as DEL) by OnExpired;
  // only the command's own changes decide whether its argv is logged.
  const uint64_t dirty_before = stats_.dirty - stats_.expired_keys;
  const int db_before = client.db;
  uint64_t start = CycleClock::Now();
  SetCrashContextCommand(cmd.full_name.c_str());
  cmd.handler(ctx);
  SetCrashContextCommand(nullptr);
  if (!ctx.propagate_custom && cmd.has(kCmdWrite) &&
      stats_.dirty - stats_.expired_keys != dirty_before) {
    Propagate(db_before, args);
  }
  uint64_t ticks = CycleClock::Now() - start;
  ++cmd.stats.calls;
  cmd.stats.ticks += ticks;
  // Per executed command, so the commands inside EXEC are logged (EXEC
  // itself is skip_slowlog), as in Redis.
  if (config_.slowlog_log_slower_than >= 0 && !cmd.has(kCmdSkipSlowlog)) {
    auto us = static_cast<int64_t>(CycleClock::ToMicros(ticks));
    if (us >= config_.slowlog_log_slower_than) {
      slowlog_.Add(args, us, now_ms / 1000, client.addr, client.name,
                   static_cast<size_t>(config_.slowlog_max_len));
    }
  }
  // INFO latencystats, in Redis's unit (whole microseconds, recorded as ns).
  if (config_.latency_tracking && !client.blocked) {
    if (!cmd.stats.latency) cmd.stats.latency = LatencyHistogram::Create();
    cmd.stats.latency->Record(static_cast<int64_t>(CycleClock::ToMicros(ticks)) * 1000);
  }
  if (config_.latency_monitor_threshold > 0) {
    auto ms = static_cast<int64_t>(CycleClock::ToMicros(ticks) / 1000);
    if (ms >= config_.latency_monitor_threshold) {
      latency_.Record(cmd.has(kCmdFast) ? "fast-command" : "command", ms, now_ms / 1000);
    }
  }
  if (client.rb.error_count() != errors_before) ++cmd.stats.failed_calls;
  // Not while a dataset loads (a replayed file is no client's command).
  if (!monitors_.empty() && (cmd.flags & (kCmdAdmin | kCmdSkipMonitor)) == 0 &&
      !snapshots_->loading()) {
    FeedMonitors(client, client.db, cmd.name, args);
  }
  ++stats_.total_commands;
  client.last_command = cmd.full_name;
}

void Server::Cron() {
  RefreshClock();
  int64_t now = cached_now_ms_;
  // Active expiry: at most a quarter of the cron period, spread over the
  // databases round-robin so one large database cannot starve the others.
  if (active_expire_enabled_) {
    int64_t budget_us = 250000 / (config_.hz > 0 ? config_.hz : 10);
    int64_t deadline = MonotonicMicros() + budget_us;
    int n = keyspace_.databases();
    for (int i = 0; i < n && MonotonicMicros() < deadline; ++i) {
      Database& db = keyspace_.db(expire_db_cursor_);
      expire_db_cursor_ = (expire_db_cursor_ + 1) % n;
      if (db.expires_count() > 0) db.ActiveExpire(now, MonotonicMicros, deadline);
    }
  }
  // Up to 1 ms of rehashing per database, as Redis's active rehashing does.
  for (int i = 0; i < keyspace_.databases(); ++i) {
    keyspace_.db(i).RehashUntil(MonotonicMicros, MonotonicMicros() + 1000);
  }
  memcache_->Cron();
  memory_.Cron();      // [memory] finish evictions cut short, track the peak
  snapshots_->Cron();  // reaps a finished BGSAVE, starts a due one
  aof_->Cron();        // reaps a finished rewrite, syncs under everysec
  AllocatorDecay();
  blocking_.HandleTimeouts(now);  // fallback for the network's deadline timer

  int64_t mono_ms = MonotonicMicros() / 1000;
  if (stats_.ops_sample_time_ms != 0 && mono_ms > stats_.ops_sample_time_ms) {
    double ops = static_cast<double>(stats_.total_commands - stats_.ops_sample_last);
    double secs = static_cast<double>(mono_ms - stats_.ops_sample_time_ms) / 1000.0;
    stats_.ops_per_sec = ops / secs;
  }
  stats_.ops_sample_last = stats_.total_commands;
  stats_.ops_sample_time_ms = mono_ms;
}

void Server::Propagate(int db, std::span<const std::string_view> argv) {
  if (!aof_->active()) return;
  if (propagate_group_depth_ > 0 && !propagate_group_open_) {
    propagate_group_open_ = true;
    static constexpr std::string_view kMulti[] = {"MULTI"};
    aof_->Feed(db, kMulti);
  }
  aof_->Feed(db, argv);
}

void Server::EndPropagateGroup() {
  if (--propagate_group_depth_ > 0 || !propagate_group_open_) return;
  propagate_group_open_ = false;
  if (aof_->active()) aof_->FeedRaw("*1\r\n$4\r\nEXEC\r\n");
}

void Server::UseAofFileSystemForTesting(FileSystem& fs) { aof_ = std::make_unique<Aof>(*this, fs); }

bool Server::propagation_active() const { return aof_->active(); }

void CommandContext::PropagateAs(std::span<const std::string_view> argv) {
  propagate_custom = true;
  server.Propagate(client.db, argv);
}

Database& CommandContext::db() { return server.keyspace().db(client.db); }
void CommandContext::AddDirty(int64_t n) { server.stats().dirty += static_cast<uint64_t>(n); }

}  // namespace duet
