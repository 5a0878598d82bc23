#include "protocol/reply_builder.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "utils/strconv.h"

namespace duet {

void ReplyBuilder::Header(char type, int64_t n) {
  if (muted_) return;
  char* p = buf_->Reserve(24);
  p[0] = type;
  size_t len = 1 + FormatInt64(n, p + 1);
  p[len++] = '\r';
  p[len++] = '\n';
  buf_->Commit(len);
}

void ReplyBuilder::SimpleString(std::string_view s) {
  if (muted_) return;
  buf_->Append("+", 1);
  buf_->Append(s);
  buf_->Append("\r\n", 2);
}

void ReplyBuilder::Error(std::string_view msg) {
  ++error_count_;
  if (error_hook_ != nullptr) error_hook_(error_hook_ctx_, msg);
  if (muted_) return;
  buf_->Append("-", 1);
  if (msg.find_first_of("\r\n") == std::string_view::npos) {
    buf_->Append(msg);
  } else {
    for (char c : msg) buf_->Append((c == '\r' || c == '\n') ? " " : &c, 1);
  }
  buf_->Append("\r\n", 2);
}

void ReplyBuilder::Integer(int64_t v) {
  if (muted_) return;
  if (v == 0) return Raw(":0\r\n");
  if (v == 1) return Raw(":1\r\n");
  Header(':', v);
}

void ReplyBuilder::Bulk(std::string_view s) {
  if (muted_) return;
  if (s.size() <= 256) {
    char* p = buf_->Reserve(s.size() + 32);
    p[0] = '$';
    size_t len = 1 + FormatInt64(static_cast<int64_t>(s.size()), p + 1);
    p[len++] = '\r';
    p[len++] = '\n';
    if (!s.empty()) std::memcpy(p + len, s.data(), s.size());
    len += s.size();
    p[len++] = '\r';
    p[len++] = '\n';
    buf_->Commit(len);
    return;
  }
  Header('$', static_cast<int64_t>(s.size()));
  buf_->Append(s);
  buf_->Append("\r\n", 2);
}

void ReplyBuilder::Null() { Raw(resp_ >= 3 ? "_\r\n" : "$-1\r\n"); }
void ReplyBuilder::NullArray() { Raw(resp_ >= 3 ? "_\r\n" : "*-1\r\n"); }
void ReplyBuilder::ArrayHeader(size_t n) { Header('*', static_cast<int64_t>(n)); }
void ReplyBuilder::MapHeader(size_t n) {
  if (resp_ >= 3) {
    Header('%', static_cast<int64_t>(n));
  } else {
    Header('*', static_cast<int64_t>(n * 2));
  }
}
void ReplyBuilder::SetHeader(size_t n) { Header(resp_ >= 3 ? '~' : '*', static_cast<int64_t>(n)); }
void ReplyBuilder::PushHeader(size_t n) { Header(resp_ >= 3 ? '>' : '*', static_cast<int64_t>(n)); }

void ReplyBuilder::Double(double d) {
  if (muted_) return;
  // FormatDouble gives "%.17g" (and inf/-inf) without snprintf's cost: scores
  // are on the ZPOPMIN / ZRANGE WITHSCORES hot paths.
  char num[kMaxDoubleChars];
  const size_t n = FormatDouble(d, num);
  if (resp_ >= 3) {
    buf_->Append(",", 1);
    buf_->Append(num, static_cast<size_t>(n));
    buf_->Append("\r\n", 2);
  } else {
    Bulk(std::string_view(num, static_cast<size_t>(n)));
  }
}

void ReplyBuilder::Bool(bool b) {
  if (resp_ >= 3) {
    Raw(b ? "#t\r\n" : "#f\r\n");
  } else {
    Raw(b ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyBuilder::Verbatim(std::string_view text, std::string_view format) {
  if (muted_) return;
  if (resp_ < 3) return Bulk(text);
  Header('=', static_cast<int64_t>(text.size() + 4));
  buf_->Append(format.substr(0, 3));
  buf_->Append(":", 1);
  buf_->Append(text);
  buf_->Append("\r\n", 2);
}

void ReplyBuilder::BulkArray(const std::string_view* items, size_t n) {
  ArrayHeader(n);
  for (size_t i = 0; i < n; ++i) Bulk(items[i]);
}

}  // namespace duet
