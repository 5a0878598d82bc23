// Classic memcached text commands through MemcacheSession and McHandler.
// Expected replies were checked against memcached 1.6.18 (differences are
// deliberate and named in the test).
#include "tests/commands/memcache_harness.h"

namespace duet::testing {
namespace {

TEST(McText, SetGetGets) {
  McHarness h;
  EXPECT_EQ(h.Send("set k 5 0 3\r\nabc\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 5 3\r\nabc\r\nEND\r\n");
  EXPECT_EQ(h.Send("get nope\r\n"), "END\r\n");
  EXPECT_EQ(h.Send("get k nope k\r\n"), "VALUE k 5 3\r\nabc\r\nVALUE k 5 3\r\nabc\r\nEND\r\n");
  uint64_t cas = h.Cas("k");
  EXPECT_NE(cas, 0u);
  EXPECT_EQ(h.Send("gets k\r\n"), "VALUE k 5 3 " + std::to_string(cas) + "\r\nabc\r\nEND\r\n");
  EXPECT_EQ(h.Send("set e 0 0 0\r\n\r\nget e\r\n"), "STORED\r\nVALUE e 0 0\r\n\r\nEND\r\n");
  // Data may hold CR, LF and NUL.
  std::string bin("a\r\n\0b", 5);
  EXPECT_EQ(h.Send("set b 4294967295 0 5\r\n" + bin + "\r\nget b\r\n"),
            "STORED\r\nVALUE b 4294967295 5\r\n" + bin + "\r\nEND\r\n");
}

TEST(McText, AddReplaceAppendPrepend) {
  McHarness h;
  EXPECT_EQ(h.Send("replace k 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("append k 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("prepend k 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Send("add k 3 0 3\r\nmid\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Send("add k 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  // append/prepend ignore the flags and exptime they are given.
  EXPECT_EQ(h.Send("append k 9 100 1\r\n>\r\nprepend k 9 100 1\r\n<\r\n"), "STORED\r\nSTORED\r\n");
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 3 5\r\n<mid>\r\nEND\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(-1));
  EXPECT_EQ(h.Send("replace k 7 0 3\r\nnew\r\nget k\r\n"),
            "STORED\r\nVALUE k 7 3\r\nnew\r\nEND\r\n");
}

TEST(McText, AppendBeyondTheItemLimitIsNotStored) {
  ServerConfig cfg;
  cfg.memcached_max_item_size = 1024;
  McHarness h(cfg);
  std::string half(600, 'x');
  EXPECT_EQ(h.Send("set k 0 0 600\r\n" + half + "\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Send("append k 0 0 600\r\n" + half + "\r\n"), "NOT_STORED\r\n");
  EXPECT_EQ(h.Resp("STRLEN k"), Int(600));
}

TEST(McText, Cas) {
  McHarness h;
  EXPECT_EQ(h.Send("cas k 0 0 1 5\r\nx\r\n"), "NOT_FOUND\r\n");
  h.Send("set k 0 0 1\r\nx\r\n");
  uint64_t cas = h.Cas("k");
  EXPECT_EQ(h.Send("cas k 0 0 1 " + std::to_string(cas + 1) + "\r\ny\r\n"), "EXISTS\r\n");
  EXPECT_EQ(h.Send("cas k 0 0 1 0\r\ny\r\n"), "EXISTS\r\n");
  EXPECT_EQ(h.Send("cas k 2 0 1 " + std::to_string(cas) + "\r\ny\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 2 1\r\ny\r\nEND\r\n");
  // The successful cas was a write: the old unique no longer matches.
  EXPECT_EQ(h.Send("cas k 0 0 1 " + std::to_string(cas) + " noreply\r\nz\r\n"), "");
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 2 1\r\ny\r\nEND\r\n");
  EXPECT_EQ(h.stats().cas_hits, 1u);
  EXPECT_EQ(h.stats().cas_badval, 3u);
  EXPECT_EQ(h.stats().cas_misses, 1u);
}

TEST(McText, NoreplyEverywhere) {
  McHarness h;
  EXPECT_EQ(h.Send("set k 0 0 1 noreply\r\n1\r\n"
                   "add k 0 0 1 noreply\r\nx\r\n"
                   "replace k 0 0 1 noreply\r\n2\r\n"
                   "append k 0 0 1 noreply\r\n0\r\n"
                   "prepend k 0 0 1 noreply\r\n1\r\n"
                   "incr k 5 noreply\r\n"
                   "decr k 1 noreply\r\n"
                   "touch k 100 noreply\r\n"
                   "verbosity 1 noreply\r\n"
                   "incr nope 1 noreply\r\n"
                   "delete nope noreply\r\n"
                   "set k x 0 1 noreply\r\n"),
            "");
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 0 3\r\n124\r\nEND\r\n");
  EXPECT_EQ(h.Send("delete k noreply\r\nflush_all noreply\r\nget k\r\n"), "END\r\n");
}

TEST(McText, IncrDecr) {
  McHarness h;
  EXPECT_EQ(h.Send("incr n 1\r\n"), "NOT_FOUND\r\n");
  h.Send("set n 9 0 2\r\n10\r\n");
  EXPECT_EQ(h.Send("incr n 5\r\n"), "15\r\n");
  EXPECT_EQ(h.Send("decr n 6\r\n"), "9\r\n");
  // Unlike memcached, a shorter result is not space-padded: "9", not "9 ".
  EXPECT_EQ(h.Send("get n\r\n"), "VALUE n 9 1\r\n9\r\nEND\r\n");
  EXPECT_EQ(h.Send("decr n 100\r\n"), "0\r\n");
  EXPECT_EQ(h.Send("set n 0 0 20\r\n18446744073709551615\r\nincr n 2\r\n"), "STORED\r\n1\r\n");
  EXPECT_EQ(h.Send("incr n 18446744073709551615\r\n"), "0\r\n");
  EXPECT_EQ(h.Send("set n 0 0 3\r\n 12\r\nincr n 1\r\n"), "STORED\r\n13\r\n");
  for (std::string bad : {"abc", "-1", "12x", ""}) {
    h.Send("set n 0 0 " + std::to_string(bad.size()) + "\r\n" + bad + "\r\n");
    EXPECT_EQ(h.Send("incr n 1\r\n"),
              "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n")
        << bad;
  }
  EXPECT_EQ(h.Send("incr n x\r\n"), "CLIENT_ERROR invalid numeric delta argument\r\n");
  EXPECT_EQ(h.Send("incr n -1\r\n"), "CLIENT_ERROR invalid numeric delta argument\r\n");
  EXPECT_EQ(h.Send("incr n 18446744073709551616\r\n"),
            "CLIENT_ERROR invalid numeric delta argument\r\n");
}

TEST(McText, Expiry) {
  McHarness h;
  EXPECT_EQ(h.Send("set k 0 10 1\r\nx\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(10));
  h.AdvanceTime(9999);
  EXPECT_EQ(h.Send("get k\r\n"), "VALUE k 0 1\r\nx\r\nEND\r\n");
  h.AdvanceTime(1);
  EXPECT_EQ(h.Send("get k\r\n"), "END\r\n");
  EXPECT_EQ(h.stats().get_expired, 1u);

  // Up to 30 days the exptime is relative; beyond, a Unix time.
  h.Send("set r 0 2592000 1\r\nx\r\n");
  EXPECT_EQ(h.Resp("TTL r"), Int(2592000));
  int64_t at = h.server().NowMs() / 1000 + 3600;
  h.Send("set a 0 " + std::to_string(at) + " 1\r\nx\r\n");
  EXPECT_EQ(h.Resp("EXPIRETIME a"), Int(at));
  EXPECT_EQ(h.Send("set old 0 2592001 1\r\nx\r\nget old\r\n"), "STORED\r\nEND\r\n");

  // A negative exptime expires at once, and the old value is gone too.
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("set k 0 -1 1\r\ny\r\nget k\r\n"), "STORED\r\nEND\r\n");
  EXPECT_EQ(h.Resp("EXISTS k"), Int(0));
}

TEST(McText, TouchGatGats) {
  McHarness h;
  EXPECT_EQ(h.Send("touch k 10\r\n"), "NOT_FOUND\r\n");
  h.Send("set k 3 0 1\r\nx\r\n");
  uint64_t cas = h.Cas("k");
  EXPECT_EQ(h.Send("touch k 10\r\n"), "TOUCHED\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(10));
  EXPECT_EQ(h.Cas("k"), cas);  // touch keeps the CAS unique, as in memcached
  EXPECT_EQ(h.Send("gat 100 k nope\r\n"), "VALUE k 3 1\r\nx\r\nEND\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(100));
  EXPECT_EQ(h.Send("gats 0 k\r\n"), "VALUE k 3 1 " + std::to_string(cas) + "\r\nx\r\nEND\r\n");
  EXPECT_EQ(h.Resp("TTL k"), Int(-1));
  EXPECT_EQ(h.Send("gat 10\r\n"), "END\r\n");
  // gat with a negative exptime returns the value, then it is gone.
  EXPECT_EQ(h.Send("gat -1 k\r\nget k\r\n"), "VALUE k 3 1\r\nx\r\nEND\r\nEND\r\n");
  EXPECT_EQ(h.Send("touch k x\r\n"), "CLIENT_ERROR invalid exptime argument\r\n");
}

TEST(McText, Delete) {
  McHarness h;
  EXPECT_EQ(h.Send("delete k\r\n"), "NOT_FOUND\r\n");
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("delete k 0\r\n"), "DELETED\r\n");
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("delete k 5\r\n"),
            "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");
  EXPECT_EQ(h.Send("delete k 0 noreply\r\nget k\r\n"), "END\r\n");
}

TEST(McText, FlushAll) {
  McHarness h;
  h.Send("set a 0 0 1\r\nx\r\nset b 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("flush_all\r\nget a b\r\n"), "OK\r\nEND\r\n");
  h.Send("set a 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("flush_all 10\r\n"), "OK\r\n");
  h.AdvanceTime(9000);
  EXPECT_EQ(h.Send("get a\r\n"), "VALUE a 0 1\r\nx\r\nEND\r\n");
  h.AdvanceTime(1000);
  EXPECT_EQ(h.Send("get a\r\n"), "END\r\n");
  // The server cron applies a due flush without any memcached request.
  h.Send("set a 0 0 1\r\nx\r\nflush_all 5\r\n");
  h.AdvanceTime(5000);
  h.server().Cron();
  EXPECT_EQ(h.Resp("DBSIZE"), Int(0));
  // A later flush_all replaces a pending one.
  h.Send("set a 0 0 1\r\nx\r\nflush_all 5\r\nflush_all 0\r\nset b 0 0 1\r\ny\r\n");
  h.AdvanceTime(6000);
  EXPECT_EQ(h.Send("get b\r\n"), "VALUE b 0 1\r\ny\r\nEND\r\n");
  EXPECT_EQ(h.Send("flush_all x\r\n"), "CLIENT_ERROR invalid exptime argument\r\n");
  EXPECT_EQ(h.stats().cmd_flush, 5u);
}

TEST(McText, OtherCommands) {
  McHarness h;
  EXPECT_EQ(h.Send("version\r\n"), "VERSION 1.6.18\r\n");
  EXPECT_EQ(h.Send("verbosity 1\r\n"), "OK\r\n");
  EXPECT_EQ(h.Send("verbosity x\r\n"), "CLIENT_ERROR bad command line format\r\n");
  EXPECT_EQ(h.Send("shutdown\r\n"), "ERROR: shutdown not enabled\r\n");
  EXPECT_EQ(h.Send("mn\r\n"), "MN\r\n");
  EXPECT_FALSE(h.closing());
  EXPECT_EQ(h.Send("quit\r\nget k\r\n"), "");
  EXPECT_TRUE(h.closing());
}

TEST(McText, Errors) {
  McHarness h;
  EXPECT_EQ(h.Send("bogus\r\nGET k\r\n\r\nget\r\n"), "ERROR\r\nERROR\r\nERROR\r\nERROR\r\n");
  EXPECT_EQ(h.Send("set k 0 0 x\r\nabc\r\n"), "CLIENT_ERROR bad command line format\r\nERROR\r\n");
  EXPECT_EQ(h.Send("set " + std::string(251, 'k') + " 0 0 1\r\nx\r\n"),
            "CLIENT_ERROR bad command line format\r\nERROR\r\n");
  EXPECT_EQ(h.Send("set " + std::string(250, 'k') + " 0 0 1\r\nx\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Send("get a\tb\r\n"), "CLIENT_ERROR bad command line format\r\n");
  // bad data chunk: exactly <bytes>+2 are taken as the block.
  EXPECT_EQ(h.Send("set k 0 0 3\r\nabcde\r\nget k\r\n"),
            "CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n");
  EXPECT_FALSE(h.closing());
}

TEST(McText, TooLargeIsSwallowedAndDropsTheOldValue) {
  ServerConfig cfg;
  cfg.memcached_max_item_size = 1024;
  McHarness h(cfg);
  h.Send("set k 0 0 1\r\nx\r\n");
  std::string big(5000, 'v');
  EXPECT_EQ(h.Send("set k 0 0 5000\r\n"), "SERVER_ERROR object too large for cache\r\n");
  EXPECT_EQ(h.Send(big.substr(0, 3000)), "");
  EXPECT_EQ(h.Send(big.substr(3000) + "\r\nget k\r\n"), "END\r\n");
  EXPECT_EQ(h.buffered(), 0u);
  EXPECT_EQ(h.Send("add j 0 0 5000 noreply\r\n" + big + "\r\nmn\r\n"), "MN\r\n");
  EXPECT_EQ(h.stats().store_too_large, 2u);
  std::string fits(1024, 'f');
  EXPECT_EQ(h.Send("set k 0 0 1024\r\n" + fits + "\r\n"), "STORED\r\n");
}

TEST(McText, AnIncompleteBlockStoresNothing) {
  {
    McHarness h;
    EXPECT_EQ(h.Send("set k 0 0 10\r\n01234"), "");
    EXPECT_EQ(h.Resp("EXISTS k"), Int(0));
  }  // the client is gone: nothing was stored, nothing is left
  McHarness h;
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Send("set k 0 0 10\r\n0123"), "");
  EXPECT_EQ(h.Resp("GET k"), Bulk("x"));  // the old value stays until the block is complete
  EXPECT_EQ(h.Send("456789\r\n"), "STORED\r\n");
  EXPECT_EQ(h.Resp("GET k"), Bulk("0123456789"));
}

TEST(McText, LineTooLongCloses) {
  McHarness h;
  EXPECT_EQ(h.Send(std::string(3000, 'x')), "CLIENT_ERROR line too long\r\n");
  EXPECT_TRUE(h.closing());
}

TEST(McText, ClientPauseHoldsMemcachedRequests) {
  McHarness h;
  h.Send("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(h.Resp("CLIENT PAUSE 1000 WRITE"), kOk);
  EXPECT_EQ(h.Send("get k\r\nmg k v\r\n"), "VALUE k 0 1\r\nx\r\nEND\r\nVA 1\r\nx\r\n");
  EXPECT_EQ(h.Send("set k 0 0 1\r\ny\r\nget k\r\n"), "");
  EXPECT_TRUE(h.held());
  EXPECT_EQ(h.Send(McPacket(mcbin::kNoop).substr(0, 0)), "");  // still held
  h.AdvanceTime(1000);
  EXPECT_EQ(h.Send(""), "STORED\r\nVALUE k 0 1\r\ny\r\nEND\r\n");
  EXPECT_FALSE(h.held());
  EXPECT_EQ(h.Resp("CLIENT PAUSE 1000"), kOk);  // ALL: reads wait too
  EXPECT_EQ(h.Send("get k\r\n"), "");
  h.AdvanceTime(1000);
  EXPECT_EQ(h.Send(""), "VALUE k 0 1\r\ny\r\nEND\r\n");
}

TEST(McText, ManyKeysInOneGet) {
  McHarness h;
  std::string line = "get";
  std::string expected;
  for (int i = 0; i < 500; ++i) {
    std::string k = "key" + std::to_string(i);
    line += " " + k;
    if (i % 3 == 0) {
      h.Send("set " + k + " 0 0 1\r\nv\r\n");
      expected += "VALUE " + k + " 0 1\r\nv\r\n";
    }
  }
  EXPECT_EQ(h.Send(line + "\r\n"), expected + "END\r\n");
}

TEST(McText, BytewiseDeliveryGivesTheSameReplies) {
  const std::string script =
      "set a 1 0 3\r\nabc\r\nget a b\r\nincr n 1\r\nset n 0 0 1\r\n7\r\nincr n 3\r\n"
      "append a 0 0 2\r\nde\r\ngets zz\r\ndelete a\r\nbogus\r\nset x 0 0 1\r\nxyz\r\nmn\r\n";
  McHarness whole, bytes;
  EXPECT_EQ(bytes.SendBytewise(script), whole.Send(script));
  EXPECT_EQ(whole.Send("get n\r\n"), "VALUE n 0 2\r\n10\r\nEND\r\n");
}

TEST(McText, Stats) {
  McHarness h;
  h.Send("set a 0 0 1\r\nx\r\nget a b\r\n");
  std::string s = h.Send("stats\r\n");
  for (std::string_view field : {"pid",         "uptime",           "time",
                                 "version",     "curr_connections", "total_connections",
                                 "cmd_get",     "cmd_set",          "cmd_touch",
                                 "get_hits",    "get_misses",       "get_expired",
                                 "delete_hits", "incr_hits",        "cas_hits",
                                 "cas_badval",  "curr_items",       "total_items",
                                 "bytes",       "evictions",        "limit_maxbytes",
                                 "threads"}) {
    EXPECT_NE(("\r\n" + s).find("\r\nSTAT " + std::string(field) + " "), std::string::npos)
        << field;
  }
  EXPECT_EQ(s.rfind("STAT pid ", 0), 0u);
  EXPECT_NE(s.find("STAT cmd_get 2\r\n"), std::string::npos);
  EXPECT_NE(s.find("STAT get_hits 1\r\n"), std::string::npos);
  EXPECT_NE(s.find("STAT get_misses 1\r\n"), std::string::npos);
  EXPECT_NE(s.find("STAT curr_items 1\r\n"), std::string::npos);
  EXPECT_NE(s.find("STAT version 1.6.18\r\n"), std::string::npos);
  EXPECT_NE(s.find("STAT curr_connections 1\r\n"), std::string::npos);
  EXPECT_TRUE(s.ends_with("\r\nEND\r\n"));
  std::string settings = h.Send("stats settings\r\n");
  EXPECT_NE(settings.find("STAT item_size_max 1048576\r\n"), std::string::npos);
  EXPECT_NE(settings.find("STAT maxconns 1024\r\n"), std::string::npos);
  EXPECT_NE(h.Send("stats items\r\n").find("STAT items:1:number 1\r\n"), std::string::npos);
  EXPECT_NE(h.Send("stats slabs\r\n").find("STAT active_slabs 1\r\n"), std::string::npos);
  EXPECT_EQ(h.Send("stats reset\r\n"), "RESET\r\n");
  EXPECT_NE(h.Send("stats\r\n").find("STAT cmd_get 0\r\n"), std::string::npos);
  EXPECT_EQ(h.Send("stats bogus\r\n"), "ERROR\r\n");
  EXPECT_EQ(h.Send("stats detail\r\n"), "CLIENT_ERROR usage: stats detail on|off|dump\r\n");
}

}  // namespace
}  // namespace duet::testing
