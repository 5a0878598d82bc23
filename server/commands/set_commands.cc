// Set commands: SADD ... SSCAN. Whole-set replies (SMEMBERS, SINTER, SUNION,
// SDIFF, SPOP with a count) are RESP3 sets; SRANDMEMBER with a count may
// repeat members, so it stays an array, as in Redis 7.0.

#include <limits>
#include <string>
#include <vector>

#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/commands/scan_args.h"
#include "server/server.h"
#include "storage/set_ops.h"
#include "utils/glob.h"

namespace duet {
namespace {

constexpr std::string_view kCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

const CollectionLimits& Limits(CommandContext& ctx) { return ctx.server.config().collections; }

// The set at args[1] for a read command, counted as a keyspace hit or miss.
// Replies the error and returns null on WRONGTYPE; null without a reply and
// *missing set when the key does not exist.
SetValue* ReadSet(CommandContext& ctx, bool* missing) {
  auto res = SetFind(ctx.db(), ctx.args[1], ctx.now_ms);
  *missing = res.status() == OpStatus::kKeyNotFound;
  CountKeyLookup(ctx, ctx.args[1], !*missing);
  if (res.ok()) return *res;
  if (!*missing) ReplyOpError(ctx.rb, res.status());
  return nullptr;
}

void ReplyMembers(CommandContext& ctx, const SetValue& set) {
  ctx.rb.SetHeader(set.Size());
  set.ForEach([&](std::string_view m) { ctx.rb.Bulk(m); });
}

void CmdSAdd(CommandContext& ctx) {
  auto res = SetAdd(ctx.db(), ctx.args[1], &ctx.args[2], ctx.argc() - 2, Limits(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(*res);
  if (*res > 0) Notify(ctx, kNotifySet, "sadd", ctx.args[1]);
  ctx.rb.Integer(*res);
}

void CmdSRem(CommandContext& ctx) {
  auto res = SetRemove(ctx.db(), ctx.args[1], &ctx.args[2], ctx.argc() - 2, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(*res);
  if (*res > 0) NotifyRemoval(ctx, kNotifySet, "srem", ctx.args[1]);
  ctx.rb.Integer(*res);
}

void CmdSMembers(CommandContext& ctx) {
  bool missing;
  SetValue* set = ReadSet(ctx, &missing);
  if (set != nullptr) return ReplyMembers(ctx, *set);
  if (missing) ctx.rb.SetHeader(0);
}

void CmdSIsMember(CommandContext& ctx) {
  bool missing;
  SetValue* set = ReadSet(ctx, &missing);
  if (set != nullptr) return ctx.rb.Integer(set->Contains(ctx.args[2]) ? 1 : 0);
  if (missing) ctx.rb.Integer(0);
}

void CmdSMIsMember(CommandContext& ctx) {
  bool missing;
  SetValue* set = ReadSet(ctx, &missing);
  if (set == nullptr && !missing) return;
  ctx.rb.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.rb.Integer(set != nullptr && set->Contains(ctx.args[i]) ? 1 : 0);
  }
}

void CmdSCard(CommandContext& ctx) {
  bool missing;
  SetValue* set = ReadSet(ctx, &missing);
  if (set != nullptr) return ctx.rb.Integer(static_cast<int64_t>(set->Size()));
  if (missing) ctx.rb.Integer(0);
}

void CmdSPop(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    // Logged as the SREM of the member drawn, so a replay removes the same one.
    OpStatus st = SetPopOne(ctx.db(), ctx.args[1], ctx.now_ms, [&](std::string_view m) {
      ctx.rb.Bulk(m);
      ctx.PropagateAs({"SREM", ctx.args[1], m});
    });
    if (st == OpStatus::kKeyNotFound) return ctx.rb.Null();
    if (st != OpStatus::kOk) return ReplyOpError(ctx.rb, st);
    ctx.AddDirty();
    return NotifyRemoval(ctx, kNotifySet, "spop", ctx.args[1]);
  }
  if (ctx.argc() > 3) return ctx.rb.Error(errors::kSyntax);
  int64_t count;
  if (!ParseInt64(ctx.args[2], &count) || count < 0) return ctx.rb.Error(errors::kCountPositive);
  uint64_t popped = 0;
  // The members drawn, logged as SREMs of at most kBatch members each.
  constexpr size_t kBatch = 1024;
  const bool log = ctx.server.propagation_active();
  std::vector<std::string> members;
  auto flush_srem = [&] {
    if (members.empty()) return;
    std::vector<std::string_view> argv = {"SREM", ctx.args[1]};
    for (const std::string& m : members) argv.push_back(m);
    ctx.PropagateAs(argv);
    members.clear();
  };
  OpStatus st = SetPop(
      ctx.db(), ctx.args[1], static_cast<uint64_t>(count), Limits(ctx), ctx.now_ms,
      [&](uint64_t n) {
        popped = n;
        ctx.rb.SetHeader(n);
      },
      [&](std::string_view m) {
        ctx.rb.Bulk(m);
        if (!log) return;
        members.emplace_back(m);
        if (members.size() == kBatch) flush_srem();
      });
  flush_srem();
  if (st != OpStatus::kOk) return ReplyOpError(ctx.rb, st);
  ctx.AddDirty(static_cast<int64_t>(popped));
  if (popped > 0) NotifyRemoval(ctx, kNotifySet, "spop", ctx.args[1]);
}

void CmdSRandMember(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.rb.Error(errors::kSyntax);
  bool missing;
  if (ctx.argc() == 2) {
    SetValue* set = ReadSet(ctx, &missing);
    if (set != nullptr) return ctx.rb.Bulk(set->RandomOne());
    if (missing) ctx.rb.Null();
    return;
  }
  int64_t count;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &count)) return;
  if (count == std::numeric_limits<int64_t>::min()) return ctx.rb.Error(kCountRange);
  SetValue* set = ReadSet(ctx, &missing);
  if (set == nullptr) {
    if (missing) ctx.rb.EmptyArray();
    return;
  }
  const uint64_t n =
      count < 0 ? static_cast<uint64_t>(-count) : std::min<uint64_t>(count, set->Size());
  ctx.rb.ArrayHeader(n);
  set->Random(count, [&](std::string_view m) { ctx.rb.Bulk(m); });
}

void CmdSMove(CommandContext& ctx) {
  // "sadd" is reported only when the destination did not have the member.
  bool dst_had = false;
  if ((ctx.server.config().notify_keyspace_events & kNotifySet) != 0) {
    auto dst = SetFind(ctx.db(), ctx.args[2], ctx.now_ms);
    dst_had = dst.ok() && (*dst)->Contains(ctx.args[3]);
  }
  auto res = SetMove(ctx.db(), ctx.args[1], ctx.args[2], ctx.args[3], Limits(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (*res && ctx.args[1] != ctx.args[2]) {
    ctx.AddDirty();
    NotifyRemoval(ctx, kNotifySet, "srem", ctx.args[1]);
    if (!dst_had) Notify(ctx, kNotifySet, "sadd", ctx.args[2]);
  }
  ctx.rb.Integer(*res ? 1 : 0);
}

void CmdSInter(CommandContext& ctx) {
  LookupCounts counts;
  auto res = SetInter(ctx.db(), &ctx.args[1], ctx.argc() - 1, ctx.now_ms, &counts);
  AddLookupCounts(ctx, counts, &ctx.args[1], ctx.argc() - 1);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  const MemberList& members = *res;
  ctx.rb.SetHeader(members.size());
  for (size_t i = 0; i < members.size(); ++i) ctx.rb.Bulk(members[i]);
}

void CmdSInterCard(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseInt64(ctx.args[1], &numkeys) || numkeys < 1) {
    return ctx.rb.Error("ERR numkeys should be greater than 0");
  }
  if (static_cast<uint64_t>(numkeys) > ctx.argc() - 2) {
    return ctx.rb.Error("ERR Number of keys can't be greater than number of args");
  }
  int64_t limit = 0;
  ArgParser p(ctx.args, 2 + static_cast<size_t>(numkeys));
  while (p.HasNext()) {
    if (p.remaining() >= 2 && p.Eat("LIMIT")) {
      if (!ParseInt64(p.Next(), &limit) || limit < 0) {
        return ctx.rb.Error("ERR LIMIT can't be negative");
      }
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  LookupCounts counts;
  auto res = SetInterCard(ctx.db(), &ctx.args[2], static_cast<size_t>(numkeys),
                          static_cast<uint64_t>(limit), ctx.now_ms, &counts);
  AddLookupCounts(ctx, counts, &ctx.args[2], static_cast<size_t>(numkeys));
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void Combine(CommandContext& ctx, SetAlgebra op) {
  LookupCounts counts;
  auto res =
      SetCombine(ctx.db(), &ctx.args[1], ctx.argc() - 1, op, Limits(ctx), ctx.now_ms, &counts);
  AddLookupCounts(ctx, counts, &ctx.args[1], ctx.argc() - 1);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ReplyMembers(ctx, *res);
}
void CmdSUnion(CommandContext& ctx) { Combine(ctx, SetAlgebra::kUnion); }
void CmdSDiff(CommandContext& ctx) { Combine(ctx, SetAlgebra::kDiff); }

void CombineStore(CommandContext& ctx, SetAlgebra op) {
  LookupCounts counts;
  bool dst_deleted = false;
  auto res = SetCombineStore(ctx.db(), ctx.args[1], &ctx.args[2], ctx.argc() - 2, op, Limits(ctx),
                             ctx.now_ms, &counts, &dst_deleted);
  AddLookupCounts(ctx, counts, &ctx.args[2], ctx.argc() - 2);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (*res > 0 || dst_deleted) ctx.AddDirty();
  if (*res > 0) {
    Notify(ctx, kNotifySet,
           op == SetAlgebra::kInter   ? "sinterstore"
           : op == SetAlgebra::kUnion ? "sunionstore"
                                      : "sdiffstore",
           ctx.args[1]);
  } else if (dst_deleted) {
    Notify(ctx, kNotifyGeneric, "del", ctx.args[1]);
  }
  ctx.rb.Integer(static_cast<int64_t>(*res));
}
void CmdSInterStore(CommandContext& ctx) { CombineStore(ctx, SetAlgebra::kInter); }
void CmdSUnionStore(CommandContext& ctx) { CombineStore(ctx, SetAlgebra::kUnion); }
void CmdSDiffStore(CommandContext& ctx) { CombineStore(ctx, SetAlgebra::kDiff); }

void CmdSScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.args[2], &cursor)) return ctx.rb.Error(errors::kInvalidCursor);
  bool missing;
  SetValue* set = ReadSet(ctx, &missing);
  if (set == nullptr) {
    if (missing) ReplyScan(ctx.rb, 0, {});
    return;
  }
  ScanArgs sa;
  if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &sa)) return;
  // As in Redis: visit buckets until COUNT members were collected or 10x
  // COUNT steps were taken, then filter by the pattern.
  std::vector<std::string> members;
  size_t steps = sa.count * 10;
  do {
    cursor = set->Scan(cursor, [&](std::string_view m) { members.emplace_back(m); });
  } while (cursor != 0 && steps-- > 0 && members.size() < sa.count);
  if (sa.has_pattern) {
    std::erase_if(members, [&](const std::string& m) { return !GlobMatch(sa.pattern, m); });
  }
  ReplyScan(ctx.rb, cursor, members);
}

}  // namespace

void RegisterSetCommands(CommandTable& t) {
  t.Bind("SADD", CmdSAdd);
  t.Bind("SREM", CmdSRem);
  t.Bind("SMEMBERS", CmdSMembers);
  t.Bind("SISMEMBER", CmdSIsMember);
  t.Bind("SMISMEMBER", CmdSMIsMember);
  t.Bind("SCARD", CmdSCard);
  t.Bind("SPOP", CmdSPop);
  t.Bind("SRANDMEMBER", CmdSRandMember);
  t.Bind("SMOVE", CmdSMove);
  t.Bind("SINTER", CmdSInter);
  t.Bind("SINTERCARD", CmdSInterCard);
  t.Bind("SUNION", CmdSUnion);
  t.Bind("SDIFF", CmdSDiff);
  t.Bind("SINTERSTORE", CmdSInterStore);
  t.Bind("SUNIONSTORE", CmdSUnionStore);
  t.Bind("SDIFFSTORE", CmdSDiffStore);
  t.Bind("SSCAN", CmdSScan);
}

}  // namespace duet
