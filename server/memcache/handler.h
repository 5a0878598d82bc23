#pragma once
// McHandler: runs memcached requests (text, meta and binary protocol) against
// the keyspace. Every verb calls the storage operations of
// storage/memcache_ops.h directly: nothing is translated into Redis commands,
// so noreply, flags and CAS need no round trip through RESP semantics.
//
// One McHandler serves every memcached connection of a server (it holds the
// counters `stats` reports and the pending delayed flush_all). It never
// touches sockets: it writes replies into the client's ReplyBuffer, so
// in-process tests drive it with a bare Client.
//
// Items live in the database `memcached-db`; item sizes are limited by
// `memcached-max-item-size`. Both are read from the live configuration on
// every request, so CONFIG SET applies at once.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "protocol/memcache_binary.h"
#include "protocol/memcache_parser.h"
#include "server/client.h"
#include "utils/status.h"

namespace duet {

class Server;
class Database;
struct Entry;
struct ServerConfig;

// Whether passwords protect the RESP port (requirepass, ACL users or an ACL
// file). The memcached protocols have no authentication, so then a
// non-loopback memcached listener would be an open door.
bool McPasswordConfigured(const ServerConfig& cfg);

// Refuses memcached settings the server cannot honour: a memcached-db beyond
// `databases`, or (with a password set and memcached-unauthenticated no) a
// memcached-bind address that is not loopback. The message says why.
Status McCheckConfig(const ServerConfig& cfg);

// Counters with memcached's `stats` names.
struct McStats {
  uint64_t curr_connections = 0;
  uint64_t total_connections = 0;
  uint64_t rejected_connections = 0;
  uint64_t cmd_get = 0;
  uint64_t cmd_set = 0;
  uint64_t cmd_flush = 0;
  uint64_t cmd_touch = 0;
  uint64_t cmd_meta = 0;
  uint64_t get_hits = 0;
  uint64_t get_misses = 0;
  uint64_t get_expired = 0;
  uint64_t get_flushed = 0;
  uint64_t delete_misses = 0;
  uint64_t delete_hits = 0;
  uint64_t incr_misses = 0;
  uint64_t incr_hits = 0;
  uint64_t decr_misses = 0;
  uint64_t decr_hits = 0;
  uint64_t cas_misses = 0;
  uint64_t cas_hits = 0;
  uint64_t cas_badval = 0;
  uint64_t touch_hits = 0;
  uint64_t touch_misses = 0;
  uint64_t store_too_large = 0;
  uint64_t store_no_memory = 0;
  uint64_t total_items = 0;
  uint64_t bytes_read = 0;
  uint64_t bytes_written = 0;
};

class McHandler {
 public:
  // The version memcached clients see in `version` and `stats`.
  static constexpr std::string_view kVersion = "1.6.18";

  explicit McHandler(Server& server);

  // Runs one parsed text or meta request. `req` may be modified (keys are
  // reused as scratch). Replies go to client.replies.
  void RunText(Client& client, McRequest& req);
  // Runs one binary-protocol request.
  void RunBinary(Client& client, const McBinaryRequest& req);

  // Applies a delayed flush_all whose time has come (called from the cron
  // and before every request).
  void Cron();

  McStats& stats() { return stats_; }
  Server& server() { return server_; }
  int64_t max_item_size() const;

 private:
  // --- shared (handler.cc) ---
  Database& db();
  // Refreshes the per-request clock and applies a due delayed flush.
  int64_t BeginRequest(Client& client);
  // A lookup for a client read, counting hits, misses and expired items.
  // `meta_before` receives the item's mc_meta bits as they were before this
  // read marked it fetched.
  Entry* Fetch(std::string_view key, int64_t now_ms, uint8_t* meta_before = nullptr);
  void FlushAll(int64_t delay_s, int64_t now_ms);
  // maxmemory before a write that may add memory, as the dispatcher does for
  // denyoom commands: evicts by the policy; false when nothing more can go
  // (the write is then refused with memcached's out-of-memory error).
  bool AdmitWrite();
  // After a write to `key`: counts it and logs the item's new state to the
  // AOF (SET [PXAT], then MCFLAGS when its flags are not 0, or DEL).
  void Written(std::string_view key);
  // After memcached-db was emptied (flush_all): counts it, logs FLUSHDB.
  void Flushed();
  // Publishes a keyspace event (notify-keyspace-events) for a key of
  // memcached-db, with the name the equivalent RESP command uses.
  void Notify(int type, std::string_view event, std::string_view key);
  // "set" or "append" for a store of `mode`, then "expire" if it has one.
  void NotifyStore(int mode, std::string_view key, const Entry* e);

  // --- classic text commands (text_commands.cc) ---
  void Retrieve(Client& client, const McRequest& req, int64_t now);
  void Store(Client& client, const McRequest& req, int64_t now);
  void Arithmetic(Client& client, const McRequest& req, int64_t now);
  void Touch(Client& client, const McRequest& req, int64_t now);
  void Delete(Client& client, const McRequest& req, int64_t now);
  void Stats(Client& client, const McRequest& req, int64_t now);

  // --- meta commands (meta_commands.cc) ---
  void MetaGet(Client& client, const McRequest& req, int64_t now);
  void MetaSet(Client& client, const McRequest& req, int64_t now);
  void MetaDelete(Client& client, const McRequest& req, int64_t now);
  void MetaArithmetic(Client& client, const McRequest& req, int64_t now);
  void MetaDebug(Client& client, const McRequest& req, int64_t now);

  // --- stats (stats.cc) ---
  // Calls `emit` for each line of a stats group ("" = general, "settings",
  // "items", "slabs", "sizes", "conns"); false for an unknown group.
  using StatEmit = std::function<void(std::string_view name, std::string_view value)>;
  bool EmitStats(std::string_view group, int64_t now, const StatEmit& emit);
  void ResetStats();

  Server& server_;
  McStats stats_;
  int64_t flush_at_ms_ = 0;  // pending delayed flush_all; 0 = none
  std::string scratch_;      // base64 keys for meta replies
};

}  // namespace duet
