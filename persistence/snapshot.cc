#include "persistence/snapshot.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "utils/clock.h"

namespace duet {

std::vector<SavePoint> ParseSavePoints(std::string_view text) {
  std::vector<SavePoint> points;
  std::vector<int64_t> nums;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    int64_t v = 0;
    bool digits = false;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      v = v * 10 + (text[j] - '0');
      ++j;
      digits = true;
    }
    if (!digits) break;
    nums.push_back(v);
    i = j;
  }
  for (size_t k = 0; k + 1 < nums.size(); k += 2) points.push_back({nums[k], nums[k + 1]});
  return points;
}

bool SavePointDue(const std::vector<SavePoint>& points, uint64_t dirty, int64_t now_s,
                  int64_t last_save_s, bool last_bgsave_ok, int64_t last_try_s,
                  int64_t retry_delay_s) {
  for (const SavePoint& p : points) {
    if (dirty >= static_cast<uint64_t>(p.changes) && now_s - last_save_s > p.seconds &&
        (last_bgsave_ok || now_s - last_try_s > retry_delay_s)) {
      return true;
    }
  }
  return false;
}

std::string SnapshotTempPath(const std::string& path, pid_t pid) {
  std::string name = "temp-" + std::to_string(pid) + ".rdb";
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

Status SaveSnapshot(FileSystem& fs, const std::string& path, const Keyspace& ks,
                    const RdbSaveOptions& options, RdbSaveInfo* info, pid_t temp_pid) {
  return AtomicReplace(
      fs, path, [&](WritableFile& f) { return SaveRdb(ks, f, options, info); },
      SnapshotTempPath(path, temp_pid));
}

Status LoadSnapshot(FileSystem& fs, const std::string& path, Keyspace& ks,
                    const RdbLoadOptions& options, RdbLoadInfo* info) {
  std::unique_ptr<SequentialFile> file;
  Status s = fs.NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  s = LoadRdb(*file, ks, options, info);
  if (s.ok() || s.code() == Status::Code::kIoError) return s;
  std::string msg = "Bad RDB file '" + path + "': " + s.message();
  return s.code() == Status::Code::kNotSupported ? Status::NotSupported(std::move(msg))
                                                 : Status::Corruption(std::move(msg));
}

void ChildLog(const std::string& logfile, int verbosity, int level, std::string_view msg) {
  if (level < verbosity) return;
  static const char kMarks[] = ".-*#";
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  localtime_r(&ts.tv_sec, &tm);
  char date[64];
  strftime(date, sizeof(date), "%d %b %Y %H:%M:%S", &tm);
  char head[128];
  int n = std::snprintf(head, sizeof(head), "%d:C %s.%03ld %c ", static_cast<int>(getpid()), date,
                        ts.tv_nsec / 1000000,
                        kMarks[level < 0   ? 0
                               : level > 3 ? 3
                                           : level]);
  std::string line(head, static_cast<size_t>(n));
  line.append(msg);
  line.push_back('\n');
  int fd = 1;
  if (!logfile.empty())
    fd = ::open(logfile.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t ignored = ::write(fd, line.data(), line.size());
  (void)ignored;
  if (fd != 1) ::close(fd);
}

uint64_t PrivateDirtyBytes() {
  int fd = ::open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof(buf) - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* p = std::strstr(buf, "Private_Dirty:");
  if (p == nullptr) return 0;
  return std::strtoull(p + 14, nullptr, 10) * 1024;
}

// ---------------------------------------------------------------------------
// BackgroundSave

BackgroundSave::~BackgroundSave() {
  if (running()) (void)Kill();
}

Status BackgroundSave::Start(const std::function<Status()>& work, const ForkHooks& hooks) {
  if (running()) return Status::InvalidArgument("a background save is already running");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::IoError(std::strerror(errno));
  if (hooks.prepare) hooks.prepare();
  const int64_t start = MonotonicMicros() / 1000;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (hooks.child) hooks.child();
    Status s = work();
    uint64_t cow = PrivateDirtyBytes();
    ssize_t ignored = ::write(fds[1], &cow, sizeof(cow));
    (void)ignored;
    ::_exit(s.ok() ? 0 : 1);
  }
  const int err = errno;
  if (hooks.parent) hooks.parent();
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return Status::IoError(std::strerror(err));
  }
  pid_ = pid;
  pipe_rd_ = fds[0];
  start_ms_ = start;
  killing_ = false;
  return Status::Ok();
}

BackgroundSave::Result BackgroundSave::Reaped(int wstatus) {
  Result r;
  r.elapsed_ms = MonotonicMicros() / 1000 - start_ms_;
  if (WIFSIGNALED(wstatus)) {
    r.signal = WTERMSIG(wstatus);
  } else if (WIFEXITED(wstatus)) {
    r.exit_code = WEXITSTATUS(wstatus);
  }
  r.ok = r.signal == 0 && r.exit_code == 0;
  r.killed_by_us = killing_;
  uint64_t cow = 0;
  if (::read(pipe_rd_, &cow, sizeof(cow)) == static_cast<ssize_t>(sizeof(cow))) r.cow_bytes = cow;
  ::close(pipe_rd_);
  pipe_rd_ = -1;
  pid_ = -1;
  killing_ = false;
  return r;
}

bool BackgroundSave::Poll(Result* result) {
  if (!running()) return false;
  int wstatus = 0;
  pid_t got = ::waitpid(pid_, &wstatus, WNOHANG);
  if (got == 0) return false;
  if (got < 0) wstatus = 1 << 8;  // lost track of the child: count it as failed
  *result = Reaped(wstatus);
  return true;
}

BackgroundSave::Result BackgroundSave::Wait() {
  int wstatus = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &wstatus, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) wstatus = 1 << 8;
  return Reaped(wstatus);
}

BackgroundSave::Result BackgroundSave::Kill() {
  killing_ = true;
  ::kill(pid_, SIGUSR1);
  return Wait();
}

}  // namespace duet
