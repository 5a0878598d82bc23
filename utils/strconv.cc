#include "utils/strconv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace duet {
namespace {

// Longest text string2ll looks at: 20 digits or '-' and 19 digits.
constexpr size_t kMaxInt64Text = 20;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// isspace() in the C locale, which is what Redis checks on the first byte.
inline bool IsCSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

constexpr char kDigitPairs[201] =
    "00010203040506070809"
    "10111213141516171819"
    "20212223242526272829"
    "30313233343536373839"
    "40414243444546474849"
    "50515253545556575859"
    "60616263646566676869"
    "70717273747576777879"
    "80818283848586878889"
    "90919293949596979899";

constexpr double kExactPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// Plain decimals ("12", "-3.25", ".5", "7.") with at most 15 digits: the
// digits form an integer below 2^53 and the scale is an exact power of ten, so
// one IEEE division gives the correctly rounded result, the same double strtod
// returns. Anything else (exponents, hex, inf, '+', long inputs) returns false
// and goes the slow way.
bool FastDecimal(std::string_view s, double* out) {
  size_t i = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) i = 1;
  uint64_t mant = 0;
  int digits = 0;
  int frac = -1;  // digits after '.', -1 while no '.' was seen
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (++digits > 15) return false;
      mant = mant * 10 + static_cast<uint64_t>(c - '0');
      if (frac >= 0) ++frac;
    } else if (c == '.' && frac < 0) {
      frac = 0;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  double v = static_cast<double>(mant);
  if (frac > 0) v /= kExactPow10[frac];
  *out = neg ? -v : v;
  return true;
}

// Runs fn (strtod or strtold) over a NUL-terminated copy of s and applies
// Redis's acceptance rules. Returns false if rejected.
template <typename T, typename Fn>
bool StrtoFull(std::string_view s, Fn fn, T* out) {
  char stack_buf[256];
  std::unique_ptr<char[]> heap_buf;
  char* buf = stack_buf;
  if (s.size() >= sizeof(stack_buf)) {
    heap_buf.reset(new char[s.size() + 1]);
    buf = heap_buf.get();
  }
  if (!s.empty()) std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  const T v = fn(buf, &end);
  if (static_cast<size_t>(end - buf) != s.size()) return false;
  // Overflow (+-HUGE_VAL) and underflow to zero are errors; a denormal result
  // that also raised ERANGE is fine.
  if (errno == ERANGE && (std::isinf(v) || v == 0)) return false;
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

}  // namespace

bool ParseInt64(std::string_view s, int64_t* out) {
  const size_t n = s.size();
  if (n == 0 || n > kMaxInt64Text) return false;
  if (n == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool neg = s[0] == '-';
  if (neg) {
    if (n == 1) return false;
    i = 1;
  }
  // First digit 1-9: no leading zeros, and "-0" is not an integer to Redis.
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = static_cast<uint64_t>(s[i] - '0');
  for (++i; i < n; ++i) {
    if (!IsDigit(s[i])) return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool ParseUint64(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  if (s.size() <= 19) {  // at most 19 digits cannot overflow: no check per digit
    for (char c : s) {
      if (!IsDigit(c)) return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    *out = v;
    return true;
  }
  for (char c : s) {
    if (!IsDigit(c)) return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || IsCSpace(s[0])) return false;
  if (FastDecimal(s, out)) return true;
  return StrtoFull<double>(
      s, [](const char* p, char** e) { return std::strtod(p, e); }, out);
}

bool ParseLongDouble(std::string_view s, long double* out) {
  if (s.empty() || s.size() >= kMaxLongDoubleChars || IsCSpace(s[0])) return false;
  return StrtoFull<long double>(
      s, [](const char* p, char** e) { return std::strtold(p, e); }, out);
}

bool ParseDoubleRangeBound(std::string_view s, double* out) {
  // strtod stops at the first NUL, and Redis only checks it stopped there.
  const size_t nul = s.find('\0');
  if (nul != std::string_view::npos) s = s.substr(0, nul);
  char stack_buf[256];
  std::unique_ptr<char[]> heap_buf;
  char* buf = stack_buf;
  if (s.size() >= sizeof(stack_buf)) {
    heap_buf.reset(new char[s.size() + 1]);
    buf = heap_buf.get();
  }
  if (!s.empty()) std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  char* end = nullptr;
  const double v = std::strtod(buf, &end);
  if (*end != '\0' || std::isnan(v)) return false;
  *out = v;
  return true;
}

uint32_t DigitCount(uint64_t v) {
  uint32_t n = 1;
  for (;;) {
    if (v < 10) return n;
    if (v < 100) return n + 1;
    if (v < 1000) return n + 2;
    if (v < 10000) return n + 3;
    v /= 10000;
    n += 4;
  }
}

size_t FormatUint64(uint64_t v, char* buf) {
  const uint32_t len = DigitCount(v);
  char* p = buf + len;
  while (v >= 100) {
    const auto pair = static_cast<size_t>(v % 100) * 2;
    v /= 100;
    *--p = kDigitPairs[pair + 1];
    *--p = kDigitPairs[pair];
  }
  if (v >= 10) {
    const auto pair = static_cast<size_t>(v) * 2;
    *--p = kDigitPairs[pair + 1];
    *--p = kDigitPairs[pair];
  } else {
    *--p = static_cast<char>('0' + v);
  }
  return len;
}

size_t FormatInt64(int64_t v, char* buf) {
  if (v >= 0) return FormatUint64(static_cast<uint64_t>(v), buf);
  buf[0] = '-';
  // 0 - v in unsigned arithmetic is well defined for INT64_MIN too.
  return 1 + FormatUint64(0 - static_cast<uint64_t>(v), buf + 1);
}

size_t FormatDouble(double v, char* buf) {
  if (std::isinf(v)) {
    if (v > 0) {
      std::memcpy(buf, "inf", 3);
      return 3;
    }
    std::memcpy(buf, "-inf", 4);
    return 4;
  }
  // Integral values below 1e17 print as plain integers under "%.17g" (at most
  // 17 digits, no exponent); -0.0 must keep its sign so it goes the slow way.
  if (v > -1e17 && v < 1e17 && v != 0) {
    const auto i = static_cast<int64_t>(v);
    if (static_cast<double>(i) == v) return FormatInt64(i, buf);
  }
  // std::to_chars with a precision is specified as printf's "%.17g" in the C
  // locale, and is much faster than snprintf.
  const auto res = std::to_chars(buf, buf + kMaxDoubleChars, v, std::chars_format::general, 17);
  return static_cast<size_t>(res.ptr - buf);
}

size_t FormatLongDouble(long double v, char* buf) {
  if (std::isinf(v)) {
    if (v > 0) {
      std::memcpy(buf, "inf", 3);
      return 3;
    }
    std::memcpy(buf, "-inf", 4);
    return 4;
  }
  int n = std::snprintf(buf, kMaxLongDoubleChars, "%.17Lf", v);
  if (n < 0 || static_cast<size_t>(n) >= kMaxLongDoubleChars) return 0;  // cannot happen
  size_t len = static_cast<size_t>(n);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (buf[len - 1] == '0') --len;
    if (buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    len = 1;
  }
  return len;
}

std::string FormatLongDouble(long double v) {
  char buf[kMaxLongDoubleChars];
  return std::string(buf, FormatLongDouble(v, buf));
}

void AppendRepr(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(static_cast<char>(c));
        } else {
          out->append("\\x");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        }
    }
  }
  out->push_back('"');
}

}  // namespace duet
