#include "storage/zset_ops.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "utils/strconv.h"

namespace duet {
namespace {

// The sorted set at key for writing, or null with *status set.
ZSetValue* FindForWrite(Database& db, std::string_view key, int64_t now_ms, Entry** entry,
                        OpStatus* status) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    *status = OpStatus::kKeyNotFound;
    return nullptr;
  }
  if (e->type != ValueType::kZSet) {
    *status = OpStatus::kWrongType;
    return nullptr;
  }
  *entry = e;
  return e->object<ZSetValue>();
}

// After removing members: an emptied set goes away as a key; otherwise the
// entry gets a new version.
void AfterRemoval(Database& db, std::string_view key, Entry* e, uint64_t removed) {
  if (removed == 0) return;
  if (e->object<ZSetValue>()->Size() == 0) {
    db.Delete(key);
  } else {
    db.Touch(e);
    db.PackValue(e);
  }
}

// Redis's clamping of rank arguments; false when the range is empty.
bool ClampRanks(int64_t start, int64_t stop, uint64_t size, uint64_t* first, uint64_t* last) {
  const auto len = static_cast<int64_t>(size);
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start > stop || start >= len) return false;
  if (stop >= len) stop = len - 1;
  *first = static_cast<uint64_t>(start);
  *last = static_cast<uint64_t>(stop);
  return true;
}

// Entries left of `total` after skipping `offset` and capping at `limit`.
uint64_t ApplyLimit(uint64_t total, int64_t offset, int64_t limit) {
  if (offset < 0) return 0;
  const auto off = static_cast<uint64_t>(offset);
  const uint64_t left = off >= total ? 0 : total - off;
  return limit < 0 ? left : std::min(left, static_cast<uint64_t>(limit));
}

void Aggregate(double* target, double value, ZAggregate agg) {
  switch (agg) {
    case ZAggregate::kSum:
      *target += value;
      // inf + -inf: Redis's convention is 0, never a NaN score.
      if (std::isnan(*target)) *target = 0;
      break;
    case ZAggregate::kMin:
      if (value < *target) *target = value;
      break;
    case ZAggregate::kMax:
      if (value > *target) *target = value;
      break;
  }
}

double Weighted(double score, double weight) {
  const double v = score * weight;
  return std::isnan(v) ? 0 : v;
}

// Union and intersection visit the inputs from the smallest; a stable sort
// keeps equal-sized inputs in argument order, as Redis's merge-sort qsort does,
// so sums round identically.
void SortBySize(std::span<ZSetSource> sources) {
  std::stable_sort(sources.begin(), sources.end(),
                   [](const ZSetSource& a, const ZSetSource& b) { return a.Size() < b.Size(); });
}

// The accumulator never leaves the skiplist encoding, so limits are unused.
const CollectionLimits kAccumulatorLimits{};

// Fills a new value from a range walk (ZRANGESTORE).
class StoreSink final : public ZRangeSink {
 public:
  explicit StoreSink(const CollectionLimits& limits) : limits_(limits) {}
  void Begin(uint64_t count) override { value_ = ZSetValue::ForSize(count, limits_); }
  void Emit(std::string_view member, double score) override {
    value_.Add(member, score, 0, limits_);
  }
  ZSetValue& value() { return value_; }

 private:
  const CollectionLimits& limits_;
  ZSetValue value_;
};

}  // namespace

OpResult<const ZSetValue*> ZSetFind(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kZSet) return OpStatus::kWrongType;
  return static_cast<const ZSetValue*>(e->object<ZSetValue>());
}

OpResult<ZAddResult> ZSetAdd(Database& db, std::string_view key, std::span<const ZAddItem> items,
                             unsigned flags, const CollectionLimits& limits, int64_t now_ms) {
  ZAddResult res;
  if (items.empty()) return res;
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type != ValueType::kZSet) return OpStatus::kWrongType;
  bool created = false;
  if (e == nullptr) {
    if (flags & ZSetValue::kAddXX) return res;
    e = Entry::New(key, ZSetValue::ForNewKey(items[0].member, limits));
    db.Insert(e);
    created = true;
  }
  ZSetValue* z = e->object<ZSetValue>();
  for (const ZAddItem& item : items) {
    const ZSetValue::AddResult r = z->Add(item.member, item.score, flags, limits);
    switch (r.outcome) {
      case ZSetValue::AddOutcome::kAdded:
        ++res.added;
        break;
      case ZSetValue::AddOutcome::kUpdated:
        ++res.updated;
        break;
      case ZSetValue::AddOutcome::kUnchanged:
        break;
      case ZSetValue::AddOutcome::kNotPerformed:
        continue;
      case ZSetValue::AddOutcome::kNaN:
        res.nan = true;
        break;
    }
    if (res.nan) break;
    ++res.processed;
    res.score = r.score;
  }
  if (created || res.added != 0 || res.updated != 0) {
    if (!created) db.Touch(e);
    db.PackValue(e);
  }
  return res;
}

OpResult<uint64_t> ZSetRemove(Database& db, std::string_view key,
                              std::span<const std::string_view> members, int64_t now_ms) {
  Entry* e = nullptr;
  OpStatus st = OpStatus::kOk;
  ZSetValue* z = FindForWrite(db, key, now_ms, &e, &st);
  if (z == nullptr) return st;
  uint64_t removed = 0;
  for (std::string_view m : members) {
    if (z->Remove(m)) ++removed;
    if (z->Size() == 0) break;
  }
  AfterRemoval(db, key, e, removed);
  return removed;
}

OpResult<uint64_t> ZSetRemoveRange(Database& db, std::string_view key, const ZRangeSpec& spec,
                                   int64_t now_ms) {
  Entry* e = nullptr;
  OpStatus st = OpStatus::kOk;
  ZSetValue* z = FindForWrite(db, key, now_ms, &e, &st);
  if (z == nullptr) return st;
  uint64_t removed = 0;
  switch (spec.by) {
    case ZRangeSpec::By::kRank:
      removed = z->RemoveRangeByRank(spec.start, spec.stop);
      break;
    case ZRangeSpec::By::kScore:
      removed = z->RemoveRangeByScore(spec.score);
      break;
    case ZRangeSpec::By::kLex:
      removed = z->RemoveRangeByLex(spec.lex);
      break;
  }
  AfterRemoval(db, key, e, removed);
  return removed;
}

OpResult<uint64_t> ZSetPop(Database& db, std::string_view key, uint64_t count, bool from_max,
                           ZRangeSink& sink, int64_t now_ms) {
  Entry* e = nullptr;
  OpStatus st = OpStatus::kOk;
  ZSetValue* z = FindForWrite(db, key, now_ms, &e, &st);
  if (z == nullptr) return st;
  const uint64_t n = std::min<uint64_t>(count, z->Size());
  sink.Begin(n);
  z->Pop(n, from_max, [&](std::string_view m, double s) { sink.Emit(m, s); });
  AfterRemoval(db, key, e, n);
  return n;
}

uint64_t ZSetRangeCount(const ZSetValue& z, const ZRangeSpec& spec) {
  switch (spec.by) {
    case ZRangeSpec::By::kRank: {
      uint64_t first, last;
      return ClampRanks(spec.start, spec.stop, z.Size(), &first, &last) ? last - first + 1 : 0;
    }
    case ZRangeSpec::By::kScore:
      if (spec.offset < 0 || spec.limit == 0) return 0;
      return ApplyLimit(z.CountByScore(spec.score), spec.offset, spec.limit);
    case ZRangeSpec::By::kLex:
      // Counted by the same walk that emits: when members do not share one
      // score, lex order is not set order and rank arithmetic could promise
      // the reply more entries than the walk finds.
      if (spec.offset < 0 || spec.limit == 0) return 0;
      return z.RangeByLex(spec.lex, spec.reverse, spec.offset, spec.limit,
                          [](std::string_view, double) {});
  }
  return 0;
}

uint64_t ZSetRange(const ZSetValue& z, const ZRangeSpec& spec, ZRangeSink& sink) {
  const uint64_t n = ZSetRangeCount(z, spec);
  sink.Begin(n);
  if (n == 0) return 0;
  auto emit = [&](std::string_view m, double s) { sink.Emit(m, s); };
  // The count caps the walk; a reply whose length disagrees with its entries
  // would corrupt the connection, hence the check.
  const auto cap = static_cast<int64_t>(n);
  uint64_t emitted = 0;
  switch (spec.by) {
    case ZRangeSpec::By::kRank:
      emitted = z.RangeByRank(spec.start, spec.stop, spec.reverse, emit);
      break;
    case ZRangeSpec::By::kScore:
      emitted = z.RangeByScore(spec.score, spec.reverse, spec.offset, cap, emit);
      break;
    case ZRangeSpec::By::kLex:
      emitted = z.RangeByLex(spec.lex, spec.reverse, spec.offset, cap, emit);
      break;
  }
  assert(emitted == n);
  return emitted;
}

bool ZSetStore(Database& db, std::string_view key, ZSetValue value, const CollectionLimits& limits,
               int64_t now_ms) {
  Entry* old = db.Find(key, now_ms);
  if (value.Size() == 0) return old != nullptr && db.Delete(key);
  value.ConvertToListpackIfFits(limits);
  Entry* fresh = Entry::New(key, std::move(value));
  if (old != nullptr) {
    db.ReplaceEntry(old, fresh, /*keep_ttl=*/false);
  } else {
    db.Insert(fresh);
  }
  return true;
}

uint64_t ZSetRangeStore(Database& db, std::string_view dst, const ZSetValue* src,
                        const ZRangeSpec& spec, const CollectionLimits& limits, int64_t now_ms,
                        bool* changed) {
  StoreSink sink(limits);
  uint64_t n = 0;
  if (src != nullptr) {
    n = ZSetRange(*src, spec, sink);
  } else {
    sink.Begin(0);
  }
  *changed = ZSetStore(db, dst, std::move(sink.value()), limits, now_ms);
  return n;
}

// --- Set algebra ---------------------------------------------------------------------

size_t ZSetSource::Size() const {
  if (zset != nullptr) return zset->Size();
  if (set != nullptr) return set->Size();
  return 0;
}

bool ZSetSource::Find(std::string_view member, double* score) const {
  if (zset != nullptr) {
    const std::optional<double> s = zset->Score(member);
    if (!s) return false;
    *score = *s;
    return true;
  }
  if (set != nullptr && set->Contains(member)) {
    *score = 1;
    return true;
  }
  return false;
}

void ZSetSource::ForEach(ZSetValue::EntryFn fn) const {
  if (zset != nullptr) {
    zset->ForEach(fn);
  } else if (set != nullptr) {
    set->ForEach([&](std::string_view m) { fn(m, 1.0); });
  }
}

OpResult<ZSetSource> ZSetSourceAt(Database& db, std::string_view key, int64_t now_ms) {
  ZSetSource src;
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return src;
  if (e->type == ValueType::kZSet) {
    src.zset = e->object<ZSetValue>();
  } else if (e->type == ValueType::kSet) {
    src.set = e->object<SetValue>();
  } else {
    return OpStatus::kWrongType;
  }
  return src;
}

ZSetValue ZSetCombine(std::span<ZSetSource> sources, ZSetOp op, ZAggregate agg) {
  ZSetValue out = ZSetValue::EmptySkiplist();
  if (sources.empty()) return out;
  switch (op) {
    case ZSetOp::kUnion:
      SortBySize(sources);
      for (const ZSetSource& src : sources) {
        src.ForEach([&](std::string_view m, double s) {
          const double score = Weighted(s, src.weight);
          const std::optional<double> cur = out.Score(m);
          if (!cur) {
            out.Add(m, score, 0, kAccumulatorLimits);
            return;
          }
          double next = *cur;
          Aggregate(&next, score, agg);
          if (next != *cur) {
            out.Add(m, next, 0, kAccumulatorLimits);
          } else if (std::signbit(next) != std::signbit(*cur)) {
            // -0 + 0 is +0, but Add treats equal scores as no change.
            out.Remove(m);
            out.Add(m, next, 0, kAccumulatorLimits);
          }
        });
      }
      break;
    case ZSetOp::kInter: {
      SortBySize(sources);
      const ZSetSource& first = sources[0];
      first.ForEach([&](std::string_view m, double s) {
        double score = Weighted(s, first.weight);
        for (size_t j = 1; j < sources.size(); ++j) {
          double other;
          if (!sources[j].Find(m, &other)) return;
          Aggregate(&score, other * sources[j].weight, agg);
        }
        out.Add(m, score, 0, kAccumulatorLimits);
      });
      break;
    }
    case ZSetOp::kDiff:
      sources[0].ForEach([&](std::string_view m, double s) {
        double ignored;
        for (size_t j = 1; j < sources.size(); ++j) {
          if (sources[j].Find(m, &ignored)) return;
        }
        out.Add(m, s, 0, kAccumulatorLimits);
      });
      break;
  }
  return out;
}

uint64_t ZSetInterCard(std::span<ZSetSource> sources, uint64_t limit) {
  if (sources.empty()) return 0;
  SortBySize(sources);
  uint64_t count = 0;
  // ForEach cannot stop early; once the limit is reached the rest is skipped.
  sources[0].ForEach([&](std::string_view m, double) {
    if (limit != 0 && count >= limit) return;
    double ignored;
    for (size_t j = 1; j < sources.size(); ++j) {
      if (!sources[j].Find(m, &ignored)) return;
    }
    ++count;
  });
  return count;
}

size_t FormatZScanScore(double score, bool listpack, char* buf) {
  constexpr double kIntLimit = 4611686018427387904.0;  // 2^62
  if (listpack && score >= -kIntLimit && score <= kIntLimit) {
    const auto ll = static_cast<int64_t>(score);
    if (static_cast<double>(ll) == score) return FormatInt64(ll, buf);
  }
  return FormatDouble(score, buf);
}

}  // namespace duet
