#include "persistence/aof_parser.h"

#include <charconv>
#include <cstring>

namespace duet {
namespace {

// Bulk arguments longer than this are refused as corruption rather than
// trusted for an allocation (Redis's proto-max-bulk-len ceiling).
constexpr uint64_t kMaxArgLen = 512ULL * 1024 * 1024;
constexpr uint64_t kMaxArgc = 1ULL << 31;

// Finds "\r\n" at or after `from`; npos when absent.
size_t FindCrlf(std::string_view data, size_t from) {
  while (from < data.size()) {
    const void* p = std::memchr(data.data() + from, '\r', data.size() - from);
    if (p == nullptr) return std::string_view::npos;
    size_t at = static_cast<size_t>(static_cast<const char*>(p) - data.data());
    if (at + 1 >= data.size()) return std::string_view::npos;
    if (data[at + 1] == '\n') return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

bool ParseCount(std::string_view digits, uint64_t* out) {
  if (digits.empty()) return false;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return ec == std::errc() && p == digits.data() + digits.size();
}

}  // namespace

AofStep ParseAofStep(std::string_view data, size_t* consumed, std::vector<std::string_view>* argv,
                     std::string* error) {
  argv->clear();
  if (data.empty()) return AofStep::kNeedMore;
  if (data[0] == '#') {
    size_t eol = FindCrlf(data, 0);
    if (eol == std::string_view::npos) return AofStep::kNeedMore;
    *consumed = eol + 2;
    return AofStep::kAnnotation;
  }
  if (data[0] != '*') {
    *error = "expected '*'";
    *consumed = 0;
    return AofStep::kBad;
  }
  size_t eol = FindCrlf(data, 1);
  if (eol == std::string_view::npos) return AofStep::kNeedMore;
  uint64_t argc = 0;
  if (!ParseCount(data.substr(1, eol - 1), &argc) || argc < 1 || argc > kMaxArgc) {
    *error = "bad argument count";
    *consumed = 0;
    return AofStep::kBad;
  }
  size_t pos = eol + 2;
  for (uint64_t i = 0; i < argc; ++i) {
    if (pos >= data.size()) return AofStep::kNeedMore;
    if (data[pos] != '$') {
      *error = "expected '$'";
      *consumed = pos;
      return AofStep::kBad;
    }
    eol = FindCrlf(data, pos + 1);
    if (eol == std::string_view::npos) return AofStep::kNeedMore;
    uint64_t len = 0;
    if (!ParseCount(data.substr(pos + 1, eol - pos - 1), &len) || len > kMaxArgLen) {
      *error = "bad bulk length";
      *consumed = pos;
      return AofStep::kBad;
    }
    pos = eol + 2;
    if (data.size() - pos < len + 2) return AofStep::kNeedMore;
    if (data[pos + len] != '\r' || data[pos + len + 1] != '\n') {
      *error = "bulk string not followed by CRLF";
      *consumed = pos + len;
      return AofStep::kBad;
    }
    argv->emplace_back(data.data() + pos, len);
    pos += len + 2;
  }
  *consumed = pos;
  return AofStep::kCommand;
}

AofParseOutcome ParseAofBuffer(std::string_view data, AofCommandFn on_command,
                               uint64_t base_offset) {
  AofParseOutcome out;
  std::vector<std::string_view> argv;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t consumed = 0;
    AofStep step = ParseAofStep(data.substr(pos), &consumed, &argv, &out.error);
    if (step == AofStep::kNeedMore) {
      out.kind = AofParseOutcome::Kind::kTruncated;
      break;
    }
    if (step == AofStep::kBad) {
      out.kind = AofParseOutcome::Kind::kCorrupt;
      out.error_offset = base_offset + pos + consumed;
      break;
    }
    const uint64_t at = base_offset + pos;
    pos += consumed;
    if (step == AofStep::kCommand) {
      ++out.commands;
      if (!on_command(argv, at)) {
        out.valid_bytes = base_offset + pos;
        out.kind = AofParseOutcome::Kind::kStopped;
        return out;
      }
    }
  }
  out.valid_bytes = base_offset + pos;
  return out;
}

AofParseOutcome ParseAofFile(SequentialFile& file, AofCommandFn on_command, uint64_t base_offset) {
  constexpr size_t kChunk = 1 << 20;
  AofParseOutcome out;
  std::string buf;                // unparsed bytes: [start, buf.size())
  size_t start = 0;               // first unparsed byte in buf
  uint64_t buf_at = base_offset;  // file offset of buf[0]
  std::string scratch(kChunk, '\0');
  std::vector<std::string_view> argv;
  bool eof = false;
  for (;;) {
    size_t consumed = 0;
    AofStep step = start < buf.size() ? ParseAofStep(std::string_view(buf).substr(start), &consumed,
                                                     &argv, &out.error)
                                      : AofStep::kNeedMore;
    if (step == AofStep::kCommand || step == AofStep::kAnnotation) {
      const uint64_t at = buf_at + start;
      start += consumed;
      if (step == AofStep::kCommand) {
        ++out.commands;
        if (!on_command(argv, at)) {
          out.kind = AofParseOutcome::Kind::kStopped;
          out.valid_bytes = buf_at + start;
          return out;
        }
      }
      continue;
    }
    if (step == AofStep::kBad) {
      out.kind = AofParseOutcome::Kind::kCorrupt;
      out.error_offset = buf_at + start + consumed;
      out.valid_bytes = buf_at + start;
      return out;
    }
    // Need more bytes: drop the parsed prefix, then read a chunk.
    if (eof) {
      out.kind =
          start < buf.size() ? AofParseOutcome::Kind::kTruncated : AofParseOutcome::Kind::kComplete;
      out.valid_bytes = buf_at + start;
      return out;
    }
    if (start > 0) {
      buf.erase(0, start);
      buf_at += start;
      start = 0;
    }
    std::string_view got;
    Status s = file.Read(kChunk, scratch.data(), &got);
    if (!s.ok()) {
      out.kind = AofParseOutcome::Kind::kIoError;
      out.error = s.message();
      out.valid_bytes = buf_at;
      return out;
    }
    if (got.empty()) eof = true;
    buf.append(got);
  }
}

}  // namespace duet
