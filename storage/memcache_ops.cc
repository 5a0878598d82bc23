#include "storage/memcache_ops.h"

#include <cstring>

#include "utils/strconv.h"

namespace duet {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Replaces the value of a live string entry in place; new version. Returns the
// (possibly moved) entry.
Entry* Assign(Database& db, Entry* e, std::string_view value) {
  Entry* old = e;
  e = Entry::AssignString(e, value);
  db.Relocated(old, e);
  db.Touch(e);
  return e;
}

Entry* Concat(Database& db, Entry* e, std::string_view piece, bool append) {
  size_t old_len = e->v.str.len;
  Entry* old = e;
  e = Entry::ResizeString(e, old_len + piece.size());
  db.Relocated(old, e);
  char* data = e->str_data();
  if (!append) std::memmove(data + piece.size(), data, old_len);
  if (!piece.empty()) std::memcpy(append ? data + old_len : data, piece.data(), piece.size());
  // A short result reads like a freshly stored value (OBJECT ENCODING).
  e->str_encoding = ClassifyString(e->str());
  db.Touch(e);
  return e;
}

}  // namespace

int64_t McExpireAt(int64_t exptime, int64_t now_ms) {
  if (exptime == 0) return 0;
  if (exptime < 0) return kMcExpired;
  if (exptime <= kMcRelativeExptimeMax) return now_ms + exptime * 1000;
  // An absolute Unix time; clamp absurd values instead of overflowing.
  if (exptime > INT64_MAX / 1000) return INT64_MAX;
  int64_t at = exptime * 1000;
  return at <= now_ms ? kMcExpired : at;
}

Entry* McLookup(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  return e != nullptr && e->type == ValueType::kString ? e : nullptr;
}

Entry* McPeek(Database& db, std::string_view key, int64_t now_ms) {
  Entry* e = db.FindNoTouch(key, now_ms);
  return e != nullptr && e->type == ValueType::kString ? e : nullptr;
}

McStoreResult McStore(Database& db, std::string_view key, std::string_view value,
                      const McStoreArgs& args, int64_t now_ms) {
  Entry* any = db.Find(key, now_ms);
  Entry* item = any != nullptr && any->type == ValueType::kString ? any : nullptr;
  if (args.check_cas) {
    if (item == nullptr) return {McStoreStatus::kNotFound, nullptr};
    if (item->version != args.cas) return {McStoreStatus::kExists, nullptr};
  }
  switch (args.mode) {
    case McStoreMode::kSet:
      break;
    case McStoreMode::kAdd:
      if (any != nullptr) return {McStoreStatus::kNotStored, nullptr};
      break;
    case McStoreMode::kReplace:
      if (item == nullptr) return {McStoreStatus::kNotStored, nullptr};
      break;
    case McStoreMode::kAppend:
    case McStoreMode::kPrepend: {
      if (item == nullptr) return {McStoreStatus::kNotStored, nullptr};
      if (item->v.str.len + value.size() > args.max_len) {
        return {McStoreStatus::kNotStored, nullptr};
      }
      Entry* e = Concat(db, item, value, args.mode == McStoreMode::kAppend);
      e->mc_meta = 0;
      return {McStoreStatus::kStored, e};
    }
  }
  if (args.expire_ms == kMcExpired) {
    if (any != nullptr) db.Delete(key);
    return {McStoreStatus::kStored, nullptr};
  }
  Entry* e;
  if (item != nullptr) {
    e = Assign(db, item, value);
    db.SetExpire(e, args.expire_ms);
  } else {
    e = Entry::NewString(key, value);
    e->expire_ms = args.expire_ms;
    if (any != nullptr) {
      db.ReplaceEntry(any, e, /*keep_ttl=*/false);
    } else {
      db.Insert(e);
    }
  }
  e->mc_flags = args.flags;
  e->mc_meta = 0;
  return {McStoreStatus::kStored, e};
}

bool McTouch(Database& db, std::string_view key, int64_t expire_ms, int64_t now_ms) {
  Entry* e = McLookup(db, key, now_ms);
  if (e == nullptr) return false;
  if (expire_ms == kMcExpired) {
    db.Delete(key);
  } else {
    db.SetExpire(e, expire_ms);
  }
  return true;
}

McDeleteStatus McDelete(Database& db, std::string_view key, bool check_cas, uint64_t cas,
                        int64_t now_ms) {
  Entry* e = McLookup(db, key, now_ms);
  if (e == nullptr) return McDeleteStatus::kNotFound;
  if (check_cas && e->version != cas) return McDeleteStatus::kExists;
  db.Delete(key);
  return McDeleteStatus::kDeleted;
}

bool McParseCounter(std::string_view text, uint64_t* out) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    neg = text[i] == '-';
    ++i;
  }
  size_t digits_start = i;
  uint64_t v = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
    ++i;
  }
  if (i == digits_start) return false;
  if (i < text.size() && !IsSpace(text[i])) return false;
  if (neg && v != 0) return false;
  *out = v;
  return true;
}

McDeltaResult McDelta(Database& db, std::string_view key, const McDeltaArgs& args, int64_t now_ms) {
  Entry* e = McLookup(db, key, now_ms);
  char buf[kMaxInt64Chars];
  if (e == nullptr) {
    // A name holding another type is taken: no counter is created over it.
    if (!args.create || args.check_cas || db.Find(key, now_ms) != nullptr) {
      return {McDeltaStatus::kNotFound};
    }
    if (args.create_expire_ms == kMcExpired) return {McDeltaStatus::kOk, args.initial, nullptr};
    Entry* fresh = Entry::NewString(key, std::string_view(buf, FormatUint64(args.initial, buf)));
    fresh->expire_ms = args.create_expire_ms;
    db.Insert(fresh);
    return {McDeltaStatus::kOk, args.initial, fresh};
  }
  if (args.check_cas && e->version != args.cas) return {McDeltaStatus::kExists};
  uint64_t v;
  if (!McParseCounter(e->str(), &v)) return {McDeltaStatus::kNonNumeric};
  if (args.incr) {
    v += args.delta;  // wraps around 2^64
  } else {
    v = args.delta > v ? 0 : v - args.delta;
  }
  e = Assign(db, e, std::string_view(buf, FormatUint64(v, buf)));
  return {McDeltaStatus::kOk, v, e};
}

}  // namespace duet
