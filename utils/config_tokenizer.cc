#include "utils/config_tokenizer.h"

#include <cctype>
#include <cstdio>
#include <limits>

#include "utils/ascii.h"
#include "utils/strconv.h"

namespace duet {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char EscapedByte(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

}  // namespace

std::optional<std::vector<std::string>> SplitConfigArgs(std::string_view line) {
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  std::vector<std::string> args;
  const size_t n = line.size();
  size_t p = 0;
  while (true) {
    while (p < n && IsSpace(line[p])) ++p;
    if (p == n) return args;

    std::string current;
    enum class Mode { kPlain, kDouble, kSingle } mode = Mode::kPlain;
    bool done = false;
    while (!done) {
      if (mode == Mode::kDouble) {
        if (p == n) return std::nullopt;
        const char c = line[p];
        if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && HexValue(line[p + 2]) >= 0 &&
            HexValue(line[p + 3]) >= 0) {
          current.push_back(static_cast<char>(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
          p += 4;
        } else if (c == '\\' && p + 1 < n) {
          current.push_back(EscapedByte(line[p + 1]));
          p += 2;
        } else if (c == '"') {
          // The closing quote must end the argument.
          if (p + 1 < n && !IsSpace(line[p + 1])) return std::nullopt;
          ++p;
          done = true;
        } else {
          current.push_back(c);
          ++p;
        }
      } else if (mode == Mode::kSingle) {
        if (p == n) return std::nullopt;
        const char c = line[p];
        if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
          current.push_back('\'');
          p += 2;
        } else if (c == '\'') {
          if (p + 1 < n && !IsSpace(line[p + 1])) return std::nullopt;
          ++p;
          done = true;
        } else {
          current.push_back(c);
          ++p;
        }
      } else {
        if (p == n) break;
        const char c = line[p];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          ++p;
          done = true;
        } else if (c == '"') {
          mode = Mode::kDouble;
          ++p;
        } else if (c == '\'') {
          mode = Mode::kSingle;
          ++p;
        } else {
          current.push_back(c);
          ++p;
        }
      }
    }
    args.push_back(std::move(current));
  }
}

std::string_view TrimConfigLine(std::string_view line) {
  constexpr std::string_view kBlank = " \t\r\n";
  const size_t first = line.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const size_t last = line.find_last_not_of(kBlank);
  return line.substr(first, last - first + 1);
}

std::string QuoteConfigArg(std::string_view arg) {
  std::string out;
  out.reserve(arg.size() + 2);
  AppendRepr(&out, arg);
  return out;
}

std::optional<uint64_t> ParseMemoryValue(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view unit = text.substr(digits);
  uint64_t multiplier;
  if (unit.empty() || EqualsIgnoreCase(unit, "b")) {
    multiplier = 1;
  } else if (EqualsIgnoreCase(unit, "k")) {
    multiplier = 1000;
  } else if (EqualsIgnoreCase(unit, "kb")) {
    multiplier = 1024;
  } else if (EqualsIgnoreCase(unit, "m")) {
    multiplier = 1000 * 1000;
  } else if (EqualsIgnoreCase(unit, "mb")) {
    multiplier = 1024 * 1024;
  } else if (EqualsIgnoreCase(unit, "g")) {
    multiplier = 1000ULL * 1000 * 1000;
  } else if (EqualsIgnoreCase(unit, "gb")) {
    multiplier = 1024ULL * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  // Redis copies the digits into a 128-byte buffer and gives up beyond it.
  if (digits >= 128) return std::nullopt;

  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (value > (kMax - d) / 10) {
      value = kMax;  // saturates like strtoull
      break;
    }
    value = value * 10 + d;
  }
  return value * multiplier;  // wraps, as in Redis 7.0
}

std::optional<bool> ParseYesNo(std::string_view text) {
  if (EqualsIgnoreCase(text, "yes")) return true;
  if (EqualsIgnoreCase(text, "no")) return false;
  return std::nullopt;
}

}  // namespace duet
