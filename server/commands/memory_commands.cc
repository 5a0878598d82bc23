// Memory commands: USAGE, STATS, DOCTOR, PURGE, MALLOC-STATS, HELP.

#include <string>

#include "server/commands/arg_parser.h"
#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"
#include "utils/allocator.h"

namespace duet {
namespace {

// Per key slot in a database's hash table and per TTL index node: a bucket
// pointer, and a node of two pointers plus its bucket pointer.
constexpr size_t kMainSlotBytes = sizeof(void*);
constexpr size_t kExpireSlotBytes = 3 * sizeof(void*);

void CmdMemoryUsage(CommandContext& ctx) {
  // SAMPLES is accepted for compatibility; Duet's accounting of a value is
  // exact, not sampled.
  if (ctx.argc() == 5 && ArgParser::EqualsIgnoreCase(ctx.args[3], "SAMPLES")) {
    int64_t samples;
    if (!ParseIntArg(ctx.rb, ctx.args[4], &samples)) return;
    if (samples < 0) return ctx.rb.Error(errors::kSyntax);
  } else if (ctx.argc() != 3) {
    return ctx.rb.Error(errors::kSyntax);
  }
  const Entry* e = ctx.db().FindNoTouch(ctx.args[2], ctx.now_ms);
  if (e == nullptr) return ctx.rb.Null();
  ctx.rb.Integer(static_cast<int64_t>(e->MemoryUsage() + kMainSlotBytes));
}

struct MemoryBreakdown {
  uint64_t peak = 0, total = 0, startup = 0, clients = 0, overhead = 0, keys = 0, dataset = 0;
};

MemoryBreakdown Breakdown(Server& s) {
  MemoryBreakdown m;
  m.total = s.memory().Used();
  m.peak = std::max<uint64_t>(s.memory().peak(), m.total);
  m.startup = s.memory().startup();
  for (const auto& [id, c] : s.clients()) {
    m.clients += c->replies.allocated() + c->query_buffer_bytes + c->query_buffer_free;
  }
  m.overhead = m.startup + m.clients;
  for (int i = 0; i < s.keyspace().databases(); ++i) {
    const Database& db = s.keyspace().db(i);
    m.keys += db.size();
    m.overhead += db.size() * kMainSlotBytes + db.expires_count() * kExpireSlotBytes;
  }
  m.dataset = m.total > m.overhead ? m.total - m.overhead : 0;
  return m;
}

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

void CmdMemoryStats(CommandContext& ctx) {
  Server& s = ctx.server;
  MemoryBreakdown m = Breakdown(s);
  AllocatorStats a = ReadAllocatorStats();
  uint64_t rss = ResidentSetBytes();
  int dbs = 0;
  for (int i = 0; i < s.keyspace().databases(); ++i) dbs += s.keyspace().db(i).size() > 0;
  ReplyBuilder& rb = ctx.rb;
  auto num = [&](std::string_view name, uint64_t v) {
    rb.Bulk(name);
    rb.Integer(static_cast<int64_t>(v));
  };
  auto dbl = [&](std::string_view name, double v) {
    rb.Bulk(name);
    rb.Double(v);
  };
  rb.MapHeader(27 + static_cast<size_t>(dbs));
  num("peak.allocated", m.peak);
  num("total.allocated", m.total);
  num("startup.allocated", m.startup);
  num("replication.backlog", 0);
  num("clients.slaves", 0);
  num("clients.normal", m.clients);
  num("cluster.links", 0);
  num("aof.buffer", 0);
  num("lua.caches", 0);
  num("functions.caches", 0);
  for (int i = 0; i < s.keyspace().databases(); ++i) {
    const Database& db = s.keyspace().db(i);
    if (db.size() == 0) continue;
    rb.Bulk("db." + std::to_string(i));
    rb.MapHeader(3);
    num("overhead.hashtable.main", db.size() * kMainSlotBytes);
    num("overhead.hashtable.expires", db.expires_count() * kExpireSlotBytes);
    num("overhead.hashtable.slot-to-keys", 0);
  }
  num("overhead.total", m.overhead);
  num("keys.count", m.keys);
  num("keys.bytes-per-key", m.keys == 0 ? 0 : (m.total - std::min(m.total, m.startup)) / m.keys);
  num("dataset.bytes", m.dataset);
  dbl("dataset.percentage", 100.0 * Ratio(m.dataset, m.total - std::min(m.total, m.startup)));
  dbl("peak.percentage", 100.0 * Ratio(m.total, m.peak));
  num("allocator.allocated", a.allocated);
  num("allocator.active", a.active);
  num("allocator.resident", a.resident);
  dbl("allocator-fragmentation.ratio", Ratio(a.active, a.allocated));
  num("allocator-fragmentation.bytes", a.active > a.allocated ? a.active - a.allocated : 0);
  dbl("allocator-rss.ratio", Ratio(a.resident, a.active));
  num("allocator-rss.bytes", a.resident > a.active ? a.resident - a.active : 0);
  dbl("rss-overhead.ratio", Ratio(rss, a.resident));
  num("rss-overhead.bytes", rss > a.resident ? rss - a.resident : 0);
  dbl("fragmentation", Ratio(rss, m.total));
  num("fragmentation.bytes", rss > m.total ? rss - m.total : 0);
}

// A short diagnosis in Duet's own words.
void CmdMemoryDoctor(CommandContext& ctx) {
  constexpr uint64_t kMb = 1024 * 1024;
  MemoryBreakdown m = Breakdown(ctx.server);
  if (m.total < 5 * kMb) {
    return ctx.rb.Verbatim(
        "Memory doctor: this instance uses less than 5 MB, too little for a diagnosis.\n");
  }
  std::string issues;
  uint64_t rss = ResidentSetBytes();
  if (m.peak > m.total + m.total / 2) {
    issues += " * Peak: memory use once reached " + std::to_string(m.peak / kMb) +
              " MB, more than 150% of the " + std::to_string(m.total / kMb) +
              " MB used now; RSS may stay high until the allocator returns pages (MEMORY "
              "PURGE).\n";
  }
  if (rss > 10 * kMb && Ratio(rss, m.total) > 1.4) {
    char ratio[32];
    std::snprintf(ratio, sizeof(ratio), "%.2f", Ratio(rss, m.total));
    issues += " * Fragmentation: the process holds " + std::string(ratio) +
              " times the memory in use (RSS " + std::to_string(rss / kMb) + " MB).\n";
  }
  size_t clients = ctx.server.clients().size();
  if (clients > 0 && m.clients / clients > 200 * 1024) {
    issues += " * Clients: connections hold " + std::to_string(m.clients / kMb) +
              " MB of buffers, over 200 KB each on average.\n";
  }
  uint64_t limit = ctx.server.config().maxmemory;
  if (limit != 0 && m.total > limit - limit / 10) {
    issues += " * Limit: memory use is within 10% of maxmemory (" + std::to_string(limit / kMb) +
              " MB); expect evictions or OOM errors per maxmemory-policy.\n";
  }
  if (issues.empty()) return ctx.rb.Verbatim("Memory doctor: no memory problems found.\n");
  ctx.rb.Verbatim("Memory doctor found these issues:\n\n" + issues);
}

void CmdMemoryPurge(CommandContext& ctx) {
  AllocatorPurge();
  ctx.rb.Ok();
}

void CmdMemoryMallocStats(CommandContext& ctx) { ctx.rb.Verbatim(AllocatorReport()); }

void CmdMemoryHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    A short report of memory problems.",
      "MALLOC-STATS",
      "    The memory allocator's own statistics.",
      "PURGE",
      "    Ask the allocator to return unused pages to the system.",
      "STATS",
      "    A breakdown of the server's memory use.",
      "USAGE <key> [SAMPLES <count>]",
      "    Bytes taken by <key> and its value (SAMPLES is accepted; sizes are exact).",
      "HELP",
      "    This text.",
  };
  ctx.rb.ArrayHeader(std::size(kLines));
  for (auto l : kLines) ctx.rb.SimpleString(l);
}

}  // namespace

void RegisterMemoryCommands(CommandTable& t) {
  t.Bind("MEMORY|USAGE", CmdMemoryUsage);
  t.Bind("MEMORY|STATS", CmdMemoryStats);
  t.Bind("MEMORY|DOCTOR", CmdMemoryDoctor);
  t.Bind("MEMORY|PURGE", CmdMemoryPurge);
  t.Bind("MEMORY|MALLOC-STATS", CmdMemoryMallocStats);
  t.Bind("MEMORY|HELP", CmdMemoryHelp);
}

}  // namespace duet
