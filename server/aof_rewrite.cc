// Aof: rewriting (a new base in a forked child, then a new manifest).

#include <unistd.h>

#include <cinttypes>

#include "persistence/aof_rewrite_resp.h"
#include "persistence/rdb_file.h"
#include "server/aof.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "utils/logging.h"

namespace duet {

Status Aof::WriteBase(const std::string& path, bool rdb, const std::string& temp) {
  const Keyspace& ks = server_.keyspace();
  if (rdb) {
    RdbSaveOptions o = server_.snapshots().SaveOptionsForAof();
    o.aof_base = true;
    if (!server_.config().aof_rewrite_incremental_fsync) o.write.autosync_bytes = 0;
    RdbSaveInfo info;
    return AtomicReplace(
        fs_, path, [&](WritableFile& f) { return SaveRdb(ks, f, o, &info); }, temp);
  }
  const int64_t now = server_.NowMs();
  const bool annotate = server_.config().aof_timestamp_enabled;
  return AtomicReplace(
      fs_, path,
      [&](WritableFile& f) {
        if (annotate) {
          Status s = f.Append("#TS:" + std::to_string(now / 1000) + "\r\n");
          if (!s.ok()) return s;
        }
        return WriteRespBase(ks, f, now);
      },
      temp);
}

Status Aof::CreateBaseNow() {
  const bool rdb = server_.config().aof_use_rdb_preamble;
  AofFileInfo base = manifest_.NewBase(prefix(), rdb, manifest_.incrs.size());
  Status s = WriteBase(PathOf(base.name), rdb,
                       PathOf("temp-rewriteaof-" + std::to_string(getpid()) + ".aof"));
  if (!s.ok()) return s;
  LogNotice("Creating AOF base file " + base.name + " on server start");
  return Status::Ok();
}

Status Aof::StartRewrite() {
  if (child_.running()) return Status::InvalidArgument("rewrite already running");
  Status s = fs_.CreateDir(DirPath());
  if (!s.ok()) return s;
  // Everything before the fork goes to the files the new base replaces.
  Flush(state_ == State::kOn);
  if (state_ == State::kOn) {
    // The new incr is listed at once: a crash during the rewrite replays
    // old base + old incrs + new incr, losing nothing.
    AofManifest m = manifest_;
    AofFileInfo incr = m.NewIncr(prefix());
    s = OpenIncr(incr.name, false);
    if (s.ok()) s = fs_.SyncDir(DirPath());
    if (s.ok()) s = PersistManifest(m);
    if (!s.ok()) {
      LogWarning("Can't open the new AOF incr file for the rewrite: " + s.message());
      last_rewrite_ok_ = false;
      last_rewrite_fail_ms_ = server_.NowMs();
      return s;
    }
    manifest_ = std::move(m);
  } else {
    // First rewrite after CONFIG SET appendonly yes: the incr file only
    // becomes part of the AOF with the base this rewrite produces.
    temp_incr_ = "temp-" + AofIncrName(prefix(), manifest_.incr_seq + 1);
    s = OpenIncr(temp_incr_, false);
    if (!s.ok()) {
      temp_incr_.clear();
      last_rewrite_ok_ = false;
      last_rewrite_fail_ms_ = server_.NowMs();
      return s;
    }
  }

  child_rdb_ = server_.config().aof_use_rdb_preamble;
  BackgroundSave::ForkHooks hooks;
  auto& notify = server_.hooks().notify_fork;
  if (notify) {
    hooks.prepare = [&] { notify(ForkPhase::kPrepare); };
    hooks.parent = [&] { notify(ForkPhase::kParent); };
    hooks.child = [&] { notify(ForkPhase::kChild); };
  }
  const std::string logfile = server_.config().logfile;
  const int verbosity = static_cast<int>(server_.config().loglevel);
  auto work = [&]() -> Status {
    const std::string temp = PathOf("temp-rewriteaof-bg-" + std::to_string(getpid()) + ".aof");
    // The parent renames it: the child writes (and syncs) under a temp name.
    Status w =
        WriteBase(temp, child_rdb_, PathOf("temp-rewriteaof-" + std::to_string(getpid()) + ".aof"));
    if (w.ok()) {
      ChildLog(logfile, verbosity, 2,
               "Successfully created the temporary AOF base file " +
                   std::string(temp.substr(temp.rfind('/') + 1)));
    } else {
      ChildLog(logfile, verbosity, 3, "Failed rewriting the append only file: " + w.message());
    }
    return w;
  };
  rewrite_start_ms_ = server_.NowMs();
  s = child_.Start(work, hooks);
  if (!s.ok()) {
    LogWarning("Can't rewrite append only file in background: fork: " + s.message());
    last_rewrite_ok_ = false;
    last_rewrite_fail_ms_ = server_.NowMs();
    return s;
  }
  child_temp_base_ = PathOf("temp-rewriteaof-bg-" + std::to_string(child_.pid()) + ".aof");
  // Where the child writes before its own rename: left behind if it dies.
  child_temp_write_ = PathOf("temp-rewriteaof-" + std::to_string(child_.pid()) + ".aof");
  server_.keyspace().access_clock().frozen = true;
  LogNotice("Background append only file rewriting started by pid " + std::to_string(child_.pid()));
  return Status::Ok();
}

void Aof::OnRewriteDone(const BackgroundSave::Result& r) {
  server_.keyspace().access_clock().frozen = false;
  last_cow_bytes_ = r.cow_bytes;
  last_rewrite_time_s_ = r.elapsed_ms / 1000;
  auto fail = [&](const std::string& why) {
    LogWarning(why);
    (void)fs_.Remove(child_temp_base_);
    (void)fs_.Remove(child_temp_write_);
    last_rewrite_ok_ = r.killed_by_us;
    if (!r.killed_by_us) {
      ++rewrite_failures_;
      last_rewrite_fail_ms_ = server_.NowMs();
    }
    // The first base is still missing: try again from the cron.
    if (state_ == State::kWaitRewrite) rewrite_scheduled_ = true;
  };
  if (!r.ok) {
    fail(r.killed_by_us ? "Background AOF rewrite terminated by us"
                        : "Background AOF rewrite terminated with error");
    return;
  }
  if (state_ == State::kOff) {  // appendonly was turned off meanwhile
    (void)fs_.Remove(child_temp_base_);
    return;
  }
  Flush(false);
  AofManifest m = manifest_;
  const bool waiting = state_ == State::kWaitRewrite;
  // On: the current incr (opened at the start) stays; Wait: none is listed yet.
  AofFileInfo base = m.NewBase(prefix(), child_rdb_, waiting ? 0 : 1);
  Status s = fs_.Rename(child_temp_base_, PathOf(base.name));
  AofFileInfo incr;
  if (s.ok() && waiting) {
    incr = m.NewIncr(prefix());
    s = fs_.Rename(PathOf(temp_incr_), PathOf(incr.name));
    if (s.ok()) incr_path_ = PathOf(incr.name);
  }
  if (s.ok()) s = fs_.SyncDir(DirPath());
  if (s.ok()) s = PersistManifest(m);
  if (!s.ok()) {
    fail("Error trying to install the rewritten AOF: " + s.message());
    return;
  }
  manifest_ = std::move(m);
  temp_incr_.clear();
  if (waiting) {
    state_ = State::kOn;
    LogNotice("AOF rewrite done: the append only file is now enabled");
  }
  base_size_ = FileSize(base.name);
  other_incrs_ = 0;
  rewrite_base_size_ = base_size_ + incr_size_;
  ++rewrites_;
  rewrite_failures_ = 0;
  last_rewrite_ok_ = true;
  LogNotice("Background AOF rewrite terminated with success");
  RemoveHistory();
  LogNotice("Background AOF rewrite finished successfully");
}

void Aof::KillChild() {
  if (!child_.running()) return;
  BackgroundSave::Result r = child_.Kill();
  (void)fs_.Remove(child_temp_base_);
  (void)fs_.Remove(child_temp_write_);
  server_.keyspace().access_clock().frozen = false;
  (void)r;
}

}  // namespace duet
