#include "persistence/rdb_legacy/zipmap.h"

#include <cstdint>

namespace duet::rdb_legacy {
namespace {

constexpr unsigned char kBigLen = 0xFE;
constexpr unsigned char kEnd = 0xFF;

// Reads a <len> at *p (advancing it); false when it does not fit before end.
bool ReadLen(const unsigned char** p, const unsigned char* end, size_t* len) {
  if (*p >= end) return false;
  const unsigned char b = **p;
  if (b < kBigLen) {
    *len = b;
    *p += 1;
    return true;
  }
  if (b != kBigLen || end - *p < 5) return false;
  const unsigned char* q = *p + 1;
  *len = size_t{q[0]} | size_t{q[1]} << 8 | size_t{q[2]} << 16 | size_t{q[3]} << 24;
  *p += 5;
  return true;
}

// Walks the pairs; fn may be null (validation only). False on any bound error.
template <typename Fn>
bool Walk(std::string_view zm, size_t* pairs, Fn&& fn) {
  const auto* base = reinterpret_cast<const unsigned char*>(zm.data());
  if (zm.size() < 2 || base[zm.size() - 1] != kEnd) return false;
  const unsigned char* end = base + zm.size() - 1;  // the end byte
  const unsigned char* p = base + 1;
  size_t n = 0;
  while (p < end) {
    size_t flen, vlen;
    if (!ReadLen(&p, end, &flen) || flen > static_cast<size_t>(end - p)) return false;
    const unsigned char* field = p;
    p += flen;
    if (!ReadLen(&p, end, &vlen) || p >= end) return false;
    const size_t free_bytes = *p++;
    if (vlen > static_cast<size_t>(end - p) || free_bytes > static_cast<size_t>(end - p) - vlen) {
      return false;
    }
    fn(std::string_view(reinterpret_cast<const char*>(field), flen),
       std::string_view(reinterpret_cast<const char*>(p), vlen));
    p += vlen + free_bytes;
    ++n;
  }
  if (p != end) return false;
  if (base[0] < kBigLen && base[0] != n) return false;
  *pairs = n;
  return true;
}

}  // namespace

bool ZipmapValidate(std::string_view zm, size_t* pairs) {
  return Walk(zm, pairs, [](std::string_view, std::string_view) {});
}

void ZipmapForEach(std::string_view zm,
                   FunctionRef<void(std::string_view field, std::string_view value)> fn) {
  size_t pairs;
  (void)Walk(zm, &pairs, fn);
}

}  // namespace duet::rdb_legacy
