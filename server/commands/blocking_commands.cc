// Blocking commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP (lists),
// BZPOPMIN BZPOPMAX BZMPOP (sorted sets), and CLIENT UNBLOCK.
//
// Each handler first does what its non-blocking form would do when there is
// data (and replies the same errors); otherwise it hands the client to the
// BlockingManager (server/blocking.h) with a ServeFn below that finishes the
// command once a key receives data. A ServeFn declines (returns false) when
// the key holds no data of its type, so the client keeps waiting, as Redis
// 7.0 does when a waited-on key is deleted or changes type.

#include <string>

#include "persistence/aof_record.h"
#include "server/blocking.h"
#include "server/commands/arg_parser.h"
#include "server/commands/mpop_args.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/list_ops.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

const CollectionLimits& Limits(Server& s) { return s.config().collections; }

// Keyspace event names of the list ends.
std::string_view PushEvent(uint8_t end) {
  return static_cast<ListEnd>(end) == ListEnd::kHead ? "lpush" : "rpush";
}
std::string_view PopEvent(uint8_t end) {
  return static_cast<ListEnd>(end) == ListEnd::kHead ? "lpop" : "rpop";
}

// ---- Lists ----

// [key, element] from one end of the list at key (BLPOP / BRPOP).
OpResult<size_t> PopOneWithKey(ReplyBuilder& rb, Database& db, std::string_view key, ListEnd end,
                               int64_t now_ms) {
  return ListPop(
      db, key, end, 1, [](size_t) {},
      [&](std::string_view v) {
        rb.ArrayHeader(2);
        rb.Bulk(key);
        rb.Bulk(v);
      },
      now_ms);
}

// A blocking pop is logged as its non-blocking form (LPOP, RPOP, LMOVE,
// ZPOPMIN, ZPOPMAX), whether it was served at once or after waiting.
void LogPop(Server& server, int db, std::string_view cmd, std::string_view key, int64_t count) {
  if (!server.propagation_active()) return;
  if (count < 0) return server.Propagate(db, {cmd, key});
  AofInt n(count);
  server.Propagate(db, {cmd, key, n.view()});
}
std::string_view ListPopName(ListEnd end) { return end == ListEnd::kHead ? "LPOP" : "RPOP"; }
std::string_view EndName(ListEnd end) { return end == ListEnd::kHead ? "LEFT" : "RIGHT"; }
void LogMove(Server& server, int db, std::string_view src, std::string_view dst, ListEnd from,
             ListEnd to) {
  server.Propagate(db, {"LMOVE", src, dst, EndName(from), EndName(to)});
}

bool ServeListPop(ServeContext& s) {
  auto res = PopOneWithKey(s.client.rb, s.db, s.key, static_cast<ListEnd>(s.params.from), s.now_ms);
  if (!res.ok()) return false;
  s.server.stats().dirty += *res;
  LogPop(s.server, s.db.index(), ListPopName(static_cast<ListEnd>(s.params.from)), s.key, -1);
  NotifyRemoval(s.server, kNotifyList, PopEvent(s.params.from), s.key, s.db.index());
  return true;
}

bool ServeListMPop(ServeContext& s) {
  auto res = PopListWithKey(s.client.rb, s.db, s.key, static_cast<ListEnd>(s.params.from),
                            static_cast<size_t>(s.params.count), s.now_ms);
  if (!res.ok()) return false;
  s.server.stats().dirty += *res;
  LogPop(s.server, s.db.index(), ListPopName(static_cast<ListEnd>(s.params.from)), s.key,
         s.params.count);
  NotifyRemoval(s.server, kNotifyList, PopEvent(s.params.from), s.key, s.db.index());
  return true;
}

bool ServeListMove(ServeContext& s) {
  if (ListCheck(s.db, s.key, s.now_ms) != OpStatus::kOk) return false;
  ReplyBuilder& rb = s.client.rb;
  OpStatus st = ListMove(
      s.db, s.key, s.params.target, static_cast<ListEnd>(s.params.from),
      static_cast<ListEnd>(s.params.to), Limits(s.server), [&](std::string_view v) { rb.Bulk(v); },
      s.now_ms);
  if (st == OpStatus::kWrongType) {
    // The source is a list, so the destination is not: the wait ends with
    // the error and the element stays where it was.
    rb.Error(errors::kWrongType);
    return true;
  }
  if (st != OpStatus::kOk) return false;
  ++s.server.stats().dirty;
  LogMove(s.server, s.db.index(), s.key, s.params.target, static_cast<ListEnd>(s.params.from),
          static_cast<ListEnd>(s.params.to));
  NotifyKeyspaceEvent(s.server, kNotifyList, PushEvent(s.params.to), s.params.target, s.db.index());
  NotifyRemoval(s.server, kNotifyList, PopEvent(s.params.from), s.key, s.db.index());
  return true;
}

// BLPOP / BRPOP key [key ...] timeout
void BlockingPop(CommandContext& ctx, ListEnd end) {
  int64_t deadline;
  if (!ParseBlockTimeout(ctx.rb, ctx.args.back(), ctx.now_ms, &deadline)) return;
  const std::string_view* keys = ctx.args.data() + 1;
  size_t n = ctx.argc() - 2;
  Database& db = ctx.db();
  auto first = ListFirstNonEmpty(db, keys, n, ctx.now_ms);
  if (first.ok()) {
    PopOneWithKey(ctx.rb, db, keys[*first], end, ctx.now_ms);
    ctx.AddDirty();
    ctx.PropagateNone();
    LogPop(ctx.server, ctx.client.db, ListPopName(end), keys[*first], -1);
    return NotifyRemoval(ctx, kNotifyList, PopEvent(static_cast<uint8_t>(end)), keys[*first]);
  }
  if (first.status() != OpStatus::kKeyNotFound) return ReplyOpError(ctx.rb, first.status());
  if (ctx.client.deny_blocking) return ctx.rb.NullArray();
  BlockParams p;
  p.from = static_cast<uint8_t>(end);
  ctx.server.blocking().Block(ctx, keys, n, deadline, ServeListPop, std::move(p));
}
void CmdBLPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kHead); }
void CmdBRPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kTail); }

// BLMOVE / BRPOPLPUSH: args[1] source, args[2] destination.
void BlockingMove(CommandContext& ctx, ListEnd from, ListEnd to, std::string_view timeout) {
  int64_t deadline;
  if (!ParseBlockTimeout(ctx.rb, timeout, ctx.now_ms, &deadline)) return;
  Database& db = ctx.db();
  OpStatus st = ListCheck(db, ctx.args[1], ctx.now_ms);
  if (st == OpStatus::kOk) {
    ReplyBuilder& rb = ctx.rb;
    st = ListMove(
        db, ctx.args[1], ctx.args[2], from, to, Limits(ctx.server),
        [&](std::string_view v) { rb.Bulk(v); }, ctx.now_ms);
    if (st != OpStatus::kOk) return ReplyOpError(rb, st);
    ctx.AddDirty();
    ctx.PropagateNone();
    LogMove(ctx.server, ctx.client.db, ctx.args[1], ctx.args[2], from, to);
    Notify(ctx, kNotifyList, PushEvent(static_cast<uint8_t>(to)), ctx.args[2]);
    return NotifyRemoval(ctx, kNotifyList, PopEvent(static_cast<uint8_t>(from)), ctx.args[1]);
  }
  if (st != OpStatus::kKeyNotFound) return ReplyOpError(ctx.rb, st);
  // The destination is only checked once there is something to move.
  if (ctx.client.deny_blocking) return ctx.rb.Null();
  BlockParams p;
  p.target.assign(ctx.args[2]);
  p.from = static_cast<uint8_t>(from);
  p.to = static_cast<uint8_t>(to);
  ctx.server.blocking().Block(ctx, &ctx.args[1], 1, deadline, ServeListMove, std::move(p));
}

void CmdBLMove(CommandContext& ctx) {
  ListEnd from, to;
  if (!ParseListEnd(ctx, ctx.args[3], &from) || !ParseListEnd(ctx, ctx.args[4], &to)) return;
  BlockingMove(ctx, from, to, ctx.args[5]);
}

void CmdBRPopLPush(CommandContext& ctx) {
  BlockingMove(ctx, ListEnd::kTail, ListEnd::kHead, ctx.args[3]);
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
void CmdBLMPop(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "LEFT", "RIGHT", &a)) return;
  int64_t deadline;
  if (!ParseBlockTimeout(ctx.rb, ctx.args[1], ctx.now_ms, &deadline)) return;
  ListEnd end = a.high ? ListEnd::kTail : ListEnd::kHead;
  const std::string_view* keys = ctx.args.data() + a.first_key;
  Database& db = ctx.db();
  auto first = ListFirstNonEmpty(db, keys, a.numkeys, ctx.now_ms);
  if (first.ok()) {
    auto res =
        PopListWithKey(ctx.rb, db, keys[*first], end, static_cast<size_t>(a.count), ctx.now_ms);
    ctx.AddDirty(static_cast<int64_t>(*res));
    ctx.PropagateNone();
    LogPop(ctx.server, ctx.client.db, ListPopName(end), keys[*first], a.count);
    return NotifyRemoval(ctx, kNotifyList, PopEvent(static_cast<uint8_t>(end)), keys[*first]);
  }
  if (first.status() != OpStatus::kKeyNotFound) return ReplyOpError(ctx.rb, first.status());
  if (ctx.client.deny_blocking) return ctx.rb.NullArray();
  BlockParams p;
  p.from = static_cast<uint8_t>(end);
  p.count = a.count;
  ctx.server.blocking().Block(ctx, keys, a.numkeys, deadline, ServeListMPop, std::move(p));
}

// ---- Sorted sets (only what the blocking pops need) ----

// The first of `keys` holding a non-empty sorted set; kWrongType when a key
// of another type comes first; kKeyNotFound when none.
OpResult<size_t> ZSetFirstNonEmpty(Database& db, const std::string_view* keys, size_t n,
                                   int64_t now_ms) {
  for (size_t i = 0; i < n; ++i) {
    Entry* e = db.Find(keys[i], now_ms);
    if (e == nullptr) continue;
    if (e->type != ValueType::kZSet) return OpStatus::kWrongType;
    if (e->object<ZSetValue>()->Size() > 0) return i;
  }
  return OpStatus::kKeyNotFound;
}

// Pops up to `count` members from the low (or high) end of the sorted set at
// key and replies like BZPOPMIN ([key, member, score]) or, when `nested`, like
// BZMPOP ([key, [[member, score], ...]]). Deletes the key when emptied.
// Returns how many were popped; 0 (and no reply) when there is no non-empty
// sorted set at key.
uint64_t PopZSetWithKey(ReplyBuilder& rb, Database& db, std::string_view key, bool from_max,
                        bool nested, uint64_t count, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr || e->type != ValueType::kZSet) return 0;
  ZSetValue* z = e->object<ZSetValue>();
  uint64_t size = z->Size();
  uint64_t n = count < size ? count : size;
  if (n == 0) return 0;
  if (nested) {
    rb.ArrayHeader(2);
    rb.Bulk(key);
    rb.ArrayHeader(n);
  } else {
    rb.ArrayHeader(n * 2 + 1);
    rb.Bulk(key);
  }
  z->Pop(n, from_max, [&](std::string_view member, double score) {
    if (nested) rb.ArrayHeader(2);
    rb.Bulk(member);
    rb.Double(score);
  });
  if (z->Size() == 0) {
    db.Delete(key);
  } else {
    db.Touch(e);
    db.PackValue(e);
  }
  return n;
}

bool ServeZPop(ServeContext& s, bool nested) {
  uint64_t n = PopZSetWithKey(s.client.rb, s.db, s.key, s.params.from != 0, nested,
                              static_cast<uint64_t>(s.params.count), s.now_ms);
  s.server.stats().dirty += n;
  if (n > 0) {
    LogPop(s.server, s.db.index(), s.params.from != 0 ? "ZPOPMAX" : "ZPOPMIN", s.key,
           nested ? s.params.count : -1);
    NotifyRemoval(s.server, kNotifyZset, s.params.from != 0 ? "zpopmax" : "zpopmin", s.key,
                  s.db.index());
  }
  return n > 0;
}
bool ServeZPopOne(ServeContext& s) { return ServeZPop(s, /*nested=*/false); }
bool ServeZMPop(ServeContext& s) { return ServeZPop(s, /*nested=*/true); }

void BlockingZPop(CommandContext& ctx, const std::string_view* keys, size_t n, bool from_max,
                  int64_t count, bool nested, int64_t deadline) {
  Database& db = ctx.db();
  auto first = ZSetFirstNonEmpty(db, keys, n, ctx.now_ms);
  if (first.ok()) {
    uint64_t popped = PopZSetWithKey(ctx.rb, db, keys[*first], from_max, nested,
                                     static_cast<uint64_t>(count), ctx.now_ms);
    ctx.AddDirty(static_cast<int64_t>(popped));
    ctx.PropagateNone();
    LogPop(ctx.server, ctx.client.db, from_max ? "ZPOPMAX" : "ZPOPMIN", keys[*first],
           nested ? count : -1);
    return NotifyRemoval(ctx, kNotifyZset, from_max ? "zpopmax" : "zpopmin", keys[*first]);
  }
  if (first.status() != OpStatus::kKeyNotFound) return ReplyOpError(ctx.rb, first.status());
  if (ctx.client.deny_blocking) return ctx.rb.NullArray();
  BlockParams p;
  p.from = from_max ? 1 : 0;
  p.count = count;
  ctx.server.blocking().Block(ctx, keys, n, deadline, nested ? ServeZMPop : ServeZPopOne,
                              std::move(p));
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout
void BZPop(CommandContext& ctx, bool from_max) {
  int64_t deadline;
  if (!ParseBlockTimeout(ctx.rb, ctx.args.back(), ctx.now_ms, &deadline)) return;
  BlockingZPop(ctx, ctx.args.data() + 1, ctx.argc() - 2, from_max, 1, /*nested=*/false, deadline);
}
void CmdBZPopMin(CommandContext& ctx) { BZPop(ctx, false); }
void CmdBZPopMax(CommandContext& ctx) { BZPop(ctx, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void CmdBZMPop(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "MIN", "MAX", &a)) return;
  int64_t deadline;
  if (!ParseBlockTimeout(ctx.rb, ctx.args[1], ctx.now_ms, &deadline)) return;
  BlockingZPop(ctx, ctx.args.data() + a.first_key, a.numkeys, a.high, a.count, /*nested=*/true,
               deadline);
}

// ---- CLIENT UNBLOCK client-id [TIMEOUT|ERROR] ----

void CmdClientUnblock(CommandContext& ctx) {
  if (ctx.argc() > 4) {
    std::string container(ctx.args[0]);
    for (char& c : container) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return ctx.rb.Error("ERR unknown subcommand or wrong number of arguments for '" +
                        std::string(ctx.args[1].substr(0, 128)) + "'. Try " + container + " HELP.");
  }
  bool with_error = false;
  if (ctx.argc() == 4) {
    if (ArgParser::EqualsIgnoreCase(ctx.args[3], "ERROR")) {
      with_error = true;
    } else if (!ArgParser::EqualsIgnoreCase(ctx.args[3], "TIMEOUT")) {
      return ctx.rb.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  int64_t id;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &id)) return;
  Client* target = id > 0 ? ctx.server.FindClient(static_cast<uint64_t>(id)) : nullptr;
  bool done = target != nullptr && ctx.server.blocking().Unblock(*target, with_error);
  ctx.rb.Integer(done ? 1 : 0);
}

}  // namespace

void RegisterBlockingCommands(CommandTable& t) {
  t.Bind("BLPOP", CmdBLPop);
  t.Bind("BRPOP", CmdBRPop);
  t.Bind("BLMOVE", CmdBLMove);
  t.Bind("BRPOPLPUSH", CmdBRPopLPush);
  t.Bind("BLMPOP", CmdBLMPop);
  t.Bind("BZPOPMIN", CmdBZPopMin);
  t.Bind("BZPOPMAX", CmdBZPopMax);
  t.Bind("BZMPOP", CmdBZMPop);
  t.Bind("CLIENT|UNBLOCK", CmdClientUnblock);
}

}  // namespace duet
