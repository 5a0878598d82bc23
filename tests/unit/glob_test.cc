// Expected values in this file were confirmed against a real redis-server
// 7.0.15 (Debian build): KEYS for case-sensitive matching (one key per case),
// CONFIG GET for nocase matching (config names are lowercase).

#include "utils/glob.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace duet {
namespace {

struct GlobCase {
  std::string_view pattern;
  std::string_view subject;
  bool match;
};

// Case-sensitive, as KEYS / SCAN MATCH / PSUBSCRIBE use it.
constexpr GlobCase kCases[] = {
    {std::string_view("", 0), std::string_view("", 0), true},
    {std::string_view("", 0), std::string_view("a", 1), false},
    {std::string_view("**", 2), std::string_view("", 0), false},
    {std::string_view("a", 1), std::string_view("", 0), false},
    {std::string_view("?", 1), std::string_view("", 0), false},
    {std::string_view("*", 1), std::string_view("abc", 3), true},
    {std::string_view("a*", 2), std::string_view("abc", 3), true},
    {std::string_view("*c", 2), std::string_view("abc", 3), true},
    {std::string_view("a*c", 3), std::string_view("abc", 3), true},
    {std::string_view("a*c", 3), std::string_view("ab", 2), false},
    {std::string_view("a*b*c", 5), std::string_view("abc", 3), true},
    {std::string_view("a*b*c", 5), std::string_view("axxbyyc", 7), true},
    {std::string_view("a*b*c", 5), std::string_view("axxbyy", 6), false},
    {std::string_view("a?c", 3), std::string_view("abc", 3), true},
    {std::string_view("a?c", 3), std::string_view("ac", 2), false},
    {std::string_view("???", 3), std::string_view("abc", 3), true},
    {std::string_view("??", 2), std::string_view("abc", 3), false},
    {std::string_view("a", 1), std::string_view("A", 1), false},
    {std::string_view("h[ae]llo", 8), std::string_view("hello", 5), true},
    {std::string_view("h[ae]llo", 8), std::string_view("hillo", 5), false},
    {std::string_view("h[^e]llo", 8), std::string_view("hallo", 5), true},
    {std::string_view("h[^e]llo", 8), std::string_view("hello", 5), false},
    {std::string_view("h[a-b]llo", 9), std::string_view("hbllo", 5), true},
    {std::string_view("h[b-a]llo", 9), std::string_view("hallo", 5), true},
    {std::string_view("h[z-a]llo", 9), std::string_view("hmllo", 5), true},
    {std::string_view("h[a-z]llo", 9), std::string_view("hAllo", 5), false},
    {std::string_view("[", 1), std::string_view("[", 1), false},
    {std::string_view("[", 1), std::string_view("a", 1), false},
    {std::string_view("[^", 2), std::string_view("x", 1), true},
    {std::string_view("[^", 2), std::string_view("xy", 2), false},
    {std::string_view("[abc", 4), std::string_view("b", 1), true},
    {std::string_view("[abc", 4), std::string_view("bb", 2), false},
    {std::string_view("[abc", 4), std::string_view("d", 1), false},
    {std::string_view("[a-", 3), std::string_view("-", 1), true},
    {std::string_view("[a-", 3), std::string_view("a", 1), true},
    {std::string_view("[a-", 3), std::string_view("b", 1), false},
    {std::string_view("[a-]", 4), std::string_view("]", 1), true},
    {std::string_view("[a-]", 4), std::string_view("^", 1), true},
    {std::string_view("[a-]", 4), std::string_view("b", 1), false},
    {std::string_view("[a-]", 4), std::string_view("-", 1), false},
    {std::string_view("[]", 2), std::string_view("]", 1), false},
    {std::string_view("[]", 2), std::string_view("a", 1), false},
    {std::string_view("[]]", 3), std::string_view("]", 1), false},
    {std::string_view("[]]", 3), std::string_view("]]", 2), false},
    {std::string_view("[^]", 3), std::string_view("x", 1), true},
    {std::string_view("[^]]", 4), std::string_view("]", 1), false},
    {std::string_view("[^]]", 4), std::string_view("]]", 2), true},
    {std::string_view("[\\]]", 4), std::string_view("]", 1), true},
    {std::string_view("[\\]", 3), std::string_view("]", 1), true},
    {std::string_view("[\\]", 3), std::string_view("\\", 1), false},
    {std::string_view("[a\\", 3), std::string_view("\\", 1), true},
    {std::string_view("[a\\", 3), std::string_view("a", 1), true},
    {std::string_view("\\*", 2), std::string_view("*", 1), true},
    {std::string_view("\\*", 2), std::string_view("a", 1), false},
    {std::string_view("\\", 1), std::string_view("\\", 1), true},
    {std::string_view("a\\", 2), std::string_view("a\\", 2), true},
    {std::string_view("\\a", 2), std::string_view("a", 1), true},
    {std::string_view("\\?", 2), std::string_view("?", 1), true},
    {std::string_view("\\?", 2), std::string_view("x", 1), false},
    {std::string_view("\\[a]", 4), std::string_view("[a]", 3), true},
    {std::string_view("\\[a]", 4), std::string_view("a", 1), false},
    {std::string_view("[\\a-z]", 6), std::string_view("m", 1), false},
    {std::string_view("[\\a-z]", 6), std::string_view("-", 1), true},
    {std::string_view("[\\a-z]", 6), std::string_view("z", 1), true},
    {std::string_view("[a-\\]", 5), std::string_view("\\", 1), true},
    {std::string_view("[a-\\]", 5), std::string_view("^", 1), true},
    {std::string_view("[a-\\]", 5), std::string_view("b", 1), false},
    {std::string_view("[\\-a]", 5), std::string_view("-", 1), true},
    {std::string_view("[\\-a]", 5), std::string_view("b", 1), false},
    {std::string_view("[\\", 2), std::string_view("\\", 1), true},
    {std::string_view("[\\", 2), std::string_view("[", 1), false},
    {std::string_view("*\\", 2), std::string_view("x\\", 2), true},
    {std::string_view("a**b", 4), std::string_view("ab", 2), true},
    {std::string_view("a**b", 4), std::string_view("axb", 3), true},
    {std::string_view("***", 3), std::string_view("x", 1), true},
    {std::string_view("a*", 2), std::string_view("a", 1), true},
    {std::string_view("*a", 2), std::string_view("a", 1), true},
    {std::string_view("a*a", 3), std::string_view("a", 1), false},
    {std::string_view("a*a", 3), std::string_view("aa", 2), true},
    {std::string_view("ab[", 3), std::string_view("ab", 2), false},
    {std::string_view("*[", 2), std::string_view("x", 1), false},
    {std::string_view("*[^", 3), std::string_view("xy", 2), true},
    {std::string_view("[*]", 3), std::string_view("*", 1), true},
    {std::string_view("[*]", 3), std::string_view("a", 1), false},
    {std::string_view("[?]", 3), std::string_view("a", 1), false},
    {std::string_view("[^a-c]", 6), std::string_view("d", 1), true},
    {std::string_view("[^a-c]", 6), std::string_view("b", 1), false},
    {std::string_view("[a-cx-z]", 8), std::string_view("y", 1), true},
    {std::string_view("[a-cx-z]", 8), std::string_view("m", 1), false},
    {std::string_view("[-a]", 4), std::string_view("-", 1), true},
    {std::string_view("[a-c-e]", 7), std::string_view("d", 1), false},
    {std::string_view("[a-c-e]", 7), std::string_view("-", 1), true},
    {std::string_view("[---]", 5), std::string_view("-", 1), true},
    {std::string_view("[^^]", 4), std::string_view("^", 1), false},
    {std::string_view("[^^]", 4), std::string_view("a", 1), true},
    {std::string_view("[\x80"
                      "-\xff"
                      "]",
                      5),
     std::string_view("\x90"
                      "",
                      1),
     true},
    {std::string_view("[\x80"
                      "-\xff"
                      "]",
                      5),
     std::string_view("a", 1), false},
    {std::string_view("[a-\xff"
                      "]",
                      5),
     std::string_view("A", 1), true},
    {std::string_view("[a-\xff"
                      "]",
                      5),
     std::string_view("b", 1), false},
    {std::string_view("[a-\xff"
                      "]",
                      5),
     std::string_view("\xf0"
                      "",
                      1),
     false},
    {std::string_view("[\x01"
                      "-\xff"
                      "]",
                      5),
     std::string_view("\x00"
                      "",
                      1),
     true},
    {std::string_view("[\x01"
                      "-\xff"
                      "]",
                      5),
     std::string_view("a", 1), false},
    {std::string_view("?", 1),
     std::string_view("\xff"
                      "",
                      1),
     true},
    {std::string_view("\xe9"
                      "*",
                      2),
     std::string_view("\xe9"
                      "t\xe9"
                      "",
                      3),
     true},
    {std::string_view("*\x00"
                      "*",
                      3),
     std::string_view("a\x00"
                      "b",
                      3),
     true},
    {std::string_view("a\x00"
                      "",
                      2),
     std::string_view("a", 1), false},
    {std::string_view("*?", 2), std::string_view("a", 1), true},
    {std::string_view("*??", 3), std::string_view("a", 1), false},
    {std::string_view("?*?", 3), std::string_view("ab", 2), true},
    {std::string_view("user:*:name", 11), std::string_view("user:1000:name", 14), true},
    {std::string_view("user:*:name", 11), std::string_view("user:1000:nam", 13), false},
    {std::string_view("*:*:*", 5), std::string_view("a:b", 3), false},
    {std::string_view("*a*a*a*b", 8), std::string_view("aaaaaaab", 8), true},
    {std::string_view("*a*a*a*b", 8), std::string_view("aaaaaaa", 7), false},
    {std::string_view("*ab*cd", 6), std::string_view("abxabcdcd", 9), true},
    {std::string_view("*ab*cd", 6), std::string_view("abxabcdc", 8), false},
    {std::string_view("a*b?c*d", 7), std::string_view("aXbYcZd", 7), true},
    {std::string_view("*[0-9]", 6), std::string_view("key9", 4), true},
    {std::string_view("*[0-9]", 6), std::string_view("key", 3), false},
    {std::string_view("[a-z]*[0-9]", 11), std::string_view("k9", 2), true},
};

TEST(GlobTest, MatchesRedisKeys) {
  for (const GlobCase& c : kCases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.subject), c.match)
        << "pattern '" << c.pattern << "' subject '" << c.subject << "'";
  }
}

// Nocase, as CONFIG GET uses it: ranges are ordered before being lowercased,
// and an escaped byte inside a set stays case-sensitive.
constexpr GlobCase kNocaseCases[] = {
    {"MAX*", "maxclients", true},         {"[L-M]axmemory", "maxmemory", true},
    {"[l-m]AXMEMORY", "maxmemory", true}, {"[Z-a]*", "maxmemory", false},
    {"[m-A]axmemory", "maxmemory", true}, {"[\\M]axmemory", "maxmemory", false},
    {"[\\m]AXMEMORY", "maxmemory", true}, {"\\Maxmemor?", "maxmemory", true},
    {"MAXMEMOR[^Y]", "maxmemory", false}, {"maxmemor[^Y]", "maxmemory", false},
    {"?AXMEMORY", "maxmemory", true},     {"*MEMORY", "maxmemory", true},
    {"[A-Z]axmemory", "maxmemory", true}, {"[a-Z]axmemory", "maxmemory", false},
    {"[_-z]axmemory", "maxmemory", true}, {"[M-_]axmemory", "maxmemory", false},
};

TEST(GlobTest, NocaseMatchesRedisConfigGet) {
  for (const GlobCase& c : kNocaseCases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.subject, /*nocase=*/true), c.match)
        << "pattern '" << c.pattern << "' subject '" << c.subject << "'";
  }
  // The same patterns without nocase.
  EXPECT_FALSE(GlobMatch("MAX*", "maxclients"));
  EXPECT_FALSE(GlobMatch("[L-M]axmemory", "maxmemory"));
  EXPECT_TRUE(GlobMatch("[M-_]axmemory", "Maxmemory"));
}

TEST(GlobTest, EmptySubjectMatchesOnlyEmptyPattern) {
  // KEYS * lists an empty key only because KEYS short-cuts the exact pattern
  // "*"; KEYS ** does not list it (checked with redis-cli).
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("**", ""));
  EXPECT_FALSE(GlobMatch("[^", ""));
}

TEST(GlobTest, StarGroupLimit) {
  // Redis gives up beyond 1000 '*' groups that are followed by something
  // (KEYS with a key of n 'a's, checked for n = 999..1002).
  auto repeat = [](std::string_view unit, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += unit;
    return s;
  };
  for (int n : {999, 1000}) {
    const std::string key(static_cast<size_t>(n), 'a');
    EXPECT_TRUE(GlobMatch(repeat("*a", n), key)) << n;
    EXPECT_TRUE(GlobMatch(repeat("*a", n) + "*", key)) << n;
  }
  for (int n : {1001, 1002}) {
    const std::string key(static_cast<size_t>(n), 'a');
    EXPECT_FALSE(GlobMatch(repeat("*a", n), key)) << n;
    EXPECT_FALSE(GlobMatch(repeat("*a", n) + "*", key)) << n;
  }
  // A final '*' is not a group that needs to go deeper.
  EXPECT_TRUE(GlobMatch(repeat("a*", 1001), std::string(1001, 'a')));
  EXPECT_FALSE(GlobMatch(repeat("a*", 1002), std::string(1002, 'a')));
  // Runs of '*' count once.
  EXPECT_TRUE(GlobMatch(repeat("**a", 1000), std::string(1000, 'a')));
}

TEST(GlobTest, HostilePatternsFinish) {
  // Exponential for naive backtracking: 30 "*a" groups, then a 'b' that never
  // comes. Redis answers these instantly, and so must we.
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  pattern += "b";
  const std::string as(10000, 'a');
  EXPECT_FALSE(GlobMatch(pattern, as));
  EXPECT_TRUE(GlobMatch(pattern, as + "b"));
  EXPECT_FALSE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", as));
  EXPECT_FALSE(GlobMatch("*" + std::string(50, 'a') + "b", as));
  EXPECT_TRUE(GlobMatch("*" + std::string(50, 'a'), as));
  EXPECT_FALSE(GlobMatch("*a*b*a*b*a*b*a*b*a*b*a*b*a*b*a*b*c", std::string(5000, 'a') + "b"));
  EXPECT_FALSE(GlobMatch("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?[^a]", as));
}

TEST(GlobTest, AgreesWithSimpleRecursiveDefinition) {
  // Exhaustive cross-check over short patterns and subjects against a
  // straightforward (exponential, but tiny here) recursive matcher built from
  // single-token matching, so the greedy restart logic cannot drift.
  struct Ref {
    // Length of the token at p (not '*'), and whether it matches c.
    static size_t Token(std::string_view pat, size_t p, char c, bool* ok) {
      const size_t n = pat.size();
      if (pat[p] == '?') {
        *ok = true;
        return 1;
      }
      if (pat[p] == '\\') {
        const size_t len = p + 1 < n ? 2 : 1;
        *ok = pat[p + len - 1] == c;
        return len;
      }
      if (pat[p] != '[') {
        *ok = pat[p] == c;
        return 1;
      }
      size_t q = p + 1;
      const bool neg = q < n && pat[q] == '^';
      if (neg) ++q;
      bool m = false;
      while (q < n) {
        if (pat[q] == '\\' && q + 1 < n) {
          m |= pat[q + 1] == c;
          q += 2;
        } else if (pat[q] == ']') {
          ++q;
          *ok = m != neg;
          return q - p;
        } else if (q + 2 < n && pat[q + 1] == '-') {
          int lo = static_cast<signed char>(pat[q]), hi = static_cast<signed char>(pat[q + 2]);
          if (lo > hi) std::swap(lo, hi);
          const int v = static_cast<signed char>(c);
          m |= v >= lo && v <= hi;
          q += 3;
        } else {
          m |= pat[q] == c;
          ++q;
        }
      }
      *ok = m != neg;
      return n - p;
    }
    static bool Match(std::string_view pat, std::string_view s) {
      if (pat.empty()) return s.empty();
      if (pat[0] == '*') {
        for (size_t k = 0; k <= s.size(); ++k) {
          if (Match(pat.substr(1), s.substr(k))) return true;
        }
        return false;
      }
      if (s.empty()) return false;
      bool ok;
      const size_t len = Token(pat, 0, s[0], &ok);
      return ok && Match(pat.substr(len), s.substr(1));
    }
  };
  const std::string_view alphabet = "ab*?[]^-\\";
  const std::string_view subject_alphabet = "ab]-\\";
  std::string pat;
  std::string subj;
  int checked = 0;
  // Patterns up to 4 bytes over 9 symbols, subjects up to 3 bytes over 5.
  auto for_each = [](std::string_view alpha, size_t max_len, auto&& fn) {
    std::string s;
    auto rec = [&](auto&& self) -> void {
      fn(s);
      if (s.size() == max_len) return;
      for (char c : alpha) {
        s.push_back(c);
        self(self);
        s.pop_back();
      }
    };
    rec(rec);
  };
  for_each(alphabet, 4, [&](const std::string& p) {
    for_each(subject_alphabet, 3, [&](const std::string& s) {
      if (s.empty()) return;  // covered by EmptySubjectMatchesOnlyEmptyPattern
      ASSERT_EQ(GlobMatch(p, s), Ref::Match(p, s)) << "pattern '" << p << "' subject '" << s << "'";
      ++checked;
    });
  });
  EXPECT_GT(checked, 100000);
}

TEST(GlobTest, HasNoSpecialChars) {
  EXPECT_TRUE(GlobHasNoSpecialChars(""));
  EXPECT_TRUE(GlobHasNoSpecialChars("user:1000"));
  EXPECT_TRUE(GlobHasNoSpecialChars("a]b^c-d"));
  EXPECT_FALSE(GlobHasNoSpecialChars("user:*"));
  EXPECT_FALSE(GlobHasNoSpecialChars("a?"));
  EXPECT_FALSE(GlobHasNoSpecialChars("[a]"));
  EXPECT_FALSE(GlobHasNoSpecialChars("a\\b"));
}

}  // namespace
}  // namespace duet
