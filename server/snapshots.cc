#include "server/snapshots.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <csignal>
#include <cstdarg>
#include <cstdio>

#include "server/aof.h"
#include "server/info.h"
#include "server/script_engine.h"
#include "server/server.h"
#include "server/version.h"
#include "storage/eviction.h"
#include "utils/clock.h"
#include "utils/logging.h"

namespace duet {
namespace {

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return std::string(buf, n < 0 ? 0 : std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1));
}

}  // namespace

Snapshots::Snapshots(Server& server) : server_(server), lastsave_s_(UnixMillis() / 1000) {}

// The server's clock (tests move it with AdvanceTimeForTesting).
int64_t Snapshots::NowSeconds() const { return server_.NowMs() / 1000; }

Snapshots::~Snapshots() = default;

const std::string& Snapshots::path() const { return server_.config().dbfilename; }

bool Snapshots::HasSavePoints() const { return !ParseSavePoints(server_.config().save).empty(); }

bool Snapshots::WritesDeniedAfterError() const {
  return server_.config().stop_writes_on_bgsave_error && HasSavePoints();
}

RdbSaveOptions Snapshots::SaveOptions() const {
  const ServerConfig& c = server_.config();
  RdbSaveOptions o;
  o.write.compress = c.rdbcompression;
  o.write.checksum = c.rdbchecksum;
  if (c.rdb_save_incremental_fsync) o.write.autosync_bytes = 4 * 1024 * 1024;
  o.redis_ver = std::string(kRedisCompatVersion);
  o.now_ms = server_.NowMs();
  o.used_mem = static_cast<int64_t>(ReadMemoryFigures().used);
  o.key_save_delay_us = c.rdb_key_save_delay;
  o.function_codes = server_.scripts().LibraryCodes();
  // Like Redis: the idle time under an LRU policy, the counter under LFU.
  switch (static_cast<EvictionPolicy>(c.maxmemory_policy)) {
    case EvictionPolicy::kVolatileLru:
    case EvictionPolicy::kAllKeysLru:
      o.access_record = RdbSaveOptions::AccessRecord::kIdle;
      break;
    case EvictionPolicy::kVolatileLfu:
    case EvictionPolicy::kAllKeysLfu:
      o.access_record = RdbSaveOptions::AccessRecord::kFreq;
      break;
    default:
      break;
  }
  return o;
}

Status Snapshots::Save() {
  RdbSaveInfo info;
  Status s =
      SaveSnapshot(FileSystem::Posix(), path(), server_.keyspace(), SaveOptions(), &info, getpid());
  if (!s.ok()) {
    LogWarning("Failed saving the DB: " + s.message());
    return s;
  }
  LogNotice("DB saved on disk");
  server_.stats().dirty = 0;
  lastsave_s_ = NowSeconds();
  last_bgsave_ok_ = true;
  ++rdb_saves_;
  return s;
}

Snapshots::BgsaveResult Snapshots::Bgsave(bool schedule) {
  (void)schedule;  // another kind of child (AOF rewrite) is what SCHEDULE waits for
  if (child_.running()) return BgsaveResult::kAlreadyRunning;
  dirty_before_bgsave_ = server_.stats().dirty;
  last_bgsave_try_s_ = NowSeconds();
  const std::string file = path();
  const RdbSaveOptions options = SaveOptions();
  const std::string logfile = server_.config().logfile;
  const int verbosity = static_cast<int>(server_.config().loglevel);
  const Keyspace& ks = server_.keyspace();
  BackgroundSave::ForkHooks hooks;
  auto& notify = server_.hooks().notify_fork;
  if (notify) {
    hooks.prepare = [&] { notify(ForkPhase::kPrepare); };
    hooks.parent = [&] { notify(ForkPhase::kParent); };
    hooks.child = [&] { notify(ForkPhase::kChild); };
  }
  // The child runs this on its copy of the keyspace; it must not log through
  // the parent's logger (ChildLog writes with write(2)).
  auto work = [&]() -> Status {
    RdbSaveInfo info;
    Status s = SaveSnapshot(FileSystem::Posix(), file, ks, options, &info, getpid());
    if (s.ok()) {
      ChildLog(logfile, verbosity, 2, "DB saved on disk");
      ChildLog(
          logfile, verbosity, 2,
          Format("Fork CoW for RDB: current %" PRIu64 " MB", PrivateDirtyBytes() / (1024 * 1024)));
    } else {
      ChildLog(logfile, verbosity, 3, "Failed saving the DB: " + s.message());
    }
    return s;
  };
  Status s = child_.Start(work, hooks);
  if (!s.ok()) {
    last_bgsave_ok_ = false;
    LogWarning("Can't save in background: fork: " + s.message());
    return BgsaveResult::kFailed;
  }
  bgsave_scheduled_ = false;
  // Reads stop stamping access times while the child shares the pages, so
  // they do not copy them (Redis does the same).
  server_.keyspace().access_clock().frozen = true;
  LogNotice(Format("Background saving started by pid %d", static_cast<int>(child_.pid())));
  return BgsaveResult::kStarted;
}

void Snapshots::OnChildDone(const BackgroundSave::Result& r) {
  server_.keyspace().access_clock().frozen = false;
  last_bgsave_time_s_ = r.elapsed_ms / 1000;
  last_cow_bytes_ = r.cow_bytes;
  if (r.ok) {
    LogNotice("Background saving terminated with success");
    uint64_t& dirty = server_.stats().dirty;
    dirty = dirty >= dirty_before_bgsave_ ? dirty - dirty_before_bgsave_ : 0;
    lastsave_s_ = NowSeconds();
    last_bgsave_ok_ = true;
    ++rdb_saves_;
  } else if (r.signal == 0) {
    LogWarning("Background saving error");
    last_bgsave_ok_ = false;
  } else {
    LogWarning(Format("Background saving terminated by signal %d", r.signal));
    // A child we stopped on purpose is not a failure.
    if (!r.killed_by_us) last_bgsave_ok_ = false;
  }
}

void Snapshots::KillChild() {
  if (!child_.running()) return;
  const pid_t pid = child_.pid();
  OnChildDone(child_.Kill());
  (void)FileSystem::Posix().Remove(SnapshotTempPath(path(), pid));
}

void Snapshots::Cron() {
  BackgroundSave::Result r;
  const pid_t pid = child_.pid();
  if (child_.Poll(&r)) {
    if (!r.ok) (void)FileSystem::Posix().Remove(SnapshotTempPath(path(), pid));
    OnChildDone(r);
  }
  // One child at a time: an AOF rewrite holds the fork.
  if (child_.running() || loading_ || server_.aof().rewrite_running()) return;
  const int64_t now = NowSeconds();
  // A failed save is retried after 5 seconds, like Redis, not on every tick.
  const bool may_retry = last_bgsave_ok_ || now - last_bgsave_try_s_ > 5;
  if (bgsave_scheduled_ && may_retry) {
    Bgsave(false);
    return;
  }
  for (const SavePoint& p : ParseSavePoints(server_.config().save)) {
    if (SavePointDue({p}, server_.stats().dirty, now, lastsave_s_, last_bgsave_ok_,
                     last_bgsave_try_s_)) {
      LogNotice(Format("%lld changes in %lld seconds. Saving...", static_cast<long long>(p.changes),
                       static_cast<long long>(p.seconds)));
      Bgsave(false);
      return;
    }
  }
}

bool Snapshots::PrepareShutdown(bool save, bool nosave, bool force) {
  if (child_.running()) {
    LogWarning("There is a child saving an .rdb. Killing it!");
    KillChild();
  }
  if ((HasSavePoints() && !nosave) || save) {
    LogNotice("Saving the final RDB snapshot before exiting.");
    if (!Save().ok()) {
      if (!force) {
        LogWarning("Error trying to save the DB, can't exit.");
        return false;
      }
      LogWarning("Error trying to save the DB. Exit anyway.");
    }
  }
  return true;
}

void Snapshots::OnFlushAll() {
  KillChild();
  if (HasSavePoints()) (void)Save();
}

Status Snapshots::LoadFile(bool merge, RdbLoadInfo* info,
                           const std::function<bool()>& process_events) {
  const ServerConfig& c = server_.config();
  RdbLoadOptions o;
  o.limits = c.collections;
  o.now_ms = server_.NowMs();
  o.verify_checksum = c.rdbchecksum;
  o.replace_existing = merge;
  o.key_load_delay_us = c.key_load_delay;
  o.progress_interval = static_cast<uint64_t>(c.loading_process_events_interval_bytes);
  // Function libraries in the file replace the loaded ones of the same name.
  o.load_function = [this](std::string_view code) {
    std::string name, error;
    if (!server_.scripts().LoadLibrary(code, true, &name, &error)) {
      return Status::InvalidArgument(error);
    }
    return Status::Ok();
  };
  if (process_events) {
    o.progress = [&](uint64_t offset) {
      loading_loaded_bytes_ = offset;
      loading_rdb_used_mem_ = info->used_mem;
      const int64_t now_us = MonotonicMicros();
      if (now_us - last_progress_log_us_ >= 2'000'000 && loading_total_bytes_ > 0) {
        last_progress_log_us_ = now_us;
        LogNotice(
            Format("Loading RDB: %.2f%% (%" PRIu64 " of %" PRIu64 " bytes)",
                   100.0 * static_cast<double>(offset) / static_cast<double>(loading_total_bytes_),
                   offset, loading_total_bytes_));
      }
      return process_events();
    };
  }
  return LoadSnapshot(FileSystem::Posix(), path(), server_.keyspace(), o, info);
}

Status Snapshots::Reload(bool save, bool flush, bool merge) {
  KillChild();
  if (save && !Save().ok()) return Status::IoError("ERR");
  if (flush) {
    for (int i = 0; i < server_.keyspace().databases(); ++i) server_.keyspace().db(i).Clear();
  }
  RdbLoadInfo info;
  Status s = LoadFile(merge, &info, nullptr);
  if (!s.ok()) {
    LogWarning(s.message());
    return Status::Corruption("ERR Error trying to load the RDB dump");
  }
  last_load_keys_loaded_ = info.keys_loaded;
  last_load_keys_expired_ = info.keys_expired;
  LogWarning("DB reloaded by DEBUG RELOAD");
  return Status::Ok();
}

void Snapshots::BeginExternalLoad(uint64_t total_bytes) {
  loading_ = true;
  loading_total_bytes_ = total_bytes;
  loading_loaded_bytes_ = 0;
  loading_start_s_ = NowSeconds();
  loading_start_us_ = MonotonicMicros();
  last_progress_log_us_ = loading_start_us_;
}

Status Snapshots::LoadAtStartup(const std::function<bool()>& process_events) {
  FileSystem& fs = FileSystem::Posix();
  if (!fs.Exists(path())) return Status::Ok();
  std::unique_ptr<SequentialFile> probe;
  if (fs.NewSequentialFile(path(), &probe).ok()) loading_total_bytes_ = probe->Size();
  probe.reset();
  loading_ = true;
  loading_start_s_ = NowSeconds();
  loading_start_us_ = MonotonicMicros();
  last_progress_log_us_ = loading_start_us_;
  loading_loaded_bytes_ = 0;
  RdbLoadInfo info;
  Status s = LoadFile(false, &info, process_events);
  loading_ = false;
  if (!s.ok()) return s;
  const double secs = static_cast<double>(MonotonicMicros() - loading_start_us_) / 1e6;
  if (!info.redis_ver.empty()) LogNotice("Loading RDB produced by version " + info.redis_ver);
  if (info.ctime >= 0) {
    int64_t age = NowSeconds() - info.ctime;
    LogNotice(Format("RDB age %lld seconds", static_cast<long long>(age < 0 ? 0 : age)));
  }
  if (info.used_mem >= 0) {
    LogNotice(Format("RDB memory usage when created %.2f Mb",
                     static_cast<double>(info.used_mem) / (1024 * 1024)));
  }
  if (info.checksum_skipped) {
    LogWarning("RDB file was saved with checksum disabled: no check performed.");
  }
  LogNotice(Format("Done loading RDB, keys loaded: %" PRIu64 ", keys expired: %" PRIu64 ".",
                   info.keys_loaded, info.keys_expired));
  LogNotice(Format("DB loaded from disk: %.3f seconds (%s, %" PRIu64 " bytes)", secs,
                   path().c_str(), info.bytes));
  last_load_keys_loaded_ = info.keys_loaded;
  last_load_keys_expired_ = info.keys_expired;
  server_.stats().dirty = 0;
  return Status::Ok();
}

void Snapshots::AppendInfo(std::string& out) const {
  out += Format("loading:%d\r\n", loading_ ? 1 : 0);
  out += "async_loading:0\r\n";
  out += "current_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\n";
  out += "current_fork_perc:0.00\r\n";
  out += "current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n";
  out += Format("rdb_changes_since_last_save:%llu\r\n",
                static_cast<unsigned long long>(server_.stats().dirty));
  out += Format("rdb_bgsave_in_progress:%d\r\n", child_.running() ? 1 : 0);
  out += Format("rdb_last_save_time:%lld\r\n", static_cast<long long>(lastsave_s_));
  out += Format("rdb_last_bgsave_status:%s\r\n", last_bgsave_ok_ ? "ok" : "err");
  out += Format("rdb_last_bgsave_time_sec:%lld\r\n", static_cast<long long>(last_bgsave_time_s_));
  const int64_t current =
      child_.running() ? (MonotonicMicros() / 1000 - child_.start_ms()) / 1000 : -1;
  out += Format("rdb_current_bgsave_time_sec:%lld\r\n", static_cast<long long>(current));
  out += Format("rdb_saves:%llu\r\n", static_cast<unsigned long long>(rdb_saves_));
  out += Format("rdb_last_cow_size:%llu\r\n", static_cast<unsigned long long>(last_cow_bytes_));
  out += Format("rdb_last_load_keys_expired:%llu\r\n",
                static_cast<unsigned long long>(last_load_keys_expired_));
  out += Format("rdb_last_load_keys_loaded:%llu\r\n",
                static_cast<unsigned long long>(last_load_keys_loaded_));
}

void Snapshots::AppendLoadingInfo(std::string& out) const {
  if (!loading_) return;
  const double elapsed = static_cast<double>(MonotonicMicros() - loading_start_us_) / 1e6;
  const double perc = loading_total_bytes_ == 0
                          ? 0
                          : 100.0 * static_cast<double>(loading_loaded_bytes_) /
                                static_cast<double>(loading_total_bytes_);
  int64_t eta = 1;
  if (loading_loaded_bytes_ > 0 && elapsed > 0) {
    const double rate = static_cast<double>(loading_loaded_bytes_) / elapsed;
    eta = static_cast<int64_t>(static_cast<double>(loading_total_bytes_ - loading_loaded_bytes_) /
                               rate);
  }
  out += Format("loading_start_time:%lld\r\n", static_cast<long long>(loading_start_s_));
  out +=
      Format("loading_total_bytes:%llu\r\n", static_cast<unsigned long long>(loading_total_bytes_));
  out += Format("loading_rdb_used_mem:%lld\r\n",
                static_cast<long long>(loading_rdb_used_mem_ < 0 ? 0 : loading_rdb_used_mem_));
  out += Format("loading_loaded_bytes:%llu\r\n",
                static_cast<unsigned long long>(loading_loaded_bytes_));
  out += Format("loading_loaded_perc:%.2f\r\n", perc);
  out += Format("loading_eta_seconds:%lld\r\n", static_cast<long long>(eta));
}

}  // namespace duet
