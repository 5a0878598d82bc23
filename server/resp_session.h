#pragma once
// RespSession: RESP2/RESP3 requests (multibulk and inline) dispatched through
// Server::Dispatch.

#include "protocol/resp_parser.h"
#include "server/session.h"

namespace duet {

class Network;
class Server;
struct Client;

class RespSession final : public Session {
 public:
  RespSession(Server& server, Network& net, Client& client);

  Step RunOne(const char* data, size_t len, size_t* consumed) override;
  size_t bytes_wanted() const override { return parser_.bytes_wanted(); }

 private:
  Server& server_;
  Network& net_;
  Client& client_;
  RespParser parser_;
};

}  // namespace duet
