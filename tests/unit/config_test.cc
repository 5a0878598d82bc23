// The configuration loader: file, includes, command line, error reports,
// statuses (implemented / no effect / later). Expected texts come from
// redis-server 7.0.15.

#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/config_table.h"

namespace duet {
namespace {

std::string Header() { return "\n*** FATAL CONFIG FILE ERROR (Duet " DUET_VERSION ") ***\n"; }

std::string FatalAt(int line, std::string_view text, std::string_view reason) {
  return Header() + "Reading the configuration file, at line " + std::to_string(line) + "\n>>> '" +
         std::string(text) + "'\n" + std::string(reason);
}

class ConfigLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/duet-config-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Loads `text` (as the file) and `overrides`; returns the error or "".
  std::string Load(std::string_view text, const ConfigOverrides& overrides = {}) {
    warnings_.clear();
    Status s = LoadConfigFromText(text, overrides, &config_, &warnings_);
    return s.ok() ? "" : s.message();
  }

  std::string LoadArgv(std::vector<const char*> argv) {
    argv.insert(argv.begin(), "duet-server");
    warnings_.clear();
    Status s = LoadConfig(ParseCommandLine(static_cast<int>(argv.size()), argv.data()), &config_,
                          &warnings_);
    return s.ok() ? "" : s.message();
  }

  std::string Get(std::string_view name) {
    Config config(&config_);
    auto r = config.Get({name});
    return r.size() == 1 ? r[0].second : "<missing>";
  }

  std::string dir_;
  ServerConfig config_;
  std::vector<std::string> warnings_;
};

// --- Error reports ------------------------------------------------------------

TEST_F(ConfigLoadTest, BadDirective) {
  EXPECT_EQ(Load("foo bar\n"), FatalAt(1, "foo bar", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("\"\" 1"), FatalAt(1, "\"\" 1", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("port 1 # trailing comment"),
            FatalAt(1, "port 1 # trailing comment", "wrong number of arguments"));
}

TEST_F(ConfigLoadTest, BadValuesWithLineNumbers) {
  EXPECT_EQ(Load("\n\nport abc\n"),
            FatalAt(3, "port abc", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("# comment\ndaemonize maybe"),
            FatalAt(2, "daemonize maybe", "argument must be 'yes' or 'no'"));
  EXPECT_EQ(Load("port 99999"),
            FatalAt(1, "port 99999", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(Load("port 1 2"), FatalAt(1, "port 1 2", "wrong number of arguments"));
  EXPECT_EQ(Load("port"), FatalAt(1, "port", "wrong number of arguments"));
  EXPECT_EQ(Load("port \"\""),
            FatalAt(1, "port \"\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("maxmemory 1x"), FatalAt(1, "maxmemory 1x", "argument must be a memory value"));
  EXPECT_EQ(Load("loglevel blah"),
            FatalAt(1, "loglevel blah",
                    "argument(s) must be one of the following: debug, verbose, notice, warning"));
  EXPECT_EQ(Load("client-query-buffer-limit 512k"),
            FatalAt(1, "client-query-buffer-limit 512k",
                    "argument must be between 1048576 and 9223372036854775807 inclusive"));
  EXPECT_EQ(Load("maxclients 0"),
            FatalAt(1, "maxclients 0", "argument must be between 1 and 4294967295 inclusive"));
  EXPECT_EQ(Load("hz 05"), FatalAt(1, "hz 05", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("hz +5"), FatalAt(1, "hz +5", "argument couldn't be parsed into an integer"));
}

TEST_F(ConfigLoadTest, UnbalancedQuotes) {
  for (std::string_view line : {"port \"123", "port \"123\"x", "port '123'x"}) {
    EXPECT_EQ(Load(line), FatalAt(1, line, "Unbalanced quotes in configuration line"));
  }
}

TEST_F(ConfigLoadTest, LinesAreTrimmedAndCrlfAccepted) {
  EXPECT_EQ(Load("  \t port   abc  \t \n"),
            FatalAt(1, "port   abc", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("port 1\r\nport abc\r\n"),
            FatalAt(2, "port abc", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("\tport\t\"\\x41\""),
            FatalAt(1, "port\t\"\\x41\"", "argument couldn't be parsed into an integer"));
}

TEST_F(ConfigLoadTest, SpecialDirectiveErrors) {
  struct Case {
    std::string_view line, reason;
  } cases[] = {
      {"replicaof 1.2.3.4 99999", "Invalid master port"},
      {"replicaof abc", "wrong number of arguments"},
      {"notify-keyspace-events q", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."},
      {"save 100", "Invalid save parameters"},
      {"save 0 1", "Invalid save parameters"},
      {"client-output-buffer-limit master 1 2 3",
       "Invalid client class specified in buffer limit configuration."},
      {"client-output-buffer-limit normal 1 2",
       "Wrong number of arguments in buffer limit configuration."},
      {"client-output-buffer-limit normal a 2 3",
       "Error in hard, soft or soft_seconds setting in buffer limit configuration."},
      {"oom-score-adj-values 1 2", "wrong number of arguments"},
      {"oom-score-adj-values a 2 3",
       "Invalid oom-score-adj-values, elements must be between -2000 and 2000."},
      {"bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "Too many bind addresses specified."},
      {"shutdown-on-sigint save nosave",
       "shutdown options SAVE and NOSAVE can't be used simultaneously"},
      {"latency-tracking-info-percentiles 101",
       "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"},
      {"latency-tracking-info-percentiles x",
       "Invalid latency-tracking-info-percentiles parameters"},
      {"dbfilename a/b", "dbfilename can't be a path, just a filename"},
      {"appendfilename a/b", "appendfilename can't be a path, just a filename"},
      {"appenddirname a/b", "appenddirname can't be a path, just a dirname"},
      {"appendfilename \"\"", "appendfilename can't be empty"},
      {"appenddirname \"\"", "appenddirname can't be empty"},
      {"unixsocketperm abc", "argument couldn't be parsed as an octal number"},
      {"unixsocketperm 1000", "argument must be between 0 and 777 inclusive"},
      {"maxmemory-clients 101%", "percentage argument must be less or equal to 100"},
      {"maxmemory-clients -5%", "argument must be a memory or percent value"},
      {"cluster-announce-hostname a_b",
       "Hostnames may only contain alphanumeric characters, hyphens or dots"},
      {"proc-title-template {nope}", "template format is invalid or contains unknown variables"},
      {"dir /etc/passwd", "Not a directory"},
      {"dir /nonexistent-duet-dir", "No such file or directory"},
      {"dir \"\"", "No such file or directory"},
  };
  for (const Case& c : cases) EXPECT_EQ(Load(c.line), FatalAt(1, c.line, c.reason));
}

TEST_F(ConfigLoadTest, FileOnlyDirectives) {
  EXPECT_EQ(
      Load("list-max-ziplist-entries 5 6"),
      FatalAt(1, "list-max-ziplist-entries 5 6", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("lua-replicate-commands"),
            FatalAt(1, "lua-replicate-commands", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("rename-command a"),
            FatalAt(1, "rename-command a", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("user"), FatalAt(1, "user", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("include"), FatalAt(1, "include", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("include a b"),
            FatalAt(1, "include a b", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(Load("foo.bar"), FatalAt(1, "foo.bar", "Module config specified without value"));
  EXPECT_EQ(Load("foo.bar 1"),
            "Module Configuration detected without loadmodule directive or no ApplyConfig call: "
            "aborting");
  EXPECT_EQ(Load("sentinel monitor x"),
            FatalAt(1, "sentinel monitor x", "sentinel directive while not in sentinel mode"));
  EXPECT_EQ(Load("sentinel"),
            FatalAt(1, "sentinel", "this version of Duet does not support Sentinel mode yet"));
  // Accepted and ignored, like Redis.
  EXPECT_EQ(Load("list-max-ziplist-entries 5\nlist-max-ziplist-value abc\nlua-replicate-commands "
                 "yes"),
            "");
  EXPECT_EQ(warnings_.size(), 3u);
}

TEST_F(ConfigLoadTest, LogFileMustOpen) {
  EXPECT_EQ(Load("logfile /nonexistent-duet-dir/x.log"),
            Header() + "Can't open the log file: No such file or directory");
  EXPECT_EQ(Load("dir " + dir_ + "\nlogfile rel.log"), "");
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/rel.log"));
  EXPECT_EQ(config_.logfile, "rel.log");
}

// --- Values -----------------------------------------------------------------------

TEST_F(ConfigLoadTest, ImplementedDirectivesReachServerConfig) {
  ASSERT_EQ(Load("port 7000\n"
                 "bind 10.0.0.1 -::1\n"
                 "protected-mode no\n"
                 "tcp-backlog 128\n"
                 "timeout 30\n"
                 "tcp-keepalive 60\n"
                 "daemonize yes\n"
                 "pidfile \"/tmp/a b.pid\"\n"
                 "loglevel WARNING\n"
                 "databases 4\n"
                 "dir " +
                 dir_ +
                 "\n"
                 "proto-max-bulk-len 1gb\n"
                 "client-query-buffer-limit 2mb\n"
                 "maxclients 50\n"
                 "hz 20\n"
                 "dynamic-hz no\n"
                 "active-expire-effort 5\n"
                 "list-max-listpack-size 64\n"
                 "list-compress-depth 2\n"
                 "set-max-intset-entries 100\n"
                 "hash-max-listpack-entries 10\n"
                 "hash-max-listpack-value 1k\n"
                 "zset-max-listpack-entries 20\n"
                 "zset-max-listpack-value 2kb\n"
                 "enable-debug-command local\n"
                 "enable-protected-configs yes\n"),
            "");
  EXPECT_EQ(config_.port, 7000);
  EXPECT_EQ(config_.bind, (std::vector<std::string>{"10.0.0.1", "-::1"}));
  EXPECT_FALSE(config_.protected_mode);
  EXPECT_EQ(config_.tcp_backlog, 128);
  EXPECT_EQ(config_.timeout, 30);
  EXPECT_EQ(config_.tcp_keepalive, 60);
  EXPECT_TRUE(config_.daemonize);
  EXPECT_EQ(config_.pidfile, "/tmp/a b.pid");
  EXPECT_EQ(config_.loglevel, LogLevel::kWarning);
  EXPECT_EQ(config_.databases, 4);
  EXPECT_EQ(config_.dir, dir_);
  EXPECT_EQ(config_.proto_max_bulk_len, 1LL << 30);
  EXPECT_EQ(config_.client_query_buffer_limit, 2LL << 20);
  EXPECT_EQ(config_.maxclients, 50u);
  EXPECT_EQ(config_.hz, 20);
  EXPECT_FALSE(config_.dynamic_hz);
  EXPECT_EQ(config_.active_expire_effort, 5);
  EXPECT_EQ(config_.collections.list_max_listpack_size, 64);
  EXPECT_EQ(config_.collections.list_compress_depth, 2);
  EXPECT_EQ(config_.collections.set_max_intset_entries, 100);
  EXPECT_EQ(config_.collections.hash_max_listpack_entries, 10);
  EXPECT_EQ(config_.collections.hash_max_listpack_value, 1000);
  EXPECT_EQ(config_.collections.zset_max_listpack_entries, 20);
  EXPECT_EQ(config_.collections.zset_max_listpack_value, 2048);
  EXPECT_EQ(config_.enable_debug_command, ProtectedAction::kLocal);
  EXPECT_EQ(config_.enable_protected_configs, ProtectedAction::kYes);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ConfigLoadTest, LaterLinesWinAndLoadingStartsFromDefaults) {
  config_.port = 1;
  ASSERT_EQ(Load("timeout 5\ntimeout 6"), "");
  EXPECT_EQ(config_.timeout, 6);
  EXPECT_EQ(config_.port, 6379);
}

TEST_F(ConfigLoadTest, NamesAreCaseInsensitiveAndAliasesWork) {
  ASSERT_EQ(Load("PORT 7001\n"
                 "Hash-Max-Ziplist-Entries 77\n"
                 "hash-max-ziplist-value 33\n"
                 "zset-max-ziplist-entries 44\n"
                 "zset-max-ziplist-value 55\n"
                 "list-max-ziplist-size -3\n"
                 "slave-read-only no\n"
                 "slaveof no one\n"),
            "");
  EXPECT_EQ(config_.port, 7001);
  EXPECT_EQ(config_.collections.hash_max_listpack_entries, 77);
  EXPECT_EQ(config_.collections.hash_max_listpack_value, 33);
  EXPECT_EQ(config_.collections.zset_max_listpack_entries, 44);
  EXPECT_EQ(config_.collections.zset_max_listpack_value, 55);
  EXPECT_EQ(config_.collections.list_max_listpack_size, -3);
  EXPECT_EQ(Get("replica-read-only"), "no");
  EXPECT_EQ(Get("slave-read-only"), "no");
  EXPECT_EQ(Get("replicaof"), "");
}

TEST_F(ConfigLoadTest, HzIsKeptWithinRedisLimits) {
  ASSERT_EQ(Load("hz 0"), "");
  EXPECT_EQ(config_.hz, 1);
  ASSERT_EQ(Load("hz 100000"), "");
  EXPECT_EQ(config_.hz, 500);
  EXPECT_EQ(Get("hz"), "500");
}

TEST_F(ConfigLoadTest, BindForms) {
  ASSERT_EQ(Load("bind"), "");
  EXPECT_TRUE(config_.bind.empty());
  ASSERT_EQ(Load("bind \"\""), "");
  EXPECT_TRUE(config_.bind.empty());
  // One argument holding several addresses is split again.
  ASSERT_EQ(Load("bind \"127.0.0.1 -::1\""), "");
  EXPECT_EQ(config_.bind, (std::vector<std::string>{"127.0.0.1", "-::1"}));
  EXPECT_EQ(Get("bind"), "127.0.0.1 -::1");
}

// --- Statuses ---------------------------------------------------------------------

TEST_F(ConfigLoadTest, NoEffectDirectivesWarnOnceAndKeepTheirValue) {
  ASSERT_EQ(Load("io-threads 4\n"
                 "io-threads 2\n"
                 "activerehashing no\n"
                 "slave-serve-stale-data no\n"
                 "oom-score-adj relative\n"
                 "oom-score-adj-values \"+1 02 -3\"\n"
                 "lazyfree-lazy-eviction yes\n"),
            "");
  ASSERT_EQ(warnings_.size(), 6u);
  EXPECT_EQ(warnings_[0],
            "'io-threads' is accepted for compatibility with Redis but has no effect in Duet");
  EXPECT_NE(warnings_[2].find("'slave-serve-stale-data'"), std::string::npos);
  EXPECT_EQ(Get("io-threads"), "2");
  EXPECT_EQ(Get("activerehashing"), "no");
  EXPECT_EQ(Get("replica-serve-stale-data"), "no");
  EXPECT_EQ(Get("oom-score-adj"), "yes");
  EXPECT_EQ(Get("oom-score-adj-values"), "1 2 -3");
  EXPECT_EQ(Get("lazyfree-lazy-eviction"), "yes");
}

TEST_F(ConfigLoadTest, LaterDirectivesAcceptOnlyTheirDefaultOrOff) {
  ASSERT_EQ(Load("save \"\"\n"
                 "appendonly no\n"
                 "maxmemory 0\n"
                 "requirepass \"\"\n"
                 "notify-keyspace-events \"\"\n"
                 "maxmemory-policy noeviction\n"
                 "dbfilename dump.rdb\n"
                 "client-output-buffer-limit normal 0 0 0\n"
                 "client-output-buffer-limit replica 256mb 64mb 60\n"
                 "client-output-buffer-limit pubsub 32mb 8mb 60\n"
                 "memcached-port 0\n"
                 "lua-time-limit 5000\n"),
            "");
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(Get("save"), "");

  // RDB snapshots are implemented: any save points are accepted.
  EXPECT_EQ(Load("save 900 1"), "");
  EXPECT_EQ(Get("save"), "900 1");
  EXPECT_EQ(Load("appendonly yes"), "");             // implemented (server/aof.h)
  EXPECT_EQ(Load("aof-timestamp-enabled yes"), "");  // implemented (server/aof.h)
  EXPECT_EQ(Load("syslog-enabled yes"),
            FatalAt(1, "syslog-enabled yes",
                    "this version of Duet does not support syslog logging yet; "
                    "'syslog-enabled' accepts only \"no\""));
  EXPECT_EQ(Load("maxmemory-clients 1gb"),
            FatalAt(1, "maxmemory-clients 1gb",
                    "this version of Duet does not support memory limits and eviction yet; "
                    "'maxmemory-clients' accepts only \"0\""));
  EXPECT_EQ(Load("notify-keyspace-events Ex"), "");  // implemented
  EXPECT_EQ(Get("notify-keyspace-events"), "xE");
  EXPECT_EQ(Load("memcached-port 11211"), "");
  EXPECT_EQ(Get("memcached-port"), "11211");
  EXPECT_EQ(Load("user default on nopass"), "");  // implemented (ACL users)
  EXPECT_EQ(Load("loadmodule /x.so"),
            FatalAt(1, "loadmodule /x.so", "this version of Duet does not support modules yet"));
  EXPECT_EQ(Load("rename-command get foo"),
            FatalAt(1, "rename-command get foo",
                    "this version of Duet does not support rename-command yet"));
}

TEST_F(ConfigLoadTest, LaterCheckUsesTheFinalValue) {
  // Three save lines add up to Redis's default points: accepted.
  EXPECT_EQ(Load("save 3600 1\nsave 300 100\nsave 60 10000\n"), "");
  EXPECT_EQ(Get("save"), "3600 1 300 100 60 10000");
  EXPECT_EQ(Load("syslog-enabled yes\nsyslog-enabled no"), "");
  // Refused at the line that set the value last.
  std::string err = Load("port 1\nsyslog-enabled yes\nport 2\n");
  EXPECT_EQ(err.substr(0, FatalAt(2, "syslog-enabled yes", "").size()),
            FatalAt(2, "syslog-enabled yes", ""));
  // A syntax error anywhere comes before a refusal.
  EXPECT_EQ(Load("syslog-enabled yes\nport x"),
            FatalAt(2, "port x", "argument couldn't be parsed into an integer"));
}

// --- Includes ---------------------------------------------------------------------

TEST_F(ConfigLoadTest, IncludeReadsAnotherFile) {
  const std::string inc = Write("inc.conf", "timeout 42\n");
  ASSERT_EQ(Load("port 1\ninclude " + inc + "\ntcp-keepalive 7"), "");
  EXPECT_EQ(config_.timeout, 42);
  EXPECT_EQ(config_.tcp_keepalive, 7);
}

TEST_F(ConfigLoadTest, IncludedErrorsAreNumberedInTheirFile) {
  const std::string inc = Write("inc.conf", "# x\nhz x\n");
  EXPECT_EQ(Load("\n\n\ninclude " + inc),
            FatalAt(2, "hz x", "argument couldn't be parsed into an integer"));
}

TEST_F(ConfigLoadTest, IncludeMissingFile) {
  EXPECT_EQ(
      Load("include " + dir_ + "/missing.conf"),
      "Fatal error, can't open config file '" + dir_ + "/missing.conf': No such file or directory");
}

TEST_F(ConfigLoadTest, IncludeGlobConcatenatesMatches) {
  Write("inc_a.conf", "port 7377");  // no final newline: joins the next file's first line
  Write("inc_b.conf", "\n\nhz x\n");
  EXPECT_EQ(Load("include " + dir_ + "/inc_*.conf"),
            FatalAt(3, "hz x", "argument couldn't be parsed into an integer"));
  // No match is not an error.
  EXPECT_EQ(Load("include " + dir_ + "/none_*.conf\ntimeout 3"), "");
  EXPECT_EQ(config_.timeout, 3);
}

TEST_F(ConfigLoadTest, IncludeLoopIsStopped) {
  const std::string self = dir_ + "/self.conf";
  Write("self.conf", "include " + self + "\n");
  EXPECT_EQ(Load("include " + self), FatalAt(1, "include " + self, "include nesting is too deep"));
}

TEST_F(ConfigLoadTest, LoadConfigReadsTheFileAndOverrides) {
  const std::string path = Write("main.conf", "# c\n\nloglevel notice\n");
  std::vector<std::string> warnings;
  Status s = LoadConfig(path, {{"port", {"abc"}}}, &config_, &warnings);
  EXPECT_EQ(s.message(), FatalAt(5, "port \"abc\"", "argument couldn't be parsed into an integer"));
  s = LoadConfig(dir_ + "/missing.conf", {}, &config_, &warnings);
  EXPECT_EQ(s.message(), "Fatal error, can't open config file '" + dir_ +
                             "/missing.conf': No such file or directory");
  s = LoadConfig(path, {{"port", {"7002"}}}, &config_, &warnings);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(config_.port, 7002);
}

TEST_F(ConfigLoadTest, StdinIsReadForDash) {
  const std::string path = Write("stdin.conf", "timeout 9\n");
  ASSERT_NE(std::freopen(path.c_str(), "r", stdin), nullptr);
  std::vector<std::string> warnings;
  Status s = LoadConfig("-", {{"hz", {"x"}}}, &config_, &warnings);
  EXPECT_EQ(s.message(), FatalAt(3, "hz \"x\"", "argument couldn't be parsed into an integer"));
}

// --- Overrides and the command line -----------------------------------------------

TEST_F(ConfigLoadTest, OverridesAreNumberedAfterTheFile) {
  EXPECT_EQ(Load("", {{"port", {"abc"}}}),
            FatalAt(2, "port \"abc\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("# c\n\nloglevel notice\n", {{"port", {"abc"}}}),
            FatalAt(5, "port \"abc\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("# c\n\nloglevel notice", {{"port", {"abc"}}}),
            FatalAt(4, "port \"abc\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("", {{"port", {"1"}}, {"hz", {"a'b"}}}),
            FatalAt(3, "hz \"a'b\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("", {{"hz", {"a\"b\\"}}}),
            FatalAt(2, R"(hz "a\"b\\")", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Load("", {{"hz", {"a\nb"}}}),
            FatalAt(2, R"(hz "a\nb")", "argument couldn't be parsed into an integer"));
}

TEST_F(ConfigLoadTest, OverridesComeAfterTheFile) {
  ASSERT_EQ(Load("port 1\ntimeout 5", {{"port", {"2"}}}), "");
  EXPECT_EQ(config_.port, 2);
  EXPECT_EQ(config_.timeout, 5);
}

TEST(ConfigCommandLine, ConfigFileAndActions) {
  auto parse = [](std::vector<const char*> argv) {
    argv.insert(argv.begin(), "duet-server");
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_EQ(parse({}).config_path, "");
  EXPECT_EQ(parse({"/etc/duet.conf"}).config_path, "/etc/duet.conf");
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof(cwd)), nullptr);
  const std::string here = cwd;
  EXPECT_EQ(parse({"rel.conf"}).config_path, here + "/rel.conf");
  EXPECT_EQ(parse({"../x.conf"}).config_path,
            std::filesystem::path(here).parent_path().string() + "/x.conf");
  EXPECT_EQ(parse({"-v"}).action, CommandLine::Action::kVersion);
  EXPECT_EQ(parse({"--version"}).action, CommandLine::Action::kVersion);
  EXPECT_EQ(parse({"-h"}).action, CommandLine::Action::kHelp);
  EXPECT_EQ(parse({"--help"}).action, CommandLine::Action::kHelp);
  EXPECT_EQ(parse({"x.conf", "--port", "1"}).overrides, (ConfigOverrides{{"port", {"1"}}}));
}

TEST(ConfigCommandLine, DirectivesAndValues) {
  auto overrides = [](std::vector<const char*> argv) {
    argv.insert(argv.begin(), "duet-server");
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data()).overrides;
  };
  using O = ConfigOverrides;
  EXPECT_EQ(overrides({"--port", "7000", "--save"}), (O{{"port", {"7000"}}, {"save", {""}}}));
  EXPECT_EQ(overrides({"--save", "--port", "1"}), (O{{"save", {""}}, {"port", {"1"}}}));
  EXPECT_EQ(overrides({"--SAVE", "--port", "1"}), (O{{"SAVE", {""}}, {"port", {"1"}}}));
  EXPECT_EQ(overrides({"--save", "", "--port", "1"}), (O{{"save", {""}}, {"port", {"1"}}}));
  EXPECT_EQ(overrides({"--bind", "127.0.0.1", "::1"}), (O{{"bind", {"127.0.0.1", "::1"}}}));
  EXPECT_EQ(overrides({"--maxmemory", "--hz", "abc"}), (O{{"maxmemory", {"--hz", "abc"}}}));
  EXPECT_EQ(overrides({"--port 6380", "--hz", "5"}), (O{{"port 6380", {}}, {"hz", {"5"}}}));
  EXPECT_EQ(overrides({"--sentinel", "--port", "1"}), (O{{"sentinel", {}}, {"port", {"1"}}}));
  EXPECT_EQ(overrides({"--port", "7377", "-", "--hz", "x"}),
            (O{{"port", {"7377", "-"}}, {"hz", {"x"}}}));
  EXPECT_EQ(overrides({"-x"}), (O{{"", {"-x"}}}));
  EXPECT_EQ(overrides({"--", "port", "1"}), (O{{"", {"port", "1"}}}));
}

TEST(ConfigCommandLine, Stdin) {
  auto parse = [](std::vector<const char*> argv) {
    argv.insert(argv.begin(), "duet-server");
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_TRUE(parse({"-", "--hz", "1"}).config_from_stdin);
  EXPECT_TRUE(parse({"--hz", "1", "-"}).config_from_stdin);
  EXPECT_TRUE(parse({"a.conf", "-"}).config_from_stdin);
  EXPECT_FALSE(parse({"--port", "1", "-", "--hz", "2"}).config_from_stdin);
}

TEST_F(ConfigLoadTest, CommandLineErrorsLikeRedis) {
  EXPECT_EQ(LoadArgv({"--port", "abc"}),
            FatalAt(2, "port \"abc\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(LoadArgv({"--PORT", "x"}),
            FatalAt(2, "PORT \"x\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--bind", "127.0.0.1", "::1", "--maxmemory", "abc"}),
            FatalAt(4, "maxmemory \"abc\"", "argument must be a memory value"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--save", "--maxmemory", "abc"}),
            FatalAt(4, "maxmemory \"abc\"", "argument must be a memory value"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--maxmemory", "--hz", "abc"}),
            FatalAt(3, "maxmemory \"--hz\" \"abc\"", "wrong number of arguments"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--maxmemory abc"}),
            FatalAt(3, "maxmemory abc", "argument must be a memory value"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--maxmemory"}),
            FatalAt(3, "maxmemory", "wrong number of arguments"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "foo", "bar", "--hz", "abc"}),
            FatalAt(2, "port \"7377\" \"foo\" \"bar\"", "wrong number of arguments"));
  EXPECT_EQ(LoadArgv({"-x"}), FatalAt(2, "\"-x\"", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(LoadArgv({"--", "-", "port", "1"}),
            FatalAt(2, "\"-\" \"port\" \"1\"", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(LoadArgv({"--port", "7377", "--replicaof", "1.2.3.4", "99999"}),
            FatalAt(3, "replicaof \"1.2.3.4\" \"99999\"", "Invalid master port"));
}

TEST_F(ConfigLoadTest, CommandLineValuesApply) {
  ASSERT_EQ(LoadArgv({"--port", "7003", "--save", "--bind", "127.0.0.1", "::1"}), "");
  EXPECT_EQ(config_.port, 7003);
  EXPECT_EQ(config_.bind, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(Get("save"), "");
  ASSERT_EQ(LoadArgv({"--bind", "127.0.0.1 ::1", "--save", "", "--port 7004"}), "");
  EXPECT_EQ(config_.bind, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(config_.port, 7004);
  ASSERT_EQ(LoadArgv({"--", "port", "7005"}), "");
  EXPECT_EQ(config_.port, 7005);
  const std::string path = Write("x.conf", "timeout 8\n");
  ASSERT_EQ(LoadArgv({path.c_str(), "--tcp-keepalive", "9"}), "");
  EXPECT_EQ(config_.timeout, 8);
  EXPECT_EQ(config_.tcp_keepalive, 9);
}

// --- Parameter parsers used by both paths ---------------------------------------

std::string ParseDisplay(std::string_view name, std::vector<std::string> args,
                         ParseContext ctx = {}) {
  const ParamLookup found = FindParam(name);
  if (found.param == nullptr) return "<unknown>";
  ParamValue v;
  std::string err;
  if (!ParseParamValue(*found.param, args, ctx, &v, &err)) return "error: " + err;
  return DisplayValue(*found.param, v);
}

TEST(ConfigValues, NumbersAndPercentAndOctal) {
  EXPECT_EQ(ParseDisplay("maxmemory-clients", {"5%"}), "5%");
  EXPECT_EQ(ParseDisplay("maxmemory-clients", {"0%"}), "0");
  EXPECT_EQ(ParseDisplay("maxmemory-clients", {"100%"}), "100%");
  EXPECT_EQ(ParseDisplay("maxmemory-clients", {"%"}),
            "error: argument must be a memory or percent value");
  EXPECT_EQ(ParseDisplay("maxmemory-clients", {"1kb"}), "1024");
  EXPECT_EQ(ParseDisplay("unixsocketperm", {"777"}), "777");
  EXPECT_EQ(ParseDisplay("unixsocketperm", {"0700"}), "700");
  EXPECT_EQ(ParseDisplay("unixsocketperm", {"-1"}),
            "error: argument must be between 0 and 777 inclusive");
  EXPECT_EQ(ParseDisplay("unixsocketperm", {"8"}),
            "error: argument couldn't be parsed as an octal number");
  EXPECT_EQ(ParseDisplay("maxmemory", {"18446744073709551616"}), "18446744073709551615");
  EXPECT_EQ(ParseDisplay("maxmemory", {"-1"}), "error: argument must be a memory value");
  EXPECT_EQ(ParseDisplay("proto-max-bulk-len", {"18446744073709551615"}),
            "error: argument must be between 1048576 and 9223372036854775807 inclusive");
  EXPECT_EQ(ParseDisplay("hash-max-listpack-value", {"9223372036854775808"}),
            "error: argument must be between 0 and 9223372036854775807 inclusive");
  EXPECT_EQ(ParseDisplay("list-max-listpack-size", {"-2147483649"}),
            "error: argument must be between -2147483648 and 2147483647 inclusive");
  EXPECT_EQ(ParseDisplay("key-load-delay", {"-9223372036854775808"}),
            "error: argument must be between -2147483648 and 2147483647 inclusive");
  EXPECT_EQ(ParseDisplay("slowlog-log-slower-than", {"-1"}), "-1");
  EXPECT_EQ(ParseDisplay("acllog-max-len", {"18446744073709551615"}),
            "error: argument couldn't be parsed into an integer");
  EXPECT_EQ(ParseDisplay("hz", {"-0"}), "error: argument couldn't be parsed into an integer");
}

TEST(ConfigValues, EnumsAndFlags) {
  EXPECT_EQ(ParseDisplay("maxmemory-policy", {"ALLKEYS-LRU"}), "allkeys-lru");
  EXPECT_EQ(ParseDisplay("oom-score-adj", {"relative"}), "yes");
  EXPECT_EQ(ParseDisplay("loglevel", {"notice warning"}),
            "error: argument(s) must be one of the following: debug, verbose, notice, warning");
  EXPECT_EQ(ParseDisplay("shutdown-on-sigint", {"now", "force", "save"}), "save now force");
  EXPECT_EQ(ParseDisplay("shutdown-on-sigint", {"default", "now"}), "now");
  EXPECT_EQ(ParseDisplay("shutdown-on-sigint", {"default", "default"}), "default");
  EXPECT_EQ(ParseDisplay("shutdown-on-sigint", {}),
            "error: argument(s) must be one of the following: default, save, nosave, now, force");
  EXPECT_EQ(ParseDisplay("shutdown-on-sigterm", {"nosave", "save"}),
            "error: shutdown options SAVE and NOSAVE can't be used simultaneously");
}

TEST(ConfigValues, SpecialForms) {
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"KEA"}), "AKE");
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"Kx"}), "xK");
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"An"}), "A");
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"nK"}), "nK");
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"mAEKgn"}), "AKEm");
  EXPECT_EQ(ParseDisplay("notify-keyspace-events", {"g$lshzxetd"}), "A");
  EXPECT_EQ(ParseDisplay("latency-tracking-info-percentiles", {"50.00", "99.123456789"}),
            "50 99.123457");
  EXPECT_EQ(ParseDisplay("latency-tracking-info-percentiles", {"0.0000001", "1e2", "0x10"}),
            "0 100 16");
  EXPECT_EQ(ParseDisplay("latency-tracking-info-percentiles", {""}), "");
  EXPECT_EQ(ParseDisplay("latency-tracking-info-percentiles", {"nan"}),
            "error: Invalid latency-tracking-info-percentiles parameters");
  EXPECT_EQ(ParseDisplay("oom-score-adj-values", {"+1", "02", "-3"}), "1 2 -3");
  EXPECT_EQ(ParseDisplay("replicaof", {"NO", "One"}), "");
  EXPECT_EQ(ParseDisplay("replicaof", {"h", "007"}), "h 7");
  EXPECT_EQ(ParseDisplay("proc-title-template", {"{{x}}"}), "{{x}}");
  EXPECT_EQ(ParseDisplay("proc-title-template", {"a}b"}), "a}b");
  EXPECT_EQ(ParseDisplay("proc-title-template", {"{title}"}),
            "error: template format is invalid or contains unknown variables");
  EXPECT_EQ(ParseDisplay("proc-title-template", {"a{b"}),
            "error: template format is invalid or contains unknown variables");
}

TEST(ConfigValues, ClientOutputBufferLimitUpdatesNamedClassesOnly) {
  ParseContext ctx;
  const std::string def = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";
  ctx.current = def;
  EXPECT_EQ(ParseDisplay("client-output-buffer-limit", {"normal", "1mb", "2mb", "3"}, ctx),
            "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(ParseDisplay("client-output-buffer-limit", {"REPLICA", "1", "2", "+3"}, ctx),
            "normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60");
  EXPECT_EQ(ParseDisplay("client-output-buffer-limit", {"normal", "1", "2", "4294967297"}, ctx),
            "normal 1 2 1 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(ParseDisplay("client-output-buffer-limit", {}, ctx), def);
  EXPECT_EQ(ParseDisplay("client-output-buffer-limit", {"normal", "1", "2", "-1"}, ctx),
            "error: Error in hard, soft or soft_seconds setting in buffer limit configuration.");
}

TEST(ConfigValues, SavePointsAccumulateInAFile) {
  ParseContext ctx;
  ctx.from_file = true;
  ctx.first_in_file = true;
  ctx.current = "3600 1 300 100 60 10000";
  EXPECT_EQ(ParseDisplay("save", {"900", "1"}, ctx), "900 1");  // replaces the built-in points
  ctx.first_in_file = false;
  ctx.current = "900 1";
  EXPECT_EQ(ParseDisplay("save", {"300", "10"}, ctx), "900 1 300 10");
  EXPECT_EQ(ParseDisplay("save", {""}, ctx), "");
  ctx.from_file = false;  // CONFIG SET replaces
  EXPECT_EQ(ParseDisplay("save", {"+5", "007"}, ctx), "5 7");
  EXPECT_EQ(ParseDisplay("save", {"5", "9999999999"}, ctx), "5 1410065407");
  EXPECT_EQ(ParseDisplay("save", {"", "5", "1"}, ctx), "error: Invalid save parameters");
}

}  // namespace
}  // namespace duet
