#pragma once
// Process-level duties of a service: detaching (daemonize), the pidfile, and
// the crash report written when the process dies on a fatal signal.

#include <string>

#include "utils/status.h"

namespace duet {

// Forks; the parent exits at once, the child continues in a new session with
// standard input, output and error on /dev/null (as Redis's daemonize does).
void Daemonize();

// Writes the current pid to `path`. Returns an error if it cannot.
Status WritePidFile(const std::string& path);
void RemovePidFile(const std::string& path);

// Tells a supervisor the server is ready: systemd through the datagram
// socket named by NOTIFY_SOCKET ("READY=1"), upstart by stopping itself with
// SIGSTOP (upstart's "expect stop"). `mode` is the supervised directive's value.
void NotifySupervisorReady(int mode);

// Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that
// append a crash report (version, signal, the command being run, a stack
// trace) to `logfile` (standard output when empty), then let the signal kill
// the process as it would have. Only async-signal-safe calls run in the
// handler.
void InstallCrashHandlers(const std::string& logfile);

// What the crash report names as the command being run; the dispatcher sets
// it around each command (a pointer to static storage, no copy).
void SetCrashContextCommand(const char* full_name);

}  // namespace duet
