#pragma once
// Poller: client sockets in one level-triggered epoll set, itself watched by
// the Asio io_context through its descriptor.
//
// Why not an async_wait per socket: Asio re-registers a socket with
// epoll_ctl on every non-speculative wait, one extra syscall per client per
// request batch. Here a client is registered once; each loop turn costs one
// re-arm of the set's descriptor, whatever the number of ready clients. Level
// triggering means a socket with unread bytes is reported again, so a reader
// may take one buffer-full per event, as Redis does.

#include <sys/epoll.h>

#include <asio.hpp>
#include <cstdint>

namespace duet {

class PollHandler {
 public:
  virtual ~PollHandler() = default;
  // `events` are EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP bits.
  virtual void OnPollEvents(uint32_t events) = 0;
};

class Poller {
 public:
  explicit Poller(asio::io_context& io);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  bool ok() const { return epfd_ >= 0; }
  // Registers fd for `events` (EPOLLIN and/or EPOLLOUT), or changes them.
  bool Add(int fd, uint32_t events, PollHandler* handler);
  bool Modify(int fd, uint32_t events, PollHandler* handler);
  void Remove(int fd);
  // Dispatches the events ready now, without waiting and without touching
  // the Asio registration; returns how many. The busy pump (a script past
  // its time limit) also calls it from inside a handler.
  int PollNow();
  // Stops watching (shutdown).
  void Close();

 private:
  void Arm();
  void OnReady(const asio::error_code& ec);

  int epfd_ = -1;
  asio::posix::stream_descriptor watch_;
  bool closed_ = false;
};

}  // namespace duet
