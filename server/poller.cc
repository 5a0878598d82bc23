#include "server/poller.h"

#include <unistd.h>

#include <cerrno>

namespace duet {

Poller::Poller(asio::io_context& io) : watch_(io) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) return;
  int dup_fd = dup(epfd_);  // the stream_descriptor owns (and closes) its own copy
  if (dup_fd < 0) {
    close(epfd_);
    epfd_ = -1;
    return;
  }
  watch_.assign(dup_fd);
  Arm();
}

Poller::~Poller() {
  Close();
  if (epfd_ >= 0) close(epfd_);
}

void Poller::Close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ec;
  watch_.cancel(ec);
  watch_.close(ec);
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

void Poller::Arm() {
  if (closed_) return;
  watch_.async_wait(asio::posix::stream_descriptor::wait_read,
                    [this](const asio::error_code& ec) { OnReady(ec); });
}

void Poller::OnReady(const asio::error_code& ec) {
  if (ec || closed_) return;
  PollNow();
  Arm();
}

int Poller::PollNow() {
  if (closed_) return 0;
  epoll_event events[256];
  int n;
  do {
    n = epoll_wait(epfd_, events, 256, 0);
  } while (n < 0 && errno == EINTR);
  // Handlers may close connections; a closed handler stays allocated until
  // the current handler returns (Network defers the release), so the
  // pointers in this batch remain valid and report themselves closed.
  for (int i = 0; i < n; ++i) {
    static_cast<PollHandler*>(events[i].data.ptr)->OnPollEvents(events[i].events);
  }
  return n < 0 ? 0 : n;
}

}  // namespace duet
