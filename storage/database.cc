#include "storage/database.h"

#include <utility>

namespace duet {
namespace {

// Types a blocking command can wait for (BLPOP..., BZPOPMIN...).
bool IsBlockableType(ValueType t) { return t == ValueType::kList || t == ValueType::kZSet; }

}  // namespace

Database::~Database() { Clear(); }

Entry* Database::Find(std::string_view key, int64_t now_ms) {
  Entry* e = FindNoTouch(key, now_ms);
  if (e != nullptr && access_ != nullptr) TouchEntry(e, *access_);
  return e;
}

Entry* Database::FindNoTouch(std::string_view key, int64_t now_ms) {
  Entry* e = dict_.Find(key);
  if (e != nullptr && e->expire_ms != 0 && e->expire_ms <= now_ms) {
    ExpireNow(e);
    return nullptr;
  }
  return e;
}

void Database::Insert(Entry* e) {
  e->version = ++*version_counter_;
  // A fresh entry has access 0; a moved one (RENAME, MOVE) keeps its stamp.
  if (access_ != nullptr && e->access == 0) StampNewEntry(e, *access_);
  dict_.Insert(e);
  if (e->expire_ms != 0) IndexExpire(e);
  if (insert_listeners_ > 0 && observer_ != nullptr) observer_->OnInserted(index_, e->key());
  if (IsBlockableType(e->type) && observer_ != nullptr)
    observer_->OnBlockableStored(index_, e->key());
}

Entry* Database::InsertIfAbsent(Entry* e) {
  if (Entry* existing = dict_.InsertIfAbsent(e)) return existing;
  e->version = ++*version_counter_;
  if (e->expire_ms != 0) IndexExpire(e);
  return nullptr;
}

void Database::ReplaceEntry(Entry* old, Entry* repl, bool keep_ttl) {
  if (old->expire_ms != 0) UnindexExpire(old);
  repl->expire_ms = keep_ttl ? old->expire_ms : repl->expire_ms;
  repl->version = ++*version_counter_;
  if (access_ != nullptr) {
    // Like Redis, an overwritten key keeps its LFU history.
    if (access_->lfu) {
      repl->access = old->access;
    } else if (repl->access == 0) {
      StampNewEntry(repl, *access_);
    }
  }
  dict_.Replace(old, repl);
  if (repl->expire_ms != 0) IndexExpire(repl);
  Entry::Free(old);
  if (IsBlockableType(repl->type) && observer_ != nullptr) {
    observer_->OnBlockableStored(index_, repl->key());
  }
}

void Database::Relocated(Entry* old_ptr_value, Entry* e) {
  if (old_ptr_value == e) return;
  // `old_ptr_value` was released by realloc; only its address is compared to
  // find the chain link that must now point at `e`.
  dict_.Relocate(old_ptr_value, e);
  if (e->expire_ms != 0) {
    // The index entry still points at the old address: match it by address,
    // since reading a key through it would touch released memory.
    ExpireRef* ref = expires_.FindInBucket(
        e->key(), [&](const ExpireRef* r) { return r->entry == old_ptr_value; });
    if (ref != nullptr) ref->entry = e;
  }
}

bool Database::Delete(std::string_view key) {
  Entry* e = dict_.Unlink(key);
  if (e == nullptr) return false;
  if (e->expire_ms != 0) UnindexExpire(e);
  Entry::Free(e);
  return true;
}

Entry* Database::Detach(std::string_view key) {
  Entry* e = dict_.Unlink(key);
  if (e != nullptr && e->expire_ms != 0) UnindexExpire(e);
  return e;
}

void Database::SetExpire(Entry* e, int64_t expire_ms) {
  if (e->expire_ms == 0 && expire_ms != 0) {
    e->expire_ms = expire_ms;
    IndexExpire(e);
  } else if (e->expire_ms != 0 && expire_ms == 0) {
    UnindexExpire(e);
    e->expire_ms = 0;
  } else {
    e->expire_ms = expire_ms;
  }
}

size_t Database::Clear() {
  size_t n = dict_.size();
  expires_.Clear([](ExpireRef* r) { delete r; });
  dict_.Clear([](Entry* e) { Entry::Free(e); });
  avg_ttl_ = 0;
  return n;
}

void Database::SwapWith(Database& other) {
  std::swap(dict_, other.dict_);
  std::swap(expires_, other.expires_);
  std::swap(avg_ttl_, other.avg_ttl_);
}

Entry* Database::RandomEntry(int64_t now_ms) {
  // Bounded retries: a database full of expired keys must not spin forever.
  for (int tries = 0; tries < 100 && dict_.size() > 0; ++tries) {
    Entry* e = dict_.RandomNode(rng_);
    if (e->expire_ms == 0 || e->expire_ms > now_ms) return e;
    ExpireNow(e);
  }
  return dict_.size() > 0 ? dict_.RandomNode(rng_) : nullptr;
}

size_t Database::SampleEntries(bool with_ttl, Entry** out, size_t n) {
  if (with_ttl) {
    if (expires_.size() == 0) return 0;
    for (size_t i = 0; i < n; ++i) out[i] = expires_.RandomNode(rng_)->entry;
  } else {
    if (dict_.size() == 0) return 0;
    for (size_t i = 0; i < n; ++i) out[i] = dict_.RandomNode(rng_);
  }
  return n;
}

size_t Database::ActiveExpire(int64_t now_ms, const std::function<int64_t()>& now_us,
                              int64_t deadline_us) {
  // Like Redis: sample 20 keys with a TTL per round; keep going while more than
  // a quarter of a sample was expired and time remains.
  constexpr int kSample = 20;
  size_t deleted = 0;
  int64_t ttl_sum = 0, ttl_count = 0;
  while (expires_.size() > 0) {
    int expired = 0;
    int sampled = 0;
    for (int i = 0; i < kSample && expires_.size() > 0; ++i) {
      ExpireRef* ref = expires_.RandomNode(rng_);
      Entry* e = ref->entry;
      ++sampled;
      if (e->expire_ms <= now_ms) {
        ExpireNow(e);
        ++expired;
      } else {
        ttl_sum += e->expire_ms - now_ms;
        ++ttl_count;
      }
    }
    deleted += static_cast<size_t>(expired);
    if (expired * 4 <= sampled || now_us() >= deadline_us) break;
  }
  if (ttl_count > 0) {
    int64_t avg = ttl_sum / ttl_count;
    // Smooth like Redis so INFO does not jump with every sample.
    avg_ttl_ = avg_ttl_ == 0 ? avg : (avg_ttl_ / 50) * 49 + avg / 50;
  } else if (expires_.size() == 0) {
    avg_ttl_ = 0;
  }
  return deleted;
}

void Database::ExpireNow(Entry* e) {
  // Copy the key: the entry is freed before the observer runs.
  std::string key(e->key());
  Delete(key);
  if (observer_ != nullptr) observer_->OnExpired(index_, key);
}

void Database::IndexExpire(Entry* e) { expires_.Insert(new ExpireRef{nullptr, e}); }

void Database::UnindexExpire(Entry* e) { delete expires_.Unlink(e->key()); }

}  // namespace duet
