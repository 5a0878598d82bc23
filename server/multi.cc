#include "server/multi.h"

#include <algorithm>

#include "server/server.h"

namespace duet {

bool IsTransactionControl(const Command& cmd) {
  const std::string& n = cmd.name;
  return n == "exec" || n == "discard" || n == "multi" || n == "watch" || n == "quit" ||
         n == "reset";
}

void QueueCommand(Client& client, const Command& cmd, const std::vector<std::string_view>& args) {
  TransactionState& tx = *client.tx;
  // A doomed transaction will not run: no need to keep its commands.
  if (tx.aborted || tx.dirty) return;
  tx.queue.push_back({&cmd, tx.args.size(), args.size()});
  for (std::string_view a : args) {
    tx.args.emplace_back(tx.arena.size(), a.size());
    tx.arena.append(a);
  }
  tx.queued_flags |= cmd.flags;
}

void DiscardTransaction(Server& server, Client& client) {
  if (client.tx == nullptr) return;
  TransactionState& tx = *client.tx;
  server.watches().UnwatchAll(client);
  tx.in_multi = false;
  tx.aborted = false;
  tx.dirty = false;
  tx.queued_flags = 0;
  tx.queue.clear();
  tx.args.clear();
  // A big transaction must not pin its memory for the life of the connection.
  constexpr size_t kKeepBytes = 16 * 1024;
  if (tx.arena.capacity() > kKeepBytes) {
    std::string().swap(tx.arena);
    std::vector<std::pair<size_t, size_t>>().swap(tx.args);
    std::vector<TransactionState::Queued>().swap(tx.queue);
  } else {
    tx.arena.clear();
  }
}

// --- WatchRegistry -------------------------------------------------------------

WatchRegistry::Watchers& WatchRegistry::AbsentIn(int db) {
  if (absent_.size() < static_cast<size_t>(keyspace_.databases())) {
    absent_.resize(static_cast<size_t>(keyspace_.databases()));
  }
  return absent_[static_cast<size_t>(db)];
}

uint64_t WatchRegistry::LiveVersion(int db, std::string_view key, int64_t now_ms) const {
  // Peek, not Find: WATCH and EXEC must not expire keys as a side effect
  // (that would publish "expired" events and count expired_keys).
  const Entry* e = keyspace_.db(db).Peek(key);
  if (e == nullptr || (e->expire_ms != 0 && e->expire_ms <= now_ms)) return 0;
  return e->version;
}

void WatchRegistry::Watch(Client& client, int db, std::string_view key, int64_t now_ms) {
  if (client.tx == nullptr) client.tx = std::make_unique<TransactionState>();
  std::vector<WatchedKey>& w = client.tx->watched;
  for (const WatchedKey& k : w) {
    if (k.db == db && k.key == key) return;
  }
  uint64_t version = LiveVersion(db, key, now_ms);
  w.push_back({db, version, std::string(key)});
  if (version != 0) return;
  Watchers& absent = AbsentIn(db);
  if (absent.empty()) keyspace_.db(db).AddInsertListener();
  auto it = absent.find(key);
  if (it == absent.end()) it = absent.emplace(std::string(key), std::vector<Client*>{}).first;
  it->second.push_back(&client);
}

void WatchRegistry::UnwatchAll(Client& client) {
  if (client.tx == nullptr) return;
  for (const WatchedKey& k : client.tx->watched) {
    if (k.version != 0) continue;
    Watchers& absent = AbsentIn(k.db);
    auto it = absent.find(k.key);
    if (it == absent.end()) continue;
    std::vector<Client*>& v = it->second;
    auto pos = std::find(v.begin(), v.end(), &client);
    if (pos != v.end()) v.erase(pos);
    if (v.empty()) {
      absent.erase(it);
      if (absent.empty()) keyspace_.db(k.db).RemoveInsertListener();
    }
  }
  client.tx->watched.clear();
}

bool WatchRegistry::Touched(const Client& client, int64_t now_ms) const {
  if (client.tx == nullptr) return false;
  for (const WatchedKey& k : client.tx->watched) {
    if (LiveVersion(k.db, k.key, now_ms) != k.version) return true;
  }
  return false;
}

void WatchRegistry::MarkAbsentWatchersDirty(int db, std::string_view key) {
  if (static_cast<size_t>(db) >= absent_.size()) return;
  Watchers& absent = absent_[static_cast<size_t>(db)];
  auto it = absent.find(key);
  if (it == absent.end()) return;
  for (Client* c : it->second) c->tx->dirty = true;
}

void WatchRegistry::OnInserted(int db, std::string_view key) { MarkAbsentWatchersDirty(db, key); }

void WatchRegistry::OnSwapDb(int a, int b, int64_t now_ms) {
  for (int db : {a, b}) {
    if (static_cast<size_t>(db) >= absent_.size()) continue;
    for (auto& [key, clients] : absent_[static_cast<size_t>(db)]) {
      if (LiveVersion(db, key, now_ms) == 0) continue;
      for (Client* c : clients) c->tx->dirty = true;
    }
  }
}

size_t WatchRegistry::absent_watch_count() const {
  size_t n = 0;
  for (const Watchers& w : absent_) {
    for (const auto& [key, clients] : w) n += clients.size();
  }
  return n;
}

}  // namespace duet
