#pragma once
// Hash operations on a Database: the writes of the H* family. Plain reads
// (HGET, HMGET, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HRANDFIELD,
// HSCAN) use HashFind and the HashValue API.
//
// As in Redis 7.0: a missing key is an empty hash, a key of another type is
// kWrongType, a hash left without fields is deleted as a key, and every change
// stamps the entry with a new version (WATCH).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/database.h"
#include "storage/hash_value.h"
#include "storage/op_status.h"

namespace duet {

// The hash stored at key: kKeyNotFound or kWrongType otherwise.
OpResult<const HashValue*> HashFind(Database& db, std::string_view key, int64_t now_ms);

// HSET / HMSET: `pairs` holds field, value, field, value... (2 * n_pairs
// views). Returns how many fields were new. Creates the key.
OpResult<int64_t> HashSet(Database& db, std::string_view key, const std::string_view* pairs,
                          size_t n_pairs, const CollectionLimits& limits, int64_t now_ms);
// HSETNX: true if the field was absent and is now set.
OpResult<bool> HashSetNx(Database& db, std::string_view key, std::string_view field,
                         std::string_view value, const CollectionLimits& limits, int64_t now_ms);
// HDEL: how many of the fields existed (0 for a missing key).
OpResult<int64_t> HashDelete(Database& db, std::string_view key, const std::string_view* fields,
                             size_t n, int64_t now_ms);

// HINCRBY: the new value. kNotAnInteger when the stored value is not a
// decimal int64 (the handler words it "hash value is not an integer"),
// kOverflow when the sum leaves int64.
OpResult<int64_t> HashIncrBy(Database& db, std::string_view key, std::string_view field,
                             int64_t delta, const CollectionLimits& limits, int64_t now_ms);
// HINCRBYFLOAT: the new value, formatted as Redis stores it. kNotAFloat when
// the stored value does not parse ("hash value is not a float"),
// kNanOrInfinity when the sum is not finite.
OpResult<std::string> HashIncrByFloat(Database& db, std::string_view key, std::string_view field,
                                      long double delta, const CollectionLimits& limits,
                                      int64_t now_ms);

}  // namespace duet
