// The classic text-protocol verbs: get/gets/gat/gats, set/add/replace/
// append/prepend/cas, incr/decr, touch, delete, stats.

#include "protocol/memcache_reply.h"
#include "server/memcache/handler.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/memcache_ops.h"

namespace duet {
namespace {

McStoreMode ModeOf(McCommand cmd) {
  switch (cmd) {
    case McCommand::kAdd:
      return McStoreMode::kAdd;
    case McCommand::kReplace:
      return McStoreMode::kReplace;
    case McCommand::kAppend:
      return McStoreMode::kAppend;
    case McCommand::kPrepend:
      return McStoreMode::kPrepend;
    default:
      return McStoreMode::kSet;
  }
}

}  // namespace

void McHandler::Retrieve(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  bool with_cas = req.command == McCommand::kGets || req.command == McCommand::kGats;
  bool touch = req.command == McCommand::kGat || req.command == McCommand::kGats;
  int64_t expire = touch ? McExpireAt(req.exptime, now) : 0;
  for (std::string_view key : req.keys) {
    ++stats_.cmd_get;
    if (touch) ++stats_.cmd_touch;
    Entry* e = Fetch(key, now);
    if (e == nullptr) {
      if (touch) ++stats_.touch_misses;
      continue;
    }
    mcreply::Value(out, key, e->mc_flags, e->str(), with_cas, e->version);
    if (touch) {
      ++stats_.touch_hits;
      McTouch(db(), key, expire, now);
      Written(key);
      Notify(kNotifyGeneric, expire == kMcExpired ? "del" : "expire", key);
    }
  }
  out->Append(mcreply::kEnd);
}

void McHandler::Store(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  ++stats_.cmd_set;
  if (req.too_large) {
    ++stats_.store_too_large;
    // memcached drops the old value of a set it could not store, so a stale
    // value is not served in place of the new one.
    if (req.command == McCommand::kSet &&
        McDelete(db(), req.key, false, 0, now) == McDeleteStatus::kDeleted) {
      Written(req.key);
    }
    if (!req.noreply) mcreply::Line(out, mcreply::kTooLarge);
    return;
  }
  if (!AdmitWrite()) {
    if (!req.noreply) mcreply::Line(out, mcreply::kNoMemory);
    return;
  }
  McStoreArgs args;
  args.mode = ModeOf(req.command);
  args.flags = req.flags;
  args.expire_ms = McExpireAt(req.exptime, now);
  args.check_cas = req.command == McCommand::kCas;
  args.cas = req.cas;
  args.max_len = static_cast<size_t>(max_item_size());
  McStoreResult r = McStore(db(), req.key, req.data, args, now);
  if (args.check_cas) {
    if (r.status == McStoreStatus::kStored) ++stats_.cas_hits;
    if (r.status == McStoreStatus::kExists) ++stats_.cas_badval;
    if (r.status == McStoreStatus::kNotFound) ++stats_.cas_misses;
  }
  if (r.status == McStoreStatus::kStored) {
    ++stats_.total_items;
    Written(req.key);
    NotifyStore(static_cast<int>(args.mode), req.key, r.entry);
  }
  if (req.noreply) return;
  switch (r.status) {
    case McStoreStatus::kStored:
      out->Append(mcreply::kStored);
      break;
    case McStoreStatus::kNotStored:
      out->Append(mcreply::kNotStored);
      break;
    case McStoreStatus::kExists:
      out->Append(mcreply::kExists);
      break;
    case McStoreStatus::kNotFound:
      out->Append(mcreply::kNotFound);
      break;
  }
}

void McHandler::Arithmetic(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  if (!AdmitWrite()) {
    if (!req.noreply) mcreply::Line(out, mcreply::kNoMemory);
    return;
  }
  McDeltaArgs args;
  args.incr = req.command == McCommand::kIncr;
  args.delta = req.delta;
  McDeltaResult r = McDelta(db(), req.key, args, now);
  switch (r.status) {
    case McDeltaStatus::kOk:
      ++(args.incr ? stats_.incr_hits : stats_.decr_hits);
      Written(req.key);
      Notify(kNotifyString, args.incr ? "incrby" : "decrby", req.key);
      if (!req.noreply) mcreply::Number(out, r.value);
      return;
    case McDeltaStatus::kNotFound:
    case McDeltaStatus::kExists:
      ++(args.incr ? stats_.incr_misses : stats_.decr_misses);
      if (!req.noreply) out->Append(mcreply::kNotFound);
      return;
    case McDeltaStatus::kNonNumeric:
      if (!req.noreply) mcreply::Line(out, mcreply::kNonNumeric);
      return;
  }
}

void McHandler::Touch(Client& client, const McRequest& req, int64_t now) {
  ++stats_.cmd_touch;
  int64_t expire = McExpireAt(req.exptime, now);
  bool found = McTouch(db(), req.key, expire, now);
  if (found) {
    ++stats_.touch_hits;
    Written(req.key);
    Notify(kNotifyGeneric, expire == kMcExpired ? "del" : "expire", req.key);
  } else {
    ++stats_.touch_misses;
  }
  if (!req.noreply) client.replies.Append(found ? mcreply::kTouched : mcreply::kNotFound);
}

void McHandler::Delete(Client& client, const McRequest& req, int64_t now) {
  bool deleted = McDelete(db(), req.key, false, 0, now) == McDeleteStatus::kDeleted;
  if (deleted) {
    ++stats_.delete_hits;
    Written(req.key);
    Notify(kNotifyGeneric, "del", req.key);
  } else {
    ++stats_.delete_misses;
  }
  if (!req.noreply) client.replies.Append(deleted ? mcreply::kDeleted : mcreply::kNotFound);
}

void McHandler::Stats(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  std::string_view group = req.args.empty() ? std::string_view() : req.args[0];
  if (group == "reset") {
    ResetStats();
    out->Append(mcreply::kReset);
    return;
  }
  if (group == "detail") {
    mcreply::Line(out, "CLIENT_ERROR usage: stats detail on|off|dump");
    return;
  }
  bool known = EmitStats(group, now, [out](std::string_view name, std::string_view value) {
    mcreply::Stat(out, name, value);
  });
  out->Append(known ? mcreply::kEnd : mcreply::kError);
}

}  // namespace duet
