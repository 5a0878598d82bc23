#include "protocol/memcache_reply.h"

#include <cstring>

#include "utils/strconv.h"

namespace duet::mcreply {
namespace {

// Values up to this size are written with their header in one reservation.
constexpr size_t kInlineValue = 4096;

char* Put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

}  // namespace

void Line(ReplyBuffer* out, std::string_view text) {
  char* p = out->Reserve(text.size() + 2);
  p = Put(p, text);
  p[0] = '\r';
  p[1] = '\n';
  out->Commit(text.size() + 2);
}

void Number(ReplyBuffer* out, uint64_t v) {
  char* p = out->Reserve(kMaxInt64Chars + 2);
  size_t n = FormatUint64(v, p);
  p[n] = '\r';
  p[n + 1] = '\n';
  out->Commit(n + 2);
}

void Value(ReplyBuffer* out, std::string_view key, uint32_t flags, std::string_view data,
           bool with_cas, uint64_t cas) {
  // "VALUE " key " " flags " " bytes [" " cas] CRLF
  size_t header_max = 6 + key.size() + 1 + 10 + 1 + 20 + 1 + 20 + 2;
  bool inline_data = data.size() <= kInlineValue;
  char* start = out->Reserve(header_max + (inline_data ? data.size() + 2 : 0));
  char* p = Put(start, "VALUE ");
  p = Put(p, key);
  *p++ = ' ';
  p += FormatUint64(flags, p);
  *p++ = ' ';
  p += FormatUint64(data.size(), p);
  if (with_cas) {
    *p++ = ' ';
    p += FormatUint64(cas, p);
  }
  *p++ = '\r';
  *p++ = '\n';
  if (inline_data) {
    p = Put(p, data);
    *p++ = '\r';
    *p++ = '\n';
    out->Commit(static_cast<size_t>(p - start));
    return;
  }
  out->Commit(static_cast<size_t>(p - start));
  out->Append(data);
  out->Append("\r\n", 2);
}

void Stat(ReplyBuffer* out, std::string_view name, std::string_view value) {
  char* start = out->Reserve(5 + name.size() + 1 + value.size() + 2);
  char* p = Put(start, "STAT ");
  p = Put(p, name);
  *p++ = ' ';
  p = Put(p, value);
  *p++ = '\r';
  *p++ = '\n';
  out->Commit(static_cast<size_t>(p - start));
}

void StatNumber(ReplyBuffer* out, std::string_view name, int64_t value) {
  char buf[kMaxInt64Chars];
  Stat(out, name, std::string_view(buf, FormatInt64(value, buf)));
}

MetaLine::MetaLine(ReplyBuffer* out, std::string_view code) : out_(out) {
  start_ = out_->Reserve(kMaxLine);
  p_ = Put(start_, code);
}

void MetaLine::Flag(char letter, int64_t v) {
  *p_++ = ' ';
  *p_++ = letter;
  p_ += FormatInt64(v, p_);
}

void MetaLine::FlagU(char letter, uint64_t v) {
  *p_++ = ' ';
  *p_++ = letter;
  p_ += FormatUint64(v, p_);
}

void MetaLine::Flag(char letter, std::string_view text) {
  *p_++ = ' ';
  *p_++ = letter;
  p_ = Put(p_, text);
}

void MetaLine::Flag(char letter) {
  *p_++ = ' ';
  *p_++ = letter;
}

void MetaLine::Number(uint64_t v) { p_ += FormatUint64(v, p_); }

void MetaLine::Text(std::string_view text) { p_ = Put(p_, text); }

void MetaLine::Finish() {
  *p_++ = '\r';
  *p_++ = '\n';
  out_->Commit(static_cast<size_t>(p_ - start_));
}

}  // namespace duet::mcreply
