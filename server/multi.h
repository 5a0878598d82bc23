#pragma once
// Transactions: MULTI / EXEC / DISCARD and optimistic locking with WATCH.
//
// Inside MULTI the dispatcher still checks each command (lookup, arity, the
// other processCommand rules); a refusal marks the transaction failed, so EXEC
// answers EXECABORT. Commands that pass are copied into the client's queue and
// answered +QUEUED. EXEC runs the queue in one go with Server::Call; nothing
// else runs in between because the server is single-threaded.
//
// WATCH rests on entry versions (storage/entry.h): every write stamps its
// entry with a new keyspace-wide version. WATCH records per key the version of
// the live entry, or 0 when the key is logically absent (missing or expired).
// At EXEC a key counts as touched when that value differs: modified, deleted,
// expired, created, replaced by FLUSHDB/SWAPDB/RENAME/MOVE, or written by the
// memcached listener all change it. The one change versions cannot show is a
// key absent at WATCH that is created and then removed again before EXEC. For
// keys absent at WATCH the registry therefore also asks their database to
// report insertions (Database::AddInsertListener) and marks the watchers dirty
// when one happens; SWAPDB, which brings keys in without inserting them, calls
// OnSwapDb.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command.h"

namespace duet {

class Keyspace;
class Server;
struct Client;

struct WatchedKey {
  int db;
  uint64_t version;  // of the live entry at WATCH; 0 = logically absent
  std::string key;
};

// Per-client transaction state (Client::tx), allocated on first MULTI or WATCH.
struct TransactionState {
  struct Queued {
    const Command* cmd;
    size_t first_arg;  // index into `args`
    size_t argc;
  };

  bool in_multi = false;
  bool aborted = false;  // a command was refused while queueing: EXEC answers EXECABORT
  bool dirty = false;    // a watched key changed in a way its version cannot show
  // Union of the queued commands' flags, so the dispatcher can treat EXEC as
  // a write / denyoom command when its queue holds one (Redis does).
  uint64_t queued_flags = 0;
  std::vector<Queued> queue;
  std::string arena;                            // bytes of every queued argument
  std::vector<std::pair<size_t, size_t>> args;  // (offset, size) in arena
  std::vector<WatchedKey> watched;

  // Bytes held by the queue (CLIENT LIST multi-mem).
  size_t QueueMemory() const {
    return arena.capacity() + args.capacity() * sizeof(args[0]) + queue.capacity() * sizeof(Queued);
  }
};

// --- Dispatcher hooks --------------------------------------------------------

// EXEC, DISCARD, MULTI, WATCH, QUIT and RESET run at once even inside MULTI.
bool IsTransactionControl(const Command& cmd);
// Copies the request into the client's queue. REQUIRES: client.in_multi().
void QueueCommand(Client& client, const Command& cmd, const std::vector<std::string_view>& args);
// A command was refused while the client is inside MULTI (no-op otherwise).
inline void FlagTransactionError(TransactionState* tx) {
  if (tx != nullptr && tx->in_multi) tx->aborted = true;
}
// Leaves MULTI, drops the queue and forgets every watched key (DISCARD,
// EXEC, RESET, disconnect).
void DiscardTransaction(Server& server, Client& client);

// --- WATCH bookkeeping (one per server) --------------------------------------

class WatchRegistry {
 public:
  explicit WatchRegistry(Keyspace& keyspace) : keyspace_(keyspace) {}
  WatchRegistry(const WatchRegistry&) = delete;
  WatchRegistry& operator=(const WatchRegistry&) = delete;

  // Adds `key` of database `db` to the client's watched keys (once).
  void Watch(Client& client, int db, std::string_view key, int64_t now_ms);
  // Forgets the client's watched keys; the dirty flag is left to the caller.
  void UnwatchAll(Client& client);
  // True when a watched key was touched since WATCH (EXEC must not run).
  bool Touched(const Client& client, int64_t now_ms) const;

  // Observer events (Server forwards them).
  void OnInserted(int db, std::string_view key);
  // SWAPDB a b has run: keys absent at WATCH that are present now count as
  // touched even if they disappear again before EXEC.
  void OnSwapDb(int a, int b, int64_t now_ms);

  // Watched keys of absent-at-WATCH kind, over all clients (tests).
  size_t absent_watch_count() const;

 private:
  using Watchers = StringMap<std::vector<Client*>>;
  Watchers& AbsentIn(int db);
  void MarkAbsentWatchersDirty(int db, std::string_view key);
  // Version of the live entry, 0 when missing or expired; no side effects.
  uint64_t LiveVersion(int db, std::string_view key, int64_t now_ms) const;

  Keyspace& keyspace_;
  std::vector<Watchers> absent_;  // per database: keys absent at WATCH -> watchers
};

}  // namespace duet
