#include "storage/key_ops.h"

#include "storage/value_destroy.h"

namespace duet {

Entry* CloneEntry(const Entry* e, std::string_view new_key) {
  Entry* copy;
  if (e->type == ValueType::kString) {
    copy = Entry::NewString(new_key, e->str());
    copy->str_encoding = e->str_encoding;
  } else {
    copy = CloneCollection(*e, new_key);
  }
  copy->mc_flags = e->mc_flags;
  return copy;
}

OpResult<bool> KeyRename(Database& db, std::string_view src, std::string_view dst, bool nx,
                         int64_t now_ms) {
  Entry* e = db.Find(src, now_ms);
  if (e == nullptr) return OpStatus::kKeyNotFound;
  if (src == dst) return !nx;
  Entry* existing = db.Find(dst, now_ms);
  if (existing != nullptr) {
    if (nx) return false;
    db.Delete(dst);
  }
  // The key bytes are part of the entry, so a rename re-allocates the entry;
  // a collection value moves over without being copied.
  db.Insert(Entry::Rekey(db.Detach(src), dst));
  return true;
}

bool KeyCopy(Database& src_db, std::string_view src, Database& dst_db, std::string_view dst,
             bool replace, int64_t now_ms) {
  Entry* e = src_db.Find(src, now_ms);
  if (e == nullptr) return false;
  Entry* existing = dst_db.Find(dst, now_ms);
  if (existing != nullptr && !replace) return false;
  Entry* copy = CloneEntry(e, dst);
  copy->expire_ms = e->expire_ms;
  if (existing != nullptr) {
    dst_db.ReplaceEntry(existing, copy, /*keep_ttl=*/false);
  } else {
    dst_db.Insert(copy);
  }
  return true;
}

bool KeyMove(Database& src_db, Database& dst_db, std::string_view key, int64_t now_ms) {
  Entry* e = src_db.Find(key, now_ms);
  if (e == nullptr) return false;
  if (dst_db.Find(key, now_ms) != nullptr) return false;
  Entry* detached = src_db.Detach(key);
  dst_db.Insert(detached);
  return true;
}

OpResult<bool> KeyExpire(Database& db, std::string_view key, int64_t at_ms, ExpireCondition cond,
                         int64_t now_ms) {
  Entry* e = db.Find(key, now_ms);
  if (e == nullptr) return false;
  // No expiry counts as an infinite TTL for GT/LT.
  bool has = e->has_expire();
  switch (cond) {
    case ExpireCondition::kNx:
      if (has) return false;
      break;
    case ExpireCondition::kXx:
      if (!has) return false;
      break;
    case ExpireCondition::kGt:
      if (!has || at_ms <= e->expire_ms) return false;
      break;
    case ExpireCondition::kLt:
      if (has && at_ms >= e->expire_ms) return false;
      break;
    case ExpireCondition::kAlways:
      break;
  }
  if (at_ms <= now_ms) {
    db.Delete(key);
    return true;
  }
  db.SetExpire(e, at_ms);
  db.Touch(e);
  return true;
}

}  // namespace duet
