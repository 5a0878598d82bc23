#include "persistence/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace duet {
namespace {

Status PosixError(const std::string& what, const std::string& path, int err) {
  return Status::IoError(what + " '" + path + "': " + std::strerror(err));
}

// Buffers small appends so a file is written in large write(2) calls.
class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    buf_.reserve(kBufSize);
  }
  ~PosixWritableFile() override { (void)Close(); }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return Status::IoError("write to closed file '" + path_ + "'");
    if (buf_.size() + data.size() <= kBufSize) {
      buf_.append(data);
      return Status::Ok();
    }
    Status s = Flush();
    if (!s.ok()) return s;
    if (data.size() < kBufSize) {
      buf_.append(data);
      return Status::Ok();
    }
    return WriteAll(data.data(), data.size());
  }

  Status Flush() override {
    if (fd_ < 0) return Status::IoError("flush of closed file '" + path_ + "'");
    Status s = WriteAll(buf_.data(), buf_.size());
    buf_.clear();
    return s;
  }

  int fd() const override { return fd_; }

  Status Sync() override {
    Status s = Flush();
    if (!s.ok()) return s;
    if (fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    Status s = Flush();
    if (::close(fd_) != 0 && s.ok()) s = PosixError("close", path_, errno);
    fd_ = -1;
    return s;
  }

 private:
  static constexpr size_t kBufSize = 64 * 1024;

  Status WriteAll(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return PosixError("write", path_, errno);
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::Ok();
  }

  std::string path_;
  int fd_;
  std::string buf_;
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixSequentialFile() override { ::close(fd_); }

  Status Read(size_t n, char* scratch, std::string_view* result) override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::read(fd_, scratch + got, n - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("read", path_, errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    *result = std::string_view(scratch, got);
    return Status::Ok();
  }
  uint64_t Size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("Failed opening", path, errno);
    *out = std::make_unique<PosixWritableFile>(path, fd);
    return Status::Ok();
  }
  Status NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* out) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("Failed opening", path, errno);
    struct stat st;
    uint64_t size = UINT64_MAX;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    *out = std::make_unique<PosixSequentialFile>(path, fd, size);
    return Status::Ok();
  }
  Status NewAppendableFile(const std::string& path, std::unique_ptr<WritableFile>* out) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("Failed opening", path, errno);
    *out = std::make_unique<PosixWritableFile>(path, fd);
    return Status::Ok();
  }
  bool Exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }
  Status Truncate(const std::string& path, uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return PosixError("truncate", path, errno);
    }
    return Status::Ok();
  }
  Status CreateDir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return PosixError("mkdir", path, errno);
    }
    return Status::Ok();
  }
  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return PosixError("rename to", to, errno);
    return Status::Ok();
  }
  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("unlink", path, errno);
    return Status::Ok();
  }
  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError("open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return PosixError("fsync directory", dir, err);
    return Status::Ok();
  }
};

}  // namespace

Status StringSequentialFile::Read(size_t n, char* scratch, std::string_view* result) {
  (void)scratch;
  size_t k = std::min(n, data_.size() - pos_);
  *result = data_.substr(pos_, k);
  pos_ += k;
  return Status::Ok();
}

FileSystem& FileSystem::Posix() {
  static PosixFileSystem fs;
  return fs;
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string DefaultTempPath(const std::string& path) {
  std::string name = "temp-" + std::to_string(getpid()) + ".rdb";
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

Status AtomicReplace(FileSystem& fs, const std::string& path,
                     const std::function<Status(WritableFile&)>& write,
                     const std::string& temp_path) {
  const std::string temp = temp_path.empty() ? DefaultTempPath(path) : temp_path;
  std::unique_ptr<WritableFile> file;
  Status s = fs.NewWritableFile(temp, &file);
  if (!s.ok()) return s;
  s = write(*file);
  // The data must be durable before the name points at it, or a crash right
  // after the rename could leave an empty or partial file under `path`.
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) s = fs.Rename(temp, path);
  if (!s.ok()) {
    file.reset();
    (void)fs.Remove(temp);
    return s;
  }
  // Without this, the rename itself may be lost in a crash (the old file
  // comes back), although the caller was told the save succeeded.
  return fs.SyncDir(DirName(path));
}

// ---------------------------------------------------------------------------
// MemFileSystem

struct MemFileSystem::Inode {
  std::string data;    // what a reader sees now
  std::string synced;  // what survives a power loss
};

class MemFileSystem::MemWritable final : public WritableFile {
 public:
  MemWritable(MemFileSystem* fs, std::string path, std::shared_ptr<Inode> inode)
      : fs_(fs), path_(std::move(path)), inode_(std::move(inode)) {}

  Status Append(std::string_view data) override {
    if (closed_) return Status::IoError("append to closed file");
    if (!fs_->Step("append " + path_ + " " + std::to_string(data.size()))) return PowerOff();
    inode_->data.append(data);
    return Status::Ok();
  }
  Status Flush() override {
    if (closed_) return Status::IoError("flush of closed file");
    if (!fs_->Step("flush " + path_)) return PowerOff();
    return Status::Ok();
  }
  Status Sync() override {
    if (closed_) return Status::IoError("sync of closed file");
    if (!fs_->Step("sync " + path_)) return PowerOff();
    inode_->synced = inode_->data;
    return Status::Ok();
  }
  Status Close() override {
    if (closed_) return Status::Ok();
    closed_ = true;
    if (!fs_->Step("close " + path_)) return PowerOff();
    return Status::Ok();
  }

 private:
  static Status PowerOff() { return Status::IoError("simulated power loss"); }

  MemFileSystem* fs_;
  std::string path_;
  std::shared_ptr<Inode> inode_;
  bool closed_ = false;
};

MemFileSystem::MemFileSystem() = default;
MemFileSystem::~MemFileSystem() = default;

bool MemFileSystem::Step(const std::string& what) {
  if (crashed_) return false;
  if (crash_armed_) {
    if (ops_left_ == 0) {
      crashed_ = true;
      return false;
    }
    --ops_left_;
  }
  log_.push_back(what);
  return true;
}

Status MemFileSystem::NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* out) {
  if (!Step("create " + path)) return Status::IoError("simulated power loss");
  auto it = live_.find(path);
  std::shared_ptr<Inode> inode;
  if (it != live_.end()) {
    inode = it->second;  // O_TRUNC keeps the inode, drops its (unsynced) bytes
    inode->data.clear();
  } else {
    inode = std::make_shared<Inode>();
    live_[path] = inode;
  }
  *out = std::make_unique<MemWritable>(this, path, std::move(inode));
  return Status::Ok();
}

Status MemFileSystem::NewSequentialFile(const std::string& path,
                                        std::unique_ptr<SequentialFile>* out) {
  if (crashed_) return Status::IoError("simulated power loss");
  auto it = live_.find(path);
  if (it == live_.end()) {
    return Status::IoError("Failed opening '" + path + "': " + std::strerror(ENOENT));
  }
  // A snapshot of the contents: the reader owns its bytes.
  struct Owned final : SequentialFile {
    explicit Owned(std::string d) : data(std::move(d)), in(data) {}
    Status Read(size_t n, char* scratch, std::string_view* result) override {
      return in.Read(n, scratch, result);
    }
    uint64_t Size() const override { return data.size(); }
    std::string data;
    StringSequentialFile in;
  };
  *out = std::make_unique<Owned>(it->second->data);
  return Status::Ok();
}

Status MemFileSystem::NewAppendableFile(const std::string& path,
                                        std::unique_ptr<WritableFile>* out) {
  if (!Step("open " + path)) return Status::IoError("simulated power loss");
  std::shared_ptr<Inode>& inode = live_[path];
  if (inode == nullptr) inode = std::make_shared<Inode>();
  *out = std::make_unique<MemWritable>(this, path, inode);
  return Status::Ok();
}

bool MemFileSystem::Exists(const std::string& path) { return live_.count(path) != 0; }

Status MemFileSystem::Truncate(const std::string& path, uint64_t size) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::IoError("truncate: no such file '" + path + "'");
  if (!Step("truncate " + path)) return Status::IoError("simulated power loss");
  if (it->second->data.size() > size) it->second->data.resize(size);
  return Status::Ok();
}

Status MemFileSystem::CreateDir(const std::string& path) {
  if (!Step("mkdir " + path)) return Status::IoError("simulated power loss");
  return Status::Ok();
}

Status MemFileSystem::Rename(const std::string& from, const std::string& to) {
  auto it = live_.find(from);
  if (it == live_.end()) return Status::IoError("rename: no such file '" + from + "'");
  if (!Step("rename " + from + " " + to)) return Status::IoError("simulated power loss");
  std::shared_ptr<Inode> inode = it->second;
  live_.erase(it);
  live_[to] = std::move(inode);
  return Status::Ok();
}

Status MemFileSystem::Remove(const std::string& path) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::IoError("unlink: no such file '" + path + "'");
  if (!Step("remove " + path)) return Status::IoError("simulated power loss");
  live_.erase(it);
  return Status::Ok();
}

Status MemFileSystem::SyncDir(const std::string& dir) {
  if (!Step("syncdir " + dir)) return Status::IoError("simulated power loss");
  for (auto it = durable_.begin(); it != durable_.end();) {
    it = DirName(it->first) == dir ? durable_.erase(it) : std::next(it);
  }
  for (const auto& [name, inode] : live_) {
    if (DirName(name) == dir) durable_[name] = inode;
  }
  return Status::Ok();
}

void MemFileSystem::Put(const std::string& path, std::string_view contents) {
  auto inode = std::make_shared<Inode>();
  inode->data = inode->synced = std::string(contents);
  live_[path] = inode;
  durable_[path] = inode;
}

bool MemFileSystem::Get(const std::string& path, std::string* contents) const {
  auto it = live_.find(path);
  if (it == live_.end()) return false;
  *contents = it->second->data;
  return true;
}

std::vector<std::string> MemFileSystem::List() const {
  std::vector<std::string> names;
  for (const auto& [name, inode] : live_) names.push_back(name);
  return names;
}

void MemFileSystem::CrashAfter(size_t n) {
  crash_armed_ = true;
  ops_left_ = n;
}

void MemFileSystem::Reboot() {
  live_ = durable_;
  for (auto& [name, inode] : live_) inode->data = inode->synced;
  crash_armed_ = false;
  crashed_ = false;
}

}  // namespace duet
