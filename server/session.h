#pragma once
// Session: one wire protocol's side of a connection. The Connection owns the
// socket, the read buffer and the reply buffer, and calls RunOne() while
// complete requests are buffered; the session parses one request, runs it
// and leaves its reply in the client's ReplyBuffer. RespSession speaks RESP
// (server/resp_session.h), MemcacheSession the memcached protocols
// (server/memcache_session.h).
//
// A session that must end the connection sets Client::close_after_reply: the
// connection stops reading, sends what is pending, then closes.

#include <cstddef>
#include <cstdint>

namespace duet {

// Which protocol a listener speaks.
enum class Protocol : uint8_t { kResp, kMemcache };

class Session {
 public:
  enum class Step : uint8_t { kRan, kNeedMore, kHold };

  virtual ~Session() = default;

  // Parses and runs at most one request at the front of [data, data + len),
  // which always starts at a request boundary. kRan: *consumed (> 0) bytes
  // were used up. kNeedMore: the request is incomplete, nothing consumed.
  // kHold: the request must wait (CLIENT PAUSE), nothing consumed; the
  // connection stops reading until the pause ends.
  virtual Step RunOne(const char* data, size_t len, size_t* consumed) = 0;
  // Total bytes the incomplete request needs, when known (0 otherwise), so
  // the connection can make room for a large argument at once.
  virtual size_t bytes_wanted() const = 0;
};

}  // namespace duet
