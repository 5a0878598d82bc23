#include "storage/string_ops.h"

#include <cmath>
#include <limits>

#include "utils/strconv.h"

namespace duet {
namespace {

// Writes `value` into an existing string entry in place when it fits.
Entry* AssignInPlace(Database& db, Entry* e, std::string_view value) {
  Entry* old = e;
  e = Entry::AssignString(e, value);
  db.Relocated(old, e);
  db.Touch(e);
  e->mc_flags = 0;  // a RESP write that replaces the value resets memcached flags
  e->mc_meta = 0;
  return e;
}

}  // namespace

void StringOverwrite(Database& db, std::string_view key, std::string_view value,
                     int64_t expire_at_ms, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type == ValueType::kString) {
    e = AssignInPlace(db, e, value);
    db.SetExpire(e, expire_at_ms);
    return;
  }
  Entry* fresh = Entry::NewString(key, value);
  fresh->expire_ms = expire_at_ms;
  if (e != nullptr) {
    db.ReplaceEntry(e, fresh, /*keep_ttl=*/false);
  } else {
    db.Insert(fresh);
  }
}

void StringSetPlain(Database& db, std::string_view key, std::string_view value, int64_t now_ms) {
  StringOverwrite(db, key, value, 0, now_ms);
}

OpResult<SetOutcome> StringSet(Database& db, std::string_view key, std::string_view value,
                               const SetParams& params, int64_t now_ms) {
  SetOutcome out;
  Entry* e = db.Find(key, now_ms);
  if (params.get_old && e != nullptr) {
    if (e->type != ValueType::kString) return OpStatus::kWrongType;
    out.old_value.emplace(e->str());
  }
  if ((params.condition == SetParams::Condition::kIfAbsent && e != nullptr) ||
      (params.condition == SetParams::Condition::kIfPresent && e == nullptr)) {
    return out;
  }
  int64_t expire = params.expire_at_ms;
  if (params.keep_ttl && e != nullptr) expire = e->expire_ms;
  StringOverwrite(db, key, value, expire, now_ms);
  out.stored = true;
  return out;
}

OpResult<std::string_view> StringGet(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kString) return OpStatus::kWrongType;
  return e->str();
}

OpResult<std::string> StringGetDel(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kString) return OpStatus::kWrongType;
  std::string value(e->str());
  db.Delete(key);
  return value;
}

OpResult<int64_t> StringIncrBy(Database& db, std::string_view key, int64_t delta, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  int64_t current = 0;
  if (e != nullptr) {
    if (e->type != ValueType::kString) return OpStatus::kWrongType;
    if (!ParseInt64(e->str(), &current)) return OpStatus::kNotAnInteger;
  }
  if ((delta < 0 && current < 0 && delta < std::numeric_limits<int64_t>::min() - current) ||
      (delta > 0 && current > 0 && delta > std::numeric_limits<int64_t>::max() - current)) {
    return OpStatus::kOverflow;
  }
  int64_t result = current + delta;
  char buf[24];
  std::string_view text(buf, FormatInt64(result, buf));
  if (e == nullptr) {
    db.Insert(Entry::NewString(key, text));
  } else {
    // In place: INCR keeps the TTL and the memcached flags.
    uint32_t flags = e->mc_flags;
    e = AssignInPlace(db, e, text);
    e->mc_flags = flags;
  }
  return result;
}

OpResult<size_t> StringAppend(Database& db, std::string_view key, std::string_view suffix,
                              size_t max_len, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    db.Insert(Entry::NewString(key, suffix));
    return suffix.size();
  }
  if (e->type != ValueType::kString) return OpStatus::kWrongType;
  size_t old_len = e->v.str.len;
  if (old_len + suffix.size() > max_len) return OpStatus::kTooBig;
  Entry* old = e;
  e = Entry::ResizeString(e, old_len + suffix.size());
  db.Relocated(old, e);
  if (!suffix.empty()) std::memcpy(e->str_data() + old_len, suffix.data(), suffix.size());
  db.Touch(e);
  return static_cast<size_t>(e->v.str.len);
}

OpResult<size_t> StringSetRange(Database& db, std::string_view key, int64_t offset,
                                std::string_view value, size_t max_len, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e != nullptr && e->type != ValueType::kString) return OpStatus::kWrongType;
  if (offset < 0) return OpStatus::kOutOfRange;
  size_t cur = e == nullptr ? 0 : e->v.str.len;
  if (value.empty()) return cur;  // nothing to write; an absent key stays absent
  if (static_cast<uint64_t>(offset) + value.size() > max_len) return OpStatus::kTooBig;
  size_t need = static_cast<size_t>(offset) + value.size();
  if (e == nullptr) {
    e = Entry::NewStringWithCapacity(key, std::string_view(), need);
    db.Insert(e);
  }
  Entry* old = e;
  if (need > e->v.str.len) {
    e = Entry::ResizeString(e, need);
  } else {
    e->str_encoding = StringEncoding::kRaw;
  }
  db.Relocated(old, e);
  std::memcpy(e->str_data() + offset, value.data(), value.size());
  db.Touch(e);
  return static_cast<size_t>(e->v.str.len);
}

OpResult<std::string_view> StringGetRange(Database& db, std::string_view key, int64_t start,
                                          int64_t end, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (e->type != ValueType::kString) return OpStatus::kWrongType;
  std::string_view s = e->str();
  int64_t len = static_cast<int64_t>(s.size());
  if (start < 0 && end < 0 && start > end) return std::string_view();
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return std::string_view();
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

}  // namespace duet

namespace duet {

OpResult<Entry*> StringForBitWrite(Database& db, std::string_view key, size_t min_len,
                                   size_t max_len, int64_t now_ms) {
  if (min_len > max_len) return OpStatus::kTooBig;
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) {
    e = Entry::NewStringWithCapacity(key, std::string_view(), min_len);
    db.Insert(e);
  } else if (e->type != ValueType::kString) {
    return OpStatus::kWrongType;
  }
  Entry* old = e;
  if (e->v.str.len < min_len) {
    e = Entry::ResizeString(e, min_len);
  } else {
    e->str_encoding = StringEncoding::kRaw;
  }
  db.Relocated(old, e);
  return e;
}

OpResult<std::string> StringIncrByFloat(Database& db, std::string_view key, long double delta,
                                        int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  long double current = 0;
  if (e != nullptr) {
    if (e->type != ValueType::kString) return OpStatus::kWrongType;
    if (!ParseLongDouble(e->str(), &current)) return OpStatus::kNotAFloat;
  }
  long double result = current + delta;
  if (std::isnan(result) || std::isinf(result)) return OpStatus::kNanOrInfinity;
  std::string text = FormatLongDouble(result);
  if (e == nullptr) {
    db.Insert(Entry::NewString(key, text));
  } else {
    uint32_t flags = e->mc_flags;
    e = AssignInPlace(db, e, text);
    e->mc_flags = flags;
  }
  return text;
}

}  // namespace duet
