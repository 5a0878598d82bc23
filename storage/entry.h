#pragma once
// Entry: one key of the keyspace and its value, in a single allocation.
//
//   [ header (48 bytes) | key bytes | string value bytes (strings only) ]
//
// The header carries the Dict chain pointer, the write version (served as the
// memcached CAS unique and checked by WATCH), the absolute expiry, the
// memcached flags and the access clock. A string value lives inline after the
// key, so a typical small string key costs one allocation; collections hold a
// pointer to their own object instead.
//
// Entries are reallocated when a string outgrows its capacity; the owner
// (Database) swaps the new pointer into its tables. Never keep an Entry*
// across a call that may write the same key.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace duet {

enum class ValueType : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4 };

// What OBJECT ENCODING reports for a string, decided as Redis 7.0 decides it.
enum class StringEncoding : uint8_t { kInt, kEmbstr, kRaw };

// Entry::mc_meta bits, kept for the memcached meta protocol.
enum McMetaBits : uint8_t {
  kMcFetched = 1,  // read by a memcached client since it was stored (mg h, me fetch)
  kMcStale = 2,    // invalidated (md I, ms I): served with X until rewritten
  kMcWinSent = 4,  // a client got the W (recache win) token: others get Z
};

// Redis creates embstr objects up to this length.
inline constexpr size_t kEmbstrMaxLen = 44;

struct Entry {
  Entry* next;
  uint64_t version;
  int64_t expire_ms;  // absolute Unix time in ms; 0 = no expiry
  uint32_t mc_flags;  // memcached client flags; 0 for keys written over RESP
  uint32_t access;    // LRU clock (seconds) of the last access
  uint32_t key_len;
  ValueType type;
  StringEncoding str_encoding;
  uint8_t mc_meta;  // memcached meta-protocol state (McMetaBits); 0 for RESP writes
  uint8_t reserved;
  union {
    struct {
      uint32_t len;
      uint32_t cap;
    } str;
    void* obj;
  } v;

  std::string_view key() const { return {Data(), key_len}; }
  bool has_expire() const { return expire_ms != 0; }

  // REQUIRES: type == kString.
  std::string_view str() const { return {Data() + key_len, v.str.len}; }
  char* str_data() { return Data() + key_len; }

  template <typename T>
  T* object() const {
    return static_cast<T*>(v.obj);
  }

  // A new string entry; capacity == size. encoding is computed from value.
  static Entry* NewString(std::string_view key, std::string_view value);
  // A new string entry with room for `cap` value bytes; the value is `value`.
  static Entry* NewStringWithCapacity(std::string_view key, std::string_view value, size_t cap);
  // A new collection entry owning `obj` (freed with the entry).
  static Entry* NewObject(std::string_view key, ValueType type, void* obj);
  // Moves `e` (detached from any table) under a new key: value, expiry,
  // flags and version carry over; `e` is released without freeing its value.
  static Entry* Rekey(Entry* e, std::string_view new_key);
  // Frees the entry and the value it owns.
  static void Free(Entry* e);

  // Replaces the string value, reallocating when it does not fit. Returns the
  // entry to use from now on (may differ from `e`); the caller must swap it into
  // its tables if it changed. Keeps version, expiry, flags.
  static Entry* AssignString(Entry* e, std::string_view value);
  // Grows the string value to at least `len` bytes (new bytes zeroed), with
  // geometric capacity growth for APPEND/SETRANGE/SETBIT patterns. Marks the
  // value raw. Returns the possibly moved entry.
  static Entry* ResizeString(Entry* e, size_t len);

  // Bytes this entry occupies, including its value (for MEMORY USAGE).
  size_t MemoryUsage() const;

 private:
  char* Data() const { return reinterpret_cast<char*>(const_cast<Entry*>(this) + 1); }
};

static_assert(sizeof(Entry) == 48, "Entry header size is part of the memory budget");

// The encoding Redis would give a freshly stored string value.
StringEncoding ClassifyString(std::string_view value);

const char* ValueTypeName(ValueType t);  // "string", "list", ... as TYPE reports

}  // namespace duet
