#pragma once
// Log set-up: Redis's line format "pid:role dd Mon yyyy hh:mm:ss.mmm <level> message",
// where the level mark is '.' debug, '-' verbose, '*' notice, '#' warning.

#include <string>

#include "utils/status.h"

namespace duet {

// `file` empty = standard output. `verbosity`: 0 debug, 1 verbose, 2 notice,
// 3 warning (the order of the loglevel directive's values).
Status SetupLogging(const std::string& file, int verbosity);

// The role letter after the pid: 'M' (the default) for the running server,
// 'C' while the configuration is being read at start-up, as Redis prints.
void SetLogRole(char role);

// Changes the verbosity at runtime (CONFIG SET loglevel).
void SetLogVerbosity(int verbosity);
// Closes and reopens the log file (after logrotate moved it; SIGHUP).
Status ReopenLogFile();

void LogDebug(const std::string& msg);
void LogVerbose(const std::string& msg);
void LogNotice(const std::string& msg);
void LogWarning(const std::string& msg);

}  // namespace duet
