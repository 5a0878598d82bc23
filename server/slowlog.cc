#include "server/slowlog.h"

#include <algorithm>

namespace duet {
namespace {

constexpr size_t kMaxArgs = 32;
constexpr size_t kMaxArgLen = 128;

}  // namespace

void Slowlog::Add(const std::vector<std::string_view>& args, int64_t duration_us, int64_t unix_time,
                  const std::string& addr, const std::string& name, size_t max_len) {
  SlowlogEntry e;
  e.id = next_id_++;
  e.unix_time = unix_time;
  e.duration_us = duration_us;
  size_t n = std::min(args.size(), kMaxArgs);
  for (size_t i = 0; i < n; ++i) {
    if (n < args.size() && i == n - 1) {
      e.args.push_back("... (" + std::to_string(args.size() - n + 1) + " more arguments)");
      break;
    }
    std::string_view a = args[i];
    if (a.size() > kMaxArgLen) {
      e.args.push_back(std::string(a.substr(0, kMaxArgLen)) + "... (" +
                       std::to_string(a.size() - kMaxArgLen) + " more bytes)");
    } else {
      e.args.emplace_back(a);
    }
  }
  e.client_addr = addr;
  e.client_name = name;
  entries_.push_front(std::move(e));
  Trim(max_len);
}

void Slowlog::Trim(size_t max_len) {
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace duet
