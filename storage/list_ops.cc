#include "storage/list_ops.h"

#include <string>

#include "storage/list_value.h"

namespace duet {
namespace {

// The live list at key; null with *status set when absent or of another type.
Entry* FindList(Database& db, std::string_view key, int64_t now_ms, OpStatus* status) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    *status = OpStatus::kKeyNotFound;
    return nullptr;
  }
  if (e->type != ValueType::kList) {
    *status = OpStatus::kWrongType;
    return nullptr;
  }
  *status = OpStatus::kOk;
  return e;
}

ListValue* Value(Entry* e) { return e->object<ListValue>(); }

// After a removal: deletes the key if the list is empty, else stamps it.
void AfterRemoval(Database& db, Entry* e) {
  if (Value(e)->Length() == 0) {
    db.Delete(e->key());
  } else {
    db.Touch(e);
  }
}

void Push(ListValue* list, const std::string_view* values, size_t n, ListEnd end) {
  if (end == ListEnd::kHead) {
    list->PushFront(values, n);
  } else {
    list->PushBack(values, n);
  }
}

}  // namespace

OpStatus ListCheck(Database& db, std::string_view key, int64_t now_ms) {
  OpStatus st;
  FindList(db, key, now_ms, &st);
  return st;
}

OpResult<size_t> ListPush(Database& db, std::string_view key, const std::string_view* values,
                          size_t n, ListEnd end, bool only_existing, const CollectionLimits& limits,
                          int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    if (only_existing) return size_t{0};
    auto* list = new ListValue(limits);
    Push(list, values, n, end);
    db.Insert(Entry::New(key, list));
    return list->Length();
  }
  if (e->type != ValueType::kList) return OpStatus::kWrongType;
  Push(Value(e), values, n, end);
  db.Touch(e);
  return Value(e)->Length();
}

OpResult<size_t> ListPop(Database& db, std::string_view key, ListEnd end, size_t count,
                         CountFn on_count, ElementFn fn, int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  ListValue* list = Value(e);
  size_t len = list->Length();
  size_t k = count < len ? count : len;
  on_count(k);
  if (k == 0) return size_t{0};
  if (end == ListEnd::kHead) {
    list->PopFront(k, fn);
  } else {
    list->PopBack(k, fn);
  }
  AfterRemoval(db, e);
  return k;
}

OpResult<size_t> ListLength(Database& db, std::string_view key, int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  return Value(e)->Length();
}

OpResult<size_t> ListRange(Database& db, std::string_view key, int64_t start, int64_t stop,
                           CountFn on_count, ElementFn fn, int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  const ListValue* list = Value(e);
  size_t n = list->RangeLength(start, stop);
  on_count(n);
  if (n > 0) list->Range(start, stop, fn);
  return n;
}

OpStatus ListIndex(Database& db, std::string_view key, int64_t index, ElementFn fn,
                   int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  return Value(e)->Index(index, fn) ? OpStatus::kOk : OpStatus::kOutOfRange;
}

OpStatus ListSet(Database& db, std::string_view key, int64_t index, std::string_view value,
                 int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  st = Value(e)->Set(index, value);
  if (st == OpStatus::kOk) db.Touch(e);
  return st;
}

OpResult<int64_t> ListInsert(Database& db, std::string_view key, bool before,
                             std::string_view pivot, std::string_view value, int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  int64_t len = Value(e)->Insert(pivot, value, before);
  if (len > 0) db.Touch(e);
  return len;
}

OpResult<size_t> ListRemove(Database& db, std::string_view key, int64_t count,
                            std::string_view value, int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  size_t removed = Value(e)->Remove(count, value);
  if (removed > 0) AfterRemoval(db, e);
  return removed;
}

OpResult<size_t> ListTrim(Database& db, std::string_view key, int64_t start, int64_t stop,
                          int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  size_t before = Value(e)->Length();
  Value(e)->Trim(start, stop);
  size_t removed = before - Value(e)->Length();
  if (removed > 0) AfterRemoval(db, e);
  return removed;
}

OpResult<size_t> ListPos(Database& db, std::string_view key, std::string_view value, int64_t rank,
                         int64_t count, int64_t maxlen, FunctionRef<void(int64_t)> fn,
                         int64_t now_ms) {
  OpStatus st;
  Entry* e = FindList(db, key, now_ms, &st);
  if (e == nullptr) return st;
  return Value(e)->Pos(value, rank, count, maxlen, fn);
}

OpStatus ListMove(Database& db, std::string_view src, std::string_view dst, ListEnd from,
                  ListEnd to, const CollectionLimits& limits, ElementFn fn, int64_t now_ms) {
  OpStatus st;
  Entry* se = FindList(db, src, now_ms, &st);
  if (se == nullptr) return st;
  Entry* de = db.Find(dst, now_ms);
  if (de != nullptr && de->type != ValueType::kList) return OpStatus::kWrongType;
  // The popped view dies with the pop, and pushing inside the callback could
  // touch the same quicklist (src == dst); one reused buffer avoids a heap
  // allocation per move once it has grown.
  static std::string moved;
  ListValue* sl = Value(se);
  auto keep = [](std::string_view v) { moved.assign(v.data(), v.size()); };
  if (from == ListEnd::kHead) {
    sl->PopFront(1, keep);
  } else {
    sl->PopBack(1, keep);
  }
  std::string_view v(moved);
  if (de == nullptr) {
    auto* list = new ListValue(limits);
    Push(list, &v, 1, to);
    db.Insert(Entry::New(dst, list));
  } else {
    Push(Value(de), &v, 1, to);
    if (de != se) db.Touch(de);
  }
  fn(v);
  // Entries never move when other keys are inserted, so `se` is still valid.
  AfterRemoval(db, se);
  return OpStatus::kOk;
}

OpResult<size_t> ListFirstNonEmpty(Database& db, const std::string_view* keys, size_t n,
                                   int64_t now_ms) {
  for (size_t i = 0; i < n; ++i) {
    Entry* e = db.Find(keys[i], now_ms);
    if (e == nullptr) continue;
    if (e->type != ValueType::kList) return OpStatus::kWrongType;
    if (Value(e)->Length() > 0) return i;
  }
  return OpStatus::kKeyNotFound;
}

}  // namespace duet
