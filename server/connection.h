#pragma once
// Connection: one client socket. Owns the read buffer, the protocol session
// (RESP or memcached, see server/session.h) and the Client (whose ReplyBuffer
// collects replies).
//
// I/O model: the socket sits in the Network's Poller (level-triggered
// epoll); the reads and writes are plain non-blocking syscalls. A readable
// event reads one buffer-full, runs every complete request, and asks the
// Network to flush; the Network writes each pending connection once per
// event-loop turn, so a pipeline of N requests is answered with one write.
// Writability is watched only while the kernel's send buffer is full.

#include <asio.hpp>
#include <memory>
#include <vector>

#include "server/client.h"
#include "server/poller.h"
#include "server/session.h"
#include "utils/default_init_allocator.h"

namespace duet {

class Network;
class RespSession;

class Connection : public std::enable_shared_from_this<Connection>,
                   public PollHandler,
                   public ClientIo {
 public:
  Connection(Network& net, asio::ip::tcp::socket socket, Protocol protocol = Protocol::kResp);
  // A RESP client of the `unixsocket` listener at `path`.
  Connection(Network& net, asio::local::stream_protocol::socket socket, const std::string& path);
  ~Connection();

  // Registers the client and starts reading.
  void Start();
  void OnPollEvents(uint32_t events) override;
  // Writes pending replies; waits for writability if the kernel is full.
  void Flush();
  // Closes now (pending replies are dropped).
  void Close();
  // Resumes reading after a pause (CLIENT PAUSE ended, output drained).
  void Resume();
  // A blocking command's wait ended: runs the requests buffered behind it and
  // sends its reply.
  void ResumeAfterBlock();
  // ClientIo: another client queued replies for this one (Pub/Sub).
  void RequestFlush() override;

  Client& client() { return client_; }
  bool closed() const { return closed_; }
  bool flush_scheduled = false;

 private:
  void OnReadable();
  // Tells the poller which directions to watch, from the current state.
  void UpdateInterest();
  // Runs complete requests in the buffer; returns false if the connection closed.
  bool ProcessInput();
  void CompactInput();
  // Shared by the constructors: the session, the descriptor, the client id.
  void Setup(Protocol protocol, int fd);

  Network& net_;
  int fd_;
  std::vector<char, DefaultInitAllocator<char>> in_;  // not zeroed: see the allocator
  size_t in_start_ = 0;                               // first unparsed byte
  size_t in_end_ = 0;                                 // end of received bytes
  std::unique_ptr<Session> session_;
  RespSession* resp_ = nullptr;  // session_ when it speaks RESP (devirtualized hot path)
  Client client_;
  bool closed_ = false;
  bool want_write_ = false;  // send buffer was full: wait for EPOLLOUT
  uint32_t interest_ = 0;    // events registered with the poller
  bool registered_ = false;
  bool input_paused_ = false;  // stopped reading (client pause, output backlog)
};

}  // namespace duet
