// Hash commands: HSET ... HSCAN. HGETALL is a RESP3 map; HRANDFIELD
// WITHVALUES sends [field, value] pairs under RESP3 and a flat list under
// RESP2, as Redis 7.0 does.

#include <cmath>
#include <limits>

#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/commands/scan_args.h"
#include "server/server.h"
#include "storage/hash_ops.h"
#include "storage/listpack.h"
#include "storage/random.h"
#include "utils/glob.h"

namespace duet {
namespace {

constexpr std::string_view kHashNotInteger = "ERR hash value is not an integer";
constexpr std::string_view kHashNotFloat = "ERR hash value is not a float";
constexpr std::string_view kIncrNanOrInf = "ERR value is NaN or Infinity";
constexpr std::string_view kCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
constexpr std::string_view kValueOutOfRange = "ERR value is out of range";

const CollectionLimits& Limits(CommandContext& ctx) { return ctx.server.config().collections; }

// The hash at args[1] for a read command, counted as a keyspace hit or miss.
// Replies the error and returns null on WRONGTYPE; null without a reply and
// *missing set when the key does not exist.
const HashValue* ReadHash(CommandContext& ctx, bool* missing) {
  auto res = HashFind(ctx.db(), ctx.args[1], ctx.now_ms);
  *missing = res.status() == OpStatus::kKeyNotFound;
  CountKeyLookup(ctx, ctx.args[1], !*missing);
  if (res.ok()) return *res;
  if (!*missing) ReplyOpError(ctx.rb, res.status());
  return nullptr;
}

void WrongArgCount(CommandContext& ctx) {
  ctx.rb.Error("ERR wrong number of arguments for '" + ctx.command.full_name + "' command");
}

// HSET and HMSET: same work, different replies.
bool SetPairs(CommandContext& ctx, int64_t* created) {
  if (ctx.argc() % 2 != 0) {
    WrongArgCount(ctx);
    return false;
  }
  const size_t pairs = (ctx.argc() - 2) / 2;
  auto res = HashSet(ctx.db(), ctx.args[1], &ctx.args[2], pairs, Limits(ctx), ctx.now_ms);
  if (!res.ok()) {
    ReplyOpError(ctx.rb, res.status());
    return false;
  }
  ctx.AddDirty(static_cast<int64_t>(pairs));
  Notify(ctx, kNotifyHash, "hset", ctx.args[1]);  // even when no field changed
  *created = *res;
  return true;
}

void CmdHSet(CommandContext& ctx) {
  int64_t created;
  if (SetPairs(ctx, &created)) ctx.rb.Integer(created);
}

void CmdHMSet(CommandContext& ctx) {
  int64_t created;
  if (SetPairs(ctx, &created)) ctx.rb.Ok();
}

void CmdHSetNx(CommandContext& ctx) {
  auto res = HashSetNx(ctx.db(), ctx.args[1], ctx.args[2], ctx.args[3], Limits(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (*res) {
    ctx.AddDirty();
    Notify(ctx, kNotifyHash, "hset", ctx.args[1]);
  }
  ctx.rb.Integer(*res ? 1 : 0);
}

void CmdHGet(CommandContext& ctx) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h == nullptr) {
    if (missing) ctx.rb.Null();
    return;
  }
  char scratch[lp::kIntBufSize];
  auto v = h->Get(ctx.args[2], scratch);
  if (v) return ctx.rb.Bulk(*v);
  ctx.rb.Null();
}

void CmdHMGet(CommandContext& ctx) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h == nullptr && !missing) return;
  ctx.rb.ArrayHeader(ctx.argc() - 2);
  char scratch[lp::kIntBufSize];
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto v = h != nullptr ? h->Get(ctx.args[i], scratch) : std::nullopt;
    if (v) {
      ctx.rb.Bulk(*v);
    } else {
      ctx.rb.Null();
    }
  }
}

void CmdHDel(CommandContext& ctx) {
  auto res = HashDelete(ctx.db(), ctx.args[1], &ctx.args[2], ctx.argc() - 2, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(*res);
  if (*res > 0) NotifyRemoval(ctx, kNotifyHash, "hdel", ctx.args[1]);
  ctx.rb.Integer(*res);
}

void CmdHLen(CommandContext& ctx) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h != nullptr) return ctx.rb.Integer(static_cast<int64_t>(h->Length()));
  if (missing) ctx.rb.Integer(0);
}

void CmdHStrLen(CommandContext& ctx) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h != nullptr) return ctx.rb.Integer(static_cast<int64_t>(h->StrLen(ctx.args[2])));
  if (missing) ctx.rb.Integer(0);
}

void CmdHExists(CommandContext& ctx) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h != nullptr) return ctx.rb.Integer(h->Exists(ctx.args[2]) ? 1 : 0);
  if (missing) ctx.rb.Integer(0);
}

enum class Parts { kFields, kValues, kBoth };

void ReplyAll(CommandContext& ctx, Parts parts) {
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  const size_t n = h != nullptr ? h->Length() : 0;
  if (h == nullptr && !missing) return;
  if (parts == Parts::kBoth) {
    ctx.rb.MapHeader(n);
  } else {
    ctx.rb.ArrayHeader(n);
  }
  if (h == nullptr) return;
  h->ForEach([&](std::string_view f, std::string_view v) {
    if (parts != Parts::kValues) ctx.rb.Bulk(f);
    if (parts != Parts::kFields) ctx.rb.Bulk(v);
  });
}
void CmdHKeys(CommandContext& ctx) { ReplyAll(ctx, Parts::kFields); }
void CmdHVals(CommandContext& ctx) { ReplyAll(ctx, Parts::kValues); }
void CmdHGetAll(CommandContext& ctx) { ReplyAll(ctx, Parts::kBoth); }

void CmdHIncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntArg(ctx.rb, ctx.args[3], &delta)) return;
  auto res = HashIncrBy(ctx.db(), ctx.args[1], ctx.args[2], delta, Limits(ctx), ctx.now_ms);
  if (res.status() == OpStatus::kNotAnInteger) return ctx.rb.Error(kHashNotInteger);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  Notify(ctx, kNotifyHash, "hincrby", ctx.args[1]);
  ctx.rb.Integer(*res);
}

void CmdHIncrByFloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[3], &delta)) return ctx.rb.Error(errors::kNotFloat);
  if (std::isnan(delta) || std::isinf(delta)) return ctx.rb.Error(kIncrNanOrInf);
  auto res = HashIncrByFloat(ctx.db(), ctx.args[1], ctx.args[2], delta, Limits(ctx), ctx.now_ms);
  if (res.status() == OpStatus::kNotAFloat) return ctx.rb.Error(kHashNotFloat);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  ctx.PropagateAs({"HSET", ctx.args[1], ctx.args[2], *res});
  Notify(ctx, kNotifyHash, "hincrbyfloat", ctx.args[1]);
  ctx.rb.Bulk(*res);
}

void CmdHRandField(CommandContext& ctx) {
  bool missing;
  if (ctx.argc() == 2) {
    const HashValue* h = ReadHash(ctx, &missing);
    if (h == nullptr) {
      if (missing) ctx.rb.Null();
      return;
    }
    h->RandomFields(
        1, [] { return RandomU64(); },
        [&](std::string_view f, std::string_view) { ctx.rb.Bulk(f); });
    return;
  }
  int64_t count;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &count)) return;
  if (count == std::numeric_limits<int64_t>::min()) return ctx.rb.Error(kCountRange);
  bool with_values = false;
  if (ctx.argc() > 4 ||
      (ctx.argc() == 4 && !ArgParser::EqualsIgnoreCase(ctx.args[3], "WITHVALUES"))) {
    return ctx.rb.Error(errors::kSyntax);
  }
  if (ctx.argc() == 4) {
    with_values = true;
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (count < -kHalf || count > kHalf) return ctx.rb.Error(kValueOutOfRange);
  }
  const HashValue* h = ReadHash(ctx, &missing);
  if (h == nullptr) {
    if (missing) ctx.rb.EmptyArray();
    return;
  }
  const uint64_t n =
      count < 0 ? static_cast<uint64_t>(-count) : std::min<uint64_t>(count, h->Length());
  const bool pairs = with_values && ctx.rb.resp() >= 3;
  ctx.rb.ArrayHeader(with_values && !pairs ? 2 * n : n);
  h->RandomFields(
      count, [] { return RandomU64(); },
      [&](std::string_view f, std::string_view v) {
        if (pairs) ctx.rb.ArrayHeader(2);
        ctx.rb.Bulk(f);
        if (with_values) ctx.rb.Bulk(v);
      });
}

void CmdHScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.args[2], &cursor)) return ctx.rb.Error(errors::kInvalidCursor);
  bool missing;
  const HashValue* h = ReadHash(ctx, &missing);
  if (h == nullptr) {
    if (missing) ReplyScan(ctx.rb, 0, {});
    return;
  }
  ScanArgs sa;
  if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &sa)) return;
  // As in Redis: COUNT bounds the collected strings, a field and its value
  // counting as two; at most 10x COUNT steps; the pattern filters afterwards.
  std::vector<std::string> items;
  size_t steps = sa.count * 10;
  do {
    cursor = h->Scan(cursor, [&](std::string_view f, std::string_view v) {
      items.emplace_back(f);
      items.emplace_back(v);
    });
  } while (cursor != 0 && steps-- > 0 && items.size() < sa.count);
  if (sa.has_pattern) {
    size_t kept = 0;
    for (size_t i = 0; i < items.size(); i += 2) {
      if (!GlobMatch(sa.pattern, items[i])) continue;
      if (kept != i) {
        items[kept] = std::move(items[i]);
        items[kept + 1] = std::move(items[i + 1]);
      }
      kept += 2;
    }
    items.resize(kept);
  }
  ReplyScan(ctx.rb, cursor, items);
}

}  // namespace

void RegisterHashCommands(CommandTable& t) {
  t.Bind("HSET", CmdHSet);
  t.Bind("HMSET", CmdHMSet);
  t.Bind("HSETNX", CmdHSetNx);
  t.Bind("HGET", CmdHGet);
  t.Bind("HMGET", CmdHMGet);
  t.Bind("HDEL", CmdHDel);
  t.Bind("HLEN", CmdHLen);
  t.Bind("HSTRLEN", CmdHStrLen);
  t.Bind("HEXISTS", CmdHExists);
  t.Bind("HKEYS", CmdHKeys);
  t.Bind("HVALS", CmdHVals);
  t.Bind("HGETALL", CmdHGetAll);
  t.Bind("HINCRBY", CmdHIncrBy);
  t.Bind("HINCRBYFLOAT", CmdHIncrByFloat);
  t.Bind("HRANDFIELD", CmdHRandField);
  t.Bind("HSCAN", CmdHScan);
}

}  // namespace duet
