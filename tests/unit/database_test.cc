#include "storage/database.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/string_ops.h"

namespace duet {
namespace {

struct CountingObserver : KeyspaceObserver {
  int expired = 0;
  std::string inserted;  // keys reported by OnInserted, space-separated
  void OnExpired(int, std::string_view) override { ++expired; }
  void OnInserted(int, std::string_view key) override { inserted += std::string(key) + " "; }
};

// A string with a TTL that grows (realloc moves the entry) must stay reachable
// through the expiry index, which is then used by the active sweep. Under
// AddressSanitizer the old code read the key through the moved-out pointer.
TEST(Database, ExpiryIndexFollowsRelocatedEntries) {
  uint64_t version = 0;
  Database db(0, &version);
  CountingObserver obs;
  db.set_observer(&obs);
  const int64_t now = 1000000;
  for (int i = 0; i < 50; ++i) {
    std::string key = "k" + std::to_string(i);
    StringSetPlain(db, key, "v", now);
    db.SetExpire(db.Find(key, now), now + 10);
    for (int grow = 1; grow < 12; ++grow) {
      StringSetPlain(db, key, std::string(static_cast<size_t>(1) << grow, 'x'), now);
      db.SetExpire(db.Find(key, now), now + 10);
    }
  }
  EXPECT_EQ(db.expires_count(), 50u);
  size_t deleted = 0;
  for (int round = 0; round < 100 && db.size() > 0; ++round) {
    deleted += db.ActiveExpire(
        now + 20, [] { return int64_t{0}; }, 1);
  }
  EXPECT_EQ(deleted, 50u);
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.expires_count(), 0u);
  EXPECT_EQ(obs.expired, 50);
}

TEST(Database, LazyExpiryNeverServesAnExpiredKey) {
  uint64_t version = 0;
  Database db(0, &version);
  StringSetPlain(db, "k", "v", 0);
  db.SetExpire(db.Find("k", 0), 100);
  EXPECT_NE(db.Find("k", 99), nullptr);
  EXPECT_EQ(db.Find("k", 100), nullptr);
  EXPECT_EQ(db.size(), 0u);
}

TEST(Database, EveryWriteGetsANewVersion) {
  uint64_t version = 0;
  Database db(0, &version);
  StringSetPlain(db, "k", "v", 0);
  uint64_t v1 = db.Find("k", 0)->version;
  StringSetPlain(db, "k", "w", 0);
  uint64_t v2 = db.Find("k", 0)->version;
  (void)StringAppend(db, "k", "x", 1 << 20, 0);
  uint64_t v3 = db.Find("k", 0)->version;
  EXPECT_LT(v1, v2);
  EXPECT_LT(v2, v3);
}

// Insertions are reported only while someone listens (WATCH of an absent key,
// "new" keyspace events), and only for keys that come into existence.
TEST(Database, InsertListenersSeeNewKeysOnly) {
  uint64_t version = 0;
  Database db(0, &version), other(1, &version);
  CountingObserver obs;
  db.set_observer(&obs);
  other.set_observer(&obs);
  StringSetPlain(db, "before", "v", 0);
  db.AddInsertListener();
  db.AddInsertListener();
  StringSetPlain(db, "a", "v", 0);
  StringSetPlain(db, "a", "w", 0);  // replaced: not new
  db.RemoveInsertListener();
  StringSetPlain(db, "b", "v", 0);  // one listener left
  db.RemoveInsertListener();
  StringSetPlain(db, "c", "v", 0);
  EXPECT_EQ(obs.inserted, "a b ");
  // The listener count belongs to the database number, not to its contents.
  db.AddInsertListener();
  db.SwapWith(other);
  StringSetPlain(other, "d", "v", 0);
  StringSetPlain(db, "e", "v", 0);
  EXPECT_EQ(obs.inserted, "a b e ");
}

}  // namespace
}  // namespace duet
