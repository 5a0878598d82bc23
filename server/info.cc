#include "server/info.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <set>
#include <sstream>

#include "server/aof.h"
#include "server/script_engine.h"
#include "server/snapshots.h"
#include "server/version.h"
#include "utils/allocator.h"
#include "utils/clock.h"
#include "utils/cycle_clock.h"

// Present when the binary is linked with jemalloc (duet-server is; the test
// binaries use the C library's malloc). Declared as in utils/allocator.cc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace duet {
namespace {

void Line(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void Line(std::string& out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n > 0) out.append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1));
  out += "\r\n";
}

const char* MaxmemoryPolicyName(int policy) {
  static const char* kNames[] = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                                 "allkeys-lru",  "allkeys-lfu",  "allkeys-random",  "noeviction"};
  return policy >= 0 && policy < 8 ? kNames[policy] : "noeviction";
}

std::string HumanBytes(uint64_t n) {
  char buf[64];
  double d = static_cast<double>(n);
  if (n < 1024) {
    std::snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(n));
  } else if (n < 1024ULL * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fK", d / 1024);
  } else if (n < 1024ULL * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fM", d / (1024 * 1024));
  } else if (n < 1024ULL * 1024 * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fG", d / (1024.0 * 1024 * 1024));
  } else {
    std::snprintf(buf, sizeof(buf), "%.2fT", d / (1024.0 * 1024 * 1024 * 1024));
  }
  return buf;
}

uint64_t TotalSystemMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

void ServerSection(Server& s, std::string& out) {
  utsname u{};
  uname(&u);
  int64_t now_us = UnixMicros();
  int64_t uptime = (now_us / 1000 - s.stats().start_ms) / 1000;
  out += "# Server\r\n";
  Line(out, "redis_version:%s", std::string(kRedisCompatVersion).c_str());
  Line(out, "redis_git_sha1:00000000");
  Line(out, "redis_git_dirty:0");
  Line(out, "redis_build_id:0");
  Line(out, "redis_mode:standalone");
  Line(out, "server_name:duet");
  Line(out, "duet_version:%s", std::string(kDuetVersion).c_str());
  Line(out, "os:%s %s %s", u.sysname, u.release, u.machine);
  Line(out, "arch_bits:64");
  Line(out, "monotonic_clock:POSIX clock_gettime");
  Line(out, "multiplexing_api:epoll");
  Line(out, "atomicvar_api:c11-builtin");
  Line(out, "gcc_version:%d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
  Line(out, "process_id:%d", static_cast<int>(getpid()));
  Line(out, "process_supervised:no");
  Line(out, "run_id:%s", s.run_id().c_str());
  Line(out, "tcp_port:%d", static_cast<int>(s.bound_port() ? s.bound_port() : s.config().port));
  Line(out, "server_time_usec:%lld", static_cast<long long>(now_us));
  Line(out, "uptime_in_seconds:%lld", static_cast<long long>(uptime));
  Line(out, "uptime_in_days:%lld", static_cast<long long>(uptime / 86400));
  Line(out, "hz:%d", s.config().hz);
  Line(out, "configured_hz:%d", s.config().hz);
  Line(out, "lru_clock:%lld", static_cast<long long>((now_us / 1000000) & ((1 << 24) - 1)));
  Line(out, "executable:%s", s.executable().c_str());
  Line(out, "config_file:%s", s.config_file().c_str());
  Line(out, "io_threads_active:0");
}

void ClientsSection(Server& s, std::string& out) {
  out += "# Clients\r\n";
  Line(out, "connected_clients:%zu", s.clients().size());
  Line(out, "cluster_connections:0");
  Line(out, "maxclients:%lld", static_cast<long long>(s.config().maxclients));
  Line(out, "client_recent_max_input_buffer:0");
  Line(out, "client_recent_max_output_buffer:0");
  Line(out, "blocked_clients:%zu", s.blocking().blocked_count());
  Line(out, "tracking_clients:0");
  Line(out, "clients_in_timeout_table:%zu", s.blocking().with_deadline_count());
}

void MemorySection(Server& s, std::string& out) {
  MemoryFigures m = ReadMemoryFigures();
  // [memory] used_memory is what maxmemory is compared with.
  m.used = s.memory().Used();
  const uint64_t peak = std::max<uint64_t>(s.memory().peak(), m.used);
  const uint64_t maxmemory = s.config().maxmemory;
  out += "# Memory\r\n";
  Line(out, "used_memory:%llu", static_cast<unsigned long long>(m.used));
  Line(out, "used_memory_human:%s", HumanBytes(m.used).c_str());
  Line(out, "used_memory_rss:%llu", static_cast<unsigned long long>(m.rss));
  Line(out, "used_memory_rss_human:%s", HumanBytes(m.rss).c_str());
  Line(out, "used_memory_peak:%llu", static_cast<unsigned long long>(peak));
  Line(out, "used_memory_peak_human:%s", HumanBytes(peak).c_str());
  Line(out, "used_memory_peak_perc:%.2f%%",
       peak ? 100.0 * static_cast<double>(m.used) / static_cast<double>(peak) : 0.0);
  Line(out, "used_memory_overhead:0");
  Line(out, "used_memory_startup:%llu", static_cast<unsigned long long>(s.memory().startup()));
  Line(out, "used_memory_dataset:%llu", static_cast<unsigned long long>(m.used));
  Line(out, "used_memory_dataset_perc:100.00%%");
  Line(out, "allocator_allocated:%llu", static_cast<unsigned long long>(m.used));
  Line(out, "allocator_active:%llu", static_cast<unsigned long long>(m.used));
  Line(out, "allocator_resident:%llu", static_cast<unsigned long long>(m.rss));
  uint64_t total = TotalSystemMemory();
  Line(out, "total_system_memory:%llu", static_cast<unsigned long long>(total));
  Line(out, "total_system_memory_human:%s", HumanBytes(total).c_str());
  // [scripting] One interpreter serves EVAL and functions: its memory is
  // reported as the EVAL engine's, as Redis reports its eval Lua state.
  const ScriptEngine& se = s.scripts();
  auto lua_mem = static_cast<unsigned long long>(se.memory_used());
  Line(out, "used_memory_lua:%llu", lua_mem);
  Line(out, "used_memory_vm_eval:%llu", lua_mem);
  Line(out, "used_memory_lua_human:%s", HumanBytes(lua_mem).c_str());
  Line(out, "used_memory_scripts_eval:0");
  Line(out, "number_of_cached_scripts:%zu", se.cached_scripts());
  Line(out, "number_of_functions:%zu", se.function_count());
  Line(out, "number_of_libraries:%zu", se.library_count());
  Line(out, "used_memory_vm_functions:0");
  Line(out, "used_memory_vm_total:%llu", lua_mem);
  Line(out, "used_memory_vm_total_human:%s", HumanBytes(lua_mem).c_str());
  Line(out, "used_memory_functions:0");
  Line(out, "used_memory_scripts:0");
  Line(out, "used_memory_scripts_human:0B");
  Line(out, "maxmemory:%llu", static_cast<unsigned long long>(maxmemory));
  Line(out, "maxmemory_human:%s", HumanBytes(maxmemory).c_str());
  Line(out, "maxmemory_policy:%s", MaxmemoryPolicyName(s.config().maxmemory_policy));
  double frag = m.used > 0 ? static_cast<double>(m.rss) / static_cast<double>(m.used) : 0;
  Line(out, "allocator_frag_ratio:1.00");
  Line(out, "allocator_frag_bytes:0");
  Line(out, "allocator_rss_ratio:1.00");
  Line(out, "allocator_rss_bytes:0");
  Line(out, "rss_overhead_ratio:1.00");
  Line(out, "rss_overhead_bytes:0");
  Line(out, "mem_fragmentation_ratio:%.2f", frag);
  Line(out, "mem_fragmentation_bytes:%lld",
       static_cast<long long>(m.rss) - static_cast<long long>(m.used));
  Line(out, "mem_not_counted_for_evict:0");
  Line(out, "mem_replication_backlog:0");
  Line(out, "mem_total_replication_buffers:0");
  Line(out, "mem_clients_slaves:0");
  size_t client_mem = 0;
  for (const auto& [id, c] : s.clients()) client_mem += c->replies.allocated();
  Line(out, "mem_clients_normal:%zu", client_mem);
  Line(out, "mem_cluster_links:0");
  Line(out, "mem_aof_buffer:%zu", s.aof().buffer().capacity());
  Line(out, "mem_allocator:%s", m.allocator.c_str());
  Line(out, "active_defrag_running:0");
  Line(out, "lazyfree_pending_objects:0");
  Line(out, "lazyfreed_objects:0");
}

void PersistenceSection(Server& s, std::string& out) {
  out += "# Persistence\r\n";
  s.snapshots().AppendInfo(out);         // loading .. rdb_last_load_keys_loaded
  s.aof().AppendInfo(out);               // aof_enabled .. aof_delayed_fsync
  s.snapshots().AppendLoadingInfo(out);  // loading_* fields, only while loading
}

void StatsSection(Server& s, std::string& out) {
  const ServerStats& st = s.stats();
  out += "# Stats\r\n";
  Line(out, "total_connections_received:%llu",
       static_cast<unsigned long long>(st.total_connections));
  Line(out, "total_commands_processed:%llu", static_cast<unsigned long long>(st.total_commands));
  Line(out, "instantaneous_ops_per_sec:%lld", static_cast<long long>(st.ops_per_sec));
  Line(out, "total_net_input_bytes:%llu", static_cast<unsigned long long>(st.net_input_bytes));
  Line(out, "total_net_output_bytes:%llu", static_cast<unsigned long long>(st.net_output_bytes));
  Line(out, "total_net_repl_input_bytes:0");
  Line(out, "total_net_repl_output_bytes:0");
  Line(out, "instantaneous_input_kbps:0.00");
  Line(out, "instantaneous_output_kbps:0.00");
  Line(out, "instantaneous_input_repl_kbps:0.00");
  Line(out, "instantaneous_output_repl_kbps:0.00");
  Line(out, "rejected_connections:%llu", static_cast<unsigned long long>(st.rejected_connections));
  Line(out, "sync_full:0");
  Line(out, "sync_partial_ok:0");
  Line(out, "sync_partial_err:0");
  Line(out, "expired_keys:%llu", static_cast<unsigned long long>(st.expired_keys));
  Line(out, "expired_stale_perc:0.00");
  Line(out, "expired_time_cap_reached_count:0");
  Line(out, "expire_cycle_cpu_milliseconds:0");
  Line(out, "evicted_keys:%llu", static_cast<unsigned long long>(st.evicted_keys));
  Line(out, "evicted_clients:0");
  Line(out, "total_eviction_exceeded_time:0");
  Line(out, "current_eviction_exceeded_time:0");
  Line(out, "keyspace_hits:%llu", static_cast<unsigned long long>(st.keyspace_hits));
  Line(out, "keyspace_misses:%llu", static_cast<unsigned long long>(st.keyspace_misses));
  Line(out, "pubsub_channels:%zu", s.pubsub().NameCount(SubKind::kChannel));
  Line(out, "pubsub_patterns:%zu", s.pubsub().NameCount(SubKind::kPattern));
  Line(out, "pubsubshard_channels:%zu", s.pubsub().NameCount(SubKind::kShard));
  Line(out, "latest_fork_usec:%lld", static_cast<long long>(st.latest_fork_usec));
  Line(out, "total_forks:%llu", static_cast<unsigned long long>(st.total_forks));
  Line(out, "migrate_cached_sockets:0");
  Line(out, "slave_expires_tracked_keys:0");
  Line(out, "active_defrag_hits:0");
  Line(out, "active_defrag_misses:0");
  Line(out, "active_defrag_key_hits:0");
  Line(out, "active_defrag_key_misses:0");
  Line(out, "total_active_defrag_time:0");
  Line(out, "current_active_defrag_time:0");
  Line(out, "tracking_total_keys:0");
  Line(out, "tracking_total_items:0");
  Line(out, "tracking_total_prefixes:0");
  Line(out, "unexpected_error_replies:%llu",
       static_cast<unsigned long long>(st.unexpected_error_replies));
  Line(out, "total_error_replies:%llu", static_cast<unsigned long long>(st.total_error_replies));
  Line(out, "dump_payload_sanitizations:0");
  Line(out, "total_reads_processed:0");
  Line(out, "total_writes_processed:0");
  Line(out, "io_threaded_reads_processed:0");
  Line(out, "io_threaded_writes_processed:0");
  Line(out, "reply_buffer_shrinks:0");
  Line(out, "reply_buffer_expands:0");
}

void ReplicationSection(Server& s, std::string& out) {
  out += "# Replication\r\n";
  Line(out, "role:master");
  Line(out, "connected_slaves:0");
  Line(out, "master_failover_state:no-failover");
  Line(out, "master_replid:%s", s.run_id().c_str());
  Line(out, "master_replid2:0000000000000000000000000000000000000000");
  Line(out, "master_repl_offset:0");
  Line(out, "second_repl_offset:-1");
  Line(out, "repl_backlog_active:0");
  Line(out, "repl_backlog_size:1048576");
  Line(out, "repl_backlog_first_byte_offset:0");
  Line(out, "repl_backlog_histlen:0");
}

void CpuSection(std::string& out) {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  out += "# CPU\r\n";
  Line(out, "used_cpu_sys:%.6f", secs(self.ru_stime));
  Line(out, "used_cpu_user:%.6f", secs(self.ru_utime));
  Line(out, "used_cpu_sys_children:%.6f", secs(children.ru_stime));
  Line(out, "used_cpu_user_children:%.6f", secs(children.ru_utime));
  Line(out, "used_cpu_sys_main_thread:%.6f", secs(self.ru_stime));
  Line(out, "used_cpu_user_main_thread:%.6f", secs(self.ru_utime));
}

void CommandStatsSection(Server& s, std::string& out) {
  out += "# Commandstats\r\n";
  for (const auto& cmd : s.commands().all()) {
    const CommandStats& st = cmd->stats;
    if (st.calls == 0 && st.rejected_calls == 0 && st.failed_calls == 0) continue;
    uint64_t usec = CycleClock::ToMicros(st.ticks);
    double per = st.calls > 0 ? static_cast<double>(usec) / static_cast<double>(st.calls) : 0;
    Line(out,
         "cmdstat_%s:calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,failed_calls=%llu",
         cmd->full_name.c_str(), static_cast<unsigned long long>(st.calls),
         static_cast<unsigned long long>(usec), per,
         static_cast<unsigned long long>(st.rejected_calls),
         static_cast<unsigned long long>(st.failed_calls));
  }
}

// "99.900000" -> "99.9", "50.000000" -> "50".
std::string TrimmedDouble(double v) {
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%f", v);
  std::string t(buf, n > 0 ? static_cast<size_t>(n) : 0);
  if (t.find('.') != std::string::npos) {
    while (!t.empty() && t.back() == '0') t.pop_back();
    if (!t.empty() && t.back() == '.') t.pop_back();
  }
  return t;
}

void LatencyStatsSection(Server& s, std::string& out) {
  out += "# Latencystats\r\n";
  std::vector<double> percentiles;
  std::istringstream words(s.config().latency_tracking_info_percentiles);
  for (double p; words >> p;) percentiles.push_back(p);
  for (const auto& cmd : s.commands().all()) {
    const LatencyHistogram* h = cmd->stats.latency.get();
    if (h == nullptr || h->total() == 0) continue;
    out += "latency_percentiles_usec_" + cmd->full_name + ":";
    for (size_t i = 0; i < percentiles.size(); ++i) {
      if (i) out.push_back(',');
      char buf[64];
      std::snprintf(buf, sizeof(buf), "=%.3f",
                    static_cast<double>(h->ValueAtPercentile(percentiles[i])) / 1000.0);
      out += "p" + TrimmedDouble(percentiles[i]) + buf;
    }
    out += "\r\n";
  }
}

void ErrorStatsSection(Server& s, std::string& out) {
  out += "# Errorstats\r\n";
  for (const auto& [code, n] : s.stats().error_counts) {
    Line(out, "errorstat_%s:count=%llu", code.c_str(), static_cast<unsigned long long>(n));
  }
}

void KeyspaceSection(Server& s, std::string& out) {
  out += "# Keyspace\r\n";
  for (int i = 0; i < s.keyspace().databases(); ++i) {
    const Database& db = s.keyspace().db(i);
    if (db.size() == 0) continue;
    Line(out, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld", i, db.size(), db.expires_count(),
         static_cast<long long>(db.avg_ttl()));
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

MemoryFigures ReadMemoryFigures() {
  MemoryFigures m;
  if (mallctl != nullptr) {
    // jemalloc: refresh its statistics, then read the bytes handed out.
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    size_t allocated = 0;
    sz = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &sz, nullptr, 0) == 0) m.used = allocated;
    const char* version = nullptr;
    sz = sizeof(version);
    m.allocator = "jemalloc";
    if (mallctl("version", &version, &sz, nullptr, 0) == 0 && version != nullptr) {
      std::string v(version);
      m.allocator += "-" + v.substr(0, v.find('-'));
    }
  } else {
    struct mallinfo2 mi = mallinfo2();
    m.used = mi.uordblks + mi.hblkhd;
    m.allocator = "libc";
  }
  m.rss = ResidentSetBytes();
  return m;
}

std::string BuildInfo(Server& s, const std::vector<std::string_view>& requested) {
  static const char* kDefault[] = {"server",     "clients",     "memory",  "persistence",
                                   "stats",      "replication", "cpu",     "modules",
                                   "errorstats", "cluster",     "keyspace"};
  std::set<std::string> want;
  bool all = false;
  if (requested.empty()) {
    want.insert(std::begin(kDefault), std::end(kDefault));
  }
  for (auto r : requested) {
    std::string name = Lower(r);
    if (name == "all" || name == "everything") {
      all = true;
    } else if (name == "default") {
      want.insert(std::begin(kDefault), std::end(kDefault));
    } else {
      want.insert(name);
    }
  }
  if (all) {
    want.insert(std::begin(kDefault), std::end(kDefault));
    want.insert("commandstats");
    want.insert("latencystats");
  }
  std::string out;
  auto section = [&](const char* name, auto&& fn) {
    if (!want.count(name)) return;
    if (!out.empty()) out += "\r\n";
    fn();
  };
  section("server", [&] { ServerSection(s, out); });
  section("clients", [&] { ClientsSection(s, out); });
  section("memory", [&] { MemorySection(s, out); });
  section("persistence", [&] { PersistenceSection(s, out); });
  section("stats", [&] { StatsSection(s, out); });
  section("replication", [&] { ReplicationSection(s, out); });
  section("cpu", [&] { CpuSection(out); });
  section("modules", [&] { out += "# Modules\r\n"; });
  section("commandstats", [&] { CommandStatsSection(s, out); });
  section("errorstats", [&] { ErrorStatsSection(s, out); });
  section("latencystats", [&] { LatencyStatsSection(s, out); });
  section("cluster", [&] { out += "# Cluster\r\ncluster_enabled:0\r\n"; });
  section("keyspace", [&] { KeyspaceSection(s, out); });
  return out;
}

}  // namespace duet
