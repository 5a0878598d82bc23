// ACL users, rules and permission checks through the real dispatcher. Reply
// texts and descriptions checked against redis-server 7.0.15.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "server/acl.h"
#include "tests/commands/extra_client.h"
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

const std::string kNoPermKey =
    Err("NOPERM this user has no permissions to access one of the keys used as arguments");
std::string NoPermCmd(const std::string& name) {
  return Err("NOPERM this user has no permissions to run the '" + name + "' command");
}

// SHA-256 of "p1", as ACL LIST shows it.
const std::string kP1Hash = "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a";

TEST(Acl, DefaultUser) {
  Harness h;
  EXPECT_EQ(h.Cmd("ACL WHOAMI"), Bulk("default"));
  EXPECT_EQ(h.Cmd("ACL USERS"), "*1\r\n" + Bulk("default"));
  EXPECT_EQ(h.Cmd("ACL LIST"), "*1\r\n" + Bulk("user default on nopass ~* &* +@all"));
  EXPECT_EQ(h.Cmd("ACL GETUSER default"),
            "*12\r\n" + Bulk("flags") + "*2\r\n" + Bulk("on") + Bulk("nopass") + Bulk("passwords") +
                "*0\r\n" + Bulk("commands") + Bulk("+@all") + Bulk("keys") + Bulk("~*") +
                Bulk("channels") + Bulk("&*") + Bulk("selectors") + "*0\r\n");
  EXPECT_EQ(h.Cmd("ACL GETUSER nobody"), kNil);
}

TEST(Acl, SetUserDescriptions) {
  Harness h;
  EXPECT_EQ(h.Cmd("ACL SETUSER alice on >p1 ~cache:* +get +set"), kOk);
  EXPECT_EQ(h.Cmd("ACL SETUSER bob"), kOk);
  EXPECT_EQ(h.Cmd("ACL SETUSER carol on nopass allkeys +@all -debug"), kOk);
  EXPECT_EQ(h.Cmd("ACL SETUSER dave %R~ro:* %W~wo:* ~rw:* %RW~x &news* +@read"), kOk);
  EXPECT_EQ(h.Cmd("ACL LIST"),
            "*5\r\n" +
                Bulk("user alice on #" + kP1Hash + " ~cache:* resetchannels -@all +get +set") +
                Bulk("user bob off resetchannels -@all") +
                Bulk("user carol on nopass ~* resetchannels +@all -debug") +
                Bulk("user dave off %R~ro:* %W~wo:* ~rw:* ~x resetchannels &news* -@all +@read") +
                Bulk("user default on nopass ~* &* +@all"));
  EXPECT_EQ(h.Cmd("ACL USERS"), "*5\r\n" + Bulk("alice") + Bulk("bob") + Bulk("carol") +
                                    Bulk("dave") + Bulk("default"));
  // reset adds sanitize-payload, like Redis 7.0.
  EXPECT_EQ(h.Cmd("ACL SETUSER carol reset"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user carol off sanitize-payload resetchannels -@all"));
  // Rules taken back return the description to where it was.
  EXPECT_EQ(h.Cmd("ACL SETUSER bob +@all -get +get"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user bob off resetchannels +@all\r\n"));
  EXPECT_EQ(h.Cmd("ACL SETUSER bob -@all +@read -keys"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user bob off resetchannels -@all +@read -keys\r\n"));
  EXPECT_EQ(h.Cmd("ACL SETUSER bob nocommands +config +client|id"), kOk);
  // A container rule covers its subcommands; containers are listed first.
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user bob off resetchannels -@all +config +client|id\r\n"));
  EXPECT_EQ(h.Cmd("ACL SETUSER bob nocommands +select|0 +select|1"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "-@all +select|0 +select|1\r\n"));
}

TEST(Acl, SetUserErrorsChangeNothing) {
  Harness h;
  EXPECT_EQ(h.Cmd("ACL SETUSER x on +get"), kOk);
  std::string before = h.Cmd("ACL LIST");
  EXPECT_EQ(h.Cmd("ACL SETUSER x +set foo"),
            Err("ERR Error in ACL SETUSER modifier 'foo': Syntax error"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x +nocmd"),
            Err("ERR Error in ACL SETUSER modifier '+nocmd': Unknown command or category name in "
                "ACL"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x +@nocat"),
            Err("ERR Error in ACL SETUSER modifier '+@nocat': Unknown command or category name "
                "in ACL"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x #abc"),
            Err("ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 "
                "characters and contain only lowercase hexadecimal characters"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x <nopass"),
            Err("ERR Error in ACL SETUSER modifier '<nopass': The password you are trying to "
                "remove from the user does not exist"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x %X~a"),
            Err("ERR Error in ACL SETUSER modifier '%X~a': Syntax error"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x allkeys ~a"),
            Err("ERR Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern (or "
                "the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' "
                "to start with an empty list of patterns"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x allchannels &a"),
            Err("ERR Error in ACL SETUSER modifier '&a': Adding a pattern after the * pattern (or "
                "the 'allchannels' flag) is not valid and does not have any effect. Try "
                "'resetchannels' to start with an empty list of channels"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x +config|nosub"),
            Err("ERR Error in ACL SETUSER modifier '+config|nosub': Unknown command or category "
                "name in ACL"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x +config|get|x"),
            Err("ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a "
                "subcommand is not supported"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x -select|0"),
            Err("ERR Error in ACL SETUSER modifier '-select|0': Unknown command or category name "
                "in ACL"));
  EXPECT_EQ(h.Cmd("ACL SETUSER x (~a"),
            Err("ERR Unmatched parenthesis in acl selector starting at '(~a'."));
  EXPECT_EQ(h.Run({"ACL", "SETUSER", "a b", "on"}),
            Err("ERR Usernames can't contain spaces or null characters"));
  EXPECT_EQ(h.Cmd("ACL LIST"), before);
  EXPECT_EQ(h.Cmd("ACL SETUSER new foo"),
            Err("ERR Error in ACL SETUSER modifier 'foo': Syntax error"));
  EXPECT_EQ(h.Cmd("ACL GETUSER new"), kNil);
}

TEST(Acl, CommandsKeysAndFirstArguments) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER u1 on >pw ~cache:* %R~ro:* %W~wo:* +@read +set -@dangerous "
                  "+select|0"),
            kOk);
  ExtraClient c(h.server());
  EXPECT_EQ(c.Cmd("AUTH u1 pw"), kOk);
  EXPECT_EQ(c.Cmd("ACL WHOAMI"), NoPermCmd("acl|whoami"));
  EXPECT_EQ(c.Cmd("GET cache:a"), kNil);
  EXPECT_EQ(c.Cmd("GET other"), kNoPermKey);
  EXPECT_EQ(c.Cmd("SET cache:a 1"), kOk);
  EXPECT_EQ(c.Cmd("SET ro:a 1"), kNoPermKey);
  EXPECT_EQ(c.Cmd("GET ro:a"), kNil);
  EXPECT_EQ(c.Cmd("GET wo:a"), kNoPermKey);
  EXPECT_EQ(c.Cmd("SET wo:a 1"), kOk);             // a plain SET only writes
  EXPECT_EQ(c.Cmd("SET wo:a 1 GET"), kNoPermKey);  // with GET it reads too
  EXPECT_EQ(c.Cmd("MGET cache:a other"), kNoPermKey);
  EXPECT_EQ(c.Cmd("DEL cache:a"), NoPermCmd("del"));
  EXPECT_EQ(c.Cmd("KEYS *"), NoPermCmd("keys"));
  EXPECT_EQ(c.Cmd("SELECT 0"), kOk);
  EXPECT_EQ(c.Cmd("SELECT 1"), NoPermCmd("select"));
  EXPECT_EQ(c.Cmd("CONFIG GET maxmemory"), NoPermCmd("config|get"));
  EXPECT_EQ(c.Cmd("CLIENT ID"), NoPermCmd("client|id"));
  // Commands that run before authentication are never refused.
  EXPECT_EQ(c.Cmd("AUTH u1 pw"), kOk);
  EXPECT_EQ(c.Cmd("HELLO 2").substr(0, 4), "*14\r");
  // The arity check comes first, as in Redis.
  EXPECT_EQ(c.Cmd("DEL"), Err("ERR wrong number of arguments for 'del' command"));
  std::string stats = h.Cmd("INFO commandstats");
  EXPECT_TRUE(Has(stats, "cmdstat_del:calls=0,usec=0,usec_per_call=0.00,rejected_calls=2"))
      << stats;
}

TEST(Acl, SelectorsAddPermissions) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER s on nopass ~a* +get (~b* +set) (%R~c* +get +set)"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"),
                  "user s on nopass ~a* resetchannels -@all +get (~b* resetchannels -@all +set) "
                  "(%R~c* resetchannels -@all +get +set)"));
  ExtraClient c(h.server());
  ASSERT_EQ(c.Cmd("AUTH s x"), kOk);
  EXPECT_EQ(c.Cmd("GET a1"), kNil);
  EXPECT_EQ(c.Cmd("SET b1 v"), kOk);
  EXPECT_EQ(c.Cmd("GET b1"), kNoPermKey);  // root allows GET, but not b*
  EXPECT_EQ(c.Cmd("GET c1"), kNil);
  EXPECT_EQ(c.Cmd("SET c1 v"), kNoPermKey);  // read-only in the third selector
  EXPECT_EQ(c.Cmd("DEL a1"), NoPermCmd("del"));
  // Split across arguments, a selector is joined back together.
  EXPECT_EQ(h.Run({"ACL", "SETUSER", "s2", "(~x", "+get)"}), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"),
                  "user s2 off resetchannels -@all (~x resetchannels -@all "
                  "+get)"));
  EXPECT_EQ(h.Cmd("ACL SETUSER s clearselectors"), kOk);
  EXPECT_EQ(c.Cmd("SET b1 v"), NoPermCmd("set"));
}

TEST(Acl, DisabledUsersAndPasswords) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER u >a >b +@all ~*"), kOk);
  ExtraClient c(h.server());
  EXPECT_EQ(c.Cmd("AUTH u a"),
            Err("WRONGPASS invalid username-password pair or user is disabled."));
  ASSERT_EQ(h.Cmd("ACL SETUSER u on <a"), kOk);
  EXPECT_EQ(c.Cmd("AUTH u a"),
            Err("WRONGPASS invalid username-password pair or user is disabled."));
  EXPECT_EQ(c.Cmd("AUTH u b"), kOk);
  EXPECT_EQ(c.Cmd("ACL WHOAMI"), Bulk("u"));
  ASSERT_EQ(h.Cmd("ACL SETUSER u nopass"), kOk);
  EXPECT_EQ(c.Cmd("AUTH u whatever"), kOk);
  ASSERT_EQ(h.Cmd("ACL SETUSER u resetpass"), kOk);
  EXPECT_EQ(c.Cmd("AUTH u whatever"),
            Err("WRONGPASS invalid username-password pair or user is disabled."));
  // Already authenticated connections keep going when the user changes.
  EXPECT_EQ(c.Cmd("GET k"), kNil);
}

TEST(Acl, DelUserClosesItsConnections) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER gone on nopass +@all ~*"), kOk);
  ExtraClient c(h.server());
  ASSERT_EQ(c.Cmd("AUTH gone x"), kOk);
  EXPECT_EQ(h.Cmd("ACL DELUSER default gone"), Err("ERR The 'default' user cannot be removed"));
  EXPECT_FALSE(c.client().killed);
  EXPECT_EQ(h.Cmd("ACL DELUSER gone nobody"), Int(1));
  EXPECT_TRUE(c.client().killed);
  EXPECT_FALSE(c.client().authenticated);
  EXPECT_EQ(h.Cmd("ACL USERS"), "*1\r\n" + Bulk("default"));
  // A connection deleting its own user gets its reply first.
  ASSERT_EQ(h.Cmd("ACL SETUSER self on nopass +@all ~*"), kOk);
  ExtraClient me(h.server());
  ASSERT_EQ(me.Cmd("AUTH self x"), kOk);
  EXPECT_EQ(me.Cmd("ACL DELUSER self"), Int(1));
  EXPECT_TRUE(me.client().close_after_reply);
}

TEST(Acl, DryRun) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER u on nopass ~cache:* +get"), kOk);
  EXPECT_EQ(h.Cmd("ACL DRYRUN u get cache:x"), kOk);
  EXPECT_EQ(h.Cmd("ACL DRYRUN u get other"),
            Bulk("This user has no permissions to access the 'other' key"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN u del x"),
            Bulk("This user has no permissions to run the 'del' command"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN u config get x"),
            Bulk("This user has no permissions to run the 'config|get' command"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN nobody get x"), Err("ERR User 'nobody' not found"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN u nocmd x"), Err("ERR Command 'nocmd' not found"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN u config foo x"), Err("ERR Command 'config' not found"));
  EXPECT_EQ(h.Cmd("ACL DRYRUN u GET"), Err("ERR wrong number of arguments for 'get' command"));
}

TEST(Acl, CatAndGenPass) {
  Harness h;
  std::string cats = h.Cmd("ACL CAT");
  EXPECT_EQ(cats.substr(0, 5), "*21\r\n");
  EXPECT_TRUE(Has(cats, Bulk("keyspace") + Bulk("read") + Bulk("write")));
  std::string strings = h.Cmd("ACL CAT string");
  EXPECT_TRUE(Has(strings, Bulk("get")));
  EXPECT_FALSE(Has(strings, Bulk("del")));
  std::string admin = h.Cmd("ACL CAT admin");
  EXPECT_TRUE(Has(admin, Bulk("config|set")));
  EXPECT_TRUE(Has(admin, Bulk("acl|setuser")));
  EXPECT_TRUE(Has(h.Cmd("ACL CAT slow"), Bulk("client")));  // containers are @slow
  EXPECT_EQ(h.Cmd("ACL CAT foo"), Err("ERR Unknown category 'foo'"));
  EXPECT_EQ(h.Cmd("ACL CAT a b"),
            Err("ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP."));
  std::string pass = h.Cmd("ACL GENPASS");
  EXPECT_EQ(pass.substr(0, 5), "$64\r\n");
  EXPECT_EQ(h.Cmd("ACL GENPASS 5").substr(0, 4), "$2\r\n");
  EXPECT_EQ(h.Cmd("ACL GENPASS 4096").substr(0, 7), "$1024\r\n");
  EXPECT_NE(h.Cmd("ACL GENPASS"), pass);
  const std::string bad =
      Err("ERR ACL GENPASS argument must be the number of bits for the output password, a "
          "positive number up to 4096");
  EXPECT_EQ(h.Cmd("ACL GENPASS 0"), bad);
  EXPECT_EQ(h.Cmd("ACL GENPASS 4097"), bad);
  EXPECT_EQ(h.Cmd("ACL GENPASS abc"), Err("ERR value is not an integer or out of range"));
}

TEST(Acl, LogRecordsRefusalsAndFailedLogins) {
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER u on >pw ~k* +get"), kOk);
  ExtraClient c(h.server());
  EXPECT_EQ(c.Cmd("AUTH nobody x"),
            Err("WRONGPASS invalid username-password pair or user is disabled."));
  ASSERT_EQ(c.Cmd("AUTH u pw"), kOk);
  c.Cmd("GET other");
  c.Cmd("DEL k1");
  c.Cmd("DEL k1");
  std::string log = h.Cmd("ACL LOG");
  EXPECT_EQ(log.substr(0, 9), "*3\r\n*14\r\n");
  // Newest first; the two DELs share one entry.
  size_t del = log.find(Bulk("object") + Bulk("del"));
  size_t key = log.find(Bulk("object") + Bulk("other"));
  size_t auth = log.find(Bulk("object") + Bulk("AUTH"));
  ASSERT_NE(del, std::string::npos);
  ASSERT_NE(key, std::string::npos);
  ASSERT_NE(auth, std::string::npos);
  EXPECT_LT(del, key);
  EXPECT_LT(key, auth);
  EXPECT_TRUE(Has(log, Bulk("count") + Int(2) + Bulk("reason") + Bulk("command") + Bulk("context") +
                           Bulk("toplevel") + Bulk("object") + Bulk("del") + Bulk("username") +
                           Bulk("u")));
  EXPECT_TRUE(Has(log, Bulk("reason") + Bulk("key")));
  EXPECT_TRUE(Has(log, Bulk("reason") + Bulk("auth") + Bulk("context") + Bulk("toplevel") +
                           Bulk("object") + Bulk("AUTH") + Bulk("username") + Bulk("nobody")));
  EXPECT_TRUE(Has(log, "cmd=del user=u"));
  EXPECT_EQ(h.Cmd("ACL LOG 1").substr(0, 9), "*1\r\n*14\r\n");
  EXPECT_EQ(h.Cmd("ACL LOG -1"), "*0\r\n");
  EXPECT_EQ(h.Cmd("ACL LOG x"), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Cmd("ACL LOG reset"), kOk);
  EXPECT_EQ(h.Cmd("ACL LOG"), "*0\r\n");
  // acllog-max-len bounds the log.
  EXPECT_EQ(h.Cmd("CONFIG SET acllog-max-len 1"), kOk);
  c.Cmd("GET other");
  c.Cmd("DEL k1");
  EXPECT_EQ(h.Cmd("ACL LOG").substr(0, 9), "*1\r\n*14\r\n");
}

TEST(Acl, ChannelPatterns) {
  // PUBLISH and SUBSCRIBE are not in this build; the rule check is
  // exercised through ACL DRYRUN-like checks in the unit tests. Here: the
  // patterns show up in the descriptions.
  Harness h;
  ASSERT_EQ(h.Cmd("ACL SETUSER u &a* &b &a*"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL GETUSER u"), Bulk("channels") + Bulk("&a* &b")));
  ASSERT_EQ(h.Cmd("ACL SETUSER u resetchannels"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL GETUSER u"), Bulk("channels") + Bulk("")));
  EXPECT_EQ(h.Cmd("CONFIG SET acl-pubsub-default allchannels"), kOk);
  ASSERT_EQ(h.Cmd("ACL SETUSER v"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user v off &* -@all"));
}

// ---- aclfile ----

class AclFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/duet-acl-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/users.acl";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  void Write(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }
  std::string Read() {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  ServerConfig Config() {
    ServerConfig cfg;
    cfg.aclfile = path_;
    return cfg;
  }
  std::string dir_, path_;
};

TEST_F(AclFile, LoadAtStartSaveAndLoadAgain) {
  Write("user alice on >p1 ~cache:* +get\n\n   \nuser default on nopass ~* &* +@all -debug\n");
  Harness h(Config());
  EXPECT_EQ(h.Cmd("ACL LIST"),
            "*2\r\n" + Bulk("user alice on #" + kP1Hash + " ~cache:* resetchannels -@all +get") +
                Bulk("user default on nopass ~* &* +@all -debug"));
  ASSERT_EQ(h.Cmd("ACL SETUSER bob on nopass +@read"), kOk);
  EXPECT_EQ(h.Cmd("ACL SAVE"), kOk);
  EXPECT_EQ(Read(), "user alice on #" + kP1Hash +
                        " ~cache:* resetchannels -@all +get\n"
                        "user bob on nopass resetchannels -@all +@read\n"
                        "user default on nopass ~* &* +@all -debug\n");
  ExtraClient bob(h.server());
  ASSERT_EQ(bob.Cmd("AUTH bob x"), kOk);
  ASSERT_EQ(h.Cmd("ACL DELUSER bob"), Int(1));
  EXPECT_EQ(h.Cmd("ACL LOAD"), kOk);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user bob on nopass"));
  // ACL LOAD replaces every user; their connections go.
  ExtraClient alice(h.server());
  ASSERT_EQ(alice.Cmd("AUTH alice p1"), kOk);
  EXPECT_EQ(h.Cmd("ACL LOAD"), kOk);
  EXPECT_TRUE(alice.client().killed);
  EXPECT_EQ(h.Cmd("GET k"), kNil);  // default connections stay
}

TEST_F(AclFile, LoadErrorsKeepTheCurrentUsers) {
  Write("user alice on >pw ~* +@all\n");
  Harness h(Config());
  const std::string tail =
      "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
  Write("user alice on >pw ~* +@all\nuser bob on foo\nxyz\nuser carol on\n");
  EXPECT_EQ(h.Cmd("ACL LOAD"),
            Err("ERR " + path_ + ":2: Syntax error. " + path_ +
                ":3 should start with user keyword followed by the username. " + tail));
  Write("user alice on\nuser alice off\n");
  EXPECT_EQ(h.Cmd("ACL LOAD"), Err("ERR WARNING: Duplicate user 'alice' found on line 2. " + tail));
  Write("user alice on >pw ~* +nocmd\n");
  EXPECT_EQ(h.Cmd("ACL LOAD"),
            Err("ERR " + path_ +
                ":1: Error in applying operation '+nocmd': Unknown command or category name in "
                "ACL. " +
                tail));
  Write("# a comment\n");
  EXPECT_EQ(
      h.Cmd("ACL LOAD"),
      Err("ERR " + path_ + ":1 should start with user keyword followed by the username. " + tail));
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user alice on"));
  // Without a default user in the file, the default user is the built-in one.
  Write("user zed on nopass\n");
  EXPECT_EQ(h.Cmd("ACL LOAD"), kOk);
  EXPECT_EQ(h.Cmd("ACL LIST"), "*2\r\n" + Bulk("user default on nopass ~* &* +@all") +
                                   Bulk("user zed on nopass resetchannels -@all"));
}

TEST_F(AclFile, StartFailsOnBadFile) {
  Write("user bob on foo\n");
  Server s(Config());
  Status st = s.Init();
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Has(st.message(), path_ + ":1: Syntax error. WARNING: ACL errors detected"))
      << st.message();
}

TEST(AclFileMissing, SaveAndLoadNeedAnAclFile) {
  Harness h;
  const std::string err =
      Err("ERR This Redis instance is not configured to use an ACL file. You may want to specify "
          "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have "
          "a Redis configuration file set) in order to store users in the Redis configuration.");
  EXPECT_EQ(h.Cmd("ACL SAVE"), err);
  EXPECT_EQ(h.Cmd("ACL LOAD"), err);
}

// ---- `user` directives ----

ServerConfig Load(const std::string& text, std::string* err = nullptr) {
  ServerConfig cfg;
  std::vector<std::string> warnings;
  Status s = LoadConfigFromText(text, {}, &cfg, &warnings);
  if (err != nullptr) *err = s.ok() ? "" : s.message();
  return cfg;
}

TEST(UserDirective, UsersFromTheConfigurationFile) {
  ServerConfig cfg =
      Load("requirepass foo\nuser bob on >pw ~* +@all\nuser default on nopass ~* &* +@all\n");
  ASSERT_EQ(cfg.acl_users.size(), 2u);
  Harness h(cfg);
  // The user line for default comes after requirepass and wins.
  EXPECT_EQ(h.Cmd("GET k"), kNil);
  EXPECT_TRUE(Has(h.Cmd("ACL LIST"), "user bob on #"));
  ExtraClient c(h.server());
  EXPECT_EQ(c.Cmd("AUTH bob pw"), kOk);
}

TEST(UserDirective, ErrorsAtLoad) {
  std::string err;
  Load("user bob on >pw ~* +@all\nuser bob on\n", &err);
  EXPECT_TRUE(Has(err,
                  "line 2\n>>> 'user bob on'\nError in user declaration 'bob': Duplicate user "
                  "found. A user can only be defined once in config files"))
      << err;
  // Redis names the argument at the rule's index counted from the line start.
  Load("user bob on >pw foo\n", &err);
  EXPECT_TRUE(Has(err, "Error in user declaration 'on': Syntax error")) << err;
  Load("user bob foo\n", &err);
  EXPECT_TRUE(Has(err, "Error in user declaration 'user': Syntax error")) << err;
  Load("user bob on #abc\n", &err);
  EXPECT_TRUE(Has(err, "Error in user declaration 'bob': The password hash must be exactly 64"))
      << err;
  Load("user\n", &err);
  EXPECT_TRUE(Has(err, "Bad directive or wrong number of arguments")) << err;
  // Command names are checked at start-up, when the commands are known.
  ServerConfig cfg = Load("user bob on +nocmd\n", &err);
  EXPECT_EQ(err, "");
  Server s(cfg);
  Status st = s.Init();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "Error loading ACL rule '+nocmd' for the user named 'bob': Unknown command or "
            "category name in ACL");
  ServerConfig both = Load("user bob on\naclfile /tmp/x.acl\n", &err);
  Server s2(both);
  EXPECT_FALSE(s2.Init().ok());
}

}  // namespace
}  // namespace duet::testing
