// The meta commands: mg, ms, md, ma, me (mn is answered by RunText).
//
// Replies start with a two-letter code (VA with a value, HD, EN miss, NF not
// found, NS not stored, EX CAS mismatch), then the tokens the flags asked
// for, in the order the flags were given. q hides the uninteresting replies:
// EN for mg, HD for ms, md and ma. Invalidation and recache state (X, W, Z)
// lives in Entry::mc_meta.

#include "protocol/memcache_reply.h"
#include "server/memcache/handler.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/eviction.h"
#include "storage/memcache_ops.h"
#include "utils/strconv.h"

namespace duet {
namespace {

// Remaining TTL in whole seconds, rounded up (-1 = never expires).
int64_t TtlSeconds(const Entry* e, int64_t now) {
  if (e->expire_ms == 0) return -1;
  int64_t left = e->expire_ms - now;
  return left <= 0 ? 0 : (left + 999) / 1000;
}

// Seconds since the last access, from the keyspace's access clock (the same
// stamp OBJECT IDLETIME reads).
int64_t IdleSeconds(Server& server, const Entry* e) {
  return EntryIdleMs(*e, server.keyspace().access_clock()) / 1000;
}

// The k, O and b tokens every meta reply echoes.
bool EchoKeyOpaque(mcreply::MetaLine& line, const McRequest& req, char c) {
  switch (c) {
    case 'k':
      line.Flag('k', req.key_token);
      if (req.meta.has('b')) line.Flag('b');
      return true;
    case 'O':
      line.Flag('O', req.meta.opaque);
      return true;
    default:
      return false;
  }
}

// A reply line with only the echoed k/O tokens.
void Simple(ReplyBuffer* out, std::string_view code, const McRequest& req) {
  mcreply::MetaLine line(out, code);
  for (uint8_t i = 0; i < req.meta.order_len; ++i) EchoKeyOpaque(line, req, req.meta.order[i]);
  line.Finish();
}

}  // namespace

void McHandler::MetaGet(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  const McMetaFlags& m = req.meta;
  ++stats_.cmd_get;
  bool win = false;
  uint8_t before = 0;
  int64_t idle = 0;
  if (m.has('l')) {
    Entry* peek = McPeek(db(), req.key, now);
    if (peek != nullptr) idle = IdleSeconds(server_, peek);
  }
  Entry* e = Fetch(req.key, now, &before);
  if (e == nullptr) {
    if (!m.has('N')) {
      if (!m.has('q')) Simple(out, "EN", req);
      return;
    }
    // Vivify: an empty placeholder item; this client wins the right to fill it.
    if (!AdmitWrite()) return mcreply::Line(out, mcreply::kNoMemory);
    McStoreArgs args;
    args.mode = McStoreMode::kAdd;
    args.expire_ms = McExpireAt(m.vivify_ttl, now);
    e = McStore(db(), req.key, {}, args, now).entry;
    if (e == nullptr) {
      if (!m.has('q')) Simple(out, "EN", req);
      return;
    }
    Written(req.key);
    NotifyStore(static_cast<int>(McStoreMode::kSet), req.key, e);
    win = true;
    before = 0;
  } else {
    if (m.has('T')) {
      ++stats_.cmd_touch;
      ++stats_.touch_hits;
      int64_t expire = McExpireAt(m.ttl, now);
      McTouch(db(), req.key, expire, now);
      Written(req.key);
      Notify(kNotifyGeneric, expire == kMcExpired ? "del" : "expire", req.key);
      e = McLookup(db(), req.key, now);
      if (e == nullptr) {
        if (!m.has('q')) Simple(out, "EN", req);
        return;
      }
    }
    if (m.has('R') && e->expire_ms != 0 && TtlSeconds(e, now) < m.recache_ttl &&
        !(before & kMcWinSent)) {
      win = true;
    }
  }
  e->mc_meta |= kMcFetched;

  std::string_view value = e->str();
  mcreply::MetaLine line(out, m.has('v') ? "VA " : "HD");
  if (m.has('v')) line.Number(value.size());
  for (uint8_t i = 0; i < m.order_len; ++i) {
    char c = m.order[i];
    if (EchoKeyOpaque(line, req, c)) continue;
    switch (c) {
      case 'c':
        line.FlagU('c', e->version);
        break;
      case 'f':
        line.FlagU('f', e->mc_flags);
        break;
      case 'h':
        line.Flag('h', static_cast<int64_t>((before & kMcFetched) ? 1 : 0));
        break;
      case 'l':
        line.Flag('l', idle);
        break;
      case 's':
        line.FlagU('s', value.size());
        break;
      case 't':
        line.Flag('t', TtlSeconds(e, now));
        break;
      default:
        break;
    }
  }
  if (before & kMcWinSent) line.Flag('Z');
  if (before & kMcStale) {
    line.Flag('X');
    if (!(before & kMcWinSent)) win = true;
  }
  if (win) {
    line.Flag('W');
    e->mc_meta |= kMcWinSent;
  }
  line.Finish();
  if (m.has('v')) {
    out->Append(value);
    out->Append("\r\n", 2);
  }
}

void McHandler::MetaSet(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  const McMetaFlags& m = req.meta;
  ++stats_.cmd_set;
  if (!AdmitWrite()) return mcreply::Line(out, mcreply::kNoMemory);
  McStoreArgs args;
  switch (m.mode) {
    case 'E':
      args.mode = McStoreMode::kAdd;
      break;
    case 'A':
      args.mode = McStoreMode::kAppend;
      break;
    case 'P':
      args.mode = McStoreMode::kPrepend;
      break;
    case 'R':
      args.mode = McStoreMode::kReplace;
      break;
    default:
      args.mode = McStoreMode::kSet;
      break;
  }
  args.flags = m.client_flags;
  args.expire_ms = m.has('T') ? McExpireAt(m.ttl, now) : 0;
  args.max_len = static_cast<size_t>(max_item_size());
  bool stale = false;
  uint8_t keep_bits = 0;
  if (m.has('C')) {
    args.check_cas = true;
    args.cas = m.compare_cas;
    // I with an older CAS: the write goes in but the item stays invalid.
    Entry* cur = McLookup(db(), req.key, now);
    if (m.has('I') && cur != nullptr && m.compare_cas < cur->version) {
      args.check_cas = false;
      stale = true;
      keep_bits = cur->mc_meta & kMcWinSent;
    }
  }
  McStoreResult r = McStore(db(), req.key, req.data, args, now);
  if (args.check_cas) {
    if (r.status == McStoreStatus::kStored) ++stats_.cas_hits;
    if (r.status == McStoreStatus::kExists) ++stats_.cas_badval;
    if (r.status == McStoreStatus::kNotFound) ++stats_.cas_misses;
  }
  std::string_view code;
  switch (r.status) {
    case McStoreStatus::kStored:
      code = "HD";
      ++stats_.total_items;
      Written(req.key);
      NotifyStore(static_cast<int>(args.mode), req.key, r.entry);
      if (r.entry != nullptr) {
        if (stale) r.entry->mc_meta |= kMcStale | keep_bits;
        if (m.has('E')) r.entry->version = m.new_cas;
      }
      break;
    case McStoreStatus::kNotStored:
      code = "NS";
      break;
    case McStoreStatus::kExists:
      code = "EX";
      break;
    case McStoreStatus::kNotFound:
      code = "NF";
      break;
  }
  if (m.has('q') && r.status == McStoreStatus::kStored) return;
  mcreply::MetaLine line(out, code);
  for (uint8_t i = 0; i < m.order_len; ++i) {
    char c = m.order[i];
    if (EchoKeyOpaque(line, req, c)) continue;
    if (c == 'c' && r.entry != nullptr) line.FlagU('c', r.entry->version);
  }
  line.Finish();
}

void McHandler::MetaDelete(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  const McMetaFlags& m = req.meta;
  Entry* e = McLookup(db(), req.key, now);
  if (e == nullptr) {
    ++stats_.delete_misses;
    return Simple(out, "NF", req);
  }
  if (m.has('C') && e->version != m.compare_cas) return Simple(out, "EX", req);
  if (m.has('I')) {
    // Invalidate: keep the value, serve it as stale (X) and let the next
    // reader win the right to recache it.
    Database& d = db();
    d.Touch(e);
    if (m.has('E')) e->version = m.new_cas;
    e->mc_meta = static_cast<uint8_t>((e->mc_meta | kMcStale) & ~kMcWinSent);
    if (m.has('T'))
      d.SetExpire(e, McExpireAt(m.ttl, now) == kMcExpired ? now : McExpireAt(m.ttl, now));
  } else {
    db().Delete(req.key);
    Notify(kNotifyGeneric, "del", req.key);
  }
  ++stats_.delete_hits;
  Written(req.key);
  if (!m.has('q')) Simple(out, "HD", req);
}

void McHandler::MetaArithmetic(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  const McMetaFlags& m = req.meta;
  if (!AdmitWrite()) return mcreply::Line(out, mcreply::kNoMemory);
  McDeltaArgs args;
  args.incr = m.mode != '-';
  args.delta = m.delta;
  args.check_cas = m.has('C');
  args.cas = m.compare_cas;
  args.create = m.has('N');
  args.initial = m.initial;
  args.create_expire_ms = McExpireAt(m.vivify_ttl, now);
  McDeltaResult r = McDelta(db(), req.key, args, now);
  switch (r.status) {
    case McDeltaStatus::kNotFound:
      ++(args.incr ? stats_.incr_misses : stats_.decr_misses);
      return Simple(out, "NF", req);
    case McDeltaStatus::kExists:
      return Simple(out, "EX", req);
    case McDeltaStatus::kNonNumeric:
      return mcreply::Line(out, mcreply::kNonNumeric);
    case McDeltaStatus::kOk:
      break;
  }
  ++(args.incr ? stats_.incr_hits : stats_.decr_hits);
  Written(req.key);
  Notify(kNotifyString, args.incr ? "incrby" : "decrby", req.key);
  Entry* e = r.entry;
  if (e != nullptr) {
    if (m.has('T')) {
      db().SetExpire(e, McExpireAt(m.ttl, now) == kMcExpired ? now : McExpireAt(m.ttl, now));
    }
    if (m.has('E')) e->version = m.new_cas;
  }
  if (m.has('q') && !m.has('v')) return;
  char digits[kMaxInt64Chars];
  std::string_view text(digits, FormatUint64(r.value, digits));
  mcreply::MetaLine line(out, m.has('v') ? "VA " : "HD");
  if (m.has('v')) line.Number(text.size());
  for (uint8_t i = 0; i < m.order_len; ++i) {
    char c = m.order[i];
    if (EchoKeyOpaque(line, req, c)) continue;
    if (c == 'c') line.FlagU('c', e != nullptr ? e->version : 0);
    if (c == 't') line.Flag('t', e != nullptr ? TtlSeconds(e, now) : -1);
  }
  line.Finish();
  if (m.has('v')) {
    out->Append(text);
    out->Append("\r\n", 2);
  }
}

void McHandler::MetaDebug(Client& client, const McRequest& req, int64_t now) {
  ReplyBuffer* out = &client.replies;
  Entry* e = McPeek(db(), req.key, now);  // looking is not an access (la= stays)
  if (e == nullptr) {
    out->Append(mcreply::kMetaMiss);
    return;
  }
  std::string text = "ME ";
  text.append(req.key);
  text += " exp=" + std::to_string(TtlSeconds(e, now));
  text += " la=" + std::to_string(IdleSeconds(server_, e));
  text += " cas=" + std::to_string(e->version);
  text += (e->mc_meta & kMcFetched) ? " fetch=yes" : " fetch=no";
  text += " cls=1 size=" + std::to_string(e->MemoryUsage());
  mcreply::Line(out, text);
}

}  // namespace duet
