// Persistence commands: SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE.
// (SHUTDOWN, FLUSHALL and DEBUG RELOAD live with the server commands and
// call into server/snapshots.h too.)

#include "persistence/aof_record.h"
#include "persistence/dump_payload.h"
#include "server/aof.h"
#include "server/client.h"
#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "storage/eviction.h"

namespace duet {
namespace {

void CmdSave(CommandContext& ctx) {
  Snapshots& snap = ctx.server.snapshots();
  if (snap.bgsave_running()) return ctx.rb.Error("ERR Background save already in progress");
  if (!snap.Save().ok()) return ctx.rb.Error("ERR");
  ctx.rb.Ok();
}

void CmdBgrewriteaof(CommandContext& ctx) {
  Aof& aof = ctx.server.aof();
  if (aof.rewrite_running()) {
    return ctx.rb.Error("ERR Background append only file rewriting already in progress");
  }
  switch (aof.Rewrite()) {
    case Aof::RewriteResult::kStarted:
      return ctx.rb.SimpleString("Background append only file rewriting started");
    case Aof::RewriteResult::kScheduled:
      return ctx.rb.SimpleString("Background append only file rewriting scheduled");
    case Aof::RewriteResult::kAlreadyRunning:
      return ctx.rb.Error("ERR Background append only file rewriting already in progress");
    case Aof::RewriteResult::kFailed:
      return ctx.rb.Error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for more "
          "information.");
  }
}

void CmdBgsave(CommandContext& ctx) {
  bool schedule = false;
  if (ctx.argc() > 1) {
    if (ctx.argc() != 2 || !ArgParser::EqualsIgnoreCase(ctx.args[1], "SCHEDULE")) {
      return ctx.rb.Error(errors::kSyntax);
    }
    schedule = true;
  }
  Snapshots& snap = ctx.server.snapshots();
  if (snap.bgsave_running()) return ctx.rb.Error("ERR Background save already in progress");
  if (ctx.server.aof().rewrite_running()) {
    if (!schedule) {
      return ctx.rb.Error(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
          "SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
    snap.ScheduleBgsave();
    return ctx.rb.SimpleString("Background saving scheduled");
  }
  // Commands run by EXEC may not block (deny_blocking); there Redis leaves
  // the fork to the cron.
  if (ctx.client.deny_blocking) {
    snap.ScheduleBgsave();
    return ctx.rb.SimpleString("Background saving scheduled");
  }
  switch (snap.Bgsave(schedule)) {
    case Snapshots::BgsaveResult::kStarted:
      return ctx.rb.SimpleString("Background saving started");
    case Snapshots::BgsaveResult::kScheduled:
      return ctx.rb.SimpleString("Background saving scheduled");
    case Snapshots::BgsaveResult::kAlreadyRunning:
      return ctx.rb.Error("ERR Background save already in progress");
    case Snapshots::BgsaveResult::kFailed:
      return ctx.rb.Error("ERR");
  }
}

void CmdLastSave(CommandContext& ctx) { ctx.rb.Integer(ctx.server.snapshots().lastsave_s()); }

void CmdDump(CommandContext& ctx) {
  Entry* e = ctx.db().Find(ctx.args[1], ctx.now_ms);
  if (e == nullptr) {
    ++ctx.server.stats().keyspace_misses;
    return ctx.rb.Null();
  }
  ++ctx.server.stats().keyspace_hits;
  ctx.rb.Bulk(MakeDumpPayload(*e, ctx.server.config().rdbcompression));
}

// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checked
// in Redis's order: options, existing key, TTL, payload.
void CmdRestore(CommandContext& ctx) {
  bool replace = false, absttl = false;
  int64_t idle = -1, freq = -1;
  ArgParser p(ctx.args, 4);
  while (p.HasNext()) {
    const bool has_value = p.remaining() >= 2;
    if (p.Eat("REPLACE")) {
      replace = true;
    } else if (p.Eat("ABSTTL")) {
      absttl = true;
    } else if (has_value && freq == -1 && p.Eat("IDLETIME")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &idle)) return;
      if (idle < 0) return ctx.rb.Error("ERR Invalid IDLETIME value, must be >= 0");
    } else if (has_value && idle == -1 && p.Eat("FREQ")) {
      if (!ParseIntArg(ctx.rb, p.Next(), &freq)) return;
      if (freq < 0 || freq > 255) {
        return ctx.rb.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
      }
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  const std::string_view key = ctx.args[1];
  Database& db = ctx.db();
  Entry* old = db.Find(key, ctx.now_ms);
  if (old != nullptr && !replace) return ctx.rb.Error(errors::kBusyKey);
  int64_t ttl;
  if (!ParseIntArg(ctx.rb, ctx.args[2], &ttl)) return;
  if (ttl < 0) return ctx.rb.Error("ERR Invalid TTL value, must be >= 0");
  const std::string_view payload = ctx.args[3];
  if (!VerifyDumpPayload(payload)) {
    return ctx.rb.Error("ERR DUMP payload version or checksum are wrong");
  }
  Entry* e = nullptr;
  Status s = ParseDumpPayload(payload, key, ctx.server.config().collections, &e);
  if (!s.ok()) return ctx.rb.Error("ERR " + s.message());
  bool deleted = false;
  if (replace && old != nullptr) deleted = db.Delete(key);
  if (ttl != 0 && !absttl) ttl += ctx.now_ms;
  if (ttl != 0 && ttl <= ctx.now_ms) {
    // Already expired: the key is gone (an old value included), nothing stored.
    Entry::Free(e);
    if (deleted) {
      ctx.AddDirty();
      ctx.PropagateAs({"DEL", key});
    }
    return ctx.rb.Ok();
  }
  e->expire_ms = ttl;
  // IDLETIME applies under LRU-style stamps, FREQ under LFU (Redis's rule).
  const AccessClock& clock = ctx.server.keyspace().access_clock();
  StampNewEntry(e, clock);
  if (idle >= 0) SetEntryIdleSeconds(e, idle, clock);
  if (freq >= 0) SetEntryLfuCounter(e, static_cast<uint8_t>(freq), clock);
  db.Insert(e);
  ctx.AddDirty();
  if (ttl != 0 && !absttl && ctx.server.propagation_active()) {
    // Logged with the absolute deadline, so a replay keeps it.
    AofInt at(ttl);
    std::vector<std::string_view> argv(ctx.args.begin(), ctx.args.end());
    argv[2] = at.view();
    argv.push_back("ABSTTL");
    ctx.PropagateAs(argv);
  }
  ctx.rb.Ok();
}

}  // namespace

void RegisterPersistenceCommands(CommandTable& t) {
  t.Bind("SAVE", CmdSave);
  t.Bind("BGSAVE", CmdBgsave);
  t.Bind("BGREWRITEAOF", CmdBgrewriteaof);
  t.Bind("LASTSAVE", CmdLastSave);
  t.Bind("DUMP", CmdDump);
  t.Bind("RESTORE", CmdRestore);
}

}  // namespace duet
