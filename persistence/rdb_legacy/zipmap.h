#pragma once
// Zipmap: the small-hash encoding of Redis before 2.6, found in old RDB
// files as HASH_ZIPMAP. Duet only reads it.
//
//   <count u8> (<len> <field> <len> <free u8> <value> <free bytes>)* <0xFF>
//
// count is the number of pairs when below 254 (else unknown). <len> is one
// byte below 254, or 0xFE followed by a u32 (little endian). <free> says how
// many unused bytes follow the value.

#include <cstddef>
#include <string_view>

#include "storage/function_ref.h"

namespace duet::rdb_legacy {

// Full check of untrusted bytes: every length in bounds, the end byte last,
// the count (when known) right. Duplicate fields are the caller's to find.
// On success stores the number of pairs.
bool ZipmapValidate(std::string_view zm, size_t* pairs);

// Visits every pair. REQUIRES: ZipmapValidate(zm) succeeded.
void ZipmapForEach(std::string_view zm,
                   FunctionRef<void(std::string_view field, std::string_view value)> fn);

}  // namespace duet::rdb_legacy
