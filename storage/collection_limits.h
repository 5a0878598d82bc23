#pragma once
// Thresholds at which a small collection leaves its compact encoding, under
// Redis 7.0's parameter names (CONFIG SET changes them at runtime; a value
// already converted stays converted, as in Redis).

#include <cstddef>
#include <cstdint>

namespace duet {

struct CollectionLimits {
  // list-max-listpack-size: >0 = max entries per quicklist node;
  // -1..-5 = max node bytes 4/8/16/32/64 KB.
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;
  int64_t set_max_intset_entries = 512;
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
};

}  // namespace duet
