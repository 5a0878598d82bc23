#include "server/memcache/handler.h"

#include <arpa/inet.h>

#include <cstring>

#include "persistence/aof_record.h"
#include "protocol/memcache_reply.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/memcache_ops.h"

namespace duet {

namespace {

// 127.0.0.0/8, ::1 and IPv4-mapped loopback; "*" and names are not loopback.
bool IsLoopbackText(const std::string& host) {
  unsigned char a[16];
  if (inet_pton(AF_INET, host.c_str(), a) == 1) return a[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), a) != 1) return false;
  static const unsigned char kLoop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a, kLoop6, 16) == 0 || (std::memcmp(a, kMapped, 12) == 0 && a[12] == 127);
}

}  // namespace

bool McPasswordConfigured(const ServerConfig& cfg) {
  return !cfg.requirepass.empty() || !cfg.acl_users.empty() || !cfg.aclfile.empty();
}

Status McCheckConfig(const ServerConfig& cfg) {
  if (cfg.memcached_db >= cfg.databases) {
    return Status::InvalidArgument("memcached-db " + std::to_string(cfg.memcached_db) +
                                   " is out of range: the server has " +
                                   std::to_string(cfg.databases) + " databases");
  }
  if (cfg.memcached_port == 0 || cfg.memcached_unauthenticated || !McPasswordConfigured(cfg)) {
    return Status::Ok();
  }
  for (const std::string& raw : cfg.memcached_bind) {
    std::string host = !raw.empty() && raw[0] == '-' ? raw.substr(1) : raw;
    if (!IsLoopbackText(host)) {
      return Status::InvalidArgument(
          "memcached-bind " + host +
          " is not a loopback address, but a password is set and the memcached protocols "
          "have no authentication: anyone who can reach that address could read and write "
          "every item. Bind the memcached port to loopback, or set "
          "memcached-unauthenticated yes to accept this.");
    }
  }
  return Status::Ok();
}

McHandler::McHandler(Server& server) : server_(server) {
  server_.config_api().OnChange({"memcached-db", "memcached-unauthenticated"}, McCheckConfig);
}

int64_t McHandler::max_item_size() const { return server_.config().memcached_max_item_size; }

Database& McHandler::db() { return server_.keyspace().db(server_.config().memcached_db); }

int64_t McHandler::BeginRequest(Client& client) {
  int64_t now = server_.cached_now_ms();
  client.last_interaction_ms = now;
  ++server_.stats().total_commands;
  if (flush_at_ms_ != 0 && now >= flush_at_ms_) {
    flush_at_ms_ = 0;
    db().Clear();
    Flushed();
  }
  return now;
}

void McHandler::Cron() {
  if (flush_at_ms_ != 0 && server_.NowMs() >= flush_at_ms_) {
    flush_at_ms_ = 0;
    db().Clear();
    Flushed();
  }
}

Entry* McHandler::Fetch(std::string_view key, int64_t now_ms, uint8_t* meta_before) {
  ServerStats& ss = server_.stats();
  uint64_t expired_before = ss.expired_keys;
  Entry* e = McLookup(db(), key, now_ms);
  if (meta_before != nullptr) *meta_before = e != nullptr ? e->mc_meta : 0;
  if (e != nullptr) {
    McMarkFetched(e, now_ms);
    ++stats_.get_hits;
    ++ss.keyspace_hits;
  } else {
    ++stats_.get_misses;
    ++ss.keyspace_misses;
    if (ss.expired_keys != expired_before) ++stats_.get_expired;
  }
  return e;
}

void McHandler::FlushAll(int64_t delay_s, int64_t now_ms) {
  ++stats_.cmd_flush;
  int64_t at = delay_s > 0 ? McExpireAt(delay_s, now_ms) : 0;
  if (at > 0) {
    // Like memcached: what exists when the delay ends is gone then; a later
    // flush_all replaces this one.
    flush_at_ms_ = at;
    return;
  }
  flush_at_ms_ = 0;
  db().Clear();
  Flushed();
}

void McHandler::Written(std::string_view key) {
  ++server_.stats().dirty;
  if (!server_.propagation_active()) return;
  // The item's resulting state, whatever the verb: deterministic on replay
  // and readable by Redis (only MCFLAGS, written for non-zero flags, is Duet's).
  const int dbi = server_.config().memcached_db;
  const Entry* e = McPeek(db(), key, server_.cached_now_ms());
  if (e == nullptr) return server_.Propagate(dbi, {"DEL", key});
  if (e->has_expire()) {
    AofInt at(e->expire_ms);
    server_.Propagate(dbi, {"SET", key, e->str(), "PXAT", at.view()});
  } else {
    server_.Propagate(dbi, {"SET", key, e->str()});
  }
  if (e->mc_flags != 0) {
    AofInt flags(e->mc_flags);
    server_.Propagate(dbi, {"MCFLAGS", key, flags.view()});
  }
}

void McHandler::Flushed() {
  ++server_.stats().dirty;
  server_.Propagate(server_.config().memcached_db, {"FLUSHDB"});
}

void McHandler::Notify(int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(server_, type, event, key, server_.config().memcached_db);
}

void McHandler::NotifyStore(int mode, std::string_view key, const Entry* e) {
  if (server_.config().notify_keyspace_events == 0) return;
  auto m = static_cast<McStoreMode>(mode);
  bool concat = m == McStoreMode::kAppend || m == McStoreMode::kPrepend;
  if (e == nullptr) return Notify(kNotifyGeneric, "del", key);  // stored already expired
  Notify(kNotifyString, concat ? "append" : "set", key);
  if (!concat && e->expire_ms != 0) Notify(kNotifyGeneric, "expire", key);
}

bool McHandler::AdmitWrite() {
  if (server_.config().maxmemory == 0 || server_.memory().AdmitWrite()) return true;
  ++stats_.store_no_memory;
  return false;
}

void McHandler::RunText(Client& client, McRequest& req) {
  int64_t now = BeginRequest(client);
  ReplyBuffer* out = &client.replies;
  switch (req.command) {
    case McCommand::kGet:
    case McCommand::kGets:
    case McCommand::kGat:
    case McCommand::kGats:
      return Retrieve(client, req, now);
    case McCommand::kSet:
    case McCommand::kAdd:
    case McCommand::kReplace:
    case McCommand::kAppend:
    case McCommand::kPrepend:
    case McCommand::kCas:
      return Store(client, req, now);
    case McCommand::kIncr:
    case McCommand::kDecr:
      return Arithmetic(client, req, now);
    case McCommand::kTouch:
      return Touch(client, req, now);
    case McCommand::kDelete:
      return Delete(client, req, now);
    case McCommand::kFlushAll:
      FlushAll(req.exptime, now);
      if (!req.noreply) out->Append(mcreply::kOk);
      return;
    case McCommand::kVersion:
      mcreply::Line(out, std::string("VERSION ").append(kVersion));
      return;
    case McCommand::kVerbosity:
      if (!req.noreply) out->Append(mcreply::kOk);
      return;
    case McCommand::kQuit:
      client.close_after_reply = true;
      return;
    case McCommand::kStats:
      return Stats(client, req, now);
    case McCommand::kShutdown:
      return mcreply::Line(out, mcreply::kShutdownDisabled);
    case McCommand::kMetaGet:
      ++stats_.cmd_meta;
      return MetaGet(client, req, now);
    case McCommand::kMetaSet:
      ++stats_.cmd_meta;
      return MetaSet(client, req, now);
    case McCommand::kMetaDelete:
      ++stats_.cmd_meta;
      return MetaDelete(client, req, now);
    case McCommand::kMetaArithmetic:
      ++stats_.cmd_meta;
      return MetaArithmetic(client, req, now);
    case McCommand::kMetaDebug:
      ++stats_.cmd_meta;
      return MetaDebug(client, req, now);
    case McCommand::kMetaNoop:
      ++stats_.cmd_meta;
      out->Append(mcreply::kMetaNoop);
      return;
    case McCommand::kError:
      if (!req.noreply) mcreply::Line(out, req.error);
      if (req.close) client.close_after_reply = true;
      return;
    case McCommand::kNone:
      return;
  }
}

}  // namespace duet
