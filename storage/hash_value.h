#pragma once
// HashValue: what a hash key holds, in one of Redis 7.0's two encodings.
//
//   listpack   field, value, field, value, ... in one listpack blob (the
//              exact bytes RDB stores). Used while the hash has at most
//              hash-max-listpack-entries fields and no field or value longer
//              than hash-max-listpack-value bytes.
//   hashtable  an intrusive Dict whose nodes hold the field and the value in
//              ONE allocation: [next][varint field len][field][varint value
//              len][value]. A 12-byte field with an 8-byte value is a 30-byte
//              allocation plus its bucket slot.
//
// Conversion is one way (listpack -> hashtable), as in Redis: deleting fields
// never converts back. The limits are passed to every call that can grow the
// hash, so CONFIG SET applies to the next write.
//
// Size: one tagged word (low bit set = hashtable; the listpack forms are in
// storage/listpack_slot.h), so an owner can embed it instead of allocating
// it, and the listpack itself may sit in the owning Entry. Move-only: moving
// a value whose listpack is embedded copies the listpack out.
//
// Strings handed to callbacks are views valid only during the callback;
// integer-encoded listpack entries are formatted into scratch space.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/function_ref.h"
#include "storage/listpack_slot.h"

namespace duet {

struct HashTable;  // the hashtable encoding (hash_value.cc)

class HashValue {
 public:
  enum class Encoding : uint8_t { kListpack, kHashtable };
  using PairFn = FunctionRef<void(std::string_view field, std::string_view value)>;

  HashValue();  // empty, listpack-encoded
  ~HashValue();
  HashValue(HashValue&& o) noexcept : repr_(o.Take()) {}
  HashValue& operator=(HashValue&& o) noexcept;
  HashValue(const HashValue&) = delete;
  HashValue& operator=(const HashValue&) = delete;

  // Takes ownership of a listpack of field/value pairs (RDB loading).
  // REQUIRES: lp passed lp::Validate, has an even number of entries and no
  // duplicate field. Call ConvertIfOver afterwards to apply the limits.
  static HashValue FromListpack(unsigned char* lp);
  HashValue Clone() const;

  Encoding encoding() const { return (repr_ & 1) ? Encoding::kHashtable : Encoding::kListpack; }
  const char* EncodingName() const {
    return encoding() == Encoding::kListpack ? "listpack" : "hashtable";
  }
  // True when the listpack lives in the owning entry (Entry::PackValue).
  bool ListpackEmbedded() const { return lp_slot::IsEmbedded(repr_); }
  // REQUIRES: encoding() == kListpack. The raw blob, e.g. for RDB.
  const unsigned char* listpack() const { return lp(); }

  size_t Length() const;
  // The value of `field`; integers are formatted into scratch[lp::kIntBufSize].
  std::optional<std::string_view> Get(std::string_view field, char* scratch) const;
  bool Exists(std::string_view field) const;
  // HSTRLEN: length of the value, 0 when the field is absent.
  size_t StrLen(std::string_view field) const;

  // HSET of one pair: true if the field is new. May convert to hashtable.
  bool Set(std::string_view field, std::string_view value, const CollectionLimits& limits);
  // HSETNX: sets only an absent field; true if it did.
  bool SetNx(std::string_view field, std::string_view value, const CollectionLimits& limits);
  // HDEL of one field: true if it existed.
  bool Delete(std::string_view field);

  // Every pair, in storage order (listpack order, or table order).
  void ForEach(PairFn fn) const;

  // HRANDFIELD with a count. count > 0: min(count, Length()) distinct fields;
  // count < 0: |count| fields that may repeat; 0: none. rng returns uniform
  // 64-bit values. Returns how many pairs were passed to fn.
  size_t RandomFields(int64_t count, FunctionRef<uint64_t()> rng, PairFn fn) const;

  // HSCAN step. Listpack: everything at once, returns 0. Hashtable: Redis's
  // guarantee (every field present for the whole scan is returned at least
  // once); returns the next cursor, 0 at the end.
  uint64_t Scan(uint64_t cursor, PairFn fn) const;

  // Heap bytes owned (excluding this object itself when it is embedded).
  // samples == 0: exact (walks a hashtable); otherwise a hashtable is
  // estimated from about `samples` nodes, like MEMORY USAGE ... SAMPLES.
  size_t MemoryUsage(size_t samples = 0) const;

  void ConvertToHashtable();
  // Converts if the listpack breaks the entry or value-length limits (after
  // loading a listpack written under other settings).
  void ConvertIfOver(const CollectionLimits& limits);

 private:
  // Read access to the listpack, wherever it lives.
  const unsigned char* lp() const { return lp_slot::Address(&repr_, repr_); }
  // The listpack for an edit (which may realloc it): copied out of the entry
  // first if embedded; `*p` follows it.
  unsigned char* OwnLp(const unsigned char** p = nullptr) {
    return lp_slot::Own(&repr_, &repr_, p);
  }
  // The representation, leaving this moved-from; an embedded listpack is
  // copied out, since its address is relative to this word.
  uintptr_t Take();
  HashTable* table() const { return reinterpret_cast<HashTable*>(repr_ & ~uintptr_t{1}); }
  void Reset();

  uintptr_t repr_;
};

static_assert(sizeof(HashValue) == sizeof(void*), "HashValue is one tagged pointer");

}  // namespace duet
