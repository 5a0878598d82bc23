#include "server/connection.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server/network.h"
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

Connection::Connection(Network& net, asio::ip::tcp::socket socket)
    : net_(net), socket_(std::move(socket)), fd_(socket_.native_handle()) {
  asio::error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  in_.resize(kReadChunk);
  Server& s = net_.server();
  client_.id = s.NextClientId();
  client_.fd = fd_;
  client_.created_ms = s.NowMs();
  client_.last_interaction_ms = client_.created_ms;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    client_.addr = EndpointText(remote);
    client_.is_local =
        remote.address().is_loopback() ||
        (remote.address().is_v6() && remote.address().to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, remote.address().to_v6()).is_loopback());
  }
  auto local = socket_.local_endpoint(ec);
  if (!ec) client_.laddr = EndpointText(local);
  parser_.set_max_bulk_len(s.config().proto_max_bulk_len);
}

Connection::~Connection() = default;

void Connection::Start() {
  net_.server().AddClient(&client_);
  // Called from inside another client's command (or a timer): only schedule.
  client_.on_unblocked = [this] {
    asio::post(net_.io(), [self = shared_from_this()] { self->ResumeAfterBlock(); });
  };
  WaitReadable();
}

void Connection::WaitReadable() {
  if (closed_ || read_waiting_ || input_paused_) return;
  read_waiting_ = true;
  socket_.async_wait(
      asio::ip::tcp::socket::wait_read,
      [self = shared_from_this()](const asio::error_code& ec) { self->OnReadable(ec); });
}

void Connection::OnReadable(const asio::error_code& ec) {
  read_waiting_ = false;
  if (closed_) return;
  if (ec) return Close();
  Server& s = net_.server();
  // Read until the kernel has nothing more or the buffer needs to grow past a
  // chunk; a short read means the socket was drained (edge-triggered safe).
  while (true) {
    if (in_.size() - in_end_ < kReadChunk / 2) {
      CompactInput();
      if (in_.size() - in_end_ < kReadChunk / 2) in_.resize(in_.size() * 2);
    }
    size_t want = in_.size() - in_end_;
    ssize_t n = ::read(fd_, in_.data() + in_end_, want);
    if (n > 0) {
      in_end_ += static_cast<size_t>(n);
      s.stats().net_input_bytes += static_cast<uint64_t>(n);
      if (static_cast<size_t>(n) < want) break;
      continue;
    }
    if (n == 0) return Close();  // peer closed
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return Close();
  }
  if (in_end_ - in_start_ > static_cast<size_t>(s.config().client_query_buffer_limit)) {
    return Close();  // Redis closes clients whose query buffer exceeds the limit
  }
  if (!ProcessInput()) return;
  WaitReadable();
}

bool Connection::ProcessInput() {
  Server& s = net_.server();
  while (in_start_ < in_end_ && !closed_) {
    if (client_.killed) {
      Close();
      return false;
    }
    // Blocked in BLPOP & co.: later requests wait in the buffer. Reading goes
    // on, so a disconnect is still noticed (and the waiter forgotten).
    if (client_.blocked) break;
    if (s.pause_until_ms() != 0 && net_.ShouldHoldClient(*this)) {
      input_paused_ = true;
      net_.HoldUntilUnpaused(shared_from_this());
      break;
    }
    if (client_.replies.pending() > kOutputBacklogPause) {
      input_paused_ = true;
      break;
    }
    parser_.set_authenticated(client_.authenticated);
    size_t consumed = 0;
    RespParser::Result r = parser_.Parse(in_.data() + in_start_, in_end_ - in_start_, &consumed);
    if (r == RespParser::Result::kNeedMore) {
      // A big argument: make room for all of it at once.
      size_t want = parser_.bytes_wanted();
      if (want > 0 && in_start_ + want > in_.size()) {
        CompactInput();
        if (want > in_.size()) in_.resize(want);
      }
      break;
    }
    if (r == RespParser::Result::kError) {
      // Redis replies the protocol error and closes the connection after it.
      client_.rb.Error(parser_.error());
      client_.close_after_reply = true;
      in_start_ = in_end_;
      break;
    }
    if (!parser_.args().empty()) s.Dispatch(client_, parser_.args());
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
  return !closed_;
}

void Connection::CompactInput() {
  if (in_start_ == 0) return;
  std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
  in_end_ -= in_start_;
  in_start_ = 0;
}

void Connection::Flush() {
  if (closed_ || write_waiting_) return;
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
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return WaitWritable();
    return Close();
  }
  if (client_.close_after_reply) return Close();
  if (input_paused_ && net_.server().pause_until_ms() == 0) Resume();
}

void Connection::WaitWritable() {
  write_waiting_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       self->write_waiting_ = false;
                       if (ec) return self->Close();
                       self->Flush();
                     });
}

void Connection::Resume() {
  if (closed_ || !input_paused_) return;
  input_paused_ = false;
  // Requests may already be buffered: run them before waiting for more.
  if (in_start_ < in_end_ && !ProcessInput()) return;
  WaitReadable();
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
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  net_.server().RemoveClient(&client_);
  net_.Forget(this);
}

}  // namespace duet
