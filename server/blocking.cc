#include "server/blocking.h"

#include <cmath>
#include <limits>
#include <utility>

#include "protocol/errors.h"
#include "server/client.h"
#include "server/server.h"
#include "utils/strconv.h"

namespace duet {

struct BlockingManager::Waiter {
  // One of the keys the client waits on: the key text is the map's own key
  // (stable while this waiter is in its list), `pos` its place in the list.
  struct Slot {
    const std::string* key;
    KeyWaiters* waiters;
    WaiterList::iterator pos;
  };

  Client* client = nullptr;
  int db = 0;
  ServeFn serve = nullptr;
  BlockParams params;
  bool muted = false;  // the command ran with its reply muted (CLIENT REPLY OFF/SKIP)
  int64_t deadline_ms = 0;
  std::multimap<int64_t, Waiter*>::iterator deadline_pos;
  std::vector<Slot> slots;
};

bool ParseBlockTimeout(ReplyBuilder& rb, std::string_view arg, int64_t now_ms,
                       int64_t* deadline_ms) {
  long double secs;
  if (!ParseLongDouble(arg, &secs)) {
    rb.Error(errors::kTimeoutNotFloat);
    return false;
  }
  // Redis rounds up to whole milliseconds, so 0.0001 waits 1 ms while
  // -0.0001 means "forever". A value beyond the int64 range converts to
  // INT64_MIN on x86-64 (inf and 1e300 are "negative" in Redis): kept here
  // without the undefined conversion.
  long double ms = std::ceil(secs * 1000.0L);
  int64_t t = std::numeric_limits<int64_t>::min();
  if (ms >= -9223372036854775808.0L && ms < 9223372036854775808.0L) t = static_cast<int64_t>(ms);
  if (t < 0) {
    rb.Error("ERR timeout is negative");
    return false;
  }
  if (t == 0) {
    *deadline_ms = 0;
  } else {
    *deadline_ms = t > std::numeric_limits<int64_t>::max() - now_ms
                       ? std::numeric_limits<int64_t>::max()
                       : t + now_ms;
  }
  return true;
}

BlockingManager::BlockingManager(Server& server) : server_(server) {}
BlockingManager::~BlockingManager() = default;

BlockingManager::KeyMap& BlockingManager::keys_of(int db) {
  if (static_cast<size_t>(db) >= by_db_.size()) by_db_.resize(static_cast<size_t>(db) + 1);
  return by_db_[static_cast<size_t>(db)];
}

void BlockingManager::Block(CommandContext& ctx, const std::string_view* keys, size_t n,
                            int64_t deadline_ms, ServeFn serve, BlockParams params) {
  Client& c = ctx.client;
  auto w = std::make_unique<Waiter>();
  w->client = &c;
  w->db = c.db;
  w->serve = serve;
  w->params = std::move(params);
  w->muted = ctx.rb.muted();
  w->deadline_ms = deadline_ms;
  KeyMap& km = keys_of(c.db);
  w->slots.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto it = km.find(keys[i]);
    if (it == km.end()) it = km.emplace(std::string(keys[i]), KeyWaiters{}).first;
    KeyWaiters& kw = it->second;
    // A repeated key: this waiter is already the last in its list.
    if (!kw.clients.empty() && kw.clients.back() == w.get()) continue;
    kw.clients.push_back(w.get());
    w->slots.push_back({&it->first, &kw, std::prev(kw.clients.end())});
  }
  if (deadline_ms != 0) {
    w->deadline_pos = deadlines_.emplace(deadline_ms, w.get());
    if (server_.hooks().block_deadline) server_.hooks().block_deadline(deadline_ms);
  }
  c.blocked = true;
  blocked_[&c] = std::move(w);
}

void BlockingManager::SignalKeyReady(int db, std::string_view key) {
  if (blocked_.empty() || static_cast<size_t>(db) >= by_db_.size()) return;
  KeyMap& km = by_db_[static_cast<size_t>(db)];
  auto it = km.find(key);
  if (it == km.end() || it->second.queued) return;
  it->second.queued = true;
  ready_.push_back({db, it->first});
}

void BlockingManager::SignalDatabasesSwapped(int a, int b) {
  int64_t now = server_.NowMs();
  for (int db : {a, b}) {
    if (static_cast<size_t>(db) >= by_db_.size()) continue;
    Database& d = server_.keyspace().db(db);
    std::vector<std::string_view> present;
    for (const auto& [key, kw] : by_db_[static_cast<size_t>(db)]) {
      if (d.Find(key, now) != nullptr) present.push_back(key);
    }
    for (std::string_view key : present) SignalKeyReady(db, key);
  }
}

void BlockingManager::ServeReadyKeys() {
  // Not re-entrant: a ServeFn never runs commands, and the keys it signals
  // are appended to ready_ and served by this same loop.
  if (serving_all_) return;
  serving_all_ = true;
  for (size_t i = 0; i < ready_.size(); ++i) {
    ReadyKey rk = std::move(ready_[i]);  // ready_ may grow (and move) meanwhile
    ServeKey(rk.db, rk.key);
  }
  ready_.clear();
  serving_all_ = false;
}

template <typename Fn>
void BlockingManager::ReplyTo(Waiter* w, Fn&& fn) {
  ReplyBuilder& rb = w->client->rb;
  bool was_muted = rb.muted();
  rb.set_muted(w->muted);
  fn(rb);
  rb.set_muted(was_muted);
}

void BlockingManager::ServeKey(int db, const std::string& key) {
  if (static_cast<size_t>(db) >= by_db_.size()) return;
  KeyMap& km = by_db_[static_cast<size_t>(db)];
  auto it = km.find(key);
  if (it == km.end()) return;
  KeyWaiters& kw = it->second;
  kw.queued = false;
  serving_ = &kw;
  Database& database = server_.keyspace().db(db);
  int64_t now = server_.NowMs();
  for (auto pos = kw.clients.begin(); pos != kw.clients.end();) {
    // Once the key is gone (popped empty, or never there) nobody else can be
    // served from it.
    if (database.Find(key, now) == nullptr) break;
    Waiter* w = *pos;
    ++pos;  // Finish(w) unlinks w's node, never the next one
    ServeContext ctx{server_, *w->client, database, key, w->params, now};
    bool done = false;
    ReplyTo(w, [&](ReplyBuilder&) { done = w->serve(ctx); });
    if (done) Finish(w, /*replied=*/true);
  }
  serving_ = nullptr;
  // Finish() only erases other keys' entries, so `it` is still valid.
  if (kw.clients.empty()) km.erase(it);
}

void BlockingManager::Finish(Waiter* w, bool replied) {
  Client* c = w->client;
  KeyMap& km = by_db_[static_cast<size_t>(w->db)];
  for (const Waiter::Slot& s : w->slots) {
    s.waiters->clients.erase(s.pos);
    if (s.waiters->clients.empty() && s.waiters != serving_) km.erase(km.find(*s.key));
  }
  if (w->deadline_ms != 0) deadlines_.erase(w->deadline_pos);
  c->blocked = false;
  blocked_.erase(c);  // frees w
  if (replied && c->on_unblocked) c->on_unblocked();
}

int64_t BlockingManager::HandleTimeouts(int64_t now_ms) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now_ms) {
    Waiter* w = deadlines_.begin()->second;
    // Redis 7.0 answers every list and sorted-set wait that times out with a
    // null array, BLMOVE and BRPOPLPUSH included.
    ReplyTo(w, [](ReplyBuilder& rb) { rb.NullArray(); });
    Finish(w, /*replied=*/true);
  }
  return deadlines_.empty() ? 0 : deadlines_.begin()->first;
}

bool BlockingManager::Unblock(Client& c, bool with_error) {
  auto it = blocked_.find(&c);
  if (it == blocked_.end()) return false;
  Waiter* w = it->second.get();
  ReplyTo(w, [with_error](ReplyBuilder& rb) {
    if (with_error) {
      rb.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    } else {
      rb.NullArray();
    }
  });
  Finish(w, /*replied=*/true);
  return true;
}

void BlockingManager::Forget(Client& c) {
  auto it = blocked_.find(&c);
  if (it != blocked_.end()) Finish(it->second.get(), /*replied=*/false);
}

}  // namespace duet
