#include "server/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/aof.h"
#include "server/memcache_session.h"
#include "server/network.h"
#include "server/resp_session.h"
#include "server/script_engine.h"
#include "server/server.h"

namespace duet {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
// Above this much unsent output, stop reading the client's requests until the
// backlog drains, so a client that never reads cannot grow memory without
// bound by pipelining big replies.
constexpr size_t kOutputBacklogPause = 64 * 1024 * 1024;

std::string EndpointText(const asio::ip::tcp::endpoint& ep) {
  const asio::ip::address& a = ep.address();
  std::string host = a.to_string();
  if (a.is_v6()) {
    // Redis shows IPv4-mapped peers on a dual-stack socket as plain IPv4.
    if (a.to_v6().is_v4_mapped()) {
      host = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
    }
  }
  return host + ":" + std::to_string(ep.port());
}

}  // namespace

Connection::Connection(Network& net, asio::ip::tcp::socket socket, Protocol protocol)
    : net_(net), fd_(-1) {
  asio::error_code ec;
  socket.non_blocking(true, ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  int64_t keepalive = net.server().config().tcp_keepalive;
  if (keepalive > 0) {
    // Like Redis: probe idle peers so dead ones are noticed after about
    // `keepalive` seconds.
    int fd = socket.native_handle();
    int on = 1, idle = static_cast<int>(keepalive), interval = std::max(1, idle / 3), count = 3;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
  }
  auto remote = socket.remote_endpoint(ec);
  if (!ec) {
    client_.addr = EndpointText(remote);
    client_.is_local =
        remote.address().is_loopback() ||
        (remote.address().is_v6() && remote.address().to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, remote.address().to_v6()).is_loopback());
  }
  auto local = socket.local_endpoint(ec);
  if (!ec) client_.laddr = EndpointText(local);
  // From here on the connection owns the descriptor; Asio no longer watches it.
  Setup(protocol, socket.release(ec));
}

Connection::Connection(Network& net, asio::local::stream_protocol::socket socket,
                       const std::string& path)
    : net_(net), fd_(-1) {
  asio::error_code ec;
  socket.non_blocking(true, ec);
  // Redis shows a Unix-socket peer (and the local end) as "<path>:0".
  client_.addr = path + ":0";
  client_.laddr = client_.addr;
  client_.is_local = true;
  client_.unix_socket = true;
  Setup(Protocol::kResp, socket.release(ec));
}

void Connection::Setup(Protocol protocol, int fd) {
  in_.resize(kReadChunk);
  Server& s = net_.server();
  client_.id = s.NextClientId();
  client_.created_ms = s.NowMs();
  client_.last_interaction_ms = client_.created_ms;
  if (protocol == Protocol::kMemcache) {
    session_ = std::make_unique<MemcacheSession>(s.memcache(), client_);
  } else {
    auto resp = std::make_unique<RespSession>(s, net_, client_);
    resp_ = resp.get();
    session_ = std::move(resp);
  }
  fd_ = fd;
  client_.fd = fd_;
  client_.io = this;
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

void Connection::Start() {
  net_.server().AddClient(&client_);
  // Called from inside another client's command (or a timer): only schedule.
  client_.on_unblocked = [this] {
    net_.Post([self = shared_from_this()] { self->ResumeAfterBlock(); });
  };
  if (fd_ < 0) return Close();
  if (client_.close_after_reply) {
    // [auth] Refused by protected mode: send the error, read nothing, close.
    input_paused_ = true;
    net_.ScheduleFlush(this);
    return;
  }
  UpdateInterest();
}

void Connection::UpdateInterest() {
  if (closed_) return;
  uint32_t want = (input_paused_ ? 0u : static_cast<uint32_t>(EPOLLIN)) |
                  (want_write_ ? static_cast<uint32_t>(EPOLLOUT) : 0u);
  if (registered_ && want == interest_) return;
  bool ok =
      registered_ ? net_.poller().Modify(fd_, want, this) : net_.poller().Add(fd_, want, this);
  registered_ = true;
  interest_ = want;
  if (!ok) Close();
}

void Connection::OnPollEvents(uint32_t events) {
  if (closed_) return;
  // Busy pump (a script runs): the running client's request still holds views
  // into in_, so its socket waits; memcached requests would break the
  // script's atomicity (they bypass Dispatch's BUSY check), so they wait too.
  if (client_.running_script || (resp_ == nullptr && net_.server().scripts().busy())) return;
  if ((events & EPOLLOUT) && want_write_) {
    want_write_ = false;
    Flush();
    if (closed_) return;
    UpdateInterest();
  }
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && !input_paused_) OnReadable();
}

void Connection::OnReadable() {
  Server& s = net_.server();
  // One read per event, as Redis does: level triggering reports the socket
  // again if more is waiting, and other clients get their turn meanwhile.
  if (in_.size() - in_end_ < kReadChunk / 2) {
    CompactInput();
    if (in_.size() - in_end_ < kReadChunk / 2) in_.resize(in_.size() * 2);
  }
  ssize_t n;
  do {
    n = ::read(fd_, in_.data() + in_end_, in_.size() - in_end_);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return Close();  // peer closed
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    return Close();
  }
  in_end_ += static_cast<size_t>(n);
  s.stats().net_input_bytes += static_cast<uint64_t>(n);
  if (in_end_ - in_start_ > static_cast<size_t>(s.config().client_query_buffer_limit)) {
    return Close();  // Redis closes clients whose query buffer exceeds the limit
  }
  ProcessInput();
}

bool Connection::ProcessInput() {
  Server& s = net_.server();
  s.RefreshClock();
  while (in_start_ < in_end_ && !closed_) {
    if (client_.killed) {
      Close();
      return false;
    }
    // Blocked in BLPOP & co.: later requests wait in the buffer. Reading goes
    // on, so a disconnect is still noticed (and the waiter forgotten).
    if (client_.blocked) break;
    if (client_.replies.pending() > kOutputBacklogPause) {
      input_paused_ = true;
      break;
    }
    size_t consumed = 0;
    const char* data = in_.data() + in_start_;
    size_t len = in_end_ - in_start_;
    Session::Step step = resp_ != nullptr ? resp_->Run(data, len, &consumed)
                                          : session_->RunOne(data, len, &consumed);
    if (step == Session::Step::kHold) {
      input_paused_ = true;
      net_.HoldUntilUnpaused(shared_from_this());
      break;
    }
    if (step == Session::Step::kNeedMore) {
      // A big argument: make room for all of it at once.
      size_t want = session_->bytes_wanted();
      if (want > 0 && in_start_ + want > in_.size()) {
        CompactInput();
        if (want > in_.size()) in_.resize(want);
      }
      break;
    }
    in_start_ += consumed;
    if (client_.close_after_reply) {
      in_start_ = in_end_;
      break;
    }
  }
  client_.query_buffer_bytes = in_end_ - in_start_;
  client_.query_buffer_free = in_.size() - in_end_;
  if (in_start_ == in_end_) in_start_ = in_end_ = 0;
  net_.ScheduleFlush(this);
  if (!closed_) UpdateInterest();
  return !closed_;
}

void Connection::CompactInput() {
  if (in_start_ == 0) return;
  std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
  in_end_ -= in_start_;
  in_start_ = 0;
}

void Connection::Flush() {
  // A busy script's client is flushed after its script (script_engine.h).
  if (client_.running_script) return;
  // The AOF records of everything answered so far reach the file (and the
  // disk under appendfsync always) before any reply leaves: the first flush
  // of a loop turn writes them, the others find the buffer empty.
  net_.server().aof().FlushBeforeReplies();
  if (closed_ || want_write_) return;
  ReplyBuffer& out = client_.replies;
  while (!out.empty()) {
    struct iovec iov[64];
    int n = out.FillIov(iov, 64);
    ssize_t w = ::writev(fd_, iov, n);
    if (w > 0) {
      out.Consume(static_cast<size_t>(w));
      net_.server().stats().net_output_bytes += static_cast<uint64_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      want_write_ = true;
      return UpdateInterest();
    }
    return Close();
  }
  if (client_.close_after_reply) return Close();
  if (input_paused_ && net_.server().pause_until_ms() == 0) Resume();
}

void Connection::RequestFlush() {
  if (!closed_) net_.ScheduleFlush(this);
}

void Connection::Resume() {
  if (closed_ || !input_paused_) return;
  input_paused_ = false;
  UpdateInterest();
  // Requests may already be buffered: run them before waiting for more.
  if (in_start_ < in_end_) ProcessInput();
}

void Connection::ResumeAfterBlock() {
  if (closed_ || client_.blocked) return;
  if (in_start_ < in_end_ && !input_paused_) {
    ProcessInput();  // also schedules the flush
    return;
  }
  net_.ScheduleFlush(this);
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  if (fd_ >= 0) {
    if (registered_) net_.poller().Remove(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  net_.server().RemoveClient(&client_);
  net_.Forget(this);
}

}  // namespace duet
