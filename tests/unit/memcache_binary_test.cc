#include "protocol/memcache_binary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/memcache_reply.h"

namespace duet {
namespace {

std::string Packet(uint8_t op, std::string_view key, std::string_view extras,
                   std::string_view value, uint32_t opaque = 7, uint64_t cas = 0) {
  std::string p(24, '\0');
  p[0] = static_cast<char>(0x80);
  p[1] = static_cast<char>(op);
  p[2] = static_cast<char>(key.size() >> 8);
  p[3] = static_cast<char>(key.size());
  p[4] = static_cast<char>(extras.size());
  McStore32(p.data() + 8, static_cast<uint32_t>(key.size() + extras.size() + value.size()));
  McStore32(p.data() + 12, opaque);
  McStore64(p.data() + 16, cas);
  return p + std::string(extras) + std::string(key) + std::string(value);
}

struct Seen {
  uint8_t op;
  std::string extras, key, value;
  uint32_t opaque;
  uint64_t cas;
  bool too_large, malformed;
  bool operator==(const Seen&) const = default;
};

// Feeds `input` split at `cut` (0 = whole) and collects the requests.
std::vector<Seen> Feed(const std::string& input, size_t cut, int64_t max_item = 1 << 20,
                       bool* bad_magic = nullptr) {
  McBinaryParser p;
  p.set_max_item_size(max_item);
  std::vector<Seen> out;
  std::string buf;
  std::vector<std::string> pieces;
  if (cut == 0 || cut >= input.size()) {
    pieces = {input};
  } else {
    pieces = {input.substr(0, cut), input.substr(cut)};
  }
  for (const std::string& piece : pieces) {
    buf += piece;
    while (true) {
      size_t consumed = 0;
      auto r = p.Parse(buf.data(), buf.size(), &consumed);
      if (r == McBinaryParser::Result::kNeedMore) break;
      if (r == McBinaryParser::Result::kBadMagic) {
        if (bad_magic) *bad_magic = true;
        return out;
      }
      if (r == McBinaryParser::Result::kRequest) {
        const McBinaryRequest& q = p.request();
        out.push_back({q.opcode, std::string(q.extras), std::string(q.key), std::string(q.value),
                       q.opaque, q.cas, q.too_large, q.malformed});
      }
      buf.erase(0, consumed);
    }
  }
  return out;
}

TEST(McBinaryParser, FramesAtEverySplit) {
  std::string input = Packet(mcbin::kSet, "key", std::string(8, '\1'), "value", 9, 42) +
                      Packet(mcbin::kGetQ, "k2", "", "") + Packet(mcbin::kNoop, "", "", "");
  std::vector<Seen> expected = {
      {mcbin::kSet, std::string(8, '\1'), "key", "value", 9, 42, false, false},
      {mcbin::kGetQ, "", "k2", "", 7, 0, false, false},
      {mcbin::kNoop, "", "", "", 7, 0, false, false}};
  for (size_t cut = 0; cut < input.size(); ++cut) {
    ASSERT_EQ(Feed(input, cut), expected) << "cut " << cut;
  }
}

TEST(McBinaryParser, TooLargeKeepsKeyAndSwallowsValue) {
  std::string big(3000, 'v');
  std::string input =
      Packet(mcbin::kSet, "key", std::string(8, '\0'), big) + Packet(mcbin::kNoop, "", "", "");
  for (size_t cut = 0; cut < input.size(); cut += 97) {
    std::vector<Seen> got = Feed(input, cut, 1000);
    ASSERT_EQ(got.size(), 2u) << cut;
    EXPECT_TRUE(got[0].too_large);
    EXPECT_EQ(got[0].key, "key");
    EXPECT_EQ(got[0].value, "");
    EXPECT_EQ(got[1].op, mcbin::kNoop);
  }
}

TEST(McBinaryParser, BadMagicAndMalformedLengths) {
  bool bad = false;
  EXPECT_TRUE(Feed(Packet(mcbin::kNoop, "", "", "") + "\x81garbage", 0, 1 << 20, &bad).size() == 1);
  EXPECT_TRUE(bad);
  std::string p = Packet(mcbin::kGet, "abc", "", "");
  McStore32(p.data() + 8, 1);  // body shorter than the key
  std::vector<Seen> got = Feed(p.substr(0, 25), 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].malformed);
}

TEST(McBinaryWrite, ResponseLayout) {
  ReplyBuffer buf;
  McBinaryWrite(&buf, mcbin::kGetK, mcbin::kSuccess, 0x01020304, 0x1122334455667788ull,
                std::string("\0\0\0\5", 4), "k", "val");
  McBinaryWriteError(&buf, mcbin::kAdd, mcbin::kKeyExists, 9);
  std::string out;
  struct iovec iov[8];
  int n = buf.FillIov(iov, 8);
  for (int i = 0; i < n; ++i) out.append(static_cast<char*>(iov[i].iov_base), iov[i].iov_len);
  std::string expected = std::string("\x81\x0c\x00\x01\x04\x00\x00\x00", 8) +
                         std::string("\x00\x00\x00\x08\x01\x02\x03\x04", 8) +
                         std::string("\x11\x22\x33\x44\x55\x66\x77\x88", 8) +
                         std::string("\0\0\0\5", 4) + "kval" +
                         std::string("\x81\x02\x00\x00\x00\x00\x00\x02", 8) +
                         std::string("\x00\x00\x00\x14\x00\x00\x00\x09", 8) + std::string(8, '\0') +
                         "Data exists for key.";
  EXPECT_EQ(out, expected);
}

std::string Drain(ReplyBuffer& buf) {
  std::string out;
  struct iovec iov[64];
  int n = buf.FillIov(iov, 64);
  size_t total = 0;
  for (int i = 0; i < n; ++i) {
    out.append(static_cast<char*>(iov[i].iov_base), iov[i].iov_len);
    total += iov[i].iov_len;
  }
  buf.Consume(total);
  return out;
}

TEST(McReply, TextLines) {
  ReplyBuffer buf;
  mcreply::Value(&buf, "k", 5, "abc", false, 0);
  mcreply::Value(&buf, "k", 4294967295u, "", true, 18446744073709551615ull);
  mcreply::Number(&buf, 0);
  mcreply::Stat(&buf, "pid", "42");
  mcreply::StatNumber(&buf, "uptime", -1);
  EXPECT_EQ(Drain(buf),
            "VALUE k 5 3\r\nabc\r\nVALUE k 4294967295 0 18446744073709551615\r\n\r\n0\r\n"
            "STAT pid 42\r\nSTAT uptime -1\r\n");
  std::string big(10000, 'x');
  mcreply::Value(&buf, "big", 0, big, false, 0);
  EXPECT_EQ(Drain(buf), "VALUE big 0 10000\r\n" + big + "\r\n");
  mcreply::MetaLine line(&buf, "VA ");
  line.Number(2);
  line.Flag('t', static_cast<int64_t>(-1));
  line.FlagU('c', 7);
  line.Flag('k', "key");
  line.Flag('W');
  line.Finish();
  EXPECT_EQ(Drain(buf), "VA 2 t-1 c7 kkey W\r\n");
}

}  // namespace
}  // namespace duet
