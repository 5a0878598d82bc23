#pragma once
// Aof: the server's append-only file, in Redis 7.0's multi-part layout
// (persistence/aof_manifest.h): a base file, incremental files and a
// manifest in `appenddirname` (inside `dir`).
//
// Writing. Server::Propagate feeds every change as a RESP command into one
// in-memory buffer (Feed: a SELECT first when the database differs from the
// last one fed). Before any reply leaves the process, the network calls
// FlushBeforeReplies(): one write of the whole buffer per event-loop turn,
// then, under `appendfsync always`, a sync in the same turn; under
// `everysec` a background thread (AofSyncer) syncs at most once a second;
// under `no` the kernel decides. So a client never sees the reply to a write
// that is not in the file (and, with `always`, on disk).
//
// Rewriting (BGREWRITEAOF, automatic growth, CONFIG SET appendonly yes):
// the parent first switches to a new incr file (recorded in the manifest at
// once, so a crash mid-rewrite loses nothing), then forks; the child writes
// the new base (an RDB preamble, or RESP with aof-use-rdb-preamble no) to a
// temp file; when it succeeded the parent renames it, writes the new manifest
// atomically (the older base and incr files become history) and deletes the
// history files. Nothing is buffered in memory during a rewrite.
//
// Loading (LoadAtStartup, DEBUG LOADAOF) replays base and incr files through
// Server::Call with an internal client, honouring aof-load-truncated.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "persistence/aof_manifest.h"
#include "persistence/aof_record.h"
#include "persistence/file.h"
#include "persistence/snapshot.h"
#include "server/aof_fsync.h"
#include "utils/status.h"

namespace duet {

class Server;

class Aof {
 public:
  enum class State { kOff, kOn, kWaitRewrite };

  // `fs` is where the files live (tests pass a MemFileSystem).
  Aof(Server& server, FileSystem& fs);
  ~Aof();
  Aof(const Aof&) = delete;
  Aof& operator=(const Aof&) = delete;

  // True when changes must be fed (appendonly on, or its first rewrite runs).
  bool active() const { return state_ != State::kOff; }
  State state() const { return state_; }

  // Appends one command for database `db` to the buffer.
  void Feed(int db, std::span<const std::string_view> argv) {
    if (timestamps_) AnnotateTimeIfNew();
    if (db != selected_db_) {
      AppendAofSelect(buf_, db);
      selected_db_ = db;
    }
    AppendAofRecord(buf_, argv);
  }
  // Raw RESP (already formatted records, e.g. MULTI/EXEC) in the current db.
  void FeedRaw(std::string_view resp) {
    if (timestamps_) AnnotateTimeIfNew();
    buf_.append(resp);
  }
  // aof-timestamp-enabled: from now on (not) annotating records with time.
  void set_timestamps(bool on) { timestamps_ = on; }
  // Deletes the files a rewrite replaced (kept while aof-disable-auto-gc).
  void RemoveHistory();

  // Writes the buffer (and syncs under `always`). Cheap when it is empty.
  void FlushBeforeReplies() {
    if (!buf_.empty()) Flush(false);
  }
  // After a failed write (everysec / no): writes are refused with MISCONF
  // until a write succeeds again, as in Redis.
  // A failed background sync (everysec) counts too, until one succeeds.
  bool WritesDenied() const {
    return (!last_write_ok_ || syncer_.last_error() != 0) && state_ != State::kOff;
  }
  // "MISCONF Errors writing to the AOF file: <reason>".
  std::string WriteErrorReply() const;
  // Writes the buffer and syncs the file in the foreground (shutdown).
  void FlushAndSync();

  // Start-up with appendonly yes: load the files (creating the first base and
  // incr when there are none) and open the last incr file for appending.
  // `process_events` runs while loading; false from it abandons the load.
  Status LoadAtStartup(const std::function<bool()>& process_events);
  // DEBUG LOADAOF: flush, empty the keyspace, load the files again (with
  // appendonly off, those the manifest on disk lists, as Redis does).
  Status Reload();

  // CONFIG SET appendonly yes|no.
  Status TurnOn();
  void TurnOff();

  enum class RewriteResult { kStarted, kScheduled, kAlreadyRunning, kFailed };
  // BGREWRITEAOF.
  RewriteResult Rewrite();
  bool rewrite_running() const { return child_.running(); }
  bool rewrite_scheduled() const { return rewrite_scheduled_; }
  void KillChild();

  // Reaps a finished rewrite, starts a scheduled or automatic one, writes
  // and syncs (everysec) what is pending.
  void Cron();

  // The aof_* lines of INFO persistence.
  void AppendInfo(std::string& out) const;

  // What happens when a write or sync fails where losing acknowledged data
  // is the alternative (appendfsync always): by default the process exits,
  // as Redis does. Tests install a handler that records the failure; the
  // buffer is then kept and the Aof stays usable for inspection.
  void set_fatal_handler(std::function<void(const std::string&)> fn) { fatal_ = std::move(fn); }

  // For tests: bytes written to the current incr file / known to be synced.
  uint64_t written_bytes() const { return incr_size_; }
  const std::string& buffer() const { return buf_; }
  const AofManifest& manifest() const { return manifest_; }
  std::string DirPath() const;

 private:
  void Flush(bool force_sync);
  void Fatal(const std::string& msg);
  std::string PathOf(const std::string& name) const;
  const std::string& prefix() const;
  Status PersistManifest(const AofManifest& m);
  Status OpenIncr(const std::string& name, bool append);
  Status CreateBaseNow();
  Status OpenAfterLoad();
  Status ReadManifest(AofManifest* out);
  // Writes a base file of the whole keyspace to `path` (in the child, or at start-up).
  Status WriteBase(const std::string& path, bool rdb, const std::string& temp);
  Status LoadFiles(const std::function<bool()>& process_events);
  Status LoadOneFile(const AofFileInfo& f, bool last, const std::function<bool()>& process_events,
                     bool* in_multi_at_end);
  Status StartRewrite();
  void OnRewriteDone(const BackgroundSave::Result& r);
  // aof-timestamp-enabled: "#TS:<unix seconds>" before the first record of
  // each new second, as Redis writes it (loaders skip '#' lines).
  void AnnotateTimeIfNew();
  void MaybeAutoRewrite();
  uint64_t FileSize(const std::string& name) const;

  Server& server_;
  FileSystem& fs_;
  State state_ = State::kOff;
  std::string buf_;
  int selected_db_ = -1;
  bool timestamps_ = false;
  int64_t last_timestamp_s_ = 0;  // the newest "#TS:" written
  AofManifest manifest_;
  std::unique_ptr<WritableFile> incr_;
  std::string incr_path_;  // where incr_ is now (it is renamed when a first rewrite ends)
  std::string temp_incr_;  // kWaitRewrite: the incr file being written before its base exists
  AofSyncer syncer_;
  BackgroundSave child_;
  std::string child_temp_base_;
  std::string child_temp_write_;  // the child's own temp name, before its rename
  bool child_rdb_ = true;
  bool rewrite_scheduled_ = false;
  // Sizes (INFO, auto rewrite).
  uint64_t base_size_ = 0;
  uint64_t incr_size_ = 0;    // bytes in the current incr file
  uint64_t other_incrs_ = 0;  // bytes in earlier incr files still listed
  uint64_t rewrite_base_size_ = 0;
  uint64_t synced_bytes_ = 0;  // of incr_size_, known durable (always / foreground syncs)
  int64_t last_fsync_ms_ = 0;
  // Status.
  bool last_write_ok_ = true;
  std::string last_write_error_;  // the OS's reason, e.g. "No space left on device"
  bool last_rewrite_ok_ = true;
  uint64_t rewrites_ = 0;
  uint64_t rewrite_failures_ = 0;
  int64_t last_rewrite_time_s_ = -1;
  int64_t rewrite_start_ms_ = 0;
  uint64_t last_cow_bytes_ = 0;
  uint64_t delayed_fsync_ = 0;
  int64_t last_rewrite_fail_ms_ = 0;
  std::function<void(const std::string&)> fatal_;
};

}  // namespace duet
