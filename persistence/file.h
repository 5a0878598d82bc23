#pragma once
// Files under the persistence formats: sequential output (WritableFile),
// sequential input (SequentialFile) and the few directory operations a safe
// file replacement needs (FileSystem).
//
// Two file systems implement them:
//   PosixFileSystem  the real one (open/write/fdatasync/rename/fsync(dir)).
//   MemFileSystem    for tests: keeps files in memory and models what a power
//                    loss leaves behind. Data appended to a file is durable
//                    only once the file is synced; a name created, renamed or
//                    removed is durable only once its directory is synced.
//                    CrashAfter(n) makes every operation after the n-th fail
//                    (the machine is "off"); Reboot() then throws away all
//                    that was not durable. A SIGKILL'ed process cannot show
//                    this, because the page cache keeps unsynced data.
//
// AtomicReplace() is the one way a persistence file is written: a temp file
// in the target's directory, synced, closed, renamed over the target, then
// the directory synced. A crash at any point leaves the old file or the
// complete new one under the target name, never a mix.
//
// Not thread-safe. Paths are plain strings; a path without '/' is in ".".

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "utils/status.h"

namespace duet {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends bytes (may buffer them).
  virtual Status Append(std::string_view data) = 0;
  // Pushes buffered bytes to the OS (no durability promise).
  virtual Status Flush() = 0;
  // Makes every byte appended so far durable.
  virtual Status Sync() = 0;
  // Flushes and closes; further calls fail. Implied by destruction (errors lost).
  virtual Status Close() = 0;
  // The descriptor behind the file, or -1 (in-memory files). Lets a
  // background thread fdatasync() it while the owner keeps appending.
  virtual int fd() const { return -1; }
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes. *result points at the bytes read (in `scratch`, or
  // in memory the file owns); fewer than n bytes only at the end of the file,
  // and an empty result means the end.
  virtual Status Read(size_t n, char* scratch, std::string_view* result) = 0;
  // Total size in bytes when known, else UINT64_MAX.
  virtual uint64_t Size() const = 0;
};

// WritableFile appending to a std::string the caller owns (DUMP payloads).
class StringWritableFile final : public WritableFile {
 public:
  explicit StringWritableFile(std::string* out) : out_(out) {}
  Status Append(std::string_view data) override {
    out_->append(data);
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }
  Status Sync() override { return Status::Ok(); }
  Status Close() override { return Status::Ok(); }

 private:
  std::string* out_;
};

// SequentialFile over bytes the caller keeps alive (RESTORE payloads, tests).
class StringSequentialFile final : public SequentialFile {
 public:
  explicit StringSequentialFile(std::string_view data) : data_(data) {}
  Status Read(size_t n, char* scratch, std::string_view* result) override;
  uint64_t Size() const override { return data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates (or truncates) a file for writing.
  virtual Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) = 0;
  // Opens an existing file; IoError with ENOENT's text when it is missing.
  virtual Status NewSequentialFile(const std::string& path,
                                   std::unique_ptr<SequentialFile>* out) = 0;
  // Opens a file for appending at its end, creating it if missing.
  virtual Status NewAppendableFile(const std::string& path, std::unique_ptr<WritableFile>* out) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // Cuts `path` to `size` bytes (a torn AOF tail).
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  // Creates directory `path` (its parent must exist); OK if it exists.
  virtual Status CreateDir(const std::string& path) = 0;
  // Replaces `to` if it exists.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Makes the names in directory `dir` durable (creations, renames, removals).
  virtual Status SyncDir(const std::string& dir) = 0;

  // The process-wide POSIX file system.
  static FileSystem& Posix();
};

// "dir/name" -> "dir"; "name" -> "."; "/name" -> "/".
std::string DirName(const std::string& path);

// Writes `path` atomically through a temp file named `temp_path` (by default
// "temp-<pid>.rdb" in path's directory): write(file), Sync, Close, Rename,
// SyncDir. On failure the temp file is removed (best effort) and `path` keeps
// its previous contents.
Status AtomicReplace(FileSystem& fs, const std::string& path,
                     const std::function<Status(WritableFile&)>& write,
                     const std::string& temp_path = "");

// The temp name AtomicReplace uses for `path` when none is given.
std::string DefaultTempPath(const std::string& path);

class MemFileSystem final : public FileSystem {
 public:
  MemFileSystem();
  ~MemFileSystem() override;

  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override;
  Status NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* out) override;
  Status NewAppendableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override;
  bool Exists(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Status CreateDir(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status SyncDir(const std::string& dir) override;

  // Creates a durable file with `contents` (test set-up).
  void Put(const std::string& path, std::string_view contents);
  // The current contents of `path`; false if it does not exist.
  bool Get(const std::string& path, std::string* contents) const;
  // Names that exist right now, sorted.
  std::vector<std::string> List() const;

  // Every operation that changes state, in order, as short text:
  // "create P", "append P <n>", "flush P", "sync P", "close P",
  // "rename A B", "remove P", "syncdir D". Operations refused after a crash
  // are not logged.
  const std::vector<std::string>& log() const { return log_; }
  void ClearLog() { log_.clear(); }

  // After `n` more logged operations, power is lost: every later operation
  // fails with IoError and changes nothing.
  void CrashAfter(size_t n);
  bool crashed() const { return crashed_; }
  // Power comes back: every file keeps only what its last Sync saw; names
  // are as the last SyncDir of their directory left them.
  void Reboot();

 private:
  struct Inode;
  class MemWritable;
  friend class MemWritable;

  // Counts one operation; false when power is (now) off.
  bool Step(const std::string& what);

  std::map<std::string, std::shared_ptr<Inode>> live_;
  std::map<std::string, std::shared_ptr<Inode>> durable_;
  std::vector<std::string> log_;
  bool crash_armed_ = false;
  size_t ops_left_ = 0;
  bool crashed_ = false;
};

}  // namespace duet
