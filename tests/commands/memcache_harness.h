#pragma once
// In-process memcached tests: a real Server with a memcached client driven
// through MemcacheSession (the same code a socket connection runs), next to
// the RESP harness on the same server, so one test can write over one
// protocol and read over the other. Send() returns the exact reply bytes.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/memcache_binary.h"
#include "server/memcache/handler.h"
#include "server/memcache_session.h"
#include "tests/commands/harness.h"

namespace duet::testing {

class McHarness {
 public:
  explicit McHarness(ServerConfig cfg = {}) : resp_(std::move(cfg)) {
    Server& s = resp_.server();
    mc_client_.id = s.NextClientId();
    s.AddClient(&mc_client_);
    session_ = std::make_unique<MemcacheSession>(s.memcache(), mc_client_);
  }
  ~McHarness() {
    session_.reset();
    resp_.server().RemoveClient(&mc_client_);
  }

  // Feeds bytes as a connection would (unconsumed bytes wait for the next
  // call) and returns every reply byte produced.
  std::string Send(std::string_view bytes) {
    pending_.append(bytes);
    resp_.server().RefreshClock();
    while (!pending_.empty() && !mc_client_.close_after_reply) {
      size_t consumed = 0;
      Session::Step step = session_->RunOne(pending_.data(), pending_.size(), &consumed);
      held_ = step == Session::Step::kHold;
      if (step != Session::Step::kRan) break;
      pending_.erase(0, consumed);
    }
    return Drain();
  }
  // Sends `bytes` one at a time; returns all replies.
  std::string SendBytewise(std::string_view bytes) {
    std::string out;
    for (char c : bytes) out += Send(std::string_view(&c, 1));
    return out;
  }

  // A RESP command on the same server.
  std::string Resp(std::string_view line) { return resp_.Cmd(line); }
  std::string Resp(std::initializer_list<std::string_view> args) { return resp_.Run(args); }

  void AdvanceTime(int64_t ms) { resp_.AdvanceTime(ms); }
  Server& server() { return resp_.server(); }
  Client& client() { return mc_client_; }
  McStats& stats() { return server().memcache().stats(); }
  bool closing() const { return mc_client_.close_after_reply; }
  size_t buffered() const { return pending_.size(); }
  // The last Send stopped at a request CLIENT PAUSE holds.
  bool held() const { return held_; }

  // The CAS unique `gets` reports for key (0 when missing).
  uint64_t Cas(std::string_view key) {
    std::string r = Send("gets " + std::string(key) + "\r\n");
    if (r.rfind("VALUE ", 0) != 0) return 0;
    size_t eol = r.find("\r\n");
    size_t sp = r.rfind(' ', eol);
    return std::stoull(r.substr(sp + 1, eol - sp - 1));
  }

 private:
  std::string Drain() {
    std::string out;
    struct iovec iov[64];
    while (!mc_client_.replies.empty()) {
      int n = mc_client_.replies.FillIov(iov, 64);
      size_t total = 0;
      for (int i = 0; i < n; ++i) {
        out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        total += iov[i].iov_len;
      }
      mc_client_.replies.Consume(total);
    }
    return out;
  }

  Harness resp_;
  Client mc_client_;
  std::unique_ptr<MemcacheSession> session_;
  std::string pending_;
  bool held_ = false;
};

// A binary-protocol request packet.
inline std::string McPacket(uint8_t op, std::string_view key = {}, std::string_view extras = {},
                            std::string_view value = {}, uint64_t cas = 0,
                            uint32_t opaque = 0x0a0b0c0d) {
  std::string p(24, '\0');
  p[0] = static_cast<char>(mcbin::kRequestMagic);
  p[1] = static_cast<char>(op);
  p[2] = static_cast<char>(key.size() >> 8);
  p[3] = static_cast<char>(key.size());
  p[4] = static_cast<char>(extras.size());
  McStore32(p.data() + 8, static_cast<uint32_t>(key.size() + extras.size() + value.size()));
  McStore32(p.data() + 12, opaque);
  McStore64(p.data() + 16, cas);
  return p + std::string(extras) + std::string(key) + std::string(value);
}

inline std::string McSetExtras(uint32_t flags, uint32_t exptime) {
  std::string x(8, '\0');
  McStore32(x.data(), flags);
  McStore32(x.data() + 4, exptime);
  return x;
}

inline std::string McIncrExtras(uint64_t delta, uint64_t initial, uint32_t exptime) {
  std::string x(20, '\0');
  McStore64(x.data(), delta);
  McStore64(x.data() + 8, initial);
  McStore32(x.data() + 16, exptime);
  return x;
}

// One parsed response packet.
struct McResponse {
  uint8_t opcode = 0;
  uint16_t status = 0;
  uint32_t opaque = 0;
  uint64_t cas = 0;
  std::string extras, key, value;
};

inline std::vector<McResponse> McParseResponses(std::string_view bytes) {
  std::vector<McResponse> out;
  while (bytes.size() >= 24) {
    const char* p = bytes.data();
    EXPECT_EQ(static_cast<uint8_t>(p[0]), mcbin::kResponseMagic);
    McResponse r;
    r.opcode = static_cast<uint8_t>(p[1]);
    uint16_t keylen = McLoad16(p + 2);
    uint8_t extlen = static_cast<uint8_t>(p[4]);
    r.status = McLoad16(p + 6);
    uint32_t body = McLoad32(p + 8);
    r.opaque = McLoad32(p + 12);
    r.cas = McLoad64(p + 16);
    if (bytes.size() < 24 + body) break;
    r.extras = std::string(bytes.substr(24, extlen));
    r.key = std::string(bytes.substr(24 + extlen, keylen));
    r.value = std::string(bytes.substr(24 + extlen + keylen, body - extlen - keylen));
    out.push_back(r);
    bytes.remove_prefix(24 + body);
  }
  EXPECT_TRUE(bytes.empty()) << "trailing bytes";
  return out;
}

}  // namespace duet::testing
