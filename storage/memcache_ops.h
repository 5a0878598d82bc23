#pragma once
// Memcached operations on a Database: what the memcached verbs (text, meta
// and binary) do to the keyspace, written against the same entries the RESP
// commands use. An item is a string key; its client flags live in
// Entry::mc_flags and its CAS unique is Entry::version, which every write
// from either protocol renews.
//
// One keyspace, memcached's view of it:
//   - only string keys are items: a key holding another type is a miss for
//     reads and NOT_FOUND / NOT_STORED for the writes that need an item
//     (replace, append, prepend, cas, incr, decr, touch, delete);
//   - add fails on such a key (the name is taken), set replaces it;
//   - a value replaced by memcached gets the flags it was given; append,
//     prepend, incr and decr keep the item's flags and expiry.
//
// Expiry times are absolute Unix milliseconds as in Entry; McExpireAt turns
// memcached's exptime into one. Storing with an expiry in the past removes
// the key (the item would be invisible at once), as memcached does.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/database.h"

namespace duet {

// Seconds up to which an exptime is relative (30 days); beyond, it is a Unix time.
inline constexpr int64_t kMcRelativeExptimeMax = 60 * 60 * 24 * 30;
// McExpireAt's value for "already expired".
inline constexpr int64_t kMcExpired = -1;

// memcached exptime -> absolute expiry in ms: 0 for none, kMcExpired for a
// negative exptime or an absolute time not in the future.
int64_t McExpireAt(int64_t exptime, int64_t now_ms);

// The live string entry at key, or null (absent, expired or another type).
// Like McLookup, without counting as an access (meta "l", "me").
Entry* McPeek(Database& db, std::string_view key, int64_t now_ms);
Entry* McLookup(Database& db, std::string_view key, int64_t now_ms);
// Records a client read of the item: fetched bit and access time.
// The access time itself was recorded by the lookup (the keyspace's access
// clock, shared with OBJECT IDLETIME and eviction).
inline void McMarkFetched(Entry* e, int64_t /*now_ms*/) { e->mc_meta |= kMcFetched; }

enum class McStoreMode : uint8_t { kSet, kAdd, kReplace, kAppend, kPrepend };
enum class McStoreStatus : uint8_t { kStored, kNotStored, kExists, kNotFound };

struct McStoreArgs {
  McStoreMode mode = McStoreMode::kSet;
  uint32_t flags = 0;
  int64_t expire_ms = 0;  // from McExpireAt; ignored by append/prepend
  // Compare-and-swap: store only if the item exists with this version.
  bool check_cas = false;
  uint64_t cas = 0;
  // Longest value append/prepend may produce (NOT_STORED beyond).
  size_t max_len = SIZE_MAX;
};

struct McStoreResult {
  McStoreStatus status;
  Entry* entry;  // the stored item (null when not stored or stored already expired)
};

McStoreResult McStore(Database& db, std::string_view key, std::string_view value,
                      const McStoreArgs& args, int64_t now_ms);

// Sets a new expiry on the item; false if there is none. An expiry in the
// past deletes it. The CAS unique does not change (as in memcached).
bool McTouch(Database& db, std::string_view key, int64_t expire_ms, int64_t now_ms);

enum class McDeleteStatus : uint8_t { kDeleted, kNotFound, kExists };
// Deletes the item; with check_cas only if its version is `cas`.
McDeleteStatus McDelete(Database& db, std::string_view key, bool check_cas, uint64_t cas,
                        int64_t now_ms);

enum class McDeltaStatus : uint8_t { kOk, kNotFound, kNonNumeric, kExists };
struct McDeltaArgs {
  bool incr = true;
  uint64_t delta = 0;
  bool check_cas = false;
  uint64_t cas = 0;
  // Create a missing item with `initial` (binary protocol, ma with N); not
  // over a key of another type.
  bool create = false;
  uint64_t initial = 0;
  int64_t create_expire_ms = 0;
};
struct McDeltaResult {
  McDeltaStatus status;
  uint64_t value = 0;
  Entry* entry = nullptr;
};
// incr wraps around 2^64; decr stops at 0. The new value is stored as its
// decimal digits, keeping the item's flags and expiry.
McDeltaResult McDelta(Database& db, std::string_view key, const McDeltaArgs& args, int64_t now_ms);

// memcached's reading of a stored counter: optional leading whitespace, an
// optional sign, decimal digits (a negative result is refused), then the end
// or a whitespace character.
bool McParseCounter(std::string_view text, uint64_t* out);

}  // namespace duet
