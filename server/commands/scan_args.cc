#include "server/commands/scan_args.h"

#include <cerrno>
#include <cstdlib>

#include "protocol/errors.h"
#include "server/commands/arg_parser.h"
#include "utils/strconv.h"

namespace duet {

bool ParseScanCursor(std::string_view s, uint64_t* out) {
  // Redis reads the cursor with strtoull and requires it to consume everything.
  if (s.empty() || s.size() > 20) return false;
  std::string copy(s);
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(copy.c_str(), &end, 10);
  if (errno == ERANGE || end == nullptr || *end != '\0' || copy[0] == ' ') return false;
  *out = v;
  return true;
}

namespace {

bool TypeFromName(std::string_view name, ValueType* out) {
  static const struct {
    const char* name;
    ValueType type;
  } kTypes[] = {{"string", ValueType::kString},
                {"list", ValueType::kList},
                {"set", ValueType::kSet},
                {"zset", ValueType::kZSet},
                {"hash", ValueType::kHash}};
  for (const auto& t : kTypes) {
    if (ArgParser::EqualsIgnoreCase(name, t.name)) {
      *out = t.type;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ParseScanArgs(CommandContext& ctx, size_t cursor_index, bool allow_type, ScanArgs* out) {
  if (!ParseScanCursor(ctx.args[cursor_index], &out->cursor)) {
    ctx.rb.Error(errors::kInvalidCursor);
    return false;
  }
  ArgParser p(ctx.args, cursor_index + 1);
  while (p.HasNext()) {
    if (p.remaining() >= 2 && p.Eat("COUNT")) {
      int64_t count;
      if (!ParseInt64(p.Next(), &count)) {
        ctx.rb.Error(errors::kNotInteger);
        return false;
      }
      if (count < 1) {
        ctx.rb.Error(errors::kSyntax);
        return false;
      }
      out->count = static_cast<size_t>(count);
    } else if (p.remaining() >= 2 && p.Eat("MATCH")) {
      out->pattern = p.Next();
      out->has_pattern = out->pattern != "*";
    } else if (allow_type && p.remaining() >= 2 && p.Eat("TYPE")) {
      out->has_type = true;
      if (!TypeFromName(p.Next(), &out->type)) out->type_matches_nothing = true;
    } else {
      ctx.rb.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

void ReplyScan(ReplyBuilder& rb, uint64_t cursor, const std::vector<std::string>& items) {
  rb.ArrayHeader(2);
  char buf[24];
  size_t n = 0;
  uint64_t c = cursor;
  char tmp[24];
  do {
    tmp[n++] = static_cast<char>('0' + c % 10);
    c /= 10;
  } while (c != 0);
  for (size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  rb.Bulk(std::string_view(buf, n));
  rb.ArrayHeader(items.size());
  for (const auto& s : items) rb.Bulk(s);
}

}  // namespace duet
