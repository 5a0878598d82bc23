#include "protocol/resp_parser.h"

#include <cstring>

#include "protocol/errors.h"
#include "utils/config_tokenizer.h"
#include "utils/strconv.h"

namespace duet {
namespace {

constexpr int64_t kMaxArgsBeforeAuth = 10;
constexpr int64_t kMaxBulkBeforeAuth = 16384;
constexpr int64_t kMaxMultibulkLen = 2147483647;  // INT_MAX, as Redis

const char* FindCr(const char* begin, const char* end) {
  return static_cast<const char*>(std::memchr(begin, '\r', static_cast<size_t>(end - begin)));
}

}  // namespace

void RespParser::Reset() {
  in_multibulk_ = false;
  expected_args_ = 0;
  bulk_len_ = -1;
  pos_ = 0;
  arg_offsets_.clear();
  bytes_wanted_ = 0;
}

RespParser::Result RespParser::Fail(std::string_view msg) {
  error_.assign(msg);
  Reset();
  return Result::kError;
}

RespParser::Result RespParser::Parse(const char* data, size_t len, size_t* consumed) {
  *consumed = 0;
  args_.clear();
  if (len == 0) return Result::kNeedMore;
  if (in_multibulk_ || data[0] == '*') return ParseMultibulk(data, len, consumed);
  return ParseInline(data, len, consumed);
}

RespParser::Result RespParser::ParseInline(const char* data, size_t len, size_t* consumed) {
  const char* nl = static_cast<const char*>(std::memchr(data, '\n', len));
  // Redis looks for the newline with strchr(), which stops at a NUL byte: a
  // NUL before the newline hides it, and the request stays incomplete until
  // the inline limit ends the connection. Duet answers the same way.
  const size_t search = nl == nullptr ? len : static_cast<size_t>(nl - data);
  if (std::memchr(data, '\0', search) != nullptr) nl = nullptr;
  if (nl == nullptr) {
    if (len > kInlineMax) return Fail(errors::kProtoBigInline);
    return Result::kNeedMore;
  }
  size_t line_len = static_cast<size_t>(nl - data);
  // Redis reads 16 KB at a time and gives up once more than kInlineMax bytes
  // hold no newline; a longer line is refused even when it arrived whole.
  if (line_len > kInlineMax) return Fail(errors::kProtoBigInline);
  std::string_view line(data, line_len);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  *consumed = line_len + 1;

  // Fast path: no quotes, so arguments are plain views into the line.
  if (line.find_first_of("\"'") == std::string_view::npos) {
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
                                 line[i] == '\v' || line[i] == '\f')) {
        ++i;
      }
      size_t start = i;
      // As in Redis, \v and \f are skipped before an argument but do not
      // end one.
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > start) args_.emplace_back(line.data() + start, i - start);
    }
    return Result::kCommand;
  }
  auto split = SplitConfigArgs(line);
  if (!split) {
    *consumed = 0;
    return Fail(errors::kProtoUnbalancedQuotes);
  }
  inline_owned_ = std::move(*split);
  for (const auto& a : inline_owned_) args_.emplace_back(a);
  return Result::kCommand;
}

RespParser::Result RespParser::ParseMultibulk(const char* data, size_t len, size_t* consumed) {
  const char* end = data + len;
  if (!in_multibulk_) {
    const char* cr = FindCr(data, end);
    if (cr == nullptr) {
      if (len > kInlineMax) return Fail(errors::kProtoBigMbulkCount);
      return Result::kNeedMore;
    }
    if (cr + 1 >= end) return Result::kNeedMore;  // wait for the '\n'
    int64_t n;
    bool ok = ParseInt64(std::string_view(data + 1, static_cast<size_t>(cr - data - 1)), &n);
    if (!ok || n > kMaxMultibulkLen) return Fail(errors::kProtoInvalidMultibulkLen);
    if (n > kMaxArgsBeforeAuth && !authenticated_) return Fail(errors::kProtoUnauthMultibulk);
    pos_ = static_cast<size_t>(cr - data) + 2;
    if (n <= 0) {
      *consumed = pos_;
      Reset();
      return Result::kCommand;  // empty request: nothing to run
    }
    in_multibulk_ = true;
    expected_args_ = n;
    bulk_len_ = -1;
    arg_offsets_.clear();
    arg_offsets_.reserve(static_cast<size_t>(n < 1024 ? n : 1024));
  }

  while (static_cast<int64_t>(arg_offsets_.size()) < expected_args_) {
    if (bulk_len_ < 0) {
      if (pos_ >= len) return Result::kNeedMore;
      const char* p = data + pos_;
      const char* cr = FindCr(p, end);
      if (cr == nullptr) {
        if (static_cast<size_t>(end - p) > kInlineMax) return Fail(errors::kProtoBigBulkCount);
        return Result::kNeedMore;
      }
      if (cr + 1 >= end) return Result::kNeedMore;
      if (*p != '$') {
        std::string msg = "ERR Protocol error: expected '$', got '";
        msg.push_back(*p);
        msg.push_back('\'');
        return Fail(msg);
      }
      int64_t blen;
      bool ok = ParseInt64(std::string_view(p + 1, static_cast<size_t>(cr - p - 1)), &blen);
      if (!ok || blen < 0 || blen > max_bulk_len_) return Fail(errors::kProtoInvalidBulkLen);
      if (blen > kMaxBulkBeforeAuth && !authenticated_) return Fail(errors::kProtoUnauthBulk);
      bulk_len_ = blen;
      pos_ = static_cast<size_t>(cr - data) + 2;
    }
    // Redis skips the two bytes after the data without checking them.
    size_t need = pos_ + static_cast<size_t>(bulk_len_) + 2;
    if (need > len) {
      bytes_wanted_ = need;
      return Result::kNeedMore;
    }
    arg_offsets_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ = need;
    bulk_len_ = -1;
  }

  for (const auto& [off, n] : arg_offsets_) args_.emplace_back(data + off, n);
  *consumed = pos_;
  in_multibulk_ = false;
  expected_args_ = 0;
  pos_ = 0;
  bytes_wanted_ = 0;
  arg_offsets_.clear();
  return Result::kCommand;
}

}  // namespace duet
