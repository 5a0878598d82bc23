#include "server/monitor.h"

#include "utils/ascii.h"
#include "utils/strconv.h"

namespace duet {

bool MonitorRedacts(std::string_view command_name, const std::vector<std::string_view>& args,
                    size_t i) {
  if (i == 0) return false;
  if (command_name == "auth") return true;
  if (command_name == "hello") {
    // HELLO <protover> [AUTH user pass] [SETNAME name]: options come in order.
    for (size_t j = 2; j < args.size() && j < i; ++j) {
      if (EqualsIgnoreCase(args[j], "AUTH") && j + 2 < args.size()) {
        if (i == j + 1 || i == j + 2) return true;
        j += 2;
      } else if (EqualsIgnoreCase(args[j], "SETNAME") && j + 1 < args.size()) {
        ++j;
      } else {
        return false;
      }
    }
    return false;
  }
  if (command_name == "migrate") {
    // MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS ...]
    for (size_t j = 6; j < args.size() && j < i; ++j) {
      if (EqualsIgnoreCase(args[j], "AUTH")) {
        if (i == j + 1) return true;
        ++j;
      } else if (EqualsIgnoreCase(args[j], "AUTH2")) {
        if (i == j + 1 || i == j + 2) return true;
        j += 2;
      } else if (EqualsIgnoreCase(args[j], "KEYS")) {
        return false;
      }
    }
    return false;
  }
  return false;
}

void AppendMonitorLine(std::string* out, int64_t unix_us, int db, std::string_view addr,
                       std::string_view command_name, const std::vector<std::string_view>& args) {
  char head[64];
  int n = std::snprintf(head, sizeof(head), "+%lld.%06lld [%d ",
                        static_cast<long long>(unix_us / 1000000),
                        static_cast<long long>(unix_us % 1000000), db);
  out->append(head, static_cast<size_t>(n));
  out->append(addr);
  out->append("] ");
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out->push_back(' ');
    if (MonitorRedacts(command_name, args, i)) {
      out->append("\"(redacted)\"");
    } else {
      AppendRepr(out, args[i]);
    }
  }
  out->append("\r\n");
}

}  // namespace duet
