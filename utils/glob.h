#pragma once
// Glob matching with the exact semantics of Redis 7.0's KEYS, SCAN MATCH,
// PSUBSCRIBE and CONFIG GET patterns.
//
// Tokens (each matches exactly one byte, except '*'):
//   *        any run of bytes, including none (consecutive '*' act as one)
//   ?        any byte
//   [set]    one byte of the set; [^set] one byte not in it. Inside a set:
//            \x is the byte x (compared case-sensitively even with nocase),
//            a-b is the inclusive range between a and b in either order
//            (bytes compared as signed char, as Redis does on x86/arm64),
//            ']' closes the set ("[]" is an empty set, "[^]" any byte), and
//            a set left open at the end of the pattern ends there: "[ab"
//            equals "[ab]", "[" matches nothing, "[^" matches any byte.
//   \x       the byte x; a trailing '\' is a literal backslash.
//   other    that byte; with nocase, ASCII letters match either case.
//
// Redis quirks reproduced on purpose:
//   * An empty subject matches only the empty pattern: "*" does not match "".
//     KEYS and SCAN treat the exact pattern "*" as "everything" before
//     matching (so an empty key is listed by KEYS *, but not by KEYS **);
//     callers must do the same.
//   * More than 1000 '*' groups that are followed by another token make the
//     pattern match nothing (Redis's nesting limit against abusive patterns).
//   * With nocase, a range's ends are ordered before being lowercased, so
//     [Z-a] matches nothing.
//
// Cost: O(|pattern| * |subject|) in the worst case, O(|pattern| + |subject|)
// for patterns whose '*'s can be matched greedily; no recursion, no
// allocation.

#include <string_view>

namespace duet {

bool GlobMatch(std::string_view pattern, std::string_view subject, bool nocase = false);

// True if the pattern contains none of * ? [ \ — then it matches exactly the
// subject equal to it, and KEYS can do a single lookup.
bool GlobHasNoSpecialChars(std::string_view pattern);

}  // namespace duet
