#include "server/poller.h"

#include <unistd.h>

#include <cerrno>

namespace duet {

Poller::Poller() { epfd_ = epoll_create1(EPOLL_CLOEXEC); }

Poller::~Poller() {
  if (epfd_ >= 0) close(epfd_);
}

bool Poller::Add(int fd, uint32_t events, PollHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Poller::Modify(int fd, uint32_t events, PollHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Poller::Remove(int fd) {
  epoll_event ev{};
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &ev);
}

int Poller::Wait(int timeout_ms, const sigset_t* wait_mask) {
  if (closed_) return 0;
  epoll_event events[256];
  int n;
  if (wait_mask != nullptr) {
    // A signal is the one reason to return early: report it, do not retry.
    n = epoll_pwait(epfd_, events, 256, timeout_ms, wait_mask);
    if (n < 0) return errno == EINTR ? -1 : 0;
  } else {
    do {
      n = epoll_wait(epfd_, events, 256, timeout_ms);
    } while (n < 0 && errno == EINTR && timeout_ms == 0);
    if (n < 0) return errno == EINTR ? -1 : 0;
  }
  // Handlers may close connections; a closed handler stays allocated until
  // the current handler returns (Network defers the release), so the
  // pointers in this batch remain valid and report themselves closed.
  for (int i = 0; i < n; ++i) {
    static_cast<PollHandler*>(events[i].data.ptr)->OnPollEvents(events[i].events);
  }
  return n;
}

}  // namespace duet
