// Pub/Sub through the real dispatcher: confirmations, delivery to other
// clients, RESP2 subscriber context, RESP3 push frames, PUBSUB introspection,
// output-buffer limits. Expected bytes checked against redis-server 7.0.15.

#include <algorithm>

#include "server/output_limits.h"
#include "tests/commands/peer_client.h"

namespace duet::testing {
namespace {

std::string Frame(std::string_view kind, std::string_view name, int64_t count) {
  return Arr({Bulk(kind), Bulk(name), Int(count)});
}
std::string Message(std::string_view channel, std::string_view msg) {
  return Arr({Bulk("message"), Bulk(channel), Bulk(msg)});
}
std::string PMessage(std::string_view pattern, std::string_view channel, std::string_view msg) {
  return Arr({Bulk("pmessage"), Bulk(pattern), Bulk(channel), Bulk(msg)});
}

TEST(PubSub, SubscribeConfirmsEachChannel) {
  Harness h;
  EXPECT_EQ(h.Cmd("SUBSCRIBE a b a"),
            Frame("subscribe", "a", 1) + Frame("subscribe", "b", 2) + Frame("subscribe", "a", 2));
  EXPECT_EQ(h.Cmd("PSUBSCRIBE h*llo"), Frame("psubscribe", "h*llo", 3));
  // Shard channels are counted apart.
  EXPECT_EQ(h.Cmd("SSUBSCRIBE s1 s2"), Frame("ssubscribe", "s1", 1) + Frame("ssubscribe", "s2", 2));
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE a"), Frame("unsubscribe", "a", 2));
  EXPECT_EQ(h.Cmd("PUNSUBSCRIBE"), Frame("punsubscribe", "h*llo", 1));
  EXPECT_EQ(h.Cmd("SUNSUBSCRIBE s1"), Frame("sunsubscribe", "s1", 1));
}

TEST(PubSub, UnsubscribeWithoutSubscriptions) {
  Harness h;
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE"), Arr({Bulk("unsubscribe"), "$-1\r\n", Int(0)}));
  EXPECT_EQ(h.Cmd("PUNSUBSCRIBE"), Arr({Bulk("punsubscribe"), "$-1\r\n", Int(0)}));
  EXPECT_EQ(h.Cmd("SUNSUBSCRIBE"), Arr({Bulk("sunsubscribe"), "$-1\r\n", Int(0)}));
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE a b"), Frame("unsubscribe", "a", 0) + Frame("unsubscribe", "b", 0));
}

TEST(PubSub, UnsubscribeAllNamesEachChannel) {
  Harness h;
  h.Cmd("SUBSCRIBE a b");
  std::string r = h.Cmd("UNSUBSCRIBE");
  // Order is unspecified (Redis walks a hash table); the counts go down.
  EXPECT_TRUE(r == Frame("unsubscribe", "a", 1) + Frame("unsubscribe", "b", 0) ||
              r == Frame("unsubscribe", "b", 1) + Frame("unsubscribe", "a", 0))
      << r;
  EXPECT_EQ(h.Cmd("GET x"), kNil);  // back to normal mode
}

TEST(PubSub, Resp2SubscriberContext) {
  Harness h;
  h.Cmd("SUBSCRIBE a");
  EXPECT_EQ(h.Cmd("PING"), Arr({Bulk("pong"), Bulk("")}));
  EXPECT_EQ(h.Cmd("PING hello"), Arr({Bulk("pong"), Bulk("hello")}));
  EXPECT_EQ(h.Cmd("GET x"), Err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE "
                                "/ PING / QUIT / RESET are allowed in this context"));
  EXPECT_EQ(h.Cmd("CONFIG GET x"),
            Err("ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                "QUIT / RESET are allowed in this context"));
  EXPECT_EQ(h.Cmd("MULTI"), Err("ERR Can't execute 'multi': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE "
                                "/ PING / QUIT / RESET are allowed in this context"));
  // A shard subscription alone keeps the context.
  h.Cmd("SSUBSCRIBE s");
  h.Cmd("UNSUBSCRIBE");
  EXPECT_EQ(h.Cmd("PING"), Arr({Bulk("pong"), Bulk("")}));
  h.Cmd("SUNSUBSCRIBE");
  EXPECT_EQ(h.Cmd("PING"), "+PONG\r\n");
  EXPECT_EQ(h.Cmd("GET x"), kNil);
}

TEST(PubSub, Resp3PushFramesAndAnyCommand) {
  Harness h;
  h.Cmd("HELLO 3");
  EXPECT_EQ(h.Cmd("SUBSCRIBE ch1"), Push({Bulk("subscribe"), Bulk("ch1"), Int(1)}));
  EXPECT_EQ(h.Cmd("PING"), "+PONG\r\n");
  EXPECT_EQ(h.Cmd("GET x"), "_\r\n");
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE nope"), Push({Bulk("unsubscribe"), Bulk("nope"), Int(1)}));
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE"), Push({Bulk("unsubscribe"), Bulk("ch1"), Int(0)}));
  EXPECT_EQ(h.Cmd("UNSUBSCRIBE"), Push({Bulk("unsubscribe"), "_\r\n", Int(0)}));
  // Publishing to itself: the push comes before PUBLISH's reply.
  h.Cmd("SUBSCRIBE me");
  EXPECT_EQ(h.Cmd("PUBLISH me hi"), Push({Bulk("message"), Bulk("me"), Bulk("hi")}) + Int(1));
}

TEST(PubSub, PublishReachesChannelsThenPatterns) {
  Harness h;
  PeerClient sub(h), psub(h), both(h);
  sub.Cmd("SUBSCRIBE ch1");
  psub.Cmd("PSUBSCRIBE c*");
  both.Cmd("HELLO 3");
  both.Cmd("SUBSCRIBE ch1");
  both.Cmd("PSUBSCRIBE c*");
  int flushes = both.flush_requests;
  EXPECT_EQ(h.Cmd("PUBLISH ch1 hi"), Int(4));
  EXPECT_EQ(sub.Take(), Message("ch1", "hi"));
  EXPECT_EQ(psub.Take(), PMessage("c*", "ch1", "hi"));
  EXPECT_EQ(both.Take(), Push({Bulk("message"), Bulk("ch1"), Bulk("hi")}) +
                             Push({Bulk("pmessage"), Bulk("c*"), Bulk("ch1"), Bulk("hi")}));
  EXPECT_GT(both.flush_requests, flushes);  // its connection was asked to send
  EXPECT_EQ(h.Cmd("PUBLISH cx yo"), Int(2));
  EXPECT_EQ(psub.Take(), PMessage("c*", "cx", "yo"));
  EXPECT_EQ(h.Cmd("PUBLISH other x"), Int(0));
  EXPECT_EQ(sub.Take(), "");
}

TEST(PubSub, ShardChannels) {
  Harness h;
  PeerClient s(h);
  s.Cmd("SSUBSCRIBE sc");
  s.Cmd("PSUBSCRIBE *");
  EXPECT_EQ(h.Cmd("SPUBLISH sc shard"), Int(1));
  EXPECT_EQ(s.Take(), Arr({Bulk("smessage"), Bulk("sc"), Bulk("shard")}));
  // Shard channels and ordinary channels are separate namespaces.
  EXPECT_EQ(h.Cmd("PUBLISH sc plain"), Int(1));
  EXPECT_EQ(s.Take(), PMessage("*", "sc", "plain"));
  EXPECT_EQ(h.Cmd("SPUBLISH nobody x"), Int(0));
}

TEST(PubSub, Introspection) {
  Harness h;
  PeerClient a(h), b(h);
  a.Cmd("SUBSCRIBE ch1 other");
  b.Cmd("SUBSCRIBE ch1");
  b.Cmd("PSUBSCRIBE c* d*");
  a.Cmd("PSUBSCRIBE c*");
  a.Cmd("SSUBSCRIBE sc");
  EXPECT_EQ(h.Cmd("PUBSUB CHANNELS c*"), Arr({Bulk("ch1")}));
  std::string all = h.Cmd("PUBSUB CHANNELS");
  EXPECT_TRUE(all == Arr({Bulk("ch1"), Bulk("other")}) || all == Arr({Bulk("other"), Bulk("ch1")}));
  EXPECT_EQ(h.Cmd("PUBSUB NUMSUB ch1 nope"), Arr({Bulk("ch1"), Int(2), Bulk("nope"), Int(0)}));
  EXPECT_EQ(h.Cmd("PUBSUB NUMSUB"), "*0\r\n");
  EXPECT_EQ(h.Cmd("PUBSUB NUMPAT"), Int(2));  // distinct patterns
  EXPECT_EQ(h.Cmd("PUBSUB SHARDCHANNELS"), Arr({Bulk("sc")}));
  EXPECT_EQ(h.Cmd("PUBSUB SHARDNUMSUB sc x"), Arr({Bulk("sc"), Int(1), Bulk("x"), Int(0)}));
  EXPECT_EQ(h.Cmd("PUBSUB CHANNELS a b"),
            Err("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB "
                "HELP."));
  EXPECT_EQ(h.Cmd("PUBSUB NUMPAT x"),
            Err("ERR wrong number of arguments for 'pubsub|numpat' command"));
  EXPECT_EQ(h.Cmd("PUBSUB"), Err("ERR wrong number of arguments for 'pubsub' command"));
  EXPECT_EQ(h.Cmd("PUBSUB FOO"), Err("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
  EXPECT_EQ(h.Cmd("PUBSUB HELP").substr(0, 4), "*15\r");
  std::string info = h.Cmd("INFO stats");
  EXPECT_NE(info.find("pubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:1\r\n"),
            std::string::npos)
      << info;
  // A disconnected client's subscriptions disappear.
  a.Disconnect();
  EXPECT_EQ(h.Cmd("PUBSUB NUMSUB ch1 other"), Arr({Bulk("ch1"), Int(1), Bulk("other"), Int(0)}));
  EXPECT_EQ(h.Cmd("PUBSUB SHARDCHANNELS"), "*0\r\n");
  EXPECT_EQ(h.Cmd("PUBSUB NUMPAT"), Int(2));
  b.Disconnect();
  EXPECT_EQ(h.Cmd("PUBSUB NUMPAT"), Int(0));
  EXPECT_EQ(h.Cmd("PUBLISH ch1 x"), Int(0));
}

TEST(PubSub, ResetUnsubscribesEverything) {
  Harness h;
  PeerClient p(h);
  h.Cmd("SUBSCRIBE a");
  h.Cmd("PSUBSCRIBE b*");
  h.Cmd("SSUBSCRIBE c");
  EXPECT_EQ(h.Cmd("RESET"), "+RESET\r\n");
  EXPECT_EQ(p.Cmd("PUBSUB NUMSUB a"), Arr({Bulk("a"), Int(0)}));
  EXPECT_EQ(p.Cmd("PUBSUB NUMPAT"), Int(0));
  EXPECT_EQ(p.Cmd("PUBSUB SHARDNUMSUB c"), Arr({Bulk("c"), Int(0)}));
  EXPECT_EQ(h.Cmd("GET x"), kNil);
}

TEST(PubSub, SubscribeInsideMulti) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("SUBSCRIBE foo"), "+QUEUED\r\n");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({Frame("subscribe", "foo", 1)}));
  EXPECT_EQ(h.Cmd("UNWATCH").substr(0, 25), "-ERR Can't execute 'unwat");
}

TEST(PubSub, ClientListAndKillByType) {
  Harness h;
  PeerClient sub(h);
  sub.Cmd("SUBSCRIBE a");
  sub.Cmd("PSUBSCRIBE b*");
  std::string list = h.Cmd("CLIENT LIST TYPE pubsub");
  EXPECT_NE(list.find("flags=P db=0 sub=1 psub=1 ssub=0 multi=-1"), std::string::npos) << list;
  EXPECT_EQ(list.find("cmd=client|list"), std::string::npos) << list;  // not the caller
  EXPECT_EQ(h.Cmd("CLIENT LIST TYPE normal").find("flags=P"), std::string::npos);
  EXPECT_EQ(h.Cmd("CLIENT LIST TYPE master"), "$0\r\n\r\n");
  EXPECT_EQ(h.Cmd("CLIENT KILL TYPE pubsub"), Int(1));
  EXPECT_TRUE(sub.client().killed);
}

TEST(PubSub, OutputBufferLimitDisconnectsASlowSubscriber) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 0 0"}), kOk);
  PeerClient sub(h);
  sub.Cmd("SUBSCRIBE ch");
  std::string big(1000, 'x');
  // The subscriber never reads: once its buffer passes 64 KB it is closed and
  // gets nothing more.
  int64_t receivers = 0;
  for (int i = 0; i < 200; ++i) receivers += std::stoll(h.Run({"PUBLISH", "ch", big}).substr(1));
  EXPECT_EQ(receivers, 200);  // still counted, as in Redis, until it is gone
  EXPECT_TRUE(sub.client().killed);
  EXPECT_LT(OutputBufferMemory(sub.client()), 100u * 1024);
  // A normal client is not limited by default, however much it asks for.
  h.Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60"});
  PeerClient normal(h);
  normal.Run({"SET", "big", std::string(200000, 'y')});
  normal.client().rb.Bulk(std::string(200000, 'z'));  // an unread reply
  normal.Cmd("GET big");
  EXPECT_FALSE(normal.client().killed);
}

TEST(PubSub, SoftLimitNeedsTime) {
  Harness h;
  h.Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 32kb 2"});
  PeerClient sub(h);
  sub.Cmd("SUBSCRIBE ch");
  std::string big(1000, 'x');
  for (int i = 0; i < 100; ++i) h.Run({"PUBLISH", "ch", big});
  EXPECT_FALSE(sub.client().killed);  // over the soft limit, but not for long
  h.AdvanceTime(1500);
  h.Run({"PUBLISH", "ch", big});
  EXPECT_FALSE(sub.client().killed);
  h.AdvanceTime(1000);
  h.Run({"PUBLISH", "ch", big});
  EXPECT_TRUE(sub.client().killed);
}

TEST(PubSub, SoftLimitTimerResetsWhenTheClientCatchesUp) {
  Harness h;
  h.Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 32kb 2"});
  PeerClient sub(h);
  sub.Cmd("SUBSCRIBE ch");
  std::string big(1000, 'x');
  for (int i = 0; i < 100; ++i) h.Run({"PUBLISH", "ch", big});
  h.AdvanceTime(1500);
  sub.Take();  // reads everything
  h.Run({"PUBLISH", "ch", big});
  h.AdvanceTime(1000);
  for (int i = 0; i < 100; ++i) h.Run({"PUBLISH", "ch", big});
  EXPECT_FALSE(sub.client().killed);
}

TEST(PubSub, NormalClientLimit) {
  Harness h;
  h.Run({"CONFIG", "SET", "client-output-buffer-limit", "normal 64kb 0 0"});
  PeerClient c(h);
  c.Run({"SET", "big", std::string(100000, 'y')});
  c.client().rb.Bulk(std::string(50000, 'z'));  // pretend earlier replies are unread
  c.Run({"GET", "big"});
  EXPECT_TRUE(c.client().killed);
}

}  // namespace
}  // namespace duet::testing
