#include "storage/sort_ops.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "storage/hash_value.h"
#include "storage/list_value.h"
#include "storage/listpack.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

constexpr size_t kNoWeight = SIZE_MAX;

// One element to sort. Its bytes (and an ALPHA BY weight) live in the
// Sorter's arena, each followed by a NUL so strtod and strcoll can read them.
struct Item {
  size_t off;
  size_t weight_off;  // kNoWeight: no BY weight (missing key or not ALPHA BY)
  uint32_t len;
  uint32_t weight_len;
  double score;  // numeric weight; 0 when missing
};

int CompareBytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// strtod over the whole NUL-terminated text, refusing NaN and out-of-range
// values, as Redis reads SORT weights. (Text after an embedded NUL is
// ignored, as in Redis, which hands strtod a C string.)
bool ParseWeight(const char* text, double* out) {
  errno = 0;
  char* end = nullptr;
  const double d = std::strtod(text, &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(d)) return false;
  *out = d;
  return true;
}

class Sorter {
 public:
  Sorter(Database& db, int64_t now_ms, LookupCounts* counts)
      : db_(db), now_ms_(now_ms), counts_(counts) {}

  std::vector<Item>& items() { return items_; }
  std::string_view Element(const Item& it) const { return {arena_.data() + it.off, it.len}; }
  const char* ElementCStr(const Item& it) const { return arena_.data() + it.off; }
  std::string_view Weight(const Item& it) const {
    return {arena_.data() + it.weight_off, it.weight_len};
  }
  const char* WeightCStr(const Item& it) const { return arena_.data() + it.weight_off; }

  void Add(std::string_view v) {
    items_.push_back(Item{arena_.size(), kNoWeight, static_cast<uint32_t>(v.size()), 0, 0});
    Append(v);
  }
  // Copies an ALPHA BY weight for items_[i]. `v` must not point into the arena.
  void SetWeight(size_t i, std::string_view v) {
    items_[i].weight_off = arena_.size();
    items_[i].weight_len = static_cast<uint32_t>(v.size());
    Append(v);
  }

  // What `pattern` names for element `e` (see sort_ops.h); the view is valid
  // until the next Lookup or write.
  std::optional<std::string_view> Lookup(std::string_view pattern, std::string_view e) {
    if (pattern == "#") return e;
    const size_t star = pattern.find('*');
    if (star == std::string_view::npos) return std::nullopt;
    size_t key_end = pattern.size();
    std::string_view field;
    const size_t arrow = pattern.find("->", star + 1);
    if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
      key_end = arrow;
      field = pattern.substr(arrow + 2);
    }
    key_.assign(pattern.substr(0, star));
    key_.append(e);
    key_.append(pattern.substr(star + 1, key_end - star - 1));
    Entry* entry = db_.Find(key_, now_ms_);
    if (entry == nullptr) {
      ++counts_->misses;
      return std::nullopt;
    }
    ++counts_->hits;
    if (!field.empty()) {
      if (entry->type != ValueType::kHash) return std::nullopt;
      return entry->object<HashValue>()->Get(field, scratch_);
    }
    if (entry->type != ValueType::kString) return std::nullopt;
    return entry->str();
  }

  // Parses a looked-up weight, which is not NUL-terminated.
  bool ParseLookedUp(std::string_view v, double* out) {
    weight_.assign(v);
    return ParseWeight(weight_.c_str(), out);
  }

 private:
  void Append(std::string_view v) {
    arena_.append(v);
    arena_.push_back('\0');
  }

  Database& db_;
  int64_t now_ms_;
  LookupCounts* counts_;
  std::vector<Item> items_;
  std::string arena_;
  std::string key_;
  std::string weight_;
  char scratch_[lp::kIntBufSize];
};

size_t SourceSize(const Entry* e) {
  if (e == nullptr) return 0;
  switch (e->type) {
    case ValueType::kList:
      return e->object<ListValue>()->Length();
    case ValueType::kSet:
      return e->object<SetValue>()->Size();
    case ValueType::kZSet:
      return e->object<ZSetValue>()->Size();
    default:
      return 0;
  }
}

// start + count - 1 without overflow, saturating at INT64_MAX.
int64_t RangeEnd(int64_t start, int64_t count) {
  if (count - 1 > INT64_MAX - start) return INT64_MAX;
  return start + count - 1;
}

}  // namespace

OpResult<SortOutcome> Sort(Database& db, std::string_view key, const SortOptions& o,
                           const CollectionLimits& limits, int64_t now_ms, SortSink* sink,
                           LookupCounts* lookups) {
  Entry* src = db.Find(key, now_ms);
  if (src == nullptr) {
    ++lookups->misses;
  } else {
    ++lookups->hits;
    if (src->type != ValueType::kList && src->type != ValueType::kSet &&
        src->type != ValueType::kZSet) {
      return OpStatus::kWrongType;
    }
  }
  const ValueType type = src == nullptr ? ValueType::kList : src->type;

  bool dont_sort = o.dont_sort;
  bool alpha = o.alpha;
  bool by = o.has_by;
  if (dont_sort && type == ValueType::kSet && (o.has_store || o.from_script)) {
    // A set's iteration order is not reproducible: store (or hand a script)
    // a sorted result instead.
    dont_sort = false;
    alpha = true;
    by = false;
  }

  const int64_t size = static_cast<int64_t>(SourceSize(src));
  int64_t start = o.limit_offset < 0 ? 0 : o.limit_offset;
  int64_t end = o.limit_count < 0 ? size - 1 : RangeEnd(start, o.limit_count);
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;

  Sorter sorter(db, now_ms, lookups);
  std::vector<Item>& items = sorter.items();
  auto add = [&](std::string_view v) { sorter.Add(v); };
  if (type == ValueType::kList && dont_sort) {
    // Native order, walking from the tail for DESC; only the LIMIT range.
    if (end >= start) {
      const auto* list = src->object<ListValue>();
      if (o.desc) {
        list->Range(size - 1 - end, size - 1 - start, add);
        std::reverse(items.begin(), items.end());
      } else {
        list->Range(start, end, add);
      }
      end -= start;
      start = 0;
    }
  } else if (type == ValueType::kZSet && dont_sort) {
    if (end >= start) {
      src->object<ZSetValue>()->RangeByRank(start, end, o.desc,
                                            [&](std::string_view m, double) { sorter.Add(m); });
    }
    end -= start;
    start = 0;
  } else if (type == ValueType::kList) {
    if (src != nullptr) src->object<ListValue>()->Range(0, -1, add);
  } else if (type == ValueType::kSet) {
    src->object<SetValue>()->ForEach(add);
  } else {
    src->object<ZSetValue>()->ForEach([&](std::string_view m, double) { sorter.Add(m); });
  }

  if (!dont_sort) {
    bool bad_weight = false;
    for (size_t i = 0; i < items.size(); ++i) {
      Item& it = items[i];
      if (by) {
        // A BY pattern that sorts contains '*', so it is never "#" and the
        // looked-up view never points into the arena.
        std::optional<std::string_view> w = sorter.Lookup(o.by, sorter.Element(it));
        if (!w) continue;
        if (alpha) {
          sorter.SetWeight(i, *w);
        } else if (!sorter.ParseLookedUp(*w, &it.score)) {
          bad_weight = true;
        }
      } else if (!alpha && !ParseWeight(sorter.ElementCStr(it), &it.score)) {
        bad_weight = true;
      }
    }
    if (bad_weight) return OpStatus::kNotAFloat;

    // Stored results compare bytes; replies collate, as Redis does.
    const bool bytes = o.has_store;
    auto compare = [&](const Item& a, const Item& b) {
      int c;
      if (!alpha) {
        c = a.score < b.score ? -1 : (a.score > b.score ? 1 : 0);
        if (c == 0) c = CompareBytes(sorter.Element(a), sorter.Element(b));
      } else if (by) {
        const bool wa = a.weight_off != kNoWeight, wb = b.weight_off != kNoWeight;
        if (!wa || !wb) {
          c = wa == wb ? 0 : (wa ? 1 : -1);
        } else if (bytes) {
          c = CompareBytes(sorter.Weight(a), sorter.Weight(b));
        } else {
          c = std::strcoll(sorter.WeightCStr(a), sorter.WeightCStr(b));
        }
      } else if (bytes) {
        c = CompareBytes(sorter.Element(a), sorter.Element(b));
      } else {
        c = std::strcoll(sorter.ElementCStr(a), sorter.ElementCStr(b));
      }
      return o.desc ? c > 0 : c < 0;
    };
    std::stable_sort(items.begin(), items.end(), compare);
  }

  const uint64_t count = end >= start ? static_cast<uint64_t>(end - start + 1) : 0;
  SortOutcome out;
  out.length = o.gets.empty() ? count : count * o.gets.size();

  if (!o.has_store) {
    sink->Begin(out.length);
    for (uint64_t j = 0; j < count; ++j) {
      const std::string_view e = sorter.Element(items[start + j]);
      if (o.gets.empty()) {
        sink->Value(e);
        continue;
      }
      for (std::string_view pattern : o.gets) {
        std::optional<std::string_view> v = sorter.Lookup(pattern, e);
        if (v) {
          sink->Value(*v);
        } else {
          sink->Missing();
        }
      }
    }
    return out;
  }

  auto* list = new ListValue(limits);
  for (uint64_t j = 0; j < count; ++j) {
    const std::string_view e = sorter.Element(items[start + j]);
    if (o.gets.empty()) {
      list->PushBack(e);
      continue;
    }
    for (std::string_view pattern : o.gets) {
      std::optional<std::string_view> v = sorter.Lookup(pattern, e);
      list->PushBack(v ? *v : std::string_view());
    }
  }
  Entry* old = db.Find(o.store, now_ms);
  if (out.length == 0) {
    delete list;
    if (old != nullptr) out.dst_deleted = db.Delete(o.store);
    return out;
  }
  Entry* fresh = Entry::New(o.store, list);
  if (old != nullptr) {
    db.ReplaceEntry(old, fresh, /*keep_ttl=*/false);
  } else {
    db.Insert(fresh);
  }
  return out;
}

}  // namespace duet
