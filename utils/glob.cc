#include "utils/glob.h"

#include <cstddef>
#include <utility>

namespace duet {
namespace {

// Redis compares pattern and subject bytes as (signed) char and folds case
// with tolower() in the C locale: ASCII only.
inline int Signed(char c) { return static_cast<signed char>(c); }
inline int Lower(int c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

inline bool SameByte(char p, char c, bool nocase) {
  return p == c || (nocase && Lower(Signed(p)) == Lower(Signed(c)));
}

// Redis refuses to go deeper than this many '*' groups (see glob.h).
constexpr int kMaxStarGroups = 1000;

// Matches the single-byte token that starts at pattern[p] (not a '*') against
// byte c. Returns the index just past the token and sets *ok. How far a token
// reaches never depends on c, which is what lets the matcher below restart
// from any earlier position.
size_t MatchOne(std::string_view pat, size_t p, char c, bool nocase, bool* ok) {
  const size_t n = pat.size();
  switch (pat[p]) {
    case '?':
      *ok = true;
      return p + 1;
    case '\\':
      if (p + 1 < n) ++p;  // a trailing backslash stands for itself
      *ok = SameByte(pat[p], c, nocase);
      return p + 1;
    case '[': {
      ++p;
      const bool negate = p < n && pat[p] == '^';
      if (negate) ++p;
      bool match = false;
      for (;;) {
        const size_t rem = n - p;
        if (rem >= 2 && pat[p] == '\\') {
          match |= pat[p + 1] == c;
          p += 2;
        } else if (rem >= 1 && pat[p] == ']') {
          ++p;
          break;
        } else if (rem == 0) {
          break;  // unterminated set: it takes the rest of the pattern
        } else if (rem >= 3 && pat[p + 1] == '-') {
          int lo = Signed(pat[p]);
          int hi = Signed(pat[p + 2]);
          if (lo > hi) std::swap(lo, hi);
          int v = Signed(c);
          if (nocase) {
            lo = Lower(lo);
            hi = Lower(hi);
            v = Lower(v);
          }
          match |= v >= lo && v <= hi;
          p += 3;
        } else {
          match |= SameByte(pat[p], c, nocase);
          ++p;
        }
      }
      *ok = match != negate;
      return p;
    }
    default:
      *ok = SameByte(pat[p], c, nocase);
      return p + 1;
  }
}

}  // namespace

bool GlobMatch(std::string_view pat, std::string_view str, bool nocase) {
  if (str.empty()) return pat.empty();

  const size_t np = pat.size();
  const size_t ns = str.size();
  size_t p = 0;
  size_t s = 0;
  // Restart point: pattern index just after the most recent '*' group and the
  // subject index that group currently stops at. Only the latest group ever
  // needs to grow: if the rest of the pattern cannot match from any later
  // position, no earlier group can help either.
  size_t star_p = std::string_view::npos;
  size_t star_s = 0;
  int star_groups = 0;

  while (s < ns) {
    if (p < np && pat[p] == '*') {
      while (p < np && pat[p] == '*') ++p;
      if (p == np) return true;  // a final '*' takes whatever is left
      if (++star_groups > kMaxStarGroups) return false;
      star_p = p;
      star_s = s;
      continue;
    }
    if (p < np) {
      bool ok;
      const size_t next = MatchOne(pat, p, str[s], nocase, &ok);
      if (ok) {
        p = next;
        ++s;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    s = ++star_s;
  }
  while (p < np && pat[p] == '*') ++p;
  return p == np;
}

bool GlobHasNoSpecialChars(std::string_view pattern) {
  for (char c : pattern) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') return false;
  }
  return true;
}

}  // namespace duet
