#include "server/aof_fsync.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>

#include "server/loop_signals.h"

namespace duet {

AofSyncer::~AofSyncer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AofSyncer::Push(Job job) {
  pending_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
    // Started on first use: a server without AOF never has the thread.
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_one();
}

void AofSyncer::Sync(int fd, uint64_t upto) {
  Job j;
  j.fd = fd;
  j.upto = upto;
  Push(std::move(j));
}

void AofSyncer::Close(std::unique_ptr<WritableFile> file, bool sync_first) {
  Job j;
  j.close = std::move(file);
  j.sync_first = sync_first;
  Push(std::move(j));
}

void AofSyncer::Unlink(std::string path) {
  Job j;
  j.unlink = std::move(path);
  Push(std::move(j));
}

void AofSyncer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

void AofSyncer::Run() {
  // Signals are the event loop's (it lets them in only while it sleeps):
  // one delivered to this thread instead would not wake the loop.
  sigset_t loop_signals = LoopSignals();
  pthread_sigmask(SIG_BLOCK, &loop_signals, nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stop_ with nothing left
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    if (!job.unlink.empty()) {
      (void)::unlink(job.unlink.c_str());
    } else if (job.close != nullptr) {
      if (job.sync_first) (void)job.close->Sync();
      (void)job.close->Close();
      job.close.reset();
    } else {
      int rc;
      do {
        rc = ::fdatasync(job.fd);
      } while (rc != 0 && errno == EINTR);
      last_error_.store(rc == 0 ? 0 : errno, std::memory_order_relaxed);
      if (rc == 0) {
        uint64_t cur = synced_.load(std::memory_order_relaxed);
        if (job.upto > cur) synced_.store(job.upto, std::memory_order_release);
      }
    }
    pending_.fetch_sub(1, std::memory_order_relaxed);
    lock.lock();
    busy_ = false;
    if (jobs_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace duet
