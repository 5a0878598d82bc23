// Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH (server/multi.h).

#include "protocol/errors.h"
#include "server/commands/register.h"
#include "server/multi.h"
#include "server/server.h"

namespace duet {
namespace {

TransactionState& StateOf(Client& c) {
  if (c.tx == nullptr) c.tx = std::make_unique<TransactionState>();
  return *c.tx;
}

void CmdMulti(CommandContext& ctx) {
  TransactionState& tx = StateOf(ctx.client);
  if (tx.in_multi) return ctx.rb.Error("ERR MULTI calls can not be nested");
  tx.in_multi = true;
  ctx.rb.Ok();
}

void CmdDiscard(CommandContext& ctx) {
  if (!ctx.client.in_multi()) return ctx.rb.Error("ERR DISCARD without MULTI");
  DiscardTransaction(ctx.server, ctx.client);
  ctx.rb.Ok();
}

void CmdExec(CommandContext& ctx) {
  Client& c = ctx.client;
  if (!c.in_multi()) return ctx.rb.Error("ERR EXEC without MULTI");
  TransactionState& tx = *c.tx;
  // A queueing error wins over a touched key, as in Redis.
  if (tx.aborted) {
    DiscardTransaction(ctx.server, c);
    return ctx.rb.Error(errors::kExecAbort);
  }
  if (tx.dirty || ctx.server.watches().Touched(c, ctx.now_ms)) {
    DiscardTransaction(ctx.server, c);
    return ctx.rb.NullArray();
  }
  // Leave MULTI before running: the queued commands see a normal client
  // (their own writes to watched keys no longer matter) that must not block.
  ctx.server.watches().UnwatchAll(c);
  tx.in_multi = false;
  std::vector<TransactionState::Queued> queue;
  std::vector<std::pair<size_t, size_t>> spans;
  std::string arena;
  queue.swap(tx.queue);
  spans.swap(tx.args);
  arena.swap(tx.arena);

  ctx.rb.ArrayHeader(queue.size());
  // Blocking commands answer at once inside EXEC (Redis's DENY_BLOCKING);
  // clients they would wake are served after the whole EXEC, by Dispatch.
  bool deny_blocking = c.deny_blocking;
  c.deny_blocking = true;
  std::vector<std::string_view> argv;
  // The transaction's changes replay as one MULTI/EXEC block.
  ctx.server.BeginPropagateGroup();
  for (const TransactionState::Queued& q : queue) {
    argv.clear();
    for (size_t i = 0; i < q.argc; ++i) {
      const auto& [off, len] = spans[q.first_arg + i];
      argv.emplace_back(arena.data() + off, len);
    }
    ctx.server.Call(c, *q.cmd, argv, ctx.now_ms);
  }
  ctx.server.EndPropagateGroup();
  c.deny_blocking = deny_blocking;

  // Hand the buffers back so the next transaction reuses their capacity
  // (c.tx may have been reset meanwhile only by RESET, which is never queued).
  queue.clear();
  spans.clear();
  arena.clear();
  tx.queue.swap(queue);
  tx.args.swap(spans);
  tx.arena.swap(arena);
  DiscardTransaction(ctx.server, c);
}

void CmdWatch(CommandContext& ctx) {
  if (ctx.client.in_multi()) return ctx.rb.Error("ERR WATCH inside MULTI is not allowed");
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.server.watches().Watch(ctx.client, ctx.client.db, ctx.args[i], ctx.now_ms);
  }
  ctx.rb.Ok();
}

void CmdUnwatch(CommandContext& ctx) {
  ctx.server.watches().UnwatchAll(ctx.client);
  if (ctx.client.tx != nullptr) ctx.client.tx->dirty = false;
  ctx.rb.Ok();
}

}  // namespace

void RegisterMultiCommands(CommandTable& t) {
  t.Bind("MULTI", CmdMulti);
  t.Bind("EXEC", CmdExec);
  t.Bind("DISCARD", CmdDiscard);
  t.Bind("WATCH", CmdWatch);
  t.Bind("UNWATCH", CmdUnwatch);
}

}  // namespace duet
