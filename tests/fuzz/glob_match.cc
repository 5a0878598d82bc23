// libFuzzer target: GlobMatch against a reference matcher written from the
// rules in utils/glob.h, independently of the greedy implementation: the
// pattern is first cut into tokens (each a set of accepted bytes, or a star),
// then matched by dynamic programming over (token, subject position).
//
// Input: one byte of flags (bit 0: nocase), then pattern and subject
// separated by the first 0xff byte.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "utils/glob.h"

namespace {

struct Token {
  bool star = false;
  std::bitset<256> accepts;
};

int Signed(unsigned char c) { return static_cast<signed char>(c); }
int Lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

// All bytes b with pred(b).
template <typename Pred>
std::bitset<256> Bytes(Pred pred) {
  std::bitset<256> s;
  for (int b = 0; b < 256; ++b) s[static_cast<size_t>(b)] = pred(static_cast<unsigned char>(b));
  return s;
}

std::bitset<256> Literal(unsigned char c, bool nocase) {
  return Bytes(
      [&](unsigned char b) { return b == c || (nocase && Lower(Signed(b)) == Lower(Signed(c))); });
}

std::vector<Token> Tokenize(std::string_view p, bool nocase) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < p.size()) {
    const auto c = static_cast<unsigned char>(p[i]);
    Token t;
    if (c == '*') {
      t.star = true;
      ++i;
    } else if (c == '?') {
      t.accepts.set();
      ++i;
    } else if (c == '\\') {
      const auto lit = i + 1 < p.size() ? static_cast<unsigned char>(p[i + 1]) : c;
      t.accepts = Literal(lit, nocase);
      i += i + 1 < p.size() ? 2 : 1;
    } else if (c == '[') {
      ++i;
      bool negate = i < p.size() && p[i] == '^';
      if (negate) ++i;
      std::bitset<256> set;
      while (i < p.size() && p[i] != ']') {
        const auto a = static_cast<unsigned char>(p[i]);
        if (a == '\\' && i + 1 < p.size()) {
          set[static_cast<unsigned char>(p[i + 1])] = true;  // exact, even with nocase
          i += 2;
        } else if (i + 2 < p.size() && p[i + 1] == '-') {
          int lo = Signed(a), hi = Signed(static_cast<unsigned char>(p[i + 2]));
          if (lo > hi) std::swap(lo, hi);
          if (nocase) {
            lo = Lower(lo);
            hi = Lower(hi);
          }
          set |= Bytes([&](unsigned char b) {
            int v = nocase ? Lower(Signed(b)) : Signed(b);
            return v >= lo && v <= hi;
          });
          i += 3;
        } else {
          set |= Literal(a, nocase);
          ++i;
        }
      }
      if (i < p.size()) ++i;  // the ']'
      t.accepts = negate ? ~set : set;
    } else {
      t.accepts = Literal(c, nocase);
      ++i;
    }
    out.push_back(t);
  }
  return out;
}

bool Reference(std::string_view pattern, std::string_view s, bool nocase) {
  if (s.empty()) return pattern.empty();
  auto toks = Tokenize(pattern, nocase);
  // ok[j]: tokens [0, i) can match exactly s[0, j).
  std::vector<char> ok(s.size() + 1, 0), next(s.size() + 1);
  ok[0] = 1;
  for (const auto& t : toks) {
    if (t.star) {
      char any = 0;
      for (size_t j = 0; j <= s.size(); ++j) {
        any |= ok[j];
        next[j] = any;
      }
    } else {
      next[0] = 0;
      for (size_t j = 1; j <= s.size(); ++j) {
        next[j] = ok[j - 1] && t.accepts[static_cast<unsigned char>(s[j - 1])];
      }
    }
    ok.swap(next);
  }
  return ok[s.size()];
}

// Star groups followed by another token: above 1000 Redis gives up.
bool TooManyStars(std::string_view p) {
  int groups = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '*' && (i + 1 == p.size() || p[i + 1] != '*')) ++groups;
  }
  return groups > 1000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0 || size > 4096) return 0;
  const bool nocase = bytes[0] & 1;
  std::string_view rest(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  size_t cut = rest.find('\xff');
  std::string_view pattern = rest.substr(0, cut);
  std::string_view subject =
      cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  if (TooManyStars(pattern)) return 0;
  if (duet::GlobMatch(pattern, subject, nocase) != Reference(pattern, subject, nocase)) {
    std::abort();
  }
  return 0;
}
