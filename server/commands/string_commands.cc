// String commands: SET and its variants, GET and its variants, counters,
// APPEND and ranges. Bit commands live in bit_commands.cc.

#include <limits>
#include <vector>

#include "persistence/aof_record.h"
#include "server/commands/arg_parser.h"
#include "server/commands/expire_args.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/string_ops.h"

namespace duet {
namespace {

// Parses SET's (is_set) or GETEX's options after the fixed arguments, with
// Redis's rules about which options exclude each other.
struct StringOptions {
  bool nx = false, xx = false, get = false, keepttl = false, persist = false;
  char unit = 0;  // 0 none, 'e' EX, 'p' PX, 'E' EXAT, 'P' PXAT
  std::string_view expire_arg;
};

bool ParseStringOptions(CommandContext& ctx, size_t first, bool is_set, StringOptions* o) {
  ArgParser p(ctx.args, first);
  while (p.HasNext()) {
    bool has_next = p.remaining() >= 2;
    bool any_expire = o->unit != 0;
    if (is_set && !o->xx && p.Eat("NX")) {
      o->nx = true;
    } else if (is_set && !o->nx && p.Eat("XX")) {
      o->xx = true;
    } else if (is_set && p.Eat("GET")) {
      o->get = true;
    } else if (is_set && !o->persist && !any_expire && p.Eat("KEEPTTL")) {
      o->keepttl = true;
    } else if (!is_set && !any_expire && !o->keepttl && p.Eat("PERSIST")) {
      o->persist = true;
    } else if (has_next && !o->keepttl && !o->persist && (o->unit == 0 || o->unit == 'e') &&
               p.Eat("EX")) {
      o->unit = 'e';
      o->expire_arg = p.Next();
    } else if (has_next && !o->keepttl && !o->persist && (o->unit == 0 || o->unit == 'p') &&
               p.Eat("PX")) {
      o->unit = 'p';
      o->expire_arg = p.Next();
    } else if (has_next && !o->keepttl && !o->persist && (o->unit == 0 || o->unit == 'E') &&
               p.Eat("EXAT")) {
      o->unit = 'E';
      o->expire_arg = p.Next();
    } else if (has_next && !o->keepttl && !o->persist && (o->unit == 0 || o->unit == 'P') &&
               p.Eat("PXAT")) {
      o->unit = 'P';
      o->expire_arg = p.Next();
    } else {
      ctx.rb.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// The absolute expiry in ms for the parsed option, or false after replying.
bool ResolveExpire(CommandContext& ctx, const StringOptions& o, int64_t* at_ms) {
  *at_ms = 0;
  if (o.unit == 0) return true;
  ExpireUnit unit = (o.unit == 'e' || o.unit == 'E') ? ExpireUnit::kSeconds : ExpireUnit::kMillis;
  bool relative = o.unit == 'e' || o.unit == 'p';
  return ParseExpireArg(ctx, o.expire_arg, unit, relative, at_ms);
}

// Logs SET with its EX/PX/EXAT option replaced by PXAT <absolute ms>, so a
// replay sets the same deadline (as Redis 7.0 does).
void PropagateSetWithPxat(CommandContext& ctx, int64_t at_ms) {
  if (!ctx.server.propagation_active()) return;
  std::vector<std::string_view> argv = {"SET", ctx.args[1], ctx.args[2]};
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view a = ctx.args[i];
    if (ArgParser::EqualsIgnoreCase(a, "EX") || ArgParser::EqualsIgnoreCase(a, "PX") ||
        ArgParser::EqualsIgnoreCase(a, "EXAT") || ArgParser::EqualsIgnoreCase(a, "PXAT")) {
      ++i;  // and its value
      continue;
    }
    argv.push_back(a);
  }
  AofInt ms(at_ms);
  argv.push_back("PXAT");
  argv.push_back(ms.view());
  ctx.PropagateAs(argv);
}

void CmdSet(CommandContext& ctx) {
  if (ctx.argc() == 3) {
    StringSetPlain(ctx.db(), ctx.args[1], ctx.args[2], ctx.now_ms);
    ctx.AddDirty();
    Notify(ctx, kNotifyString, "set", ctx.args[1]);
    return ctx.rb.Ok();
  }
  StringOptions o;
  if (!ParseStringOptions(ctx, 3, /*is_set=*/true, &o)) return;
  SetParams params;
  if (!ResolveExpire(ctx, o, &params.expire_at_ms)) return;
  params.keep_ttl = o.keepttl;
  params.get_old = o.get;
  if (o.nx) params.condition = SetParams::Condition::kIfAbsent;
  if (o.xx) params.condition = SetParams::Condition::kIfPresent;
  auto res = StringSet(ctx.db(), ctx.args[1], ctx.args[2], params, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  // SET ... GET reads the old value first, as a read lookup.
  if (o.get) CountKeyLookup(ctx, ctx.args[1], res->old_value.has_value());
  if (res->stored) {
    ctx.AddDirty();
    if (params.expire_at_ms != 0 && o.unit != 'P') PropagateSetWithPxat(ctx, params.expire_at_ms);
    Notify(ctx, kNotifyString, "set", ctx.args[1]);
    if (params.expire_at_ms != 0) Notify(ctx, kNotifyGeneric, "expire", ctx.args[1]);
  }
  if (o.get) {
    if (res->old_value) return ctx.rb.Bulk(*res->old_value);
    return ctx.rb.Null();
  }
  if (!res->stored) return ctx.rb.Null();
  ctx.rb.Ok();
}

void CmdSetNx(CommandContext& ctx) {
  SetParams params;
  params.condition = SetParams::Condition::kIfAbsent;
  auto res = StringSet(ctx.db(), ctx.args[1], ctx.args[2], params, ctx.now_ms);
  if (res->stored) {
    ctx.AddDirty();
    Notify(ctx, kNotifyString, "set", ctx.args[1]);
  }
  ctx.rb.Integer(res->stored ? 1 : 0);
}

void SetWithExpire(CommandContext& ctx, ExpireUnit unit) {
  int64_t at_ms;
  if (!ParseExpireArg(ctx, ctx.args[2], unit, /*relative=*/true, &at_ms)) return;
  StringOverwrite(ctx.db(), ctx.args[1], ctx.args[3], at_ms, ctx.now_ms);
  ctx.AddDirty();
  AofInt ms(at_ms);
  ctx.PropagateAs({"SET", ctx.args[1], ctx.args[3], "PXAT", ms.view()});
  Notify(ctx, kNotifyString, "set", ctx.args[1]);
  Notify(ctx, kNotifyGeneric, "expire", ctx.args[1]);
  ctx.rb.Ok();
}
void CmdSetEx(CommandContext& ctx) { SetWithExpire(ctx, ExpireUnit::kSeconds); }
void CmdPSetEx(CommandContext& ctx) { SetWithExpire(ctx, ExpireUnit::kMillis); }

void CmdGet(CommandContext& ctx) {
  auto res = StringGet(ctx.db(), ctx.args[1], ctx.now_ms);
  CountKeyLookup(ctx, ctx.args[1], res.status() != OpStatus::kKeyNotFound);
  if (res.ok()) return ctx.rb.Bulk(*res);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Null();
  ReplyOpError(ctx.rb, res.status());
}

void CmdGetSet(CommandContext& ctx) {
  SetParams params;
  params.get_old = true;
  auto res = StringSet(ctx.db(), ctx.args[1], ctx.args[2], params, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  CountKeyLookup(ctx, ctx.args[1], res->old_value.has_value());
  ctx.AddDirty();
  Notify(ctx, kNotifyString, "set", ctx.args[1]);
  if (res->old_value) return ctx.rb.Bulk(*res->old_value);
  ctx.rb.Null();
}

void CmdGetDel(CommandContext& ctx) {
  auto res = StringGetDel(ctx.db(), ctx.args[1], ctx.now_ms);
  CountKeyLookup(ctx, ctx.args[1], res.status() != OpStatus::kKeyNotFound);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Null();
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  ctx.PropagateAs({"DEL", ctx.args[1]});
  Notify(ctx, kNotifyGeneric, "del", ctx.args[1]);
  ctx.rb.Bulk(*res);
}

void CmdGetEx(CommandContext& ctx) {
  StringOptions o;
  if (!ParseStringOptions(ctx, 2, /*is_set=*/false, &o)) return;
  int64_t at_ms;
  if (!ResolveExpire(ctx, o, &at_ms)) return;
  Database& db = ctx.db();
  Entry* e = db.Find(ctx.args[1], ctx.now_ms);
  CountKeyLookup(ctx, ctx.args[1], e != nullptr);
  if (e == nullptr) return ctx.rb.Null();
  if (e->type != ValueType::kString) return ctx.rb.Error(errors::kWrongType);
  ctx.rb.Bulk(e->str());
  if (at_ms != 0 && at_ms <= ctx.now_ms) {
    db.Delete(ctx.args[1]);
    ctx.AddDirty();
    ctx.PropagateAs({"DEL", ctx.args[1]});
    Notify(ctx, kNotifyGeneric, "del", ctx.args[1]);
  } else if (at_ms != 0) {
    db.SetExpire(e, at_ms);
    db.Touch(e);
    ctx.AddDirty();
    AofInt ms(at_ms);
    ctx.PropagateAs({"PEXPIREAT", ctx.args[1], ms.view()});
    Notify(ctx, kNotifyGeneric, "expire", ctx.args[1]);
  } else if (o.persist && e->has_expire()) {
    db.SetExpire(e, 0);
    db.Touch(e);
    ctx.AddDirty();
    ctx.PropagateAs({"PERSIST", ctx.args[1]});
    Notify(ctx, kNotifyGeneric, "persist", ctx.args[1]);
  }
}

void CmdMGet(CommandContext& ctx) {
  Database& db = ctx.db();
  ctx.rb.ArrayHeader(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    Entry* e = db.Find(ctx.args[i], ctx.now_ms);
    CountKeyLookup(ctx, ctx.args[i], e != nullptr);
    if (e == nullptr || e->type != ValueType::kString) {
      ctx.rb.Null();
    } else {
      ctx.rb.Bulk(e->str());
    }
  }
}

void CmdMSet(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) {
    return ctx.rb.Error("ERR wrong number of arguments for '" + ctx.command.full_name +
                        "' command");
  }
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StringSetPlain(ctx.db(), ctx.args[i], ctx.args[i + 1], ctx.now_ms);
    Notify(ctx, kNotifyString, "set", ctx.args[i]);
  }
  ctx.AddDirty(static_cast<int64_t>(ctx.argc() / 2));
  ctx.rb.Ok();
}

void CmdMSetNx(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) {
    return ctx.rb.Error("ERR wrong number of arguments for '" + ctx.command.full_name +
                        "' command");
  }
  Database& db = ctx.db();
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    if (db.Find(ctx.args[i], ctx.now_ms) != nullptr) return ctx.rb.Integer(0);
  }
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StringSetPlain(db, ctx.args[i], ctx.args[i + 1], ctx.now_ms);
    Notify(ctx, kNotifyString, "set", ctx.args[i]);
  }
  ctx.AddDirty(static_cast<int64_t>(ctx.argc() / 2));
  ctx.rb.Integer(1);
}

void IncrBy(CommandContext& ctx, int64_t delta) {
  auto res = StringIncrBy(ctx.db(), ctx.args[1], delta, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  Notify(ctx, kNotifyString, "incrby", ctx.args[1]);
  ctx.rb.Integer(*res);
}
void CmdIncr(CommandContext& ctx) { IncrBy(ctx, 1); }
void CmdDecr(CommandContext& ctx) { IncrBy(ctx, -1); }
void CmdIncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &delta)) return;
  IncrBy(ctx, delta);
}
void CmdDecrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &delta)) return;
  if (delta == std::numeric_limits<int64_t>::min()) {
    return ctx.rb.Error("ERR decrement would overflow");
  }
  IncrBy(ctx, -delta);
}

void CmdAppend(CommandContext& ctx) {
  auto res = StringAppend(ctx.db(), ctx.args[1], ctx.args[2],
                          static_cast<size_t>(ctx.server.config().proto_max_bulk_len), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  Notify(ctx, kNotifyString, "append", ctx.args[1]);
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void CmdStrLen(CommandContext& ctx) {
  auto res = StringGet(ctx.db(), ctx.args[1], ctx.now_ms);
  CountKeyLookup(ctx, ctx.args[1], res.status() != OpStatus::kKeyNotFound);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.rb.Integer(static_cast<int64_t>(res->size()));
}

void CmdGetRange(CommandContext& ctx) {
  int64_t start, end;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &start) || !ParseIntArg(ctx.rb, ctx.args[3], &end)) return;
  auto res = StringGetRange(ctx.db(), ctx.args[1], start, end, ctx.now_ms);
  CountKeyLookup(ctx, ctx.args[1], res.status() != OpStatus::kKeyNotFound);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Bulk("");
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.rb.Bulk(*res);
}

void CmdSetRange(CommandContext& ctx) {
  int64_t offset;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &offset)) return;
  auto res =
      StringSetRange(ctx.db(), ctx.args[1], offset, ctx.args[3],
                     static_cast<size_t>(ctx.server.config().proto_max_bulk_len), ctx.now_ms);
  if (res.status() == OpStatus::kOutOfRange) return ctx.rb.Error(errors::kOffsetOutOfRange);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (!ctx.args[3].empty()) {
    ctx.AddDirty();
    Notify(ctx, kNotifyString, "setrange", ctx.args[1]);
  }
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

// MCFLAGS key flags (Duet only): the memcached client flags of a string key,
// 0..2^32-1. Replies 1, or 0 when there is no string at key. The AOF logs
// memcached writes as SET plus this command when their flags are not 0.
void CmdMcFlags(CommandContext& ctx) {
  int64_t flags;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &flags)) return;
  if (flags < 0 || flags > static_cast<int64_t>(std::numeric_limits<uint32_t>::max())) {
    return ctx.rb.Error("ERR flags must be between 0 and 4294967295");
  }
  Database& db = ctx.db();
  Entry* e = db.Find(ctx.args[1], ctx.now_ms);
  if (e == nullptr || e->type != ValueType::kString) return ctx.rb.Integer(0);
  if (e->mc_flags != static_cast<uint32_t>(flags)) {
    e->mc_flags = static_cast<uint32_t>(flags);
    db.Touch(e);
    ctx.AddDirty();
  }
  ctx.rb.Integer(1);
}

}  // namespace

void RegisterStringCommands(CommandTable& t) {
  t.Bind("MCFLAGS", CmdMcFlags);
  t.Bind("SET", CmdSet);
  t.Bind("SETNX", CmdSetNx);
  t.Bind("SETEX", CmdSetEx);
  t.Bind("PSETEX", CmdPSetEx);
  t.Bind("GET", CmdGet);
  t.Bind("GETSET", CmdGetSet);
  t.Bind("GETDEL", CmdGetDel);
  t.Bind("GETEX", CmdGetEx);
  t.Bind("MGET", CmdMGet);
  t.Bind("MSET", CmdMSet);
  t.Bind("MSETNX", CmdMSetNx);
  t.Bind("INCR", CmdIncr);
  t.Bind("DECR", CmdDecr);
  t.Bind("INCRBY", CmdIncrBy);
  t.Bind("DECRBY", CmdDecrBy);
  t.Bind("APPEND", CmdAppend);
  t.Bind("STRLEN", CmdStrLen);
  t.Bind("GETRANGE", CmdGetRange);
  t.Bind("SUBSTR", CmdGetRange);
  t.Bind("SETRANGE", CmdSetRange);
}

}  // namespace duet
