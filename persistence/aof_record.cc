#include "persistence/aof_record.h"

#include <charconv>

namespace duet {
namespace {

// Appends `prefix`, the decimal `n` and CRLF.
inline void AppendHeader(std::string& out, char prefix, size_t n) {
  char buf[24];
  buf[0] = prefix;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out.append(buf, static_cast<size_t>(end - buf));
}

}  // namespace

void AppendAofRecord(std::string& out, std::span<const std::string_view> argv) {
  // Upper bound of the record's size, so the buffer grows at most once.
  size_t need = 16;
  for (std::string_view a : argv) need += a.size() + 16;
  out.reserve(out.size() + need);
  AppendHeader(out, '*', argv.size());
  for (std::string_view a : argv) {
    AppendHeader(out, '$', a.size());
    out.append(a);
    out.append("\r\n", 2);
  }
}

AofInt::AofInt(int64_t n) {
  len_ = static_cast<size_t>(std::to_chars(buf_, buf_ + sizeof(buf_), n).ptr - buf_);
}

void AppendAofSelect(std::string& out, int db) {
  char num[16];
  auto len = static_cast<size_t>(std::to_chars(num, num + sizeof(num), db).ptr - num);
  const std::string_view argv[2] = {"SELECT", std::string_view(num, len)};
  AppendAofRecord(out, argv);
}

}  // namespace duet
