// Connection and server commands through the real dispatcher; expected
// replies checked against redis-server 7.0.15.
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(ServerCommands, UnknownCommandAndArityTexts) {
  Harness h;
  EXPECT_EQ(h.Cmd("FOO a b"), Err("ERR unknown command 'FOO', with args beginning with: 'a' 'b' "));
  EXPECT_EQ(h.Cmd("foo"), Err("ERR unknown command 'foo', with args beginning with: "));
  EXPECT_EQ(
      h.Run({"foo", std::string(200, 'x')}),
      Err("ERR unknown command 'foo', with args beginning with: '" + std::string(128, 'x') + "' "));
  EXPECT_EQ(h.Cmd("CONFIG foo"), Err("ERR unknown subcommand 'foo'. Try CONFIG HELP."));
  EXPECT_EQ(h.Cmd("config"), Err("ERR wrong number of arguments for 'config' command"));
  EXPECT_EQ(h.Cmd("CONFIG GET"), Err("ERR wrong number of arguments for 'config|get' command"));
  EXPECT_EQ(h.Cmd("PING a b"), Err("ERR wrong number of arguments for 'ping' command"));
  EXPECT_EQ(h.Cmd("TIME x"), Err("ERR wrong number of arguments for 'time' command"));
}

TEST(ServerCommands, PingEchoQuit) {
  Harness h;
  EXPECT_EQ(h.Cmd("PING"), "+PONG\r\n");
  EXPECT_EQ(h.Cmd("PING hi"), Bulk("hi"));
  EXPECT_EQ(h.Cmd("ECHO hi"), Bulk("hi"));
  EXPECT_EQ(h.Cmd("QUIT"), kOk);
  EXPECT_TRUE(h.client().close_after_reply);
}

TEST(ServerCommands, SelectSwapFlush) {
  Harness h;
  EXPECT_EQ(h.Cmd("SELECT 99"), Err("ERR DB index is out of range"));
  EXPECT_EQ(h.Cmd("SELECT x"), Err("ERR value is not an integer or out of range"));
  h.Cmd("SET a 0");
  EXPECT_EQ(h.Cmd("SELECT 1"), kOk);
  h.Cmd("SET b 1");
  EXPECT_EQ(h.Cmd("SWAPDB 0 a"), Err("ERR invalid second DB index"));
  EXPECT_EQ(h.Cmd("SWAPDB a 0"), Err("ERR invalid first DB index"));
  EXPECT_EQ(h.Cmd("SWAPDB 0 99"), Err("ERR DB index is out of range"));
  EXPECT_EQ(h.Cmd("SWAPDB 0 1"), kOk);
  EXPECT_EQ(h.Cmd("GET a"), Bulk("0"));
  EXPECT_EQ(h.Cmd("FLUSHDB foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("FLUSHDB ASYNC"), kOk);
  EXPECT_EQ(h.Cmd("DBSIZE"), Int(0));
  EXPECT_EQ(h.Cmd("SELECT 0"), kOk);
  EXPECT_EQ(h.Cmd("DBSIZE"), Int(1));
  EXPECT_EQ(h.Cmd("FLUSHALL SYNC"), kOk);
  EXPECT_EQ(h.Cmd("DBSIZE"), Int(0));
}

TEST(ServerCommands, HelloSwitchesProtocol) {
  Harness h;
  EXPECT_EQ(h.Cmd("HELLO 4"), Err("NOPROTO unsupported protocol version"));
  EXPECT_EQ(h.Cmd("HELLO x"), Err("ERR Protocol version is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("HELLO 3 foo"), Err("ERR Syntax error in HELLO option 'foo'"));
  std::string r = h.Cmd("HELLO 3 SETNAME app");
  EXPECT_EQ(r.substr(0, 4), "%7\r\n");
  EXPECT_TRUE(Has(r, Bulk("server") + Bulk("redis")));
  EXPECT_TRUE(Has(r, Bulk("version") + Bulk("7.0.15")));
  EXPECT_TRUE(Has(r, Bulk("proto") + Int(3)));
  EXPECT_EQ(h.Cmd("CLIENT GETNAME"), Bulk("app"));
  EXPECT_EQ(h.Cmd("GET nokey"), "_\r\n");
  EXPECT_EQ(h.Cmd("HELLO 2").substr(0, 5), "*14\r\n");
  EXPECT_EQ(h.Cmd("GET nokey"), kNil);
  EXPECT_EQ(h.Cmd("AUTH foo"),
            Err("ERR AUTH <password> called without any password configured for the default "
                "user. Are you sure your configuration is correct?"));
  EXPECT_EQ(h.Cmd("AUTH default foo"), kOk);
  EXPECT_EQ(h.Cmd("AUTH bob foo"),
            Err("WRONGPASS invalid username-password pair or user is disabled."));
}

TEST(ServerCommands, ClientSubcommands) {
  Harness h;
  EXPECT_EQ(h.Cmd("CLIENT ID"), Int(static_cast<int64_t>(h.client().id)));
  EXPECT_EQ(h.Cmd("CLIENT GETNAME"), kNil);
  EXPECT_EQ(h.Run({"CLIENT", "SETNAME", "a b"}),
            Err("ERR Client names cannot contain spaces, newlines or special characters."));
  EXPECT_EQ(h.Cmd("CLIENT SETNAME web"), kOk);
  std::string info = h.Cmd("CLIENT INFO");
  EXPECT_TRUE(Has(info, "name=web")) << info;
  EXPECT_TRUE(Has(info, "cmd=client|info")) << info;  // the command being run, as in Redis
  EXPECT_TRUE(Has(h.Cmd("CLIENT LIST"), "id=" + std::to_string(h.client().id) + " "));
  EXPECT_EQ(h.Cmd("CLIENT LIST TYPE foo"), Err("ERR Unknown client type 'foo'"));
  EXPECT_EQ(h.Cmd("CLIENT KILL 1.2.3.4:5"), Err("ERR No such client"));
  EXPECT_EQ(h.Cmd("CLIENT KILL ID 999"), Int(0));
  EXPECT_EQ(h.Cmd("CLIENT NO-EVICT maybe"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("CLIENT NO-EVICT on"), kOk);
  EXPECT_EQ(h.Cmd("CLIENT PAUSE abc"), Err("ERR timeout is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("CLIENT UNPAUSE"), kOk);
  EXPECT_EQ(h.Cmd("CLIENT SETINFO lib-name redis-py"), kOk);
  EXPECT_EQ(h.Cmd("CLIENT REPLY foo"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("CLIENT REPLY OFF"), "");
  EXPECT_EQ(h.Cmd("SET k v"), "");
  EXPECT_EQ(h.Cmd("CLIENT REPLY ON"), kOk);
  EXPECT_EQ(h.Cmd("CLIENT REPLY SKIP"), "");
  EXPECT_EQ(h.Cmd("GET k"), "");
  EXPECT_EQ(h.Cmd("GET k"), Bulk("v"));
}

TEST(ServerCommands, InfoSections) {
  Harness h;
  h.Cmd("SET a 1");
  h.Cmd("SELECT 1");
  h.Cmd("SET age 23");
  std::string all = h.Cmd("INFO");
  EXPECT_TRUE(Has(all, "# Server\r\nredis_version:7.0.15\r\n"));
  EXPECT_TRUE(Has(all, "server_name:duet\r\n"));
  EXPECT_TRUE(Has(all, "db0:keys=1,expires=0,avg_ttl=0\r\ndb1:keys=1,expires=0,avg_ttl=0\r\n"));
  EXPECT_FALSE(Has(all, "# Commandstats"));
  std::string cs = h.Cmd("INFO commandstats");
  EXPECT_TRUE(Has(cs, "cmdstat_set:calls=2,")) << cs;
  std::string ks = h.Cmd("INFO keyspace");
  EXPECT_FALSE(Has(ks, "# Server"));
  h.Cmd("GET");
  EXPECT_TRUE(Has(h.Cmd("INFO errorstats"), "errorstat_ERR:count=1"));
  EXPECT_EQ(h.Cmd("CONFIG RESETSTAT"), kOk);
  EXPECT_FALSE(Has(h.Cmd("INFO errorstats"), "errorstat_ERR"));
}

TEST(ServerCommands, CommandTable) {
  Harness h;
  std::string count = h.Cmd("COMMAND COUNT");
  EXPECT_EQ(count, Int(static_cast<int64_t>(h.server().commands().size())));
  EXPECT_EQ(
      h.Cmd("COMMAND INFO get"),
      "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
      "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
      "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
      "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
      "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
      "*0\r\n");
  EXPECT_EQ(h.Cmd("COMMAND INFO nosuch"), "*1\r\n$-1\r\n");
  EXPECT_EQ(h.Cmd("COMMAND GETKEYS MSET a 1 b 2"), "*2\r\n" + Bulk("a") + Bulk("b"));
  EXPECT_EQ(h.Cmd("COMMAND GETKEYS nosuch a"), Err("ERR Invalid command specified"));
  EXPECT_EQ(h.Cmd("COMMAND GETKEYS get"),
            Err("ERR wrong number of arguments for 'command|getkeys' command"));
  EXPECT_EQ(h.Cmd("COMMAND GETKEYS get a b"),
            Err("ERR Invalid number of arguments specified for command"));
  EXPECT_TRUE(Has(h.Cmd("COMMAND DOCS getex"), Bulk("arguments")));
}

TEST(ServerCommands, ConfigGetSet) {
  Harness h;
  EXPECT_EQ(h.Cmd("CONFIG GET maxclients"), "*2\r\n" + Bulk("maxclients") + Bulk("10000"));
  EXPECT_EQ(h.Cmd("CONFIG SET hz 20 maxclients 500"), kOk);
  EXPECT_EQ(h.server().config().hz, 20);
  EXPECT_EQ(h.Cmd("CONFIG SET hz"), Err("ERR wrong number of arguments for 'config|set' command"));
  EXPECT_EQ(h.Cmd("CONFIG SET hz 10 maxclients"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("CONFIG SET foo bar"),
            Err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
}

TEST(ServerCommands, DebugIsGatedLikeRedis) {
  Harness h;
  EXPECT_EQ(h.Cmd("DEBUG SLEEP 0"),
            Err("ERR DEBUG command not allowed. If the enable-debug-command option is set to "
                "\"local\", you can run it from a local connection, otherwise you need to set "
                "this option in the configuration file, and then restart the server."));
  ServerConfig cfg;
  cfg.enable_debug_command = ProtectedAction::kLocal;
  Harness local(cfg);
  EXPECT_EQ(local.Cmd("DEBUG SLEEP 0"), kOk);
  EXPECT_EQ(local.Cmd("DEBUG DIGEST"), "+" + std::string(40, '0') + "\r\n");
  local.Cmd("SET a 1");
  local.Cmd("SET b hello");
  EXPECT_EQ(local.Cmd("DEBUG DIGEST"), "+2539797405e828ad7a3aa48c536b3eaf2803a421\r\n");
  local.client().is_local = false;
  EXPECT_EQ(local.Cmd("DEBUG DIGEST").substr(0, 30), "-ERR DEBUG command not allowed");
}

}  // namespace
}  // namespace duet::testing

namespace duet::testing {
namespace {

TEST(ServerCommands, SlowlogRecordsAndTrims) {
  ServerConfig cfg;
  cfg.slowlog_log_slower_than = 0;  // every command
  cfg.slowlog_max_len = 3;
  Harness h(cfg);
  h.Cmd("SET a 1");
  h.Run({"SET", "b", std::string(200, 'x')});
  EXPECT_EQ(h.Cmd("SLOWLOG LEN"), Int(2));
  std::string got = h.Cmd("SLOWLOG GET");
  EXPECT_TRUE(got.find(Bulk(std::string(128, 'x') + "... (72 more bytes)")) != std::string::npos)
      << got;
  h.Cmd("GET a");
  h.Cmd("GET b");
  EXPECT_EQ(h.Cmd("SLOWLOG LEN"), Int(3));
  EXPECT_EQ(h.Cmd("SLOWLOG GET -2"), Err("ERR count should be greater than or equal to -1"));
  EXPECT_EQ(h.Cmd("SLOWLOG RESET"), kOk);
  EXPECT_EQ(h.Cmd("SLOWLOG LEN"), Int(1));  // the RESET itself ran after the reset
  EXPECT_EQ(h.Cmd("CONFIG SET slowlog-log-slower-than -1"), kOk);
  h.Cmd("SLOWLOG RESET");
  h.Cmd("SET c 1");
  EXPECT_EQ(h.Cmd("SLOWLOG LEN"), Int(0));
}

}  // namespace
}  // namespace duet::testing

namespace duet::testing {
namespace {

TEST(ServerCommands, LatencyMonitorRecordsSpikes) {
  ServerConfig cfg;
  cfg.enable_debug_command = ProtectedAction::kYes;
  Harness h(cfg);
  EXPECT_EQ(h.Cmd("LATENCY LATEST"), "*0\r\n");
  EXPECT_NE(h.Cmd("LATENCY DOCTOR").find("off"), std::string::npos);
  EXPECT_EQ(h.Cmd("CONFIG SET latency-monitor-threshold 10"), kOk);
  h.Cmd("DEBUG SLEEP 0.03");
  std::string latest = h.Cmd("LATENCY LATEST");
  EXPECT_EQ(latest.substr(0, 8), "*1\r\n*4\r\n") << latest;
  EXPECT_NE(latest.find(Bulk("command")), std::string::npos);
  EXPECT_EQ(h.Cmd("LATENCY HISTORY command").substr(0, 8), "*1\r\n*2\r\n");
  EXPECT_EQ(h.Cmd("LATENCY HISTORY nosuch"), "*0\r\n");
  EXPECT_EQ(h.Cmd("LATENCY RESET"), Int(1));
  EXPECT_EQ(h.Cmd("LATENCY LATEST"), "*0\r\n");
}

}  // namespace
}  // namespace duet::testing
