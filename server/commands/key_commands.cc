// Generic key commands: existence, deletion, type, renaming, copying,
// listing (KEYS/SCAN/RANDOMKEY) and expiry (EXPIRE family, TTL, PERSIST).

#include <limits>
#include <vector>

#include "persistence/aof_record.h"
#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/commands/scan_args.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/key_ops.h"
#include "utils/glob.h"

namespace duet {
namespace {

void CmdDel(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (db.Find(ctx.args[i], ctx.now_ms) != nullptr && db.Delete(ctx.args[i])) {
      ++n;
      Notify(ctx, kNotifyGeneric, "del", ctx.args[i]);
    }
  }
  ctx.AddDirty(n);
  ctx.rb.Integer(n);
}

void CmdExists(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    bool hit = db.FindNoTouch(ctx.args[i], ctx.now_ms) != nullptr;
    if (hit) ++n;
    CountKeyLookup(ctx, ctx.args[i], hit);
  }
  ctx.rb.Integer(n);
}

void CmdTouch(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // Find records the access.
    if (db.Find(ctx.args[i], ctx.now_ms) != nullptr) {
      ++n;
    } else {
      Notify(ctx, kNotifyKeyMiss, "keymiss", ctx.args[i]);
    }
  }
  ctx.rb.Integer(n);
}

void CmdType(CommandContext& ctx) {
  Entry* e = ctx.db().FindNoTouch(ctx.args[1], ctx.now_ms);
  if (e == nullptr) Notify(ctx, kNotifyKeyMiss, "keymiss", ctx.args[1]);
  ctx.rb.SimpleString(e == nullptr ? "none" : ValueTypeName(e->type));
}

void CmdKeys(CommandContext& ctx) {
  Database& db = ctx.db();
  std::string_view pattern = ctx.args[1];
  std::vector<std::string_view> keys;
  if (GlobHasNoSpecialChars(pattern)) {
    // A plain name: one lookup instead of walking the keyspace.
    if (db.Find(pattern, ctx.now_ms) != nullptr) keys.push_back(pattern);
  } else {
    bool all = pattern == "*";
    db.ForEach([&](const Entry* e) {
      if (e->expire_ms != 0 && e->expire_ms <= ctx.now_ms) return;
      if (all || GlobMatch(pattern, e->key())) keys.push_back(e->key());
    });
  }
  ctx.rb.BulkArray(keys.data(), keys.size());
}

void CmdScan(CommandContext& ctx) {
  ScanArgs sa;
  if (!ParseScanArgs(ctx, 1, /*allow_type=*/true, &sa)) return;
  Database& db = ctx.db();
  std::vector<std::string> keys;
  uint64_t cursor = sa.cursor;
  // Like Redis: visit buckets until COUNT elements were seen (or 10x that many
  // buckets were empty), then filter.
  size_t max_steps = sa.count * 10;
  do {
    cursor = db.Scan(cursor, [&](const Entry* e) {
      if (e->expire_ms != 0 && e->expire_ms <= ctx.now_ms) return;
      if (sa.has_type && (sa.type_matches_nothing || e->type != sa.type)) return;
      if (sa.has_pattern && !GlobMatch(sa.pattern, e->key())) return;
      keys.emplace_back(e->key());
    });
  } while (cursor != 0 && --max_steps > 0 && keys.size() < sa.count);
  ReplyScan(ctx.rb, cursor, keys);
}

void CmdRandomKey(CommandContext& ctx) {
  Entry* e = ctx.db().RandomEntry(ctx.now_ms);
  if (e == nullptr) return ctx.rb.Null();
  ctx.rb.Bulk(e->key());
}

void RenameGeneric(CommandContext& ctx, bool nx) {
  auto res = KeyRename(ctx.db(), ctx.args[1], ctx.args[2], nx, ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Error(errors::kNoSuchKey);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  // Renaming a key to itself changes nothing and reports nothing.
  if (*res && ctx.args[1] != ctx.args[2]) {
    ctx.AddDirty();
    Notify(ctx, kNotifyGeneric, "rename_from", ctx.args[1]);
    Notify(ctx, kNotifyGeneric, "rename_to", ctx.args[2]);
  }
  if (nx) return ctx.rb.Integer(*res ? 1 : 0);
  ctx.rb.Ok();
}
void CmdRename(CommandContext& ctx) { RenameGeneric(ctx, false); }
void CmdRenameNx(CommandContext& ctx) { RenameGeneric(ctx, true); }

bool ParseDbArg(CommandContext& ctx, std::string_view arg, int* out) {
  int64_t v;
  if (!ParseInt64(arg, &v)) {
    ctx.rb.Error(errors::kNotInteger);
    return false;
  }
  if (v < 0 || v >= ctx.server.keyspace().databases()) {
    ctx.rb.Error(errors::kDbIndexOutOfRange);
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

void CmdCopy(CommandContext& ctx) {
  int dst_db = ctx.client.db;
  bool replace = false;
  ArgParser p(ctx.args, 3);
  while (p.HasNext()) {
    if (p.Eat("REPLACE")) {
      replace = true;
    } else if (p.remaining() >= 2 && p.Eat("DB")) {
      if (!ParseDbArg(ctx, p.Next(), &dst_db)) return;
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  if (dst_db == ctx.client.db && ctx.args[1] == ctx.args[2]) {
    return ctx.rb.Error(errors::kSameObject);
  }
  Database& src = ctx.db();
  Database& dst = ctx.server.keyspace().db(dst_db);
  // Redis re-creates a replaced destination, so it reports a "new" key even
  // then; the storage replaces it in place, so that event is sent here.
  bool replaces = replace && (ctx.server.config().notify_keyspace_events & kNotifyNew) != 0 &&
                  src.Find(ctx.args[1], ctx.now_ms) != nullptr &&
                  dst.Find(ctx.args[2], ctx.now_ms) != nullptr;
  // The source is read with a read lookup: a missing one is a key miss.
  if ((ctx.server.config().notify_keyspace_events & kNotifyKeyMiss) != 0 &&
      src.Find(ctx.args[1], ctx.now_ms) == nullptr) {
    NotifyKeyMiss(ctx, ctx.args[1]);
  }
  bool copied = KeyCopy(src, ctx.args[1], dst, ctx.args[2], replace, ctx.now_ms);
  if (copied) {
    ctx.AddDirty();
    if (replaces) NotifyKeyspaceEvent(ctx.server, kNotifyNew, "new", ctx.args[2], dst_db);
    NotifyKeyspaceEvent(ctx.server, kNotifyGeneric, "copy_to", ctx.args[2], dst_db);
  }
  ctx.rb.Integer(copied ? 1 : 0);
}

void CmdMove(CommandContext& ctx) {
  int dst_db;
  int64_t v;
  if (!ParseInt64(ctx.args[2], &v)) return ctx.rb.Error(errors::kNotInteger);
  if (v < 0 || v >= ctx.server.keyspace().databases())
    return ctx.rb.Error(errors::kDbIndexOutOfRange);
  dst_db = static_cast<int>(v);
  if (dst_db == ctx.client.db) return ctx.rb.Error(errors::kSameObject);
  bool moved = KeyMove(ctx.db(), ctx.server.keyspace().db(dst_db), ctx.args[1], ctx.now_ms);
  if (moved) {
    ctx.AddDirty();
    Notify(ctx, kNotifyGeneric, "move_from", ctx.args[1]);
    NotifyKeyspaceEvent(ctx.server, kNotifyGeneric, "move_to", ctx.args[1], dst_db);
  }
  ctx.rb.Integer(moved ? 1 : 0);
}

// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT.
void ExpireGeneric(CommandContext& ctx, bool relative, bool seconds) {
  int64_t when;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &when)) return;
  ExpireCondition cond;
  bool nx = false, xx = false, gt = false, lt = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view o = ctx.args[i];
    if (ArgParser::EqualsIgnoreCase(o, "NX")) {
      nx = true;
    } else if (ArgParser::EqualsIgnoreCase(o, "XX")) {
      xx = true;
    } else if (ArgParser::EqualsIgnoreCase(o, "GT")) {
      gt = true;
    } else if (ArgParser::EqualsIgnoreCase(o, "LT")) {
      lt = true;
    } else {
      return ctx.rb.Error("ERR Unsupported option " + std::string(o));
    }
  }
  if (nx && (xx || gt || lt)) return ctx.rb.Error(errors::kExpireNxXxGtLt);
  if (gt && lt) return ctx.rb.Error(errors::kExpireGtLt);
  cond = nx   ? ExpireCondition::kNx
         : xx ? ExpireCondition::kXx
         : gt ? ExpireCondition::kGt
         : lt ? ExpireCondition::kLt
              : ExpireCondition::kAlways;

  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (seconds) {
    if (when > kMax / 1000 || when < kMin / 1000) {
      return ctx.rb.Error(InvalidExpireError(ctx.command.full_name));
    }
    when *= 1000;
  }
  if (relative) {
    if ((when > 0 && ctx.now_ms > kMax - when) || (when < 0 && ctx.now_ms < kMin - when)) {
      return ctx.rb.Error(InvalidExpireError(ctx.command.full_name));
    }
    when += ctx.now_ms;
  }
  auto res = KeyExpire(ctx.db(), ctx.args[1], when, cond, ctx.now_ms);
  if (*res) {
    ctx.AddDirty();
    // Logged as an absolute time (options kept, as Redis does), or as the
    // deletion a past time caused.
    if (when <= ctx.now_ms) {
      ctx.PropagateAs({"DEL", ctx.args[1]});
    } else if (ctx.server.propagation_active()) {
      AofInt ms(when);
      std::vector<std::string_view> argv = {"PEXPIREAT", ctx.args[1], ms.view()};
      for (size_t i = 3; i < ctx.argc(); ++i) argv.push_back(ctx.args[i]);
      ctx.PropagateAs(argv);
    }
    // A time already past deletes the key: reported as a deletion.
    Notify(ctx, kNotifyGeneric, when <= ctx.now_ms ? "del" : "expire", ctx.args[1]);
  }
  ctx.rb.Integer(*res ? 1 : 0);
}
void CmdExpire(CommandContext& ctx) { ExpireGeneric(ctx, true, true); }
void CmdPExpire(CommandContext& ctx) { ExpireGeneric(ctx, true, false); }
void CmdExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, false, true); }
void CmdPExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, false, false); }

// TTL family: -2 absent, -1 no expiry.
void TtlGeneric(CommandContext& ctx, bool seconds, bool absolute) {
  Entry* e = ctx.db().FindNoTouch(ctx.args[1], ctx.now_ms);
  if (e == nullptr) {
    Notify(ctx, kNotifyKeyMiss, "keymiss", ctx.args[1]);
    return ctx.rb.Integer(-2);
  }
  if (!e->has_expire()) return ctx.rb.Integer(-1);
  int64_t v = absolute ? e->expire_ms : e->expire_ms - ctx.now_ms;
  if (v < 0) v = 0;
  // Relative seconds round to the nearest second, as Redis does.
  if (seconds) v = absolute ? v / 1000 : (v + 500) / 1000;
  ctx.rb.Integer(v);
}
void CmdTtl(CommandContext& ctx) { TtlGeneric(ctx, true, false); }
void CmdPTtl(CommandContext& ctx) { TtlGeneric(ctx, false, false); }
void CmdExpireTime(CommandContext& ctx) { TtlGeneric(ctx, true, true); }
void CmdPExpireTime(CommandContext& ctx) { TtlGeneric(ctx, false, true); }

void CmdPersist(CommandContext& ctx) {
  Database& db = ctx.db();
  Entry* e = db.Find(ctx.args[1], ctx.now_ms);
  if (e == nullptr || !e->has_expire()) return ctx.rb.Integer(0);
  db.SetExpire(e, 0);
  db.Touch(e);
  ctx.AddDirty();
  Notify(ctx, kNotifyGeneric, "persist", ctx.args[1]);
  ctx.rb.Integer(1);
}

}  // namespace

void RegisterKeyCommands(CommandTable& t) {
  t.Bind("DEL", CmdDel);
  t.Bind("UNLINK", CmdDel);
  t.Bind("EXISTS", CmdExists);
  t.Bind("TOUCH", CmdTouch);
  t.Bind("TYPE", CmdType);
  t.Bind("KEYS", CmdKeys);
  t.Bind("SCAN", CmdScan);
  t.Bind("RANDOMKEY", CmdRandomKey);
  t.Bind("RENAME", CmdRename);
  t.Bind("RENAMENX", CmdRenameNx);
  t.Bind("COPY", CmdCopy);
  t.Bind("MOVE", CmdMove);
  t.Bind("EXPIRE", CmdExpire);
  t.Bind("PEXPIRE", CmdPExpire);
  t.Bind("EXPIREAT", CmdExpireAt);
  t.Bind("PEXPIREAT", CmdPExpireAt);
  t.Bind("TTL", CmdTtl);
  t.Bind("PTTL", CmdPTtl);
  t.Bind("EXPIRETIME", CmdExpireTime);
  t.Bind("PEXPIRETIME", CmdPExpireTime);
  t.Bind("PERSIST", CmdPersist);
}

}  // namespace duet
