#pragma once
// The length prefix of member bytes stored inline in a node (set members,
// sorted-set members): one byte for the common short member, more only when
// needed, so a short member costs one byte of overhead.
//   first byte < 254 : that is the length
//   first byte 254   : u32 length follows (host order)
//   first byte 255   : u64 length follows (host order)

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace duet {

constexpr size_t LengthPrefixBytes(size_t len) {
  return len < 254 ? 1 : (len <= UINT32_MAX ? 5 : 9);
}

// Writes the prefix and the bytes at `dst`; returns the bytes written.
inline size_t WritePrefixed(char* dst, std::string_view s) {
  const size_t len = s.size();
  size_t pos;
  if (len < 254) {
    dst[0] = static_cast<char>(len);
    pos = 1;
  } else if (len <= UINT32_MAX) {
    dst[0] = static_cast<char>(254);
    const uint32_t l = static_cast<uint32_t>(len);
    std::memcpy(dst + 1, &l, 4);
    pos = 5;
  } else {
    dst[0] = static_cast<char>(255);
    const uint64_t l = len;
    std::memcpy(dst + 1, &l, 8);
    pos = 9;
  }
  if (len != 0) std::memcpy(dst + pos, s.data(), len);
  return pos + len;
}

inline std::string_view ReadPrefixed(const char* src) {
  const uint8_t first = static_cast<uint8_t>(src[0]);
  if (first < 254) return {src + 1, first};
  if (first == 254) {
    uint32_t l;
    std::memcpy(&l, src + 1, 4);
    return {src + 5, l};
  }
  uint64_t l;
  std::memcpy(&l, src + 1, 8);
  return {src + 9, static_cast<size_t>(l)};
}

}  // namespace duet
