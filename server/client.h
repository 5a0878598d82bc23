#pragma once
// Client: the state Redis keeps per connection (selected database, protocol
// version, name, flags, timestamps) plus its reply buffer. Owned by its
// Connection; in-process tests create one without a socket.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/reply_buffer.h"
#include "protocol/reply_builder.h"
#include "server/multi.h"
#include "server/pubsub.h"

namespace duet {

struct AclUser;

enum class ReplyMode { kOn, kOff, kSkipNext, kSkip };

// Implemented by whatever carries a Client's bytes (Connection), so code
// running for one client can make another client's replies leave: Pub/Sub
// messages, keyspace events, woken blocked clients. Appending to that client's
// ReplyBuffer and then calling RequestFlush() is all it takes; the flush
// happens once per event-loop turn. Null for in-process test clients.
class ClientIo {
 public:
  virtual void RequestFlush() = 0;

 protected:
  ~ClientIo() = default;
};

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
  bool is_local = true;      // peer on loopback or a unix socket
  bool unix_socket = false;  // connected through `unixsocket`
  // MONITOR: this client receives the command feed (server/monitor.h).
  bool monitor = false;
  // What MONITOR shows as this client's address when not empty: a script's
  // client sets "lua", so the commands it runs show as [<db> lua]. Must
  // point to storage that outlives the client (a string literal).
  std::string_view monitor_addr;
  bool authenticated = true;
  // The ACL user (server/acl.h); null = no restrictions (internal clients).
  const AclUser* user = nullptr;
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
  // Set while this client's script runs (server/script_engine.h): the busy
  // pump must neither read nor flush this connection.
  bool running_script = false;

  ReplyBuffer replies;
  ReplyBuilder rb;

  // --- Transactions and Pub/Sub (server/multi.h, server/pubsub.h) ---
  // Allocated on first use; most clients never need them.
  std::unique_ptr<TransactionState> tx;
  std::unique_ptr<SubscriberState> subs;
  // When the output buffer first went over the soft client-output-buffer-limit
  // (0 = under it).
  int64_t obuf_soft_limit_since_ms = 0;
  ClientIo* io = nullptr;

  bool in_multi() const { return tx != nullptr && tx->in_multi; }
  // Subscribed to anything (the RESP2 subscriber context, client type pubsub).
  bool subscribed() const { return subs != nullptr && subs->total() > 0; }
};

}  // namespace duet
