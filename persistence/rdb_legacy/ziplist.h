#pragma once
// Ziplist: the compact list encoding of Redis before 7.0, still found in RDB
// files (LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST and the nodes of
// LIST_QUICKLIST). Duet only reads it, converting to listpacks.
//
// Layout (multi-byte integers little endian unless noted):
//
//   <total-bytes u32> <tail-offset u32> <count u16> <entry>* <0xFF>
//
// tail-offset is the offset of the last entry (10, the header size, when
// empty); count 65535 means "count by walking". Each entry is
//
//   <prevlen> <encoding> <data>
//
// prevlen is the size of the previous entry (0 for the first): one byte when
// below 254, else 0xFE and a u32. encoding:
//
//   00LLLLLL                      string, length 0..63
//   01LLLLLL LLLLLLLL             string, 14-bit length (big endian)
//   10000000 <u32 big endian>     string, 32-bit length
//   11000000 <i16>  11010000 <i32>  11100000 <i64>  11110000 <i24>
//   11111110 <i8>
//   1111xxxx (xxxx 0001..1101)    the integer xxxx - 1 (0..12), no data

#include <cstddef>
#include <string_view>

#include "storage/function_ref.h"
#include "storage/listpack.h"

namespace duet::rdb_legacy {

// Full check of untrusted bytes: header fields, every prevlen and encoding,
// bounds, the end byte. On success stores the number of entries.
bool ZiplistValidate(std::string_view zl, size_t* count);

// Visits every entry in order (a string, or an integer when str == nullptr).
// REQUIRES: ZiplistValidate(zl) succeeded.
void ZiplistForEach(std::string_view zl, FunctionRef<void(const lp::Value&)> fn);

// A malloc'ed listpack holding the same elements in the same order (each
// integer entry as an integer). REQUIRES: ZiplistValidate(zl) succeeded.
unsigned char* ZiplistToListpack(std::string_view zl);

}  // namespace duet::rdb_legacy
