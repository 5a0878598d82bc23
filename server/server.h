#pragma once
// Server: the state every command can reach — configuration, keyspace,
// command table, connected clients, statistics — and the command dispatcher.
// It knows nothing about sockets: the Network (server/network.h) feeds it
// requests, and in-process tests drive it directly with a Client.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/acl.h"
#include "server/blocking.h"
#include "server/client.h"
#include "server/command.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/latency.h"
#include "server/memory_guard.h"
#include "server/slowlog.h"
#include "storage/keyspace.h"
#include "utils/status.h"

namespace duet {

struct ServerStats {
  int64_t start_ms = 0;
  uint64_t total_connections = 0;
  uint64_t total_commands = 0;
  uint64_t rejected_connections = 0;
  uint64_t expired_keys = 0;
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t dirty = 0;  // changes since the last save
  // fork() calls (background saves and rewrites) and how long the last took.
  uint64_t total_forks = 0;
  int64_t latest_fork_usec = 0;
  int64_t fork_started_us = 0;                   // monotonic, while a fork() is under way
  std::map<std::string, uint64_t> error_counts;  // by error code ("ERR", "WRONGTYPE")
  // Samples for instantaneous_ops_per_sec (taken by the cron).
  uint64_t ops_sample_last = 0;
  int64_t ops_sample_time_ms = 0;
  double ops_per_sec = 0;
};

// Where a fork() for a background save stands (NetworkHooks::notify_fork).
enum class ForkPhase { kPrepare, kParent, kChild };

// Hooks the network layer installs so commands can act on connections.
struct NetworkHooks {
  std::function<void()> request_shutdown;
  // Pause: CLIENT PAUSE; the network stops processing commands until then.
  std::function<void()> clients_changed;
  // Called around fork() (BGSAVE): the event loop must be told, and the
  // child closes the listening sockets.
  std::function<void(ForkPhase)> notify_fork;
  // Blocking commands: a blocked client must be woken at this Unix time (ms)
  // by calling blocking().HandleTimeouts; the cron is only a fallback.
  std::function<void(int64_t unix_ms)> block_deadline;
  // A script runs past busy-reply-threshold: serve other clients now (they
  // get BUSY; see ScriptEngine). Re-entrant from inside the script's command.
  std::function<void()> process_events_while_busy;
};

class Aof;
class FileSystem;
class McHandler;
class ScriptEngine;
class Snapshots;

class Server : public KeyspaceObserver {
 public:
  explicit Server(ServerConfig config);
  ~Server() override;

  // Loads the command specs and binds every handler. Must succeed before use.
  Status Init();

  // Runs one request from `client` (args non-empty) and writes its reply.
  void Dispatch(Client& client, const std::vector<std::string_view>& args);
  // Runs an already checked command: the handler plus its statistics. Dispatch
  // uses it, and EXEC for each queued command (so work that must happen once
  // per request, after everything it changed, belongs in Dispatch, not here).
  void Call(Client& client, const Command& cmd, const std::vector<std::string_view>& args,
            int64_t now_ms);

  // --- Propagation: what a command changed, as commands for the AOF -------
  //
  // Server::Call propagates a write command's argv (in the database the
  // client had selected when it started) when the command made the dataset
  // dirty; expiries and evictions propagate DEL. A handler changes that with
  // CommandContext::PropagateAs / PropagateNone (server/command.h).
  //
  // Groups: everything propagated between BeginPropagateGroup() and the
  // matching EndPropagateGroup() is wrapped in MULTI ... EXEC, so a replay
  // applies it atomically. The MULTI is written lazily, before the first
  // propagated command, so a group that changed nothing leaves no trace.
  // Groups nest (only the outermost pair counts). EXEC uses it; a script
  // runner does the same around a script body:
  //     server.BeginPropagateGroup();
  //     ... server.Call(fake_client, cmd, argv, now) for each redis.call ...
  //     server.EndPropagateGroup();
  // (Call propagates each command itself; nothing else is needed.)
  //
  // Propagate() logs one command as run in database `db`; cheap no-op when
  // the AOF is off.
  void Propagate(int db, std::span<const std::string_view> argv);
  void Propagate(int db, std::initializer_list<std::string_view> argv) {
    Propagate(db, std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  void BeginPropagateGroup() { ++propagate_group_depth_; }
  void EndPropagateGroup();
  // True when propagated commands go somewhere (handlers may skip building
  // a deterministic form otherwise).
  bool propagation_active() const;

  // Periodic work (expiry, rehashing, statistics); `hz` times per second.
  void Cron();

  ServerConfig& config() { return config_; }
  Config& config_api() { return config_api_; }
  // CONFIG RESETSTAT: zero the counters INFO reports.
  void ResetStats();
  Keyspace& keyspace() { return keyspace_; }
  CommandTable& commands() { return commands_; }
  ServerStats& stats() { return stats_; }
  NetworkHooks& hooks() { return hooks_; }
  // Runs the requests of memcached connections (server/memcache/handler.h).
  McHandler& memcache() { return *memcache_; }
  Acl& acl() { return acl_; }
  MemoryGuard& memory() { return memory_; }
  // RDB persistence state: SAVE/BGSAVE, save points, loading (server/snapshots.h).
  Snapshots& snapshots() { return *snapshots_; }
  // Append-only file (server/aof.h).
  Aof& aof() { return *aof_; }
  // Tests: a fresh Aof (state off) whose files live in `fs`.
  void UseAofFileSystemForTesting(FileSystem& fs);
  BlockingManager& blocking() { return blocking_; }
  PubSub& pubsub() { return pubsub_; }
  WatchRegistry& watches() { return watches_; }
  // Lua scripting: EVAL, SCRIPT (server/script_engine.h).
  ScriptEngine& scripts() { return *scripts_; }

  // Current Unix time in ms, plus a test offset (see AdvanceTimeForTesting).
  int64_t NowMs() const;
  // Commands see the time taken when their batch of requests was read (one
  // clock read per batch, like Redis's cached time); RefreshClock takes it.
  void RefreshClock() {
    cached_now_ms_ = NowMs();
    keyspace_.access_clock().now_ms = cached_now_ms_;
  }
  int64_t cached_now_ms() const { return cached_now_ms_; }
  // Tests: from now on NowMs follows only AdvanceTimeForTesting, not the wall
  // clock, so exact PTTL or PEXPIRETIME assertions hold even when a slow
  // (sanitizer) run crosses a millisecond between two commands.
  void FreezeClockForTesting() { frozen_unix_ms_ = NowMs() - time_offset_ms_; }
  void AdvanceTimeForTesting(int64_t ms) {
    time_offset_ms_ += ms;
    RefreshClock();
  }
  bool active_expire_enabled() const { return active_expire_enabled_; }
  void set_active_expire_enabled(bool v) { active_expire_enabled_ = v; }

  // Clients (for CLIENT LIST/KILL, INFO clients).
  uint64_t NextClientId() { return ++last_client_id_; }
  // Registers a new connection as the default user. Under protected mode a
  // non-local peer gets Redis's DENIED error instead: the caller must then
  // send the reply and close (c->close_after_reply is set).
  void AddClient(Client* c);
  void RemoveClient(Client* c);
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  Client* FindClient(uint64_t id) const;

  // CLIENT PAUSE: until `until_ms`, all (or only write) commands wait.
  void PauseClients(int64_t until_ms, bool writes_only);
  void UnpauseClients() { pause_until_ms_ = 0; }
  // True if `cmd` must wait because clients are paused. With `client` given,
  // an EXEC counts as a write when its queued commands write (as in Redis).
  bool IsPaused(const Command& cmd, int64_t now_ms, const Client* client = nullptr) const;
  int64_t pause_until_ms() const { return pause_until_ms_; }
  // The same for requests outside the command table (memcached): whether a
  // request must wait, given whether it may write.
  bool IsPausedRequest(bool may_write, int64_t now_ms) const {
    if (pause_until_ms_ == 0 || now_ms >= pause_until_ms_) return false;
    return !pause_writes_only_ || may_write;
  }

  Slowlog& slowlog() { return slowlog_; }
  LatencyMonitor& latency() { return latency_; }
  std::mt19937_64& rng() { return rng_; }
  const std::string& executable() const { return executable_; }
  void set_executable(std::string p) { executable_ = std::move(p); }
  const std::string& config_file() const { return config_file_; }
  void set_config_file(std::string p) { config_file_ = std::move(p); }
  uint16_t bound_port() const { return bound_port_; }
  void set_bound_port(uint16_t p) { bound_port_ = p; }
  const std::string& run_id() const { return run_id_; }

  // KeyspaceObserver
  void OnExpired(int db_index, std::string_view key) override;
  void OnBlockableStored(int db_index, std::string_view key) override;
  void OnInserted(int db_index, std::string_view key) override;

  // MONITOR (server/monitor.h). A monitor stays registered until RESET or
  // its disconnection.
  void AddMonitor(Client* c);
  void RemoveMonitor(Client* c);
  const std::vector<Client*>& monitors() const { return monitors_; }
  // Sends the line for `args` (run by `client`, now in database `db`) to
  // every monitor. Call runs it for each executed command that is neither
  // admin nor skip_monitor; a script's client is shown as its monitor_addr
  // ("lua"). Scripting calls it itself for EVAL/FCALL (flagged skip_monitor)
  // before running the script, as Redis shows EVAL before the script's commands.
  void FeedMonitors(const Client& client, int db, std::string_view command_name,
                    const std::vector<std::string_view>& args);

  // Counts an error reply by its code for INFO errorstats.
  void CountError(std::string_view msg);

 private:
  // Answers `msg` for a command refused before it ran (`cmd` when known:
  // a refused EXEC aborts the transaction).
  void RejectCommand(Client& client, std::string_view msg, const Command* cmd = nullptr);
  // A refused EXEC: the transaction is discarded, the reply names the reason.
  void AbortExec(Client& client, std::string_view msg);
  // Keeps the databases' insert listeners in step with the 'n' event class.
  void UpdateNewKeyEvents();
  static bool ProtectedActionAllowed(ProtectedAction setting, const Client& client);

  ServerConfig config_;
  Config config_api_{&config_};
  Keyspace keyspace_;
  PubSub pubsub_{*this};
  WatchRegistry watches_{keyspace_};
  bool inserts_for_notify_ = false;  // insert listeners added for "new" events
  CommandTable commands_;
  ServerStats stats_;
  Slowlog slowlog_;
  LatencyMonitor latency_;
  NetworkHooks hooks_;
  std::unique_ptr<Snapshots> snapshots_;
  std::unique_ptr<Aof> aof_;
  int propagate_group_depth_ = 0;
  bool propagate_group_open_ = false;  // MULTI written for the current group
  BlockingManager blocking_{*this};
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> monitors_;
  uint64_t last_client_id_ = 0;
  int64_t time_offset_ms_ = 0;
  int64_t frozen_unix_ms_ = 0;  // 0: the wall clock runs (FreezeClockForTesting)
  int64_t cached_now_ms_ = 0;
  bool active_expire_enabled_ = true;
  int64_t pause_until_ms_ = 0;
  bool pause_writes_only_ = false;
  std::mt19937_64 rng_;
  std::string executable_;
  std::string config_file_;
  uint16_t bound_port_ = 0;
  std::string run_id_;
  int expire_db_cursor_ = 0;
  // Owned here, not by the Network: the server outlives every connection
  // (even those freed with the io_context), and sessions report to it.
  std::unique_ptr<McHandler> memcache_;
  Acl acl_{*this};
  MemoryGuard memory_{*this};
  std::unique_ptr<ScriptEngine> scripts_;
};

}  // namespace duet
