#include "storage/hash_ops.h"

#include <cmath>
#include <limits>

#include "storage/listpack.h"
#include "utils/strconv.h"

namespace duet {
namespace {

// The hash at key for a write: created (and inserted) when absent.
OpResult<Entry*> FindOrCreate(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    e = Entry::New(key, HashValue());
    db.Insert(e);
    return e;
  }
  if (e->type != ValueType::kHash) return OpStatus::kWrongType;
  return e;
}

}  // namespace

OpResult<const HashValue*> HashFind(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kHash) return OpStatus::kWrongType;
  return e->object<HashValue>();
}

OpResult<int64_t> HashSet(Database& db, std::string_view key, const std::string_view* pairs,
                          size_t n_pairs, const CollectionLimits& limits, int64_t now_ms) {
  auto e = FindOrCreate(db, key, now_ms);
  if (!e.ok()) return e.status();
  HashValue* h = (*e)->object<HashValue>();
  int64_t created = 0;
  for (size_t i = 0; i < n_pairs; ++i) {
    created += h->Set(pairs[2 * i], pairs[2 * i + 1], limits) ? 1 : 0;
  }
  db.Touch(*e);
  db.PackValue(*e);
  return created;
}

OpResult<bool> HashSetNx(Database& db, std::string_view key, std::string_view field,
                         std::string_view value, const CollectionLimits& limits, int64_t now_ms) {
  auto e = FindOrCreate(db, key, now_ms);
  if (!e.ok()) return e.status();
  if (!(*e)->object<HashValue>()->SetNx(field, value, limits)) return false;
  db.Touch(*e);
  db.PackValue(*e);
  return true;
}

OpResult<int64_t> HashDelete(Database& db, std::string_view key, const std::string_view* fields,
                             size_t n, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return int64_t{0};
  if (e->type != ValueType::kHash) return OpStatus::kWrongType;
  HashValue* h = e->object<HashValue>();
  int64_t deleted = 0;
  for (size_t i = 0; i < n && h->Length() > 0; ++i) deleted += h->Delete(fields[i]) ? 1 : 0;
  if (h->Length() == 0) {
    db.Delete(key);
  } else if (deleted > 0) {
    db.Touch(e);
    db.PackValue(e);
  }
  return deleted;
}

OpResult<int64_t> HashIncrBy(Database& db, std::string_view key, std::string_view field,
                             int64_t delta, const CollectionLimits& limits, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type != ValueType::kHash) return OpStatus::kWrongType;
  int64_t current = 0;
  if (e != nullptr) {
    char scratch[lp::kIntBufSize];
    auto v = e->object<HashValue>()->Get(field, scratch);
    if (v && !ParseInt64(*v, &current)) return OpStatus::kNotAnInteger;
  }
  if ((delta < 0 && current < 0 && delta < std::numeric_limits<int64_t>::min() - current) ||
      (delta > 0 && current > 0 && delta > std::numeric_limits<int64_t>::max() - current)) {
    return OpStatus::kOverflow;
  }
  const int64_t result = current + delta;
  char buf[kMaxInt64Chars];
  const std::string_view text(buf, FormatInt64(result, buf));
  if (e == nullptr) {
    e = Entry::New(key, HashValue());
    db.Insert(e);
  }
  e->object<HashValue>()->Set(field, text, limits);
  db.Touch(e);
  db.PackValue(e);
  return result;
}

OpResult<std::string> HashIncrByFloat(Database& db, std::string_view key, std::string_view field,
                                      long double delta, const CollectionLimits& limits,
                                      int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type != ValueType::kHash) return OpStatus::kWrongType;
  long double current = 0;
  if (e != nullptr) {
    char scratch[lp::kIntBufSize];
    auto v = e->object<HashValue>()->Get(field, scratch);
    if (v && !ParseLongDouble(*v, &current)) return OpStatus::kNotAFloat;
  }
  const long double result = current + delta;
  if (std::isnan(result) || std::isinf(result)) return OpStatus::kNanOrInfinity;
  std::string text = FormatLongDouble(result);
  if (e == nullptr) {
    e = Entry::New(key, HashValue());
    db.Insert(e);
  }
  e->object<HashValue>()->Set(field, text, limits);
  db.Touch(e);
  db.PackValue(e);
  return text;
}

}  // namespace duet
