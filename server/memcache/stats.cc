// `stats` groups with memcached's field names. Duet has no slabs: items and
// slabs report one class (1) holding every item, so tools that sum classes
// get the right totals. Figures Duet does not track report memcached's value
// for an idle feature (0, "no").

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "server/info.h"
#include "server/memcache/handler.h"
#include "server/server.h"
#include "utils/strconv.h"

namespace duet {
namespace {

std::string Num(uint64_t v) {
  char buf[kMaxInt64Chars];
  return std::string(buf, FormatUint64(v, buf));
}

std::string Seconds(const struct timeval& tv) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec));
  return buf;
}

}  // namespace

void McHandler::ResetStats() {
  McStats fresh;
  fresh.curr_connections = stats_.curr_connections;
  stats_ = fresh;
}

bool McHandler::EmitStats(std::string_view group, int64_t now, const StatEmit& emit) {
  const ServerConfig& cfg = server_.config();
  Database& items = db();
  auto n = [&](std::string_view name, uint64_t v) { emit(name, Num(v)); };

  if (group.empty()) {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    int64_t uptime = (now - server_.stats().start_ms) / 1000;
    n("pid", static_cast<uint64_t>(getpid()));
    n("uptime", static_cast<uint64_t>(uptime < 0 ? 0 : uptime));
    n("time", static_cast<uint64_t>(now / 1000));
    emit("version", kVersion);
    n("pointer_size", sizeof(void*) * 8);
    emit("rusage_user", Seconds(ru.ru_utime));
    emit("rusage_system", Seconds(ru.ru_stime));
    n("max_connections", static_cast<uint64_t>(cfg.memcached_maxconns));
    n("curr_connections", stats_.curr_connections);
    n("total_connections", stats_.total_connections);
    n("rejected_connections", stats_.rejected_connections);
    n("connection_structures", stats_.curr_connections);
    n("cmd_get", stats_.cmd_get);
    n("cmd_set", stats_.cmd_set);
    n("cmd_flush", stats_.cmd_flush);
    n("cmd_touch", stats_.cmd_touch);
    n("cmd_meta", stats_.cmd_meta);
    n("get_hits", stats_.get_hits);
    n("get_misses", stats_.get_misses);
    n("get_expired", stats_.get_expired);
    n("get_flushed", stats_.get_flushed);
    n("delete_misses", stats_.delete_misses);
    n("delete_hits", stats_.delete_hits);
    n("incr_misses", stats_.incr_misses);
    n("incr_hits", stats_.incr_hits);
    n("decr_misses", stats_.decr_misses);
    n("decr_hits", stats_.decr_hits);
    n("cas_misses", stats_.cas_misses);
    n("cas_hits", stats_.cas_hits);
    n("cas_badval", stats_.cas_badval);
    n("touch_hits", stats_.touch_hits);
    n("touch_misses", stats_.touch_misses);
    n("store_too_large", stats_.store_too_large);
    n("store_no_memory", stats_.store_no_memory);
    n("auth_cmds", 0);
    n("auth_errors", 0);
    n("bytes_read", stats_.bytes_read);
    n("bytes_written", stats_.bytes_written);
    n("limit_maxbytes", cfg.maxmemory);
    n("accepting_conns", 1);
    n("listen_disabled_num", 0);
    n("time_in_listen_disabled_us", 0);
    n("threads", 1);
    n("conn_yields", 0);
    n("hash_is_expanding", 0);
    n("bytes", ReadMemoryFigures().used);
    n("curr_items", items.size());
    n("total_items", stats_.total_items);
    n("expired_unfetched", 0);
    n("evicted_unfetched", 0);
    n("evicted_active", 0);
    n("evictions", server_.stats().evicted_keys);
    n("reclaimed", 0);
    return true;
  }
  if (group == "settings") {
    n("maxbytes", cfg.maxmemory);
    n("maxconns", static_cast<uint64_t>(cfg.memcached_maxconns));
    n("tcpport", static_cast<uint64_t>(cfg.memcached_port));
    n("udpport", 0);
    std::string inter;
    for (const std::string& b : cfg.memcached_bind) inter += (inter.empty() ? "" : ",") + b;
    emit("inter", inter);
    n("verbosity", 0);
    n("oldest", 0);
    emit("evictions", "on");
    emit("domain_socket", "NULL");
    n("num_threads", 1);
    emit("cas_enabled", "yes");
    n("tcp_backlog", static_cast<uint64_t>(cfg.tcp_backlog));
    emit("binding_protocol", "auto-negotiate");
    emit("auth_enabled_sasl", "no");
    emit("auth_enabled_ascii", "no");
    n("item_size_max", static_cast<uint64_t>(cfg.memcached_max_item_size));
    emit("flush_enabled", "yes");
    n("idle_timeout", static_cast<uint64_t>(cfg.timeout));
    return true;
  }
  if (group == "items") {
    if (items.size() == 0) return true;
    n("items:1:number", items.size());
    n("items:1:age", 0);
    n("items:1:evicted", 0);
    n("items:1:evicted_nonzero", 0);
    n("items:1:evicted_time", 0);
    n("items:1:outofmemory", 0);
    n("items:1:tailrepairs", 0);
    n("items:1:reclaimed", 0);
    n("items:1:expired_unfetched", 0);
    n("items:1:evicted_unfetched", 0);
    return true;
  }
  if (group == "slabs") {
    if (items.size() > 0) {
      n("1:chunk_size", static_cast<uint64_t>(cfg.memcached_max_item_size));
      n("1:used_chunks", items.size());
      n("1:get_hits", stats_.get_hits);
      n("1:cmd_set", stats_.cmd_set);
      n("1:delete_hits", stats_.delete_hits);
      n("1:incr_hits", stats_.incr_hits);
      n("1:decr_hits", stats_.decr_hits);
      n("1:cas_hits", stats_.cas_hits);
      n("1:cas_badval", stats_.cas_badval);
      n("1:touch_hits", stats_.touch_hits);
    }
    n("active_slabs", items.size() > 0 ? 1 : 0);
    n("total_malloced", ReadMemoryFigures().used);
    return true;
  }
  if (group == "sizes") {
    emit("sizes_status", "disabled");
    return true;
  }
  if (group == "conns") return true;
  return false;
}

}  // namespace duet
