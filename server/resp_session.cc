#include "server/resp_session.h"

#include "server/network.h"

namespace duet {

RespSession::RespSession(Server& server, Network& net, Client& client)
    : server_(server), net_(net), client_(client) {
  parser_.set_max_bulk_len(server.config().proto_max_bulk_len);
}

Session::Step RespSession::ProtocolError(size_t len, size_t* consumed) {
  client_.rb.Error(parser_.error());
  client_.close_after_reply = true;
  *consumed = len;
  return Step::kRan;
}

bool RespSession::MustHold() {
  if (!net_.ShouldHold(client_, parser_.args())) return false;
  parser_.Reset();
  return true;
}

}  // namespace duet
