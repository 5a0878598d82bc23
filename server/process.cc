#include "server/process.h"

#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/version.h"

namespace duet {
namespace {

char g_crash_log[4096];  // empty = standard output
const char* volatile g_current_command = nullptr;

// Appends a NUL-terminated string without stdio (async-signal-safe).
void Put(int fd, const char* s) {
  size_t n = std::strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) {
      if (w < 0 && errno == EINTR) continue;
      return;
    }
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void PutNumber(int fd, long v) {
  char buf[24];
  int i = 23;
  buf[i] = '\0';
  bool neg = v < 0;
  unsigned long u = neg ? 0UL - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
  do {
    buf[--i] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0 && i > 1);
  if (neg) buf[--i] = '-';
  Put(fd, buf + i);
}

const char* SignalName(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
  }
  return "signal";
}

void OnFatalSignal(int sig, siginfo_t* info, void*) {
  int fd = 1;
  if (g_crash_log[0] != '\0') {
    int f = open(g_crash_log, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (f >= 0) fd = f;
  }
  Put(fd, "\n\n=== DUET BUG REPORT START: Cut & paste starting from here ===\n");
  Put(fd, "# Duet ");
  Put(fd, DUET_VERSION);
  Put(fd, " crashed by signal: ");
  PutNumber(fd, sig);
  Put(fd, " (");
  Put(fd, SignalName(sig));
  Put(fd, ")\n# pid: ");
  PutNumber(fd, static_cast<long>(getpid()));
  if (info != nullptr && (sig == SIGSEGV || sig == SIGBUS)) {
    Put(fd, "\n# Accessing address: ");
    char hex[32];
    unsigned long a = reinterpret_cast<unsigned long>(info->si_addr);
    int i = 31;
    hex[i] = '\0';
    do {
      hex[--i] = "0123456789abcdef"[a & 15];
      a >>= 4;
    } while (a != 0 && i > 2);
    hex[--i] = 'x';
    hex[--i] = '0';
    Put(fd, hex + i);
  }
  Put(fd, "\n# Command being run: ");
  const char* cmd = g_current_command;
  Put(fd, cmd != nullptr ? cmd : "(none)");
  Put(fd, "\n\n------ STACK TRACE ------\n");
  void* frames[64];
  int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, fd);
  Put(fd, "\n=== DUET BUG REPORT END. Make sure to include from START to END. ===\n\n");
  if (fd != 1) close(fd);
  // Die of the same signal, so the exit status tells what happened.
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void Daemonize() {
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid > 0) std::_Exit(0);  // the parent's work is done
  setsid();
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) close(null);
  }
}

Status WritePidFile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr)
    return Status::IoError("Failed to write PID file: " + std::string(std::strerror(errno)));
  std::fprintf(f, "%d\n", static_cast<int>(getpid()));
  std::fclose(f);
  return Status::Ok();
}

void RemovePidFile(const std::string& path) {
  if (!path.empty()) unlink(path.c_str());
}

void NotifySupervisorReady(int mode) {
  const char* socket_path = std::getenv("NOTIFY_SOCKET");
  bool systemd = mode == 2 || (mode == 3 && socket_path != nullptr);
  if (mode == 1) {
    raise(SIGSTOP);
    return;
  }
  if (!systemd || socket_path == nullptr || socket_path[0] == '\0') return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t len = std::strlen(socket_path);
  if (len >= sizeof(addr.sun_path)) return;
  std::memcpy(addr.sun_path, socket_path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  static const char kMsg[] = "READY=1\nSTATUS=Ready to accept connections\n";
  sendto(fd, kMsg, sizeof(kMsg) - 1, 0, reinterpret_cast<sockaddr*>(&addr),
         static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len));
  close(fd);
}

void InstallCrashHandlers(const std::string& logfile) {
  std::snprintf(g_crash_log, sizeof(g_crash_log), "%s", logfile.c_str());
  // backtrace() loads libgcc on first use; do it now, not inside the handler.
  void* warm[1];
  backtrace(warm, 1);
  struct sigaction act {};
  act.sa_sigaction = OnFatalSignal;
  act.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESETHAND;
  sigemptyset(&act.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &act, nullptr);
}

void SetCrashContextCommand(const char* full_name) { g_current_command = full_name; }

}  // namespace duet
