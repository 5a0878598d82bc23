#pragma once
// Keyspace: the numbered databases (SELECT 0..databases-1) and the version
// counter they share. Each write stamps its entry with the next version, so a
// version identifies one write across the whole server (memcached CAS, WATCH).

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/database.h"
#include "storage/eviction.h"

namespace duet {

class Keyspace {
 public:
  explicit Keyspace(int databases);

  int databases() const { return static_cast<int>(dbs_.size()); }
  Database& db(int index) { return *dbs_[static_cast<size_t>(index)]; }
  const Database& db(int index) const { return *dbs_[static_cast<size_t>(index)]; }

  void set_observer(KeyspaceObserver* o);
  // Shared by every database for LRU/LFU stamps (see storage/eviction.h).
  AccessClock& access_clock() { return access_clock_; }
  const AccessClock& access_clock() const { return access_clock_; }
  uint64_t NextVersion() { return ++version_; }
  uint64_t version() const { return version_; }

  // SWAPDB: exchanges the contents of two databases.
  void Swap(int a, int b);
  size_t TotalKeys() const;

 private:
  uint64_t version_ = 0;
  AccessClock access_clock_;
  std::vector<std::unique_ptr<Database>> dbs_;
};

}  // namespace duet
