#include "server/config_special.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server/notify_classes.h"
#include "utils/ascii.h"
#include "utils/config_tokenizer.h"

namespace duet {
namespace {

std::string Join(std::span<const std::string> items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(' ');
    out += items[i];
  }
  return out;
}

// strtoll over the whole argument, the way Redis reads save points and
// oom-score-adj-values: leading blanks and a sign are fine, overflow
// saturates, nothing may follow the digits ("" reads as 0).
bool WholeStrtoll(const std::string& s, long long* out) {
  char* end = nullptr;
  *out = std::strtoll(s.c_str(), &end, 10);
  return *end == '\0';
}

bool IsSingleEmpty(std::span<const std::string> args) {
  return args.size() == 1 && args[0].empty();
}

// --- bind -------------------------------------------------------------------

constexpr size_t kMaxBindAddresses = 16;

bool ParseBindList(std::span<const std::string> args, const ParseContext&, ParamValue* out,
                   std::string* err) {
  if (args.size() > kMaxBindAddresses) {
    *err = "Too many bind addresses specified.";
    return false;
  }
  out->list.clear();
  if (!IsSingleEmpty(args)) out->list.assign(args.begin(), args.end());
  out->text = Join(out->list);
  return true;
}

std::string DisplayBindList(const ParamValue& value) { return Join(value.list); }

// --- dir --------------------------------------------------------------------

// Redis chdir()s on the spot and reports strerror(); Duet checks the same
// conditions without changing directory (the owner does, see ServerConfig).
bool ParseDir(std::span<const std::string> args, const ParseContext&, ParamValue* out,
              std::string* err) {
  const std::string& path = args[0];
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    *err = std::strerror(errno);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    *err = std::strerror(ENOTDIR);
    return false;
  }
  if (::access(path.c_str(), X_OK) != 0) {
    *err = std::strerror(errno);
    return false;
  }
  out->text = path;
  return true;
}

std::string DisplayDir(const ParamValue&) {
  char buf[4096];
  if (::getcwd(buf, sizeof(buf)) == nullptr) return std::string();
  return buf;
}

// --- save -------------------------------------------------------------------

// Values "seconds changes" pairs. In a file the first save line replaces the
// built-in points and later lines add to them; `save ""` clears them.
bool ParseSave(std::span<const std::string> args, const ParseContext& ctx, ParamValue* out,
               std::string* err) {
  const bool clear = IsSingleEmpty(args);
  if (clear) args = args.subspan(1);
  if (args.size() % 2 != 0) {
    *err = "Invalid save parameters";
    return false;
  }
  std::string points;
  for (size_t j = 0; j < args.size(); j += 2) {
    long long seconds, changes;
    if (!WholeStrtoll(args[j], &seconds) || seconds < 1 || !WholeStrtoll(args[j + 1], &changes) ||
        changes < 0) {
      *err = "Invalid save parameters";
      return false;
    }
    if (!points.empty()) points.push_back(' ');
    // Redis keeps the number of changes in an int.
    points += std::to_string(seconds) + " " + std::to_string(static_cast<int>(changes));
  }
  const bool append = ctx.from_file && !ctx.first_in_file && !clear;
  if (append && !ctx.current.empty()) {
    out->text = std::string(ctx.current) + (points.empty() ? "" : " ") + points;
  } else {
    out->text = std::move(points);
  }
  return true;
}

// --- client-output-buffer-limit ---------------------------------------------

struct BufferLimit {
  unsigned long long hard = 0, soft = 0;
  long long seconds = 0;
};
constexpr const char* kClassNames[3] = {"normal", "slave", "pubsub"};

int BufferClass(std::string_view name) {
  if (EqualsIgnoreCase(name, "normal")) return 0;
  if (EqualsIgnoreCase(name, "slave") || EqualsIgnoreCase(name, "replica")) return 1;
  if (EqualsIgnoreCase(name, "pubsub")) return 2;
  return -1;  // unknown, or "master" which has no limit
}

bool ParseClientOutputBufferLimit(std::span<const std::string> args, const ParseContext& ctx,
                                  ParamValue* out, std::string* err) {
  if (args.size() % 4 != 0) {
    *err = "Wrong number of arguments in buffer limit configuration.";
    return false;
  }
  // Start from the current limits: classes not named keep theirs.
  BufferLimit limits[3] = {
      {0, 0, 0}, {256ULL << 20, 64ULL << 20, 60}, {32ULL << 20, 8ULL << 20, 60}};
  {
    std::string current(ctx.current);
    auto words = SplitConfigArgs(current);
    if (words && words->size() == 12) {
      for (int c = 0; c < 3; ++c) {
        limits[c].hard = std::strtoull((*words)[c * 4 + 1].c_str(), nullptr, 10);
        limits[c].soft = std::strtoull((*words)[c * 4 + 2].c_str(), nullptr, 10);
        limits[c].seconds = std::strtoll((*words)[c * 4 + 3].c_str(), nullptr, 10);
      }
    }
  }
  BufferLimit updated[3];
  bool given[3] = {false, false, false};
  for (size_t j = 0; j < args.size(); j += 4) {
    const int cls = BufferClass(args[j]);
    if (cls < 0) {
      *err = "Invalid client class specified in buffer limit configuration.";
      return false;
    }
    auto hard = ParseMemoryValue(args[j + 1]);
    auto soft = ParseMemoryValue(args[j + 2]);
    char* end = nullptr;
    // Redis keeps the seconds in an int before checking the sign.
    const int seconds = static_cast<int>(std::strtoll(args[j + 3].c_str(), &end, 10));
    if (!hard || !soft || seconds < 0 || *end != '\0') {
      *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      return false;
    }
    updated[cls] = {*hard, *soft, seconds};
    given[cls] = true;
  }
  for (int c = 0; c < 3; ++c) {
    if (given[c]) limits[c] = updated[c];
  }
  out->text.clear();
  for (int c = 0; c < 3; ++c) {
    if (c) out->text.push_back(' ');
    out->text += std::string(kClassNames[c]) + " " + std::to_string(limits[c].hard) + " " +
                 std::to_string(limits[c].soft) + " " + std::to_string(limits[c].seconds);
  }
  return true;
}

// --- oom-score-adj-values ---------------------------------------------------

bool ParseOomScoreAdjValues(std::span<const std::string> args, const ParseContext&, ParamValue* out,
                            std::string* err) {
  if (args.size() != 3) {
    *err = "wrong number of arguments";
    return false;
  }
  out->text.clear();
  for (size_t i = 0; i < 3; ++i) {
    long long v;
    if (!WholeStrtoll(args[i], &v) || v < -2000 || v > 2000) {
      *err = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
      return false;
    }
    if (i) out->text.push_back(' ');
    out->text += std::to_string(v);
  }
  return true;
}

// --- notify-keyspace-events -------------------------------------------------

// The bits go to out->num (server/notify_classes.h): the CONFIG GET text alone
// would lose 'n' next to 'A', as Redis's does.
bool ParseNotifyKeyspaceEvents(std::span<const std::string> args, const ParseContext&,
                               ParamValue* out, std::string* err) {
  int flags = 0;
  if (!ParseNotifyClasses(args[0], &flags)) {
    *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    return false;
  }
  out->num = flags;
  out->text = FormatNotifyClasses(flags);
  return true;
}

// --- latency-tracking-info-percentiles --------------------------------------

bool ParsePercentile(const std::string& s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || std::isnan(v)) return false;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0.0)) return false;
  *out = v;
  return true;
}

bool ParseLatencyPercentiles(std::span<const std::string> args, const ParseContext&,
                             ParamValue* out, std::string* err) {
  if (IsSingleEmpty(args)) args = {};
  out->text.clear();
  for (size_t i = 0; i < args.size(); ++i) {
    double v;
    if (!ParsePercentile(args[i], &v)) {
      *err = "Invalid latency-tracking-info-percentiles parameters";
      return false;
    }
    if (v > 100.0 || v < 0.0) {
      *err = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
      return false;
    }
    // Six decimals, then trailing zeros and a bare point dropped.
    char buf[512];
    std::snprintf(buf, sizeof(buf), "%f", v);
    std::string num(buf);
    if (num.find('.') != std::string::npos) {
      while (num.back() == '0') num.pop_back();
      if (num.back() == '.') num.pop_back();
    }
    if (i) out->text.push_back(' ');
    out->text += num;
  }
  return true;
}

// --- replicaof --------------------------------------------------------------

bool ParseReplicaOf(std::span<const std::string> args, const ParseContext&, ParamValue* out,
                    std::string* err) {
  if (args.size() != 2) {
    *err = "wrong number of arguments";
    return false;
  }
  if (EqualsIgnoreCase(args[0], "no") && EqualsIgnoreCase(args[1], "one")) {
    out->text.clear();
    return true;
  }
  char* end = nullptr;
  const long port = std::strtol(args[1].c_str(), &end, 10);
  if (port < 0 || port > 65535 || *end != '\0') {
    *err = "Invalid master port";
    return false;
  }
  out->text = args[0] + " " + std::to_string(port);
  return true;
}

bool HasSlashOrBackslash(std::string_view v) {
  return v.find('/') != std::string_view::npos || v.find('\\') != std::string_view::npos;
}

}  // namespace

const SpecialOps kBindListOps = {ParseBindList, DisplayBindList};
const SpecialOps kDirOps = {ParseDir, DisplayDir};
const SpecialOps kSaveOps = {ParseSave, nullptr};
const SpecialOps kClientOutputBufferLimitOps = {ParseClientOutputBufferLimit, nullptr};
const SpecialOps kOomScoreAdjValuesOps = {ParseOomScoreAdjValues, nullptr};
const SpecialOps kNotifyKeyspaceEventsOps = {ParseNotifyKeyspaceEvents, nullptr};
const SpecialOps kLatencyPercentilesOps = {ParseLatencyPercentiles, nullptr};
const SpecialOps kReplicaOfOps = {ParseReplicaOf, nullptr};

const char* CheckDbFilename(std::string_view value) {
  return HasSlashOrBackslash(value) ? "dbfilename can't be a path, just a filename" : nullptr;
}

const char* CheckAppendFilename(std::string_view value) {
  if (value.empty()) return "appendfilename can't be empty";
  return HasSlashOrBackslash(value) ? "appendfilename can't be a path, just a filename" : nullptr;
}

const char* CheckAppendDirname(std::string_view value) {
  if (value.empty()) return "appenddirname can't be empty";
  return HasSlashOrBackslash(value) ? "appenddirname can't be a path, just a dirname" : nullptr;
}

const char* CheckAnnouncedHostname(std::string_view value) {
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') {
      return "Hostnames may only contain alphanumeric characters, hyphens or dots";
    }
  }
  return nullptr;
}

// Redis expands the template with the values of the moment and refuses it if
// a brace does not close, a variable is unknown, or the result is blank. The
// variables that are empty on a default standalone server count as empty.
const char* CheckProcTitleTemplate(std::string_view value) {
  constexpr const char* kInvalid = "template format is invalid or contains unknown variables";
  bool visible = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '{' && i + 1 < value.size() && value[i + 1] == '{') {
      visible = true;
      ++i;
    } else if (c == '{') {
      const size_t close = value.find('}', i + 1);
      if (close == std::string_view::npos) return kInvalid;
      const std::string_view var = value.substr(i + 1, close - i - 1);
      if (var == "listen-addr" || var == "port" || var == "tls-port") {
        visible = true;
      } else if (var != "title" && var != "server-mode" && var != "unixsocket" &&
                 var != "config-file") {
        return kInvalid;
      }
      i = close;
    } else if (c == '}' && i + 1 < value.size() && value[i + 1] == '}') {
      visible = true;
      ++i;
    } else if (c != ' ') {
      visible = true;
    }
  }
  return visible ? nullptr : kInvalid;
}

const char* CheckShutdownFlags(int64_t flags) {
  constexpr int64_t kSave = 1, kNoSave = 2;
  if ((flags & kSave) && (flags & kNoSave)) {
    return "shutdown options SAVE and NOSAVE can't be used simultaneously";
  }
  return nullptr;
}

}  // namespace duet
