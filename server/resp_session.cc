#include "server/resp_session.h"

#include "server/network.h"
#include "server/server.h"

namespace duet {

RespSession::RespSession(Server& server, Network& net, Client& client)
    : server_(server), net_(net), client_(client) {
  parser_.set_max_bulk_len(server.config().proto_max_bulk_len);
}

Session::Step RespSession::RunOne(const char* data, size_t len, size_t* consumed) {
  parser_.set_authenticated(client_.authenticated);
  RespParser::Result r = parser_.Parse(data, len, consumed);
  if (r == RespParser::Result::kNeedMore) return Step::kNeedMore;
  if (r == RespParser::Result::kError) {
    // Redis replies the protocol error and closes the connection after it.
    client_.rb.Error(parser_.error());
    client_.close_after_reply = true;
    *consumed = len;
    return Step::kRan;
  }
  // CLIENT PAUSE: leave the request in the buffer and wait (WRITE pauses
  // hold only commands that may write).
  if (server_.pause_until_ms() != 0 && !parser_.args().empty() && net_.ShouldHold(parser_.args())) {
    parser_.Reset();
    *consumed = 0;
    return Step::kHold;
  }
  if (!parser_.args().empty()) server_.Dispatch(client_, parser_.args());
  return Step::kRan;
}

}  // namespace duet
