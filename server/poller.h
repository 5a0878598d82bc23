#pragma once
// Poller: the event loop's one epoll set. Client sockets sit in it
// level-triggered; the listening sockets sit in it edge-triggered, only to
// wake the loop so that it lets Asio accept (see Network::RunLoop).
//
// Why not an async_wait per socket: Asio re-registers a socket with
// epoll_ctl on every non-speculative wait, one extra syscall per client per
// request batch. Here a client is registered once. Level triggering means a
// socket with unread bytes is reported again, so a reader may take one
// buffer-full per event, as Redis does.

#include <signal.h>
#include <sys/epoll.h>

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
  Poller();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  bool ok() const { return epfd_ >= 0; }
  // Registers fd for `events` (EPOLLIN, EPOLLOUT, EPOLLET), or changes them.
  bool Add(int fd, uint32_t events, PollHandler* handler);
  bool Modify(int fd, uint32_t events, PollHandler* handler);
  void Remove(int fd);
  // Waits up to timeout_ms (0: not at all) for events and dispatches them;
  // returns how many, or -1 when a signal interrupted the wait. While
  // waiting, the signal mask is `wait_mask` when given (see
  // Network::RunLoop), the thread's own otherwise.
  int Wait(int timeout_ms, const sigset_t* wait_mask = nullptr);
  // Dispatches the events ready now. The busy pump (a script past its time
  // limit) also calls it from inside a handler.
  int PollNow() { return Wait(0); }
  // Stops dispatching (shutdown).
  void Close() { closed_ = true; }

 private:
  int epfd_ = -1;
  bool closed_ = false;
};

}  // namespace duet
