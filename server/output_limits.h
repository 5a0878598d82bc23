#pragma once
// client-output-buffer-limit: a client whose unsent replies grow past its
// class's hard limit, or stay past the soft limit for longer than the soft
// seconds, is scheduled to close (Redis's "closed ASAP"), and Redis's warning
// is logged. Checked after each command a client runs and after each Pub/Sub
// message delivered to it, so a subscriber that stops reading cannot grow
// memory without bound.

#include <cstddef>
#include <cstdint>

#include "server/config.h"

namespace duet {

class Server;
struct Client;

// Pub/Sub subscribers are limited as "pubsub", everyone else as "normal".
ClientClass ClassOf(const Client& client);
// Bytes the limits are compared with: the reply buffer's allocation beyond
// its first standard chunk (Redis does not count its fixed 16 KB buffer).
size_t OutputBufferMemory(const Client& client);
// True if the client is over its limit and has been scheduled to close
// (Client::killed set, the network told to close it).
bool EnforceOutputBufferLimit(Server& server, Client& client, int64_t now_ms);

}  // namespace duet
