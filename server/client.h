#pragma once
// Client: the state Redis keeps per connection (selected database, protocol
// version, name, flags, timestamps) plus its reply buffer. Owned by its
// Connection; in-process tests create one without a socket.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "protocol/reply_buffer.h"
#include "protocol/reply_builder.h"

namespace duet {

enum class ReplyMode { kOn, kOff, kSkipNext, kSkip };

struct Client {
  Client() : rb(&replies) {}
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  uint64_t id = 0;
  int db = 0;
  std::string name;
  std::string lib_name, lib_ver;  // CLIENT SETINFO
  std::string addr = "127.0.0.1:0";
  std::string laddr = "127.0.0.1:0";
  int fd = -1;
  bool is_local = true;  // peer on loopback or a unix socket
  bool authenticated = true;
  bool close_after_reply = false;
  bool killed = false;  // CLIENT KILL: close at the next opportunity
  bool no_evict = false;
  ReplyMode reply_mode = ReplyMode::kOn;
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  std::string_view last_command = "NULL";  // full name of the last command (static storage)
  size_t query_buffer_bytes = 0;           // for CLIENT LIST qbuf
  size_t query_buffer_free = 0;

  // Blocking commands (server/blocking.h). While `blocked`, the connection
  // runs none of the client's further requests (they stay buffered). When the
  // wait ends with a reply, the BlockingManager calls `on_unblocked` (set by
  // the connection; empty for in-process clients) from inside another
  // client's command, so it must only schedule the resumption.
  bool blocked = false;
  std::function<void()> on_unblocked;
  // Set while the client may not block (inside EXEC or a script): a blocking
  // command that finds no data answers at once as if it had timed out.
  bool deny_blocking = false;

  ReplyBuffer replies;
  ReplyBuilder rb;
};

}  // namespace duet
