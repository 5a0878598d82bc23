#include "server/output_limits.h"

#include "server/commands/client_info.h"
#include "server/server.h"
#include "utils/logging.h"

namespace duet {

ClientClass ClassOf(const Client& client) {
  return client.subscribed() ? ClientClass::kPubSub : ClientClass::kNormal;
}

size_t OutputBufferMemory(const Client& client) {
  size_t a = client.replies.allocated();
  return a > ReplyBuffer::kChunkSize ? a - ReplyBuffer::kChunkSize : 0;
}

bool EnforceOutputBufferLimit(Server& server, Client& client, int64_t now_ms) {
  if (client.killed) return true;
  const OutputBufferLimit& limit =
      server.config().client_output_buffer_limit[static_cast<int>(ClassOf(client))];
  if (limit.hard == 0 && limit.soft == 0) return false;
  size_t used = OutputBufferMemory(client);
  bool over = limit.hard != 0 && used >= limit.hard;
  if (limit.soft != 0 && used >= limit.soft) {
    if (client.obuf_soft_limit_since_ms == 0) {
      client.obuf_soft_limit_since_ms = now_ms;
    } else if (now_ms - client.obuf_soft_limit_since_ms > limit.soft_seconds * 1000) {
      over = true;
    }
  } else {
    client.obuf_soft_limit_since_ms = 0;
  }
  if (!over) return false;
  LogWarning("Client " + DescribeClient(client, now_ms) +
             " scheduled to be closed ASAP for overcoming of output buffer limits.");
  client.killed = true;
  if (server.hooks().clients_changed) server.hooks().clients_changed();
  return true;
}

}  // namespace duet
