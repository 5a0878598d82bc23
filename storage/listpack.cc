#include "storage/listpack.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace duet::lp {
namespace {

// Encoding bytes (see the table in listpack.h).
constexpr unsigned char kStr32 = 0xF0;
constexpr unsigned char kInt16 = 0xF1;
constexpr unsigned char kInt24 = 0xF2;
constexpr unsigned char kInt32 = 0xF3;
constexpr unsigned char kInt64 = 0xF4;

inline bool IsStr6(unsigned char b) { return (b & 0xC0) == 0x80; }
inline bool IsInt13(unsigned char b) { return (b & 0xE0) == 0xC0; }
inline bool IsStr12(unsigned char b) { return (b & 0xF0) == 0xE0; }

inline uint32_t LoadU32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint64_t LoadU64(const unsigned char* p) {
  return uint64_t{LoadU32(p)} | uint64_t{LoadU32(p + 4)} << 32;
}
inline void StoreU32(unsigned char* p, uint32_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

inline void SetBytes(unsigned char* lp, size_t bytes) {
  StoreU32(lp, static_cast<uint32_t>(bytes));
}
inline void SetCount(unsigned char* lp, size_t count) {
  uint16_t c = count < kUnknownCount ? static_cast<uint16_t>(count) : kUnknownCount;
  lp[4] = static_cast<unsigned char>(c);
  lp[5] = static_cast<unsigned char>(c >> 8);
}
// Adjusts a known header count; an unknown count stays unknown (Length
// recounts), and reaching 65535 turns a known count into unknown.
inline void AddCount(unsigned char* lp, int64_t delta) {
  uint16_t c = HeaderCount(lp);
  if (c == kUnknownCount) return;
  SetCount(lp, static_cast<size_t>(int64_t{c} + delta));
}

unsigned char* Resize(unsigned char* lp, size_t bytes) {
  auto* out = static_cast<unsigned char*>(std::realloc(lp, bytes));
  if (out == nullptr) std::abort();  // out of memory: nothing sane to return
  return out;
}

inline size_t BacklenSize(uint64_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

// Most significant 7-bit group first; all bytes but the first carry 0x80.
inline void WriteBacklen(unsigned char* dst, uint64_t l) {
  size_t n = BacklenSize(l);
  dst[0] = static_cast<unsigned char>(l >> (7 * (n - 1)));
  for (size_t i = 1; i < n; ++i) {
    dst[i] = static_cast<unsigned char>(((l >> (7 * (n - 1 - i))) & 127) | 128);
  }
}

// Decodes the backlen whose last byte is at q (reading leftwards). Returns
// false if it runs over 5 bytes or past `lo`.
inline bool ReadBacklen(const unsigned char* lo, const unsigned char* q, uint64_t* out) {
  uint64_t v = 0;
  unsigned shift = 0;
  for (;;) {
    v |= uint64_t{*q & 127u} << shift;
    if (!(*q & 128)) break;
    shift += 7;
    if (shift > 28 || q == lo) return false;
    --q;
  }
  *out = v;
  return true;
}

// Size of <encoding + data> of a well-formed entry (no backlen).
inline size_t EncodedLen(const unsigned char* p) {
  unsigned char b = p[0];
  if (b < 0x80) return 1;
  if (IsStr6(b)) return 1 + (b & 0x3F);
  if (IsInt13(b)) return 2;
  if (IsStr12(b)) return 2 + ((size_t{b} & 0x0F) << 8 | p[1]);
  switch (b) {
    case kStr32:
      return 5 + size_t{LoadU32(p + 1)};
    case kInt16:
      return 3;
    case kInt24:
      return 4;
    case kInt32:
      return 5;
    case kInt64:
      return 9;
    default:
      return 1;  // only reached for the end byte
  }
}

inline unsigned char* EndOf(unsigned char* lp) { return lp + Bytes(lp) - 1; }

}  // namespace

bool StringToInt64(const char* s, size_t len, int64_t* value) {
  if (len == 0 || len > 20) return false;
  const char* p = s;
  const char* end = s + len;
  bool negative = false;
  if (*p == '-') {
    negative = true;
    if (++p == end) return false;
  }
  if (*p < '1' || *p > '9') {
    if (len == 1 && *p == '0') {
      *value = 0;
      return true;
    }
    return false;
  }
  uint64_t acc = 0;
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return false;
    unsigned d = static_cast<unsigned>(*p - '0');
    if (acc > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    acc = acc * 10 + d;
  }
  if (negative) {
    if (acc > uint64_t{1} << 63) return false;
    *value = static_cast<int64_t>(0 - acc);
  } else {
    if (acc > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *value = static_cast<int64_t>(acc);
  }
  return true;
}

size_t FormatInt64(int64_t v, char* buf) {
  static constexpr char kDigits[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char tmp[20];
  char* t = tmp + sizeof(tmp);
  while (u >= 100) {
    unsigned i = static_cast<unsigned>(u % 100) * 2;
    u /= 100;
    *--t = kDigits[i + 1];
    *--t = kDigits[i];
  }
  if (u >= 10) {
    unsigned i = static_cast<unsigned>(u) * 2;
    *--t = kDigits[i + 1];
    *--t = kDigits[i];
  } else {
    *--t = static_cast<char>('0' + u);
  }
  size_t n = static_cast<size_t>(tmp + sizeof(tmp) - t);
  size_t pos = 0;
  if (v < 0) buf[pos++] = '-';
  std::memcpy(buf + pos, t, n);
  return pos + n;
}

// --- Encoded -------------------------------------------------------------------

Encoded::Encoded(std::string_view s) {
  int64_t v;
  if (s.size() <= 20 && StringToInt64(s.data(), s.size(), &v)) {
    SetInt(v);
    return;
  }
  str_ = s.data();
  str_len_ = s.size();
  size_t len = s.size();
  if (len < 64) {
    head_[0] = static_cast<unsigned char>(0x80 | len);
    head_len_ = 1;
  } else if (len < 4096) {
    head_[0] = static_cast<unsigned char>(0xE0 | (len >> 8));
    head_[1] = static_cast<unsigned char>(len & 0xFF);
    head_len_ = 2;
  } else {
    head_[0] = kStr32;
    StoreU32(head_ + 1, static_cast<uint32_t>(len));
    head_len_ = 5;
  }
  SetBacklen();
}

Encoded Encoded::Int(int64_t v) {
  Encoded e;
  e.SetInt(v);
  return e;
}

void Encoded::SetInt(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    head_[0] = static_cast<unsigned char>(v);
    head_len_ = 1;
  } else if (v >= -4096 && v <= 4095) {
    uint64_t t = v < 0 ? (uint64_t{1} << 13) + u : u;  // 13-bit two's complement
    head_[0] = static_cast<unsigned char>(0xC0 | (t >> 8));
    head_[1] = static_cast<unsigned char>(t & 0xFF);
    head_len_ = 2;
  } else {
    int bytes;
    if (v >= -32768 && v <= 32767) {
      head_[0] = kInt16;
      bytes = 2;
    } else if (v >= -8388608 && v <= 8388607) {
      head_[0] = kInt24;
      bytes = 3;
    } else if (v >= std::numeric_limits<int32_t>::min() &&
               v <= std::numeric_limits<int32_t>::max()) {
      head_[0] = kInt32;
      bytes = 4;
    } else {
      head_[0] = kInt64;
      bytes = 8;
    }
    // Little endian; truncating the 64-bit two's complement gives the
    // narrower two's complement.
    for (int i = 0; i < bytes; ++i) head_[1 + i] = static_cast<unsigned char>(u >> (8 * i));
    head_len_ = static_cast<uint8_t>(1 + bytes);
  }
  str_ = nullptr;
  str_len_ = 0;
  SetBacklen();
}

void Encoded::SetBacklen() {
  backlen_len_ = static_cast<uint8_t>(BacklenSize(head_len_ + str_len_));
}

void Encoded::WriteTo(unsigned char* dst) const {
  std::memcpy(dst, head_, head_len_);
  if (str_len_ > 0) std::memcpy(dst + head_len_, str_, str_len_);
  WriteBacklen(dst + head_len_ + str_len_, head_len_ + str_len_);
}

// --- Needle --------------------------------------------------------------------

Needle::Needle(std::string_view s) : s_(s) {
  is_int_ = s.size() <= 20 && StringToInt64(s.data(), s.size(), &ival_);
}

bool Needle::Matches(const unsigned char* p) const {
  unsigned char b = p[0];
  const unsigned char* data;
  size_t len;
  if (IsStr6(b)) {
    len = b & 0x3F;
    data = p + 1;
  } else if (IsStr12(b)) {
    len = (size_t{b} & 0x0F) << 8 | p[1];
    data = p + 2;
  } else if (b == kStr32) {
    len = LoadU32(p + 1);
    data = p + 5;
  } else {
    // An integer entry's string form is canonical, so it equals s_ exactly
    // when s_ is the canonical form of the same integer.
    return is_int_ && Get(p).ival == ival_;
  }
  return len == s_.size() && (len == 0 || std::memcmp(data, s_.data(), len) == 0);
}

// --- Whole listpack --------------------------------------------------------------

unsigned char* New() {
  auto* lp = static_cast<unsigned char*>(std::malloc(kEmptySize));
  if (lp == nullptr) std::abort();
  SetBytes(lp, kEmptySize);
  SetCount(lp, 0);
  lp[kHeaderSize] = kEnd;
  return lp;
}

unsigned char* NewWith(const Encoded& e) {
  size_t bytes = kEmptySize + e.size();
  auto* lp = static_cast<unsigned char*>(std::malloc(bytes));
  if (lp == nullptr) std::abort();
  SetBytes(lp, bytes);
  SetCount(lp, 1);
  e.WriteTo(lp + kHeaderSize);
  lp[bytes - 1] = kEnd;
  return lp;
}

void Free(unsigned char* lp) { std::free(lp); }

unsigned char* Clone(const unsigned char* lp) {
  size_t n = Bytes(lp);
  auto* out = static_cast<unsigned char*>(std::malloc(n));
  if (out == nullptr) std::abort();
  std::memcpy(out, lp, n);
  return out;
}

size_t Length(const unsigned char* lp) {
  uint16_t c = HeaderCount(lp);
  if (c != kUnknownCount) return c;
  size_t n = 0;
  for (const unsigned char* p = lp + kHeaderSize; *p != kEnd; p += EntrySize(p)) ++n;
  return n;
}

bool Validate(const unsigned char* lp, size_t size, size_t* count) {
  if (size < kEmptySize || size > std::numeric_limits<uint32_t>::max()) return false;
  if (Bytes(lp) != size || lp[size - 1] != kEnd) return false;
  const unsigned char* end = lp + size - 1;  // the end byte
  const unsigned char* p = lp + kHeaderSize;
  size_t n = 0;
  while (p < end) {
    const size_t avail = static_cast<size_t>(end - p);
    unsigned char b = p[0];
    size_t head;
    uint64_t data = 0;
    if (b < 0x80) {
      head = 1;
    } else if (IsStr6(b)) {
      head = 1;
      data = b & 0x3F;
    } else if (IsInt13(b)) {
      head = 2;
    } else if (IsStr12(b)) {
      head = 2;
      if (avail < head) return false;
      data = (uint64_t{b} & 0x0F) << 8 | p[1];
    } else if (b == kStr32) {
      head = 5;
      if (avail < head) return false;
      data = LoadU32(p + 1);
    } else if (b == kInt16) {
      head = 3;
    } else if (b == kInt24) {
      head = 4;
    } else if (b == kInt32) {
      head = 5;
    } else if (b == kInt64) {
      head = 9;
    } else {
      return false;  // unused encodings, or an end byte before the end
    }
    uint64_t enc = head + data;
    if (enc > avail) return false;
    size_t bl = BacklenSize(enc);
    if (enc + bl > avail) return false;
    unsigned char expect[5];
    WriteBacklen(expect, enc);
    if (std::memcmp(p + enc, expect, bl) != 0) return false;
    p += enc + bl;
    ++n;
  }
  if (p != end) return false;
  uint16_t hc = HeaderCount(lp);
  if (hc != kUnknownCount && hc != n) return false;
  if (count != nullptr) *count = n;
  return true;
}

// --- Navigation ----------------------------------------------------------------

size_t EntrySize(const unsigned char* p) {
  size_t enc = EncodedLen(p);
  return enc + BacklenSize(enc);
}

const unsigned char* First(const unsigned char* lp) {
  const unsigned char* p = lp + kHeaderSize;
  return *p == kEnd ? nullptr : p;
}

const unsigned char* Last(const unsigned char* lp) {
  const unsigned char* end = lp + Bytes(lp) - 1;
  return end == lp + kHeaderSize ? nullptr : Prev(lp, end);
}

const unsigned char* Next(const unsigned char* lp, const unsigned char* p) {
  (void)lp;
  p += EntrySize(p);
  return *p == kEnd ? nullptr : p;
}

const unsigned char* Prev(const unsigned char* lp, const unsigned char* p) {
  if (p == lp + kHeaderSize) return nullptr;
  uint64_t enc = 0;
  ReadBacklen(lp + kHeaderSize, p - 1, &enc);
  return p - enc - BacklenSize(enc);
}

const unsigned char* Seek(const unsigned char* lp, int64_t index) {
  int64_t n = static_cast<int64_t>(Length(lp));
  if (index < 0) index += n;
  if (index < 0 || index >= n) return nullptr;
  if (index <= n / 2) {
    const unsigned char* p = lp + kHeaderSize;
    for (int64_t i = 0; i < index; ++i) p += EntrySize(p);
    return p;
  }
  const unsigned char* p = Last(lp);
  for (int64_t i = n - 1; i > index; --i) p = Prev(lp, p);
  return p;
}

// --- Reading -----------------------------------------------------------------------

Value Get(const unsigned char* p) {
  unsigned char b = p[0];
  if (b < 0x80) return {nullptr, 0, b};
  if (IsStr6(b)) return {p + 1, static_cast<uint32_t>(b & 0x3F), 0};
  if (IsInt13(b)) {
    int64_t u = (int64_t{b} & 0x1F) << 8 | p[1];
    return {nullptr, 0, u >= 4096 ? u - 8192 : u};
  }
  if (IsStr12(b)) return {p + 2, static_cast<uint32_t>((b & 0x0F) << 8 | p[1]), 0};
  switch (b) {
    case kStr32:
      return {p + 5, LoadU32(p + 1), 0};
    case kInt16:
      return {nullptr, 0, static_cast<int16_t>(p[1] | p[2] << 8)};
    case kInt24: {
      int64_t u = int64_t{p[1]} | int64_t{p[2]} << 8 | int64_t{p[3]} << 16;
      return {nullptr, 0, u >= (1 << 23) ? u - (1 << 24) : u};
    }
    case kInt32:
      return {nullptr, 0, static_cast<int32_t>(LoadU32(p + 1))};
    default:  // kInt64
      return {nullptr, 0, static_cast<int64_t>(LoadU64(p + 1))};
  }
}

bool Equals(const unsigned char* p, std::string_view s) { return Needle(s).Matches(p); }

const unsigned char* Find(const unsigned char* lp, const unsigned char* p, const Needle& needle,
                          unsigned skip) {
  (void)lp;
  while (p != nullptr && *p != kEnd) {
    if (needle.Matches(p)) return p;
    p += EntrySize(p);
    for (unsigned i = 0; i < skip && *p != kEnd; ++i) p += EntrySize(p);
  }
  return nullptr;
}

// --- Changing ----------------------------------------------------------------------

unsigned char* Insert(unsigned char* lp, unsigned char* p, const Encoded& e, Where where,
                      unsigned char** newp) {
  unsigned char* dst;
  if (p == nullptr) {
    dst = EndOf(lp);
  } else {
    dst = where == Where::kBefore ? p : p + EntrySize(p);
  }
  size_t off = static_cast<size_t>(dst - lp);
  size_t old = Bytes(lp);
  size_t add = e.size();
  lp = Resize(lp, old + add);
  std::memmove(lp + off + add, lp + off, old - off);
  e.WriteTo(lp + off);
  SetBytes(lp, old + add);
  AddCount(lp, 1);
  if (newp != nullptr) *newp = lp + off;
  return lp;
}

unsigned char* Append(unsigned char* lp, std::string_view s) {
  return Insert(lp, nullptr, Encoded(s), Where::kBefore);
}

unsigned char* Prepend(unsigned char* lp, std::string_view s) {
  return Insert(lp, lp + kHeaderSize, Encoded(s), Where::kBefore);
}

unsigned char* AppendInt(unsigned char* lp, int64_t v) {
  return Insert(lp, nullptr, Encoded::Int(v), Where::kBefore);
}

unsigned char* AppendMany(unsigned char* lp, const std::string_view* items, size_t n) {
  size_t old = Bytes(lp);
  size_t add = 0;
  for (size_t i = 0; i < n; ++i) add += Encoded(items[i]).size();
  lp = Resize(lp, old + add);
  unsigned char* dst = lp + old - 1;
  for (size_t i = 0; i < n; ++i) {
    Encoded e(items[i]);
    e.WriteTo(dst);
    dst += e.size();
  }
  *dst = kEnd;
  SetBytes(lp, old + add);
  AddCount(lp, static_cast<int64_t>(n));
  return lp;
}

unsigned char* Replace(unsigned char* lp, unsigned char** p, const Encoded& e) {
  size_t off = static_cast<size_t>(*p - lp);
  size_t old_entry = EntrySize(*p);
  size_t new_entry = e.size();
  size_t old = Bytes(lp);
  size_t tail = old - off - old_entry;  // bytes after the entry, end byte included
  if (new_entry > old_entry) {
    lp = Resize(lp, old + new_entry - old_entry);
    std::memmove(lp + off + new_entry, lp + off + old_entry, tail);
  } else if (new_entry < old_entry) {
    std::memmove(lp + off + new_entry, lp + off + old_entry, tail);
    lp = Resize(lp, old - (old_entry - new_entry));
  }
  e.WriteTo(lp + off);
  SetBytes(lp, old - old_entry + new_entry);
  *p = lp + off;
  return lp;
}

unsigned char* Replace(unsigned char* lp, unsigned char** p, std::string_view s) {
  return Replace(lp, p, Encoded(s));
}

unsigned char* DeleteAt(unsigned char* lp, unsigned char** p, size_t count) {
  unsigned char* start = *p;
  unsigned char* q = start;
  size_t n = 0;
  while (n < count && *q != kEnd) {
    q += EntrySize(q);
    ++n;
  }
  size_t off = static_cast<size_t>(start - lp);
  size_t old = Bytes(lp);
  size_t removed = static_cast<size_t>(q - start);
  std::memmove(start, q, old - static_cast<size_t>(q - lp));
  lp = Resize(lp, old - removed);
  SetBytes(lp, old - removed);
  AddCount(lp, -static_cast<int64_t>(n));
  *p = lp[off] == kEnd ? nullptr : lp + off;
  return lp;
}

unsigned char* DeleteRange(unsigned char* lp, int64_t index, size_t count) {
  unsigned char* p = Seek(lp, index);
  if (p == nullptr || count == 0) return lp;
  return DeleteAt(lp, &p, count);
}

unsigned char* Merge(unsigned char* first, unsigned char* second) {
  size_t a = Bytes(first);
  size_t b = Bytes(second);
  uint16_t ca = HeaderCount(first);
  uint16_t cb = HeaderCount(second);
  first = Resize(first, a + b - kEmptySize);
  // Overwrite first's end byte with second's entries and end byte.
  std::memcpy(first + a - 1, second + kHeaderSize, b - kHeaderSize);
  SetBytes(first, a + b - kEmptySize);
  bool known = ca != kUnknownCount && cb != kUnknownCount;
  SetCount(first, known ? size_t{ca} + cb : kUnknownCount);
  std::free(second);
  return first;
}

unsigned char* Split(unsigned char** lp, size_t index) {
  unsigned char* left = *lp;
  size_t n = Length(left);
  unsigned char* p = index >= n ? EndOf(left) : Seek(left, static_cast<int64_t>(index));
  size_t off = static_cast<size_t>(p - left);
  size_t tail = Bytes(left) - off;  // entries moved plus the end byte
  auto* right = static_cast<unsigned char*>(std::malloc(kHeaderSize + tail));
  if (right == nullptr) std::abort();
  std::memcpy(right + kHeaderSize, p, tail);
  SetBytes(right, kHeaderSize + tail);
  SetCount(right, n - index);
  left[off] = kEnd;
  left = Resize(left, off + 1);
  SetBytes(left, off + 1);
  SetCount(left, index);
  *lp = left;
  return right;
}

}  // namespace duet::lp
