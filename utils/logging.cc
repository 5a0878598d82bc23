#include "utils/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace duet {
namespace {

// spdlog levels carry Redis's four: trace=debug, debug=verbose, info=notice, warn=warning.
constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace, spdlog::level::debug,
                                                 spdlog::level::info, spdlog::level::warn};

std::string g_log_file;
int g_verbosity = 2;
char g_role = 'M';

std::string Pattern() { return std::string("%P:") + g_role + " %d %b %Y %H:%M:%S.%e %v"; }

}  // namespace

Status SetupLogging(const std::string& file, int verbosity) {
  g_log_file = file;
  g_verbosity = verbosity;
  spdlog::drop("duet");
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (file.empty()) {
      logger = spdlog::stdout_logger_st("duet");
    } else {
      logger = spdlog::basic_logger_st("duet", file);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status::IoError(std::string("Can't open the log file: ") + e.what());
  }
  if (verbosity < 0 || verbosity > 3) return Status::InvalidArgument("invalid log verbosity");
  logger->set_level(kLevels[verbosity]);
  logger->set_pattern(Pattern());
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

void SetLogRole(char role) {
  g_role = role;
  if (auto logger = spdlog::get("duet")) logger->set_pattern(Pattern());
}

void SetLogVerbosity(int verbosity) {
  if (verbosity < 0 || verbosity > 3) return;
  g_verbosity = verbosity;
  spdlog::default_logger()->set_level(kLevels[verbosity]);
}

Status ReopenLogFile() {
  if (g_log_file.empty()) return Status::Ok();
  return SetupLogging(g_log_file, g_verbosity);
}

void LogDebug(const std::string& msg) { spdlog::trace(". {}", msg); }
void LogVerbose(const std::string& msg) { spdlog::debug("- {}", msg); }
void LogNotice(const std::string& msg) { spdlog::info("* {}", msg); }
void LogWarning(const std::string& msg) { spdlog::warn("# {}", msg); }

}  // namespace duet
