// SORT and SORT_RO: option parsing with Redis 7.0's rules; the work is in
// storage/sort_ops. BY and GET patterns read keys that the command's key
// specs cannot name (they depend on the data), as in Redis.

#include "server/commands/sort_command.h"

#include "server/commands/arg_parser.h"
#include "server/commands/keyspace_stats.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"
#include "storage/sort_ops.h"

namespace duet {
namespace {

class ReplySortSink final : public SortSink {
 public:
  explicit ReplySortSink(ReplyBuilder& rb) : rb_(rb) {}
  void Begin(size_t n) override { rb_.ArrayHeader(n); }
  void Value(std::string_view v) override { rb_.Bulk(v); }
  void Missing() override { rb_.Null(); }

 private:
  ReplyBuilder& rb_;
};

// Options are read left to right; a later ASC/DESC, LIMIT, BY or STORE wins,
// GETs accumulate, and a BY without '*' turns sorting off for good.
bool ParseSortOptions(CommandContext& ctx, bool read_only, SortOptions* o) {
  ArgParser p(ctx.args, 2);
  while (p.HasNext()) {
    const size_t left = p.remaining() - 1;  // arguments after this option
    if (p.Eat("ASC")) {
      o->desc = false;
    } else if (p.Eat("DESC")) {
      o->desc = true;
    } else if (p.Eat("ALPHA")) {
      o->alpha = true;
    } else if (left >= 2 && p.Eat("LIMIT")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &o->limit_offset) ||
          !ParseIntArg(ctx.rb, p.Next(), &o->limit_count)) {
        return false;
      }
    } else if (!read_only && left >= 1 && p.Eat("STORE")) {
      o->has_store = true;
      o->store = p.Next();
    } else if (left >= 1 && p.Eat("BY")) {
      o->has_by = true;
      o->by = p.Next();
      if (o->by.find('*') == std::string_view::npos) o->dont_sort = true;
    } else if (left >= 1 && p.Eat("GET")) {
      o->gets.push_back(p.Next());
    } else {
      ctx.rb.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

void SortGeneric(CommandContext& ctx, bool read_only) {
  SortOptions o;
  if (!ParseSortOptions(ctx, read_only, &o)) return;
  ReplySortSink sink(ctx.rb);
  LookupCounts lookups;
  auto res =
      Sort(ctx.db(), ctx.args[1], o, ctx.server.config().collections, ctx.now_ms, &sink, &lookups);
  AddLookupCounts(ctx, lookups, &ctx.args[1], 1);
  if (res.status() == OpStatus::kNotAFloat) {
    return ctx.rb.Error("ERR One or more scores can't be converted into double");
  }
  if (!res.ok()) return ReplyOpError(ctx.rb, res.status());
  if (!o.has_store) return;  // the sink replied
  if (res->length > 0) {
    ctx.AddDirty(static_cast<int64_t>(res->length));
    Notify(ctx, kNotifyList, "sortstore", o.store);
  } else if (res->dst_deleted) {
    ctx.AddDirty();
    Notify(ctx, kNotifyGeneric, "del", o.store);
  }
  ctx.rb.Integer(static_cast<int64_t>(res->length));
}

void CmdSort(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/false); }
void CmdSortRo(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/true); }

}  // namespace

void SortGetKeys(std::span<const std::string_view> argv, bool read_only, std::vector<KeyRef>* out) {
  out->clear();
  out->push_back(KeyRef{1, kKeyRO | kKeyAccess});
  if (read_only) return;
  int store = -1;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (ArgParser::EqualsIgnoreCase(argv[i], "LIMIT")) {
      i += 2;
    } else if (ArgParser::EqualsIgnoreCase(argv[i], "GET") ||
               ArgParser::EqualsIgnoreCase(argv[i], "BY")) {
      i += 1;
    } else if (ArgParser::EqualsIgnoreCase(argv[i], "STORE") && i + 1 < argv.size()) {
      store = static_cast<int>(i + 1);  // the last STORE wins, as in SORT itself
    }
  }
  if (store >= 0) out->push_back(KeyRef{store, kKeyOW | kKeyUpdate});
}

void RegisterSortCommands(CommandTable& t) {
  t.Bind("SORT", CmdSort);
  t.Bind("SORT_RO", CmdSortRo);
}

}  // namespace duet
