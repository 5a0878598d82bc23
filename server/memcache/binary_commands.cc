// The binary protocol: one response packet per request, echoing the request's
// opcode and opaque. Expiration times are unsigned 32-bit (relative up to 30
// days, else absolute), so there is no "expired at once" value. Quiet opcodes (the ...Q forms) send
// nothing on success (get: nothing on a miss); errors are always sent. A request whose lengths do
// not fit its opcode is a protocol error: "Invalid arguments", then the connection closes, as in
// memcached.

#include "protocol/memcache_reply.h"
#include "server/memcache/handler.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/memcache_ops.h"

namespace duet {
namespace {

// The opcode a quiet opcode is the silent form of (itself otherwise).
uint8_t LoudForm(uint8_t op, bool* quiet) {
  *quiet = true;
  switch (op) {
    case mcbin::kGetQ:
      return mcbin::kGet;
    case mcbin::kGetKQ:
      return mcbin::kGetK;
    case mcbin::kSetQ:
      return mcbin::kSet;
    case mcbin::kAddQ:
      return mcbin::kAdd;
    case mcbin::kReplaceQ:
      return mcbin::kReplace;
    case mcbin::kDeleteQ:
      return mcbin::kDelete;
    case mcbin::kIncrementQ:
      return mcbin::kIncrement;
    case mcbin::kDecrementQ:
      return mcbin::kDecrement;
    case mcbin::kQuitQ:
      return mcbin::kQuit;
    case mcbin::kFlushQ:
      return mcbin::kFlush;
    case mcbin::kAppendQ:
      return mcbin::kAppend;
    case mcbin::kPrependQ:
      return mcbin::kPrepend;
    case mcbin::kGatQ:
      return mcbin::kGat;
    case mcbin::kGatKQ:
      return mcbin::kGatK;
    default:
      *quiet = false;
      return op;
  }
}

}  // namespace

void McHandler::RunBinary(Client& client, const McBinaryRequest& req) {
  int64_t now = BeginRequest(client);
  ReplyBuffer* out = &client.replies;
  bool quiet;
  const uint8_t op = LoudForm(req.opcode, &quiet);
  const size_t ext = req.extras.size(), keylen = req.key.size(), vlen = req.value.size();
  auto error = [&](uint16_t status) { McBinaryWriteError(out, req.opcode, status, req.opaque); };
  auto ok = [&](uint64_t cas) {
    if (!quiet) McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque, cas, {}, {}, {});
  };
  auto protocol_error = [&] {
    error(mcbin::kInvalidArguments);
    client.close_after_reply = true;
  };
  if (req.malformed) {
    // Lengths that do not add up: memcached answers "Unknown command" and closes.
    error(mcbin::kUnknownCommand);
    client.close_after_reply = true;
    return;
  }
  if (keylen > McParser::kMaxKeyLength) return protocol_error();

  switch (op) {
    case mcbin::kGet:
    case mcbin::kGetK:
    case mcbin::kGat:
    case mcbin::kGatK:
    case mcbin::kTouch: {
      bool touch = op == mcbin::kGat || op == mcbin::kGatK || op == mcbin::kTouch;
      if (keylen == 0 || ext != (touch ? 4u : 0u) || vlen != 0) return protocol_error();
      int64_t expire =
          touch ? McExpireAt(static_cast<int64_t>(McLoad32(req.extras.data())), now) : 0;
      if (op != mcbin::kTouch) ++stats_.cmd_get;
      if (touch) ++stats_.cmd_touch;
      Entry* e = Fetch(req.key, now);
      if (e == nullptr) {
        if (touch) ++stats_.touch_misses;
        if (quiet) return;
        if (op == mcbin::kGetK || op == mcbin::kGatK) {
          McBinaryWrite(out, req.opcode, mcbin::kKeyNotFound, req.opaque, 0, {}, req.key, {});
        } else {
          error(mcbin::kKeyNotFound);
        }
        return;
      }
      char flags[4];
      McStore32(flags, e->mc_flags);
      bool with_key = op == mcbin::kGetK || op == mcbin::kGatK;
      std::string_view value = op == mcbin::kTouch ? std::string_view() : e->str();
      McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque, e->version,
                    std::string_view(flags, 4), with_key ? req.key : std::string_view(), value);
      if (touch) {
        ++stats_.touch_hits;
        McTouch(db(), req.key, expire, now);
        Written(req.key);
        Notify(kNotifyGeneric, expire == kMcExpired ? "del" : "expire", req.key);
      }
      return;
    }
    case mcbin::kSet:
    case mcbin::kAdd:
    case mcbin::kReplace:
    case mcbin::kAppend:
    case mcbin::kPrepend: {
      bool concat = op == mcbin::kAppend || op == mcbin::kPrepend;
      if (keylen == 0 || ext != (concat ? 0u : 8u)) return protocol_error();
      ++stats_.cmd_set;
      if (req.too_large) {
        ++stats_.store_too_large;
        if (op == mcbin::kSet) McDelete(db(), req.key, false, 0, now);
        return error(mcbin::kValueTooLarge);
      }
      if (!AdmitWrite()) return error(mcbin::kOutOfMemory);
      McStoreArgs args;
      args.mode = op == mcbin::kSet       ? McStoreMode::kSet
                  : op == mcbin::kAdd     ? McStoreMode::kAdd
                  : op == mcbin::kReplace ? McStoreMode::kReplace
                  : op == mcbin::kAppend  ? McStoreMode::kAppend
                                          : McStoreMode::kPrepend;
      if (!concat) {
        args.flags = McLoad32(req.extras.data());
        args.expire_ms = McExpireAt(static_cast<int64_t>(McLoad32(req.extras.data() + 4)), now);
      }
      args.check_cas = req.cas != 0;
      args.cas = req.cas;
      args.max_len = static_cast<size_t>(max_item_size());
      McStoreResult r = McStore(db(), req.key, req.value, args, now);
      switch (r.status) {
        case McStoreStatus::kStored:
          ++stats_.total_items;
          if (args.check_cas) ++stats_.cas_hits;
          Written(req.key);
          NotifyStore(static_cast<int>(args.mode), req.key, r.entry);
          return ok(r.entry != nullptr ? r.entry->version : 0);
        case McStoreStatus::kExists:
          ++stats_.cas_badval;
          return error(mcbin::kKeyExists);
        case McStoreStatus::kNotFound:
          ++stats_.cas_misses;
          return error(mcbin::kKeyNotFound);
        case McStoreStatus::kNotStored:
          // memcached names the reason: add found a key, replace did not.
          return error(op == mcbin::kAdd       ? mcbin::kKeyExists
                       : op == mcbin::kReplace ? mcbin::kKeyNotFound
                                               : mcbin::kNotStored);
      }
      return;
    }
    case mcbin::kDelete: {
      if (keylen == 0 || ext != 0 || vlen != 0) return protocol_error();
      switch (McDelete(db(), req.key, req.cas != 0, req.cas, now)) {
        case McDeleteStatus::kDeleted:
          ++stats_.delete_hits;
          Written(req.key);
          Notify(kNotifyGeneric, "del", req.key);
          return ok(0);
        case McDeleteStatus::kNotFound:
          ++stats_.delete_misses;
          return error(mcbin::kKeyNotFound);
        case McDeleteStatus::kExists:
          return error(mcbin::kKeyExists);
      }
      return;
    }
    case mcbin::kIncrement:
    case mcbin::kDecrement: {
      if (keylen == 0 || ext != 20 || vlen != 0) return protocol_error();
      if (!AdmitWrite()) return error(mcbin::kOutOfMemory);
      const char* x = req.extras.data();
      McDeltaArgs args;
      args.incr = op == mcbin::kIncrement;
      args.delta = McLoad64(x);
      args.initial = McLoad64(x + 8);
      uint32_t exptime = McLoad32(x + 16);
      // An expiration of all ones means "do not create".
      args.create = exptime != 0xffffffffu;
      args.create_expire_ms = McExpireAt(static_cast<int64_t>(exptime), now);
      args.check_cas = req.cas != 0;
      args.cas = req.cas;
      McDeltaResult r = McDelta(db(), req.key, args, now);
      switch (r.status) {
        case McDeltaStatus::kOk: {
          ++(args.incr ? stats_.incr_hits : stats_.decr_hits);
          Written(req.key);
          Notify(kNotifyString, args.incr ? "incrby" : "decrby", req.key);
          if (quiet) return;
          char body[8];
          McStore64(body, r.value);
          McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque,
                        r.entry != nullptr ? r.entry->version : 0, {}, {},
                        std::string_view(body, 8));
          return;
        }
        case McDeltaStatus::kNotFound:
          ++(args.incr ? stats_.incr_misses : stats_.decr_misses);
          return error(mcbin::kKeyNotFound);
        case McDeltaStatus::kExists:
          return error(mcbin::kKeyExists);
        case McDeltaStatus::kNonNumeric:
          return error(mcbin::kNonNumeric);
      }
      return;
    }
    case mcbin::kQuit:
      if (keylen != 0 || ext != 0 || vlen != 0) return protocol_error();
      ok(0);
      client.close_after_reply = true;
      return;
    case mcbin::kFlush: {
      if (keylen != 0 || vlen != 0 || (ext != 0 && ext != 4)) return protocol_error();
      int64_t delay = ext == 4 ? static_cast<int64_t>(McLoad32(req.extras.data())) : 0;
      FlushAll(delay, now);
      return ok(0);
    }
    case mcbin::kNoop:
      if (keylen != 0 || ext != 0 || vlen != 0) return protocol_error();
      return ok(0);
    case mcbin::kVersion:
      if (keylen != 0 || ext != 0 || vlen != 0) return protocol_error();
      McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque, 0, {}, {}, kVersion);
      return;
    case mcbin::kStat: {
      if (ext != 0) return protocol_error();
      if (req.key == "reset") {
        ResetStats();
      } else {
        bool known = EmitStats(req.key, now, [&](std::string_view name, std::string_view value) {
          McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque, 0, {}, name, value);
        });
        if (!known) return error(mcbin::kKeyNotFound);
      }
      McBinaryWrite(out, req.opcode, mcbin::kSuccess, req.opaque, 0, {}, {}, {});
      return;
    }
    case mcbin::kSaslListMechs:
      // No SASL: the opcodes are unknown, once their lengths are checked.
      if (keylen != 0 || ext != 0 || vlen != 0) return protocol_error();
      return error(mcbin::kUnknownCommand);
    case mcbin::kSaslAuth:
    case mcbin::kSaslStep:
      if (keylen == 0) return protocol_error();
      return error(mcbin::kUnknownCommand);
    default:
      return error(mcbin::kUnknownCommand);
  }
}

}  // namespace duet
