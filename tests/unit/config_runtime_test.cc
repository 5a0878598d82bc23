// CONFIG GET / CONFIG SET (server/config.h). Expected replies come from
// redis-server 7.0.15.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "server/config.h"

namespace duet {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

class ConfigRuntimeTest : public ::testing::Test {
 protected:
  ConfigRuntimeTest() : config_(&server_) {}

  Pairs Get(std::vector<std::string_view> patterns) { return config_.Get(patterns); }

  std::string Get1(std::string_view name) {
    auto r = config_.Get({name});
    return r.size() == 1 ? r[0].second : "<missing>";
  }

  // "" on success, the error reply otherwise.
  std::string Set(std::vector<std::pair<std::string_view, std::string_view>> pairs,
                  ConfigSetContext ctx = {}) {
    Status s = config_.Set(pairs, ctx);
    return s.ok() ? "" : s.message();
  }

  static std::string Failed(std::string_view name, std::string_view reason) {
    return "ERR CONFIG SET failed (possibly related to argument '" + std::string(name) + "') - " +
           std::string(reason);
  }

  ServerConfig server_;
  Config config_;
};

// --- CONFIG GET ---------------------------------------------------------------

TEST_F(ConfigRuntimeTest, ExactNamesAreEchoedAsTyped) {
  EXPECT_EQ(Get({"PORT"}), (Pairs{{"PORT", "6379"}}));
  EXPECT_EQ(Get({"Port", "port"}), (Pairs{{"Port", "6379"}}));
  EXPECT_EQ(Get({"port", "port"}), (Pairs{{"port", "6379"}}));
  EXPECT_EQ(Get({"nonexist"}), Pairs{});
  EXPECT_EQ(Get({"list-max-ziplist-entries"}), Pairs{});  // deprecated: file only
  EXPECT_EQ(Get({"include"}), Pairs{});
}

TEST_F(ConfigRuntimeTest, GlobsMatchNamesAndAliases) {
  EXPECT_EQ(Get({"POR*"}), (Pairs{{"port", "6379"}}));
  EXPECT_EQ(Get({"*slave-read*", "replica-read-only"}),
            (Pairs{{"slave-read-only", "yes"}, {"replica-read-only", "yes"}}));
  EXPECT_EQ(Get({"slave-read-only", "replica-read-only"}),
            (Pairs{{"slave-read-only", "yes"}, {"replica-read-only", "yes"}}));
  EXPECT_EQ(Get({"PORT", "p*rt"}), (Pairs{{"PORT", "6379"}}));
  auto hash = Get({"hash-max-*"});
  std::sort(hash.begin(), hash.end());
  EXPECT_EQ(hash, (Pairs{{"hash-max-listpack-entries", "512"},
                         {"hash-max-listpack-value", "64"},
                         {"hash-max-ziplist-entries", "512"},
                         {"hash-max-ziplist-value", "64"}}));
  EXPECT_EQ(Get({"h[xyz]"}), (Pairs{{"hz", "10"}}));
  EXPECT_EQ(Get({"maxmemory", "max*"}).size(), 6u);
}

TEST_F(ConfigRuntimeTest, HiddenParametersAreNotGlobbed) {
  auto delays = Get({"*delay*"});
  std::sort(delays.begin(), delays.end());
  EXPECT_EQ(delays, (Pairs{{"repl-disable-tcp-nodelay", "no"}, {"repl-diskless-sync-delay", "5"}}));
  EXPECT_EQ(Get({"key-load-delay"}), (Pairs{{"key-load-delay", "0"}}));
}

TEST_F(ConfigRuntimeTest, DirIsTheWorkingDirectory) {
  EXPECT_EQ(Get1("dir"), std::filesystem::current_path().string());
}

// --- CONFIG SET: errors -------------------------------------------------------

TEST_F(ConfigRuntimeTest, UnknownParameter) {
  const std::string foo = "ERR Unknown option or number of arguments for CONFIG SET - 'foo'";
  EXPECT_EQ(Set({{"foo", "1"}}), foo);
  EXPECT_EQ(Set({{"hz", "1"}, {"foo", "2"}}), foo);
  EXPECT_EQ(Set({{"foo", "1"}, {"hz", "x"}}), foo);
  EXPECT_EQ(Set({{"hz", "x"}, {"foo", "2"}}), foo);
  EXPECT_EQ(Set({{"list-max-ziplist-entries", "1"}}),
            "ERR Unknown option or number of arguments for CONFIG SET - "
            "'list-max-ziplist-entries'");
  EXPECT_EQ(server_.hz, 10);
}

TEST_F(ConfigRuntimeTest, ImmutableProtectedAndDuplicate) {
  EXPECT_EQ(Set({{"daemonize", "no"}}), Failed("daemonize", "can't set immutable config"));
  EXPECT_EQ(Set({{"hz", "5"}, {"daemonize", "no"}}),
            Failed("daemonize", "can't set immutable config"));
  EXPECT_EQ(Set({{"daemonize", "no"}, {"foo", "1"}}),
            Failed("daemonize", "can't set immutable config"));
  EXPECT_EQ(Set({{"hz", "x"}, {"Daemonize", "no"}}),
            Failed("Daemonize", "can't set immutable config"));
  EXPECT_EQ(Set({{"io-threads", "2"}}), Failed("io-threads", "can't set immutable config"));
  EXPECT_EQ(Set({{"dir", "/tmp"}}), Failed("dir", "can't set protected config"));
  EXPECT_EQ(Set({{"dbfilename", "x"}}), Failed("dbfilename", "can't set protected config"));
  EXPECT_EQ(Set({{"hz", "1"}, {"hz", "2"}}), Failed("hz", "duplicate parameter"));
  EXPECT_EQ(Set({{"hz", "1"}, {"HZ", "2"}}), Failed("HZ", "duplicate parameter"));
  EXPECT_EQ(Set({{"daemonize", "no"}, {"hz", "1"}, {"hz", "2"}}),
            Failed("daemonize", "can't set immutable config"));
  EXPECT_EQ(server_.hz, 10);
}

TEST_F(ConfigRuntimeTest, ProtectedConfigsFollowEnableProtectedConfigs) {
  ConfigSetContext local;
  local.client_is_local = true;
  server_.enable_protected_configs = ProtectedAction::kLocal;
  EXPECT_EQ(Set({{"dir", "/tmp"}}), Failed("dir", "can't set protected config"));
  EXPECT_EQ(Set({{"dir", "/tmp"}}, local), "");
  EXPECT_EQ(server_.dir, "/tmp");
  server_.enable_protected_configs = ProtectedAction::kYes;
  EXPECT_EQ(Set({{"dir", "/nonexistent-duet-dir"}}), Failed("dir", "No such file or directory"));
  EXPECT_EQ(server_.dir, "/tmp");
}

TEST_F(ConfigRuntimeTest, LoadingRefusesSomeParameters) {
  ConfigSetContext loading;
  loading.loading = true;
  EXPECT_EQ(Set({{"appendonly", "no"}}, loading), "LOADING Redis is loading the dataset in memory");
  EXPECT_EQ(Set({{"hz", "11"}}, loading), "");
}

TEST_F(ConfigRuntimeTest, BadValuesNameTheParameterInLowercase) {
  EXPECT_EQ(Set({{"hz", "5"}, {"maxclients", "abc"}}),
            Failed("maxclients", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(server_.hz, 10);
  EXPECT_EQ(Set({{"HZ", "x"}}), Failed("hz", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(Set({{"SLAVE-READ-ONLY", "x"}}),
            Failed("slave-read-only", "argument must be 'yes' or 'no'"));
  EXPECT_EQ(Set({{"hz", "-1"}}),
            Failed("hz", "argument must be between 0 and 2147483647 inclusive"));
  EXPECT_EQ(Set({{"maxclients", "4294967296"}}),
            Failed("maxclients", "argument must be between 1 and 4294967295 inclusive"));
  EXPECT_EQ(Set({{"activerehashing", "1"}}),
            Failed("activerehashing", "argument must be 'yes' or 'no'"));
  EXPECT_EQ(Set({{"loglevel", "notice warning"}}),
            Failed("loglevel",
                   "argument(s) must be one of the following: debug, verbose, notice, warning"));
  EXPECT_EQ(Set({{"save", "100"}}), Failed("save", "Invalid save parameters"));
  EXPECT_EQ(Set({{"save", "  "}}), Failed("save", "Invalid save parameters"));
  EXPECT_EQ(Set({{"shutdown-on-sigint", ""}}),
            Failed("shutdown-on-sigint",
                   "argument(s) must be one of the following: default, save, nosave, now, force"));
  EXPECT_EQ(Set({{"bind", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"}}),
            Failed("bind", "Too many bind addresses specified."));
  EXPECT_EQ(Set({{"cluster-announce-hostname", "a_b"}}),
            Failed("cluster-announce-hostname",
                   "Hostnames may only contain alphanumeric characters, hyphens or dots"));
}

TEST_F(ConfigRuntimeTest, LaterParametersAcceptOnlyTheirDefault) {
  EXPECT_EQ(Set({{"maxmemory-clients", "1gb"}}),
            Failed("maxmemory-clients",
                   "this version of Duet does not support memory limits and eviction yet; "
                   "'maxmemory-clients' accepts only \"0\""));
  // Implemented now (scripting): the alias sets the real parameter.
  EXPECT_EQ(Set({{"lua-time-limit", "100"}}), "");
  EXPECT_EQ(Get1("busy-reply-threshold"), "100");
  EXPECT_EQ(Set({{"maxmemory-clients", "0"}}), "");
  EXPECT_EQ(Set({{"maxmemory-clients", "kb"}}), "");  // Redis reads it as 0
  EXPECT_EQ(Set({{"save", ""}}), "");
  EXPECT_EQ(Get1("save"), "");
  EXPECT_EQ(Set({{"save", "3600 1 300 100 60 10000"}}), "");
  EXPECT_EQ(Get1("save"), "3600 1 300 100 60 10000");
  EXPECT_EQ(Set({{"appendonly", "no"}, {"notify-keyspace-events", ""}}), "");
  // Implemented now: any valid set of letters, shown the way Redis shows it.
  EXPECT_EQ(Set({{"notify-keyspace-events", "KEA"}}), "");
  EXPECT_EQ(Get1("notify-keyspace-events"), "AKE");
  EXPECT_EQ(Set({{"notify-keyspace-events", "KEAn"}}), "");
  EXPECT_EQ(Get1("notify-keyspace-events"), "AKE");          // Redis hides 'n' next to 'A'...
  EXPECT_NE(server_.notify_keyspace_events & (1 << 13), 0);  // ...but keeps it
  EXPECT_EQ(Set({{"notify-keyspace-events", "xE"}}), "");
  EXPECT_EQ(Get1("notify-keyspace-events"), "xE");
  EXPECT_EQ(Set({{"client-output-buffer-limit", "pubsub 1mb 512kb 5"}}), "");
  EXPECT_EQ(Get1("client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 5");
  EXPECT_EQ(server_.client_output_buffer_limit[2].hard, 1048576u);
  EXPECT_EQ(server_.client_output_buffer_limit[2].soft, 524288u);
  EXPECT_EQ(server_.client_output_buffer_limit[2].soft_seconds, 5);
  EXPECT_EQ(server_.client_output_buffer_limit[1].hard, 268435456u);
  EXPECT_EQ(
      Set({{"notify-keyspace-events", "q"}}),
      Failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  EXPECT_EQ(Set({{"replicaof", "no one"}}), Failed("replicaof", "can't set immutable config"));
}

// --- CONFIG SET: effects -------------------------------------------------------

TEST_F(ConfigRuntimeTest, SetsTypedFields) {
  EXPECT_EQ(Set({{"timeout", "30"},
                 {"loglevel", "WARNING"},
                 {"maxclients", "500"},
                 {"proto-max-bulk-len", "2mb"},
                 {"list-max-ziplist-size", "-5"},
                 {"zset-max-listpack-value", "1k"},
                 {"protected-mode", "No"}}),
            "");
  EXPECT_EQ(server_.timeout, 30);
  EXPECT_EQ(server_.loglevel, LogLevel::kWarning);
  EXPECT_EQ(Get1("loglevel"), "warning");
  EXPECT_EQ(server_.maxclients, 500u);
  EXPECT_EQ(server_.proto_max_bulk_len, 2 * 1024 * 1024);
  EXPECT_EQ(Get1("proto-max-bulk-len"), "2097152");
  EXPECT_EQ(server_.collections.list_max_listpack_size, -5);
  EXPECT_EQ(Get1("list-max-listpack-size"), "-5");
  EXPECT_EQ(server_.collections.zset_max_listpack_value, 1000);
  EXPECT_FALSE(server_.protected_mode);
}

TEST_F(ConfigRuntimeTest, HzIsClamped) {
  EXPECT_EQ(Set({{"hz", "0"}}), "");
  EXPECT_EQ(Get1("hz"), "1");
  EXPECT_EQ(Set({{"hz", "1000000"}}), "");
  EXPECT_EQ(Get1("hz"), "500");
}

TEST_F(ConfigRuntimeTest, AliasAndNameInOneCommandApplyInOrder) {
  EXPECT_EQ(Set({{"hash-max-ziplist-entries", "1"}, {"hash-max-listpack-entries", "2"}}), "");
  EXPECT_EQ(server_.collections.hash_max_listpack_entries, 2);
  EXPECT_EQ(Set({{"hash-max-listpack-entries", "3"}, {"hash-max-ziplist-entries", "4"}}), "");
  EXPECT_EQ(Get1("hash-max-listpack-entries"), "4");
}

TEST_F(ConfigRuntimeTest, MultiArgumentValuesSplitOnSpaces) {
  EXPECT_EQ(Set({{"bind", "10.0.0.1 -::1"}}), "");
  EXPECT_EQ(server_.bind, (std::vector<std::string>{"10.0.0.1", "-::1"}));
  EXPECT_EQ(Get1("bind"), "10.0.0.1 -::1");
  EXPECT_EQ(Set({{"bind", ""}}), "");
  EXPECT_TRUE(server_.bind.empty());
  EXPECT_EQ(Get1("bind"), "");
  EXPECT_EQ(Set({{"oom-score-adj-values", "1 2 3"}}), "");
  EXPECT_EQ(Get1("oom-score-adj-values"), "1 2 3");
  // Two spaces make an empty argument, which Redis reads as 0.
  EXPECT_EQ(Set({{"oom-score-adj-values", "1  2"}}), "");
  EXPECT_EQ(Get1("oom-score-adj-values"), "1 0 2");
}

TEST_F(ConfigRuntimeTest, NoEffectValuesAreKept) {
  EXPECT_EQ(Set({{"activerehashing", "YES"}, {"oom-score-adj", "relative"}}), "");
  EXPECT_EQ(Get1("oom-score-adj"), "yes");
  EXPECT_EQ(Set({{"replica-announce-ip", "a b"}}), "");
  EXPECT_EQ(Get1("replica-announce-ip"), "a b");
  EXPECT_EQ(Get1("slave-announce-ip"), "a b");
  EXPECT_EQ(Set({{"replica-announce-ip", ""}}), "");
  EXPECT_EQ(Get1("replica-announce-ip"), "");
  EXPECT_TRUE(server_.other_values.count("oom-score-adj"));
  EXPECT_FALSE(server_.other_values.count("replica-announce-ip"));
}

// --- CONFIG SET: callbacks and atomicity ------------------------------------------

TEST_F(ConfigRuntimeTest, CallbackRunsOnlyOnChange) {
  int calls = 0;
  int seen_hz = 0;
  ASSERT_TRUE(config_.OnChange("hz", [&](const ServerConfig& c) {
    ++calls;
    seen_hz = c.hz;
    return Status::Ok();
  }));
  EXPECT_EQ(Set({{"hz", "10"}}), "");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Set({{"hz", "20"}}), "");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen_hz, 20);
}

TEST_F(ConfigRuntimeTest, SharedCallbackRunsOncePerCommand) {
  int calls = 0;
  ASSERT_TRUE(config_.OnChange({"port", "bind"}, [&](const ServerConfig&) {
    ++calls;
    return Status::Ok();
  }));
  EXPECT_EQ(Set({{"port", "7000"}, {"bind", "127.0.0.1"}}), "");
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(
      config_.OnChange({"port", "nope"}, [](const ServerConfig&) { return Status::Ok(); }));
}

TEST_F(ConfigRuntimeTest, FailedCallbackRollsEverythingBack) {
  std::vector<std::string> log;
  ASSERT_TRUE(config_.OnChange("timeout", [&](const ServerConfig& c) {
    log.push_back("timeout=" + std::to_string(c.timeout));
    return Status::Ok();
  }));
  ASSERT_TRUE(config_.OnChange("bind", [&](const ServerConfig& c) {
    log.push_back("bind=" + std::to_string(c.bind.size()));
    if (c.bind.size() == 3) return Status::IoError("Failed to bind to specified addresses.");
    return Status::Ok();
  }));
  EXPECT_EQ(Set({{"timeout", "5"}, {"activerehashing", "no"}, {"bind", "a b c"}}),
            Failed("bind", "Failed to bind to specified addresses."));
  EXPECT_EQ(server_.timeout, 0);
  EXPECT_EQ(server_.bind, (std::vector<std::string>{"127.0.0.1", "-::1"}));
  EXPECT_EQ(Get1("activerehashing"), "yes");
  // Both callbacks ran with the new values, then again with the old ones.
  EXPECT_EQ(log, (std::vector<std::string>{"timeout=5", "bind=3", "timeout=0", "bind=2"}));
}

TEST_F(ConfigRuntimeTest, ParseFailureChangesNothing) {
  int calls = 0;
  ASSERT_TRUE(config_.OnChange("timeout", [&](const ServerConfig&) {
    ++calls;
    return Status::Ok();
  }));
  EXPECT_EQ(Set({{"timeout", "5"}, {"hz", "x"}}),
            Failed("hz", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(server_.timeout, 0);
  EXPECT_EQ(calls, 0);
}

TEST_F(ConfigRuntimeTest, Sensitivity) {
  EXPECT_TRUE(Config::IsSensitive("requirepass"));
  EXPECT_TRUE(Config::IsSensitive("MASTERAUTH"));
  EXPECT_TRUE(Config::IsSensitive("masteruser"));
  EXPECT_FALSE(Config::IsSensitive("port"));
  EXPECT_FALSE(Config::IsSensitive("nope"));
}

}  // namespace
}  // namespace duet
