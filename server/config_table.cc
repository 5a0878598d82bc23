// The directive table. Ranges, defaults, flags and error behaviour are Redis
// 7.0.15's, checked against the real server; the status of each entry says
// what Duet does with it (see config_table.h).

#include "server/config_table.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "server/config_special.h"
#include "server/notify_classes.h"

namespace duet {
namespace {

constexpr int64_t kIntMin = std::numeric_limits<int32_t>::min();
constexpr uint64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr uint64_t kUIntMax = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kLongMax = std::numeric_limits<int64_t>::max();
constexpr uint64_t kULongLongMax = std::numeric_limits<uint64_t>::max();
constexpr int64_t kMb = 1024 * 1024;

// --- Field bindings ---------------------------------------------------------

template <auto Member>
constexpr FieldBinding NumField() {
  return {[](ServerConfig& c, const ParamValue& v) {
            using T = std::remove_reference_t<decltype(c.*Member)>;
            c.*Member = static_cast<T>(v.num);
          },
          [](const ServerConfig& c) {
            ParamValue v;
            v.num = static_cast<int64_t>(c.*Member);
            return v;
          }};
}

template <auto Member>
constexpr FieldBinding CollectionField() {
  return {[](ServerConfig& c, const ParamValue& v) { c.collections.*Member = v.num; },
          [](const ServerConfig& c) {
            ParamValue v;
            v.num = c.collections.*Member;
            return v;
          }};
}

template <auto Member>
constexpr FieldBinding TextField() {
  return {[](ServerConfig& c, const ParamValue& v) { c.*Member = v.text; },
          [](const ServerConfig& c) {
            ParamValue v;
            v.text = c.*Member;
            return v;
          }};
}

template <auto Member>
constexpr FieldBinding ListField() {
  return {[](ServerConfig& c, const ParamValue& v) { c.*Member = v.list; },
          [](const ServerConfig& c) {
            ParamValue v;
            v.list = c.*Member;
            return v;
          }};
}

// Redis accepts any hz up to INT_MAX but runs within [1, 500].
constexpr FieldBinding kHzField = {[](ServerConfig& c, const ParamValue& v) {
                                     c.hz = static_cast<int>(std::clamp<int64_t>(v.num, 1, 500));
                                   },
                                   [](const ServerConfig& c) {
                                     ParamValue v;
                                     v.num = c.hz;
                                     return v;
                                   }};

// notify-keyspace-events: its parser leaves the class bits in num.
constexpr FieldBinding kNotifyEventsField = {[](ServerConfig& c, const ParamValue& v) {
                                               c.notify_keyspace_events = static_cast<int>(v.num);
                                             },
                                             [](const ServerConfig& c) {
                                               ParamValue v;
                                               v.num = c.notify_keyspace_events;
                                               v.text =
                                                   FormatNotifyClasses(c.notify_keyspace_events);
                                               return v;
                                             }};

// client-output-buffer-limit: its parser leaves the complete canonical form,
// "normal <hard> <soft> <secs> slave <hard> <soft> <secs> pubsub ...".
constexpr FieldBinding kOutputBufferLimitField = {
    [](ServerConfig& c, const ParamValue& v) {
      std::vector<std::string_view> words;
      std::string_view t = v.text;
      while (!t.empty()) {
        size_t sp = t.find(' ');
        words.push_back(t.substr(0, sp));
        t = sp == std::string_view::npos ? std::string_view() : t.substr(sp + 1);
      }
      for (size_t cls = 0; cls < 3 && cls * 4 + 3 < words.size(); ++cls) {
        OutputBufferLimit& l = c.client_output_buffer_limit[cls];
        l.hard = std::stoull(std::string(words[cls * 4 + 1]));
        l.soft = std::stoull(std::string(words[cls * 4 + 2]));
        l.soft_seconds = std::stoll(std::string(words[cls * 4 + 3]));
      }
    },
    [](const ServerConfig& c) {
      static constexpr const char* kNames[3] = {"normal", "slave", "pubsub"};
      ParamValue v;
      for (size_t cls = 0; cls < 3; ++cls) {
        const OutputBufferLimit& l = c.client_output_buffer_limit[cls];
        if (cls) v.text.push_back(' ');
        v.text += std::string(kNames[cls]) + " " + std::to_string(l.hard) + " " +
                  std::to_string(l.soft) + " " + std::to_string(l.soft_seconds);
      }
      return v;
    }};

// --- Entry factories --------------------------------------------------------

constexpr ConfigParam Bool(std::string_view name, bool def) {
  ConfigParam p;
  p.name = name;
  p.kind = ParamKind::kBool;
  p.default_num = def ? 1 : 0;
  return p;
}

constexpr ConfigParam Number(std::string_view name, uint8_t format, int64_t min, uint64_t max,
                             int64_t def) {
  ConfigParam p;
  p.name = name;
  p.kind = ParamKind::kNumber;
  p.num_format = format;
  p.min = min;
  p.max = max;
  p.default_num = def;
  return p;
}
constexpr ConfigParam Int(std::string_view name, int64_t min, uint64_t max, int64_t def) {
  return Number(name, 0, min, max, def);
}
constexpr ConfigParam UInt(std::string_view name, int64_t min, uint64_t max, int64_t def) {
  return Number(name, kNumUnsigned, min, max, def);
}
constexpr ConfigParam Mem(std::string_view name, int64_t min, uint64_t max, int64_t def) {
  return Number(name, kNumMemory, min, max, def);
}
constexpr ConfigParam UMem(std::string_view name, int64_t min, uint64_t max, int64_t def) {
  return Number(name, kNumMemory | kNumUnsigned, min, max, def);
}

constexpr ConfigParam Enum(std::string_view name, std::span<const EnumOption> options,
                           int64_t def) {
  ConfigParam p;
  p.name = name;
  p.kind = ParamKind::kEnum;
  p.options = options;
  p.default_num = def;
  return p;
}
constexpr ConfigParam FlagSet(std::string_view name, std::span<const EnumOption> options,
                              int64_t def) {
  ConfigParam p = Enum(name, options, def);
  p.kind = ParamKind::kFlags;
  p.flags = kMultiArg;
  return p;
}

constexpr ConfigParam Str(std::string_view name, std::string_view def) {
  ConfigParam p;
  p.name = name;
  p.kind = ParamKind::kString;
  p.default_text = def;
  return p;
}

constexpr ConfigParam Special(std::string_view name, const SpecialOps& ops, std::string_view def,
                              uint16_t flags) {
  ConfigParam p;
  p.name = name;
  p.kind = ParamKind::kSpecial;
  p.special = &ops;
  p.default_text = def;
  p.flags = flags;
  return p;
}

// --- Enum values (numbers are internal; only the names are visible) -----------

constexpr EnumOption kLogLevels[] = {{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}};
constexpr EnumOption kProtectedActions[] = {{"no", 0}, {"yes", 1}, {"local", 2}};
constexpr EnumOption kMaxmemoryPolicies[] = {
    {"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2}, {"volatile-ttl", 3},
    {"allkeys-lru", 4},  {"allkeys-lfu", 5},  {"allkeys-random", 6},  {"noeviction", 7}};
constexpr EnumOption kSyslogFacilities[] = {{"user", 0},   {"local0", 1}, {"local1", 2},
                                            {"local2", 3}, {"local3", 4}, {"local4", 5},
                                            {"local5", 6}, {"local6", 7}, {"local7", 8}};
constexpr EnumOption kSupervisedModes[] = {{"upstart", 1}, {"systemd", 2}, {"auto", 3}, {"no", 0}};
constexpr EnumOption kAppendFsync[] = {{"everysec", 0}, {"always", 1}, {"no", 2}};
constexpr EnumOption kReplDisklessLoad[] = {{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}};
constexpr EnumOption kTlsAuthClients[] = {{"no", 0}, {"yes", 1}, {"optional", 2}};
// "yes" and "relative" are one value; CONFIG GET shows "yes".
constexpr EnumOption kOomScoreAdj[] = {{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}};
constexpr EnumOption kAclPubsubDefault[] = {{"allchannels", 1}, {"resetchannels", 0}};
constexpr EnumOption kSanitizeDumpPayload[] = {{"no", 0}, {"yes", 1}, {"clients", 2}};
constexpr EnumOption kClusterEndpointTypes[] = {
    {"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}};
constexpr EnumOption kPropagationErrorBehavior[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}};
constexpr EnumOption kShutdownOnSignal[] = {
    {"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}};

// Features a later version of Duet brings (the reason given when refused).
constexpr std::string_view kMaxmemory = "memory limits and eviction";

// clang-format off
const ConfigParam kParams[] = {
    // --- Implemented: network -------------------------------------------------
    Int("port", 0, 65535, 6379).Bind(NumField<&ServerConfig::port>()),
    Special("bind", kBindListOps, "127.0.0.1 -::1", kMultiArg)
        .Bind(ListField<&ServerConfig::bind>()),
    Bool("protected-mode", true).Bind(NumField<&ServerConfig::protected_mode>()),
    Int("tcp-backlog", 0, kIntMax, 511).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::tcp_backlog>()),
    Int("timeout", 0, kIntMax, 0).Bind(NumField<&ServerConfig::timeout>()),
    Int("tcp-keepalive", 0, kIntMax, 300).Bind(NumField<&ServerConfig::tcp_keepalive>()),
    Str("unixsocket", "").Flags(kImmutable).Bind(TextField<&ServerConfig::unixsocket>()),
    Number("unixsocketperm", kNumOctal | kNumUnsigned, 0, 0777, 0).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::unixsocketperm>()),

    // --- Implemented: general -------------------------------------------------
    Bool("daemonize", false).Flags(kImmutable).Bind(NumField<&ServerConfig::daemonize>()),
    Str("pidfile", "").Flags(kImmutable).Bind(TextField<&ServerConfig::pidfile>()),
    Enum("loglevel", kLogLevels, 2).Bind(NumField<&ServerConfig::loglevel>()),
    Str("logfile", "").Flags(kImmutable).Bind(TextField<&ServerConfig::logfile>()),
    Int("databases", 1, kIntMax, 16).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::databases>()),
    Special("dir", kDirOps, "", kProtected | kDenyLoading).Bind(TextField<&ServerConfig::dir>()),

    // --- Implemented: limits --------------------------------------------------
    Mem("proto-max-bulk-len", kMb, kLongMax, 512 * kMb)
        .Bind(NumField<&ServerConfig::proto_max_bulk_len>()),
    UMem("client-query-buffer-limit", kMb, kLongMax, 1024 * kMb)
        .Bind(NumField<&ServerConfig::client_query_buffer_limit>()),
    UInt("maxclients", 1, kUIntMax, 10000).Bind(NumField<&ServerConfig::maxclients>()),
    Special("client-output-buffer-limit", kClientOutputBufferLimitOps,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", kMultiArg)
        .Bind(kOutputBufferLimitField),

    // --- Implemented: Pub/Sub ---------------------------------------------------
    Special("notify-keyspace-events", kNotifyKeyspaceEventsOps, "", 0).Bind(kNotifyEventsField),

    // --- Implemented: server cron ---------------------------------------------
    Int("hz", 0, kIntMax, 10).Bind(kHzField),
    Bool("dynamic-hz", true).Bind(NumField<&ServerConfig::dynamic_hz>()),
    Int("active-expire-effort", 1, 10, 1).Bind(NumField<&ServerConfig::active_expire_effort>()),

    // --- Implemented: small-collection encodings ------------------------------
    Int("list-max-listpack-size", kIntMin, kIntMax, -2).Alias("list-max-ziplist-size")
        .Bind(CollectionField<&CollectionLimits::list_max_listpack_size>()),
    Int("list-compress-depth", 0, kIntMax, 0)
        .Bind(CollectionField<&CollectionLimits::list_compress_depth>()),
    UInt("set-max-intset-entries", 0, kLongMax, 512)
        .Bind(CollectionField<&CollectionLimits::set_max_intset_entries>()),
    UInt("hash-max-listpack-entries", 0, kLongMax, 512).Alias("hash-max-ziplist-entries")
        .Bind(CollectionField<&CollectionLimits::hash_max_listpack_entries>()),
    UMem("hash-max-listpack-value", 0, kLongMax, 64).Alias("hash-max-ziplist-value")
        .Bind(CollectionField<&CollectionLimits::hash_max_listpack_value>()),
    UInt("zset-max-listpack-entries", 0, kLongMax, 128).Alias("zset-max-ziplist-entries")
        .Bind(CollectionField<&CollectionLimits::zset_max_listpack_entries>()),
    UMem("zset-max-listpack-value", 0, kLongMax, 64).Alias("zset-max-ziplist-value")
        .Bind(CollectionField<&CollectionLimits::zset_max_listpack_value>()),

    // --- Implemented: security ------------------------------------------------
    Enum("enable-debug-command", kProtectedActions, 0).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::enable_debug_command>()),
    Enum("enable-protected-configs", kProtectedActions, 0).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::enable_protected_configs>()),

    // --- Implemented: Duet's memcached listener ---------------------------------
    Int("memcached-port", 0, 65535, 0).Bind(NumField<&ServerConfig::memcached_port>()),
    Special("memcached-bind", kBindListOps, "127.0.0.1", kMultiArg)
        .Bind(ListField<&ServerConfig::memcached_bind>()),
    Int("memcached-db", 0, kIntMax, 0).Bind(NumField<&ServerConfig::memcached_db>()),
    Mem("memcached-max-item-size", 1024, 1024 * kMb, kMb)
        .Bind(NumField<&ServerConfig::memcached_max_item_size>()),
    Int("memcached-maxconns", 1, kIntMax, 1024).Bind(NumField<&ServerConfig::memcached_maxconns>()),
    Bool("memcached-unauthenticated", false)
        .Bind(NumField<&ServerConfig::memcached_unauthenticated>()),

    // --- Implemented: RDB snapshots (server/snapshots.h) --------------------------
    Special("save", kSaveOps, "3600 1 300 100 60 10000", kMultiArg)
        .Bind(TextField<&ServerConfig::save>()),
    Str("dbfilename", "dump.rdb").Flags(kProtected).CheckText(CheckDbFilename)
        .Bind(TextField<&ServerConfig::dbfilename>()),
    Bool("rdbcompression", true).Bind(NumField<&ServerConfig::rdbcompression>()),
    Bool("rdbchecksum", true).Flags(kImmutable).Bind(NumField<&ServerConfig::rdbchecksum>()),
    Bool("rdb-save-incremental-fsync", true)
        .Bind(NumField<&ServerConfig::rdb_save_incremental_fsync>()),
    Bool("stop-writes-on-bgsave-error", true)
        .Bind(NumField<&ServerConfig::stop_writes_on_bgsave_error>()),
    Int("rdb-key-save-delay", kIntMin, kIntMax, 0).Flags(kHidden)
        .Bind(NumField<&ServerConfig::rdb_key_save_delay>()),
    Int("key-load-delay", kIntMin, kIntMax, 0).Flags(kHidden)
        .Bind(NumField<&ServerConfig::key_load_delay>()),
    Int("loading-process-events-interval-bytes", 1024, kIntMax, 2 * kMb).Flags(kHidden)
        .Bind(NumField<&ServerConfig::loading_process_events_interval_bytes>()),
    Enum("sanitize-dump-payload", kSanitizeDumpPayload, 0).Later("DUMP/RESTORE payload checks"),
    FlagSet("shutdown-on-sigint", kShutdownOnSignal, 0).CheckNum(CheckShutdownFlags)
        .Later("shutdown options for signals"),
    FlagSet("shutdown-on-sigterm", kShutdownOnSignal, 0).CheckNum(CheckShutdownFlags)
        .Later("shutdown options for signals"),

    // --- Implemented: append-only file (server/aof.h) ------------------------------
    Bool("appendonly", false).Flags(kDenyLoading).Bind(NumField<&ServerConfig::appendonly>()),
    Str("appendfilename", "appendonly.aof").Flags(kImmutable).CheckText(CheckAppendFilename)
        .Bind(TextField<&ServerConfig::appendfilename>()),
    Str("appenddirname", "appendonlydir").Flags(kImmutable).CheckText(CheckAppendDirname)
        .Bind(TextField<&ServerConfig::appenddirname>()),
    Enum("appendfsync", kAppendFsync, 0).Bind(NumField<&ServerConfig::appendfsync>()),
    Bool("no-appendfsync-on-rewrite", false)
        .Bind(NumField<&ServerConfig::no_appendfsync_on_rewrite>()),
    Int("auto-aof-rewrite-percentage", 0, kIntMax, 100)
        .Bind(NumField<&ServerConfig::auto_aof_rewrite_percentage>()),
    Mem("auto-aof-rewrite-min-size", 0, kLongMax, 64 * kMb)
        .Bind(NumField<&ServerConfig::auto_aof_rewrite_min_size>()),
    Bool("aof-load-truncated", true).Bind(NumField<&ServerConfig::aof_load_truncated>()),
    Bool("aof-use-rdb-preamble", true).Bind(NumField<&ServerConfig::aof_use_rdb_preamble>()),
    Bool("aof-rewrite-incremental-fsync", true)
        .Bind(NumField<&ServerConfig::aof_rewrite_incremental_fsync>()),
    // --- Later: append-only file extras -------------------------------------------
    Bool("aof-timestamp-enabled", false).Bind(NumField<&ServerConfig::aof_timestamp_enabled>()),
    Bool("aof-disable-auto-gc", false).Bind(NumField<&ServerConfig::aof_disable_auto_gc>()),

    // --- Implemented: memory limit and eviction ----------------------------------
    UMem("maxmemory", 0, kULongLongMax, 0).Bind(NumField<&ServerConfig::maxmemory>()),
    Enum("maxmemory-policy", kMaxmemoryPolicies, 7)
        .Bind(NumField<&ServerConfig::maxmemory_policy>()),
    Int("maxmemory-samples", 1, kIntMax, 5).Bind(NumField<&ServerConfig::maxmemory_samples>()),
    Int("maxmemory-eviction-tenacity", 0, 100, 10)
        .Bind(NumField<&ServerConfig::maxmemory_eviction_tenacity>()),
    Number("maxmemory-clients", kNumMemory | kNumPercent, -100, kLongMax, 0).Later(kMaxmemory),
    Int("lfu-log-factor", 0, kIntMax, 10).Bind(NumField<&ServerConfig::lfu_log_factor>()),
    Int("lfu-decay-time", 0, kIntMax, 1).Bind(NumField<&ServerConfig::lfu_decay_time>()),

    // --- Implemented: authentication and ACLs -------------------------------------
    Str("requirepass", "").Flags(kSensitive).Bind(TextField<&ServerConfig::requirepass>()),
    Str("aclfile", "").Flags(kImmutable).Bind(TextField<&ServerConfig::aclfile>()),
    UInt("acllog-max-len", 0, kLongMax, 128).Bind(NumField<&ServerConfig::acllog_max_len>()),
    Enum("acl-pubsub-default", kAclPubsubDefault, 0)
        .Bind(NumField<&ServerConfig::acl_pubsub_default>()),


    // --- Later: other features ----------------------------------------------------
    Int("busy-reply-threshold", 0, kLongMax, 5000).Alias("lua-time-limit")
        .Bind(NumField<&ServerConfig::busy_reply_threshold>()),
    Int("slowlog-log-slower-than", -1, kLongMax, 10000)
        .Bind(NumField<&ServerConfig::slowlog_log_slower_than>()),
    UInt("slowlog-max-len", 0, kLongMax, 128).Bind(NumField<&ServerConfig::slowlog_max_len>()),
    Int("latency-monitor-threshold", 0, kLongMax, 0)
        .Bind(NumField<&ServerConfig::latency_monitor_threshold>()),
    Bool("latency-tracking", true).Bind(NumField<&ServerConfig::latency_tracking>()),
    Special("latency-tracking-info-percentiles", kLatencyPercentilesOps, "50 99 99.9", kMultiArg)
        .Bind(TextField<&ServerConfig::latency_tracking_info_percentiles>()),
    Enum("supervised", kSupervisedModes, 0).Flags(kImmutable)
        .Bind(NumField<&ServerConfig::supervised>()),
    Bool("syslog-enabled", false).Flags(kImmutable).Later("syslog logging"),
    Str("syslog-ident", "redis").Flags(kImmutable).Later("syslog logging"),
    Enum("syslog-facility", kSyslogFacilities, 1).Flags(kImmutable).Later("syslog logging"),
    UMem("stream-node-max-bytes", 0, kLongMax, 4096).Later("streams"),
    Int("stream-node-max-entries", 0, kLongMax, 100).Later("streams"),
    UMem("hll-sparse-max-bytes", 0, kLongMax, 3000).Later("HyperLogLog"),
    UInt("tracking-table-max-keys", 0, kLongMax, 1000000).Later("client-side caching"),
    Special("replicaof", kReplicaOfOps, "", kImmutable | kMultiArg).Alias("slaveof")
        .Later("replication"),
    Bool("cluster-enabled", false).Flags(kImmutable).Later("cluster mode"),
    Int("tls-port", 0, 65535, 0).Later("TLS"),

    // --- No effect in Duet ----------------------------------------------------------
    Bool("activedefrag", false).NoEffect(),
    Int("active-defrag-cycle-min", 1, 99, 1).NoEffect(),
    Int("active-defrag-cycle-max", 1, 99, 25).NoEffect(),
    Int("active-defrag-threshold-lower", 0, 1000, 10).NoEffect(),
    Int("active-defrag-threshold-upper", 0, 1000, 100).NoEffect(),
    UMem("active-defrag-ignore-bytes", 1, kLongMax, 100 * kMb).NoEffect(),
    UInt("active-defrag-max-scan-fields", 1, kLongMax, 1000).NoEffect(),
    Bool("activerehashing", true).NoEffect(),
    Bool("jemalloc-bg-thread", true).NoEffect(),
    Bool("disable-thp", true).Flags(kImmutable).NoEffect(),
    Bool("lazyfree-lazy-eviction", false).NoEffect(),
    Bool("lazyfree-lazy-expire", false).NoEffect(),
    Bool("lazyfree-lazy-server-del", false).NoEffect(),
    Bool("lazyfree-lazy-user-del", false).NoEffect(),
    Bool("lazyfree-lazy-user-flush", false).NoEffect(),
    Int("io-threads", 1, 128, 1).Flags(kImmutable).NoEffect(),
    Bool("io-threads-do-reads", false).Flags(kImmutable).NoEffect(),
    Str("server_cpulist", "").Flags(kImmutable).NoEffect(),
    Str("bio_cpulist", "").Flags(kImmutable).NoEffect(),
    Str("aof_rewrite_cpulist", "").Flags(kImmutable).NoEffect(),
    Str("bgsave_cpulist", "").Flags(kImmutable).NoEffect(),
    Enum("oom-score-adj", kOomScoreAdj, 0).NoEffect(),
    Special("oom-score-adj-values", kOomScoreAdjValuesOps, "0 200 800", kMultiArg).NoEffect(),
    Bool("always-show-logo", false).Flags(kImmutable).NoEffect(),
    Bool("set-proc-title", true).Flags(kImmutable).NoEffect(),
    Str("proc-title-template", "{title} {listen-addr} {server-mode}")
        .CheckText(CheckProcTitleTemplate).NoEffect(),
    Bool("crash-log-enabled", true).NoEffect(),
    Bool("crash-memcheck-enabled", true).NoEffect(),
    Bool("use-exit-on-panic", false).Flags(kHidden).NoEffect(),
    Int("watchdog-period", 0, kIntMax, 0).Flags(kHidden).NoEffect(),
    Str("ignore-warnings", "").NoEffect(),
    Enum("enable-module-command", kProtectedActions, 0).Flags(kImmutable).NoEffect(),
    UInt("socket-mark-id", 0, kUIntMax, 0).Flags(kImmutable).NoEffect(),
    Int("shutdown-timeout", 0, kIntMax, 10).NoEffect(),
    Enum("propagation-error-behavior", kPropagationErrorBehavior, 0).NoEffect(),
    Str("bind-source-addr", "").NoEffect(),

    // Replication (Duet has none; replicaof itself is refused above).
    Str("masterauth", "").Flags(kSensitive).NoEffect(),
    Str("masteruser", "").Flags(kSensitive).NoEffect(),
    Bool("replica-serve-stale-data", true).Alias("slave-serve-stale-data").NoEffect(),
    Bool("replica-read-only", true).Alias("slave-read-only").NoEffect(),
    Bool("replica-lazy-flush", false).Alias("slave-lazy-flush").NoEffect(),
    Bool("replica-ignore-maxmemory", true).Alias("slave-ignore-maxmemory").NoEffect(),
    Bool("replica-announced", true).NoEffect(),
    Bool("replica-ignore-disk-write-errors", false).NoEffect(),
    Int("replica-priority", 0, kIntMax, 100).Alias("slave-priority").NoEffect(),
    Str("replica-announce-ip", "").Alias("slave-announce-ip").NoEffect(),
    Int("replica-announce-port", 0, 65535, 0).Alias("slave-announce-port").NoEffect(),
    Int("min-replicas-to-write", 0, kIntMax, 0).Alias("min-slaves-to-write").NoEffect(),
    Int("min-replicas-max-lag", 0, kIntMax, 10).Alias("min-slaves-max-lag").NoEffect(),
    Bool("repl-diskless-sync", true).NoEffect(),
    Int("repl-diskless-sync-delay", 0, kIntMax, 5).NoEffect(),
    Int("repl-diskless-sync-max-replicas", 0, kIntMax, 0).NoEffect(),
    Enum("repl-diskless-load", kReplDisklessLoad, 0).Flags(kDenyLoading).NoEffect(),
    Bool("repl-disable-tcp-nodelay", false).NoEffect(),
    Int("repl-ping-replica-period", 1, kIntMax, 10).Alias("repl-ping-slave-period").NoEffect(),
    Int("repl-timeout", 1, kIntMax, 60).NoEffect(),
    Mem("repl-backlog-size", 1, kLongMax, kMb).NoEffect(),
    Int("repl-backlog-ttl", 0, kLongMax, 3600).NoEffect(),
    Bool("rdb-del-sync-files", false).Bind(NumField<&ServerConfig::rdb_del_sync_files>()),

    // Cluster (cluster-enabled itself is refused above).
    Str("cluster-config-file", "nodes.conf").Flags(kImmutable).NoEffect(),
    Int("cluster-port", 0, 65535, 0).Flags(kImmutable).NoEffect(),
    Int("cluster-node-timeout", 0, kLongMax, 15000).NoEffect(),
    Int("cluster-replica-validity-factor", 0, kIntMax, 10)
        .Alias("cluster-slave-validity-factor").NoEffect(),
    Bool("cluster-replica-no-failover", false).Alias("cluster-slave-no-failover").NoEffect(),
    Int("cluster-migration-barrier", 0, kIntMax, 1).NoEffect(),
    Bool("cluster-allow-replica-migration", true).NoEffect(),
    Bool("cluster-require-full-coverage", true).NoEffect(),
    Bool("cluster-allow-reads-when-down", false).NoEffect(),
    Bool("cluster-allow-pubsubshard-when-down", true).NoEffect(),
    Str("cluster-announce-ip", "").NoEffect(),
    Str("cluster-announce-hostname", "").CheckText(CheckAnnouncedHostname).NoEffect(),
    Int("cluster-announce-port", 0, 65535, 0).NoEffect(),
    Int("cluster-announce-bus-port", 0, 65535, 0).NoEffect(),
    Int("cluster-announce-tls-port", 0, 65535, 0).NoEffect(),
    Enum("cluster-preferred-endpoint-type", kClusterEndpointTypes, 0).NoEffect(),
    UMem("cluster-link-sendbuf-limit", 0, kULongLongMax, 0).NoEffect(),

    // TLS (without tls-port, which is refused above, these settings are inert).
    Str("tls-cert-file", "").NoEffect(),
    Str("tls-key-file", "").NoEffect(),
    Str("tls-key-file-pass", "").NoEffect(),
    Str("tls-client-cert-file", "").NoEffect(),
    Str("tls-client-key-file", "").NoEffect(),
    Str("tls-client-key-file-pass", "").NoEffect(),
    Str("tls-dh-params-file", "").NoEffect(),
    Str("tls-ca-cert-file", "").NoEffect(),
    Str("tls-ca-cert-dir", "").NoEffect(),
    Str("tls-protocols", "").NoEffect(),
    Str("tls-ciphers", "").NoEffect(),
    Str("tls-ciphersuites", "").NoEffect(),
    Enum("tls-auth-clients", kTlsAuthClients, 1).NoEffect(),
    Bool("tls-prefer-server-ciphers", false).NoEffect(),
    Bool("tls-session-caching", true).NoEffect(),
    Int("tls-session-cache-size", 0, kIntMax, 20480).NoEffect(),
    Int("tls-session-cache-timeout", 0, kIntMax, 300).NoEffect(),
    Bool("tls-cluster", false).NoEffect(),
    Bool("tls-replication", false).NoEffect(),
};

const FileDirective kFileDirectives[] = {
    {"include", FileDirectiveKind::kInclude, 1, 1, ParamStatus::kImplemented, ""},
    {"rename-command", FileDirectiveKind::kRefused, 2, 2, ParamStatus::kLater, "rename-command"},
    {"user", FileDirectiveKind::kUser, 1, -1, ParamStatus::kImplemented, ""},
    {"loadmodule", FileDirectiveKind::kRefused, 1, -1, ParamStatus::kLater, "modules"},
    {"sentinel", FileDirectiveKind::kSentinel, 0, -1, ParamStatus::kLater, "Sentinel mode"},
    {"list-max-ziplist-entries", FileDirectiveKind::kDeprecated, 1, 1, ParamStatus::kNoEffect, ""},
    {"list-max-ziplist-value", FileDirectiveKind::kDeprecated, 1, 1, ParamStatus::kNoEffect, ""},
    {"lua-replicate-commands", FileDirectiveKind::kDeprecated, 1, 1, ParamStatus::kNoEffect, ""},
};
// clang-format on

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct NameIndex {
  std::unordered_map<std::string, ParamLookup> by_name;
  NameIndex() {
    for (size_t i = 0; i < std::size(kParams); ++i) {
      const ConfigParam& p = kParams[i];
      by_name.emplace(std::string(p.name), ParamLookup{&p, false, i});
      if (!p.alias.empty()) by_name.emplace(std::string(p.alias), ParamLookup{&p, true, i});
    }
  }
};

}  // namespace

std::span<const ConfigParam> AllParams() { return kParams; }
std::span<const FileDirective> AllFileDirectives() { return kFileDirectives; }

ParamLookup FindParam(std::string_view name) {
  static const NameIndex* index = new NameIndex();
  auto it = index->by_name.find(Lowercase(name));
  return it == index->by_name.end() ? ParamLookup{} : it->second;
}

const FileDirective* FindFileDirective(std::string_view lowercase_name) {
  for (const FileDirective& d : kFileDirectives) {
    if (d.name == lowercase_name) return &d;
  }
  return nullptr;
}

}  // namespace duet
