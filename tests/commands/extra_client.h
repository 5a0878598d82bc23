#pragma once
// A second connection for in-process tests that need several clients on one
// server (AUTH state, ACL users, protected mode).

#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace duet::testing {

class ExtraClient {
 public:
  // `local` = false pretends the peer is not on loopback (protected mode).
  explicit ExtraClient(Server& server, bool local = true) : server_(server) {
    client_.id = server_.NextClientId();
    client_.created_ms = server_.NowMs();
    client_.is_local = local;
    server_.AddClient(&client_);
  }
  ~ExtraClient() { server_.RemoveClient(&client_); }
  ExtraClient(const ExtraClient&) = delete;
  ExtraClient& operator=(const ExtraClient&) = delete;

  // Runs one command given as space-separated words (no quoting).
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
    server_.RefreshClock();
    server_.Dispatch(client_, views);
    return Drain();
  }

  // Everything written to this client so far.
  std::string Drain() {
    std::string out;
    struct iovec iov[64];
    while (!client_.replies.empty()) {
      int n = client_.replies.FillIov(iov, 64);
      size_t total = 0;
      for (int k = 0; k < n; ++k) {
        out.append(static_cast<const char*>(iov[k].iov_base), iov[k].iov_len);
        total += iov[k].iov_len;
      }
      client_.replies.Consume(total);
    }
    return out;
  }

  Client& client() { return client_; }

 private:
  Server& server_;
  Client client_;
};

}  // namespace duet::testing
