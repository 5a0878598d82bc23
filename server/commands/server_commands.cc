// Server commands: DBSIZE, FLUSHDB, FLUSHALL, TIME, INFO, SHUTDOWN, OBJECT, DEBUG, MONITOR.

#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "server/aof.h"
#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/info.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "storage/digest.h"
#include "storage/string_ops.h"
#include "storage/value_destroy.h"
#include "utils/clock.h"
#include "utils/logging.h"
#include "utils/strconv.h"

namespace duet {
namespace {

constexpr int64_t kSharedRefcount = 2147483647;  // what Redis reports for shared integers
constexpr int64_t kSharedIntegers = 10000;

void CmdDbSize(CommandContext& ctx) { ctx.rb.Integer(static_cast<int64_t>(ctx.db().size())); }

// FLUSHDB/FLUSHALL take an optional ASYNC or SYNC; both free memory at once
// here, which is what SYNC promises and ASYNC allows.
bool ParseFlushMode(CommandContext& ctx) {
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 && (ArgParser::EqualsIgnoreCase(ctx.args[1], "ASYNC") ||
                          ArgParser::EqualsIgnoreCase(ctx.args[1], "SYNC"))) {
    return true;
  }
  ctx.rb.Error(errors::kSyntax);
  return false;
}

void CmdFlushDb(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  size_t n = ctx.db().Clear();
  ctx.AddDirty(static_cast<int64_t>(n));
  ctx.rb.Ok();
}

void CmdFlushAll(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  size_t n = 0;
  for (int i = 0; i < ctx.server.keyspace().databases(); ++i)
    n += ctx.server.keyspace().db(i).Clear();
  ctx.AddDirty(static_cast<int64_t>(n));
  // As in Redis: a running BGSAVE is stopped and, with save points, the
  // empty dataset is saved (which resets the dirty count) before the +1.
  ctx.server.snapshots().OnFlushAll();
  ctx.AddDirty(1);
  ctx.rb.Ok();
}

void CmdTime(CommandContext& ctx) {
  int64_t us = UnixMicros();
  char a[24], b[24];
  ctx.rb.ArrayHeader(2);
  ctx.rb.Bulk(std::string_view(a, FormatInt64(us / 1000000, a)));
  ctx.rb.Bulk(std::string_view(b, FormatInt64(us % 1000000, b)));
}

void CmdInfo(CommandContext& ctx) {
  std::vector<std::string_view> sections(ctx.args.begin() + 1, ctx.args.end());
  ctx.rb.Verbatim(BuildInfo(ctx.server, sections));
}

void CmdShutdown(CommandContext& ctx) {
  bool nosave = false, save = false, abort = false, force = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view a = ctx.args[i];
    if (ArgParser::EqualsIgnoreCase(a, "NOSAVE")) {
      nosave = true;
    } else if (ArgParser::EqualsIgnoreCase(a, "SAVE")) {
      save = true;
    } else if (ArgParser::EqualsIgnoreCase(a, "NOW")) {
      // Nothing to wait for: there are no replicas.
    } else if (ArgParser::EqualsIgnoreCase(a, "FORCE")) {
      force = true;
    } else if (ArgParser::EqualsIgnoreCase(a, "ABORT")) {
      abort = true;
    } else {
      return ctx.rb.Error(errors::kSyntax);
    }
  }
  if ((save && nosave) || (abort && ctx.argc() != 2)) return ctx.rb.Error(errors::kSyntax);
  if (abort) return ctx.rb.Error("ERR No shutdown in progress.");
  Snapshots& snap = ctx.server.snapshots();
  // While loading there is nothing complete to save (Redis forces NOSAVE).
  if (snap.loading()) {
    save = false;
    nosave = true;
  }
  if (!snap.PrepareShutdown(save, nosave, force)) {
    return ctx.rb.Error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  if (ctx.server.hooks().request_shutdown) ctx.server.hooks().request_shutdown();
  // Like Redis, a successful SHUTDOWN sends no reply: the connection closes.
  ctx.client.close_after_reply = true;
}

// OBJECT subcommands look at a key without counting as an access.
Entry* PeekLive(CommandContext& ctx, std::string_view key) {
  Entry* e = ctx.db().Peek(key);
  if (e != nullptr && e->has_expire() && e->expire_ms <= ctx.now_ms) {
    return ctx.db().Find(key, ctx.now_ms);  // expires it
  }
  return e;
}

const char* EncodingName(const Entry& e) {
  if (e.type != ValueType::kString) return CollectionEncodingName(e);
  switch (e.str_encoding) {
    case StringEncoding::kInt:
      return "int";
    case StringEncoding::kEmbstr:
      return "embstr";
    case StringEncoding::kRaw:
      return "raw";
  }
  return "raw";
}

bool IsSharedInteger(const Entry& e) {
  int64_t v;
  return e.type == ValueType::kString && e.str_encoding == StringEncoding::kInt &&
         ParseInt64(e.str(), &v) && v >= 0 && v < kSharedIntegers;
}

void CmdObjectEncoding(CommandContext& ctx) {
  Entry* e = PeekLive(ctx, ctx.args[2]);
  if (e == nullptr) return ctx.rb.Null();
  ctx.rb.Bulk(EncodingName(*e));
}

void CmdObjectRefcount(CommandContext& ctx) {
  Entry* e = PeekLive(ctx, ctx.args[2]);
  if (e == nullptr) return ctx.rb.Null();
  ctx.rb.Integer(IsSharedInteger(*e) ? kSharedRefcount : 1);
}

bool LfuPolicy(CommandContext& ctx) {
  return IsLfuPolicy(static_cast<EvictionPolicy>(ctx.server.config().maxmemory_policy));
}

void CmdObjectIdletime(CommandContext& ctx) {
  Entry* e = PeekLive(ctx, ctx.args[2]);
  if (e == nullptr) return ctx.rb.Null();
  if (LfuPolicy(ctx)) {
    return ctx.rb.Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
  }
  ctx.rb.Integer(EntryIdleMs(*e, ctx.server.keyspace().access_clock()) / 1000);
}

void CmdObjectFreq(CommandContext& ctx) {
  Entry* e = PeekLive(ctx, ctx.args[2]);
  if (e == nullptr) return ctx.rb.Null();
  if (!LfuPolicy(ctx)) {
    return ctx.rb.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time "
        "to adjust.");
  }
  ctx.rb.Integer(EntryLfuCounter(*e, ctx.server.keyspace().access_clock()));
}

void CmdObjectHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    The internal representation of the value at <key>.",
      "FREQ <key>",
      "    The access frequency counter of <key> (needs an LFU maxmemory-policy).",
      "IDLETIME <key>",
      "    Seconds since <key> was last read or written.",
      "REFCOUNT <key>",
      "    How many references the value at <key> has.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

// ---- DEBUG ----

void DebugHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DIGEST",
      "    A SHA-1 summary of the whole dataset (40 zeros when empty).",
      "DIGEST-VALUE <key> [<key> ...]",
      "    A SHA-1 summary of each value.",
      "ERROR <string>",
      "    Reply with <string> as an error.",
      "LOADAOF",
      "    Write out the append-only file, empty memory and load the AOF again.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "OBJECT <key>",
      "    Low-level details of the value at <key>.",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys <prefix>:<n> (prefix \"key\") holding \"value:<n>\",",
      "    cut or zero-padded to <size> bytes when given; existing keys are kept.",
      "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
      "    Save the dataset to the dump file, empty memory and load the file again.",
      "    MERGE keeps the loaded value when a key exists twice, NOFLUSH loads on top",
      "    of the current data, NOSAVE skips the save.",
      "SEGFAULT",
      "    Crash the server on purpose (tests the crash report).",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Turn the background expiry of keys off or on.",
      "SLEEP <seconds>",
      "    Block the server for <seconds> (fractions allowed).",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

// DEBUG POPULATE count [prefix] [size], as operators use it to fill a test
// instance: "<prefix>:<n>" -> "value:<n>" (zero-padded or cut to size).
void DebugPopulate(CommandContext& ctx) {
  int64_t numbers[2] = {0, 0};  // count, size
  const size_t positions[2] = {2, 4};
  for (int i = 0; i < 2; ++i) {
    if (positions[i] >= ctx.argc()) continue;
    if (!ParseInt64(ctx.args[positions[i]], &numbers[i]) || numbers[i] < 0) {
      return ctx.rb.Error("ERR value is out of range, must be positive");
    }
  }
  const std::string prefix = ctx.argc() >= 4 ? std::string(ctx.args[3]) : "key";
  Database& db = ctx.db();
  std::string key, value;
  for (int64_t j = 0; j < numbers[0]; ++j) {
    key = prefix + ":" + std::to_string(j);
    if (db.FindNoTouch(key, ctx.now_ms) != nullptr) continue;
    value = "value:" + std::to_string(j);
    if (numbers[1] != 0) value.resize(static_cast<size_t>(numbers[1]), '\0');
    StringSetPlain(db, key, value, ctx.now_ms);
  }
  ctx.rb.Ok();
}

void CmdDebug(CommandContext& ctx) {
  std::string_view sub = ctx.args[1];
  auto is = [&](std::string_view name) { return ArgParser::EqualsIgnoreCase(sub, name); };
  if (is("HELP") && ctx.argc() == 2) return DebugHelp(ctx);
  if (is("SLEEP") && ctx.argc() == 3) {
    double secs;
    std::string arg(ctx.args[2]);
    char* end = nullptr;
    secs = std::strtod(arg.c_str(), &end);
    if (end == arg.c_str() || *end != '\0' || std::isnan(secs)) secs = 0;
    if (secs > 0) usleep(static_cast<useconds_t>(secs * 1e6));
    return ctx.rb.Ok();
  }
  if (is("RELOAD")) {
    bool save = true, flush = true, merge = false;
    for (size_t i = 2; i < ctx.argc(); ++i) {
      std::string_view opt = ctx.args[i];
      if (ArgParser::EqualsIgnoreCase(opt, "MERGE")) {
        merge = true;
      } else if (ArgParser::EqualsIgnoreCase(opt, "NOFLUSH")) {
        flush = false;
      } else if (ArgParser::EqualsIgnoreCase(opt, "NOSAVE")) {
        save = false;
      } else {
        return ctx.rb.Error(
            "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
      }
    }
    Status st = ctx.server.snapshots().Reload(save, flush, merge);
    if (!st.ok()) return ctx.rb.Error(st.message());
    return ctx.rb.Ok();
  }
  if (is("LOADAOF") && ctx.argc() == 2) {
    Status st = ctx.server.aof().Reload();
    if (!st.ok()) {
      // Redis exits here; Duet keeps running with what was loaded and says why.
      LogWarning(st.message());
      return ctx.rb.Error("ERR Error loading the AOF: " + st.message());
    }
    LogNotice("Append Only File loaded by DEBUG LOADAOF");
    return ctx.rb.Ok();
  }
  if (is("SEGFAULT") && ctx.argc() == 2) {
    // Crashes on purpose, to test the crash report (as Redis's DEBUG
    // SEGFAULT); raised rather than provoked, so no compiler can drop it.
    raise(SIGSEGV);
    return;
  }
  if (is("POPULATE") && ctx.argc() >= 3 && ctx.argc() <= 5) return DebugPopulate(ctx);
  if (is("LOG") && ctx.argc() == 3) {
    LogWarning("DEBUG LOG: " + std::string(ctx.args[2]));
    return ctx.rb.Ok();
  }
  if (is("ERROR") && ctx.argc() == 3) return ctx.rb.Error(ctx.args[2]);
  if (is("SET-ACTIVE-EXPIRE") && ctx.argc() == 3) {
    ctx.server.set_active_expire_enabled(ctx.args[2] != "0");
    return ctx.rb.Ok();
  }
  if (is("DIGEST") && ctx.argc() == 2) {
    return ctx.rb.SimpleString(DatasetDigestHex(ctx.server.keyspace()));
  }
  if (is("DIGEST-VALUE")) {
    ctx.rb.ArrayHeader(ctx.argc() - 2);
    for (size_t i = 2; i < ctx.argc(); ++i) {
      // Like Redis, a logically expired key still has a digest here.
      const Entry* e = ctx.db().Peek(ctx.args[i]);
      Sha1Digest d{};
      if (e != nullptr) d = ValueDigest(*e);
      ctx.rb.SimpleString(HexLower(d.data(), d.size()));
    }
    return;
  }
  if (is("OBJECT") && ctx.argc() == 3) {
    const Entry* e = ctx.db().Peek(ctx.args[2]);
    if (e == nullptr) return ctx.rb.Error(errors::kNoSuchKey);
    char buf[256];
    int64_t idle = EntryIdleMs(*e, ctx.server.keyspace().access_clock()) / 1000;
    std::snprintf(buf, sizeof(buf),
                  "Value at:%p refcount:%lld encoding:%s serializedlength:%zu lru:%u "
                  "lru_seconds_idle:%lld",
                  static_cast<const void*>(e),
                  static_cast<long long>(IsSharedInteger(*e) ? kSharedRefcount : 1),
                  EncodingName(*e), e->type == ValueType::kString ? e->str().size() : 0,
                  e->access & ((1u << 24) - 1), static_cast<long long>(idle < 0 ? 0 : idle));
    return ctx.rb.SimpleString(buf);
  }
  ctx.rb.Error("ERR unknown subcommand or wrong number of arguments for '" + std::string(sub) +
               "'. Try DEBUG HELP.");
}

void CmdMonitor(CommandContext& ctx) {
  // Inside EXEC (or a script) the client expects one reply per command.
  if (ctx.client.deny_blocking) {
    return ctx.rb.Error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  }
  // Already monitoring: Redis ignores the command without a reply.
  if (ctx.client.monitor) return;
  ctx.server.AddMonitor(&ctx.client);
  ctx.rb.Ok();
}

}  // namespace

void RegisterServerCommands(CommandTable& t) {
  t.Bind("DBSIZE", CmdDbSize);
  t.Bind("FLUSHDB", CmdFlushDb);
  t.Bind("FLUSHALL", CmdFlushAll);
  t.Bind("TIME", CmdTime);
  t.Bind("INFO", CmdInfo);
  t.Bind("SHUTDOWN", CmdShutdown);
  t.Bind("OBJECT|ENCODING", CmdObjectEncoding);
  t.Bind("OBJECT|REFCOUNT", CmdObjectRefcount);
  t.Bind("OBJECT|IDLETIME", CmdObjectIdletime);
  t.Bind("OBJECT|FREQ", CmdObjectFreq);
  t.Bind("OBJECT|HELP", CmdObjectHelp);
  t.Bind("DEBUG", CmdDebug);
  t.Bind("MONITOR", CmdMonitor);
}

}  // namespace duet
