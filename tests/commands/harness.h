#pragma once
// In-process command tests: a real Server (command table, dispatcher, reply
// builder) without sockets. Run() returns the raw RESP bytes of the reply, so
// assertions check exactly what a client would receive.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace duet::testing {

class Harness {
 public:
  // Save points are cleared (tests that want them CONFIG SET save), so that
  // FLUSHALL or SHUTDOWN in a test does not write dump.rdb into the cwd.
  explicit Harness(ServerConfig cfg = {}) : server_(WithoutSavePoints(std::move(cfg))) {
    Status s = server_.Init();
    EXPECT_TRUE(s.ok()) << s.message();
    client_.id = server_.NextClientId();
    client_.created_ms = server_.NowMs();
    server_.AddClient(&client_);
  }
  ~Harness() { server_.RemoveClient(&client_); }

  std::string Run(std::initializer_list<std::string_view> args) {
    return Run(std::vector<std::string_view>(args));
  }
  std::string Run(const std::vector<std::string_view>& args) {
    server_.RefreshClock();
    server_.Dispatch(client_, args);
    std::string out;
    struct iovec iov[64];
    while (!client_.replies.empty()) {
      int n = client_.replies.FillIov(iov, 64);
      size_t total = 0;
      for (int i = 0; i < n; ++i) {
        out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        total += iov[i].iov_len;
      }
      client_.replies.Consume(total);
    }
    return out;
  }
  // Runs a command given as one space-separated string (no quoting).
  std::string Cmd(std::string_view line) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < line.size()) {
      size_t j = line.find(' ', i);
      if (j == std::string_view::npos) j = line.size();
      if (j > i) words.emplace_back(line.substr(i, j - i));
      i = j + 1;
    }
    std::vector<std::string_view> views(words.begin(), words.end());
    return Run(views);
  }

  static ServerConfig WithoutSavePoints(ServerConfig cfg) {
    cfg.save.clear();
    return cfg;
  }

  void AdvanceTime(int64_t ms) { server_.AdvanceTimeForTesting(ms); }
  Server& server() { return server_; }
  Client& client() { return client_; }

 private:
  Server server_;
  Client client_;
};

inline std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
inline std::string Int(int64_t v) { return ":" + std::to_string(v) + "\r\n"; }
inline std::string Err(std::string_view s) { return "-" + std::string(s) + "\r\n"; }
inline const char* kOk = "+OK\r\n";
inline const char* kNil = "$-1\r\n";

}  // namespace duet::testing
