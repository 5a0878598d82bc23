#include "server/commands/client_info.h"

#include <cstdio>

namespace duet {

std::string DescribeClient(const Client& c, int64_t now_ms) {
  char buf[1024];
  size_t obl = c.replies.pending();
  int n = std::snprintf(
      buf, sizeof(buf),
      "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=0 psub=0 "
      "ssub=0 multi=-1 qbuf=%zu qbuf-free=%zu argv-mem=0 multi-mem=0 rbs=%zu rbp=%zu obl=%zu "
      "oll=0 omem=0 tot-mem=%zu events=r cmd=%.*s user=default redir=-1 resp=%d",
      static_cast<unsigned long long>(c.id), c.addr.c_str(), c.laddr.c_str(), c.fd, c.name.c_str(),
      static_cast<long long>((now_ms - c.created_ms) / 1000),
      static_cast<long long>((now_ms - c.last_interaction_ms) / 1000),
      c.blocked ? "b" : "N",  // b: waiting in a blocking command
      c.db, c.query_buffer_bytes, c.query_buffer_free, c.query_buffer_bytes + c.query_buffer_free,
      c.query_buffer_bytes + c.query_buffer_free, obl,
      c.replies.allocated() + c.query_buffer_bytes + c.query_buffer_free,
      static_cast<int>(c.last_command.size()), c.last_command.data(),
      c.rb.resp());
  std::string out(buf, n > 0 ? static_cast<size_t>(n) : 0);
  if (!c.lib_name.empty()) out += " lib-name=" + c.lib_name;
  if (!c.lib_ver.empty()) out += " lib-ver=" + c.lib_ver;
  return out;
}

}  // namespace duet
