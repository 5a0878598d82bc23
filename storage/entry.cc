#include "storage/entry.h"

#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "storage/hash_value.h"
#include "storage/listpack.h"
#include "storage/listpack_slot.h"
#include "storage/set_value.h"
#include "storage/value_destroy.h"
#include "storage/zset_value.h"
#include "utils/allocator.h"
#include "utils/strconv.h"

namespace duet {
namespace {

Entry* Allocate(std::string_view key, size_t value_bytes) {
  void* mem = std::malloc(sizeof(Entry) + key.size() + value_bytes);
  if (mem == nullptr) throw std::bad_alloc();
  auto* e = static_cast<Entry*>(mem);
  e->next = nullptr;
  e->version = 0;
  e->expire_ms = 0;
  e->mc_flags = 0;
  e->access = 0;
  e->key_len = static_cast<uint32_t>(key.size());
  e->mc_meta = 0;
  e->layout = 0;
  std::memcpy(reinterpret_cast<char*>(e + 1), key.data(), key.size());
  return e;
}

Entry* Reallocate(Entry* e, size_t bytes) {
  void* mem = std::realloc(e, bytes);
  if (mem == nullptr) throw std::bad_alloc();
  return static_cast<Entry*>(mem);
}

static_assert(std::is_standard_layout_v<HashValue> && std::is_standard_layout_v<ZSetValue> &&
                  sizeof(HashValue) == sizeof(uintptr_t) && sizeof(ZSetValue) == sizeof(uintptr_t),
              "hash and sorted-set values are one listpack-slot word");

bool HasListpackSlot(const Entry* e) {
  return e->type == ValueType::kHash || e->type == ValueType::kZSet;
}

// The value word of a hash or sorted set: both keep their representation
// in it as described in storage/listpack_slot.h (their only member).
uintptr_t& SlotWord(Entry* e) { return *std::launder(reinterpret_cast<uintptr_t*>(e->v.word)); }

// Copies `n` listpack bytes from `from` into the tail of `e` (which has room)
// and points the value word at them.
void EmbedInTail(Entry* e, unsigned char* tail, const unsigned char* from, size_t n) {
  std::memmove(tail, from, n);
  SlotWord(e) = lp_slot::EmbeddedAt(e->v.word, tail);
  e->layout |= kEntryHasTail;
}

Entry* AllocateCollection(std::string_view key, ValueType type) {
  Entry* e = Allocate(key, 0);
  e->type = type;
  e->str_encoding = StringEncoding::kRaw;
  return e;
}

}  // namespace

StringEncoding ClassifyString(std::string_view value) {
  int64_t ignored;
  if (value.size() <= 20 && ParseInt64(value, &ignored)) return StringEncoding::kInt;
  return value.size() <= kEmbstrMaxLen ? StringEncoding::kEmbstr : StringEncoding::kRaw;
}

Entry* Entry::NewString(std::string_view key, std::string_view value) {
  return NewStringWithCapacity(key, value, value.size());
}

Entry* Entry::NewStringWithCapacity(std::string_view key, std::string_view value, size_t cap) {
  Entry* e = Allocate(key, cap);
  e->type = ValueType::kString;
  e->str_encoding = ClassifyString(value);
  e->v.str.len = static_cast<uint32_t>(value.size());
  e->v.str.cap = static_cast<uint32_t>(cap);
  if (!value.empty()) std::memcpy(e->str_data(), value.data(), value.size());
  return e;
}

Entry* Entry::New(std::string_view key, ListValue* list) {
  Entry* e = AllocateCollection(key, ValueType::kList);
  e->v.obj = list;
  return e;
}

Entry* Entry::New(std::string_view key, HashValue&& value) {
  Entry* e = AllocateCollection(key, ValueType::kHash);
  new (e->v.word) HashValue(std::move(value));
  return PackValue(e);
}

Entry* Entry::New(std::string_view key, SetValue&& value) {
  Entry* e = AllocateCollection(key, ValueType::kSet);
  new (e->v.word) SetValue(std::move(value));
  return e;
}

Entry* Entry::New(std::string_view key, ZSetValue&& value) {
  Entry* e = AllocateCollection(key, ValueType::kZSet);
  new (e->v.word) ZSetValue(std::move(value));
  return PackValue(e);
}

Entry* Entry::Rekey(Entry* e, std::string_view new_key) {
  const bool embedded = HasListpackSlot(e) && lp_slot::IsEmbedded(SlotWord(e));
  const unsigned char* listpack = embedded ? lp_slot::Address(e->v.word, SlotWord(e)) : nullptr;
  size_t value_bytes = 0;
  if (e->type == ValueType::kString) value_bytes = e->v.str.len;
  if (embedded) value_bytes = lp::Bytes(listpack);
  Entry* moved = Allocate(new_key, value_bytes);
  // The header, with the value word: inline values hold no pointer to
  // themselves, so their bytes move as they are.
  std::memcpy(moved, e, sizeof(Entry));
  moved->next = nullptr;
  moved->key_len = static_cast<uint32_t>(new_key.size());
  moved->layout = 0;
  std::memcpy(reinterpret_cast<char*>(moved + 1), new_key.data(), new_key.size());
  if (e->type == ValueType::kString) {
    moved->v.str.cap = moved->v.str.len;
    if (value_bytes > 0) std::memcpy(moved->str_data(), e->str_data(), value_bytes);
  }
  if (embedded) {
    // The key length changed, so the listpack's offset from the word did too.
    auto* tail = reinterpret_cast<unsigned char*>(moved->Data() + moved->key_len);
    EmbedInTail(moved, tail, listpack, value_bytes);
  }
  std::free(e);
  return moved;
}

Entry* Entry::PackValue(Entry* e) {
  if (!HasListpackSlot(e)) return e;
  const uintptr_t word = SlotWord(e);
  if (lp_slot::IsEmbedded(word)) return e;  // packed already: edits copy it out first
  const unsigned char* own =
      lp_slot::IsOwnAllocation(word) ? lp_slot::Address(e->v.word, word) : nullptr;
  const size_t n = own != nullptr ? lp::Bytes(own) : 0;
  const size_t bare = sizeof(Entry) + e->key_len;
  // Embedding saves an allocation, but one bigger block can land in a size
  // class whose rounding costs more than that: embed only when it is cheaper.
  const bool embed = own != nullptr && n <= kMaxEmbeddedListpack &&
                     AllocationSize(bare + n) <= AllocationSize(bare) + AllocationSize(n);
  if (!embed && (e->layout & kEntryHasTail) == 0) return e;
  Entry* moved = Reallocate(e, bare + (embed ? n : 0));
  if (embed) {
    auto* tail = reinterpret_cast<unsigned char*>(moved->Data() + moved->key_len);
    EmbedInTail(moved, tail, own, n);
    lp_slot::Release(word);
  } else {
    moved->layout &= static_cast<uint8_t>(~kEntryHasTail);
  }
  return moved;
}

void Entry::Free(Entry* e) {
  if (e == nullptr) return;
  if (e->type != ValueType::kString) DestroyValue(*e);
  std::free(e);
}

Entry* Entry::AssignString(Entry* e, std::string_view value) {
  if (value.size() > e->v.str.cap) {
    void* mem = std::realloc(e, sizeof(Entry) + e->key_len + value.size());
    if (mem == nullptr) throw std::bad_alloc();
    e = static_cast<Entry*>(mem);
    e->v.str.cap = static_cast<uint32_t>(value.size());
  }
  if (!value.empty()) std::memmove(e->str_data(), value.data(), value.size());
  e->v.str.len = static_cast<uint32_t>(value.size());
  e->str_encoding = ClassifyString(value);
  return e;
}

Entry* Entry::ResizeString(Entry* e, size_t len) {
  size_t old_len = e->v.str.len;
  if (len > e->v.str.cap) {
    // Grow geometrically up to 1 MB, then by 1 MB, so repeated appends are
    // amortized O(1) without doubling huge values.
    size_t cap = len < (1u << 20) ? len * 2 : len + (1u << 20);
    if (cap > UINT32_MAX) cap = len;
    void* mem = std::realloc(e, sizeof(Entry) + e->key_len + cap);
    if (mem == nullptr) throw std::bad_alloc();
    e = static_cast<Entry*>(mem);
    e->v.str.cap = static_cast<uint32_t>(cap);
  }
  if (len > old_len) std::memset(e->str_data() + old_len, 0, len - old_len);
  e->v.str.len = static_cast<uint32_t>(len);
  e->str_encoding = StringEncoding::kRaw;
  return e;
}

size_t Entry::MemoryUsage() const {
  size_t bytes = sizeof(Entry) + key_len;
  if (type == ValueType::kString) return bytes + v.str.cap;
  return bytes + ValueMemoryUsage(*this);
}

const char* ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
  }
  return "none";
}

}  // namespace duet
