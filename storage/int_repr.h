#pragma once
// Integer representation rules the compact encodings share with Redis.

#include <cstdint>
#include <string_view>

namespace duet {

// True if `s` is the canonical decimal form of an int64 (what Redis's
// string2ll accepts): optional '-', no '+', no leading zeros, no spaces, no
// "-0", at most 20 characters, in range. Only such members may live in an
// intset, because printing the integer must give back the same bytes.
inline bool ParseCanonicalInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  if (i >= s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

}  // namespace duet
