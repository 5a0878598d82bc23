#pragma once
// MemcacheSession: a connection on the memcached port. The first byte decides
// the protocol for the whole connection, as in memcached: 0x80 starts the
// binary protocol, anything else the text protocol (classic and meta
// commands). Requests are parsed here and run by the server's McHandler.
// CLIENT PAUSE holds memcached requests as it holds RESP commands: all of
// them, or (WRITE) those that may change the keyspace.

#include "protocol/memcache_binary.h"
#include "protocol/memcache_parser.h"
#include "server/session.h"

namespace duet {

class McHandler;
struct Client;

class MemcacheSession final : public Session {
 public:
  MemcacheSession(McHandler& handler, Client& client);
  ~MemcacheSession() override;

  Step RunOne(const char* data, size_t len, size_t* consumed) override;
  size_t bytes_wanted() const override;

 private:
  enum class Mode : uint8_t { kUnknown, kText, kBinary };

  // Whether a parsed request must wait for the end of a CLIENT PAUSE.
  bool MustHold(bool may_write);

  McHandler& handler_;
  Client& client_;
  Mode mode_ = Mode::kUnknown;
  McParser text_;
  McBinaryParser binary_;
};

}  // namespace duet
