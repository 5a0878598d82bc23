#pragma once
// RespSession: RESP2/RESP3 requests (multibulk and inline) dispatched through
// Server::Dispatch.

#include "protocol/resp_parser.h"
#include "server/server.h"
#include "server/session.h"

namespace duet {

class Network;

class RespSession final : public Session {
 public:
  RespSession(Server& server, Network& net, Client& client);

  Step RunOne(const char* data, size_t len, size_t* consumed) override {
    return Run(data, len, consumed);
  }
  size_t bytes_wanted() const override { return parser_.bytes_wanted(); }

  // RunOne without the virtual call: the connection's read loop calls this
  // when it knows it speaks RESP, so the hot path inlines into the loop.
  Step Run(const char* data, size_t len, size_t* consumed) {
    parser_.set_authenticated(client_.authenticated);
    RespParser::Result r = parser_.Parse(data, len, consumed);
    if (r == RespParser::Result::kNeedMore) return Step::kNeedMore;
    if (r == RespParser::Result::kError) return ProtocolError(len, consumed);
    if (parser_.args().empty()) return Step::kRan;
    if (server_.pause_until_ms() != 0 && MustHold()) {
      *consumed = 0;
      return Step::kHold;
    }
    server_.Dispatch(client_, parser_.args());
    return Step::kRan;
  }

 private:
  // Replies the protocol error; the connection closes after it, as in Redis.
  Step ProtocolError(size_t len, size_t* consumed);
  // CLIENT PAUSE: whether the parsed request must wait in the buffer (WRITE
  // pauses hold only commands that may write). If so, the parser forgets it.
  bool MustHold();

  Server& server_;
  Network& net_;
  Client& client_;
  RespParser parser_;
};

}  // namespace duet
