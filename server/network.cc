#include "server/network.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "server/acl.h"
#include "server/loop_signals.h"
#include "server/memcache/handler.h"
#include "server/script_engine.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "utils/clock.h"
#include "utils/logging.h"

namespace duet {
namespace {

bool IsLoopback(const asio::ip::address& a) {
  if (a.is_loopback()) return true;
  return a.is_v6() && a.to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback();
}

}  // namespace

Network::Network(Server& server, asio::io_context& io)
    : server_(server),
      io_(io),
      cron_(io),
      block_timer_(io),
      signals_(io, SIGINT, SIGTERM),
      hangup_(io, SIGHUP) {
  server_.hooks().request_shutdown = [this] { RequestShutdown(); };
  // Busy script: answer the other clients (BUSY, SCRIPT KILL) from inside it.
  server_.hooks().process_events_while_busy = [this] { PumpWhileBusy(); };
  server_.hooks().clients_changed = [this] {
    // Defer: the command that changed clients is still running.
    Post([this] {
      KillMarkedClients();
      ReleaseHeld();
    });
  };
  server_.hooks().notify_fork = [this](ForkPhase phase) { OnFork(phase); };
  server_.hooks().block_deadline = [this](int64_t at_ms) { ArmBlockTimer(at_ms); };
}

Network::~Network() {
  CloseUnix();
  server_.hooks().request_shutdown = nullptr;
  server_.hooks().process_events_while_busy = nullptr;
  server_.hooks().clients_changed = nullptr;
  server_.hooks().block_deadline = nullptr;
  server_.hooks().notify_fork = nullptr;
}

void Network::OnFork(ForkPhase phase) {
  switch (phase) {
    case ForkPhase::kPrepare:
      server_.stats().fork_started_us = MonotonicMicros();
      io_.notify_fork(asio::execution_context::fork_prepare);
      break;
    case ForkPhase::kParent: {
      // INFO stats latest_fork_usec / total_forks, as Redis measures them.
      ServerStats& st = server_.stats();
      st.latest_fork_usec = MonotonicMicros() - st.fork_started_us;
      ++st.total_forks;
      io_.notify_fork(asio::execution_context::fork_parent);
      break;
    }
    case ForkPhase::kChild: {
      io_.notify_fork(asio::execution_context::fork_child);
      // The loop keeps these blocked outside its wait; a child never waits
      // there, so it takes them as it did before the loop started.
      sigset_t loop_signals = LoopSignals();
      pthread_sigmask(SIG_UNBLOCK, &loop_signals, nullptr);
      // A saving child must not keep the port if the parent goes away. Raw
      // close: the child never runs the event loop.
      for (auto& acc : acceptors_) ::close(acc->native_handle());
      if (unix_acceptor_) ::close(unix_acceptor_->native_handle());
      break;
    }
  }
}

Status Network::OpenListeners(const std::vector<std::string>& bind, int port_number, int backlog,
                              Acceptors* out, uint16_t* bound_port) {
  uint16_t port = static_cast<uint16_t>(port_number);
  for (const std::string& raw : bind) {
    bool optional = !raw.empty() && raw[0] == '-';
    std::string host = optional ? raw.substr(1) : raw;
    asio::error_code ec;
    asio::ip::address addr = asio::ip::make_address(host == "*" ? "0.0.0.0" : host, ec);
    if (ec) {
      if (optional) continue;
      return Status::InvalidArgument("Invalid bind address '" + host + "'");
    }
    auto acc = std::make_unique<asio::ip::tcp::acceptor>(io_);
    asio::ip::tcp::endpoint ep(addr, port);
    acc->open(ep.protocol(), ec);
    if (!ec) acc->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec && addr.is_v6()) acc->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(backlog, ec);
    if (ec) {
      if (optional) {
        LogWarning("Could not bind optional address " + host + ":" + std::to_string(port) + ": " +
                   ec.message());
        continue;
      }
      return Status::IoError("Could not create server TCP listening socket " + host + ":" +
                             std::to_string(port) + ": " + ec.message());
    }
    // With port 0 the first listener picks a port; the others reuse it.
    if (port == 0) port = acc->local_endpoint().port();
    out->push_back(std::move(acc));
  }
  if (out->empty()) return Status::IoError("Failed listening on any bind address");
  *bound_port = port;
  return Status::Ok();
}

Status Network::Listen() {
  uint16_t port = 0;
  const ServerConfig& config = server_.config();
  // "bind" without addresses: no TCP listener (as Redis), the Unix socket only.
  if (config.bind.empty() && config.unixsocket.empty()) {
    return Status::InvalidArgument("Configured to not listen anywhere, exiting.");
  }
  Status s = config.bind.empty()
                 ? Status::Ok()
                 : OpenListeners(config.bind, config.port, config.tcp_backlog, &acceptors_, &port);
  if (!s.ok()) return s;
  port_ = port;
  server_.set_bound_port(port);
  for (auto& acc : acceptors_) Accept(*acc, Protocol::kResp);
  for (auto& acc : acceptors_) WatchListener(acc->native_handle());
  if (!config.unixsocket.empty()) {
    s = ListenUnix(config);
    if (!s.ok()) return s;
  }
  s = McCheckConfig(config);
  if (!s.ok()) return s;
  if (config.memcached_port != 0) {
    s = ListenMemcache(config);
    if (!s.ok()) return s;
  }
  // Signals are handled from now on, also while the dump loads.
  WaitSignals();
  // CONFIG SET port/bind: listen on the new addresses first, and only then
  // close the old ones, so a failure leaves the server as it was.
  server_.config_api().OnChange({"port", "bind"}, [this](const ServerConfig& cfg) {
    Acceptors fresh;
    uint16_t new_port = 0;
    Status st = OpenListeners(cfg.bind, cfg.port, cfg.tcp_backlog, &fresh, &new_port);
    if (!st.ok()) {
      return Status::InvalidArgument(cfg.port != port_ ? "Unable to listen on this port"
                                                       : "Failed to bind to specified addresses.");
    }
    CloseAcceptors(acceptors_);
    acceptors_ = std::move(fresh);
    port_ = new_port;
    server_.set_bound_port(new_port);
    for (auto& acc : acceptors_) Accept(*acc, Protocol::kResp);
    for (auto& acc : acceptors_) WatchListener(acc->native_handle());
    return Status::Ok();
  });
  server_.config_api().OnChange(
      {"memcached-port", "memcached-bind"}, [this](const ServerConfig& cfg) {
        Status st = McCheckConfig(cfg);
        if (!st.ok()) return st;
        if (!ListenMemcache(cfg).ok()) {
          return Status::InvalidArgument("Unable to listen on the memcached port");
        }
        return Status::Ok();
      });
  return Status::Ok();
}

void Network::CloseAcceptors(Acceptors& acceptors) {
  asio::error_code ec;
  for (auto& old : acceptors) {
    old->close(ec);
    // Its cancelled accept still refers to it: free it on the next turn.
    Post([dead = std::shared_ptr<asio::ip::tcp::acceptor>(std::move(old))] {});
  }
  acceptors.clear();
}

Status Network::ListenMemcache(const ServerConfig& cfg) {
  // The old listeners go first (the new ones may want the same port); if the
  // new ones cannot open, the old settings are restored.
  CloseAcceptors(mc_acceptors_);
  mc_port_ = 0;
  if (cfg.memcached_port == 0) {
    mc_bind_.clear();
    mc_requested_port_ = 0;
    return Status::Ok();
  }
  Acceptors fresh;
  uint16_t port = 0;
  Status st = OpenListeners(cfg.memcached_bind, cfg.memcached_port, cfg.tcp_backlog, &fresh, &port);
  if (!st.ok()) {
    if (mc_requested_port_ != 0 &&
        OpenListeners(mc_bind_, mc_requested_port_, cfg.tcp_backlog, &fresh, &port).ok()) {
      mc_acceptors_ = std::move(fresh);
      mc_port_ = port;
      for (auto& acc : mc_acceptors_) Accept(*acc, Protocol::kMemcache);
      for (auto& acc : mc_acceptors_) WatchListener(acc->native_handle());
    }
    return st;
  }
  mc_acceptors_ = std::move(fresh);
  mc_port_ = port;
  mc_bind_ = cfg.memcached_bind;
  mc_requested_port_ = cfg.memcached_port;
  for (auto& acc : mc_acceptors_) Accept(*acc, Protocol::kMemcache);
  for (auto& acc : mc_acceptors_) WatchListener(acc->native_handle());
  LogNotice("memcached protocol listening on port " + std::to_string(port) + " (database " +
            std::to_string(cfg.memcached_db) + ")");
  return Status::Ok();
}

bool Network::RefuseMemcacheClient(asio::ip::tcp::socket& sock) {
  const ServerConfig& cfg = server_.config();
  McStats& st = server_.memcache().stats();
  std::string_view msg;
  if (st.curr_connections >= static_cast<uint64_t>(cfg.memcached_maxconns)) {
    msg = "ERROR Too many open connections\r\n";
  } else if (cfg.protected_mode && server_.acl().default_user().nopass) {
    asio::error_code ec;
    auto remote = sock.remote_endpoint(ec);
    if (!ec && !IsLoopback(remote.address())) {
      msg =
          "SERVER_ERROR Duet is running in protected mode: with no password set, the memcached "
          "port accepts loopback clients only. Set a password (the memcached protocols then "
          "need memcached-unauthenticated yes for non-loopback addresses) or disable "
          "protected-mode.\r\n";
    }
  }
  if (msg.empty()) return false;
  ++st.rejected_connections;
  asio::error_code ec;
  sock.non_blocking(true, ec);
  asio::write(sock, asio::buffer(msg.data(), msg.size()), ec);
  sock.close(ec);
  return true;
}

void Network::Accept(asio::ip::tcp::acceptor& acceptor, Protocol protocol) {
  acceptor.async_accept(
      [this, &acceptor, protocol](const asio::error_code& ec, asio::ip::tcp::socket sock) {
        if (stopping_) return;
        if (!ec) {
          Adopt(std::move(sock), protocol);
        } else if (ec == asio::error::operation_aborted) {
          return;
        } else if (OutOfResources(ec)) {
          return RetryLater([this, &acceptor, protocol] { Accept(acceptor, protocol); });
        }
        Accept(acceptor, protocol);
      });
}

bool Network::OutOfResources(const asio::error_code& ec) {
  const int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

void Network::RetryLater(std::function<void()> accept) {
  // The connection waits in the backlog; accepting again at once would spin
  // the loop on a listener that stays readable.
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(100));
  timer->async_wait([this, timer, accept = std::move(accept)](const asio::error_code& e) {
    if (!e && !stopping_) accept();
  });
}

template <typename Socket>
bool Network::RefuseOverMaxClients(Socket& sock) {
  if (static_cast<int64_t>(server_.clients().size()) < server_.config().maxclients) return false;
  ++server_.stats().rejected_connections;
  static constexpr char kMsg[] = "-ERR max number of clients reached\r\n";
  asio::error_code wec;
  sock.non_blocking(true, wec);
  asio::write(sock, asio::buffer(kMsg, sizeof(kMsg) - 1), wec);
  sock.close(wec);
  return true;
}

Status Network::ListenUnix(const ServerConfig& cfg) {
  using asio::local::stream_protocol;
  // A file left by an earlier run would make bind() fail.
  ::unlink(cfg.unixsocket.c_str());
  auto acc = std::make_unique<stream_protocol::acceptor>(io_);
  asio::error_code ec;
  stream_protocol::endpoint ep(cfg.unixsocket);
  acc->open(ep.protocol(), ec);
  if (!ec) acc->bind(ep, ec);
  if (!ec) acc->listen(cfg.tcp_backlog, ec);
  if (!ec && cfg.unixsocketperm != 0 &&
      ::chmod(cfg.unixsocket.c_str(), static_cast<mode_t>(cfg.unixsocketperm)) != 0) {
    ec = asio::error_code(errno, asio::error::get_system_category());
  }
  if (ec) return Status::IoError("Failed opening Unix socket: " + ec.message());
  unix_acceptor_ = std::move(acc);
  unix_path_ = cfg.unixsocket;
  LogNotice("The server is now ready to accept connections at " + unix_path_);
  AcceptUnix();
  WatchListener(unix_acceptor_->native_handle());
  return Status::Ok();
}

void Network::AcceptUnix() {
  unix_acceptor_->async_accept(
      [this](const asio::error_code& ec, asio::local::stream_protocol::socket sock) {
        if (stopping_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
          ++server_.stats().total_connections;
          if (!RefuseOverMaxClients(sock)) {
            auto conn = std::make_shared<Connection>(*this, std::move(sock), unix_path_);
            connections_[conn.get()] = conn;
            conn->Start();
          }
        }
        if (ec && OutOfResources(ec)) return RetryLater([this] { AcceptUnix(); });
        AcceptUnix();
      });
}

void Network::CloseUnix() {
  if (!unix_acceptor_ || unix_path_.empty()) return;
  asio::error_code ec;
  unix_acceptor_->close(ec);
  LogNotice("Removing the unix socket file.");
  if (::unlink(unix_path_.c_str()) != 0) {
    LogWarning("Error removing the unix socket file: " + std::string(std::strerror(errno)));
  }
  unix_path_.clear();
}

void Network::Adopt(asio::ip::tcp::socket sock, Protocol protocol) {
  ++server_.stats().total_connections;
  if (protocol == Protocol::kMemcache && RefuseMemcacheClient(sock)) {
    // answered and closed
  } else if (RefuseOverMaxClients(sock)) {
    // answered and closed
  } else {
    auto conn = std::make_shared<Connection>(*this, std::move(sock), protocol);
    connections_[conn.get()] = conn;
    conn->Start();
  }
}

void Network::PumpWhileBusy() {
  // New RESP clients are accepted directly (non-blocking accept next to the
  // pending async_accept, which then finds nothing and waits again), so a
  // fresh redis-cli can send SCRIPT KILL.
  for (auto& a : acceptors_) {
    asio::error_code ec;
    a->non_blocking(true, ec);
    for (int i = 0; i < 16 && !ec; ++i) {
      asio::ip::tcp::socket sock = a->accept(ec);
      if (!ec) Adopt(std::move(sock), Protocol::kResp);
    }
  }
  poller_.PollNow();
  FlushPending();
}

void Network::ScheduleFlush(Connection* c) {
  if (c->flush_scheduled) return;
  auto it = connections_.find(c);
  if (it == connections_.end()) return;
  c->flush_scheduled = true;
  pending_flush_.push_back(it->second);  // the loop flushes before it sleeps
}

void Network::FlushPending() {
  std::vector<std::shared_ptr<Connection>> batch;
  batch.swap(pending_flush_);
  size_t flushed = batch.size();
  for (auto& c : batch) {
    c->flush_scheduled = false;
    c->Flush();
  }
  batch.clear();
  // Reuse the vector's capacity for the next turn.
  if (pending_flush_.empty()) pending_flush_.swap(batch);
  uint64_t commands = server_.stats().total_commands - commands_at_last_flush_;
  commands_at_last_flush_ = server_.stats().total_commands;
  if (flushed == 0 || server_.scripts().busy()) return;  // the busy pump polls on its own
  if (commands >= 2 * flushed) {
    PollBriefly(IdleSpin::kPipelined);
  } else if (idle_spin_.ShouldSpin()) {
    idle_spin_.Record(PollBriefly(IdleSpin::kRequestResponse));
  }
}

// Looks for input for up to `budget` without sleeping (see server/idle_spin.h);
// true when some came and produced replies.
bool Network::PollBriefly(std::chrono::microseconds budget) {
  auto start = std::chrono::steady_clock::now();
  while (pending_flush_.empty() && std::chrono::steady_clock::now() - start < budget) {
    poller_.PollNow();
  }
  return !pending_flush_.empty();
}

void Network::Forget(Connection* c) {
  auto it = connections_.find(c);
  if (it == connections_.end()) return;
  // Keep the object alive until the handlers currently on the stack return.
  std::shared_ptr<Connection> keep = it->second;
  connections_.erase(it);
  Post([keep] {});
}

bool Network::ShouldHold(const Client& client, const std::vector<std::string_view>& args) {
  Server& s = server_;
  int64_t now = s.NowMs();
  if (now >= s.pause_until_ms()) {
    s.UnpauseClients();
    return false;
  }
  bool unknown_sub = false;
  const Command* cmd = s.commands().Lookup(args, &unknown_sub);
  // Unknown commands are answered at once (with their error), as in Redis.
  return cmd != nullptr && s.IsPaused(*cmd, now, &client);
}

void Network::HoldUntilUnpaused(std::shared_ptr<Connection> c) { held_.push_back(std::move(c)); }

void Network::ReleaseHeld() {
  if (server_.pause_until_ms() != 0 && server_.NowMs() < server_.pause_until_ms()) return;
  server_.UnpauseClients();
  std::vector<std::shared_ptr<Connection>> held;
  held.swap(held_);
  for (auto& c : held) c->Resume();
}

void Network::KillMarkedClients() {
  std::vector<std::shared_ptr<Connection>> victims;
  for (auto& [ptr, conn] : connections_) {
    if (conn->client().killed) victims.push_back(conn);
  }
  for (auto& v : victims) v->Close();
}

void Network::CloseIdleClients() {
  int64_t timeout_s = server_.config().timeout;
  if (timeout_s <= 0) return;
  int64_t now = server_.NowMs();
  std::vector<std::shared_ptr<Connection>> idle;
  for (auto& [ptr, conn] : connections_) {
    if (now - conn->client().last_interaction_ms > timeout_s * 1000) idle.push_back(conn);
  }
  for (auto& c : idle) c->Close();
}

void Network::ArmBlockTimer(int64_t at_ms) {
  if (stopping_ || (block_timer_at_ != 0 && block_timer_at_ <= at_ms)) return;
  block_timer_at_ = at_ms;
  // Deadlines are wall-clock ms; a far one is re-armed when the capped wait ends.
  int64_t delay = std::clamp<int64_t>(at_ms - server_.NowMs(), 0, 3600 * 1000);
  block_timer_.expires_after(std::chrono::milliseconds(delay));
  block_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping_) return;  // cancelled by an earlier deadline: that wait owns the timer
    block_timer_at_ = 0;
    int64_t next = server_.blocking().HandleTimeouts(server_.NowMs());
    if (next != 0) ArmBlockTimer(next);
  });
}

void Network::StartCron() {
  int hz = server_.config().hz > 0 ? server_.config().hz : 10;
  cron_.expires_after(std::chrono::milliseconds(1000 / hz));
  cron_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping_) return;
    OnCron();
    StartCron();
  });
}

void Network::OnCron() {
  server_.Cron();
  CloseIdleClients();
  if (!held_.empty()) ReleaseHeld();
}

void Network::WaitForHangup() {
  hangup_.async_wait([this](const asio::error_code& ec, int) {
    if (ec) return;
    // logrotate moved the file away: start a new one with the same name.
    Status s = ReopenLogFile();
    if (!s.ok()) LogWarning("Could not reopen the log file: " + s.message());
    LogNotice("Received SIGHUP, log file reopened");
    WaitForHangup();
  });
}

void Network::WaitSignals() {
  signals_.async_wait([this](const asio::error_code& ec, int signo) {
    if (ec) return;
    LogWarning(std::string("Received ") + (signo == SIGINT ? "SIGINT" : "SIGTERM") +
               " scheduling shutdown...");
    // The final save when save points are set; if it fails the server keeps
    // running, as Redis does. While loading, stop without saving.
    Snapshots& snap = server_.snapshots();
    if (!snap.loading() && !snap.PrepareShutdown(false, false, false)) {
      WaitSignals();
      return;
    }
    RequestShutdown();
  });
}

void Network::Run() {
  WaitForHangup();
  StartCron();
  RunLoop();
}

// The loop sleeps in one place, epoll_pwait on the Poller's set, so that a
// request costs what it costs Redis: one wait, one read, one write. Asio
// (acceptors, timers, signals, posted work) runs only when it has something
// to do: a listening socket woke the wait, a timer is due, a signal
// interrupted the wait, or something was posted. Nesting our set inside
// Asio's reactor instead cost three more syscalls per request: a wait on
// the nested set, Asio's re-arm of its descriptor and a non-blocking reactor
// pass for the posted flush.
void Network::RunLoop() {
  // SIGINT, SIGTERM and SIGHUP are let through only while the loop sleeps,
  // so one arriving between two waits is delivered by the next wait and
  // interrupts it, rather than being noticed only at the next timer.
  sigset_t loop_signals = LoopSignals();
  sigset_t wait_mask;
  pthread_sigmask(SIG_BLOCK, &loop_signals, &wait_mask);
  sigset_t saved_mask = wait_mask;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&loop_signals, sig) == 1) sigdelset(&wait_mask, sig);
  }
  asio_due_ = true;
  while (!io_.stopped()) {
    if (asio_due_ || TimerDue()) {
      asio_due_ = false;
      io_.poll();
      if (io_.stopped()) break;
    }
    if (!pending_flush_.empty()) {
      FlushPending();
      // Pipelining clients sent more while it looked: flush before sleeping.
      if (!pending_flush_.empty()) continue;
    }
    int timeout = asio_due_ ? 0 : MillisUntilNextTimer();
    int n = poller_.Wait(timeout, &wait_mask);
    // A signal, or a timer's time: Asio has handlers to run.
    if (n < 0 || (n == 0 && timeout > 0)) asio_due_ = true;
  }
  pthread_sigmask(SIG_SETMASK, &saved_mask, nullptr);
}

bool Network::PollWithoutWaiting() {
  io_.poll();
  if (io_.stopped()) return false;
  asio_due_ = false;
  poller_.PollNow();
  FlushPending();
  return !io_.stopped();
}

bool Network::TimerDue() const {
  auto now = asio::steady_timer::clock_type::now();
  return now >= cron_.expiry() || (block_timer_at_ != 0 && now >= block_timer_.expiry());
}

int Network::MillisUntilNextTimer() const {
  auto next = cron_.expiry();
  if (block_timer_at_ != 0) next = std::min(next, block_timer_.expiry());
  auto left = next - asio::steady_timer::clock_type::now();
  // The cap also bounds how late an accept retry (RetryLater) can run.
  constexpr auto kMaxSleep = std::chrono::milliseconds(100);
  if (left > kMaxSleep) left = kMaxSleep;
  if (left <= left.zero()) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

void Network::WatchListener(int fd) { poller_.Add(fd, EPOLLIN | EPOLLET, &asio_wake_); }

void Network::RequestShutdown() {
  if (stopping_) return;
  stopping_ = true;
  // Let the replies already produced go out, then stop the loop.
  Post([this] {
    FlushPending();
    asio::error_code ec;
    for (auto& acc : acceptors_) acc->close(ec);
    for (auto& acc : mc_acceptors_) acc->close(ec);
    CloseUnix();
    cron_.cancel();
    block_timer_.cancel();
    signals_.cancel();
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [ptr, conn] : connections_) all.push_back(conn);
    for (auto& c : all) c->Close();
    poller_.Close();
    io_.stop();
  });
}

}  // namespace duet
