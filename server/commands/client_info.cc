#include "server/commands/client_info.h"

#include <cstdio>

#include "server/acl_rules.h"
#include "server/output_limits.h"

namespace duet {

namespace {

// CLIENT LIST flags, in Redis's order; "N" when none applies.
std::string ClientFlags(const Client& c) {
  std::string f;
  if (c.monitor) f += 'O';
  if (c.subscribed()) f += 'P';
  if (c.in_multi()) f += 'x';
  if (c.blocked) f += 'b';  // waiting in a blocking command
  if (c.tx != nullptr && c.tx->dirty) f += 'd';
  if (c.close_after_reply) f += 'c';
  if (c.killed) f += 'A';
  if (c.unix_socket) f += 'U';
  if (c.no_evict) f += 'e';
  if (f.empty()) f = "N";
  return f;
}

}  // namespace

std::string DescribeClient(const Client& c, int64_t now_ms) {
  char buf[1024];
  size_t obl = c.replies.pending();
  auto subs = [&c](SubKind k) { return c.subs == nullptr ? size_t{0} : c.subs->of(k).size(); };
  long long multi = c.in_multi() ? static_cast<long long>(c.tx->queue.size()) : -1;
  size_t multi_mem = c.in_multi() ? c.tx->QueueMemory() : 0;
  std::string flags = ClientFlags(c);
  int n = std::snprintf(
      buf, sizeof(buf),
      "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=%zu psub=%zu "
      "ssub=%zu multi=%lld qbuf=%zu qbuf-free=%zu argv-mem=0 multi-mem=%zu rbs=%zu rbp=%zu "
      "obl=%zu oll=0 omem=%zu tot-mem=%zu events=r cmd=%.*s user=%s redir=-1 resp=%d",
      static_cast<unsigned long long>(c.id), c.addr.c_str(), c.laddr.c_str(), c.fd, c.name.c_str(),
      static_cast<long long>((now_ms - c.created_ms) / 1000),
      static_cast<long long>((now_ms - c.last_interaction_ms) / 1000), flags.c_str(), c.db,
      subs(SubKind::kChannel), subs(SubKind::kPattern), subs(SubKind::kShard), multi,
      c.query_buffer_bytes, c.query_buffer_free, multi_mem,
      c.query_buffer_bytes + c.query_buffer_free, c.query_buffer_bytes + c.query_buffer_free, obl,
      OutputBufferMemory(c),
      c.replies.allocated() + c.query_buffer_bytes + c.query_buffer_free + multi_mem,
      static_cast<int>(c.last_command.size()), c.last_command.data(),
      c.user != nullptr ? c.user->name.c_str() : "default", c.rb.resp());
  std::string out(buf, n > 0 ? static_cast<size_t>(n) : 0);
  if (!c.lib_name.empty()) out += " lib-name=" + c.lib_name;
  if (!c.lib_ver.empty()) out += " lib-ver=" + c.lib_ver;
  return out;
}

}  // namespace duet
