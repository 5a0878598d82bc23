#include "persistence/rdb_legacy/ziplist.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace duet::rdb_legacy {
namespace {

constexpr size_t kHeader = 10;
constexpr unsigned char kEnd = 0xFF;
constexpr unsigned char kBigPrevlen = 0xFE;

uint32_t LoadLe32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

template <typename T>
T LoadLe(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// One decoded entry; sizes refer to the bytes at its start.
struct Parsed {
  size_t prevlen_size;
  size_t prevlen;
  size_t header_size;  // encoding bytes (after prevlen)
  size_t data_size;
  lp::Value value;
  size_t total() const { return prevlen_size + header_size + data_size; }
};

// Decodes the entry at p without reading past `end` (exclusive).
bool Parse(const unsigned char* p, const unsigned char* end, Parsed* e) {
  if (p >= end) return false;
  if (p[0] < kBigPrevlen) {
    e->prevlen_size = 1;
    e->prevlen = p[0];
  } else if (p[0] == kBigPrevlen) {
    if (end - p < 5) return false;
    e->prevlen_size = 5;
    e->prevlen = LoadLe32(p + 1);
  } else {
    return false;
  }
  const unsigned char* q = p + e->prevlen_size;
  if (q >= end) return false;
  const size_t avail = static_cast<size_t>(end - q);
  const unsigned char b = q[0];
  e->value = lp::Value{nullptr, 0, 0};
  switch (b >> 6) {
    case 0:
      e->header_size = 1;
      e->data_size = b & 0x3F;
      break;
    case 1:
      if (avail < 2) return false;
      e->header_size = 2;
      e->data_size = (size_t{b} & 0x3F) << 8 | q[1];
      break;
    case 2:
      if (b != 0x80 || avail < 5) return false;
      e->header_size = 5;
      e->data_size = size_t{q[1]} << 24 | size_t{q[2]} << 16 | size_t{q[3]} << 8 | q[4];
      break;
    default: {
      e->header_size = 1;
      const unsigned char* d = q + 1;
      switch (b) {
        case 0xC0:
          e->data_size = 2;
          if (avail < 3) return false;
          e->value.ival = LoadLe<int16_t>(d);
          break;
        case 0xD0:
          e->data_size = 4;
          if (avail < 5) return false;
          e->value.ival = LoadLe<int32_t>(d);
          break;
        case 0xE0:
          e->data_size = 8;
          if (avail < 9) return false;
          e->value.ival = LoadLe<int64_t>(d);
          break;
        case 0xF0: {
          e->data_size = 3;
          if (avail < 4) return false;
          // 24-bit two's complement: place it in the top of an int32.
          uint32_t u = uint32_t{d[0]} << 8 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 24;
          e->value.ival = static_cast<int32_t>(u) >> 8;
          break;
        }
        case 0xFE:
          e->data_size = 1;
          if (avail < 2) return false;
          e->value.ival = static_cast<int8_t>(d[0]);
          break;
        default:
          if (b < 0xF1 || b > 0xFD) return false;  // 0xFF is the end, not an entry
          e->data_size = 0;
          e->value.ival = (b & 0x0F) - 1;
          break;
      }
      return true;
    }
  }
  if (e->data_size > avail - e->header_size) return false;
  e->value.str = q + e->header_size;
  e->value.len = static_cast<uint32_t>(e->data_size);
  return true;
}

}  // namespace

bool ZiplistValidate(std::string_view zl, size_t* count) {
  const auto* base = reinterpret_cast<const unsigned char*>(zl.data());
  const size_t size = zl.size();
  if (size < kHeader + 1 || LoadLe32(base) != size || base[size - 1] != kEnd) return false;
  const size_t tail = LoadLe32(base + 4);
  const uint16_t header_count = static_cast<uint16_t>(base[8] | base[9] << 8);
  const unsigned char* end = base + size - 1;
  const unsigned char* p = base + kHeader;
  size_t n = 0, prev_size = 0, last = kHeader;
  while (p < end) {
    Parsed e;
    if (!Parse(p, end, &e) || e.prevlen != prev_size) return false;
    last = static_cast<size_t>(p - base);
    prev_size = e.total();
    p += prev_size;
    ++n;
  }
  if (p != end || tail != last) return false;
  if (header_count != 0xFFFF && header_count != n) return false;
  *count = n;
  return true;
}

void ZiplistForEach(std::string_view zl, FunctionRef<void(const lp::Value&)> fn) {
  const auto* base = reinterpret_cast<const unsigned char*>(zl.data());
  const unsigned char* end = base + zl.size() - 1;
  for (const unsigned char* p = base + kHeader; p < end;) {
    Parsed e;
    if (!Parse(p, end, &e)) return;
    fn(e.value);
    p += e.total();
  }
}

unsigned char* ZiplistToListpack(std::string_view zl) {
  // Integers are printed into `numbers` (sized first so views stay valid).
  size_t n = 0;
  ZiplistForEach(zl, [&](const lp::Value&) { ++n; });
  std::vector<std::string> numbers;
  numbers.reserve(n);
  std::vector<std::string_view> items;
  items.reserve(n);
  ZiplistForEach(zl, [&](const lp::Value& v) {
    if (v.is_int()) {
      numbers.push_back(std::to_string(v.ival));
      items.push_back(numbers.back());
    } else {
      items.emplace_back(reinterpret_cast<const char*>(v.str), v.len);
    }
  });
  return lp::AppendMany(lp::New(), items.data(), items.size());
}

}  // namespace duet::rdb_legacy
