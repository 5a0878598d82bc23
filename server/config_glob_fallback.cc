#include "server/config_glob_fallback.h"

#include <cctype>
#include <utility>

namespace duet {
namespace {

char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

bool MatchFrom(std::string_view p, size_t pi, std::string_view s, size_t si, bool nocase) {
  while (pi < p.size()) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < p.size() && p[pi + 1] == '*') ++pi;
        if (pi + 1 == p.size()) return true;
        for (size_t k = si; k <= s.size(); ++k) {
          if (MatchFrom(p, pi + 1, s, k, nocase)) return true;
        }
        return false;
      }
      case '?':
        if (si == s.size()) return false;
        ++pi;
        ++si;
        break;
      case '[': {
        if (si == s.size()) return false;
        ++pi;
        const bool negate = pi < p.size() && p[pi] == '^';
        if (negate) ++pi;
        const char c = Fold(s[si], nocase);
        bool matched = false;
        while (pi < p.size() && p[pi] != ']') {
          if (p[pi] == '\\' && pi + 1 < p.size()) {
            if (Fold(p[pi + 1], nocase) == c) matched = true;
            pi += 2;
          } else if (pi + 2 < p.size() && p[pi + 1] == '-') {
            char lo = Fold(p[pi], nocase);
            char hi = Fold(p[pi + 2], nocase);
            if (lo > hi) std::swap(lo, hi);
            if (c >= lo && c <= hi) matched = true;
            pi += 3;
          } else {
            if (Fold(p[pi], nocase) == c) matched = true;
            ++pi;
          }
        }
        if (pi < p.size()) ++pi;  // the closing ']' (an unclosed set ends the pattern)
        if (matched == negate) return false;
        ++si;
        break;
      }
      case '\\':
        if (pi + 1 < p.size()) ++pi;
        [[fallthrough]];
      default:
        if (si == s.size() || Fold(p[pi], nocase) != Fold(s[si], nocase)) return false;
        ++pi;
        ++si;
        break;
    }
  }
  return si == s.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view subject, bool nocase) {
  return MatchFrom(pattern, 0, subject, 0, nocase);
}

}  // namespace duet
