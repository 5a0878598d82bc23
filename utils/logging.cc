#include "utils/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace duet {
namespace {

// spdlog levels carry Redis's four: trace=debug, debug=verbose, info=notice, warn=warning.
spdlog::level::level_enum LevelFromName(const std::string& name, bool* ok) {
  *ok = true;
  if (name == "debug") return spdlog::level::trace;
  if (name == "verbose") return spdlog::level::debug;
  if (name == "notice") return spdlog::level::info;
  if (name == "warning") return spdlog::level::warn;
  *ok = false;
  return spdlog::level::info;
}

}  // namespace

Status SetupLogging(const std::string& file, const std::string& level) {
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
  bool ok;
  logger->set_level(LevelFromName(level, &ok));
  if (!ok) return Status::InvalidArgument("Invalid log level '" + level + "'");
  logger->set_pattern("%P:M %d %b %Y %H:%M:%S.%e %v");
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

void LogDebug(const std::string& msg) { spdlog::trace(". {}", msg); }
void LogVerbose(const std::string& msg) { spdlog::debug("- {}", msg); }
void LogNotice(const std::string& msg) { spdlog::info("* {}", msg); }
void LogWarning(const std::string& msg) { spdlog::warn("# {}", msg); }

}  // namespace duet
