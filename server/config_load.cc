// Start-up configuration: the command line, the file (with includes and
// stdin), the overrides, and Redis's fatal-error report.
//
// Like redis-server, the loader concatenates the file, standard input and the
// command-line overrides into one text (file + "\n" + overrides, one line per
// --directive), so line numbers in errors follow Redis's exactly. An included
// file is a text of its own, numbered from 1.

#include <glob.h>
#include <strings.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "server/acl_rules.h"
#include "server/config.h"
#include "server/config_table.h"
#include "utils/config_tokenizer.h"

#ifndef DUET_VERSION
#define DUET_VERSION "unknown"
#endif

namespace duet {
namespace {

// Redis has no limit and overflows its stack on an include loop.
constexpr int kMaxIncludeDepth = 32;

std::string FatalHeader() { return "\n*** FATAL CONFIG FILE ERROR (Duet " DUET_VERSION ") ***\n"; }

Status LineError(int line, std::string_view text, std::string_view reason) {
  return Status::InvalidArgument(FatalHeader() + "Reading the configuration file, at line " +
                                 std::to_string(line) + "\n>>> '" + std::string(text) + "'\n" +
                                 std::string(reason));
}

Status CantOpen(const std::string& path) {
  return Status::IoError("Fatal error, can't open config file '" + path +
                         "': " + std::strerror(errno));
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AppendStream(std::FILE* f, std::string* out) {
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out->append(buf, n);
  return !std::ferror(f);
}

Status AppendFile(const std::string& path, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return CantOpen(path);
  const bool ok = AppendStream(f, out);
  std::fclose(f);
  if (!ok) return CantOpen(path);
  return Status::Ok();
}

// A path with a glob character reads every match, in order, as one text (no
// match reads nothing); any other path must open.
Status ReadConfigSource(const std::string& path, std::string* out) {
  if (path.find_first_of("*?[") == std::string::npos) return AppendFile(path, out);
  glob_t matches;
  if (::glob(path.c_str(), 0, nullptr, &matches) != 0) return Status::Ok();
  Status status;
  for (size_t i = 0; i < matches.gl_pathc && status.ok(); ++i) {
    status = AppendFile(matches.gl_pathv[i], out);
  }
  ::globfree(&matches);
  return status;
}

// One configuration line per override, as redis-server writes them: the name
// as typed, then each value quoted.
std::string RenderOverrides(const ConfigOverrides& overrides) {
  std::string text;
  for (size_t i = 0; i < overrides.size(); ++i) {
    if (i) text.push_back('\n');
    text += overrides[i].first;
    text.push_back(' ');
    for (const std::string& value : overrides[i].second) {
      text += QuoteConfigArg(value);
      text.push_back(' ');
    }
  }
  return text;
}

std::string NoEffectWarning(std::string_view name) {
  std::string warning = "'";
  warning.append(name);
  warning.append("' is accepted for compatibility with Redis but has no effect in Duet");
  return warning;
}

class Loader {
 public:
  Loader(ServerConfig* out, std::vector<std::string>* warnings)
      : out_(out),
        warnings_(warnings),
        seen_(AllParams().size(), false),
        later_(AllParams().size()) {}

  Status LoadText(std::string_view text, int depth) {
    int line_no = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      ++line_no;
      Status s = LoadLine(line_no, TrimConfigLine(text.substr(start, end - start)), depth);
      if (!s.ok()) return s;
      start = end + 1;
    }
    return Status::Ok();
  }

  // Checks that need the whole configuration.
  Status Finish() {
    // Refusals use the final value of each parameter, reported at the line
    // that last set it.
    const LaterUse* first = nullptr;
    std::string first_reason;
    const auto params = AllParams();
    for (size_t i = 0; i < params.size(); ++i) {
      if (!later_[i]) continue;
      std::string reason;
      if (!RefusedByLater(params[i], CurrentDisplay(params[i], *out_), &reason)) continue;
      if (first == nullptr || later_[i]->order < first->order) {
        first = &*later_[i];
        first_reason = std::move(reason);
      }
    }
    if (first != nullptr) return LineError(first->line, first->text, first_reason);

    if (module_config_seen_) {
      return Status::InvalidArgument(
          "Module Configuration detected without loadmodule directive or no ApplyConfig call: "
          "aborting");
    }
    if (!out_->logfile.empty()) {
      // Relative to `dir`, where the server will be running when it opens it.
      std::string path = out_->logfile;
      if (path[0] != '/' && !out_->dir.empty()) path = out_->dir + "/" + path;
      std::FILE* f = std::fopen(path.c_str(), "a");
      if (f == nullptr) {
        return Status::InvalidArgument(FatalHeader() +
                                       "Can't open the log file: " + std::strerror(errno));
      }
      std::fclose(f);
    }
    return Status::Ok();
  }

 private:
  struct LaterUse {
    int line;
    std::string text;
    uint64_t order;  // position among all lines read, across includes
  };

  Status LoadLine(int line_no, std::string_view line, int depth) {
    ++order_;
    if (line.empty() || line[0] == '#') return Status::Ok();
    auto split = SplitConfigArgs(line);
    if (!split) return LineError(line_no, line, "Unbalanced quotes in configuration line");
    std::vector<std::string>& args = *split;
    if (args.empty()) return Status::Ok();
    const std::string name = Lowercase(args[0]);

    if (ParamLookup found = FindParam(name); found.param != nullptr) {
      return LoadParam(found, args, line_no, line);
    }

    const int nargs = static_cast<int>(args.size()) - 1;
    if (const FileDirective* d = FindFileDirective(name);
        d != nullptr && nargs >= d->min_args && (d->max_args < 0 || nargs <= d->max_args)) {
      switch (d->kind) {
        case FileDirectiveKind::kInclude: {
          if (depth >= kMaxIncludeDepth) {
            return LineError(line_no, line, "include nesting is too deep");
          }
          std::string included;
          if (Status s = ReadConfigSource(args[1], &included); !s.ok()) return s;
          return LoadText(included, depth + 1);
        }
        case FileDirectiveKind::kRefused:
          return LineError(line_no, line, NotSupportedYet(d->feature));
        case FileDirectiveKind::kUser: {
          std::string err;
          if (!AddUserDirective(args, &out_->acl_users, &err)) {
            return LineError(line_no, line, err);
          }
          return Status::Ok();
        }
        case FileDirectiveKind::kSentinel:
          // A bare "sentinel" line is what `--sentinel` (start in Sentinel
          // mode) becomes; a line with arguments is a Sentinel setting.
          if (nargs != 0) {
            return LineError(line_no, line, "sentinel directive while not in sentinel mode");
          }
          return LineError(line_no, line, NotSupportedYet(d->feature));
        case FileDirectiveKind::kDeprecated:
          Warn(name);
          return Status::Ok();
      }
    }
    if (name.find('.') != std::string::npos) {
      // A module's parameter: there is never a module to take it.
      if (nargs != 1) return LineError(line_no, line, "Module config specified without value");
      module_config_seen_ = true;
      return Status::Ok();
    }
    return LineError(line_no, line, "Bad directive or wrong number of arguments");
  }

  Status LoadParam(const ParamLookup& found, const std::vector<std::string>& args, int line_no,
                   std::string_view line) {
    const ConfigParam& p = *found.param;
    const bool multi = (p.flags & kMultiArg) != 0;
    if (!multi && args.size() != 2) return LineError(line_no, line, "wrong number of arguments");
    std::vector<std::string> values(args.begin() + 1, args.end());
    // One non-empty argument of a multi-argument directive is split again, so
    // that --save "900 1" works from a command line.
    if (multi && values.size() == 1 && !values[0].empty()) {
      auto again = SplitConfigArgs(values[0]);
      values = again ? std::move(*again) : std::vector<std::string>{};
    }
    const std::string current = CurrentDisplay(p, *out_);
    ParseContext ctx;
    ctx.from_file = true;
    ctx.first_in_file = !seen_[found.index];
    ctx.current = current;
    ParamValue value;
    std::string err;
    if (!ParseParamValue(p, values, ctx, &value, &err)) return LineError(line_no, line, err);
    StoreValue(p, value, out_);
    seen_[found.index] = true;
    if (p.status == ParamStatus::kNoEffect) Warn(found.name());
    if (p.status == ParamStatus::kLater)
      later_[found.index] = LaterUse{line_no, std::string(line), order_};
    return Status::Ok();
  }

  void Warn(std::string_view name) {
    if (warned_.emplace(name).second) warnings_->push_back(NoEffectWarning(name));
  }

  ServerConfig* out_;
  std::vector<std::string>* warnings_;
  std::vector<bool> seen_;                      // per parameter: set by an earlier line
  std::vector<std::optional<LaterUse>> later_;  // per parameter: last line setting it
  std::set<std::string, std::less<>> warned_;
  bool module_config_seen_ = false;
  uint64_t order_ = 0;
};

// Redis's getAbsolutePath: cwd + path, with leading "../" folded into cwd.
std::string AbsolutePath(std::string_view path) {
  std::string rel(TrimConfigLine(path));
  if (!rel.empty() && rel[0] == '/') return rel;
  char buf[4096];
  if (::getcwd(buf, sizeof(buf)) == nullptr) return rel;
  std::string abs = buf;
  if (abs.empty() || abs.back() != '/') abs.push_back('/');
  while (rel.size() >= 3 && rel.compare(0, 3, "../") == 0) {
    rel.erase(0, 3);
    if (abs.size() > 1) {
      abs.pop_back();  // the trailing '/'
      abs.erase(abs.rfind('/') + 1);
    }
  }
  return abs + rel;
}

bool StartsWithDashDash(const char* s) { return s[0] == '-' && s[1] == '-'; }

}  // namespace

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  CommandLine cl;
  if (argc < 2) return cl;
  const std::string_view first = argv[1];
  if (first == "-v" || first == "--version") {
    cl.action = CommandLine::Action::kVersion;
    return cl;
  }
  if (first == "--help" || first == "-h") {
    cl.action = CommandLine::Action::kHelp;
    return cl;
  }
  int j = 1;
  if (argv[1][0] != '-') {
    cl.config_path = AbsolutePath(argv[1]);
    j = 2;
  }
  // Whether the last directive already has a value: "--name" only starts a
  // new directive then; otherwise it is a value ("--maxmemory --hz" gives
  // maxmemory the value "--hz").
  bool last_has_value = true;
  for (; j < argc; ++j) {
    const char* arg = argv[j];
    const bool is_last = j == argc - 1;
    if (arg[0] == '-' && arg[1] == '\0' && (j == 1 || is_last)) {
      cl.config_from_stdin = true;
    } else if (last_has_value && StartsWithDashDash(arg)) {
      cl.overrides.emplace_back(std::string(arg + 2), std::vector<std::string>{});
      auto words = SplitConfigArgs(arg);
      if (words && words->size() == 1) {
        last_has_value = false;
        const bool next_is_name = !is_last && StartsWithDashDash(argv[j + 1]);
        if (strcasecmp(arg, "--save") == 0 && (next_is_name || is_last)) {
          // "--save" alone means save "" (no snapshots).
          cl.overrides.back().second.emplace_back();
          last_has_value = true;
        } else if (strcasecmp(arg, "--sentinel") == 0 && next_is_name) {
          last_has_value = true;
        }
      } else {
        // "--port 6380" as one argument carries its own value.
        last_has_value = true;
      }
    } else {
      if (cl.overrides.empty()) cl.overrides.emplace_back();
      cl.overrides.back().second.emplace_back(arg);
      last_has_value = true;
    }
  }
  return cl;
}

Status LoadConfigFromText(std::string_view text, const ConfigOverrides& overrides,
                          ServerConfig* out, std::vector<std::string>* warnings) {
  *out = ServerConfig{};
  std::string all(text);
  all.push_back('\n');
  all += RenderOverrides(overrides);
  Loader loader(out, warnings);
  if (Status s = loader.LoadText(all, 0); !s.ok()) return s;
  return loader.Finish();
}

Status LoadConfig(const std::string& path, const ConfigOverrides& overrides, ServerConfig* out,
                  std::vector<std::string>* warnings) {
  std::string text;
  if (path == "-") {
    if (!AppendStream(stdin, &text)) return Status::IoError("Error reading config from stdin");
  } else if (!path.empty()) {
    if (Status s = ReadConfigSource(path, &text); !s.ok()) return s;
  }
  return LoadConfigFromText(text, overrides, out, warnings);
}

Status LoadConfig(const CommandLine& command_line, ServerConfig* out,
                  std::vector<std::string>* warnings) {
  std::string text;
  if (!command_line.config_path.empty()) {
    if (Status s = ReadConfigSource(command_line.config_path, &text); !s.ok()) return s;
  }
  if (command_line.config_from_stdin && !AppendStream(stdin, &text)) {
    return Status::IoError("Error reading config from stdin");
  }
  return LoadConfigFromText(text, command_line.overrides, out, warnings);
}

}  // namespace duet
