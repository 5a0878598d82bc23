#pragma once
// A second (third, ...) in-process client of a Harness's server, for tests of
// commands that involve several connections: WATCH against another writer,
// Pub/Sub delivery, CLIENT LIST TYPE. Take() returns whatever arrived for it
// since the last call (replies and pushed messages alike).

#include <string>
#include <string_view>
#include <vector>

#include "tests/commands/harness.h"

namespace duet::testing {

class PeerClient : public ClientIo {
 public:
  explicit PeerClient(Harness& h) : server_(h.server()) {
    client_.id = server_.NextClientId();
    client_.created_ms = server_.NowMs();
    client_.io = this;
    server_.AddClient(&client_);
  }
  ~PeerClient() { Disconnect(); }

  // Runs a space-separated command; returns everything pending afterwards.
  std::string Cmd(std::string_view line) {
    std::vector<std::string> words = SplitWords(line);
    return Run(std::vector<std::string_view>(words.begin(), words.end()));
  }

  std::string Run(const std::vector<std::string_view>& args) {
    server_.RefreshClock();
    server_.Dispatch(client_, args);
    return Take();
  }
  std::string Take() { return TakeReplies(client_); }

  // Like closing the connection.
  void Disconnect() {
    if (connected_) server_.RemoveClient(&client_);
    connected_ = false;
  }

  void RequestFlush() override { ++flush_requests; }
  Client& client() { return client_; }
  int flush_requests = 0;

 private:
  Server& server_;
  Client client_;
  bool connected_ = true;
};

// Builds the RESP array of already encoded items.
inline std::string Arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}
// The same as a RESP3 push frame.
inline std::string Push(std::initializer_list<std::string> items) {
  std::string out = ">" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}

}  // namespace duet::testing
