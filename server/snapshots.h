#pragma once
// Snapshots: the server's side of RDB persistence, with Redis 7.0's rules.
//
//   SAVE            Save(): foreground, the whole keyspace to `dbfilename`
//                   in `dir` (the working directory), atomically.
//   BGSAVE          Bgsave(): fork; the child writes the file and exits, the
//                   parent keeps serving and reaps it from Cron().
//   save points     Cron() starts a BGSAVE when `save <secs> <changes>` says
//                   so (and retries a failed one after 5 seconds at most).
//   SHUTDOWN        PrepareShutdown(): kills a running child and, when save
//                   points are set (or SHUTDOWN SAVE), saves in the foreground;
//                   a failed save keeps the server running unless FORCE.
//   FLUSHALL        OnFlushAll(): kills a running child; with save points,
//                   saves the now empty dataset.
//   DEBUG RELOAD    Reload(): save, empty, load again.
//   start-up        LoadAtStartup(): loads the dump if there is one, serving
//                   -LOADING to clients meanwhile.
//   MISCONF         WritesDenied(): after a failed background save, with
//                   save points and stop-writes-on-bgsave-error, writes (and
//                   PING) are refused until a save succeeds.
//
// Counters follow Redis: a successful save resets the dirty counter (a
// background one subtracts what was dirty when it forked).

#include <cstdint>
#include <functional>
#include <string>

#include "persistence/snapshot.h"
#include "utils/status.h"

namespace duet {

class Server;

class Snapshots {
 public:
  explicit Snapshots(Server& server);
  ~Snapshots();
  Snapshots(const Snapshots&) = delete;
  Snapshots& operator=(const Snapshots&) = delete;

  // The dump file, relative to the working directory (`dir`).
  const std::string& path() const;
  bool HasSavePoints() const;

  // Foreground save; logs the outcome. REQUIRES: no child is running (the
  // commands check; Reload and shutdown kill it first).
  Status Save();

  enum class BgsaveResult { kStarted, kScheduled, kAlreadyRunning, kFailed };
  // BGSAVE [SCHEDULE]. `schedule`: when the save cannot start now because
  // another child runs, start it from the cron later.
  BgsaveResult Bgsave(bool schedule);
  bool bgsave_running() const { return child_.running(); }
  // BGSAVE inside EXEC: Redis forks from the cron afterwards, not mid-transaction.
  void ScheduleBgsave() { bgsave_scheduled_ = true; }

  // Reaps a finished child, then starts a scheduled or due background save.
  void Cron();

  // Stops a running child and removes its temp file.
  void KillChild();

  // For SHUTDOWN and SIGTERM/SIGINT. False (logged) when the final save
  // failed and `force` is not set: the server must keep running.
  bool PrepareShutdown(bool save, bool nosave, bool force);

  // After FLUSHALL emptied the keyspace.
  void OnFlushAll();

  // DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]. Errors are reply texts.
  Status Reload(bool save, bool flush, bool merge);

  // Loads the dump at start-up, if it exists. `process_events` runs while
  // loading (every loading-process-events-interval-bytes) and returns false
  // when the server must stop (then the load is abandoned).
  Status LoadAtStartup(const std::function<bool()>& process_events);

  bool loading() const { return loading_; }
  // Another loader (the AOF) marks the loading period, so clients get
  // -LOADING and INFO shows it.
  void BeginExternalLoad(uint64_t total_bytes);
  void EndExternalLoad() { loading_ = false; }
  // The RDB save settings of this server (the AOF's RDB preamble uses them).
  RdbSaveOptions SaveOptionsForAof() const { return SaveOptions(); }
  // Checked on every command: the common case is one inline test.
  bool WritesDenied() const { return !last_bgsave_ok_ && WritesDeniedAfterError(); }
  int64_t lastsave_s() const { return lastsave_s_; }

  // The RDB lines of INFO persistence ("loading" .. "rdb_last_load_keys_loaded").
  void AppendInfo(std::string& out) const;
  // Lines INFO appends at the end of the section while loading.
  void AppendLoadingInfo(std::string& out) const;

 private:
  int64_t NowSeconds() const;
  bool WritesDeniedAfterError() const;
  RdbSaveOptions SaveOptions() const;
  void OnChildDone(const BackgroundSave::Result& r);
  Status LoadFile(bool merge, RdbLoadInfo* info, const std::function<bool()>& process_events);

  Server& server_;
  BackgroundSave child_;
  uint64_t dirty_before_bgsave_ = 0;
  int64_t lastsave_s_;
  int64_t last_bgsave_try_s_ = 0;
  bool last_bgsave_ok_ = true;
  bool bgsave_scheduled_ = false;
  int64_t last_bgsave_time_s_ = -1;
  uint64_t last_cow_bytes_ = 0;
  uint64_t rdb_saves_ = 0;
  uint64_t last_load_keys_loaded_ = 0;
  uint64_t last_load_keys_expired_ = 0;
  // Loading progress (INFO while loading).
  bool loading_ = false;
  int64_t loading_start_s_ = 0;
  int64_t loading_start_us_ = 0;
  uint64_t loading_total_bytes_ = 0;
  uint64_t loading_loaded_bytes_ = 0;
  int64_t loading_rdb_used_mem_ = 0;
  int64_t last_progress_log_us_ = 0;
};

}  // namespace duet
