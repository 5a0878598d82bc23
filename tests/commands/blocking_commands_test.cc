// Blocking commands through the real dispatcher, several clients on one
// Server. Time is simulated (AdvanceTime + Cron); a served client's reply is
// read with Take(). Expected bytes were checked against redis-server 7.0.15.

#include <string>
#include <vector>

#include "storage/zset_value.h"
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

std::string Arr(const std::vector<std::string>& items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}
std::string Bulks(const std::vector<std::string>& items) {
  std::vector<std::string> b;
  for (const auto& i : items) b.push_back(Bulk(i));
  return Arr(b);
}
const std::string kWrongType =
    Err("WRONGTYPE Operation against a key holding the wrong kind of value");
const std::string kSyntax = Err("ERR syntax error");
const std::string kNotFloat = Err("ERR timeout is not a float or out of range");
const std::string kNegative = Err("ERR timeout is negative");
const char* kNilArray = "*-1\r\n";

class BlockingTest : public ::testing::Test {
 protected:
  // Sends a command that must block: no reply yet, client marked blocked.
  void Block(Client& c, std::initializer_list<std::string_view> args) {
    EXPECT_EQ(h.RunAs(c, args), "");
    EXPECT_TRUE(c.blocked);
  }
  // A sorted set written straight into the keyspace (ZADD is another group's
  // command), then the end-of-command step that serves waiters.
  void AddZSet(std::string_view key, std::vector<std::pair<std::string, double>> members) {
    Database& db = h.server().keyspace().db(0);
    ZSetValue z;
    CollectionLimits limits;
    for (const auto& [m, s] : members) z.Add(m, s, 0, limits);
    db.Insert(Entry::New(key, std::move(z)));
    h.server().blocking().ServeReadyKeys();
  }
  size_t Blocked() { return h.server().blocking().blocked_count(); }
  Harness h;
};

TEST_F(BlockingTest, DataAvailableAnswersAtOnce) {
  h.Run({"RPUSH", "l", "a", "b"});
  h.Run({"SET", "s", "x"});
  EXPECT_EQ(h.Run({"BLPOP", "nokey", "l", "s", "0"}), Bulks({"l", "a"}));
  EXPECT_EQ(h.Run({"BRPOP", "nokey", "l", "0"}), Bulks({"l", "b"}));
  EXPECT_EQ(h.Run({"EXISTS", "l"}), Int(0));
  // A key of another type before any list is an error; after one it is not looked at.
  EXPECT_EQ(h.Run({"BLPOP", "nokey", "s", "0.1"}), kWrongType);
  h.Run({"RPUSH", "l", "a"});
  EXPECT_EQ(h.Run({"BLPOP", "s", "l", "0"}), kWrongType);
  EXPECT_EQ(h.Run({"BRPOPLPUSH", "l", "s", "0"}), kWrongType);
  EXPECT_EQ(h.Run({"BRPOPLPUSH", "s", "d", "0"}), kWrongType);
  EXPECT_EQ(h.Run({"BLMOVE", "l", "d", "LEFT", "RIGHT", "0"}), Bulk("a"));
  EXPECT_EQ(h.Run({"LRANGE", "d", "0", "-1"}), Bulks({"a"}));
  EXPECT_EQ(h.Run({"BRPOPLPUSH", "d", "e", "0"}), Bulk("a"));
  h.Run({"RPUSH", "l", "a", "b", "c"});
  EXPECT_EQ(h.Run({"BLMPOP", "0", "2", "nokey", "l", "RIGHT", "COUNT", "2"}),
            Arr({Bulk("l"), Bulks({"c", "b"})}));
  EXPECT_EQ(h.Run({"BLMPOP", "0", "2", "s", "l", "LEFT"}), kWrongType);
  EXPECT_EQ(Blocked(), 0u);
}

TEST_F(BlockingTest, TimeoutParsing) {
  for (const char* bad : {"abc", "nan", " 1", "1e", "", "0.2e1x", "1_0"}) {
    EXPECT_EQ(h.Run({"BLPOP", "k", bad}), kNotFloat) << bad;
  }
  for (const char* neg : {"-1", "-0.001000001", "1e300", "inf", "-inf", "9223372036854775807",
                          "9223372036854775.808"}) {
    EXPECT_EQ(h.Run({"BLPOP", "k", neg}), kNegative) << neg;
  }
  EXPECT_EQ(h.Run({"BRPOPLPUSH", "k", "d", "-1"}), kNegative);
  EXPECT_EQ(h.Run({"BLMOVE", "k", "d", "LEFT", "RIGHT", "abc"}), kNotFloat);
  EXPECT_EQ(h.Run({"BZPOPMIN", "k", "abc"}), kNotFloat);
  EXPECT_EQ(h.Run({"BZMPOP", "abc", "1", "k", "MIN"}), kNotFloat);
  EXPECT_EQ(h.Run({"BLMPOP", "abc", "1", "k", "LEFT"}), kNotFloat);
  EXPECT_EQ(Blocked(), 0u);
}

TEST_F(BlockingTest, TimeoutRoundsUpToWholeMilliseconds) {
  // -0.0001 s rounds up to 0 ms: wait forever. 0.0001 s rounds up to 1 ms.
  Client& forever = h.NewClient();
  Block(forever, {"BLPOP", "k", "-0.0001"});
  Client& hex = h.NewClient();
  Block(hex, {"BLPOP", "k", "0x10"});  // strtold reads hex: 16 s
  Client& tiny = h.NewClient();
  Block(tiny, {"BLPOP", "k", "0.0001"});
  EXPECT_EQ(h.server().blocking().with_deadline_count(), 2u);
  h.AdvanceTime(2);
  h.server().Cron();
  EXPECT_EQ(h.Take(tiny), kNilArray);
  EXPECT_TRUE(forever.blocked);
  EXPECT_TRUE(hex.blocked);
  h.AdvanceTime(16000);
  h.server().Cron();
  EXPECT_EQ(h.Take(hex), kNilArray);
  h.AdvanceTime(1000LL * 3600 * 24 * 365);
  h.server().Cron();
  EXPECT_TRUE(forever.blocked);
  EXPECT_EQ(h.Take(forever), "");
}

TEST_F(BlockingTest, PushWakesWaiterAfterTheCommand) {
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "a", "b", "0"});
  EXPECT_EQ(Blocked(), 1u);
  EXPECT_EQ(h.Run({"RPUSH", "b", "x", "y"}), Int(2));  // the pusher's reply is unchanged
  EXPECT_FALSE(c.blocked);
  EXPECT_EQ(h.Take(c), Bulks({"b", "x"}));
  EXPECT_EQ(h.Run({"LRANGE", "b", "0", "-1"}), Bulks({"y"}));
  EXPECT_EQ(Blocked(), 0u);
  // Its other key no longer wakes it.
  EXPECT_EQ(h.Run({"RPUSH", "a", "z"}), Int(1));
  EXPECT_EQ(h.Take(c), "");
  EXPECT_EQ(h.Run({"LLEN", "a"}), Int(1));
}

TEST_F(BlockingTest, WaitersAreServedFirstComeFirstServed) {
  Client& c1 = h.NewClient();
  Client& c2 = h.NewClient();
  Client& c3 = h.NewClient();
  Block(c1, {"BLPOP", "k", "0"});
  Block(c2, {"BRPOP", "k", "0"});
  Block(c3, {"BLPOP", "k", "0"});
  EXPECT_EQ(h.Run({"RPUSH", "k", "a", "b"}), Int(2));
  EXPECT_EQ(h.Take(c1), Bulks({"k", "a"}));
  EXPECT_EQ(h.Take(c2), Bulks({"k", "b"}));
  EXPECT_TRUE(c3.blocked);  // nothing left for the third: it keeps waiting
  EXPECT_EQ(h.Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(h.Run({"LPUSH", "k", "c"}), Int(1));
  EXPECT_EQ(h.Take(c3), Bulks({"k", "c"}));
}

TEST_F(BlockingTest, RepeatedKeyCountsOnce) {
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "k", "k", "0"});
  h.Run({"RPUSH", "k", "a", "b"});
  EXPECT_EQ(h.Take(c), Bulks({"k", "a"}));
  EXPECT_EQ(h.Run({"LLEN", "k"}), Int(1));
}

TEST_F(BlockingTest, TimeoutRepliesNullOfTheRightShape) {
  int64_t t0 = h.server().NowMs();  // every deadline below is at least t0 + 500
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "k", "0.5"});
  Client& m = h.NewClient();
  Block(m, {"BLMOVE", "k", "d", "LEFT", "RIGHT", "0.5"});
  Client& r3 = h.NewClient();
  EXPECT_EQ(h.RunAs(r3, {"HELLO", "3"}).substr(0, 1), "%");
  Block(r3, {"BRPOPLPUSH", "k", "d", "0.5"});
  h.server().blocking().HandleTimeouts(t0 + 499);
  EXPECT_EQ(Blocked(), 3u);
  h.AdvanceTime(500);
  h.server().Cron();
  EXPECT_EQ(h.Take(c), kNilArray);
  EXPECT_EQ(h.Take(m), kNilArray);  // Redis 7.0: a null array even for BLMOVE
  EXPECT_EQ(h.Take(r3), "_\r\n");
  EXPECT_EQ(Blocked(), 0u);
  EXPECT_EQ(h.server().blocking().with_deadline_count(), 0u);
}

TEST_F(BlockingTest, HandleTimeoutsReportsTheNextDeadline) {
  // The clock is real: deadlines fall between the times read before and after.
  int64_t before = h.server().NowMs();
  Client& a = h.NewClient();
  Block(a, {"BLPOP", "k", "2"});
  Client& b = h.NewClient();
  Block(b, {"BLPOP", "k", "1"});
  int64_t after = h.server().NowMs();
  BlockingManager& bm = h.server().blocking();
  int64_t first = bm.HandleTimeouts(before);
  EXPECT_GE(first, before + 1000);
  EXPECT_LE(first, after + 1000);
  EXPECT_EQ(h.Take(b), "");
  int64_t second = bm.HandleTimeouts(first);
  EXPECT_EQ(h.Take(b), kNilArray);
  EXPECT_GE(second, before + 2000);
  EXPECT_LE(second, after + 2000);
  EXPECT_EQ(h.Take(a), "");
  EXPECT_EQ(bm.HandleTimeouts(second), 0);
  EXPECT_EQ(h.Take(a), kNilArray);
}

TEST_F(BlockingTest, BlockingMoveServedAndChained) {
  Client& mover = h.NewClient();
  Client& popper = h.NewClient();
  Block(mover, {"BLMOVE", "a", "b", "LEFT", "RIGHT", "0"});
  Block(popper, {"BLPOP", "b", "0"});
  EXPECT_EQ(h.Run({"RPUSH", "a", "x"}), Int(1));
  // The move created b, which woke the second client in the same step.
  EXPECT_EQ(h.Take(mover), Bulk("x"));
  EXPECT_EQ(h.Take(popper), Bulks({"b", "x"}));
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
}

TEST_F(BlockingTest, BRPopLPushServed) {
  Client& c = h.NewClient();
  Block(c, {"BRPOPLPUSH", "src", "dst", "0"});
  h.Run({"RPUSH", "src", "a", "b"});
  EXPECT_EQ(h.Take(c), Bulk("b"));
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), Bulks({"b"}));
  EXPECT_EQ(h.Run({"LRANGE", "src", "0", "-1"}), Bulks({"a"}));
}

TEST_F(BlockingTest, BlockingMoveOntoWrongTypeDestination) {
  Client& c = h.NewClient();
  Block(c, {"BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"});  // dst is not checked yet
  h.Run({"SET", "dst", "x"});
  h.Run({"RPUSH", "src", "a"});
  EXPECT_EQ(h.Take(c), kWrongType);
  EXPECT_FALSE(c.blocked);
  EXPECT_EQ(h.Run({"LRANGE", "src", "0", "-1"}), Bulks({"a"}));  // nothing moved
}

TEST_F(BlockingTest, WaitersOntoTheSameListRotate) {
  Client& c1 = h.NewClient();
  Client& c2 = h.NewClient();
  Block(c1, {"BLMOVE", "k", "k", "LEFT", "RIGHT", "0"});
  Block(c2, {"BLMOVE", "k", "k", "LEFT", "RIGHT", "0"});
  h.Run({"RPUSH", "k", "a", "b"});
  EXPECT_EQ(h.Take(c1), Bulk("a"));
  EXPECT_EQ(h.Take(c2), Bulk("b"));
  EXPECT_EQ(h.Run({"LRANGE", "k", "0", "-1"}), Bulks({"a", "b"}));
}

TEST_F(BlockingTest, BlockingMPopServedWithCount) {
  Client& c = h.NewClient();
  Block(c, {"BLMPOP", "0", "2", "j", "k", "RIGHT", "COUNT", "2"});
  h.Run({"RPUSH", "k", "a", "b", "c"});
  EXPECT_EQ(h.Take(c), Arr({Bulk("k"), Bulks({"c", "b"})}));
  EXPECT_EQ(h.Run({"LPOP", "k"}), Bulk("a"));
  Block(c, {"BLMPOP", "0", "1", "k", "LEFT", "COUNT", "5"});
  h.Run({"RPUSH", "k", "x"});  // fewer than COUNT: takes what there is
  EXPECT_EQ(h.Take(c), Arr({Bulk("k"), Bulks({"x"})}));
}

TEST_F(BlockingTest, MPopArgumentErrors) {
  EXPECT_EQ(h.Run({"BLMPOP", "abc", "0", "k", "LEFT"}),
            Err("ERR numkeys should be greater than 0"));  // numkeys before timeout
  EXPECT_EQ(h.Run({"BLMPOP", "0", "2", "k", "LEFT"}), kSyntax);
  EXPECT_EQ(h.Run({"BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"}),
            Err("ERR count should be greater than 0"));
  EXPECT_EQ(h.Run({"BZMPOP", "0.05", "1", "k", "LEFT"}), kSyntax);
  EXPECT_EQ(h.Run({"BZMPOP", "0.05", "0", "k", "MIN"}),
            Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(h.Run({"BZMPOP", "0.05", "1", "k", "MIN", "COUNT", "0"}),
            Err("ERR count should be greater than 0"));
  EXPECT_EQ(h.Run({"BLMOVE", "k", "d", "FOO", "RIGHT", "abc"}), kSyntax);  // before the timeout
  EXPECT_EQ(h.Run({"BLMOVE", "k", "d", "LEFT", "FOO", "0"}), kSyntax);
  EXPECT_EQ(Blocked(), 0u);
}

TEST_F(BlockingTest, SortedSetPopsAtOnce) {
  AddZSet("z", {{"a", 1}, {"b", 2}, {"c", 3}});
  h.Run({"RPUSH", "l", "x"});
  EXPECT_EQ(h.Run({"BZPOPMIN", "nokey", "z", "0"}), Arr({Bulk("z"), Bulk("a"), Bulk("1")}));
  EXPECT_EQ(h.Run({"BZPOPMAX", "z", "0"}), Arr({Bulk("z"), Bulk("c"), Bulk("3")}));
  EXPECT_EQ(h.Run({"BZMPOP", "0", "1", "z", "MIN", "COUNT", "5"}),
            Arr({Bulk("z"), Arr({Arr({Bulk("b"), Bulk("2")})})}));
  EXPECT_EQ(h.Run({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(h.Run({"BZPOPMIN", "l", "0.05"}), kWrongType);
  EXPECT_EQ(h.Run({"BZMPOP", "0", "2", "nokey", "l", "MAX"}), kWrongType);
  h.Run({"HELLO", "3"});
  AddZSet("z", {{"m", 1.5}, {"n", 2}});
  EXPECT_EQ(h.Run({"BZPOPMIN", "z", "0"}), Arr({Bulk("z"), Bulk("m"), ",1.5\r\n"}));
  EXPECT_EQ(h.Run({"BZMPOP", "0", "1", "z", "MAX"}),
            Arr({Bulk("z"), Arr({Arr({Bulk("n"), ",2\r\n"})})}));
  EXPECT_EQ(h.Run({"BZPOPMAX", "z", "0.01"}), "");  // blocks
  h.AdvanceTime(10);
  h.server().Cron();
  EXPECT_EQ(h.Take(h.client()), "_\r\n");
}

TEST_F(BlockingTest, SortedSetWaitersServed) {
  Client& c1 = h.NewClient();
  Client& c2 = h.NewClient();
  Block(c1, {"BZMPOP", "0", "1", "z", "MAX", "COUNT", "2"});
  Block(c2, {"BZPOPMAX", "z", "0"});
  AddZSet("z", {{"a", 1}, {"b", 2}, {"c", 3}});
  EXPECT_EQ(h.Take(c1),
            Arr({Bulk("z"), Arr({Arr({Bulk("c"), Bulk("3")}), Arr({Bulk("b"), Bulk("2")})})}));
  EXPECT_EQ(h.Take(c2), Arr({Bulk("z"), Bulk("a"), Bulk("1")}));
  EXPECT_EQ(h.Run({"EXISTS", "z"}), Int(0));
}

TEST_F(BlockingTest, WaitersKeepWaitingWhenTheKeyChangesType) {
  Client& lister = h.NewClient();
  Client& zsetter = h.NewClient();
  Block(zsetter, {"BZPOPMIN", "k", "0"});
  Block(lister, {"BLPOP", "k", "0"});
  h.Run({"SET", "k", "str"});
  EXPECT_TRUE(lister.blocked);
  h.Run({"DEL", "k"});
  // A list wakes only the list waiter, even though the other came first.
  h.Run({"RPUSH", "k", "v"});
  EXPECT_EQ(h.Take(lister), Bulks({"k", "v"}));
  EXPECT_TRUE(zsetter.blocked);
  EXPECT_EQ(h.Take(zsetter), "");
  AddZSet("k", {{"m", 1}});
  EXPECT_EQ(h.Take(zsetter), Arr({Bulk("k"), Bulk("m"), Bulk("1")}));
}

TEST_F(BlockingTest, RenameAndSwapDbWake) {
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "k", "0"});
  h.Run({"RPUSH", "x", "a"});
  EXPECT_EQ(h.Run({"RENAME", "x", "k"}), kOk);
  EXPECT_EQ(h.Take(c), Bulks({"k", "a"}));

  Block(c, {"BLPOP", "k", "0"});
  h.Run({"SELECT", "1"});
  h.Run({"RPUSH", "k", "b"});  // another database: no wake-up
  EXPECT_TRUE(c.blocked);
  EXPECT_EQ(h.Run({"SWAPDB", "0", "1"}), kOk);
  EXPECT_EQ(h.Take(c), Bulks({"k", "b"}));
}

TEST_F(BlockingTest, WaiterInAnotherDatabase) {
  Client& c = h.NewClient();
  h.RunAs(c, {"SELECT", "3"});
  Block(c, {"BLPOP", "k", "0"});
  h.Run({"RPUSH", "k", "db0"});
  EXPECT_TRUE(c.blocked);
  h.Run({"SELECT", "3"});
  h.Run({"RPUSH", "k", "db3"});
  EXPECT_EQ(h.Take(c), Bulks({"k", "db3"}));
}

TEST_F(BlockingTest, ClientUnblock) {
  Client& c = h.NewClient();
  std::string id = std::to_string(c.id);
  Block(c, {"BLPOP", "k", "0"});
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", "abc"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id, "foo"}),
            Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", "abc", "foo"}),
            Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id, "TIMEOUT", "x"}),
            Err("ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT "
                "HELP."));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK"}),
            Err("ERR wrong number of arguments for 'client|unblock' command"));
  EXPECT_TRUE(c.blocked);
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id}), Int(1));
  EXPECT_EQ(h.Take(c), kNilArray);
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id}), Int(0));
  Block(c, {"BLPOP", "k", "0"});
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id, "error"}), Int(1));
  EXPECT_EQ(h.Take(c), Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
  Block(c, {"BLMOVE", "k", "d", "LEFT", "LEFT", "0"});
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", id, "timeout"}), Int(1));
  EXPECT_EQ(h.Take(c), kNilArray);
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", "-1"}), Int(0));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", "999999"}), Int(0));
  EXPECT_EQ(h.Run({"CLIENT", "UNBLOCK", std::to_string(h.client().id)}), Int(0));
  // Nothing is left waiting: a push stays in the list.
  h.Run({"RPUSH", "k", "a"});
  EXPECT_EQ(h.Run({"LLEN", "k"}), Int(1));
}

TEST_F(BlockingTest, BlockedClientShowsInInfoAndClientList) {
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "k", "5"});
  Client& d = h.NewClient();
  Block(d, {"BLPOP", "k", "0"});
  std::string info = h.Run({"INFO", "clients"});
  EXPECT_NE(info.find("blocked_clients:2\r\n"), std::string::npos) << info;
  EXPECT_NE(info.find("clients_in_timeout_table:1\r\n"), std::string::npos) << info;
  std::string list = h.Run({"CLIENT", "LIST", "ID", std::to_string(c.id)});
  EXPECT_NE(list.find(" flags=b "), std::string::npos) << list;
  EXPECT_NE(list.find(" cmd=blpop "), std::string::npos) << list;
  h.Run({"RPUSH", "k", "a", "b"});
  info = h.Run({"INFO", "clients"});
  EXPECT_NE(info.find("blocked_clients:0\r\n"), std::string::npos) << info;
  list = h.Run({"CLIENT", "LIST", "ID", std::to_string(c.id)});
  EXPECT_NE(list.find(" flags=N "), std::string::npos) << list;
}

TEST_F(BlockingTest, DisconnectedWaiterLeavesNothingBehind) {
  Client& c = h.NewClient();
  Block(c, {"BLPOP", "k", "1"});
  Client& d = h.NewClient();
  Block(d, {"BLPOP", "k", "j", "0"});
  h.Disconnect(c);
  h.Disconnect(d);
  EXPECT_EQ(Blocked(), 0u);
  EXPECT_EQ(h.server().blocking().with_deadline_count(), 0u);
  h.Run({"RPUSH", "k", "a"});
  EXPECT_EQ(h.Run({"LLEN", "k"}), Int(1));
  h.AdvanceTime(2000);
  h.server().Cron();  // no deadline of a gone client fires
  EXPECT_EQ(h.Run({"LLEN", "k"}), Int(1));
}

TEST_F(BlockingTest, UnblockedCallbackRunsOnlyWhenTheWaitEndsWithAReply) {
  int calls = 0;
  Client& c = h.NewClient();
  c.on_unblocked = [&calls] { ++calls; };
  Block(c, {"BLPOP", "k", "0"});
  h.Run({"RPUSH", "k", "a"});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(h.Take(c), Bulks({"k", "a"}));
  Block(c, {"BLPOP", "k", "1"});
  h.AdvanceTime(1000);
  h.server().Cron();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(h.Take(c), kNilArray);
  Block(c, {"BLPOP", "k", "0"});
  h.Run({"CLIENT", "UNBLOCK", std::to_string(c.id)});
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(h.Take(c), kNilArray);
  Block(c, {"BLPOP", "k", "0"});
  c.on_unblocked = nullptr;  // about to be destroyed with its waiter forgotten
  h.Disconnect(c);
  EXPECT_EQ(Blocked(), 0u);
}

TEST_F(BlockingTest, DeniedBlockingAnswersLikeATimeout) {
  Client& c = h.NewClient();
  c.deny_blocking = true;  // as inside EXEC or a script
  EXPECT_EQ(h.RunAs(c, {"BLPOP", "k", "0"}), kNilArray);
  EXPECT_EQ(h.RunAs(c, {"BLMPOP", "0", "1", "k", "LEFT"}), kNilArray);
  EXPECT_EQ(h.RunAs(c, {"BZPOPMIN", "k", "0"}), kNilArray);
  EXPECT_EQ(h.RunAs(c, {"BZMPOP", "0", "1", "k", "MIN"}), kNilArray);
  EXPECT_EQ(h.RunAs(c, {"BLMOVE", "k", "d", "LEFT", "LEFT", "0"}), kNil);
  EXPECT_EQ(h.RunAs(c, {"BRPOPLPUSH", "k", "d", "0"}), kNil);
  EXPECT_FALSE(c.blocked);
}

TEST_F(BlockingTest, MutedClientGetsNoReplyWhenServed) {
  Client& c = h.NewClient();
  h.RunAs(c, {"CLIENT", "REPLY", "OFF"});
  Block(c, {"BLPOP", "k", "0"});
  h.Run({"RPUSH", "k", "a", "b"});
  EXPECT_FALSE(c.blocked);
  EXPECT_EQ(h.Take(c), "");
  EXPECT_EQ(h.Run({"LLEN", "k"}), Int(1));  // it did pop
  h.RunAs(c, {"CLIENT", "REPLY", "ON"});
  Block(c, {"BLPOP", "j", "0"});
  h.Run({"RPUSH", "j", "x"});
  EXPECT_EQ(h.Take(c), Bulks({"j", "x"}));
}

TEST_F(BlockingTest, ServedPopsCountAsChanges) {
  Client& c = h.NewClient();
  Block(c, {"BLMPOP", "0", "1", "k", "LEFT", "COUNT", "3"});
  uint64_t d0 = h.server().stats().dirty;
  h.Run({"RPUSH", "k", "a", "b"});
  EXPECT_EQ(h.server().stats().dirty - d0, 4u);  // 2 pushed + 2 popped
}

}  // namespace
}  // namespace duet::testing
