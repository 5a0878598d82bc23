// The memcached binary protocol through MemcacheSession. Status codes and
// texts were checked against memcached 1.6.18.
#include "tests/commands/memcache_harness.h"

namespace duet::testing {
namespace {

using R = McResponse;

std::vector<R> Exchange(McHarness& h, const std::string& packets) {
  return McParseResponses(h.Send(packets));
}

TEST(McBinary, SetGetVariants) {
  McHarness h;
  auto r = Exchange(h, McPacket(mcbin::kSet, "k", McSetExtras(5, 0), "val"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kSuccess);
  EXPECT_EQ(r[0].opcode, mcbin::kSet);
  EXPECT_EQ(r[0].opaque, 0x0a0b0c0du);
  uint64_t cas = r[0].cas;
  EXPECT_NE(cas, 0u);
  r = Exchange(h, McPacket(mcbin::kGet, "k") + McPacket(mcbin::kGetK, "k") +
                      McPacket(mcbin::kGetQ, "k") + McPacket(mcbin::kGetKQ, "k"));
  ASSERT_EQ(r.size(), 4u);
  for (const R& x : r) {
    EXPECT_EQ(x.status, mcbin::kSuccess);
    EXPECT_EQ(x.extras, std::string("\0\0\0\5", 4));
    EXPECT_EQ(x.value, "val");
    EXPECT_EQ(x.cas, cas);
  }
  EXPECT_EQ(r[0].key, "");
  EXPECT_EQ(r[1].key, "k");
  EXPECT_EQ(r[3].key, "k");
  // Misses: GET says "Not found", GETK returns the key, the quiet forms say nothing.
  r = Exchange(h, McPacket(mcbin::kGet, "x") + McPacket(mcbin::kGetK, "x") +
                      McPacket(mcbin::kGetQ, "x") + McPacket(mcbin::kGetKQ, "x") +
                      McPacket(mcbin::kNoop));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[0].value, "Not found");
  EXPECT_EQ(r[1].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[1].key, "x");
  EXPECT_EQ(r[1].value, "");
  EXPECT_EQ(r[2].opcode, mcbin::kNoop);
  // The same item over the text protocol.
  EXPECT_EQ(h.Resp("GET k"), Bulk("val"));
}

TEST(McBinary, StoreStatuses) {
  McHarness h;
  auto r = Exchange(h, McPacket(mcbin::kReplace, "k", McSetExtras(0, 0), "v") +
                           McPacket(mcbin::kAppend, "k", "", "v") +
                           McPacket(mcbin::kAdd, "k", McSetExtras(0, 0), "v") +
                           McPacket(mcbin::kAdd, "k", McSetExtras(0, 0), "v") +
                           McPacket(mcbin::kSetQ, "k", McSetExtras(0, 0), "mid") +
                           McPacket(mcbin::kAppendQ, "k", "", ">") +
                           McPacket(mcbin::kPrepend, "k", "", "<") + McPacket(mcbin::kGet, "k"));
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);  // replace: no item
  EXPECT_EQ(r[1].status, mcbin::kNotStored);    // append: no item
  EXPECT_EQ(r[1].value, "Not stored.");
  EXPECT_EQ(r[2].status, mcbin::kSuccess);
  EXPECT_EQ(r[3].status, mcbin::kKeyExists);  // add: the name is taken
  EXPECT_EQ(r[3].value, "Data exists for key.");
  EXPECT_EQ(r[4].opcode, mcbin::kPrepend);
  EXPECT_EQ(r[5].value, "<mid>");
  uint64_t cas = r[5].cas;
  r = Exchange(h, McPacket(mcbin::kSet, "k", McSetExtras(0, 0), "x", cas + 1) +
                      McPacket(mcbin::kSet, "nope", McSetExtras(0, 0), "x", 9) +
                      McPacket(mcbin::kSet, "k", McSetExtras(0, 0), "x", cas));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].status, mcbin::kKeyExists);
  EXPECT_EQ(r[1].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[2].status, mcbin::kSuccess);
}

TEST(McBinary, DeleteIncrDecr) {
  McHarness h;
  auto r = Exchange(h, McPacket(mcbin::kDelete, "k") +
                           McPacket(mcbin::kIncrement, "n", McIncrExtras(1, 0, 0xffffffff)) +
                           McPacket(mcbin::kIncrement, "n", McIncrExtras(5, 10, 0)) +
                           McPacket(mcbin::kIncrement, "n", McIncrExtras(5, 10, 0)) +
                           McPacket(mcbin::kDecrement, "n", McIncrExtras(100, 0, 0)) +
                           McPacket(mcbin::kIncrementQ, "n", McIncrExtras(7, 0, 0)) +
                           McPacket(mcbin::kGet, "n") + McPacket(mcbin::kDeleteQ, "n") +
                           McPacket(mcbin::kGet, "n"));
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[1].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[2].value, std::string("\0\0\0\0\0\0\0\x0a", 8));
  EXPECT_EQ(r[3].value, std::string("\0\0\0\0\0\0\0\x0f", 8));
  EXPECT_EQ(r[4].value, std::string(8, '\0'));
  EXPECT_EQ(r[5].value, "7");
  EXPECT_EQ(r[6].status, mcbin::kKeyNotFound);
  h.Send(McPacket(mcbin::kSet, "s", McSetExtras(0, 0), "abc"));
  r = Exchange(h, McPacket(mcbin::kIncrement, "s", McIncrExtras(1, 0, 0)));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kNonNumeric);
  EXPECT_EQ(r[0].value, "Non-numeric server-side value for incr or decr");
}

TEST(McBinary, TouchGatFlushNoopVersionQuit) {
  McHarness h;
  std::string exp100(4, '\0');
  McStore32(exp100.data(), 100);
  auto r =
      Exchange(h, McPacket(mcbin::kSet, "k", McSetExtras(9, 0), "v") +
                      McPacket(mcbin::kTouch, "k", exp100) + McPacket(mcbin::kTouch, "x", exp100) +
                      McPacket(mcbin::kGatK, "k", exp100) + McPacket(mcbin::kGatQ, "x", exp100) +
                      McPacket(mcbin::kNoop) + McPacket(mcbin::kVersion));
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[1].status, mcbin::kSuccess);
  EXPECT_EQ(r[1].extras, std::string("\0\0\0\x09", 4));
  EXPECT_EQ(r[1].value, "");  // touch returns no value
  EXPECT_EQ(r[2].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[3].key, "k");
  EXPECT_EQ(r[3].value, "v");
  EXPECT_EQ(r[4].opcode, mcbin::kNoop);
  EXPECT_EQ(r[5].value, "1.6.18");
  EXPECT_EQ(h.Resp("TTL k"), Int(100));
  r = Exchange(h, McPacket(mcbin::kFlushQ) + McPacket(mcbin::kGet, "k") + McPacket(mcbin::kFlush));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);
  EXPECT_EQ(r[1].opcode, mcbin::kFlush);
  EXPECT_FALSE(h.closing());
  r = Exchange(h, McPacket(mcbin::kQuit) + McPacket(mcbin::kNoop));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].opcode, mcbin::kQuit);
  EXPECT_TRUE(h.closing());
}

TEST(McBinary, Stat) {
  McHarness h;
  auto r = Exchange(h, McPacket(mcbin::kStat));
  ASSERT_GT(r.size(), 10u);
  EXPECT_EQ(r[0].key, "pid");
  EXPECT_EQ(r.back().key, "");
  EXPECT_EQ(r.back().value, "");
  r = Exchange(h, McPacket(mcbin::kStat, "settings"));
  EXPECT_EQ(r[0].key, "maxbytes");
  r = Exchange(h, McPacket(mcbin::kStat, "bogus"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);
}

TEST(McBinary, Errors) {
  ServerConfig cfg;
  cfg.memcached_max_item_size = 1024;
  McHarness h(cfg);
  h.Send(McPacket(mcbin::kSet, "k", McSetExtras(0, 0), "old"));
  auto r = Exchange(h, McPacket(0x1b) + McPacket(0xff, "a", "", "xyz") +
                           McPacket(mcbin::kSet, "k", McSetExtras(0, 0), std::string(5000, 'x')) +
                           McPacket(mcbin::kGet, "k"));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].status, mcbin::kUnknownCommand);
  EXPECT_EQ(r[0].value, "Unknown command");
  EXPECT_EQ(r[1].status, mcbin::kUnknownCommand);
  EXPECT_EQ(r[2].status, mcbin::kValueTooLarge);
  EXPECT_EQ(r[2].value, "Too large.");
  EXPECT_EQ(r[3].status, mcbin::kKeyNotFound);  // the failed set dropped the old value
  EXPECT_FALSE(h.closing());
  // Lengths that do not fit the opcode: "Invalid arguments", then close.
  r = Exchange(h, McPacket(mcbin::kGet, "k", "xx") + McPacket(mcbin::kNoop));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kInvalidArguments);
  EXPECT_TRUE(h.closing());
}

TEST(McBinary, KeyTooLongAndBadMagic) {
  McHarness h;
  auto r = Exchange(h, McPacket(mcbin::kGet, std::string(251, 'k')));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kInvalidArguments);
  EXPECT_TRUE(h.closing());
  McHarness g;
  EXPECT_EQ(g.Send(McPacket(mcbin::kNoop).substr(0, 24) + "get k\r\n").size(), 24u);
  EXPECT_TRUE(g.closing());
}

TEST(McBinary, ClientPauseHoldsWrites) {
  McHarness h;
  EXPECT_EQ(h.Resp("CLIENT PAUSE 1000 WRITE"), kOk);
  auto r =
      Exchange(h, McPacket(mcbin::kGet, "k") + McPacket(mcbin::kSet, "k", McSetExtras(0, 0), "v") +
                      McPacket(mcbin::kGet, "k"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, mcbin::kKeyNotFound);
  EXPECT_TRUE(h.held());
  h.AdvanceTime(1000);
  r = Exchange(h, "");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].opcode, mcbin::kSet);
  EXPECT_EQ(r[1].value, "v");
}

TEST(McBinary, BytewiseDelivery) {
  std::string script = McPacket(mcbin::kSet, "k", McSetExtras(1, 0), "value") +
                       McPacket(mcbin::kGetK, "k") + McPacket(mcbin::kGetQ, "zz") +
                       McPacket(mcbin::kIncrement, "n", McIncrExtras(2, 3, 0)) +
                       McPacket(mcbin::kNoop);
  McHarness whole, bytes;
  std::string a = whole.Send(script), b = bytes.SendBytewise(script);
  auto ra = McParseResponses(a), rb = McParseResponses(b);
  ASSERT_EQ(ra.size(), 4u);
  ASSERT_EQ(rb.size(), 4u);
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].value, rb[i].value);
    EXPECT_EQ(ra[i].status, rb[i].status);
  }
}

}  // namespace
}  // namespace duet::testing
