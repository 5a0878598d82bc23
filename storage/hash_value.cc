#include "storage/hash_value.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/dict.h"
#include "storage/listpack.h"

namespace duet {
namespace hash_internal {

// A field/value pair in one allocation:
//   [HashNode* next][varint field len][field][varint value len][value]
// Varints are LEB128 (7 bits per byte, low group first, 0x80 = more).
struct HashNode {
  HashNode* next;
};

inline size_t VarintLen(uint64_t v) {
  size_t n = 1;
  while (v >= 128) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline unsigned char* PutVarint(unsigned char* p, uint64_t v) {
  while (v >= 128) {
    *p++ = static_cast<unsigned char>((v & 127) | 128);
    v >>= 7;
  }
  *p++ = static_cast<unsigned char>(v);
  return p;
}

inline const unsigned char* GetVarint(const unsigned char* p, uint64_t* v) {
  uint64_t r = 0;
  unsigned shift = 0;
  while (*p & 128) {
    r |= uint64_t{*p & 127u} << shift;
    shift += 7;
    ++p;
  }
  *v = r | uint64_t{*p} << shift;
  return p + 1;
}

inline unsigned char* Body(HashNode* n) { return reinterpret_cast<unsigned char*>(n + 1); }
inline const unsigned char* Body(const HashNode* n) {
  return reinterpret_cast<const unsigned char*>(n + 1);
}

inline std::string_view NodeField(const HashNode* n) {
  const unsigned char* p = Body(n);
  if (*p < 128) return {reinterpret_cast<const char*>(p + 1), *p};
  uint64_t len;
  p = GetVarint(p, &len);
  return {reinterpret_cast<const char*>(p), len};
}

// Where the value's length varint starts.
inline size_t ValueOffset(const HashNode* n) {
  std::string_view f = NodeField(n);
  return static_cast<size_t>(reinterpret_cast<const unsigned char*>(f.data()) + f.size() - Body(n));
}

inline std::string_view NodeValue(const HashNode* n) {
  uint64_t len;
  const unsigned char* p = GetVarint(Body(n) + ValueOffset(n), &len);
  return {reinterpret_cast<const char*>(p), len};
}

inline size_t NodeBytes(std::string_view f, std::string_view v) {
  return sizeof(HashNode) + VarintLen(f.size()) + f.size() + VarintLen(v.size()) + v.size();
}

HashNode* NewNode(std::string_view f, std::string_view v) {
  auto* n = static_cast<HashNode*>(std::malloc(NodeBytes(f, v)));
  if (n == nullptr) std::abort();
  n->next = nullptr;
  unsigned char* p = PutVarint(Body(n), f.size());
  if (!f.empty()) std::memcpy(p, f.data(), f.size());
  p = PutVarint(p + f.size(), v.size());
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
  return n;
}

struct NodeTraits {
  using Node = HashNode;
  static std::string_view KeyOf(const Node* n) { return NodeField(n); }
};

}  // namespace hash_internal

using hash_internal::HashNode;
using hash_internal::NodeField;
using hash_internal::NodeValue;

struct HashTable {
  Dict<hash_internal::NodeTraits> dict;
};

namespace {

void FreeNode(HashNode* n) { std::free(n); }

// Calls fn for each field/value pair of a listpack.
template <typename Fn>
void ForEachPair(const unsigned char* lp, Fn&& fn) {
  char fbuf[lp::kIntBufSize], vbuf[lp::kIntBufSize];
  const unsigned char* p = lp::First(lp);
  while (p != nullptr) {
    const unsigned char* v = lp::Next(lp, p);
    fn(lp::GetView(p, fbuf), lp::GetView(v, vbuf));
    p = lp::Next(lp, v);
  }
}

}  // namespace

HashValue::HashValue() : repr_(reinterpret_cast<uintptr_t>(lp::New())) {}

HashValue::~HashValue() { Reset(); }

HashValue& HashValue::operator=(HashValue&& o) noexcept {
  if (this != &o) {
    Reset();
    repr_ = o.Take();
  }
  return *this;
}

uintptr_t HashValue::Take() {
  if (lp_slot::IsEmbedded(repr_)) OwnLp();
  return std::exchange(repr_, 0);
}

void HashValue::Reset() {
  if (repr_ == 0) return;
  if (encoding() == Encoding::kHashtable) {
    table()->dict.Clear(FreeNode);
    delete table();
  } else {
    lp_slot::Release(repr_);
  }
  repr_ = 0;
}

HashValue HashValue::FromListpack(unsigned char* lp) {
  HashValue h;
  lp_slot::Release(h.repr_);
  h.repr_ = reinterpret_cast<uintptr_t>(lp);
  return h;
}

HashValue HashValue::Clone() const {
  HashValue out;
  if (encoding() == Encoding::kListpack) {
    lp_slot::Release(out.repr_);
    out.repr_ = reinterpret_cast<uintptr_t>(lp::Clone(lp()));
    return out;
  }
  out.ConvertToHashtable();
  HashTable* t = out.table();
  table()->dict.ForEach([&](const HashNode* n) {
    t->dict.Insert(hash_internal::NewNode(NodeField(n), NodeValue(n)));
  });
  return out;
}

size_t HashValue::Length() const {
  if (encoding() == Encoding::kListpack) return lp::Length(lp()) / 2;
  return table()->dict.size();
}

std::optional<std::string_view> HashValue::Get(std::string_view field, char* scratch) const {
  if (encoding() == Encoding::kListpack) {
    const unsigned char* l = lp();
    const unsigned char* p = lp::Find(l, lp::First(l), lp::Needle(field), 1);
    if (p == nullptr) return std::nullopt;
    return lp::GetView(lp::Next(l, p), scratch);
  }
  const HashNode* n = table()->dict.Peek(field);
  if (n == nullptr) return std::nullopt;
  return NodeValue(n);
}

bool HashValue::Exists(std::string_view field) const {
  if (encoding() == Encoding::kListpack) {
    const unsigned char* l = lp();
    return lp::Find(l, lp::First(l), lp::Needle(field), 1) != nullptr;
  }
  return table()->dict.Peek(field) != nullptr;
}

size_t HashValue::StrLen(std::string_view field) const {
  char buf[lp::kIntBufSize];
  std::optional<std::string_view> v = Get(field, buf);
  return v ? v->size() : 0;
}

bool HashValue::Set(std::string_view field, std::string_view value,
                    const CollectionLimits& limits) {
  if (encoding() == Encoding::kListpack) {
    const uint64_t max_value =
        static_cast<uint64_t>(std::max<int64_t>(0, limits.hash_max_listpack_value));
    if (field.size() > max_value || value.size() > max_value) {
      ConvertToHashtable();
    } else {
      const unsigned char* l = lp();
      const unsigned char* p = lp::Find(l, lp::First(l), lp::Needle(field), 1);
      if (p != nullptr) {
        const unsigned char* at = lp::Next(l, p);
        unsigned char* own = OwnLp(&at);
        auto* v = const_cast<unsigned char*>(at);  // now inside `own`
        repr_ = reinterpret_cast<uintptr_t>(lp::Replace(own, &v, value));
        return false;
      }
      const int64_t entries = static_cast<int64_t>(Length());
      const size_t grown = lp::Bytes(l) + lp::Encoded(field).size() + lp::Encoded(value).size();
      if (entries + 1 > limits.hash_max_listpack_entries || grown > lp::kMaxSafeSize) {
        ConvertToHashtable();  // the new pair goes straight into the table
      } else {
        std::string_view pair[2] = {field, value};
        repr_ = reinterpret_cast<uintptr_t>(lp::AppendMany(OwnLp(), pair, 2));
        return true;
      }
    }
  }
  auto& dict = table()->dict;
  HashNode* n = dict.Find(field);
  if (n == nullptr) {
    dict.Insert(hash_internal::NewNode(field, value));
    return true;
  }
  // Rewrite the value in place when the allocation has room (the field
  // stays put); otherwise build a new node and swap it into the bucket.
  size_t voff = hash_internal::ValueOffset(n);
  size_t needed = sizeof(HashNode) + voff + hash_internal::VarintLen(value.size()) + value.size();
  if (needed <= malloc_usable_size(n)) {
    unsigned char* p = hash_internal::PutVarint(hash_internal::Body(n) + voff, value.size());
    if (!value.empty()) std::memmove(p, value.data(), value.size());
    return false;
  }
  HashNode* fresh = hash_internal::NewNode(field, value);
  dict.Replace(n, fresh);
  FreeNode(n);
  return false;
}

bool HashValue::SetNx(std::string_view field, std::string_view value,
                      const CollectionLimits& limits) {
  if (Exists(field)) return false;
  return Set(field, value, limits);
}

bool HashValue::Delete(std::string_view field) {
  if (encoding() == Encoding::kListpack) {
    const unsigned char* l = lp();
    const unsigned char* at = lp::Find(l, lp::First(l), lp::Needle(field), 1);
    if (at == nullptr) return false;
    unsigned char* own = OwnLp(&at);
    auto* p = const_cast<unsigned char*>(at);  // now inside `own`
    repr_ = reinterpret_cast<uintptr_t>(lp::DeleteAt(own, &p, 2));
    return true;
  }
  HashNode* n = table()->dict.Unlink(field);
  if (n == nullptr) return false;
  FreeNode(n);
  return true;
}

void HashValue::ForEach(PairFn fn) const {
  if (encoding() == Encoding::kListpack) {
    ForEachPair(lp(), fn);
    return;
  }
  table()->dict.ForEach([&](const HashNode* n) { fn(NodeField(n), NodeValue(n)); });
}

size_t HashValue::RandomFields(int64_t count, FunctionRef<uint64_t()> rng, PairFn fn) const {
  const size_t size = Length();
  if (size == 0 || count == 0) return 0;
  const bool listpack = encoding() == Encoding::kListpack;
  char fbuf[lp::kIntBufSize], vbuf[lp::kIntBufSize];
  auto emit_lp = [&](const unsigned char* p) {
    fn(lp::GetView(p, fbuf), lp::GetView(lp::Next(lp(), p), vbuf));
  };
  auto emit_node = [&](const HashNode* n) { fn(NodeField(n), NodeValue(n)); };

  if (count < 0) {  // with repetition
    const uint64_t n = 0 - static_cast<uint64_t>(count);
    if (listpack) {
      std::vector<const unsigned char*> fields;
      fields.reserve(size);
      const unsigned char* l = lp();
      for (const unsigned char* p = lp::First(l); p != nullptr; p = lp::Next(l, lp::Next(l, p))) {
        fields.push_back(p);
      }
      for (uint64_t i = 0; i < n; ++i) emit_lp(fields[rng() % size]);
    } else {
      for (uint64_t i = 0; i < n; ++i) emit_node(table()->dict.RandomNode(rng));
    }
    return static_cast<size_t>(n);
  }

  const size_t want = static_cast<size_t>(count);
  if (want >= size) {
    ForEach(fn);
    return size;
  }
  if (listpack) {
    // Selection sampling: each pair is taken with probability
    // needed/remaining, which yields a uniform subset in listpack order.
    size_t needed = want, remaining = size;
    const unsigned char* l = lp();
    for (const unsigned char* p = lp::First(l); needed > 0; p = lp::Next(l, lp::Next(l, p))) {
      if (rng() % remaining < needed) {
        emit_lp(p);
        --needed;
      }
      --remaining;
    }
    return want;
  }
  if (want * 3 > size) {
    // Many of them: shuffle the first `want` of all nodes into place.
    std::vector<const HashNode*> all;
    all.reserve(size);
    table()->dict.ForEach([&](const HashNode* n) { all.push_back(n); });
    for (size_t i = 0; i < want; ++i) {
      std::swap(all[i], all[i + rng() % (size - i)]);
      emit_node(all[i]);
    }
    return want;
  }
  // Few of them: random picks, skipping repeats.
  std::unordered_set<const HashNode*> seen;
  seen.reserve(want);
  while (seen.size() < want) {
    const HashNode* n = table()->dict.RandomNode(rng);
    if (seen.insert(n).second) emit_node(n);
  }
  return want;
}

uint64_t HashValue::Scan(uint64_t cursor, PairFn fn) const {
  if (encoding() == Encoding::kListpack) {
    ForEachPair(lp(), fn);
    return 0;
  }
  return table()->dict.Scan(cursor, [&](const HashNode* n) { fn(NodeField(n), NodeValue(n)); });
}

size_t HashValue::MemoryUsage(size_t samples) const {
  if (encoding() == Encoding::kListpack) {
    // An embedded listpack is counted with the entry that holds it.
    return lp_slot::IsEmbedded(repr_) ? lp::Bytes(lp())
                                      : malloc_usable_size(lp_slot::Address(&repr_, repr_));
  }
  const auto& dict = table()->dict;
  size_t total = malloc_usable_size(table()) + dict.buckets() * sizeof(HashNode*);
  size_t nodes = 0, node_bytes = 0;
  auto add = [&](HashNode* n) {
    ++nodes;
    node_bytes += malloc_usable_size(n);
  };
  if (samples == 0 || dict.size() <= samples) {
    dict.ForEach(add);
    return total + node_bytes;
  }
  uint64_t cursor = 0;
  do {
    cursor = dict.Scan(cursor, add);
  } while (cursor != 0 && nodes < samples);
  return total + node_bytes * dict.size() / nodes;
}

void HashValue::ConvertToHashtable() {
  if (encoding() == Encoding::kHashtable) return;
  auto* t = new HashTable;
  ForEachPair(lp(), [&](std::string_view f, std::string_view v) {
    t->dict.Insert(hash_internal::NewNode(f, v));
  });
  lp_slot::Release(repr_);
  repr_ = reinterpret_cast<uintptr_t>(t) | 1;
}

void HashValue::ConvertIfOver(const CollectionLimits& limits) {
  if (encoding() != Encoding::kListpack) return;
  bool over = static_cast<int64_t>(Length()) > limits.hash_max_listpack_entries;
  if (!over) {
    const int64_t max_value = limits.hash_max_listpack_value;
    ForEachPair(lp(), [&](std::string_view f, std::string_view v) {
      if (static_cast<int64_t>(f.size()) > max_value ||
          static_cast<int64_t>(v.size()) > max_value) {
        over = true;
      }
    });
  }
  if (over) ConvertToHashtable();
}

}  // namespace duet
