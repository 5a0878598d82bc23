// Sorted-set commands (all of Redis 7.0's but the blocking BZPOPMIN,
// BZPOPMAX and BZMPOP). Handlers parse with Redis's order of checks (which
// error wins matters to clients), call one operation of storage/zset_ops.h and
// stream results into the reply through a ZRangeSink.
//
// Reply shapes: WITHSCORES replies (ZRANGE family, ZUNION/ZINTER/ZDIFF,
// ZRANDMEMBER) and ZPOPMIN/ZPOPMAX with a count are flat member, score lists
// under RESP2 and lists of [member, score] pairs under RESP3; ZPOPMIN/ZPOPMAX
// without a count stay flat in both; ZMPOP always nests. Scores are RESP3
// doubles (bulk strings in %.17g form under RESP2), except in ZSCAN, which
// replies strings in both.

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/commands/scan_args.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/zset_ops.h"
#include "utils/glob.h"

namespace duet {
namespace {

constexpr std::string_view kErrNaN = "ERR resulting score is not a number (NaN)";
constexpr std::string_view kErrNxXx = "ERR XX and NX options at the same time are not compatible";
constexpr std::string_view kErrGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
constexpr std::string_view kErrIncrPair =
    "ERR INCR option supports a single increment-element pair";
constexpr std::string_view kErrLimitNeedsBy =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr std::string_view kErrWithScoresByLex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
constexpr std::string_view kErrWeightNotFloat = "ERR weight value is not a float";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";
constexpr std::string_view kErrNumKeys = "ERR numkeys should be greater than 0";
constexpr std::string_view kErrCountAboveZero = "ERR count should be greater than 0";
constexpr std::string_view kErrRandCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
constexpr std::string_view kErrValueOutOfRange = "ERR value is out of range";

const CollectionLimits& Limits(CommandContext& ctx) { return ctx.server.config().collections; }

// Writes entries straight into the reply.
//   flat:   [m1, s1, m2, s2, ...] (or [m1, m2, ...] without scores)
//   nested: [[m1, s1], [m2, s2], ...]
// With a key, the list is wrapped as [key, list] (ZMPOP).
class ReplySink final : public ZRangeSink {
 public:
  ReplySink(ReplyBuilder& rb, bool withscores, bool nested, std::string_view key = {},
            bool with_key = false)
      : rb_(rb), key_(key), withscores_(withscores), nested_(nested), with_key_(with_key) {}

  void Begin(uint64_t count) override {
    if (with_key_) {
      rb_.ArrayHeader(2);
      rb_.Bulk(key_);
    }
    rb_.ArrayHeader(withscores_ && !nested_ ? count * 2 : count);
  }
  void Emit(std::string_view member, double score) override {
    if (nested_) rb_.ArrayHeader(2);
    rb_.Bulk(member);
    if (withscores_) rb_.Double(score);
  }

 private:
  ReplyBuilder& rb_;
  std::string_view key_;
  bool withscores_;
  bool nested_;
  bool with_key_;
};

// A WITHSCORES reply: pairs nest under RESP3 only.
ReplySink ScoresReply(CommandContext& ctx, bool withscores) {
  return ReplySink(ctx.rb, withscores, withscores && ctx.rb.resp() >= 3);
}

// --- ZADD / ZINCRBY -------------------------------------------------------------------

void ZAddGeneric(CommandContext& ctx, unsigned flags) {
  // The options come before the pairs; ZINCRBY goes through the same loop.
  bool ch = false;
  ArgParser p(ctx.args, 2);
  while (p.HasNext()) {
    if (p.Eat("NX")) {
      flags |= ZSetValue::kAddNX;
    } else if (p.Eat("XX")) {
      flags |= ZSetValue::kAddXX;
    } else if (p.Eat("CH")) {
      ch = true;
    } else if (p.Eat("INCR")) {
      flags |= ZSetValue::kAddIncr;
    } else if (p.Eat("GT")) {
      flags |= ZSetValue::kAddGT;
    } else if (p.Eat("LT")) {
      flags |= ZSetValue::kAddLT;
    } else {
      break;
    }
  }
  const size_t rest = p.remaining();
  if (rest == 0 || rest % 2 != 0) return ctx.rb.Error(errors::kSyntax);
  const size_t n = rest / 2;
  const bool nx = flags & ZSetValue::kAddNX, gt = flags & ZSetValue::kAddGT;
  const bool lt = flags & ZSetValue::kAddLT, incr = flags & ZSetValue::kAddIncr;
  if (nx && (flags & ZSetValue::kAddXX)) return ctx.rb.Error(kErrNxXx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return ctx.rb.Error(kErrGtLtNx);
  if (incr && n > 1) return ctx.rb.Error(kErrIncrPair);

  // Every score is checked before anything changes. Typical calls fit the
  // stack buffer, so the hot path allocates nothing here.
  constexpr size_t kInline = 16;
  ZAddItem inline_items[kInline];
  std::unique_ptr<ZAddItem[]> heap_items;
  ZAddItem* items = inline_items;
  if (n > kInline) {
    heap_items = std::make_unique<ZAddItem[]>(n);
    items = heap_items.get();
  }
  for (size_t i = 0; i < n; ++i) {
    if (!ParseDouble(p.Next(), &items[i].score)) return ctx.rb.Error(errors::kNotFloat);
    items[i].member = p.Next();
  }

  auto res = ZSetAdd(ctx.db(), ctx.args[1], {items, n}, flags, Limits(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(res->added + res->updated));
  if (res->added + res->updated > 0) {
    Notify(ctx, kNotifyZset, incr ? "zincr" : "zadd", ctx.args[1]);
  }
  if (res->nan) return ctx.rb.Error(kErrNaN);
  if (incr) {
    if (res->processed == 0) return ctx.rb.Null();
    return ctx.rb.Double(res->score);
  }
  ctx.rb.Integer(static_cast<int64_t>(ch ? res->added + res->updated : res->added));
}

void CmdZAdd(CommandContext& ctx) { ZAddGeneric(ctx, 0); }
void CmdZIncrBy(CommandContext& ctx) { ZAddGeneric(ctx, ZSetValue::kAddIncr); }

// --- Removal --------------------------------------------------------------------------

void CmdZRem(CommandContext& ctx) {
  std::span<const std::string_view> members(ctx.args.data() + 2, ctx.argc() - 2);
  auto res = ZSetRemove(ctx.db(), ctx.args[1], members, ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(*res));
  if (*res > 0) NotifyRemoval(ctx, kNotifyZset, "zrem", ctx.args[1]);
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void RemoveRange(CommandContext& ctx, const ZRangeSpec& spec) {
  auto res = ZSetRemoveRange(ctx.db(), ctx.args[1], spec, ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.Integer(0);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(*res));
  if (*res > 0) {
    std::string_view event = spec.by == ZRangeSpec::By::kScore ? "zremrangebyscore"
                             : spec.by == ZRangeSpec::By::kLex ? "zremrangebylex"
                                                               : "zremrangebyrank";
    NotifyRemoval(ctx, kNotifyZset, event, ctx.args[1]);
  }
  ctx.rb.Integer(static_cast<int64_t>(*res));
}

void CmdZRemRangeByRank(CommandContext& ctx) {
  ZRangeSpec spec;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &spec.start) ||
      !ParseIntArg(ctx.rb, ctx.args[3], &spec.stop)) {
    return;
  }
  RemoveRange(ctx, spec);
}

void CmdZRemRangeByScore(CommandContext& ctx) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kScore;
  if (!ParseScoreRange(ctx.args[2], ctx.args[3], &spec.score)) {
    return ctx.rb.Error(kErrMinMaxNotFloat);
  }
  RemoveRange(ctx, spec);
}

void CmdZRemRangeByLex(CommandContext& ctx) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kLex;
  if (!ParseLexRange(ctx.args[2], ctx.args[3], &spec.lex)) {
    return ctx.rb.Error(kErrMinMaxNotStringRange);
  }
  RemoveRange(ctx, spec);
}

// --- Single-key reads -------------------------------------------------------------------

// The sorted set for a read command, counting the lookup. Null when absent;
// on a type error it replies and sets *replied.
const ZSetValue* FindForRead(CommandContext& ctx, std::string_view key, bool* replied) {
  auto res = ZSetFind(ctx.db(), key, ctx.now_ms);
  CountKeyLookup(ctx, key, res.status() != OpStatus::kKeyNotFound);
  *replied = false;
  if (res.ok()) return *res;
  if (res.status() != OpStatus::kKeyNotFound) {
    ReplyOpError(ctx.rb, res.status());
    *replied = true;
  }
  return nullptr;
}

void CmdZCard(CommandContext& ctx) {
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  ctx.rb.Integer(z == nullptr ? 0 : static_cast<int64_t>(z->Size()));
}

void CmdZCount(CommandContext& ctx) {
  ScoreRange range;
  if (!ParseScoreRange(ctx.args[2], ctx.args[3], &range)) return ctx.rb.Error(kErrMinMaxNotFloat);
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  ctx.rb.Integer(z == nullptr ? 0 : static_cast<int64_t>(z->CountByScore(range)));
}

void CmdZLexCount(CommandContext& ctx) {
  LexRange range;
  if (!ParseLexRange(ctx.args[2], ctx.args[3], &range)) {
    return ctx.rb.Error(kErrMinMaxNotStringRange);
  }
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  ctx.rb.Integer(z == nullptr ? 0 : static_cast<int64_t>(z->CountByLex(range)));
}

void CmdZScore(CommandContext& ctx) {
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  const std::optional<double> score = z == nullptr ? std::nullopt : z->Score(ctx.args[2]);
  if (!score) return ctx.rb.Null();
  ctx.rb.Double(*score);
}

void CmdZMScore(CommandContext& ctx) {
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  ctx.rb.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const std::optional<double> score = z == nullptr ? std::nullopt : z->Score(ctx.args[i]);
    if (score) {
      ctx.rb.Double(*score);
    } else {
      ctx.rb.Null();
    }
  }
}

void RankGeneric(CommandContext& ctx, bool reverse) {
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  const std::optional<uint64_t> rank = z == nullptr ? std::nullopt : z->Rank(ctx.args[2], reverse);
  if (!rank) return ctx.rb.Null();
  ctx.rb.Integer(static_cast<int64_t>(*rank));
}
void CmdZRank(CommandContext& ctx) { RankGeneric(ctx, false); }
void CmdZRevRank(CommandContext& ctx) { RankGeneric(ctx, true); }

// --- The ZRANGE family ------------------------------------------------------------------

enum class RangeBy { kAuto, kRank, kScore, kLex };
enum class RangeDir { kAuto, kForward, kReverse };

// Every ZRANGE-style command: `by` and `dir` are fixed by the legacy commands
// and left to the options (BYSCORE, BYLEX, REV) by ZRANGE and ZRANGESTORE.
// args[key_index] is the source, followed by the two range arguments.
void RangeGeneric(CommandContext& ctx, size_t key_index, bool store, RangeBy by, RangeDir dir) {
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  ArgParser p(ctx.args, key_index + 3);
  while (p.HasNext()) {
    if (!store && p.Eat("WITHSCORES")) {
      withscores = true;
    } else if (p.remaining() >= 3 && p.Eat("LIMIT")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &offset) || !ParseIntArg(ctx.rb, p.Next(), &limit)) return;
    } else if (dir == RangeDir::kAuto && p.Eat("REV")) {
      dir = RangeDir::kReverse;
    } else if (by == RangeBy::kAuto && p.Eat("BYLEX")) {
      by = RangeBy::kLex;
    } else if (by == RangeBy::kAuto && p.Eat("BYSCORE")) {
      by = RangeBy::kScore;
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  if (by == RangeBy::kAuto) by = RangeBy::kRank;
  // "LIMIT 0 -1" is Redis's own "no limit", so it passes with ranks too.
  if (limit != -1 && by == RangeBy::kRank) return ctx.rb.Error(kErrLimitNeedsBy);
  if (withscores && by == RangeBy::kLex) return ctx.rb.Error(kErrWithScoresByLex);

  ZRangeSpec spec;
  spec.reverse = dir == RangeDir::kReverse;
  spec.offset = offset;
  spec.limit = limit;
  std::string_view min = ctx.args[key_index + 1], max = ctx.args[key_index + 2];
  // Reversed score and lex ranges are written max first.
  if (spec.reverse && by != RangeBy::kRank) std::swap(min, max);
  switch (by) {
    case RangeBy::kAuto:
    case RangeBy::kRank:
      if (!ParseIntArg(ctx.rb, min, &spec.start) || !ParseIntArg(ctx.rb, max, &spec.stop)) return;
      break;
    case RangeBy::kScore:
      spec.by = ZRangeSpec::By::kScore;
      if (!ParseScoreRange(min, max, &spec.score)) return ctx.rb.Error(kErrMinMaxNotFloat);
      break;
    case RangeBy::kLex:
      spec.by = ZRangeSpec::By::kLex;
      if (!ParseLexRange(min, max, &spec.lex)) return ctx.rb.Error(kErrMinMaxNotStringRange);
      break;
  }

  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[key_index], &replied);
  if (replied) return;
  if (store) {
    bool changed = false;
    const uint64_t n =
        ZSetRangeStore(ctx.db(), ctx.args[1], z, spec, Limits(ctx), ctx.now_ms, &changed);
    if (changed) {
      ctx.AddDirty();
      // An empty result deletes the destination.
      if (n > 0) {
        Notify(ctx, kNotifyZset, "zrangestore", ctx.args[1]);
      } else {
        Notify(ctx, kNotifyGeneric, "del", ctx.args[1]);
      }
    }
    return ctx.rb.Integer(static_cast<int64_t>(n));
  }
  if (z == nullptr) return ctx.rb.EmptyArray();
  ReplySink sink = ScoresReply(ctx, withscores);
  ZSetRange(*z, spec, sink);
}

void CmdZRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kAuto, RangeDir::kAuto);
}
void CmdZRangeStore(CommandContext& ctx) {
  RangeGeneric(ctx, 2, true, RangeBy::kAuto, RangeDir::kAuto);
}
void CmdZRevRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kRank, RangeDir::kReverse);
}
void CmdZRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kScore, RangeDir::kForward);
}
void CmdZRevRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kScore, RangeDir::kReverse);
}
void CmdZRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kLex, RangeDir::kForward);
}
void CmdZRevRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeBy::kLex, RangeDir::kReverse);
}

// --- Popping ------------------------------------------------------------------------------

void PopGeneric(CommandContext& ctx, bool from_max) {
  if (ctx.argc() > 3) return ctx.rb.Error(errors::kSyntax);
  int64_t count = -1;  // no count argument: one entry, always a flat reply
  if (ctx.argc() == 3 && (!ParseInt64(ctx.args[2], &count) || count < 0)) {
    return ctx.rb.Error(errors::kCountPositive);
  }
  const bool nested = count != -1 && ctx.rb.resp() >= 3;
  ReplySink sink(ctx.rb, /*withscores=*/true, nested);
  auto res = ZSetPop(ctx.db(), ctx.args[1], count == -1 ? 1 : static_cast<uint64_t>(count),
                     from_max, sink, ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) return ctx.rb.EmptyArray();
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty(static_cast<int64_t>(*res));
  if (*res > 0) NotifyRemoval(ctx, kNotifyZset, from_max ? "zpopmax" : "zpopmin", ctx.args[1]);
}
void CmdZPopMin(CommandContext& ctx) { PopGeneric(ctx, false); }
void CmdZPopMax(CommandContext& ctx) { PopGeneric(ctx, true); }

void CmdZMPop(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseInt64(ctx.args[1], &numkeys) || numkeys < 1) return ctx.rb.Error(kErrNumKeys);
  // args: ZMPOP numkeys key... MIN|MAX [COUNT n]
  if (static_cast<uint64_t>(numkeys) >= ctx.argc() - 2) return ctx.rb.Error(errors::kSyntax);
  const auto nkeys = static_cast<size_t>(numkeys);
  ArgParser p(ctx.args, 2 + nkeys);
  bool from_max;
  if (p.Eat("MIN")) {
    from_max = false;
  } else if (p.Eat("MAX")) {
    from_max = true;
  } else {
    return ctx.rb.Error(errors::kSyntax);
  }
  int64_t count = -1;
  while (p.HasNext()) {
    if (count == -1 && p.remaining() >= 2 && p.Eat("COUNT")) {
      if (!ParseInt64(p.Next(), &count) || count < 1) return ctx.rb.Error(kErrCountAboveZero);
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  if (count == -1) count = 1;
  // The first key that exists is popped from; a key of another type before
  // it is an error.
  for (size_t i = 0; i < nkeys; ++i) {
    const std::string_view key = ctx.args[2 + i];
    ReplySink sink(ctx.rb, /*withscores=*/true, /*nested=*/true, key, /*with_key=*/true);
    auto res = ZSetPop(ctx.db(), key, static_cast<uint64_t>(count), from_max, sink, ctx.now_ms);
    if (res.status() == OpStatus::kKeyNotFound) continue;
    if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
    ctx.AddDirty(static_cast<int64_t>(*res));
    if (*res > 0) NotifyRemoval(ctx, kNotifyZset, from_max ? "zpopmax" : "zpopmin", key);
    return;
  }
  ctx.rb.NullArray();
}

// --- ZRANDMEMBER --------------------------------------------------------------------------

void CmdZRandMember(CommandContext& ctx) {
  bool replied;
  if (ctx.argc() == 2) {
    const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
    if (replied) return;
    if (z == nullptr) return ctx.rb.Null();
    return z->Random(-1, [&](std::string_view m, double) { ctx.rb.Bulk(m); });
  }
  // The count and options are checked before the key.
  int64_t count;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &count)) return;
  if (count == std::numeric_limits<int64_t>::min()) return ctx.rb.Error(kErrRandCountRange);
  bool withscores = false;
  if (ctx.argc() > 4 ||
      (ctx.argc() == 4 && !ArgParser::EqualsIgnoreCase(ctx.args[3], "WITHSCORES"))) {
    return ctx.rb.Error(errors::kSyntax);
  }
  if (ctx.argc() == 4) {
    withscores = true;
    // The reply holds twice as many items; Redis refuses counts it could not double.
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (count < -kHalf || count > kHalf) return ctx.rb.Error(kErrValueOutOfRange);
  }
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  if (z == nullptr || count == 0) return ctx.rb.EmptyArray();
  ReplySink sink = ScoresReply(ctx, withscores);
  if (count > 0 && static_cast<uint64_t>(count) >= z->Size()) {
    // The whole set, in the order Redis walks it: highest score first.
    ZRangeSpec all;
    all.reverse = true;
    ZSetRange(*z, all, sink);
    return;
  }
  sink.Begin(count > 0 ? static_cast<uint64_t>(count) : 0 - static_cast<uint64_t>(count));
  z->Random(count, [&](std::string_view m, double s) { sink.Emit(m, s); });
}

// --- Set algebra ----------------------------------------------------------------------------

// ZUNION, ZINTER, ZDIFF (dst null), their STORE forms and ZINTERCARD
// (card_only). args[numkeys_index] is numkeys, the keys follow.
void SetOpGeneric(CommandContext& ctx, const std::string_view* dst, size_t numkeys_index, ZSetOp op,
                  bool card_only) {
  int64_t numkeys;
  if (!ParseIntArg(ctx.rb, ctx.args[numkeys_index], &numkeys)) return;
  if (numkeys < 1) {
    return ctx.rb.Error("ERR at least 1 input key is needed for '" + ctx.command.full_name +
                        "' command");
  }
  if (static_cast<uint64_t>(numkeys) > ctx.argc() - (numkeys_index + 1)) {
    return ctx.rb.Error(errors::kSyntax);
  }
  // The keys are looked up (and type-checked) before the options are read.
  const auto n = static_cast<size_t>(numkeys);
  std::vector<ZSetSource> sources(n);
  for (size_t i = 0; i < n; ++i) {
    auto src = ZSetSourceAt(ctx.db(), ctx.args[numkeys_index + 1 + i], ctx.now_ms);
    CountKeyLookup(ctx, ctx.args[numkeys_index + 1 + i], !src.ok() || src->exists());
    if (!src.ok()) return ReplyOpError(ctx.rb, src.status());
    sources[i] = *src;
  }

  const bool weighted = op != ZSetOp::kDiff && !card_only;
  ZAggregate agg = ZAggregate::kSum;
  bool withscores = false;
  uint64_t limit = 0;
  ArgParser p(ctx.args, numkeys_index + 1 + n);
  while (p.HasNext()) {
    if (weighted && p.remaining() >= n + 1 && p.Eat("WEIGHTS")) {
      for (ZSetSource& src : sources) {
        if (!ParseDouble(p.Next(), &src.weight)) return ctx.rb.Error(kErrWeightNotFloat);
      }
    } else if (weighted && p.remaining() >= 2 && p.Eat("AGGREGATE")) {
      if (p.Eat("SUM")) {
        agg = ZAggregate::kSum;
      } else if (p.Eat("MIN")) {
        agg = ZAggregate::kMin;
      } else if (p.Eat("MAX")) {
        agg = ZAggregate::kMax;
      } else {
        return ctx.rb.Error(errors::kSyntax);
      }
    } else if (dst == nullptr && !card_only && p.Eat("WITHSCORES")) {
      withscores = true;
    } else if (card_only && p.remaining() >= 2 && p.Eat("LIMIT")) {
      int64_t l;
      if (!ParseInt64(p.Next(), &l) || l < 0) return ctx.rb.Error(kErrLimitNegative);
      limit = static_cast<uint64_t>(l);
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }

  if (card_only) return ctx.rb.Integer(static_cast<int64_t>(ZSetInterCard(sources, limit)));
  ZSetValue result = ZSetCombine(sources, op, agg);
  if (dst != nullptr) {
    const auto size = static_cast<int64_t>(result.Size());
    if (ZSetStore(ctx.db(), *dst, std::move(result), Limits(ctx), ctx.now_ms)) {
      ctx.AddDirty();
      // An empty result deletes the destination.
      std::string_view event = size == 0              ? "del"
                               : op == ZSetOp::kUnion ? "zunionstore"
                               : op == ZSetOp::kInter ? "zinterstore"
                                                      : "zdiffstore";
      Notify(ctx, size == 0 ? kNotifyGeneric : kNotifyZset, event, *dst);
    }
    return ctx.rb.Integer(size);
  }
  ReplySink sink = ScoresReply(ctx, withscores);
  ZSetRange(result, ZRangeSpec{}, sink);
}

void CmdZUnion(CommandContext& ctx) { SetOpGeneric(ctx, nullptr, 1, ZSetOp::kUnion, false); }
void CmdZInter(CommandContext& ctx) { SetOpGeneric(ctx, nullptr, 1, ZSetOp::kInter, false); }
void CmdZDiff(CommandContext& ctx) { SetOpGeneric(ctx, nullptr, 1, ZSetOp::kDiff, false); }
void CmdZInterCard(CommandContext& ctx) { SetOpGeneric(ctx, nullptr, 1, ZSetOp::kInter, true); }
void CmdZUnionStore(CommandContext& ctx) {
  SetOpGeneric(ctx, &ctx.args[1], 2, ZSetOp::kUnion, false);
}
void CmdZInterStore(CommandContext& ctx) {
  SetOpGeneric(ctx, &ctx.args[1], 2, ZSetOp::kInter, false);
}
void CmdZDiffStore(CommandContext& ctx) {
  SetOpGeneric(ctx, &ctx.args[1], 2, ZSetOp::kDiff, false);
}

// --- ZSCAN ----------------------------------------------------------------------------------

void CmdZScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.args[2], &cursor)) return ctx.rb.Error(errors::kInvalidCursor);
  bool replied;
  const ZSetValue* z = FindForRead(ctx, ctx.args[1], &replied);
  if (replied) return;
  if (z == nullptr) return ReplyScan(ctx.rb, 0, {});
  ScanArgs sa;
  if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &sa)) return;

  // Like Redis, COUNT bounds the items gathered (a member and its score are
  // two) before MATCH filters them.
  std::vector<std::string> items;
  uint64_t gathered = 0;
  const bool listpack = z->IsListpack();
  char buf[kMaxDoubleChars];
  auto take = [&](std::string_view member, double score) {
    gathered += 2;
    if (sa.has_pattern && !GlobMatch(sa.pattern, member)) return;
    items.emplace_back(member);
    items.emplace_back(buf, FormatZScanScore(score, listpack, buf));
  };
  uint64_t steps_left = sa.count * 10;
  do {
    cursor = z->Scan(cursor, take);
  } while (cursor != 0 && steps_left-- > 0 && gathered < sa.count);
  ReplyScan(ctx.rb, cursor, items);
}

}  // namespace

void RegisterZSetCommands(CommandTable& t) {
  t.Bind("ZADD", CmdZAdd);
  t.Bind("ZINCRBY", CmdZIncrBy);
  t.Bind("ZREM", CmdZRem);
  t.Bind("ZREMRANGEBYRANK", CmdZRemRangeByRank);
  t.Bind("ZREMRANGEBYSCORE", CmdZRemRangeByScore);
  t.Bind("ZREMRANGEBYLEX", CmdZRemRangeByLex);
  t.Bind("ZCARD", CmdZCard);
  t.Bind("ZCOUNT", CmdZCount);
  t.Bind("ZLEXCOUNT", CmdZLexCount);
  t.Bind("ZSCORE", CmdZScore);
  t.Bind("ZMSCORE", CmdZMScore);
  t.Bind("ZRANK", CmdZRank);
  t.Bind("ZREVRANK", CmdZRevRank);
  t.Bind("ZRANGE", CmdZRange);
  t.Bind("ZRANGESTORE", CmdZRangeStore);
  t.Bind("ZREVRANGE", CmdZRevRange);
  t.Bind("ZRANGEBYSCORE", CmdZRangeByScore);
  t.Bind("ZREVRANGEBYSCORE", CmdZRevRangeByScore);
  t.Bind("ZRANGEBYLEX", CmdZRangeByLex);
  t.Bind("ZREVRANGEBYLEX", CmdZRevRangeByLex);
  t.Bind("ZPOPMIN", CmdZPopMin);
  t.Bind("ZPOPMAX", CmdZPopMax);
  t.Bind("ZMPOP", CmdZMPop);
  t.Bind("ZRANDMEMBER", CmdZRandMember);
  t.Bind("ZUNION", CmdZUnion);
  t.Bind("ZINTER", CmdZInter);
  t.Bind("ZDIFF", CmdZDiff);
  t.Bind("ZINTERCARD", CmdZInterCard);
  t.Bind("ZUNIONSTORE", CmdZUnionStore);
  t.Bind("ZINTERSTORE", CmdZInterStore);
  t.Bind("ZDIFFSTORE", CmdZDiffStore);
  t.Bind("ZSCAN", CmdZScan);
}

}  // namespace duet
