#include "storage/bitops.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "utils/strconv.h"

namespace duet {
namespace {

static_assert(std::endian::native == std::endian::little, "word loads assume little endian");

inline uint8_t Byte(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

// Big-endian 64-bit load: bit 0 of the string becomes the word's top bit, so
// countl_zero gives bit positions directly.
inline uint64_t LoadBE(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return __builtin_bswap64(w);
}

int64_t PopCount(const char* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    uint64_t w[4];
    std::memcpy(w, p + i, 32);
    count += std::popcount(w[0]) + std::popcount(w[1]) + std::popcount(w[2]) + std::popcount(w[3]);
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    count += std::popcount(w);
  }
  for (; i < n; ++i) count += std::popcount(static_cast<uint8_t>(p[i]));
  return count;
}

// First bit equal to `bit` in bytes [from, to) of s, as an absolute bit index,
// or -1.
int64_t FindBit(std::string_view s, size_t from, size_t to, bool bit) {
  const uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  const uint8_t skip_byte = bit ? 0 : 0xff;
  size_t i = from;
  for (; i + 8 <= to; i += 8) {
    const uint64_t w = LoadBE(s.data() + i) ^ skip_word;
    if (w != 0) return static_cast<int64_t>(i * 8 + std::countl_zero(w));
  }
  for (; i < to; ++i) {
    const uint8_t b = Byte(s, i) ^ skip_byte;
    if (b != 0) return static_cast<int64_t>(i * 8 + std::countl_zero(b));
  }
  return -1;
}

// Resolves [start, end] against a length of `total` units the way BITCOUNT and
// BITPOS do. Returns false for an empty range.
bool NormalizeRange(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start += total;
  if (*end < 0) *end += total;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= total) *end = total - 1;
  return *start <= *end;
}

// Compares an argument with a keyword the way strcasecmp on a C string does:
// an embedded NUL ends the argument.
bool KeywordIs(std::string_view arg, std::string_view lower_keyword) {
  const size_t nul = arg.find('\0');
  if (nul != std::string_view::npos) arg = arg.substr(0, nul);
  if (arg.size() != lower_keyword.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    char c = arg[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_keyword[i]) return false;
  }
  return true;
}

// ---- bitfield helpers. A field lies within 9 bytes (offset % 8 + 64 bits <=
// 72), so it is handled as a 72-bit big-endian window in a 128-bit integer.
using u128 = unsigned __int128;

inline uint64_t FieldMask(uint32_t bits) {
  return bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

uint64_t GetRaw(std::string_view s, uint64_t offset, uint32_t bits) {
  const uint64_t first = offset >> 3;
  u128 window = 0;
  for (uint64_t k = 0; k < 9; ++k) {
    const uint64_t i = first + k;
    window = (window << 8) | (i < s.size() ? Byte(s, i) : 0);
  }
  const uint32_t shift = 72 - static_cast<uint32_t>(offset & 7) - bits;
  return static_cast<uint64_t>(window >> shift) & FieldMask(bits);
}

void SetRaw(std::span<char> buf, uint64_t offset, uint32_t bits, uint64_t value) {
  const uint64_t first = offset >> 3;
  const uint64_t last = (offset + bits - 1) >> 3;  // inside buf by contract
  u128 window = 0;
  for (uint64_t i = first; i <= last; ++i) window = (window << 8) | static_cast<uint8_t>(buf[i]);
  const uint32_t span_bits = static_cast<uint32_t>(last - first + 1) * 8;
  const uint32_t shift = span_bits - static_cast<uint32_t>(offset & 7) - bits;
  const u128 mask = static_cast<u128>(FieldMask(bits)) << shift;
  window = (window & ~mask) | ((static_cast<u128>(value & FieldMask(bits)) << shift) & mask);
  for (uint64_t i = last + 1; i-- > first;) {
    buf[i] = static_cast<char>(static_cast<uint8_t>(window));
    window >>= 8;
  }
}

inline int64_t SignExtend(uint64_t raw, uint32_t bits) {
  if (bits == 64) return static_cast<int64_t>(raw);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((raw ^ sign) - sign);
}

// Outcome of fitting a mathematically exact result into a field: the value to
// store, and whether it did not fit.
struct Fitted {
  uint64_t raw;  // bits to store (low `bits` bits)
  bool overflow;
};

// Signed field: `exact` is the true result (value + increment) in 128 bits.
Fitted FitSigned(__int128 exact, uint32_t bits, BitfieldOverflow mode, bool is_set) {
  const __int128 max = (static_cast<__int128>(1) << (bits - 1)) - 1;
  const __int128 min = -max - 1;
  if (exact >= min && exact <= max) return {static_cast<uint64_t>(exact), false};
  if (mode == BitfieldOverflow::kSat) {
    bool too_big = exact > max;
    // Redis 7.0 decides the direction of a SET's overflow with a 64-bit
    // "max - value" that wraps for very negative values (value <= max - 2^63
    // on fields narrower than 64 bits), so those saturate to the maximum.
    if (is_set && bits < 64 && exact <= max - (static_cast<__int128>(1) << 63)) too_big = true;
    return {static_cast<uint64_t>(too_big ? max : min), true};
  }
  return {static_cast<uint64_t>(exact), true};  // WRAP keeps the low bits
}

// Unsigned field. Redis treats an unsigned SET of a negative number as a huge
// unsigned value, so it overflows upwards; an INCRBY below zero overflows
// downwards.
Fitted FitUnsigned(__int128 exact, uint32_t bits, BitfieldOverflow mode) {
  const __int128 max = static_cast<__int128>(FieldMask(bits));
  if (exact >= 0 && exact <= max) return {static_cast<uint64_t>(exact), false};
  if (mode == BitfieldOverflow::kSat) return {static_cast<uint64_t>(exact > max ? max : 0), true};
  return {static_cast<uint64_t>(exact), true};
}

}  // namespace

// ----------------------------------------------------------------- arguments

bool ParseBitOffset(std::string_view arg, uint64_t proto_max_bulk_len, uint32_t width,
                    uint64_t* out) {
  const bool hash = width != 0 && !arg.empty() && arg[0] == '#';
  if (hash) arg.remove_prefix(1);
  int64_t v;
  if (!ParseInt64(arg, &v)) return false;
  // Redis multiplies in a signed 64-bit integer; the overflow wraps in
  // practice, which makes some huge "#N" offsets valid. Reproduce that.
  if (hash) v = static_cast<int64_t>(static_cast<uint64_t>(v) * width);
  if (v < 0 || static_cast<uint64_t>(v >> 3) >= proto_max_bulk_len) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

bool ParseBitValue(std::string_view arg, bool* out) {
  int64_t v;
  if (!ParseInt64(arg, &v) || (v != 0 && v != 1)) return false;
  *out = v == 1;
  return true;
}

// ------------------------------------------------------------ GETBIT/SETBIT

int GetBit(std::string_view s, uint64_t offset) {
  const uint64_t byte = offset >> 3;
  if (byte >= s.size()) return 0;
  return (Byte(s, byte) >> (7 - (offset & 7))) & 1;
}

int SetBit(std::span<char> buf, uint64_t offset, bool on) {
  char& b = buf[offset >> 3];
  const auto mask = static_cast<uint8_t>(0x80 >> (offset & 7));
  const auto old = static_cast<uint8_t>(b);
  b = static_cast<char>(on ? (old | mask) : (old & ~mask));
  return (old & mask) != 0;
}

// ------------------------------------------------------------------ BITCOUNT

int64_t BitCount(std::string_view s) { return PopCount(s.data(), s.size()); }

int64_t BitCount(std::string_view s, int64_t start, int64_t end, BitUnit unit) {
  if (start < 0 && end < 0 && start > end) return 0;
  const auto bytes = static_cast<int64_t>(s.size());
  const int64_t total = unit == BitUnit::kBit ? bytes * 8 : bytes;
  if (!NormalizeRange(total, &start, &end)) return 0;
  if (unit == BitUnit::kByte) {
    return PopCount(s.data() + start, static_cast<size_t>(end - start + 1));
  }
  const int64_t first = start >> 3;
  const int64_t last = end >> 3;
  int64_t count = PopCount(s.data() + first, static_cast<size_t>(last - first + 1));
  // Take back the bits of the edge bytes that lie outside the range.
  const auto head = static_cast<uint8_t>(0xff00 >> (start & 7));    // bits before start
  const auto tail = static_cast<uint8_t>(0xff >> ((end & 7) + 1));  // bits after end
  count -= std::popcount(static_cast<uint8_t>(Byte(s, first) & head));
  count -= std::popcount(static_cast<uint8_t>(Byte(s, last) & tail));
  return count;
}

// -------------------------------------------------------------------- BITPOS

int64_t BitPos(std::string_view s, bool bit) {
  if (s.empty()) return -1;
  const int64_t pos = FindBit(s, 0, s.size(), bit);
  if (pos >= 0 || bit) return pos;
  return static_cast<int64_t>(s.size()) * 8;
}

int64_t BitPos(std::string_view s, bool bit, int64_t start, std::optional<int64_t> end_arg,
               BitUnit unit) {
  const auto bytes = static_cast<int64_t>(s.size());
  const int64_t total = unit == BitUnit::kBit ? bytes * 8 : bytes;
  int64_t end = end_arg ? *end_arg : total - 1;
  if (!NormalizeRange(total, &start, &end)) return -1;
  int64_t first_bit = start;
  int64_t last_bit = end;
  if (unit == BitUnit::kByte) {
    first_bit = start * 8;
    last_bit = end * 8 + 7;
  }
  const int64_t first = first_bit >> 3;
  const int64_t last = last_bit >> 3;
  int64_t pos = -1;
  // Edge bytes are searched with the out-of-range bits forced to the value we
  // are not looking for; whole bytes in between go through FindBit.
  const auto head = static_cast<uint8_t>(0xff00 >> (first_bit & 7));
  const auto tail = static_cast<uint8_t>(0xff >> ((last_bit & 7) + 1));
  auto search_byte = [&](int64_t i, uint8_t outside) -> int64_t {
    uint8_t b = Byte(s, static_cast<size_t>(i));
    b = bit ? static_cast<uint8_t>(b & ~outside) : static_cast<uint8_t>(~(b | outside));
    return b == 0 ? -1 : i * 8 + std::countl_zero(b);
  };
  if (first == last) {
    pos = search_byte(first, static_cast<uint8_t>(head | tail));
  } else {
    pos = search_byte(first, head);
    if (pos < 0 && last - first > 1) {
      pos = FindBit(s, static_cast<size_t>(first + 1), static_cast<size_t>(last), bit);
    }
    if (pos < 0) pos = search_byte(last, tail);
  }
  if (pos >= 0 || bit || end_arg) return pos;
  // Looking for a 0 with an open end: the string continues with zeros.
  return (last + 1) * 8;
}

// --------------------------------------------------------------------- BITOP

bool ParseBitOpKind(std::string_view name, BitOpKind* out) {
  if (KeywordIs(name, "and")) {
    *out = BitOpKind::kAnd;
  } else if (KeywordIs(name, "or")) {
    *out = BitOpKind::kOr;
  } else if (KeywordIs(name, "xor")) {
    *out = BitOpKind::kXor;
  } else if (KeywordIs(name, "not")) {
    *out = BitOpKind::kNot;
  } else {
    return false;
  }
  return true;
}

size_t BitOpResultSize(std::span<const std::string_view> srcs) {
  size_t n = 0;
  for (std::string_view s : srcs) n = std::max(n, s.size());
  return n;
}

void BitOp(BitOpKind op, std::span<const std::string_view> srcs, std::span<char> out) {
  const size_t n = out.size();
  if (n == 0) return;
  if (op == BitOpKind::kNot) {
    const std::string_view src = srcs[0];
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, src.data() + i, 8);
      w = ~w;
      std::memcpy(out.data() + i, &w, 8);
    }
    for (; i < n; ++i) out[i] = static_cast<char>(~static_cast<uint8_t>(src[i]));
    return;
  }
  // Start from the first source (zero padded), then fold the others in. AND
  // with a shorter source clears everything past its end.
  const std::string_view first = srcs.empty() ? std::string_view() : srcs[0];
  if (!first.empty()) std::memcpy(out.data(), first.data(), first.size());
  std::memset(out.data() + first.size(), 0, n - first.size());
  for (size_t k = 1; k < srcs.size(); ++k) {
    const std::string_view src = srcs[k];
    const size_t m = src.size();
    char* dst = out.data();
    size_t i = 0;
    switch (op) {
      case BitOpKind::kAnd:
        for (; i + 8 <= m; i += 8) {
          uint64_t a, b;
          std::memcpy(&a, dst + i, 8);
          std::memcpy(&b, src.data() + i, 8);
          a &= b;
          std::memcpy(dst + i, &a, 8);
        }
        for (; i < m; ++i) dst[i] = static_cast<char>(dst[i] & src[i]);
        std::memset(dst + m, 0, n - m);
        break;
      case BitOpKind::kOr:
        for (; i + 8 <= m; i += 8) {
          uint64_t a, b;
          std::memcpy(&a, dst + i, 8);
          std::memcpy(&b, src.data() + i, 8);
          a |= b;
          std::memcpy(dst + i, &a, 8);
        }
        for (; i < m; ++i) dst[i] = static_cast<char>(dst[i] | src[i]);
        break;
      case BitOpKind::kXor:
        for (; i + 8 <= m; i += 8) {
          uint64_t a, b;
          std::memcpy(&a, dst + i, 8);
          std::memcpy(&b, src.data() + i, 8);
          a ^= b;
          std::memcpy(dst + i, &a, 8);
        }
        for (; i < m; ++i) dst[i] = static_cast<char>(dst[i] ^ src[i]);
        break;
      case BitOpKind::kNot:
        break;
    }
  }
}

std::string BitOp(BitOpKind op, std::span<const std::string_view> srcs) {
  std::string out(BitOpResultSize(srcs), '\0');
  BitOp(op, srcs, std::span<char>(out.data(), out.size()));
  return out;
}

// ------------------------------------------------------------------ BITFIELD

bool ParseBitfieldType(std::string_view arg, BitfieldType* out) {
  // Redis reads the width with strlen(), so an embedded NUL ends the argument.
  const size_t nul = arg.find('\0');
  if (nul != std::string_view::npos) arg = arg.substr(0, nul);
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u')) return false;
  const bool is_signed = arg[0] == 'i';
  int64_t bits;
  if (!ParseInt64(arg.substr(1), &bits) || bits < 1 || bits > (is_signed ? 64 : 63)) return false;
  out->is_signed = is_signed;
  out->bits = static_cast<uint8_t>(bits);
  return true;
}

std::string_view BitfieldErrorText(BitfieldError e) {
  switch (e) {
    case BitfieldError::kNone:
      return {};
    case BitfieldError::kSyntax:
      return "ERR syntax error";
    case BitfieldError::kType:
      return kErrBitfieldType;
    case BitfieldError::kOffset:
      return kErrBitOffset;
    case BitfieldError::kNotInteger:
      return "ERR value is not an integer or out of range";
    case BitfieldError::kOverflowType:
      return kErrBitfieldOverflowType;
    case BitfieldError::kRoGetOnly:
      return kErrBitfieldRoGetOnly;
  }
  return {};
}

BitfieldError ParseBitfield(std::span<const std::string_view> args, bool ro_command,
                            uint64_t proto_max_bulk_len, BitfieldPlan* plan) {
  plan->ops.clear();
  plan->read_only = true;
  plan->bytes_needed = 0;
  BitfieldOverflow overflow = BitfieldOverflow::kWrap;
  uint64_t highest_bit = 0;
  size_t i = 0;
  while (i < args.size()) {
    const std::string_view sub = args[i];
    const size_t more = args.size() - i - 1;
    BitfieldOp op;
    if (KeywordIs(sub, "get") && more >= 2) {
      op.kind = BitfieldOpKind::kGet;
    } else if (KeywordIs(sub, "set") && more >= 3) {
      op.kind = BitfieldOpKind::kSet;
    } else if (KeywordIs(sub, "incrby") && more >= 3) {
      op.kind = BitfieldOpKind::kIncrBy;
    } else if (KeywordIs(sub, "overflow") && more >= 1) {
      const std::string_view mode = args[i + 1];
      if (KeywordIs(mode, "wrap")) {
        overflow = BitfieldOverflow::kWrap;
      } else if (KeywordIs(mode, "sat")) {
        overflow = BitfieldOverflow::kSat;
      } else if (KeywordIs(mode, "fail")) {
        overflow = BitfieldOverflow::kFail;
      } else {
        return BitfieldError::kOverflowType;
      }
      i += 2;
      continue;
    } else {
      return BitfieldError::kSyntax;
    }
    if (!ParseBitfieldType(args[i + 1], &op.type)) return BitfieldError::kType;
    if (!ParseBitOffset(args[i + 2], proto_max_bulk_len, op.type.bits, &op.offset)) {
      return BitfieldError::kOffset;
    }
    if (op.kind != BitfieldOpKind::kGet) {
      plan->read_only = false;
      highest_bit = std::max(highest_bit, op.offset + op.type.bits - 1);
      if (!ParseInt64(args[i + 3], &op.value)) return BitfieldError::kNotInteger;
    }
    op.overflow = overflow;
    plan->ops.push_back(op);
    i += op.kind == BitfieldOpKind::kGet ? 3 : 4;
  }
  if (!plan->read_only) {
    if (ro_command) return BitfieldError::kRoGetOnly;
    plan->bytes_needed = (highest_bit >> 3) + 1;
  }
  return BitfieldError::kNone;
}

int64_t BitfieldGet(std::string_view s, uint64_t offset, BitfieldType type) {
  const uint64_t raw = GetRaw(s, offset, type.bits);
  return type.is_signed ? SignExtend(raw, type.bits) : static_cast<int64_t>(raw);
}

BitfieldResult BitfieldApply(const BitfieldOp& op, std::span<char> buf, bool* changed) {
  *changed = false;
  const uint32_t bits = op.type.bits;
  const std::string_view view(buf.data(), buf.size());
  if (op.kind == BitfieldOpKind::kGet) return {false, BitfieldGet(view, op.offset, op.type)};

  const uint64_t old_raw = GetRaw(view, op.offset, bits);
  const int64_t old_value =
      op.type.is_signed ? SignExtend(old_raw, bits) : static_cast<int64_t>(old_raw);
  __int128 exact;
  if (op.kind == BitfieldOpKind::kSet) {
    // An unsigned field reads a negative SET value as its 64-bit pattern.
    exact = op.type.is_signed ? static_cast<__int128>(op.value)
                              : static_cast<__int128>(static_cast<uint64_t>(op.value));
  } else {
    exact = static_cast<__int128>(old_value) + op.value;
  }
  const Fitted fit = op.type.is_signed
                         ? FitSigned(exact, bits, op.overflow, op.kind == BitfieldOpKind::kSet)
                         : FitUnsigned(exact, bits, op.overflow);
  if (fit.overflow && op.overflow == BitfieldOverflow::kFail) return {true, 0};
  const uint64_t new_raw = fit.raw & FieldMask(bits);
  SetRaw(buf, op.offset, bits, new_raw);
  *changed = new_raw != old_raw;
  if (op.kind == BitfieldOpKind::kSet) return {false, old_value};
  return {false, op.type.is_signed ? SignExtend(new_raw, bits) : static_cast<int64_t>(new_raw)};
}

}  // namespace duet
