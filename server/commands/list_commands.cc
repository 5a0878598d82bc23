// List commands (the non-blocking ones; BLPOP & co. are in
// blocking_commands.cc). Reads (LLEN, LRANGE, LINDEX, LPOS) count keyspace
// hits and misses as Redis's read lookups do; writes do not.

#include <limits>
#include <vector>

#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/mpop_args.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/list_ops.h"

namespace duet {
namespace {

void CountLookup(CommandContext& ctx, OpStatus status) {
  CountKeyLookup(ctx, ctx.args[1], status != OpStatus::kKeyNotFound);
}

const CollectionLimits& Limits(CommandContext& ctx) { return ctx.server.config().collections; }

// Keyspace event names of the list ends.
std::string_view PushEvent(ListEnd end) { return end == ListEnd::kHead ? "lpush" : "rpush"; }
std::string_view PopEvent(ListEnd end) { return end == ListEnd::kHead ? "lpop" : "rpop"; }

void Push(CommandContext& ctx, ListEnd end, bool only_existing) {
  size_t n = ctx.argc() - 2;
  auto res = ListPush(ctx.db(), ctx.args[1], ctx.args.data() + 2, n, end, only_existing,
                      Limits(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (*res > 0) {
    ctx.AddDirty(static_cast<int64_t>(n));
    Notify(ctx, kNotifyList, PushEvent(end), ctx.args[1]);
  }
  ctx.rb.Integer(static_cast<int64_t>(*res));
}
void CmdLPush(CommandContext& ctx) { Push(ctx, ListEnd::kHead, false); }
void CmdRPush(CommandContext& ctx) { Push(ctx, ListEnd::kTail, false); }
void CmdLPushX(CommandContext& ctx) { Push(ctx, ListEnd::kHead, true); }
void CmdRPushX(CommandContext& ctx) { Push(ctx, ListEnd::kTail, true); }

void Pop(CommandContext& ctx, ListEnd end) {
  ReplyBuilder& rb = ctx.rb;
  if (ctx.argc() > 3) {
    return rb.Error("ERR wrong number of arguments for '" + ctx.command.full_name + "' command");
  }
  if (ctx.argc() == 2) {
    auto res = ListPop(
        ctx.db(), ctx.args[1], end, 1, [](size_t) {}, [&](std::string_view v) { rb.Bulk(v); },
        ctx.now_ms);
    if (res.status() == OpStatus::kKeyNotFound) return rb.Null();
    if (!res.ok()) return ReplyOpError(rb, res.status());
    ctx.AddDirty();
    return NotifyRemoval(ctx, kNotifyList, PopEvent(end), ctx.args[1]);
  }
  int64_t count;
  if (!ParseInt64(ctx.args[2], &count) || count < 0) return rb.Error(errors::kCountPositive);
  auto res = ListPop(
      ctx.db(), ctx.args[1], end, static_cast<size_t>(count), [&](size_t n) { rb.ArrayHeader(n); },
      [&](std::string_view v) { rb.Bulk(v); }, ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return rb.NullArray();
  if (!res.ok()) return ReplyOpError(rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(*res));
  if (*res > 0) NotifyRemoval(ctx, kNotifyList, PopEvent(end), ctx.args[1]);
}
void CmdLPop(CommandContext& ctx) { Pop(ctx, ListEnd::kHead); }
void CmdRPop(CommandContext& ctx) { Pop(ctx, ListEnd::kTail); }

void CmdLLen(CommandContext& ctx) {
  auto res = ListLength(ctx.db(), ctx.args[1], ctx.now_ms);
  CountLookup(ctx, res.status());
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void CmdLRange(CommandContext& ctx) {
  int64_t start, stop;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &start) || !ParseIntArg(ctx.rb, ctx.args[3], &stop)) return;
  ReplyBuilder& rb = ctx.rb;
  auto res = ListRange(
      ctx.db(), ctx.args[1], start, stop, [&](size_t n) { rb.ArrayHeader(n); },
      [&](std::string_view v) { rb.Bulk(v); }, ctx.now_ms);
  CountLookup(ctx, res.status());
  if (res.status() == OpStatus::kKeyNotFound) return rb.EmptyArray();
  if (!res.ok()) return ReplyOpError(rb, res.status());
}

// LINDEX and LSET look the key up before parsing the index, so a missing or
// wrongly typed key wins over a bad index. Only that error path pays for a
// second lookup.
bool ParseIndexAfterKey(CommandContext& ctx, bool count_lookup, std::string_view missing_error,
                        int64_t* index) {
  if (ParseInt64(ctx.args[2], index)) return true;
  OpStatus st = ListCheck(ctx.db(), ctx.args[1], ctx.now_ms);
  if (count_lookup) CountLookup(ctx, st);
  if (st == OpStatus::kKeyNotFound && missing_error.empty()) {
    ctx.rb.Null();
  } else if (st == OpStatus::kKeyNotFound) {
    ctx.rb.Error(missing_error);
  } else if (st == OpStatus::kWrongType) {
    ctx.rb.Error(errors::kWrongType);
  } else {
    ctx.rb.Error(errors::kNotInteger);
  }
  return false;
}

void CmdLIndex(CommandContext& ctx) {
  int64_t index;
  if (!ParseIndexAfterKey(ctx, /*count_lookup=*/true, "", &index)) return;
  ReplyBuilder& rb = ctx.rb;
  OpStatus st = ListIndex(
      ctx.db(), ctx.args[1], index, [&](std::string_view v) { rb.Bulk(v); }, ctx.now_ms);
  CountLookup(ctx, st);
  if (st == OpStatus::kKeyNotFound || st == OpStatus::kOutOfRange) return rb.Null();
  if (st != OpStatus::kOk) ReplyOpError(rb, st);
}

void CmdLSet(CommandContext& ctx) {
  int64_t index;
  if (!ParseIndexAfterKey(ctx, /*count_lookup=*/false, errors::kNoSuchKey, &index)) return;
  OpStatus st = ListSet(ctx.db(), ctx.args[1], index, ctx.args[3], ctx.now_ms);
  if (st != OpStatus::kOk) return ReplyOpError(ctx.rb, st);
  ctx.AddDirty();
  Notify(ctx, kNotifyList, "lset", ctx.args[1]);
  ctx.rb.Ok();
}

void CmdLInsert(CommandContext& ctx) {
  bool before;
  if (ArgParser::EqualsIgnoreCase(ctx.args[2], "BEFORE")) {
    before = true;
  } else if (ArgParser::EqualsIgnoreCase(ctx.args[2], "AFTER")) {
    before = false;
  } else {
    return ctx.rb.Error(errors::kSyntax);
  }
  auto res = ListInsert(ctx.db(), ctx.args[1], before, ctx.args[3], ctx.args[4], ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (*res > 0) {
    ctx.AddDirty();
    Notify(ctx, kNotifyList, "linsert", ctx.args[1]);
  }
  ctx.rb.Integer(*res);
}

void CmdLRem(CommandContext& ctx) {
  int64_t count;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &count)) return;
  auto res = ListRemove(ctx.db(), ctx.args[1], count, ctx.args[3], ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(*res));
  if (*res > 0) NotifyRemoval(ctx, kNotifyList, "lrem", ctx.args[1]);
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void CmdLTrim(CommandContext& ctx) {
  int64_t start, stop;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &start) || !ParseIntArg(ctx.rb, ctx.args[3], &stop)) return;
  auto res = ListTrim(ctx.db(), ctx.args[1], start, stop, ctx.now_ms);
  if (!res.ok() && res.status() != OpStatus::kKeyNotFound) {
    return ReplyOpError(ctx.rb, res.status());
  }
  if (res.ok()) {
    // Redis counts even a trim that removes nothing as a write (WATCH).
    if (*res == 0) {
      if (Entry* e = ctx.db().Find(ctx.args[1], ctx.now_ms)) ctx.db().Touch(e);
    }
    ctx.AddDirty(static_cast<int64_t>(*res));
    NotifyRemoval(ctx, kNotifyList, "ltrim", ctx.args[1]);  // even when nothing was trimmed
  }
  ctx.rb.Ok();
}

void CmdLPos(CommandContext& ctx) {
  int64_t rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT option
  ArgParser p(ctx.args, 3);
  while (p.HasNext()) {
    bool has_value = p.remaining() >= 2;
    if (has_value && p.Eat("RANK")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &rank)) return;
      if (rank == 0) {
        return ctx.rb.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
      }
    } else if (has_value && p.Eat("COUNT")) {
      if (!ParseInt64(p.Next(), &count) || count < 0) {
        return ctx.rb.Error("ERR COUNT can't be negative");
      }
    } else if (has_value && p.Eat("MAXLEN")) {
      if (!ParseInt64(p.Next(), &maxlen) || maxlen < 0) {
        return ctx.rb.Error("ERR MAXLEN can't be negative");
      }
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  // Redis 7.0 negates RANK -9223372036854775808 into itself, so it acts as
  // "every match from the tail": the first without COUNT, all with COUNT.
  if (rank == std::numeric_limits<int64_t>::min()) {
    rank = -1;
    if (count > 0) count = 0;
  }
  std::vector<int64_t> found;
  auto res = ListPos(
      ctx.db(), ctx.args[1], ctx.args[2], rank, count == -1 ? 1 : count, maxlen,
      [&](int64_t i) { found.push_back(i); }, ctx.now_ms);
  CountLookup(ctx, res.status());
  if (!res.ok() && res.status() != OpStatus::kKeyNotFound) {
    return ReplyOpError(ctx.rb, res.status());
  }
  if (count == -1) {
    if (found.empty()) return ctx.rb.Null();
    return ctx.rb.Integer(found[0]);
  }
  ctx.rb.ArrayHeader(found.size());
  for (int64_t i : found) ctx.rb.Integer(i);
}

void Move(CommandContext& ctx, ListEnd from, ListEnd to) {
  ReplyBuilder& rb = ctx.rb;
  OpStatus st = ListMove(
      ctx.db(), ctx.args[1], ctx.args[2], from, to, Limits(ctx),
      [&](std::string_view v) { rb.Bulk(v); }, ctx.now_ms);
  if (st == OpStatus::kKeyNotFound) return rb.Null();
  if (st != OpStatus::kOk) return ReplyOpError(rb, st);
  ctx.AddDirty();
  Notify(ctx, kNotifyList, PushEvent(to), ctx.args[2]);
  NotifyRemoval(ctx, kNotifyList, PopEvent(from), ctx.args[1]);
}

void CmdLMove(CommandContext& ctx) {
  ListEnd from, to;
  if (!ParseListEnd(ctx, ctx.args[3], &from) || !ParseListEnd(ctx, ctx.args[4], &to)) return;
  Move(ctx, from, to);
}

void CmdRPopLPush(CommandContext& ctx) { Move(ctx, ListEnd::kTail, ListEnd::kHead); }

void CmdLMPop(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 1, "LEFT", "RIGHT", &a)) return;
  Database& db = ctx.db();
  auto first = ListFirstNonEmpty(db, ctx.args.data() + a.first_key, a.numkeys, ctx.now_ms);
  if (first.status() == OpStatus::kKeyNotFound) return ctx.rb.NullArray();
  if (!first.ok()) return ReplyOpError(ctx.rb, first.status());
  ListEnd end = a.high ? ListEnd::kTail : ListEnd::kHead;
  std::string_view key = ctx.args[a.first_key + *first];
  auto res = PopListWithKey(ctx.rb, db, key, end, static_cast<size_t>(a.count), ctx.now_ms);
  ctx.AddDirty(static_cast<int64_t>(*res));
  NotifyRemoval(ctx, kNotifyList, PopEvent(end), key);
}

}  // namespace

void RegisterListCommands(CommandTable& t) {
  t.Bind("LPUSH", CmdLPush);
  t.Bind("RPUSH", CmdRPush);
  t.Bind("LPUSHX", CmdLPushX);
  t.Bind("RPUSHX", CmdRPushX);
  t.Bind("LPOP", CmdLPop);
  t.Bind("RPOP", CmdRPop);
  t.Bind("LLEN", CmdLLen);
  t.Bind("LRANGE", CmdLRange);
  t.Bind("LINDEX", CmdLIndex);
  t.Bind("LSET", CmdLSet);
  t.Bind("LINSERT", CmdLInsert);
  t.Bind("LREM", CmdLRem);
  t.Bind("LTRIM", CmdLTrim);
  t.Bind("LPOS", CmdLPos);
  t.Bind("LMOVE", CmdLMove);
  t.Bind("RPOPLPUSH", CmdRPopLPush);
  t.Bind("LMPOP", CmdLMPop);
}

}  // namespace duet
