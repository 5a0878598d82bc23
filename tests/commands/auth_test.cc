// Authentication through the real dispatcher: requirepass, AUTH, HELLO AUTH,
// RESET, protected mode. Reply texts checked against redis-server 7.0.15.
#include "server/acl.h"
#include "tests/commands/extra_client.h"
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

ServerConfig WithPassword(std::string pass) {
  ServerConfig cfg;
  cfg.requirepass = std::move(pass);
  return cfg;
}

const std::string kNoAuth = Err("NOAUTH Authentication required.");
const std::string kWrongPass = Err("WRONGPASS invalid username-password pair or user is disabled.");

TEST(Auth, RequirePassRefusesEverythingButAuthUntilAuthenticated) {
  Harness h(WithPassword("secret"));
  EXPECT_EQ(h.Cmd("GET k"), kNoAuth);
  EXPECT_EQ(h.Cmd("PING"), kNoAuth);
  EXPECT_EQ(h.Cmd("ACL WHOAMI"), kNoAuth);
  EXPECT_EQ(h.Cmd("AUTH wrong"), kWrongPass);
  EXPECT_EQ(h.Cmd("AUTH default wrong"), kWrongPass);
  EXPECT_EQ(h.Cmd("AUTH nobody secret"), kWrongPass);
  EXPECT_EQ(h.Cmd("AUTH a b c"), Err("ERR syntax error"));
  EXPECT_EQ(h.Cmd("GET k"), kNoAuth);
  EXPECT_EQ(h.Cmd("AUTH secret"), kOk);
  EXPECT_EQ(h.Cmd("GET k"), kNil);
  EXPECT_EQ(h.Cmd("ACL WHOAMI"), Bulk("default"));
  // The two-argument form works too, from a fresh connection.
  ExtraClient other(h.server());
  EXPECT_EQ(other.Cmd("SET k v"), kNoAuth);
  EXPECT_EQ(other.Cmd("AUTH default secret"), kOk);
  EXPECT_EQ(other.Cmd("GET k"), kNil);
}

TEST(Auth, QuitAndResetRunBeforeAuthentication) {
  Harness h(WithPassword("secret"));
  EXPECT_EQ(h.Cmd("RESET"), "+RESET\r\n");
  EXPECT_EQ(h.Cmd("QUIT"), kOk);
}

TEST(Auth, WithoutPasswordTheOneArgumentFormIsAnError) {
  Harness h;
  EXPECT_EQ(h.Cmd("AUTH foo"),
            Err("ERR AUTH <password> called without any password configured for the default "
                "user. Are you sure your configuration is correct?"));
  // The default user has nopass: any password matches.
  EXPECT_EQ(h.Cmd("AUTH default anything"), kOk);
}

TEST(Auth, HelloAuth) {
  Harness h(WithPassword("pw"));
  EXPECT_EQ(h.Cmd("HELLO 3"),
            Err("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                "HELLO AUTH <user> <pass> option can be used to authenticate the client and "
                "select the RESP protocol version at the same time"));
  EXPECT_EQ(h.Cmd("HELLO 3 AUTH default wrong"), kWrongPass);
  // Checked in order: the bad password before the bad option.
  EXPECT_EQ(h.Cmd("HELLO 3 AUTH default wrong BADOPT"), kWrongPass);
  EXPECT_EQ(h.Cmd("GET k"), kNoAuth);
  std::string r = h.Cmd("HELLO 3 AUTH default pw SETNAME app");
  EXPECT_EQ(r.substr(0, 3), "%7\r");
  EXPECT_EQ(h.Cmd("GET k"), "_\r\n");
  EXPECT_EQ(h.client().name, "app");
}

TEST(Auth, ResetForgetsTheAuthentication) {
  Harness h(WithPassword("pw"));
  EXPECT_EQ(h.Cmd("AUTH pw"), kOk);
  EXPECT_EQ(h.Cmd("RESET"), "+RESET\r\n");
  EXPECT_EQ(h.Cmd("GET k"), kNoAuth);
}

TEST(Auth, ConfigSetRequirePassAppliesToNewConnections) {
  Harness h;
  EXPECT_EQ(h.Cmd("CONFIG SET requirepass s3"), kOk);
  // Connections made before stay authenticated, as in Redis.
  EXPECT_EQ(h.Cmd("GET k"), kNil);
  ExtraClient late(h.server());
  EXPECT_EQ(late.Cmd("GET k"), kNoAuth);
  EXPECT_EQ(late.Cmd("AUTH s3"), kOk);
  EXPECT_EQ(late.Cmd("GET k"), kNil);
  EXPECT_EQ(h.Cmd("CONFIG GET requirepass"), "*2\r\n" + Bulk("requirepass") + Bulk("s3"));
  // Clearing it lets unauthenticated connections in again.
  ExtraClient waiting(h.server());
  EXPECT_EQ(waiting.Cmd("GET k"), kNoAuth);
  EXPECT_EQ(h.Run({"CONFIG", "SET", "requirepass", ""}), kOk);
  EXPECT_EQ(waiting.Cmd("GET k"), kNil);
}

TEST(Auth, RejectedCommandsAreCounted) {
  Harness h(WithPassword("pw"));
  h.Cmd("GET k");
  h.Cmd("AUTH pw");
  std::string stats = h.Cmd("INFO commandstats");
  EXPECT_NE(stats.find("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1"),
            std::string::npos)
      << stats;
}

TEST(ProtectedMode, RefusesOutsidePeersWithoutPassword) {
  ServerConfig cfg;
  cfg.bind = {"192.0.2.1"};  // a non-loopback address
  Harness h(cfg);
  ExtraClient outside(h.server(), /*local=*/false);
  EXPECT_EQ(outside.Drain(), "-" + std::string(kProtectedModeError) + "\r\n");
  EXPECT_TRUE(outside.client().close_after_reply);
  ExtraClient inside(h.server(), /*local=*/true);
  EXPECT_EQ(inside.Drain(), "");
  EXPECT_FALSE(inside.client().close_after_reply);
}

TEST(ProtectedMode, PasswordOrProtectedModeOffLetsOutsidePeersIn) {
  ServerConfig cfg;
  cfg.bind = {"192.0.2.1"};
  cfg.requirepass = "pw";
  Harness h(cfg);
  ExtraClient outside(h.server(), /*local=*/false);
  EXPECT_EQ(outside.Drain(), "");
  EXPECT_EQ(outside.Cmd("GET k"), kNoAuth);
  EXPECT_EQ(outside.Cmd("AUTH pw"), kOk);

  ServerConfig open;
  open.bind = {"192.0.2.1"};
  open.protected_mode = false;
  Harness h2(open);
  ExtraClient outside2(h2.server(), /*local=*/false);
  EXPECT_EQ(outside2.Drain(), "");
  EXPECT_EQ(outside2.Cmd("GET k"), kNil);
}

TEST(ProtectedMode, TextIsRedisWordForWord) {
  std::string_view t = kProtectedModeError;
  EXPECT_EQ(t.substr(0, 44), "DENIED Redis is running in protected mode be");
  EXPECT_NE(t.find("4) Setup a an authentication password for the default user."),
            std::string_view::npos);
  EXPECT_EQ(t.size(), 1064u);
}

}  // namespace
}  // namespace duet::testing
