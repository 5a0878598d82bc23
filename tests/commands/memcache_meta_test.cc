// Meta commands (mg, ms, md, ma, mn, me). Expected replies were checked
// against memcached 1.6.18; CAS values are Duet's own.
#include "tests/commands/memcache_harness.h"

namespace duet::testing {
namespace {

std::string C(McHarness& h, std::string_view key) { return std::to_string(h.Cas(key)); }

TEST(McMeta, GetFlags) {
  McHarness h;
  EXPECT_EQ(h.Send("ms foo 2 T90 F5\r\nhi\r\n"), "HD\r\n");
  EXPECT_EQ(h.Send("mg foo t f v\r\n"), "VA 2 t90 f5\r\nhi\r\n");
  std::string reply = h.Send("mg foo s v c k O123 q\r\n");
  EXPECT_EQ(reply, "VA 2 s2 c" + C(h, "foo") + " kfoo O123\r\nhi\r\n");
  EXPECT_EQ(h.Send("mg foo\r\n"), "HD\r\n");
  EXPECT_EQ(h.Send("mg foo q k\r\n"), "HD kfoo\r\n");  // q hides misses only
  EXPECT_EQ(h.Send("mg missing v\r\n"), "EN\r\n");
  EXPECT_EQ(h.Send("mg missing v k O5\r\n"), "EN kmissing O5\r\n");
  EXPECT_EQ(h.Send("mg missing v q\r\nmn\r\n"), "MN\r\n");
  h.AdvanceTime(1500);
  EXPECT_EQ(h.Send("mg foo t\r\n"), "HD t89\r\n");
}

TEST(McMeta, HitBeforeAndLastAccess) {
  McHarness h;
  h.Send("ms k 1\r\nx\r\n");
  EXPECT_EQ(h.Send("mg k h l\r\n"), "HD h0 l0\r\n");
  h.AdvanceTime(3000);
  EXPECT_EQ(h.Send("mg k h l\r\n"), "HD h1 l3\r\n");
  EXPECT_EQ(h.Send("me k\r\n").substr(0, 19), "ME k exp=-1 la=0 ca");
  EXPECT_NE(h.Send("me k\r\n").find(" fetch=yes cls=1 size="), std::string::npos);
  EXPECT_EQ(h.Send("me nope\r\n"), "EN\r\n");
}

TEST(McMeta, SetModes) {
  McHarness h;
  EXPECT_EQ(h.Send("ms k 2 MR\r\nzz\r\n"), "NS\r\n");
  EXPECT_EQ(h.Send("ms k 2 MA\r\nzz\r\n"), "NS\r\n");
  EXPECT_EQ(h.Send("ms k 2 ME F3\r\nhi\r\n"), "HD\r\n");
  EXPECT_EQ(h.Send("ms k 2 ME\r\nhi\r\n"), "NS\r\n");
  EXPECT_EQ(h.Send("ms k 2 MA\r\nyo\r\nms k 2 MP\r\nzz\r\n"), "HD\r\nHD\r\n");
  EXPECT_EQ(h.Send("mg k v f\r\n"), "VA 6 f3\r\nzzhiyo\r\n");
  EXPECT_EQ(h.Send("ms k 1 MS\r\nx\r\nmg k v f\r\n"), "HD\r\nVA 1 f0\r\nx\r\n");
  EXPECT_EQ(h.Send("ms k 1 q\r\ny\r\nms k 1 q MR\r\nz\r\nms j 1 q MR\r\nz\r\nmn\r\n"),
            "NS\r\nMN\r\n");
  std::string reply = h.Send("ms k 1 c k O9\r\nw\r\n");
  EXPECT_EQ(reply, "HD c" + C(h, "k") + " kk O9\r\n");
  EXPECT_EQ(h.Send("ms k 1 T-1\r\nx\r\nmg k v\r\n"), "HD\r\nEN\r\n");
  EXPECT_EQ(h.Send("ms k 1 T0\r\nx\r\nmg k t\r\n"), "HD\r\nHD t-1\r\n");
}

TEST(McMeta, SetCompareAndNewCas) {
  McHarness h;
  EXPECT_EQ(h.Send("ms k 1 C5\r\nx\r\n"), "NF\r\n");
  h.Send("ms k 1\r\nx\r\n");
  uint64_t cas = h.Cas("k");
  EXPECT_EQ(h.Send("ms k 1 C" + std::to_string(cas + 1) + "\r\ny\r\n"), "EX\r\n");
  EXPECT_EQ(h.Send("ms k 1 C" + std::to_string(cas) + "\r\ny\r\n"), "HD\r\n");
  EXPECT_EQ(h.Send("ms k 1 E777 c\r\nz\r\n"), "HD c777\r\n");
  EXPECT_EQ(h.Cas("k"), 777u);
}

TEST(McMeta, Delete) {
  McHarness h;
  EXPECT_EQ(h.Send("md k\r\n"), "NF\r\n");
  EXPECT_EQ(h.Send("md k q k O1\r\n"), "NF kk O1\r\n");  // q does not hide NF
  h.Send("ms k 1\r\nx\r\n");
  EXPECT_EQ(h.Send("md k C999\r\n"), "EX\r\n");
  EXPECT_EQ(h.Send("md k q\r\nmg k\r\n"), "EN\r\n");
  h.Send("ms k 1\r\nx\r\n");
  EXPECT_EQ(h.Send("md k k\r\n"), "HD kk\r\n");
}

TEST(McMeta, InvalidateAndWinTokens) {
  McHarness h;
  h.Send("ms k 1 T100\r\nx\r\n");
  uint64_t before = h.Cas("k");
  EXPECT_EQ(h.Send("md k I T30\r\n"), "HD\r\n");
  EXPECT_NE(h.Cas("k"), before);  // invalidation bumps the CAS
  EXPECT_EQ(h.Send("mg k v t\r\n"), "VA 1 t30 X W\r\nx\r\n");
  EXPECT_EQ(h.Send("mg k v\r\n"), "VA 1 Z X\r\nx\r\n");
  // A set with an older CAS under I stores but stays stale.
  EXPECT_EQ(h.Send("ms k 1 I C1\r\ny\r\nmg k v\r\n"), "HD\r\nVA 1 Z X\r\ny\r\n");
  // A normal set clears the state.
  EXPECT_EQ(h.Send("ms k 1\r\nz\r\nmg k v\r\n"), "HD\r\nVA 1\r\nz\r\n");
}

TEST(McMeta, VivifyAndRecache) {
  McHarness h;
  EXPECT_EQ(h.Send("mg viv v N30 t\r\n"), "VA 0 t30 W\r\n\r\n");
  EXPECT_EQ(h.Send("mg viv v N30 t\r\n"), "VA 0 t30 Z\r\n\r\n");
  EXPECT_EQ(h.Send("ms viv 3 T60\r\nnew\r\nmg viv v t\r\n"), "HD\r\nVA 3 t60\r\nnew\r\n");
  h.Send("ms rc 1 T100\r\nx\r\n");
  EXPECT_EQ(h.Send("mg rc v R30 t\r\n"), "VA 1 t100\r\nx\r\n");
  EXPECT_EQ(h.Send("mg rc v R200 t\r\n"), "VA 1 t100 W\r\nx\r\n");
  EXPECT_EQ(h.Send("mg rc v R200 t\r\n"), "VA 1 t100 Z\r\nx\r\n");
  EXPECT_EQ(h.Send("mg rc v T5 t\r\n"), "VA 1 t5 Z\r\nx\r\n");
  EXPECT_EQ(h.Resp("TTL rc"), Int(5));
}

TEST(McMeta, Arithmetic) {
  McHarness h;
  EXPECT_EQ(h.Send("ma cnt\r\n"), "NF\r\n");
  EXPECT_EQ(h.Send("ma cnt N0 J10\r\n"), "HD\r\n");
  EXPECT_EQ(h.Send("ma cnt v\r\n"), "VA 2\r\n11\r\n");
  EXPECT_EQ(h.Send("ma cnt v MD D3\r\n"), "VA 1\r\n8\r\n");
  EXPECT_EQ(h.Send("ma cnt v M- D100\r\n"), "VA 1\r\n0\r\n");
  std::string reply = h.Send("ma cnt v t c\r\n");
  EXPECT_EQ(reply, "VA 1 t-1 c" + C(h, "cnt") + "\r\n1\r\n");
  EXPECT_EQ(h.Send("ma cnt q\r\nmn\r\n"), "MN\r\n");
  EXPECT_EQ(h.Send("ma cnt T50 k O7\r\n"), "HD kcnt O7\r\n");
  EXPECT_EQ(h.Resp("TTL cnt"), Int(50));
  EXPECT_EQ(h.Send("ma nn2 N0 J18446744073709551615\r\nma nn2 v\r\n"), "HD\r\nVA 1\r\n0\r\n");
  EXPECT_EQ(h.Send("ma cnt C1\r\n"), "EX\r\n");
  h.Send("ms s 2\r\nab\r\n");
  EXPECT_EQ(h.Send("ma s\r\n"), "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
}

TEST(McMeta, Base64Keys) {
  McHarness h;
  EXPECT_EQ(h.Send("ms Zm9v 2 k b O55\r\nzz\r\n"), "HD kZm9v b O55\r\n");
  EXPECT_EQ(h.Send("get foo\r\n"), "VALUE foo 0 2\r\nzz\r\nEND\r\n");
  EXPECT_EQ(h.Send("mg Zm9v b k v\r\n"), "VA 2 kZm9v b\r\nzz\r\n");
  // Binary keys the text protocol cannot spell.
  EXPECT_EQ(h.Send("ms AAEC 1 b\r\nx\r\n"), "HD\r\n");
  EXPECT_EQ(h.Resp({"GET", std::string_view("\0\1\2", 3)}), Bulk("x"));
  EXPECT_EQ(h.Send("mg !!!! b v\r\n"), "CLIENT_ERROR error decoding key\r\n");
}

TEST(McMeta, ErrorsAndSwallowing) {
  McHarness h;
  EXPECT_EQ(h.Send("ms k 2 zz\r\nhi\r\nmn\r\n"), "CLIENT_ERROR invalid flag\r\nMN\r\n");
  EXPECT_EQ(h.Send("ms k 2\r\nxyz\r\n"), "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
  EXPECT_EQ(h.Send("ms k -1\r\nx\r\n"), "CLIENT_ERROR bad command line format\r\nERROR\r\n");
  EXPECT_EQ(h.Send("mg k v v\r\n"), "CLIENT_ERROR duplicate flag\r\n");
  EXPECT_EQ(h.Send("md k zz\r\n"), "CLIENT_ERROR invalid or duplicate flag\r\n");
  EXPECT_EQ(h.Send("mg\r\nmn extra\r\n"), "ERROR\r\nMN\r\n");
  EXPECT_EQ(h.stats().cmd_meta, 2u);  // the two mn
}

TEST(McMeta, BytewiseDelivery) {
  const std::string script =
      "ms a 2 T90 F1\r\nhi\r\nmg a v f t s\r\nma n N0 J5 v\r\nmd a q\r\nmg a v\r\n"
      "ms b 3 MA\r\nabc\r\nmn\r\n";
  McHarness whole, bytes;
  EXPECT_EQ(bytes.SendBytewise(script), whole.Send(script));
}

}  // namespace
}  // namespace duet::testing
