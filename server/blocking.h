#pragma once
// BlockingManager: clients waiting in a blocking command (BLPOP, BLMOVE,
// BZPOPMIN, ...) for a key to receive data, as Redis 7.0 runs them.
//
// A wait, from start to end:
//  1. The handler finds nothing to pop and calls Block(): the client is marked
//     `blocked` and its connection runs no further requests (they stay in its
//     input buffer) until the wait ends. Block() writes no reply.
//  2. Whenever a list or sorted set is stored under a key (a new key, RENAME,
//     MOVE, ... — the Database observer reports it), the server calls
//     SignalKeyReady(). Nothing is served then: the writing command is still
//     running, and a transaction must finish as a whole first.
//  3. When the outermost command returns, the server calls ServeReadyKeys():
//     each ready key, in the order it was signalled, is offered to the clients
//     waiting on it, first come first served. A client's ServeFn pops and
//     replies, or declines (nothing left, or the key now holds the other type:
//     the client keeps waiting). Serving can store new keys (BLMOVE's
//     destination), which are signalled and served in the same call, so chains
//     of BLMOVEs complete before the next command runs.
//  4. Otherwise the wait ends at the deadline (HandleTimeouts, driven by a
//     network timer and the cron: a null reply), by CLIENT UNBLOCK (Unblock),
//     or when the client disconnects (Forget: no reply, nothing left behind).
// When a wait ends with a reply, client.on_unblocked is called so the
// connection resumes its buffered requests and sends the reply.
//
// Invariants: a client is in `blocked_` iff client.blocked; a blocked client
// is in the waiter list of each of its distinct keys exactly once; waiter
// lists are never empty, except transiently for the key being served.

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"

namespace duet {

class Server;
class Database;
struct Client;

// What a blocking command needs to finish once data arrives; read only by its
// ServeFn.
struct BlockParams {
  std::string target;  // BLMOVE / BRPOPLPUSH destination
  uint8_t from = 0;    // where to pop (ListEnd, or 0 min / 1 max for sorted sets)
  uint8_t to = 0;      // where BLMOVE pushes (ListEnd)
  int64_t count = 1;   // BLMPOP / BZMPOP COUNT
};

struct ServeContext {
  Server& server;
  Client& client;
  Database& db;  // the database the client blocked in
  std::string_view key;
  const BlockParams& params;
  int64_t now_ms;
};

// Tries to finish the blocked command from `ctx.key`. Returns true if it
// replied (data, or an error such as BLMOVE's WRONGTYPE destination): the wait
// is over. Returns false, writing nothing, to keep waiting.
using ServeFn = bool (*)(ServeContext& ctx);

// Parses a blocking command's timeout in seconds (fractional) exactly as Redis
// 7.0 does, and turns it into an absolute deadline in ms (0 = wait forever).
// On error replies "timeout is not a float or out of range" / "timeout is
// negative" and returns false.
bool ParseBlockTimeout(ReplyBuilder& rb, std::string_view arg, int64_t now_ms,
                       int64_t* deadline_ms);

class BlockingManager {
 public:
  explicit BlockingManager(Server& server);
  ~BlockingManager();
  BlockingManager(const BlockingManager&) = delete;
  BlockingManager& operator=(const BlockingManager&) = delete;

  // Blocks ctx.client on `keys` (repeats count once) of its current database
  // until `deadline_ms` (0 = no deadline). REQUIRES: the client is not blocked.
  void Block(CommandContext& ctx, const std::string_view* keys, size_t n, int64_t deadline_ms,
             ServeFn serve, BlockParams params);

  // A list or sorted set was stored under key. Cheap when nobody waits on it.
  void SignalKeyReady(int db, std::string_view key);
  bool has_ready_keys() const { return !ready_.empty(); }
  // Serves the clients waiting on every signalled key (see step 3 above).
  void ServeReadyKeys();
  // SWAPDB: every key waited on in either database may now hold data.
  void SignalDatabasesSwapped(int a, int b);

  // Ends with a null reply every wait whose deadline is <= now_ms. Returns
  // the earliest remaining deadline (0 = none).
  int64_t HandleTimeouts(int64_t now_ms);
  // CLIENT UNBLOCK: ends the wait as a timeout, or with the UNBLOCKED error.
  // False if the client is not blocked.
  bool Unblock(Client& c, bool with_error);
  // The client is going away: drops its wait without replying.
  void Forget(Client& c);

  size_t blocked_count() const { return blocked_.size(); }
  size_t with_deadline_count() const { return deadlines_.size(); }

 private:
  struct Waiter;
  using WaiterList = std::list<Waiter*>;
  struct KeyWaiters {
    WaiterList clients;   // in blocking order
    bool queued = false;  // in ready_ and not yet served
  };
  using KeyMap = StringMap<KeyWaiters>;
  struct ReadyKey {
    int db;
    std::string key;
  };

  KeyMap& keys_of(int db);
  void ServeKey(int db, const std::string& key);
  // Removes every trace of the wait. With `replied`, tells the connection.
  void Finish(Waiter* w, bool replied);
  // Writes to a blocked client's reply buffer with the mute state its command had.
  template <typename Fn>
  void ReplyTo(Waiter* w, Fn&& fn);

  Server& server_;
  std::unordered_map<Client*, std::unique_ptr<Waiter>> blocked_;
  std::vector<KeyMap> by_db_;                  // by database index, grown on demand
  std::multimap<int64_t, Waiter*> deadlines_;  // only waits with a deadline
  std::vector<ReadyKey> ready_;                // signalled, in signal order
  const KeyWaiters* serving_ = nullptr;        // never erased while being served
  bool serving_all_ = false;                   // inside ServeReadyKeys
};

}  // namespace duet
