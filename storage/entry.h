#pragma once
// Entry: one key of the keyspace and its value, in a single allocation.
//
//   [ header (48 bytes) | key bytes | tail ]
//
// The tail is a string's value bytes, or a small hash's or sorted set's
// listpack (PackValue), or nothing.
//
// The header carries the Dict chain pointer, the write version (served as the
// memcached CAS unique and checked by WATCH), the absolute expiry, the
// memcached flags and the access clock. A string value lives inline after the
// key, so a typical small string key costs one allocation. A hash, set or
// sorted set value is one tagged word (HashValue, SetValue, ZSetValue) stored
// in the header's `v` slot itself, so the only allocations are the entry and
// the value's own blob or table. A listpack of at most kMaxEmbeddedListpack
// bytes is not even that: PackValue moves it into the entry's tail, so a
// small hash or sorted set is one allocation with its key, where Redis
// spends four (dict entry, key, object, listpack). A list's Quicklist header
// is bigger than a word, so `v` points to it.
//
// Entries are reallocated when a string outgrows its capacity, when a key is
// renamed, and when PackValue resizes the tail; the owner (Database) swaps
// the new pointer into its tables.
// Never keep an Entry* across a call that may write the same key, nor a
// HashValue*/SetValue*/ZSetValue* from object<T>(): it points into the entry.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>

namespace duet {

class HashValue;
class ListValue;
class SetValue;
class ZSetValue;

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

// The largest listpack PackValue embeds. An edit copies an embedded listpack
// out and the next PackValue copies it back, so each write to the value
// copies it twice more than Redis would: the limit keeps that to a page,
// beyond which the one allocation saved is under 2% of the value anyway.
inline constexpr size_t kMaxEmbeddedListpack = 4096;

// Entry::layout bits.
enum EntryLayoutBits : uint8_t {
  // A hash or sorted set whose allocation extends past the key: its embedded
  // listpack, or (after an edit copied the listpack out) the stale copy
  // that the next PackValue drops.
  kEntryHasTail = 1,
};

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
  uint8_t layout;   // EntryLayoutBits
  union {
    struct {
      uint32_t len;
      uint32_t cap;
    } str;
    void* obj;                // kList: the ListValue
    alignas(8) char word[8];  // kHash, kSet, kZSet: the value object itself
  } v;

  std::string_view key() const { return {Data(), key_len}; }
  bool has_expire() const { return expire_ms != 0; }

  // REQUIRES: type == kString.
  std::string_view str() const { return {Data() + key_len, v.str.len}; }
  char* str_data() { return Data() + key_len; }

  // The collection value. REQUIRES: T matches type. For a hash, set or sorted
  // set the pointer is into this entry: it dies with it (and with Rekey).
  template <typename T>
  T* object() const {
    if constexpr (std::is_same_v<T, ListValue>) {
      return static_cast<T*>(v.obj);
    } else {
      static_assert(sizeof(T) == sizeof(v), "inline values are one word");
      return std::launder(reinterpret_cast<T*>(const_cast<char*>(v.word)));
    }
  }

  // A new string entry; capacity == size. encoding is computed from value.
  static Entry* NewString(std::string_view key, std::string_view value);
  // A new string entry with room for `cap` value bytes; the value is `value`.
  static Entry* NewStringWithCapacity(std::string_view key, std::string_view value, size_t cap);
  // New collection entries. The list is owned (freed with the entry); the
  // other values are moved into the entry.
  static Entry* New(std::string_view key, ListValue* list);
  static Entry* New(std::string_view key, HashValue&& value);
  static Entry* New(std::string_view key, SetValue&& value);
  static Entry* New(std::string_view key, ZSetValue&& value);
  // Moves `e` (detached from any table) under a new key: value, expiry,
  // flags and version carry over; `e` is released without freeing its value.
  static Entry* Rekey(Entry* e, std::string_view new_key);
  // After an edit of a hash or sorted set: a listpack-encoded value of at
  // most kMaxEmbeddedListpack bytes moves into the entry's tail when one
  // allocation costs less than two (allocator size classes); any other value
  // leaves the entry without a tail. Returns the entry to use from now
  // on (the caller swaps it into its tables if it changed). Other types: `e`.
  static Entry* PackValue(Entry* e);
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
