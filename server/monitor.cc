#include "server/monitor.h"

#include <strings.h>

#include <cstdio>

namespace duet {
namespace {

bool Is(std::string_view a, const char* b) {
  return a.size() == std::char_traits<char>::length(b) && strncasecmp(a.data(), b, a.size()) == 0;
}

void AppendQuoted(std::string* out, std::string_view arg) {
  out->push_back('"');
  for (unsigned char c : arg) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(static_cast<char>(c));
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out->append(hex, 4);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

bool MonitorRedacts(std::string_view command_name, const std::vector<std::string_view>& args,
                    size_t i) {
  if (i == 0) return false;
  if (command_name == "auth") return true;
  if (command_name == "hello") {
    // HELLO <protover> [AUTH user pass] [SETNAME name]: options come in order.
    for (size_t j = 2; j < args.size() && j < i; ++j) {
      if (Is(args[j], "AUTH") && j + 2 < args.size()) {
        if (i == j + 1 || i == j + 2) return true;
        j += 2;
      } else if (Is(args[j], "SETNAME") && j + 1 < args.size()) {
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
      if (Is(args[j], "AUTH")) {
        if (i == j + 1) return true;
        ++j;
      } else if (Is(args[j], "AUTH2")) {
        if (i == j + 1 || i == j + 2) return true;
        j += 2;
      } else if (Is(args[j], "KEYS")) {
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
      AppendQuoted(out, args[i]);
    }
  }
  out->append("\r\n");
}

}  // namespace duet
