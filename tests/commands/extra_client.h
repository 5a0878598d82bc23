#pragma once
// A second connection for in-process tests that need several clients on one
// server (AUTH state, ACL users, protected mode).

#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"
#include "tests/commands/harness.h"

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
    std::vector<std::string> words = SplitWords(line);
    std::vector<std::string_view> views(words.begin(), words.end());
    server_.RefreshClock();
    server_.Dispatch(client_, views);
    return Drain();
  }

  // Everything written to this client so far.
  std::string Drain() { return TakeReplies(client_); }

  Client& client() { return client_; }

 private:
  Server& server_;
  Client client_;
};

}  // namespace duet::testing
