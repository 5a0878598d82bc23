#pragma once
// In-process command tests: a real Server (command table, dispatcher, reply
// builder) without sockets. Run() returns the raw RESP bytes of the reply, so
// assertions check exactly what a client would receive.

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace duet::testing {

// The words of a test command line, split on spaces (no quoting).
inline std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    size_t j = line.find(' ', i);
    if (j == std::string_view::npos) j = line.size();
    if (j > i) words.emplace_back(line.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

// Every reply byte queued for `c` and not yet taken, removed from its queue.
inline std::string TakeReplies(Client& c) {
  std::string out;
  struct iovec iov[64];
  while (!c.replies.empty()) {
    int n = c.replies.FillIov(iov, 64);
    size_t total = 0;
    for (int i = 0; i < n; ++i) {
      out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
      total += iov[i].iov_len;
    }
    c.replies.Consume(total);
  }
  return out;
}

class Harness {
 public:
  // Save points are cleared (tests that want them CONFIG SET save), so that
  // FLUSHALL or SHUTDOWN in a test does not write dump.rdb into the cwd.
  explicit Harness(ServerConfig cfg = {}) : server_(WithoutSavePoints(std::move(cfg))) {
    Status s = server_.Init();
    EXPECT_TRUE(s.ok()) << s.message();
    // Time moves only when a test advances it: assertions on exact
    // millisecond TTLs must not depend on how fast the commands ran.
    server_.FreezeClockForTesting();
    client_.id = server_.NextClientId();
    client_.created_ms = server_.NowMs();
    server_.AddClient(&client_);
  }
  ~Harness() {
    for (auto& c : extra_clients_) server_.RemoveClient(c.get());
    server_.RemoveClient(&client_);
  }

  std::string Run(std::initializer_list<std::string_view> args) {
    return Run(std::vector<std::string_view>(args));
  }
  std::string Run(const std::vector<std::string_view>& args) { return RunAs(client_, args); }

  // More clients on the same server (blocking commands, CLIENT commands).
  // They live until the harness ends or Disconnect() is called.
  Client& NewClient() {
    extra_clients_.push_back(std::make_unique<Client>());
    Client& c = *extra_clients_.back();
    c.id = server_.NextClientId();
    c.created_ms = server_.NowMs();
    server_.AddClient(&c);
    return c;
  }
  // Runs a command as client `c`; returns everything `c` received meanwhile.
  std::string RunAs(Client& c, std::initializer_list<std::string_view> args) {
    return RunAs(c, std::vector<std::string_view>(args));
  }
  std::string RunAs(Client& c, const std::vector<std::string_view>& args) {
    server_.RefreshClock();
    server_.Dispatch(c, args);
    return Take(c);
  }
  // The reply bytes `c` has received and not yet taken (for instance the
  // reply a blocked client got when another client pushed).
  std::string Take(Client& c) { return TakeReplies(c); }

  // The connection of an extra client goes away (as if the socket closed).
  void Disconnect(Client& c) {
    server_.RemoveClient(&c);
    for (auto it = extra_clients_.begin(); it != extra_clients_.end(); ++it) {
      if (it->get() == &c) {
        extra_clients_.erase(it);
        break;
      }
    }
  }
  // Runs a command given as one space-separated string (no quoting).
  std::string Cmd(std::string_view line) {
    std::vector<std::string> words = SplitWords(line);
    return Run(std::vector<std::string_view>(words.begin(), words.end()));
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
  std::vector<std::unique_ptr<Client>> extra_clients_;
};

inline std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
inline std::string Int(int64_t v) { return ":" + std::to_string(v) + "\r\n"; }
inline std::string Err(std::string_view s) { return "-" + std::string(s) + "\r\n"; }
inline const char* kOk = "+OK\r\n";
inline const char* kNil = "$-1\r\n";

}  // namespace duet::testing
