#pragma once
// CRC-64 as Redis computes it for RDB files and DUMP payloads: the "Jones"
// polynomial 0xad93d23594c935a9, bit-reflected input and output, initial
// value 0, no final xor. Crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
//
// Incremental: Crc64(Crc64(0, a), b) == Crc64(0, a + b). Table-driven, eight
// bytes per step (tables built at compile time).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace duet {

uint64_t Crc64(uint64_t crc, const void* data, size_t len);
inline uint64_t Crc64(uint64_t crc, std::string_view s) { return Crc64(crc, s.data(), s.size()); }

}  // namespace duet
