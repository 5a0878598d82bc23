#pragma once
// Snapshots: the dump file as a whole. Saving it safely (AtomicReplace),
// loading it, deciding when a save point is due, and running a save in a
// forked child (BGSAVE).
//
// The background save follows Redis's model: fork(); the child owns a
// frozen copy of the keyspace (copy-on-write), writes the file, reports how
// much memory the copy-on-write cost through a pipe, and _exit()s; the parent
// keeps serving and reaps the child from its cron (BackgroundSave::Poll).
// The child uses no locks and no logger: it writes its log lines with plain
// write(2) (ChildLog).

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "storage/keyspace.h"
#include "utils/status.h"

namespace duet {

// One `save <seconds> <changes>` point.
struct SavePoint {
  int64_t seconds = 0;
  int64_t changes = 0;
};

// "3600 1 300 100" -> {{3600, 1}, {300, 100}}. Malformed pairs are skipped
// (the configuration parser already refused them).
std::vector<SavePoint> ParseSavePoints(std::string_view text);

// Redis's serverCron rule: some point has at least `changes` changes and more
// than `seconds` since the last successful save, and either the last
// background save succeeded or `retry_delay_s` passed since the last try.
bool SavePointDue(const std::vector<SavePoint>& points, uint64_t dirty, int64_t now_s,
                  int64_t last_save_s, bool last_bgsave_ok, int64_t last_try_s,
                  int64_t retry_delay_s = 5);

// Writes `ks` to `path` atomically (temp file named after `temp_pid`).
Status SaveSnapshot(FileSystem& fs, const std::string& path, const Keyspace& ks,
                    const RdbSaveOptions& options, RdbSaveInfo* info, pid_t temp_pid);

// Loads `path` into `ks`. Errors name the file: "Bad RDB file 'dump.rdb':
// wrong RDB checksum (...) at offset 1234".
Status LoadSnapshot(FileSystem& fs, const std::string& path, Keyspace& ks,
                    const RdbLoadOptions& options, RdbLoadInfo* info);

// "temp-<pid>.rdb" next to `path`.
std::string SnapshotTempPath(const std::string& path, pid_t pid);

// A log line in Duet's format from a forked child ("pid:C date level msg"),
// appended to `logfile` (standard output when empty) with write(2).
// `level`: 0 debug .. 3 warning; dropped when below `verbosity`.
void ChildLog(const std::string& logfile, int verbosity, int level, std::string_view msg);

// Private_Dirty bytes of this process (/proc/self/smaps_rollup): in a
// forked child, the memory copy-on-write has cost so far. 0 if unknown.
uint64_t PrivateDirtyBytes();

class BackgroundSave {
 public:
  struct ForkHooks {
    std::function<void()> prepare;  // before fork(), in the parent
    std::function<void()> parent;   // after fork(), in the parent
    std::function<void()> child;    // after fork(), in the child
  };
  struct Result {
    bool ok = false;
    bool killed_by_us = false;  // Kill() stopped it (not an error in Redis's eyes)
    int signal = 0;             // the child died of this signal (0 = exited)
    int exit_code = 0;
    int64_t elapsed_ms = 0;
    uint64_t cow_bytes = 0;  // copy-on-write cost the child reported
  };

  BackgroundSave() = default;
  ~BackgroundSave();
  BackgroundSave(const BackgroundSave&) = delete;
  BackgroundSave& operator=(const BackgroundSave&) = delete;

  // Forks. The child calls hooks.child, then `work`, reports its
  // copy-on-write cost, and exits with status 0 when work returned OK, 1
  // otherwise. Fails (nothing forked) if a child is running or fork fails.
  Status Start(const std::function<Status()>& work, const ForkHooks& hooks);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int64_t start_ms() const { return start_ms_; }

  // Reaps the child if it has finished (never blocks). True with *result
  // filled when it did.
  bool Poll(Result* result);
  // Blocks until the child finishes.
  Result Wait();
  // Stops the child (SIGUSR1, as Redis does) and reaps it.
  Result Kill();

 private:
  Result Reaped(int wstatus);

  pid_t pid_ = -1;
  int pipe_rd_ = -1;
  int64_t start_ms_ = 0;
  bool killing_ = false;
};

}  // namespace duet
