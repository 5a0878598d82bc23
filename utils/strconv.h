#pragma once
// Number <-> text conversions with the exact rules of Redis 7.0. Parsers take
// string_views (arguments point into the read buffer) and never allocate for
// ordinary inputs; formatters write into caller buffers.
//
// Which parser goes with which command:
//   ParseInt64        every integer argument and stored integer (INCRBY, EXPIRE,
//                     LRANGE indexes, ...). Redis string2ll.
//   ParseDouble       float arguments: ZADD/ZINCRBY scores, GEOADD coordinates.
//                     Redis string2d (strtod).
//   ParseLongDouble   INCRBYFLOAT / HINCRBYFLOAT increments and stored values.
//                     Redis string2ld (strtold).
//   ParseDoubleRangeBound  ZRANGEBYSCORE-style min/max after a leading '(' has
//                     been removed: much looser (see below).
//   ParseUint64       memcached numbers (incr/decr delta, flags, exptime...).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace duet {

// Buffer sizes for the formatters below.
inline constexpr size_t kMaxInt64Chars = 21;   // "-9223372036854775808" + spare
inline constexpr size_t kMaxDoubleChars = 32;  // "-2.2250738585072014e-308" + spare
// Redis's MAX_LONG_DOUBLE_CHARS: longest text ParseLongDouble accepts is one
// less, and the longest FormatLongDouble result (about 4950 chars) fits.
inline constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// Decimal integer in [INT64_MIN, INT64_MAX]: optional '-', then digits with no
// leading zero. Rejects "", "-", "+1", " 1", "1 ", "01", "-0", "0x1", "1e3"
// and anything longer than 20 bytes (Redis string2ll).
bool ParseInt64(std::string_view s, int64_t* out);

// Decimal digits only, at least one (leading zeros allowed), value <= UINT64_MAX.
bool ParseUint64(std::string_view s, uint64_t* out);

// Redis string2d, used for ZADD scores and other float arguments: whatever
// strtod accepts when it consumes the whole input, minus NaN, overflow and
// underflow to zero. So "1e5", ".5", "5.", "+1", "-0", "00012", "inf",
// "-Infinity" and hex floats ("0x1p3") are accepted; "", " 1", "1 ", "nan",
// "1e400", "1e-400" and embedded NULs are rejected. Denormals (1e-310) are
// accepted. There is no length limit.
bool ParseDouble(std::string_view s, double* out);

// Redis string2ld, used by INCRBYFLOAT and HINCRBYFLOAT: the same rules with
// strtold (80-bit long double on x86-64, so "1e400" and "1e-400" are accepted
// and only beyond about 1e4932 / 1e-4951 are rejected), plus inputs of
// kMaxLongDoubleChars bytes or more are rejected.
bool ParseLongDouble(std::string_view s, long double* out);

// ZRANGEBYSCORE / ZCOUNT / ZREMRANGEBYSCORE bound (without its '('): strtod
// must stop at the end of the text or at a NUL byte, and the value must not be
// NaN. Unlike ParseDouble, "" (= 0), leading whitespace, overflow (= +-inf)
// and "1\0junk" (= 1) are accepted, as Redis 7.0 does.
bool ParseDoubleRangeBound(std::string_view s, double* out);

// Number of decimal digits of v (1 for 0).
// Appends `s` double-quoted the way Redis quotes text for humans (MONITOR
// lines, CONFIG REWRITE values, AOF manifest names): \\ \" \n \r \t \a \b
// escaped, other bytes outside printable ASCII as \xHH.
void AppendRepr(std::string* out, std::string_view s);

uint32_t DigitCount(uint64_t v);

// Decimal text of v into buf (at least kMaxInt64Chars bytes, no NUL written).
// Returns the length.
size_t FormatUint64(uint64_t v, char* buf);
size_t FormatInt64(int64_t v, char* buf);

// A double as Redis 7.0 replies it (sorted-set scores: ZSCORE, ZINCRBY,
// WITHSCORES): printf "%.17g", with "inf" / "-inf". So 0.1 gives
// "0.10000000000000001", 3.0 gives "3", 1e20 gives "1e+20", -0.0 gives "-0".
// buf needs kMaxDoubleChars bytes; no NUL is written. Returns the length.
size_t FormatDouble(double v, char* buf);

// A long double as Redis 7.0 stores INCRBYFLOAT / HINCRBYFLOAT results:
// printf "%.17Lf", then trailing zeros and a trailing '.' removed, "-0" turned
// into "0"; "inf" / "-inf" for infinities. So 10.5 + 0.1 gives "10.6", 3e3
// gives "3000", 1e-18 gives "0", and 1e300 prints all of its ~300 digits.
// buf needs kMaxLongDoubleChars bytes; no NUL is written.
size_t FormatLongDouble(long double v, char* buf);
std::string FormatLongDouble(long double v);

}  // namespace duet
