#include "storage/keyspace.h"

namespace duet {

Keyspace::Keyspace(int databases) {
  dbs_.reserve(static_cast<size_t>(databases));
  for (int i = 0; i < databases; ++i) {
    dbs_.push_back(std::make_unique<Database>(i, &version_));
    dbs_.back()->set_access_clock(&access_clock_);
  }
}

void Keyspace::set_observer(KeyspaceObserver* o) {
  for (auto& d : dbs_) d->set_observer(o);
}

void Keyspace::Swap(int a, int b) {
  if (a == b) return;
  dbs_[static_cast<size_t>(a)]->SwapWith(*dbs_[static_cast<size_t>(b)]);
}

size_t Keyspace::TotalKeys() const {
  size_t n = 0;
  for (const auto& d : dbs_) n += d->size();
  return n;
}

}  // namespace duet
