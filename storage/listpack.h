#pragma once
// Listpack: a list of strings serialized into one malloc'ed byte blob, in
// exactly the format Redis 7.0 uses in memory and in RDB files (RDB stores
// small collections as raw listpack blobs, so these bytes go to disk as-is).
//
// Layout (all multi-byte integers little endian unless noted):
//
//   <total-bytes u32> <num-entries u16> <entry>* <0xFF>
//
// num-entries == 65535 means "unknown, count by walking". Each entry is
//
//   <encoding [+ int or length bytes]> <string bytes, strings only> <backlen>
//
//   0xxxxxxx                     integer 0..127
//   10LLLLLL <str>               string, length 0..63
//   110xxxxx yyyyyyyy            13-bit signed integer (two's complement, x = high bits)
//   1110LLLL llllllll <str>      string, length 0..4095 (L = high bits)
//   11110000 <len u32> <str>     string of any length
//   11110001 <i16>               16-bit signed integer
//   11110010 <i24>               24-bit signed integer
//   11110011 <i32>               32-bit signed integer
//   11110100 <i64>               64-bit signed integer
//   11111111                     end of listpack (never an entry)
//
// backlen holds the size of <encoding + data> (without itself) in 7-bit
// groups, most significant group first; every byte except the first has its
// high bit set, so it can be decoded right to left: 1 byte below 128, 2 below
// 16383, 3 below 2097151, 4 below 268435455, else 5 (Redis's thresholds).
//
// A string that is a canonical int64 ("123", "-5", not "0123", "+1", " 1")
// is always stored in the smallest integer encoding, as Redis does; reading it
// back yields the same characters.
//
// Positions are `unsigned char*` pointing at an entry's first byte. Every call
// that changes the blob may move it: use the returned pointer from then on;
// older positions are invalid. All functions except Validate require a
// well-formed listpack.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace duet::lp {

inline constexpr size_t kHeaderSize = 6;
inline constexpr size_t kEmptySize = kHeaderSize + 1;
inline constexpr unsigned char kEnd = 0xFF;
inline constexpr uint16_t kUnknownCount = 0xFFFF;
// Enough for the decimal form of any int64 ("-9223372036854775808").
inline constexpr size_t kIntBufSize = 21;
// Redis refuses to grow a listpack (and converts the collection) past 1 GB.
inline constexpr size_t kMaxSafeSize = size_t{1} << 30;

// Redis's string2ll rules: optional '-', digits, no leading zero (except "0"),
// no "-0", no spaces or '+', must fit in int64.
bool StringToInt64(const char* s, size_t len, int64_t* value);
// Writes the decimal form of v (no terminator); returns its length (<= 20).
size_t FormatInt64(int64_t v, char* buf);

// The content of one entry: a byte string, or an integer when str == nullptr.
struct Value {
  const unsigned char* str;
  uint32_t len;
  int64_t ival;

  bool is_int() const { return str == nullptr; }
  // The string form; integers are formatted into scratch[kIntBufSize].
  std::string_view View(char* scratch) const {
    if (str != nullptr) return {reinterpret_cast<const char*>(str), len};
    return {scratch, FormatInt64(ival, scratch)};
  }
};

// An element prepared for insertion: the encoding is chosen once, so callers
// can ask for its size (node limits) and insert it without reparsing. Refers
// to the bytes of `s`; they must outlive this object.
class Encoded {
 public:
  explicit Encoded(std::string_view s);
  static Encoded Int(int64_t v);

  // Bytes the entry occupies in a listpack, backlen included.
  size_t size() const { return head_len_ + str_len_ + backlen_len_; }
  void WriteTo(unsigned char* dst) const;

 private:
  Encoded() = default;
  void SetInt(int64_t v);
  void SetBacklen();

  const char* str_ = nullptr;
  size_t str_len_ = 0;
  unsigned char head_[9];  // encoding byte(s), plus the integer bytes for ints
  uint8_t head_len_ = 0;
  uint8_t backlen_len_ = 0;
};

// A string to compare entries against, with its integer form precomputed so
// integer entries are compared as integers (no formatting per entry).
class Needle {
 public:
  explicit Needle(std::string_view s);
  bool Matches(const unsigned char* p) const;
  std::string_view str() const { return s_; }

 private:
  std::string_view s_;
  int64_t ival_ = 0;
  bool is_int_ = false;
};

// --- Whole listpack ---------------------------------------------------------

unsigned char* New();  // an empty listpack (7 bytes); never null
// A listpack holding just `e`, in one allocation.
unsigned char* NewWith(const Encoded& e);
void Free(unsigned char* lp);
// A malloc'ed copy of a listpack.
unsigned char* Clone(const unsigned char* lp);

inline uint32_t Bytes(const unsigned char* lp) {
  return uint32_t{lp[0]} | uint32_t{lp[1]} << 8 | uint32_t{lp[2]} << 16 | uint32_t{lp[3]} << 24;
}
inline uint16_t HeaderCount(const unsigned char* lp) {
  return static_cast<uint16_t>(lp[4] | lp[5] << 8);
}
// Number of entries (walks the blob when the header says "unknown").
size_t Length(const unsigned char* lp);

// Full integrity check of untrusted bytes (e.g. from an RDB file): header,
// every encoding, every length, every backlen, the end byte and the count.
// Never reads outside [lp, lp + size). On success stores the entry count.
bool Validate(const unsigned char* lp, size_t size, size_t* count = nullptr);

// --- Navigation (nullptr = no such entry) ------------------------------------

const unsigned char* First(const unsigned char* lp);
const unsigned char* Last(const unsigned char* lp);
const unsigned char* Next(const unsigned char* lp, const unsigned char* p);
const unsigned char* Prev(const unsigned char* lp, const unsigned char* p);
// Entry at `index`; negative indexes count from the end (-1 = last).
const unsigned char* Seek(const unsigned char* lp, int64_t index);

inline unsigned char* First(unsigned char* lp) {
  return const_cast<unsigned char*>(First(static_cast<const unsigned char*>(lp)));
}
inline unsigned char* Last(unsigned char* lp) {
  return const_cast<unsigned char*>(Last(static_cast<const unsigned char*>(lp)));
}
inline unsigned char* Next(unsigned char* lp, unsigned char* p) {
  return const_cast<unsigned char*>(Next(static_cast<const unsigned char*>(lp), p));
}
inline unsigned char* Prev(unsigned char* lp, unsigned char* p) {
  return const_cast<unsigned char*>(Prev(static_cast<const unsigned char*>(lp), p));
}
inline unsigned char* Seek(unsigned char* lp, int64_t index) {
  return const_cast<unsigned char*>(Seek(static_cast<const unsigned char*>(lp), index));
}

// --- Reading one entry ---------------------------------------------------------

Value Get(const unsigned char* p);
inline std::string_view GetView(const unsigned char* p, char* scratch) {
  return Get(p).View(scratch);
}
// Bytes of the entry at p, backlen included.
size_t EntrySize(const unsigned char* p);
// True if the entry's string form equals s.
bool Equals(const unsigned char* p, std::string_view s);

// First entry at or after p whose string form equals `needle`, comparing only
// every (skip+1)-th entry (skip = 1 visits the keys of a key/value listpack).
const unsigned char* Find(const unsigned char* lp, const unsigned char* p, const Needle& needle,
                          unsigned skip);
inline unsigned char* Find(unsigned char* lp, unsigned char* p, const Needle& needle,
                           unsigned skip) {
  return const_cast<unsigned char*>(Find(static_cast<const unsigned char*>(lp),
                                         static_cast<const unsigned char*>(p), needle, skip));
}

// --- Changing the listpack (each returns the possibly moved blob) --------------

enum class Where { kBefore, kAfter };

// Inserts before/after the entry at p; p == nullptr means "at the end" for
// kBefore. If newp is given it receives the new entry's position.
unsigned char* Insert(unsigned char* lp, unsigned char* p, const Encoded& e, Where where,
                      unsigned char** newp = nullptr);
unsigned char* Append(unsigned char* lp, std::string_view s);
unsigned char* Prepend(unsigned char* lp, std::string_view s);
unsigned char* AppendInt(unsigned char* lp, int64_t v);
// Appends n strings with one reallocation.
unsigned char* AppendMany(unsigned char* lp, const std::string_view* items, size_t n);
// Replaces the entry at *p; *p is updated to the replacement.
unsigned char* Replace(unsigned char* lp, unsigned char** p, const Encoded& e);
unsigned char* Replace(unsigned char* lp, unsigned char** p, std::string_view s);
// Deletes up to `count` entries starting at *p. *p then points at the entry
// that followed the deleted ones, or is null if none did.
unsigned char* DeleteAt(unsigned char* lp, unsigned char** p, size_t count = 1);
// Deletes up to `count` entries starting at index (negative from the end).
unsigned char* DeleteRange(unsigned char* lp, int64_t index, size_t count);
// Appends every entry of `second` to `first`, frees `second`.
unsigned char* Merge(unsigned char* first, unsigned char* second);
// Moves entries [index, end) into a new listpack that is returned; *lp keeps
// [0, index). REQUIRES: 0 <= index <= Length(*lp).
unsigned char* Split(unsigned char** lp, size_t index);

}  // namespace duet::lp
