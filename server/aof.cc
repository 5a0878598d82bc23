#include "server/aof.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/server.h"
#include "server/snapshots.h"
#include "utils/clock.h"
#include "utils/logging.h"

namespace duet {

Aof::Aof(Server& server, FileSystem& fs) : server_(server), fs_(fs) {}

Aof::~Aof() {
  if (child_.running()) KillChild();
  if (incr_ != nullptr) {
    if (!buf_.empty()) Flush(false);
    (void)incr_->Close();
  }
}

const std::string& Aof::prefix() const { return server_.config().appendfilename; }

std::string Aof::DirPath() const { return server_.config().appenddirname; }

std::string Aof::PathOf(const std::string& name) const { return DirPath() + "/" + name; }

uint64_t Aof::FileSize(const std::string& name) const {
  std::unique_ptr<SequentialFile> f;
  if (!fs_.NewSequentialFile(PathOf(name), &f).ok()) return 0;
  uint64_t n = f->Size();
  return n == UINT64_MAX ? 0 : n;
}

Status Aof::PersistManifest(const AofManifest& m) {
  const std::string text = m.Serialize();
  const std::string path = PathOf(AofManifestName(prefix()));
  return AtomicReplace(
      fs_, path, [&](WritableFile& f) { return f.Append(text); },
      PathOf("temp-" + AofManifestName(prefix())));
}

Status Aof::OpenIncr(const std::string& name, bool append) {
  std::unique_ptr<WritableFile> f;
  const std::string path = PathOf(name);
  // Always O_APPEND: after a partial write the file is cut back to its last
  // complete record, and the next write must land right there.
  Status s = fs_.NewAppendableFile(path, &f);
  if (s.ok() && !append) s = fs_.Truncate(path, 0);
  if (!s.ok()) return s;
  incr_path_ = path;
  if (incr_ != nullptr) {
    // The old file's bytes are complete; the syncer closes it after pending syncs.
    syncer_.Close(std::move(incr_), server_.config().appendfsync != kAppendFsyncNo);
  }
  incr_ = std::move(f);
  other_incrs_ += incr_size_;
  incr_size_ = append ? FileSize(name) : 0;
  synced_bytes_ = incr_size_;
  // The first record in a new file must say which database it is for.
  selected_db_ = -1;
  return Status::Ok();
}

void Aof::AnnotateTimeIfNew() {
  const int64_t now_s = server_.NowMs() / 1000;
  if (now_s <= last_timestamp_s_) return;
  last_timestamp_s_ = now_s;
  buf_ += "#TS:";
  buf_ += std::to_string(now_s);
  buf_ += "\r\n";
}

void Aof::Flush(bool force_sync) {
  const ServerConfig& c = server_.config();
  if (incr_ != nullptr && !buf_.empty()) {
    Status s = incr_->Append(buf_);
    if (s.ok()) s = incr_->Flush();
    if (!s.ok()) {
      // A torn record must not stay in front of the retry (best effort: the
      // disk may refuse this too; loading then drops a torn tail anyway).
      (void)fs_.Truncate(incr_path_, incr_size_);
      // Nothing acknowledged may be lost: under `always` the only safe move
      // is to stop, as Redis does; otherwise keep the bytes and retry.
      if (c.appendfsync == kAppendFsyncAlways) {
        last_write_ok_ = false;
        return Fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. " +
                     s.message() + ". Exiting...");
      }
      if (last_write_ok_) LogWarning("Error writing to the AOF file: " + s.message());
      last_write_ok_ = false;
      const size_t colon = s.message().rfind(": ");
      last_write_error_ = colon == std::string::npos ? s.message() : s.message().substr(colon + 2);
      return;
    }
    if (!last_write_ok_) LogWarning("AOF write error looks solved, Redis can write again.");
    last_write_ok_ = true;
    incr_size_ += buf_.size();
    // Keep a moderate buffer's capacity; give a huge one back.
    if (buf_.capacity() > (4u << 20)) {
      std::string().swap(buf_);
    } else {
      buf_.clear();
    }
  }
  if (incr_ == nullptr || synced_bytes_ >= incr_size_) return;
  if (c.no_appendfsync_on_rewrite && !force_sync &&
      (child_.running() || server_.snapshots().bgsave_running())) {
    return;
  }
  if (force_sync || c.appendfsync == kAppendFsyncAlways) {
    Status s = incr_->Sync();
    if (!s.ok()) {
      last_write_ok_ = false;
      return Fatal("Can't persist the AOF file (fsync): " + s.message() + ". Exiting...");
    }
    synced_bytes_ = incr_size_;
    last_fsync_ms_ = server_.NowMs();
    return;
  }
  if (c.appendfsync == kAppendFsyncEverysec) {
    int64_t now = server_.NowMs();
    if (now - last_fsync_ms_ < 1000) return;
    if (syncer_.pending() > 0) {
      ++delayed_fsync_;  // the disk is slower than once a second
      return;
    }
    if (incr_->fd() >= 0) {
      syncer_.Sync(incr_->fd(), incr_size_);
    } else {
      (void)incr_->Sync();  // in-memory files (tests): synchronous
    }
    synced_bytes_ = incr_size_;
    last_fsync_ms_ = now;
  }
}

std::string Aof::WriteErrorReply() const {
  const int sync_errno = syncer_.last_error();
  return "MISCONF Errors writing to the AOF file: " + (last_write_ok_ && sync_errno != 0
                                                           ? std::string(std::strerror(sync_errno))
                                                           : last_write_error_);
}

void Aof::Fatal(const std::string& msg) {
  LogWarning(msg);
  if (fatal_) return fatal_(msg);
  std::_Exit(1);
}

void Aof::FlushAndSync() {
  Flush(true);
  syncer_.Drain();
}

Status Aof::TurnOn() {
  if (state_ != State::kOff) return Status::Ok();
  Status s = fs_.CreateDir(DirPath());
  if (!s.ok()) return s;
  // Files of an earlier run stay numbered in sequence and become history
  // once the first rewrite installs its base (as in Redis).
  if (!manifest_.has_base && manifest_.incrs.empty() &&
      fs_.Exists(PathOf(AofManifestName(prefix())))) {
    AofManifest old;
    if (ReadManifest(&old).ok()) manifest_ = std::move(old);
  }
  state_ = State::kWaitRewrite;
  if (child_.running() || server_.snapshots().bgsave_running()) {
    // Another child holds the fork: rewrite as soon as it ends.
    rewrite_scheduled_ = true;
    return Status::Ok();
  }
  s = StartRewrite();
  if (!s.ok()) {
    state_ = State::kOff;
    return Status::IoError("Unable to turn on AOF. Check server logs.");
  }
  return Status::Ok();
}

void Aof::TurnOff() {
  if (state_ == State::kOff) return;
  Flush(true);
  if (child_.running()) KillChild();
  if (incr_ != nullptr) syncer_.Close(std::move(incr_), false);
  if (!temp_incr_.empty()) {
    (void)fs_.Remove(PathOf(temp_incr_));
    temp_incr_.clear();
  }
  buf_.clear();
  state_ = State::kOff;
  rewrite_scheduled_ = false;
  LogNotice("AOF disabled");  // nothing else changes on disk, as in Redis
}

void Aof::Cron() {
  if (child_.running()) {
    BackgroundSave::Result r;
    if (child_.Poll(&r)) OnRewriteDone(r);
  }
  if (rewrite_scheduled_ && !child_.running() && !server_.snapshots().bgsave_running()) {
    // A failed first rewrite is retried, but not in a tight loop.
    if (server_.NowMs() - last_rewrite_fail_ms_ >= 1000) {
      rewrite_scheduled_ = false;
      if (!StartRewrite().ok()) rewrite_scheduled_ = state_ == State::kWaitRewrite;
    }
  }
  if (state_ == State::kOn) MaybeAutoRewrite();
  // everysec also covers a quiet second after the last write.
  if (state_ != State::kOff) Flush(false);
}

void Aof::MaybeAutoRewrite() {
  const ServerConfig& c = server_.config();
  if (c.auto_aof_rewrite_percentage <= 0 || child_.running() ||
      server_.snapshots().bgsave_running()) {
    return;
  }
  uint64_t current = base_size_ + other_incrs_ + incr_size_;
  if (current < static_cast<uint64_t>(c.auto_aof_rewrite_min_size)) return;
  uint64_t base = rewrite_base_size_ != 0 ? rewrite_base_size_ : 1;
  uint64_t growth = current > base ? (current - base) * 100 / base : 0;
  if (growth < static_cast<uint64_t>(c.auto_aof_rewrite_percentage)) return;
  if (server_.NowMs() - last_rewrite_fail_ms_ < 1000) return;
  LogNotice("Starting automatic rewriting of AOF on " + std::to_string(growth) + "% growth");
  (void)StartRewrite();
}

Aof::RewriteResult Aof::Rewrite() {
  if (child_.running()) return RewriteResult::kAlreadyRunning;
  if (server_.snapshots().bgsave_running()) {
    rewrite_scheduled_ = true;
    return RewriteResult::kScheduled;
  }
  return StartRewrite().ok() ? RewriteResult::kStarted : RewriteResult::kFailed;
}

void Aof::AppendInfo(std::string& out) const {
  char line[160];
  auto add = [&](const char* name, long long v) {
    std::snprintf(line, sizeof(line), "%s:%lld\r\n", name, v);
    out += line;
  };
  add("aof_enabled", state_ != State::kOff ? 1 : 0);
  add("aof_rewrite_in_progress", child_.running() ? 1 : 0);
  add("aof_rewrite_scheduled", rewrite_scheduled_ ? 1 : 0);
  add("aof_last_rewrite_time_sec", last_rewrite_time_s_);
  add("aof_current_rewrite_time_sec",
      child_.running() ? (server_.NowMs() - rewrite_start_ms_) / 1000 : -1);
  out += std::string("aof_last_bgrewrite_status:") + (last_rewrite_ok_ ? "ok" : "err") + "\r\n";
  add("aof_rewrites", static_cast<long long>(rewrites_));
  add("aof_rewrites_consecutive_failures", static_cast<long long>(rewrite_failures_));
  const bool write_ok = last_write_ok_ && syncer_.last_error() == 0;
  out += std::string("aof_last_write_status:") + (write_ok ? "ok" : "err") + "\r\n";
  add("aof_last_cow_size", static_cast<long long>(last_cow_bytes_));
  add("module_fork_in_progress", 0);
  add("module_fork_last_cow_size", 0);
  if (state_ != State::kOff) {
    add("aof_current_size", static_cast<long long>(base_size_ + other_incrs_ + incr_size_));
    add("aof_base_size", static_cast<long long>(base_size_));
    add("aof_pending_rewrite", rewrite_scheduled_ ? 1 : 0);
    add("aof_buffer_length", static_cast<long long>(buf_.size()));
    add("aof_pending_bio_fsync", static_cast<long long>(syncer_.pending()));
    add("aof_delayed_fsync", static_cast<long long>(delayed_fsync_));
  }
}

}  // namespace duet
