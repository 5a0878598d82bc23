#pragma once
// Network: the event loop's I/O side. Accepts connections on every `bind`
// address (RESP) and, when `memcached-port` is set, on every `memcached-bind`
// address (memcached protocols), owns the Connections, flushes replies once
// per loop turn, runs the cron timer and handles SIGINT/SIGTERM.

#include <asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "server/config.h"
#include "server/connection.h"
#include "server/idle_spin.h"
#include "server/server.h"
#include "server/session.h"
#include "utils/status.h"

namespace duet {

class Server;

class Network {
 public:
  Network(Server& server, asio::io_context& io);
  ~Network();

  // Opens the listeners from the configuration (port 0 picks a free port).
  Status Listen();
  // Runs until shutdown is requested.
  void Run();
  // One turn without waiting: Asio's ready handlers, ready clients, replies.
  // Returns false once the loop was stopped (start-up loading uses it).
  bool PollWithoutWaiting();
  void RequestShutdown();

  Server& server() { return server_; }
  asio::io_context& io() { return io_; }
  uint16_t port() const { return port_; }
  // The memcached listener's port (0 when off).
  uint16_t memcached_port() const { return mc_port_; }
  Poller& poller() { return poller_; }

  // Queues `fn` on the Asio context for the next loop turn.
  template <typename Fn>
  void Post(Fn&& fn) {
    asio::post(io_, std::forward<Fn>(fn));
    asio_due_ = true;
  }

  // Called by connections.
  void ScheduleFlush(Connection* c);
  void Forget(Connection* c);
  // True while CLIENT PAUSE holds this request.
  bool ShouldHold(const Client& client, const std::vector<std::string_view>& args);
  void HoldUntilUnpaused(std::shared_ptr<Connection> c);

 private:
  // Set by a listening socket's readiness: Asio has an accept to complete.
  class AsioWake : public PollHandler {
   public:
    explicit AsioWake(bool* due) : due_(due) {}
    void OnPollEvents(uint32_t) override { *due_ = true; }

   private:
    bool* due_;
  };

  using Acceptors = std::vector<std::unique_ptr<asio::ip::tcp::acceptor>>;
  Status OpenListeners(const std::vector<std::string>& bind, int port, int backlog, Acceptors* out,
                       uint16_t* bound_port);
  // (Re)opens the memcached listeners from `cfg` (none for port 0); on
  // failure the previous ones are reopened.
  Status ListenMemcache(const ServerConfig& cfg);
  void CloseAcceptors(Acceptors& acceptors);
  void Accept(asio::ip::tcp::acceptor& acceptor, Protocol protocol);
  // Registers an accepted socket as a client (or refuses it over the limits).
  void Adopt(asio::ip::tcp::socket sock, Protocol protocol);
  // A busy script's event pump (NetworkHooks::process_events_while_busy).
  void PumpWhileBusy();
  // The `unixsocket` listener: replaces a stale file, applies unixsocketperm.
  Status ListenUnix(const ServerConfig& cfg);
  void AcceptUnix();
  // accept() failed for want of descriptors or memory: try again in 100 ms.
  static bool OutOfResources(const asio::error_code& ec);
  void RetryLater(std::function<void()> accept);
  // Closes the Unix listener and removes its file (shutdown).
  void CloseUnix();
  // maxclients: true (and the client was told and closed) when full.
  template <typename Socket>
  bool RefuseOverMaxClients(Socket& sock);
  // A memcached client the limits turn away gets this line, then is closed.
  bool RefuseMemcacheClient(asio::ip::tcp::socket& sock);
  void RunLoop();
  // How long the loop may sleep: until the next Asio timer, at most 100 ms.
  int MillisUntilNextTimer() const;
  bool TimerDue() const;
  // A listening socket wakes the loop (edge-triggered) for Asio to accept.
  void WatchListener(int fd);
  void FlushPending();
  bool PollBriefly(std::chrono::microseconds budget);
  void StartCron();
  void WaitSignals();
  void OnFork(ForkPhase phase);
  void WaitForHangup();
  void OnCron();
  void ReleaseHeld();
  void CloseIdleClients();
  void KillMarkedClients();
  // Blocking commands: arms block_timer_ for `at_ms` unless it already fires earlier.
  void ArmBlockTimer(int64_t at_ms);

  Server& server_;
  asio::io_context& io_;
  Poller poller_;
  Acceptors acceptors_;
  Acceptors mc_acceptors_;
  std::unique_ptr<asio::local::stream_protocol::acceptor> unix_acceptor_;
  std::string unix_path_;             // the socket file to remove at exit ("" = none)
  uint16_t mc_port_ = 0;              // bound memcached port; 0 = off
  int mc_requested_port_ = 0;         // its setting (0 = pick one) and addresses,
  std::vector<std::string> mc_bind_;  // to reopen them if a change fails
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
  std::vector<std::shared_ptr<Connection>> pending_flush_;
  std::vector<std::shared_ptr<Connection>> held_;
  bool asio_due_ = false;  // Asio has (or may have) handlers to run: poll it
  AsioWake asio_wake_{&asio_due_};
  uint64_t commands_at_last_flush_ = 0;  // stats().total_commands after the last flush
  IdleSpin idle_spin_;
  asio::steady_timer cron_;
  asio::steady_timer block_timer_;  // earliest deadline of a blocked client
  int64_t block_timer_at_ = 0;      // Unix ms block_timer_ is armed for; 0 = idle
  asio::signal_set signals_;
  asio::signal_set hangup_;
  uint16_t port_ = 0;
  bool stopping_ = false;
};

}  // namespace duet
