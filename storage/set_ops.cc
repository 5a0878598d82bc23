#include "storage/set_ops.h"

#include <algorithm>
#include <utility>

namespace duet {
namespace {

// Looks up every key as Redis does before any set algebra: all of them, in
// order, so a key of another type anywhere fails the command. Missing keys
// become null entries.
OpStatus GatherSets(Database& db, const std::string_view* keys, size_t n, int64_t now_ms,
                    LookupCounts* counts, std::vector<const SetValue*>* sets) {
  sets->reserve(n);
  OpStatus status = OpStatus::kOk;
  for (size_t i = 0; i < n; ++i) {
    Entry* e = db.Find(keys[i], now_ms);
    if (e == nullptr) {
      ++counts->misses;
      sets->push_back(nullptr);
      continue;
    }
    ++counts->hits;
    if (e->type != ValueType::kSet) {
      status = OpStatus::kWrongType;
      break;
    }
    sets->push_back(e->object<SetValue>());
  }
  return status;
}

bool AnyMissing(const std::vector<const SetValue*>& sets) {
  return std::find(sets.begin(), sets.end(), nullptr) != sets.end();
}

// Calls fn(member) for each member common to all sets, walking the smallest
// one. fn returns false to stop. REQUIRES: no null set.
template <typename Fn>
void ForEachCommon(std::vector<const SetValue*>& sets, Fn&& fn) {
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) { return a->Size() < b->Size(); });
  const SetValue* smallest = sets[0];
  bool stopped = false;
  smallest->ForEach([&](std::string_view m) {
    if (stopped) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != smallest && !sets[j]->Contains(m)) return;
    }
    if (!fn(m)) stopped = true;
  });
}

SetValue Union(const std::vector<const SetValue*>& sets, const CollectionLimits& limits) {
  SetValue out;
  for (const SetValue* s : sets) {
    if (s != nullptr) s->ForEach([&](std::string_view m) { out.Add(m, limits); });
  }
  return out;
}

// First set minus the others, choosing between Redis's two strategies by the
// same cost estimate, since the strategy decides the result's encoding: one
// adds only the surviving members, the other adds all of the first set and
// removes the rest (an intset that overflowed on the way stays a hashtable).
SetValue Diff(std::vector<const SetValue*>& sets, const CollectionLimits& limits) {
  SetValue out;
  if (sets[0] == nullptr) return out;
  uint64_t probe_work = 0, copy_work = 0;
  for (const SetValue* s : sets) {
    if (s == nullptr) continue;
    probe_work += sets[0]->Size();
    copy_work += s->Size();
  }
  probe_work /= 2;
  if (probe_work <= copy_work) {
    // Probe the largest sets first: a member is most likely found there.
    std::stable_sort(sets.begin() + 1, sets.end(), [](const SetValue* a, const SetValue* b) {
      return (a ? a->Size() : 0) > (b ? b->Size() : 0);
    });
    const SetValue* first = sets[0];
    first->ForEach([&](std::string_view m) {
      for (size_t j = 1; j < sets.size(); ++j) {
        if (sets[j] == nullptr) continue;
        if (sets[j] == first || sets[j]->Contains(m)) return;
      }
      out.Add(m, limits);
    });
    return out;
  }
  sets[0]->ForEach([&](std::string_view m) { out.Add(m, limits); });
  for (size_t j = 1; j < sets.size() && out.Size() > 0; ++j) {
    if (sets[j] != nullptr) sets[j]->ForEach([&](std::string_view m) { out.Remove(m); });
  }
  return out;
}

}  // namespace

OpResult<SetValue*> SetFind(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kSet) return OpStatus::kWrongType;
  return e->object<SetValue>();
}

OpResult<int64_t> SetAdd(Database& db, std::string_view key, const std::string_view* members,
                         size_t n, const CollectionLimits& limits, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type != ValueType::kSet) return OpStatus::kWrongType;
  int64_t added = 0;
  if (e == nullptr) {
    SetValue set;
    for (size_t i = 0; i < n; ++i) added += set.Add(members[i], limits) ? 1 : 0;
    db.Insert(Entry::New(key, std::move(set)));
    return added;
  }
  SetValue* set = e->object<SetValue>();
  for (size_t i = 0; i < n; ++i) added += set->Add(members[i], limits) ? 1 : 0;
  if (added > 0) db.Touch(e);
  return added;
}

OpResult<int64_t> SetRemove(Database& db, std::string_view key, const std::string_view* members,
                            size_t n, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return int64_t{0};
  if (e->type != ValueType::kSet) return OpStatus::kWrongType;
  SetValue* set = e->object<SetValue>();
  int64_t removed = 0;
  for (size_t i = 0; i < n && set->Size() > 0; ++i) removed += set->Remove(members[i]) ? 1 : 0;
  if (set->Size() == 0) {
    db.Delete(key);
  } else if (removed > 0) {
    db.Touch(e);
  }
  return removed;
}

OpResult<bool> SetMove(Database& db, std::string_view src, std::string_view dst,
                       std::string_view member, const CollectionLimits& limits, int64_t now_ms) {
  Entry* s = db.Find(src, now_ms);
  Entry* d = db.Find(dst, now_ms);
  if (s == nullptr) return false;
  if (s->type != ValueType::kSet || (d != nullptr && d->type != ValueType::kSet)) {
    return OpStatus::kWrongType;
  }
  SetValue* from = s->object<SetValue>();
  if (s == d) return from->Contains(member);
  if (!from->Remove(member)) return false;
  if (from->Size() == 0) {
    db.Delete(src);
  } else {
    db.Touch(s);
  }
  if (d == nullptr) {
    SetValue set;
    set.Add(member, limits);
    db.Insert(Entry::New(dst, std::move(set)));
  } else if (d->object<SetValue>()->Add(member, limits)) {
    db.Touch(d);
  }
  return true;
}

OpStatus SetPopOne(Database& db, std::string_view key, int64_t now_ms, SetMemberFn fn) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kSet) return OpStatus::kWrongType;
  SetValue* set = e->object<SetValue>();
  set->PopOne(fn);
  if (set->Size() == 0) {
    db.Delete(key);
  } else {
    db.Touch(e);
  }
  return OpStatus::kOk;
}

OpStatus SetPop(Database& db, std::string_view key, uint64_t count, const CollectionLimits& limits,
                int64_t now_ms, FunctionRef<void(uint64_t)> on_count, SetMemberFn fn) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    on_count(0);
    return OpStatus::kOk;
  }
  if (e->type != ValueType::kSet) return OpStatus::kWrongType;
  SetValue* set = e->object<SetValue>();
  const uint64_t n = std::min<uint64_t>(count, set->Size());
  on_count(n);
  if (n == 0) return OpStatus::kOk;
  set->Pop(n, limits, fn);
  if (set->Size() == 0) {
    db.Delete(key);
  } else {
    db.Touch(e);
  }
  return OpStatus::kOk;
}

OpResult<SetValue> SetCombine(Database& db, const std::string_view* keys, size_t n, SetAlgebra op,
                              const CollectionLimits& limits, int64_t now_ms,
                              LookupCounts* counts) {
  std::vector<const SetValue*> sets;
  OpStatus status = GatherSets(db, keys, n, now_ms, counts, &sets);
  if (status != OpStatus::kOk) return status;
  switch (op) {
    case SetAlgebra::kUnion:
      return Union(sets, limits);
    case SetAlgebra::kDiff:
      return Diff(sets, limits);
    case SetAlgebra::kInter:
      break;
  }
  SetValue out;
  if (AnyMissing(sets)) return out;
  ForEachCommon(sets, [&](std::string_view m) {
    out.Add(m, limits);
    return true;
  });
  return out;
}

OpResult<MemberList> SetInter(Database& db, const std::string_view* keys, size_t n, int64_t now_ms,
                              LookupCounts* counts) {
  std::vector<const SetValue*> sets;
  OpStatus status = GatherSets(db, keys, n, now_ms, counts, &sets);
  if (status != OpStatus::kOk) return status;
  MemberList out;
  if (AnyMissing(sets)) return out;
  ForEachCommon(sets, [&](std::string_view m) {
    out.Add(m);
    return true;
  });
  return out;
}

OpResult<uint64_t> SetInterCard(Database& db, const std::string_view* keys, size_t n,
                                uint64_t limit, int64_t now_ms, LookupCounts* counts) {
  std::vector<const SetValue*> sets;
  OpStatus status = GatherSets(db, keys, n, now_ms, counts, &sets);
  if (status != OpStatus::kOk) return status;
  if (AnyMissing(sets)) return uint64_t{0};
  uint64_t found = 0;
  ForEachCommon(sets, [&](std::string_view) { return ++found != limit; });
  return found;
}

OpResult<uint64_t> SetCombineStore(Database& db, std::string_view dst, const std::string_view* keys,
                                   size_t n, SetAlgebra op, const CollectionLimits& limits,
                                   int64_t now_ms, LookupCounts* counts, bool* dst_deleted) {
  *dst_deleted = false;
  auto res = SetCombine(db, keys, n, op, limits, now_ms, counts);
  if (!res.ok()) return res.status();
  const uint64_t size = res->Size();
  Entry* old = db.Find(dst, now_ms);
  if (size == 0) {
    if (old != nullptr) *dst_deleted = db.Delete(dst);
    return uint64_t{0};
  }
  Entry* fresh = Entry::New(dst, std::move(res.value()));
  if (old != nullptr) {
    db.ReplaceEntry(old, fresh, /*keep_ttl=*/false);
  } else {
    db.Insert(fresh);
  }
  return size;
}

}  // namespace duet
