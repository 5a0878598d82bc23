#pragma once
// AofSyncer: the one background thread of the AOF (appendfsync everysec).
// The event loop hands it work and never waits for it:
//   Sync(fd, upto)   fdatasync(fd); then synced() reports `upto`;
//   Close(file)      closes a file the loop has switched away from, after
//                    the syncs queued before it (so no fd is closed while a
//                    sync on it is pending, and its reuse cannot be synced
//                    by mistake);
//   Unlink(path)     removes a history file left by a rewrite.
// Jobs run in order. `pending()` counts queued and running jobs
// (INFO aof_pending_bio_fsync).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "persistence/file.h"

namespace duet {

class AofSyncer {
 public:
  AofSyncer() = default;
  ~AofSyncer();
  AofSyncer(const AofSyncer&) = delete;
  AofSyncer& operator=(const AofSyncer&) = delete;

  void Sync(int fd, uint64_t upto);
  void Close(std::unique_ptr<WritableFile> file, bool sync_first);
  // unlink(path): freeing a big file's blocks can take a while.
  void Unlink(std::string path);
  // Blocks until every queued job ran (shutdown, DEBUG LOADAOF).
  void Drain();

  uint64_t pending() const { return pending_.load(std::memory_order_relaxed); }
  // The highest `upto` of a finished Sync.
  uint64_t synced() const { return synced_.load(std::memory_order_acquire); }
  // errno of the last failed fdatasync, 0 if the last one succeeded.
  int last_error() const { return last_error_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    int fd = -1;
    uint64_t upto = 0;
    std::unique_ptr<WritableFile> close;
    bool sync_first = false;
    std::string unlink;
  };
  void Run();
  void Push(Job job);

  std::mutex mu_;
  std::condition_variable cv_;       // jobs queued or stop
  std::condition_variable idle_cv_;  // queue drained
  std::deque<Job> jobs_;
  bool stop_ = false;
  bool busy_ = false;
  std::thread thread_;
  std::atomic<uint64_t> pending_{0};
  std::atomic<uint64_t> synced_{0};
  std::atomic<int> last_error_{0};
};

}  // namespace duet
