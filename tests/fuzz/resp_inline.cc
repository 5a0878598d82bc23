// libFuzzer target: inline requests (a text line) through RespParser.
//
// Invariants checked:
//  * Inline splitting agrees with the redis.conf tokenizer rules Redis uses
//    for inline commands (SplitConfigArgs), fast path or not: same arguments,
//    and an unbalanced-quotes error exactly when the tokenizer refuses.
//  * Parsing the line a byte at a time gives the same result as all at once.
//  * A line holding a NUL byte never completes (Redis's strchr() stops there).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/resp_parser.h"
#include "utils/config_tokenizer.h"

namespace {

// Returns the arguments, or nullopt on a parse error; *need_more when the
// parser wanted more bytes than given.
std::optional<std::vector<std::string>> ParseOnce(std::string_view buf, bool* need_more) {
  duet::RespParser p;
  size_t consumed = 0;
  auto r = p.Parse(buf.data(), buf.size(), &consumed);
  *need_more = r == duet::RespParser::Result::kNeedMore;
  if (r != duet::RespParser::Result::kCommand) return std::nullopt;
  if (consumed != buf.size()) std::abort();  // exactly one line was given
  return std::vector<std::string>(p.args().begin(), p.args().end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string line(reinterpret_cast<const char*>(bytes), size);
  // One inline line: no '\n' inside, not starting with '*' (multibulk).
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  if (!line.empty() && line[0] == '*') line[0] = ' ';
  if (line.size() > duet::RespParser::kInlineMax) return 0;
  std::string request = line + "\r\n";

  bool need_more = false;
  auto got = ParseOnce(request, &need_more);
  if (line.find('\0') != std::string::npos) {
    if (!need_more) std::abort();
    return 0;
  }
  if (need_more) std::abort();

  std::string_view body(line);
  auto want = duet::SplitConfigArgs(body);
  if (got.has_value() != want.has_value()) std::abort();
  if (got && *got != *want) std::abort();

  // Byte-at-a-time delivery through one parser.
  duet::RespParser p;
  for (size_t n = 1; n <= request.size(); ++n) {
    size_t consumed = 0;
    auto r = p.Parse(request.data(), n, &consumed);
    if (n < request.size()) {
      if (r != duet::RespParser::Result::kNeedMore) std::abort();
      continue;
    }
    if (got) {
      if (r != duet::RespParser::Result::kCommand) std::abort();
      if (std::vector<std::string>(p.args().begin(), p.args().end()) != *got) std::abort();
    } else if (r != duet::RespParser::Result::kError) {
      std::abort();
    }
  }
  return 0;
}
