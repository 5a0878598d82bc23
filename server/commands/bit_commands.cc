// Bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
// BITFIELD_RO) and the two other string algorithms, LCS and INCRBYFLOAT.

#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/notify.h"
#include "server/server.h"
#include "storage/bitops.h"
#include "storage/lcs.h"
#include "storage/string_ops.h"

namespace duet {
namespace {

uint64_t MaxBulk(CommandContext& ctx) {
  return static_cast<uint64_t>(ctx.server.config().proto_max_bulk_len);
}

void KeyMiss(CommandContext& ctx, std::string_view key) {
  Notify(ctx, kNotifyKeyMiss, "keymiss", key);
}

void CmdSetBit(CommandContext& ctx) {
  uint64_t offset;
  bool on;
  if (!ParseBitOffset(ctx.args[2], MaxBulk(ctx), 0, &offset)) return ctx.rb.Error(kErrBitOffset);
  if (!ParseBitValue(ctx.args[3], &on)) return ctx.rb.Error(kErrBitValue);
  // Like Redis, setting a bit to the value it has is no write (WATCH, events)
  // unless the key was created or grew for it.
  const Entry* before = ctx.db().Peek(ctx.args[1]);
  size_t old_len = before != nullptr ? before->v.str.len : 0;
  uint64_t version_before = ctx.server.keyspace().version();
  auto res =
      StringForBitWrite(ctx.db(), ctx.args[1], BytesForBit(offset), MaxBulk(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  Entry* e = *res;
  int old = SetBit(std::span<char>(e->str_data(), e->v.str.len), offset, on);
  bool created = e->version > version_before;
  if (created || e->v.str.len != old_len || (old != 0) != on) {
    ctx.db().Touch(e);
    ctx.AddDirty();
    Notify(ctx, kNotifyString, "setbit", ctx.args[1]);
  }
  ctx.rb.Integer(old);
}

void CmdGetBit(CommandContext& ctx) {
  uint64_t offset;
  if (!ParseBitOffset(ctx.args[2], MaxBulk(ctx), 0, &offset)) return ctx.rb.Error(kErrBitOffset);
  auto res = StringGet(ctx.db(), ctx.args[1], ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) {
    KeyMiss(ctx, ctx.args[1]);
    return ctx.rb.Integer(0);
  }
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.rb.Integer(GetBit(*res, offset));
}

// Parses BYTE|BIT; false after a syntax error reply.
bool ParseUnit(CommandContext& ctx, std::string_view arg, BitUnit* unit) {
  if (ArgParser::EqualsIgnoreCase(arg, "BYTE")) {
    *unit = BitUnit::kByte;
  } else if (ArgParser::EqualsIgnoreCase(arg, "BIT")) {
    *unit = BitUnit::kBit;
  } else {
    ctx.rb.Error(errors::kSyntax);
    return false;
  }
  return true;
}

void CmdBitCount(CommandContext& ctx) {
  // As in Redis 7.0, a missing key answers 0 before the range is looked at.
  auto res = StringGet(ctx.db(), ctx.args[1], ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) {
    KeyMiss(ctx, ctx.args[1]);
    return ctx.rb.Integer(0);
  }
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (ctx.argc() == 2) return ctx.rb.Integer(BitCount(*res));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.rb.Error(errors::kSyntax);
  int64_t start, end;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &start) || !ParseIntArg(ctx.rb, ctx.args[3], &end)) return;
  BitUnit unit = BitUnit::kByte;
  if (ctx.argc() == 5 && !ParseUnit(ctx, ctx.args[4], &unit)) return;
  ctx.rb.Integer(BitCount(*res, start, end, unit));
}

void CmdBitPos(CommandContext& ctx) {
  int64_t bit;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &bit)) return;
  if (bit != 0 && bit != 1) return ctx.rb.Error(kErrBitposBit);
  auto res = StringGet(ctx.db(), ctx.args[1], ctx.now_ms);
  if (res.status() == OpStatus::kKeyNotFound) {
    KeyMiss(ctx, ctx.args[1]);
    return ctx.rb.Integer(bit ? -1 : 0);
  }
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (ctx.argc() == 3) return ctx.rb.Integer(BitPos(*res, bit == 1));
  if (ctx.argc() > 6) return ctx.rb.Error(errors::kSyntax);
  int64_t start;
  std::optional<int64_t> end;
  BitUnit unit = BitUnit::kByte;
  if (!ParseIntArg(ctx.rb, ctx.args[3], &start)) return;
  if (ctx.argc() == 6 && !ParseUnit(ctx, ctx.args[5], &unit)) return;
  if (ctx.argc() >= 5) {
    int64_t e;
    if (!ParseIntArg(ctx.rb, ctx.args[4], &e)) return;
    end = e;
  }
  ctx.rb.Integer(BitPos(*res, bit == 1, start, end, unit));
}

void CmdBitOp(CommandContext& ctx) {
  BitOpKind op;
  if (!ParseBitOpKind(ctx.args[1], &op)) return ctx.rb.Error(errors::kSyntax);
  if (op == BitOpKind::kNot && ctx.argc() != 4) return ctx.rb.Error(kErrBitopNotOneKey);
  Database& db = ctx.db();
  // Copy the sources first: the destination may be one of them.
  std::vector<std::string> copies;
  copies.reserve(ctx.argc() - 3);
  for (size_t i = 3; i < ctx.argc(); ++i) {
    auto res = StringGet(db, ctx.args[i], ctx.now_ms);
    if (res.status() == OpStatus::kWrongType) return ctx.rb.Error(errors::kWrongType);
    if (res.status() == OpStatus::kKeyNotFound) KeyMiss(ctx, ctx.args[i]);
    copies.emplace_back(res.ok() ? *res : std::string_view());
  }
  std::vector<std::string_view> srcs(copies.begin(), copies.end());
  std::string result = BitOp(op, srcs);
  if (result.empty()) {
    if (db.Find(ctx.args[2], ctx.now_ms) != nullptr) {
      db.Delete(ctx.args[2]);
      ctx.AddDirty();
      Notify(ctx, kNotifyGeneric, "del", ctx.args[2]);
    }
    return ctx.rb.Integer(0);
  }
  StringOverwrite(db, ctx.args[2], result, 0, ctx.now_ms);
  ctx.AddDirty();
  Notify(ctx, kNotifyString, "set", ctx.args[2]);
  ctx.rb.Integer(static_cast<int64_t>(result.size()));
}

void BitfieldGeneric(CommandContext& ctx, bool ro) {
  BitfieldPlan plan;
  std::span<const std::string_view> ops(ctx.args.data() + 2, ctx.argc() - 2);
  BitfieldError err = ParseBitfield(ops, ro, MaxBulk(ctx), &plan);
  if (err != BitfieldError::kNone) return ctx.rb.Error(BitfieldErrorText(err));
  Database& db = ctx.db();
  if (plan.read_only) {
    auto res = StringGet(db, ctx.args[1], ctx.now_ms);
    if (res.status() == OpStatus::kWrongType) return ctx.rb.Error(errors::kWrongType);
    if (res.status() == OpStatus::kKeyNotFound) KeyMiss(ctx, ctx.args[1]);
    std::string_view s = res.ok() ? *res : std::string_view();
    ctx.rb.ArrayHeader(plan.ops.size());
    for (const auto& op : plan.ops) ctx.rb.Integer(BitfieldGet(s, op.offset, op.type));
    return;
  }
  auto res = StringForBitWrite(db, ctx.args[1], plan.bytes_needed, MaxBulk(ctx), ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  Entry* e = *res;
  bool changed = false;
  ctx.rb.ArrayHeader(plan.ops.size());
  for (const auto& op : plan.ops) {
    BitfieldResult r = BitfieldApply(op, std::span<char>(e->str_data(), e->v.str.len), &changed);
    if (r.is_nil) {
      ctx.rb.Null();
    } else {
      ctx.rb.Integer(r.value);
    }
  }
  if (changed) {
    db.Touch(e);
    ctx.AddDirty();
    Notify(ctx, kNotifyString, "setbit", ctx.args[1]);
  }
}
void CmdBitfield(CommandContext& ctx) { BitfieldGeneric(ctx, false); }
void CmdBitfieldRo(CommandContext& ctx) { BitfieldGeneric(ctx, true); }

void CmdLcs(CommandContext& ctx) {
  LcsMode mode = LcsMode::kString;
  bool len = false, idx = false, withmatchlen = false;
  int64_t minmatchlen = 0;
  ArgParser p(ctx.args, 3);
  while (p.HasNext()) {
    if (p.Eat("LEN")) {
      len = true;
    } else if (p.Eat("IDX")) {
      idx = true;
    } else if (p.Eat("WITHMATCHLEN")) {
      withmatchlen = true;
    } else if (p.remaining() >= 2 && p.Eat("MINMATCHLEN")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &minmatchlen)) return;
      if (minmatchlen < 0) minmatchlen = 0;
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  std::string_view a, b;
  Database& db = ctx.db();
  for (int i = 0; i < 2; ++i) {
    auto res = StringGet(db, ctx.args[1 + static_cast<size_t>(i)], ctx.now_ms);
    if (res.status() == OpStatus::kWrongType) return ctx.rb.Error(kErrLcsNotStrings);
    if (res.status() == OpStatus::kKeyNotFound) KeyMiss(ctx, ctx.args[1 + static_cast<size_t>(i)]);
    (i == 0 ? a : b) = res.ok() ? *res : std::string_view();
  }
  if (len && idx) return ctx.rb.Error(kErrLcsLenAndIdx);
  if (len) mode = LcsMode::kLen;
  if (idx) mode = LcsMode::kIdx;
  LcsResult out;
  LcsStatus st = ComputeLcs(a, b, mode, minmatchlen, MaxBulk(ctx), &out);
  switch (st) {
    case LcsStatus::kOk:
      break;
    case LcsStatus::kTooLarge:
      return ctx.rb.Error(kErrLcsTooLarge);
    case LcsStatus::kAllocFailed:
      return ctx.rb.Error(kErrLcsAllocFailed);
    case LcsStatus::kStringTooLong:
      return ctx.rb.Error(kErrLcsStringTooLong);
  }
  if (mode == LcsMode::kLen) return ctx.rb.Integer(out.len);
  if (mode == LcsMode::kString) return ctx.rb.Bulk(out.subsequence);
  ctx.rb.MapHeader(2);
  ctx.rb.Bulk("matches");
  ctx.rb.ArrayHeader(out.matches.size());
  for (const LcsMatch& m : out.matches) {
    ctx.rb.ArrayHeader(withmatchlen ? 3 : 2);
    ctx.rb.ArrayHeader(2);
    ctx.rb.Integer(m.a_start);
    ctx.rb.Integer(m.a_end);
    ctx.rb.ArrayHeader(2);
    ctx.rb.Integer(m.b_start);
    ctx.rb.Integer(m.b_end);
    if (withmatchlen) ctx.rb.Integer(m.len);
  }
  ctx.rb.Bulk("len");
  ctx.rb.Integer(out.len);
}

void CmdIncrByFloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[2], &delta)) return ctx.rb.Error(errors::kNotFloat);
  auto res = StringIncrByFloat(ctx.db(), ctx.args[1], delta, ctx.now_ms);
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  ctx.AddDirty();
  // The result, not the increment: float formatting must not differ on replay.
  ctx.PropagateAs({"SET", ctx.args[1], *res, "KEEPTTL"});
  Notify(ctx, kNotifyString, "incrbyfloat", ctx.args[1]);
  ctx.rb.Bulk(*res);
}

}  // namespace

void RegisterBitCommands(CommandTable& t) {
  t.Bind("SETBIT", CmdSetBit);
  t.Bind("GETBIT", CmdGetBit);
  t.Bind("BITCOUNT", CmdBitCount);
  t.Bind("BITPOS", CmdBitPos);
  t.Bind("BITOP", CmdBitOp);
  t.Bind("BITFIELD", CmdBitfield);
  t.Bind("BITFIELD_RO", CmdBitfieldRo);
  t.Bind("LCS", CmdLcs);
  t.Bind("INCRBYFLOAT", CmdIncrByFloat);
}

}  // namespace duet
