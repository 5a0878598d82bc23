// MONITOR lines and password redaction; expected texts are what
// redis-server 7.0.15 sent to a monitor for the same commands.

#include "server/monitor.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace duet {
namespace {

std::string Line(std::string_view name, std::vector<std::string_view> args, int db = 0,
                 std::string_view addr = "127.0.0.1:60552") {
  std::string out;
  AppendMonitorLine(&out, 1795505091019127, db, addr, name, args);
  return out;
}

TEST(Monitor, LineFormatAndQuoting) {
  EXPECT_EQ(
      Line("set", {"SET", "k", "v a\"\\\n\x01\xc3\xbf"}),
      "+1795505091.019127 [0 127.0.0.1:60552] \"SET\" \"k\" \"v a\\\"\\\\\\n\\x01\\xc3\\xbf\"\r\n");
  EXPECT_EQ(Line("ping", {"PING"}, 5, "lua"), "+1795505091.019127 [5 lua] \"PING\"\r\n");
  std::string out;
  AppendMonitorLine(&out, 7000001, 0, "unix:/tmp/s", "get", {"get", "\t\r\a\b"});
  EXPECT_EQ(out, "+7.000001 [0 unix:/tmp/s] \"get\" \"\\t\\r\\a\\b\"\r\n");
}

TEST(Monitor, Redaction) {
  EXPECT_EQ(Line("auth", {"AUTH", "u", "pw"}),
            "+1795505091.019127 [0 127.0.0.1:60552] \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n");
  EXPECT_EQ(Line("hello", {"HELLO", "2", "AUTH", "default", "x", "SETNAME", "n"}),
            "+1795505091.019127 [0 127.0.0.1:60552] \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" "
            "\"(redacted)\" \"SETNAME\" \"n\"\r\n");
  std::vector<std::string_view> hello = {"HELLO", "3", "SETNAME", "auth", "AUTH", "u", "p"};
  EXPECT_FALSE(MonitorRedacts("hello", hello, 3));
  EXPECT_TRUE(MonitorRedacts("hello", hello, 5));
  EXPECT_TRUE(MonitorRedacts("hello", hello, 6));
  std::vector<std::string_view> migrate = {"MIGRATE", "h", "1",  "",     "0",   "1",
                                           "AUTH2",   "u", "pw", "KEYS", "AUTH"};
  EXPECT_FALSE(MonitorRedacts("migrate", migrate, 6));
  EXPECT_TRUE(MonitorRedacts("migrate", migrate, 7));
  EXPECT_TRUE(MonitorRedacts("migrate", migrate, 8));
  EXPECT_FALSE(MonitorRedacts("migrate", migrate, 10));
  EXPECT_FALSE(MonitorRedacts("set", {"SET", "AUTH", "x"}, 2));
}

}  // namespace
}  // namespace duet
