#pragma once
// ASCII case folding for protocol words: command and subcommand names,
// options, config directives. Locale-independent on purpose: SORT ALPHA may
// follow the locale, but "get" must equal "GET" whatever LC_CTYPE says.

#include <string_view>

namespace duet {

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace duet
