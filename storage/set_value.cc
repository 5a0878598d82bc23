#include "storage/set_value.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/dict.h"
#include "storage/length_prefix.h"
#include "storage/listpack.h"
#include "storage/malloc_size.h"
#include "storage/random.h"

namespace duet {
namespace {

// One allocation per member: chain pointer, length prefix, bytes.
struct SetNode {
  SetNode* next;
  const char* payload() const { return reinterpret_cast<const char*>(this + 1); }
  char* payload() { return reinterpret_cast<char*>(this + 1); }
};

size_t SetNodeBytes(size_t len) { return sizeof(SetNode) + LengthPrefixBytes(len) + len; }

struct SetTraits {
  using Node = SetNode;
  static std::string_view KeyOf(const SetNode* n) { return ReadPrefixed(n->payload()); }
};

using SetDict = Dict<SetTraits>;

SetNode* NewSetNode(std::string_view member) {
  auto* n = static_cast<SetNode*>(std::malloc(SetNodeBytes(member.size())));
  if (n == nullptr) std::abort();  // out of memory, as the listpack does
  n->next = nullptr;
  WritePrefixed(n->payload(), member);
  return n;
}

struct IntBuf {
  char data[24];
  std::string_view Format(int64_t v) {
    auto res = std::to_chars(data, data + sizeof(data), v);
    return {data, static_cast<size_t>(res.ptr - data)};
  }
};

uint64_t Rng() { return RandomU64(); }

}  // namespace

struct SetValue::Table {
  SetDict dict;
  size_t node_bytes = 0;  // sum of MallocChunkBytes over the nodes

  ~Table() {
    dict.Clear([](SetNode* n) { std::free(n); });
  }

  void Insert(std::string_view member, uint64_t hash) {
    dict.Insert(NewSetNode(member), hash);
    node_bytes += MallocChunkBytes(SetNodeBytes(member.size()));
  }

  bool Erase(std::string_view member) {
    SetNode* n = dict.Unlink(member);
    if (n == nullptr) return false;
    node_bytes -= MallocChunkBytes(SetNodeBytes(SetTraits::KeyOf(n).size()));
    std::free(n);
    return true;
  }

  // A member chosen uniformly at random. REQUIRES: non-empty.
  //
  // Dict::RandomNode favours members of short chains. Instead, pick a random
  // SCAN group (one bucket, or while rehashing a small-table bucket plus the
  // large-table buckets it expands into: the groups partition the members),
  // and accept it with probability size/kSlots, then a uniform member of it.
  // Every member then has the same chance 1/(groups * kSlots). A group larger
  // than kSlots (vanishingly rare at load factor <= 1 with a keyed hash) is
  // accepted outright, which only slightly under-samples its members.
  const SetNode* UniformNode() const {
    constexpr size_t kSlots = 8;
    const size_t buckets = dict.buckets();
    const uint64_t group_mask = (buckets & (~buckets + 1)) - 1;  // smallest table - 1
    for (;;) {
      const SetNode* found[kSlots];
      size_t len = 0;
      const uint64_t r = Rng();
      const size_t pick = static_cast<size_t>(r >> 59) & (kSlots - 1);  // high bits
      const SetNode* chosen = nullptr;
      dict.Scan(r & group_mask, [&](const SetNode* n) {
        if (len < kSlots) found[len] = n;
        ++len;
      });
      if (len == 0) continue;
      if (len > kSlots) {
        // Accept: walk again to the uniformly chosen position.
        size_t target = RandomBelow(len), i = 0;
        dict.Scan(r & group_mask, [&](const SetNode* n) {
          if (i++ == target) chosen = n;
        });
        return chosen;
      }
      if (pick < len) return found[pick];
    }
  }
};

// The intset blob of a SetValue lent to an Intset for one operation. A
// writable lease stores the (possibly reallocated) blob back into the word
// when it ends; a read-only one must only be used through const methods.
class SetValue::LentIntset {
 public:
  LentIntset(uintptr_t word, uintptr_t* write_back)
      : is_(Intset::Adopt(reinterpret_cast<uint8_t*>(word))), write_back_(write_back) {}
  ~LentIntset() {
    uint8_t* blob = is_.Release();
    if (write_back_ != nullptr) *write_back_ = reinterpret_cast<uintptr_t>(blob);
  }
  LentIntset(const LentIntset&) = delete;
  LentIntset& operator=(const LentIntset&) = delete;

  Intset* operator->() { return &is_; }
  Intset& operator*() { return is_; }

 private:
  Intset is_;
  uintptr_t* write_back_;
};

SetValue::LentIntset SetValue::ints() const { return LentIntset(repr_, nullptr); }
SetValue::LentIntset SetValue::mutable_ints() { return LentIntset(repr_, &repr_); }

SetValue::SetValue() : SetValue(Intset()) {}
SetValue::SetValue(Intset intset) : repr_(reinterpret_cast<uintptr_t>(intset.Release())) {}
SetValue::~SetValue() { Reset(); }

SetValue& SetValue::operator=(SetValue&& o) noexcept {
  if (this != &o) {
    Reset();
    repr_ = o.repr_;
    o.repr_ = 0;
  }
  return *this;
}

void SetValue::Reset() {
  if (IsIntset()) {
    std::free(reinterpret_cast<uint8_t*>(repr_));
  } else {
    delete table();
  }
  repr_ = 0;
}

SetValue SetValue::Clone() const {
  if (IsIntset()) return SetValue(*Intset::FromBlob(IntsetBlob()));
  auto copy_table = std::make_unique<Table>();
  table()->dict.ForEach([&](const SetNode* n) {
    const std::string_view m = SetTraits::KeyOf(n);
    copy_table->Insert(m, HashBytes(m));
  });
  SetValue copy;
  copy.Reset();
  copy.repr_ = reinterpret_cast<uintptr_t>(copy_table.release()) | 1;
  return copy;
}

std::string_view SetValue::IntsetBlob() const { return ints()->Blob(); }

size_t SetValue::Size() const {
  if (IsIntset()) return ints()->Length();
  return table()->dict.size();
}

void SetValue::ConvertToHashtable() {
  if (!IsIntset()) return;
  auto new_table = std::make_unique<Table>();
  IntBuf buf;
  ints()->ForEach([&](int64_t v) {
    std::string_view s = buf.Format(v);
    new_table->Insert(s, HashBytes(s));
  });
  Reset();
  repr_ = reinterpret_cast<uintptr_t>(new_table.release()) | 1;
}

bool SetValue::Add(std::string_view member, const CollectionLimits& limits) {
  if (IsIntset()) {
    int64_t v;
    if (lp::StringToInt64(member.data(), member.size(), &v)) {
      uint32_t length;
      {
        LentIntset is = mutable_ints();
        if (!is->Add(v)) return false;
        length = is->Length();
      }
      // The intset length field is 32 bits wide; Redis caps the limit at 2^30.
      const uint64_t max_entries = std::min<uint64_t>(
          static_cast<uint64_t>(std::max<int64_t>(limits.set_max_intset_entries, 0)), 1u << 30);
      if (length > max_entries) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  Table& t = *table();
  const uint64_t hash = HashBytes(member);
  if (t.dict.Find(member, hash) != nullptr) return false;
  t.Insert(member, hash);
  return true;
}

bool SetValue::Remove(std::string_view member) {
  if (IsIntset()) {
    int64_t v;
    return lp::StringToInt64(member.data(), member.size(), &v) && mutable_ints()->Remove(v);
  }
  return table()->Erase(member);
}

bool SetValue::Contains(std::string_view member) const {
  if (IsIntset()) {
    int64_t v;
    return lp::StringToInt64(member.data(), member.size(), &v) && ints()->Find(v);
  }
  return table()->dict.Peek(member) != nullptr;
}

int64_t SetValue::PopFromIntset() {
  LentIntset is = mutable_ints();
  const int64_t v = is->Random();
  is->Remove(v);
  return v;
}

std::string SetValue::PopOne() {
  if (IsIntset()) {
    IntBuf buf;
    return std::string(buf.Format(PopFromIntset()));
  }
  Table& t = *table();
  std::string member(SetTraits::KeyOf(t.UniformNode()));
  t.Erase(member);
  return member;
}

void SetValue::PopOne(MemberFn fn) {
  if (IsIntset()) {
    // The lease ends before fn runs: fn may look at this set.
    IntBuf buf;
    fn(buf.Format(PopFromIntset()));
    return;
  }
  Table& t = *table();
  const SetNode* node = t.UniformNode();
  const std::string_view member = SetTraits::KeyOf(node);
  fn(member);
  t.Erase(member);
}

std::string SetValue::RandomOne() const {
  if (IsIntset()) {
    IntBuf buf;
    return std::string(buf.Format(ints()->Random()));
  }
  return std::string(SetTraits::KeyOf(table()->UniformNode()));
}

void SetValue::Pop(uint64_t count, const CollectionLimits& limits, MemberFn fn) {
  const size_t size = Size();
  if (count == 0 || size == 0) return;
  if (count >= size) {
    ForEach(fn);
    *this = SetValue();
    return;
  }
  const uint64_t remaining = size - count;
  if (remaining * 5 > count) {
    // Few to take relative to what stays: remove them one at a time.
    for (uint64_t i = 0; i < count; ++i) PopOne(fn);
    return;
  }
  // Most members go: move the few that stay into a fresh set (which picks its
  // encoding from scratch, as Redis's does) and hand out the rest.
  SetValue kept;
  for (uint64_t i = 0; i < remaining; ++i) {
    std::string m = PopOne();
    kept.Add(m, limits);
  }
  ForEach(fn);
  *this = std::move(kept);
}

void SetValue::Random(int64_t count, MemberFn fn) const {
  const size_t size = Size();
  if (count == 0 || size == 0) return;
  IntBuf buf;
  // Declared before `is`, which points into it when the set is an intset.
  LentIntset lent(IsIntset() ? repr_ : 0, nullptr);
  const Intset* is = IsIntset() ? &*lent : nullptr;
  const Table* t = is ? nullptr : table();

  if (count < 0) {
    // With repetition. Many picks from a hashtable: index all members once.
    const uint64_t n = count == INT64_MIN ? uint64_t{1} << 63 : static_cast<uint64_t>(-count);
    if (is != nullptr) {
      for (uint64_t i = 0; i < n; ++i) fn(buf.Format(is->Get(RandomBelow(size))));
      return;
    }
    if (n >= size / 4) {
      std::vector<const SetNode*> all;
      all.reserve(size);
      t->dict.ForEach([&](const SetNode* node) { all.push_back(node); });
      for (uint64_t i = 0; i < n; ++i) fn(SetTraits::KeyOf(all[RandomBelow(size)]));
    } else {
      for (uint64_t i = 0; i < n; ++i) fn(SetTraits::KeyOf(t->UniformNode()));
    }
    return;
  }

  const uint64_t n = static_cast<uint64_t>(count);
  if (n >= size) {
    ForEach(fn);
    return;
  }
  if (n * 3 > size) {
    // A large share: shuffle the first n of all members (partial Fisher-Yates).
    if (is != nullptr) {
      std::vector<uint32_t> idx(size);
      for (uint32_t i = 0; i < size; ++i) idx[i] = i;
      for (uint64_t i = 0; i < n; ++i) {
        std::swap(idx[i], idx[i + RandomBelow(size - i)]);
        fn(buf.Format(is->Get(idx[i])));
      }
    } else {
      std::vector<const SetNode*> all;
      all.reserve(size);
      t->dict.ForEach([&](const SetNode* node) { all.push_back(node); });
      for (uint64_t i = 0; i < n; ++i) {
        std::swap(all[i], all[i + RandomBelow(size - i)]);
        fn(SetTraits::KeyOf(all[i]));
      }
    }
    return;
  }
  // A small share: draw until n distinct members were seen.
  if (is != nullptr) {
    std::unordered_set<uint32_t> seen;
    seen.reserve(n);
    while (seen.size() < n) {
      const auto i = static_cast<uint32_t>(RandomBelow(size));
      if (seen.insert(i).second) fn(buf.Format(is->Get(i)));
    }
  } else {
    std::unordered_set<const SetNode*> seen;
    seen.reserve(n);
    while (seen.size() < n) {
      const SetNode* node = t->UniformNode();
      if (seen.insert(node).second) fn(SetTraits::KeyOf(node));
    }
  }
}

void SetValue::ForEach(MemberFn fn) const {
  if (IsIntset()) {
    IntBuf buf;
    ints()->ForEach([&](int64_t v) { fn(buf.Format(v)); });
    return;
  }
  table()->dict.ForEach([&](const SetNode* n) { fn(SetTraits::KeyOf(n)); });
}

uint64_t SetValue::Scan(uint64_t cursor, MemberFn fn) const {
  if (IsIntset()) {
    ForEach(fn);
    return 0;
  }
  return table()->dict.Scan(cursor, [&](const SetNode* n) { fn(SetTraits::KeyOf(n)); });
}

size_t SetValue::MemoryUsage() const {
  if (IsIntset()) return MallocChunkBytes(ints()->BlobBytes());
  const Table& t = *table();
  return MallocChunkBytes(sizeof(Table)) + t.dict.MemoryUsage() - sizeof(t.dict) + t.node_bytes;
}

}  // namespace duet
