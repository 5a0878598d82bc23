#pragma once
// Duet's configuration: the typed settings the server acts on (ServerConfig),
// the redis.conf loader with command-line overrides (LoadConfig), and the
// runtime CONFIG GET / CONFIG SET engine (Config).
//
// Every directive Redis 7.0.15 knows is accepted with Redis's syntax, defaults
// and error texts (see server/config_table.h for the list and the status of
// each one: implemented, no effect in Duet, or refused until a later version
// implements it).
// CONFIG REWRITE (server/config_rewrite.cc) writes the running configuration
// back into the file named by CommandLine::config_path.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/collection_limits.h"
#include "utils/status.h"

namespace duet {

enum class LogLevel : uint8_t { kDebug, kVerbose, kNotice, kWarning };

// enable-debug-command, enable-protected-configs: "local" allows the action
// only from a loopback or Unix-socket client.
enum class ProtectedAction : uint8_t { kNo, kYes, kLocal };

// client-output-buffer-limit for one client class: close a client whose
// pending output reaches `hard` bytes, or stays at or above `soft` bytes for
// `soft_seconds` (0 = no limit of that kind).
struct OutputBufferLimit {
  uint64_t hard = 0;
  uint64_t soft = 0;
  int64_t soft_seconds = 0;
};
// Client classes, in the order the directive lists them.
enum class ClientClass : uint8_t { kNormal = 0, kReplica = 1, kPubSub = 2 };

// The settings Duet acts on. Member initialisers are the defaults a server
// has without any configuration; each one equals the default that
// server/config_table.cc declares for its directive (a unit test checks it).
// appendfsync values.
constexpr int kAppendFsyncEverysec = 0;
constexpr int kAppendFsyncAlways = 1;
constexpr int kAppendFsyncNo = 2;

struct ServerConfig {
  // Network.
  int port = 6379;
  // Addresses to listen on; a leading '-' marks an address that may be
  // unavailable (e.g. no IPv6) without failing the start-up. Duet listens on
  // loopback only unless configured otherwise (Redis's built-in is "* -::*").
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};
  bool protected_mode = true;
  int tcp_backlog = 511;
  int timeout = 0;  // idle seconds before a client is closed; 0 = never
  int tcp_keepalive = 300;
  // RESP over a Unix socket at this path ("" = none), with these permission
  // bits (0 = as the umask leaves them). The socket file is removed at exit.
  std::string unixsocket;
  uint32_t unixsocketperm = 0;

  // General.
  bool daemonize = false;
  std::string pidfile;  // "" = none
  LogLevel loglevel = LogLevel::kNotice;
  int supervised = 0;   // 0 no, 1 upstart, 2 systemd, 3 auto (systemd when NOTIFY_SOCKET is set)
  std::string logfile;  // "" = standard output
  int databases = 16;
  // Working directory for data files. The loader only checks it; the owner
  // chdir()s to it after loading (when not empty) and in an OnChange("dir")
  // callback. CONFIG GET dir reports getcwd(), as Redis does.
  std::string dir;

  // Limits.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  uint32_t maxclients = 10000;

  // Server cron.
  int hz = 10;                              // kept within [1, 500], like Redis
  int64_t slowlog_log_slower_than = 10000;  // microseconds; -1 = off, 0 = every command
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;  // milliseconds; 0 = latency monitor off
  bool latency_tracking = true;           // per-command histograms for INFO latencystats
  std::string latency_tracking_info_percentiles = "50 99 99.9";  // CONFIG GET form
  bool dynamic_hz = true;
  int active_expire_effort = 1;  // 1..10
  // Not a directive: DEBUG SET-ACTIVE-EXPIRE turns it off for tests.
  bool active_expire_enabled = true;

  // Encodings of small collections. Redis 7.0.15's built-in default for
  // hash-max-listpack-entries is 512 (CollectionLimits says 128, the value of
  // some sample redis.conf files).
  CollectionLimits collections = [] {
    CollectionLimits limits;
    limits.hash_max_listpack_entries = 512;
    return limits;
  }();

  // RDB snapshots (see server/snapshots.h).
  std::string save = "3600 1 300 100 60 10000";  // save points, CONFIG GET form; "" = none
  std::string dbfilename = "dump.rdb";           // in `dir`
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool stop_writes_on_bgsave_error = true;
  bool rdb_del_sync_files = false;  // only matters with replication, which Duet lacks
  bool rdb_save_incremental_fsync = true;
  int rdb_key_save_delay = 0;  // hidden, for tests: microseconds slept per key saved
  int key_load_delay = 0;      // hidden, for tests: microseconds slept per key loaded
  int loading_process_events_interval_bytes = 2 * 1024 * 1024;

  // Append-only file (see server/aof.h).
  bool appendonly = false;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";  // inside `dir`
  int appendfsync = 0;  // kAppendFsyncEverysec / kAppendFsyncAlways / kAppendFsyncNo
  bool no_appendfsync_on_rewrite = false;
  int auto_aof_rewrite_percentage = 100;  // 0 = no automatic rewrite
  int64_t auto_aof_rewrite_min_size = 64LL * 1024 * 1024;
  bool aof_load_truncated = true;
  bool aof_use_rdb_preamble = true;
  bool aof_rewrite_incremental_fsync = true;
  bool aof_timestamp_enabled = false;  // "#TS:<unix seconds>" annotations
  bool aof_disable_auto_gc = false;    // keep history files after a rewrite

  // Security.
  ProtectedAction enable_debug_command = ProtectedAction::kNo;
  ProtectedAction enable_protected_configs = ProtectedAction::kNo;

  // Authentication and ACLs (server/acl.h).
  std::string requirepass;  // "" = the default user needs no password
  std::string aclfile;
  int64_t acllog_max_len = 128;
  int acl_pubsub_default = 0;  // 0 resetchannels, 1 allchannels
  // The `user` lines of the configuration file, in order: the name, then
  // the rules (a "(...)" selector as one element).
  std::vector<std::vector<std::string>> acl_users;

  // Memory limit and eviction (server/memory_guard.h, storage/eviction.h).
  int64_t busy_reply_threshold = 5000;  // ms a script runs before others get BUSY
  uint64_t maxmemory = 0;               // bytes; 0 = no limit
  int maxmemory_policy = 7;             // an EvictionPolicy value; 7 = noeviction
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;

  // Pub/Sub (server/notify.h, server/output_limits.h).
  // notify-keyspace-events as NotifyClass bits (server/notify.h); 0 = none.
  int notify_keyspace_events = 0;
  // client-output-buffer-limit, indexed by ClientClass.
  OutputBufferLimit client_output_buffer_limit[3] = {
      {0, 0, 0}, {256ULL << 20, 64ULL << 20, 60}, {32ULL << 20, 8ULL << 20, 60}};

  // Memcached listener (Duet only; see server/memcache/handler.h).
  int memcached_port = 0;  // 0 = no memcached listener
  std::vector<std::string> memcached_bind = {"127.0.0.1"};
  int memcached_db = 0;
  int64_t memcached_max_item_size = 1024 * 1024;
  int memcached_maxconns = 1024;
  bool memcached_unauthenticated = false;

  // Values of the directives that have no field above (the ones Duet accepts
  // without acting on them), keyed by canonical name, in CONFIG GET's form.
  // A missing key means Redis's default.
  std::map<std::string, std::string, std::less<>> other_values;
};

// --directive value... pairs from the command line, in order. The name is the
// text after "--", untouched (it may even hold spaces: "--port 7000" as one
// argument); the loader turns each pair into one configuration line.
using ConfigOverrides = std::vector<std::pair<std::string, std::vector<std::string>>>;

// `duet-server [configfile] [-] [--directive value ...]`, read exactly as
// redis-server 7.0 reads it: a first argument not starting with '-' is the
// configuration file; "-" as the first or last argument reads more
// configuration from standard input; "--name" starts a directive and the
// following arguments are its values, until the next "--name" that follows
// at least one value ("--save" and "--sentinel" alone may be empty).
struct CommandLine {
  enum class Action : uint8_t { kRun, kVersion, kHelp };
  Action action = Action::kRun;  // -v/--version and -h/--help as first argument
  std::string config_path;       // absolute, like Redis; "" when none given
  bool config_from_stdin = false;
  ConfigOverrides overrides;
};
CommandLine ParseCommandLine(int argc, const char* const* argv);

// Builds a configuration from defaults, then the file at `path` ("" for none,
// "-" for standard input), then `overrides`, exactly as redis-server does,
// including `include` (with glob patterns) and Redis's line numbering (the
// overrides are numbered as lines after the file's). Directives that have no
// effect in Duet add one warning each to `warnings`.
//
// On failure *out is unspecified and the message is what to print on stderr
// (followed by a newline) before exiting with status 1, e.g.
//
//   (empty line)
//   *** FATAL CONFIG FILE ERROR (Duet 0.1.0) ***
//   Reading the configuration file, at line 3
//   >>> 'port abc'
//   argument couldn't be parsed into an integer
Status LoadConfig(const std::string& path, const ConfigOverrides& overrides, ServerConfig* out,
                  std::vector<std::string>* warnings);
// Same, taking the file and stdin flag from a parsed command line.
Status LoadConfig(const CommandLine& command_line, ServerConfig* out,
                  std::vector<std::string>* warnings);
// Same, with `text` in place of the file's contents (tests, embedding).
Status LoadConfigFromText(std::string_view text, const ConfigOverrides& overrides,
                          ServerConfig* out, std::vector<std::string>* warnings);

// CONFIG REWRITE: the new text of a configuration file whose current text is
// `old_text` (nullopt: the file does not exist), for the running `config`.
// `user_lines` are the ACL `user ...` lines to write when no aclfile is set
// (Acl::ListLines()). The rules are redis-server 7.0.15's; see the comment at
// the top of server/config_rewrite.cc.
std::string RewriteConfigText(std::optional<std::string_view> old_text, const ServerConfig& config,
                              const std::vector<std::string>& user_lines);
// Reads `path`, computes the new text and replaces the file atomically. The
// error message is the complete reply ("ERR The server is running without a
// config file" for an empty path, "ERR Rewriting config file: <strerror>").
Status RewriteConfigFile(const std::string& path, const ServerConfig& config,
                         const std::vector<std::string>& user_lines);

struct ConfigSetContext {
  bool client_is_local = false;  // loopback or Unix socket: for "local" protected configs
  bool loading = false;          // a dataset is loading: some parameters are refused
};

// CONFIG GET / CONFIG SET over a ServerConfig the caller owns (it must outlive
// this object). Single-threaded, like the rest of the server.
class Config {
 public:
  // Runs after CONFIG SET changed one of its parameters, with the new values
  // already in the ServerConfig. An error undoes the whole CONFIG SET (every
  // parameter is restored and every callback of the command runs again) and
  // its message becomes the reason in the reply.
  using ApplyFn = std::function<Status(const ServerConfig&)>;

  explicit Config(ServerConfig* server);

  // CONFIG GET pattern [pattern ...]: every parameter whose canonical name or
  // alias matches a glob pattern (case-insensitive; hidden parameters need
  // their exact name), each reported once, under the name that matched (an
  // exact name is echoed as typed).
  std::vector<std::pair<std::string, std::string>> Get(
      const std::vector<std::string_view>& patterns) const;

  // CONFIG SET name value [name value ...]: all or nothing. Errors are
  // complete reply texts ("ERR CONFIG SET failed (possibly related to argument
  // 'hz') - argument couldn't be parsed into an integer"). The caller checks
  // the argument count (an odd number of arguments is "ERR syntax error").
  Status Set(const std::vector<std::pair<std::string_view, std::string_view>>& pairs,
             const ConfigSetContext& context = ConfigSetContext{});

  // Registers `fn` for the named parameters (canonical names or aliases); one
  // CONFIG SET that changes several of them calls it once. Returns false, and
  // registers nothing, if a name is unknown.
  bool OnChange(std::string_view name, ApplyFn fn);
  bool OnChange(std::initializer_list<std::string_view> names, ApplyFn fn);

  // True for parameters whose values must not appear in logs (requirepass...).
  static bool IsSensitive(std::string_view name);

 private:
  ServerConfig* server_;
  std::vector<ApplyFn> callbacks_;
  std::vector<int> callback_of_param_;  // per table index; -1 = none
};

}  // namespace duet
