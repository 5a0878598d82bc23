// CONFIG GET on a default configuration must answer exactly what redis-server
// 7.0.15 answers with an empty configuration file (captured below from the
// real server with `CONFIG GET *`; "port" set back to 6379, "dir" left out as
// it is the working directory). Also checks the table against ServerConfig.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "server/config.h"
#include "server/config_table.h"
#include "utils/config_tokenizer.h"

namespace duet {
namespace {

const std::map<std::string, std::string> kRedisDefaults = {
    {"acl-pubsub-default", "resetchannels"},
    {"aclfile", ""},
    {"acllog-max-len", "128"},
    {"active-defrag-cycle-max", "25"},
    {"active-defrag-cycle-min", "1"},
    {"active-defrag-ignore-bytes", "104857600"},
    {"active-defrag-max-scan-fields", "1000"},
    {"active-defrag-threshold-lower", "10"},
    {"active-defrag-threshold-upper", "100"},
    {"active-expire-effort", "1"},
    {"activedefrag", "no"},
    {"activerehashing", "yes"},
    {"always-show-logo", "no"},
    {"aof-disable-auto-gc", "no"},
    {"aof-load-truncated", "yes"},
    {"aof-rewrite-incremental-fsync", "yes"},
    {"aof-timestamp-enabled", "no"},
    {"aof-use-rdb-preamble", "yes"},
    {"aof_rewrite_cpulist", ""},
    {"appenddirname", "appendonlydir"},
    {"appendfilename", "appendonly.aof"},
    {"appendfsync", "everysec"},
    {"appendonly", "no"},
    {"auto-aof-rewrite-min-size", "67108864"},
    {"auto-aof-rewrite-percentage", "100"},
    {"bgsave_cpulist", ""},
    {"bind", "* -::*"},
    {"bind-source-addr", ""},
    {"bio_cpulist", ""},
    {"busy-reply-threshold", "5000"},
    {"client-output-buffer-limit",
     "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
    {"client-query-buffer-limit", "1073741824"},
    {"cluster-allow-pubsubshard-when-down", "yes"},
    {"cluster-allow-reads-when-down", "no"},
    {"cluster-allow-replica-migration", "yes"},
    {"cluster-announce-bus-port", "0"},
    {"cluster-announce-hostname", ""},
    {"cluster-announce-ip", ""},
    {"cluster-announce-port", "0"},
    {"cluster-announce-tls-port", "0"},
    {"cluster-config-file", "nodes.conf"},
    {"cluster-enabled", "no"},
    {"cluster-link-sendbuf-limit", "0"},
    {"cluster-migration-barrier", "1"},
    {"cluster-node-timeout", "15000"},
    {"cluster-port", "0"},
    {"cluster-preferred-endpoint-type", "ip"},
    {"cluster-replica-no-failover", "no"},
    {"cluster-replica-validity-factor", "10"},
    {"cluster-require-full-coverage", "yes"},
    {"cluster-slave-no-failover", "no"},
    {"cluster-slave-validity-factor", "10"},
    {"crash-log-enabled", "yes"},
    {"crash-memcheck-enabled", "yes"},
    {"daemonize", "no"},
    {"databases", "16"},
    {"dbfilename", "dump.rdb"},
    {"disable-thp", "yes"},
    {"dynamic-hz", "yes"},
    {"enable-debug-command", "no"},
    {"enable-module-command", "no"},
    {"enable-protected-configs", "no"},
    {"hash-max-listpack-entries", "512"},
    {"hash-max-listpack-value", "64"},
    {"hash-max-ziplist-entries", "512"},
    {"hash-max-ziplist-value", "64"},
    {"hll-sparse-max-bytes", "3000"},
    {"hz", "10"},
    {"ignore-warnings", ""},
    {"io-threads", "1"},
    {"io-threads-do-reads", "no"},
    {"jemalloc-bg-thread", "yes"},
    {"latency-monitor-threshold", "0"},
    {"latency-tracking", "yes"},
    {"latency-tracking-info-percentiles", "50 99 99.9"},
    {"lazyfree-lazy-eviction", "no"},
    {"lazyfree-lazy-expire", "no"},
    {"lazyfree-lazy-server-del", "no"},
    {"lazyfree-lazy-user-del", "no"},
    {"lazyfree-lazy-user-flush", "no"},
    {"lfu-decay-time", "1"},
    {"lfu-log-factor", "10"},
    {"list-compress-depth", "0"},
    {"list-max-listpack-size", "-2"},
    {"list-max-ziplist-size", "-2"},
    {"logfile", ""},
    {"loglevel", "notice"},
    {"lua-time-limit", "5000"},
    {"masterauth", ""},
    {"masteruser", ""},
    {"maxclients", "10000"},
    {"maxmemory", "0"},
    {"maxmemory-clients", "0"},
    {"maxmemory-eviction-tenacity", "10"},
    {"maxmemory-policy", "noeviction"},
    {"maxmemory-samples", "5"},
    {"min-replicas-max-lag", "10"},
    {"min-replicas-to-write", "0"},
    {"min-slaves-max-lag", "10"},
    {"min-slaves-to-write", "0"},
    {"no-appendfsync-on-rewrite", "no"},
    {"notify-keyspace-events", ""},
    {"oom-score-adj", "no"},
    {"oom-score-adj-values", "0 200 800"},
    {"pidfile", ""},
    {"port", "6379"},
    {"proc-title-template", "{title} {listen-addr} {server-mode}"},
    {"propagation-error-behavior", "ignore"},
    {"protected-mode", "yes"},
    {"proto-max-bulk-len", "536870912"},
    {"rdb-del-sync-files", "no"},
    {"rdb-save-incremental-fsync", "yes"},
    {"rdbchecksum", "yes"},
    {"rdbcompression", "yes"},
    {"repl-backlog-size", "1048576"},
    {"repl-backlog-ttl", "3600"},
    {"repl-disable-tcp-nodelay", "no"},
    {"repl-diskless-load", "disabled"},
    {"repl-diskless-sync", "yes"},
    {"repl-diskless-sync-delay", "5"},
    {"repl-diskless-sync-max-replicas", "0"},
    {"repl-ping-replica-period", "10"},
    {"repl-ping-slave-period", "10"},
    {"repl-timeout", "60"},
    {"replica-announce-ip", ""},
    {"replica-announce-port", "0"},
    {"replica-announced", "yes"},
    {"replica-ignore-disk-write-errors", "no"},
    {"replica-ignore-maxmemory", "yes"},
    {"replica-lazy-flush", "no"},
    {"replica-priority", "100"},
    {"replica-read-only", "yes"},
    {"replica-serve-stale-data", "yes"},
    {"replicaof", ""},
    {"requirepass", ""},
    {"sanitize-dump-payload", "no"},
    {"save", "3600 1 300 100 60 10000"},
    {"server_cpulist", ""},
    {"set-max-intset-entries", "512"},
    {"set-proc-title", "yes"},
    {"shutdown-on-sigint", "default"},
    {"shutdown-on-sigterm", "default"},
    {"shutdown-timeout", "10"},
    {"slave-announce-ip", ""},
    {"slave-announce-port", "0"},
    {"slave-ignore-maxmemory", "yes"},
    {"slave-lazy-flush", "no"},
    {"slave-priority", "100"},
    {"slave-read-only", "yes"},
    {"slave-serve-stale-data", "yes"},
    {"slaveof", ""},
    {"slowlog-log-slower-than", "10000"},
    {"slowlog-max-len", "128"},
    {"socket-mark-id", "0"},
    {"stop-writes-on-bgsave-error", "yes"},
    {"stream-node-max-bytes", "4096"},
    {"stream-node-max-entries", "100"},
    {"supervised", "no"},
    {"syslog-enabled", "no"},
    {"syslog-facility", "local0"},
    {"syslog-ident", "redis"},
    {"tcp-backlog", "511"},
    {"tcp-keepalive", "300"},
    {"timeout", "0"},
    {"tls-auth-clients", "yes"},
    {"tls-ca-cert-dir", ""},
    {"tls-ca-cert-file", ""},
    {"tls-cert-file", ""},
    {"tls-ciphers", ""},
    {"tls-ciphersuites", ""},
    {"tls-client-cert-file", ""},
    {"tls-client-key-file", ""},
    {"tls-client-key-file-pass", ""},
    {"tls-cluster", "no"},
    {"tls-dh-params-file", ""},
    {"tls-key-file", ""},
    {"tls-key-file-pass", ""},
    {"tls-port", "0"},
    {"tls-prefer-server-ciphers", "no"},
    {"tls-protocols", ""},
    {"tls-replication", "no"},
    {"tls-session-cache-size", "20480"},
    {"tls-session-cache-timeout", "300"},
    {"tls-session-caching", "yes"},
    {"tracking-table-max-keys", "1000000"},
    {"unixsocket", ""},
    {"unixsocketperm", "0"},
    {"zset-max-listpack-entries", "128"},
    {"zset-max-listpack-value", "64"},
    {"zset-max-ziplist-entries", "128"},
    {"zset-max-ziplist-value", "64"},
};

// Where Duet deliberately differs from redis-server's built-in defaults.
const std::map<std::string, std::string> kDuetDefaults = {
    // Loopback only, as Redis's sample redis.conf (its built-in is "* -::*").
    {"bind", "127.0.0.1 -::1"},
};

TEST(ConfigDefaults, GetStarMatchesRedis) {
  ServerConfig server;
  Config config(&server);
  std::map<std::string, std::string> got;
  for (auto& [name, value] : config.Get({"*"})) {
    EXPECT_TRUE(got.emplace(name, value).second) << "reported twice: " << name;
  }
  for (const auto& [name, value] : kRedisDefaults) {
    auto it = got.find(name);
    ASSERT_NE(it, got.end()) << "missing: " << name;
    auto duet = kDuetDefaults.find(name);
    EXPECT_EQ(it->second, duet == kDuetDefaults.end() ? value : duet->second) << name;
  }
  // Everything else CONFIG GET * shows: the working directory and Duet's own.
  std::set<std::string> extra;
  for (const auto& [name, value] : got) {
    if (!kRedisDefaults.contains(name)) extra.insert(name);
  }
  EXPECT_EQ(extra, (std::set<std::string>{"dir", "memcached-bind", "memcached-db",
                                          "memcached-max-item-size", "memcached-maxconns",
                                          "memcached-port", "memcached-unauthenticated"}));
  EXPECT_EQ(got["dir"], std::filesystem::current_path().string());
  EXPECT_EQ(got["memcached-port"], "0");
  EXPECT_EQ(got["memcached-bind"], "127.0.0.1");
  EXPECT_EQ(got["memcached-max-item-size"], "1048576");
}

TEST(ConfigDefaults, HiddenParametersNeedTheirExactName) {
  ServerConfig server;
  Config config(&server);
  const std::map<std::string, std::string> hidden = {
      {"use-exit-on-panic", "no"},
      {"watchdog-period", "0"},
      {"rdb-key-save-delay", "0"},
      {"key-load-delay", "0"},
      {"loading-process-events-interval-bytes", "2097152"}};
  for (const auto& [name, value] : hidden) {
    auto r = config.Get({name});
    ASSERT_EQ(r.size(), 1u) << name;
    EXPECT_EQ(r[0].second, value);
    EXPECT_FALSE(kRedisDefaults.contains(name));
  }
}

TEST(ConfigDefaults, ServerConfigAgreesWithTheTable) {
  const ServerConfig defaults;
  for (const ConfigParam& p : AllParams()) {
    if (!p.field.bound()) continue;
    EXPECT_EQ(DisplayValue(p, p.field.load(defaults)), DefaultDisplay(p)) << p.name;
  }
  EXPECT_TRUE(defaults.other_values.empty());
}

TEST(ConfigDefaults, TableIsConsistent) {
  std::set<std::string> names;
  for (const ConfigParam& p : AllParams()) {
    for (std::string_view n : {p.name, p.alias}) {
      if (n.empty()) continue;
      EXPECT_TRUE(names.emplace(n).second) << "duplicate name " << n;
      for (char c : n) EXPECT_FALSE(c >= 'A' && c <= 'Z') << n;
    }
    switch (p.status) {
      case ParamStatus::kImplemented:
        EXPECT_TRUE(p.field.bound()) << p.name;
        break;
      case ParamStatus::kNoEffect:
        EXPECT_FALSE(p.field.bound()) << p.name;
        break;
      case ParamStatus::kLater:
        EXPECT_FALSE(p.feature.empty()) << p.name;
        break;
    }
    if (p.kind == ParamKind::kSpecial) {
      EXPECT_NE(p.special, nullptr) << p.name;
    }
    if (p.kind == ParamKind::kEnum || p.kind == ParamKind::kFlags) {
      EXPECT_FALSE(p.options.empty()) << p.name;
    }
  }
  for (const FileDirective& d : AllFileDirectives()) {
    EXPECT_TRUE(names.emplace(d.name).second) << "duplicate name " << d.name;
  }
}

// Every default, printed the CONFIG GET way, reads back as itself.
TEST(ConfigDefaults, DefaultsReadBack) {
  for (const ConfigParam& p : AllParams()) {
    if (p.name == "dir") continue;  // shown as the working directory
    const std::string shown = DefaultDisplay(p);
    std::vector<std::string> args;
    if (p.name == "replicaof") {
      args = {"no", "one"};  // shown as "", set as "no one"
    } else if (p.flags & kMultiArg) {
      args = SplitConfigArgs(shown).value_or(std::vector<std::string>{});
      if (args.empty()) args.emplace_back();
    } else {
      args.push_back(shown);
    }
    ParseContext ctx;
    ParamValue v;
    std::string err;
    ASSERT_TRUE(ParseParamValue(p, args, ctx, &v, &err)) << p.name << ": " << err;
    EXPECT_EQ(DisplayValue(p, v), shown) << p.name;
    EXPECT_FALSE(RefusedByLater(p, shown, &err)) << p.name;
  }
}

// The configuration file shipped in conf/ documents every implemented
// directive, loads cleanly and keeps the defaults.
TEST(ConfigDefaults, ShippedConfigFile) {
  const std::filesystem::path repo =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  std::ifstream in(repo / "conf" / "6379.conf");
  ASSERT_TRUE(in) << "conf/6379.conf not found from " << __FILE__;
  std::stringstream text;
  text << in.rdbuf();

  std::set<std::string> directives;
  std::string kept;  // the file minus its `dir` line, which is relative to the repository
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    auto args = SplitConfigArgs(TrimConfigLine(line));
    if (!args || args->empty() || (*args)[0][0] == '#') {
      // A commented-out example ("# pidfile /var/run/duet.pid") documents it too.
      if (args && args->size() >= 3 && (*args)[0] == "#" && FindParam((*args)[1]).param) {
        directives.insert((*args)[1]);
      }
      kept += line + "\n";
      continue;
    }
    directives.insert((*args)[0]);
    if ((*args)[0] == "dir") {
      EXPECT_EQ(*args, (std::vector<std::string>{"dir", "./data"}));
      kept += "\n";
    } else {
      kept += line + "\n";
    }
  }
  for (const ConfigParam& p : AllParams()) {
    if (p.status == ParamStatus::kImplemented) {
      EXPECT_TRUE(directives.contains(std::string(p.name))) << "undocumented: " << p.name;
    } else {
      EXPECT_FALSE(directives.contains(std::string(p.name))) << "not implemented: " << p.name;
    }
  }

  ServerConfig loaded;
  std::vector<std::string> warnings;
  Status s = LoadConfigFromText(kept, {}, &loaded, &warnings);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(warnings.empty());
  const ServerConfig defaults;
  // The one deliberate difference: the shipped file turns the memcached
  // listener on at memcached's port.
  EXPECT_EQ(loaded.memcached_port, 11211);
  for (const ConfigParam& p : AllParams()) {
    if (!p.field.bound() || p.name == "dir" || p.name == "memcached-port") continue;
    EXPECT_EQ(DisplayValue(p, p.field.load(loaded)), DisplayValue(p, p.field.load(defaults)))
        << p.name;
  }
}

// The directive lines of Debian's stock /etc/redis/redis.conf for 7.0.15
// (paths made local): Duet starts with it, warning about what it ignores.
TEST(ConfigDefaults, StockRedisConfLoads) {
  const std::string stock =
      "bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\ntcp-backlog 511\ntimeout 0\n"
      "tcp-keepalive 300\ndaemonize no\npidfile /tmp/redis-server.pid\nloglevel notice\n"
      "logfile \"\"\ndatabases 16\nalways-show-logo no\nset-proc-title yes\n"
      "proc-title-template \"{title} {listen-addr} {server-mode}\"\n"
      "stop-writes-on-bgsave-error yes\nrdbcompression yes\nrdbchecksum yes\n"
      "dbfilename dump.rdb\nrdb-del-sync-files no\ndir /tmp\nreplica-serve-stale-data yes\n"
      "replica-read-only yes\nrepl-diskless-sync yes\nrepl-diskless-sync-delay 5\n"
      "repl-diskless-sync-max-replicas 0\nrepl-diskless-load disabled\n"
      "repl-disable-tcp-nodelay no\nreplica-priority 100\nacllog-max-len 128\n"
      "lazyfree-lazy-eviction no\nlazyfree-lazy-expire no\nlazyfree-lazy-server-del no\n"
      "replica-lazy-flush no\nlazyfree-lazy-user-del no\nlazyfree-lazy-user-flush no\n"
      "oom-score-adj no\noom-score-adj-values 0 200 800\ndisable-thp yes\nappendonly no\n"
      "appendfilename \"appendonly.aof\"\nappenddirname \"appendonlydir\"\n"
      "appendfsync everysec\nno-appendfsync-on-rewrite no\nauto-aof-rewrite-percentage 100\n"
      "auto-aof-rewrite-min-size 64mb\naof-load-truncated yes\naof-use-rdb-preamble yes\n"
      "aof-timestamp-enabled no\nslowlog-log-slower-than 10000\nslowlog-max-len 128\n"
      "latency-monitor-threshold 0\nnotify-keyspace-events \"\"\n"
      "hash-max-listpack-entries 512\nhash-max-listpack-value 64\n"
      "list-max-listpack-size -2\nlist-compress-depth 0\nset-max-intset-entries 512\n"
      "zset-max-listpack-entries 128\nzset-max-listpack-value 64\nhll-sparse-max-bytes 3000\n"
      "stream-node-max-bytes 4096\nstream-node-max-entries 100\nactiverehashing yes\n"
      "client-output-buffer-limit normal 0 0 0\n"
      "client-output-buffer-limit replica 256mb 64mb 60\n"
      "client-output-buffer-limit pubsub 32mb 8mb 60\nhz 10\ndynamic-hz yes\n"
      "aof-rewrite-incremental-fsync yes\nrdb-save-incremental-fsync yes\n"
      "jemalloc-bg-thread yes\n";
  ServerConfig loaded;
  std::vector<std::string> warnings;
  Status s = LoadConfigFromText(stock, {}, &loaded, &warnings);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(warnings.size(), 22u);
  EXPECT_EQ(loaded.pidfile, "/tmp/redis-server.pid");
  EXPECT_EQ(loaded.dir, "/tmp");
}

}  // namespace
}  // namespace duet
