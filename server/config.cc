// CONFIG GET and CONFIG SET, with Redis 7.0.15's matching rules, error
// precedence and all-or-nothing semantics.

#include "server/config.h"

#include <cctype>
#include <optional>
#include <set>
#include <string>

#include "server/config_table.h"
#include "utils/glob.h"

namespace duet {
namespace {

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool HasGlobCharacters(std::string_view s) {
  return s.find_first_of("[*?") != std::string_view::npos;
}

bool ProtectedActionAllowed(ProtectedAction setting, bool client_is_local) {
  return setting == ProtectedAction::kYes ||
         (setting == ProtectedAction::kLocal && client_is_local);
}

// CONFIG SET splits a multi-argument value on single spaces (an empty value is
// no argument at all), unlike a configuration line.
std::vector<std::string> SplitOnSpaces(std::string_view value) {
  std::vector<std::string> out;
  if (value.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t space = value.find(' ', start);
    out.emplace_back(value.substr(start, space - start));
    if (space == std::string_view::npos) return out;
    start = space + 1;
  }
}

Status SetFailed(std::string_view name, std::string_view reason) {
  return Status::InvalidArgument("ERR CONFIG SET failed (possibly related to argument '" +
                                 std::string(name) + "') - " + std::string(reason));
}

bool SameRawValue(const ParamValue& a, const ParamValue& b) {
  return a.num == b.num && a.text == b.text && a.list == b.list;
}

}  // namespace

Config::Config(ServerConfig* server)
    : server_(server), callback_of_param_(AllParams().size(), -1) {}

std::vector<std::pair<std::string, std::string>> Config::Get(
    const std::vector<std::string_view>& patterns) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string, std::less<>> reported;  // lowercase names already in `out`
  for (std::string_view pattern : patterns) {
    if (!HasGlobCharacters(pattern)) {
      const ParamLookup found = FindParam(pattern);
      if (found.param != nullptr && reported.insert(Lowercase(pattern)).second) {
        out.emplace_back(std::string(pattern), CurrentDisplay(*found.param, *server_));
      }
      continue;
    }
    for (const ConfigParam& p : AllParams()) {
      if (p.flags & kHidden) continue;
      for (std::string_view name : {p.name, p.alias}) {
        if (name.empty() || reported.contains(name)) continue;
        if (!GlobMatch(pattern, name, /*nocase=*/true)) continue;
        reported.emplace(name);
        out.emplace_back(std::string(name), CurrentDisplay(p, *server_));
      }
    }
  }
  return out;
}

Status Config::Set(const std::vector<std::pair<std::string_view, std::string_view>>& pairs,
                   const ConfigSetContext& context) {
  const size_t n = pairs.size();
  std::vector<ParamLookup> found(n);

  // 1. Names: the first unknown name wins over any other error, then the first
  // immutable, protected, refused-while-loading or repeated parameter.
  std::optional<std::string_view> unknown;
  bool invalid = false;
  bool loading_error = false;
  std::string_view error_name;
  std::string_view error_reason;
  for (size_t i = 0; i < n; ++i) {
    found[i] = FindParam(pairs[i].first);
    if (found[i].param == nullptr) {
      if (!invalid) unknown = pairs[i].first;
      invalid = true;
      continue;
    }
    if (invalid) continue;
    const ConfigParam& p = *found[i].param;
    const bool immutable = (p.flags & kImmutable) != 0;
    if (immutable ||
        ((p.flags & kProtected) &&
         !ProtectedActionAllowed(server_->enable_protected_configs, context.client_is_local))) {
      error_reason = immutable ? "can't set immutable config" : "can't set protected config";
      error_name = pairs[i].first;
      invalid = true;
      continue;
    }
    if (context.loading && (p.flags & kDenyLoading)) {
      loading_error = true;
      invalid = true;
      continue;
    }
    // Redis treats a name and its alias as different parameters here.
    for (size_t j = 0; j < i; ++j) {
      if (found[j].param == found[i].param && found[j].via_alias == found[i].via_alias) {
        error_reason = "duplicate parameter";
        error_name = pairs[i].first;
        invalid = true;
        break;
      }
    }
  }
  if (invalid) {
    if (loading_error) {
      return Status::InvalidArgument("LOADING Redis is loading the dataset in memory");
    }
    if (unknown) {
      return Status::InvalidArgument(
          "ERR Unknown option or number of arguments for CONFIG SET - '" + std::string(*unknown) +
          "'");
    }
    return SetFailed(error_name, error_reason);
  }

  // 2. Values: parse everything before touching anything.
  std::vector<ParamValue> values(n);
  for (size_t i = 0; i < n; ++i) {
    const ConfigParam& p = *found[i].param;
    std::vector<std::string> args;
    if (p.flags & kMultiArg) {
      args = SplitOnSpaces(pairs[i].second);
    } else {
      args.emplace_back(pairs[i].second);
    }
    const std::string current = CurrentDisplay(p, *server_);
    ParseContext ctx;
    ctx.current = current;
    std::string err;
    if (!ParseParamValue(p, args, ctx, &values[i], &err)) return SetFailed(found[i].name(), err);
    if (RefusedByLater(p, DisplayValue(p, values[i]), &err)) return SetFailed(found[i].name(), err);
  }

  // 3. Store, remembering the old values.
  struct Old {
    ParamValue bound;                 // bound parameters
    std::optional<std::string> text;  // others: entry of other_values, if any
  };
  std::vector<Old> old(n);
  std::vector<bool> changed(n, false);
  for (size_t i = 0; i < n; ++i) {
    const ConfigParam& p = *found[i].param;
    if (p.field.bound()) {
      old[i].bound = p.field.load(*server_);
      changed[i] = !SameRawValue(old[i].bound, values[i]);
    } else {
      if (auto it = server_->other_values.find(p.name); it != server_->other_values.end()) {
        old[i].text = it->second;
      }
      changed[i] = CurrentDisplay(p, *server_) != DisplayValue(p, values[i]);
    }
  }
  for (size_t i = 0; i < n; ++i) StoreValue(*found[i].param, values[i], server_);

  // 4. Apply: each callback once, in the order of the parameters.
  std::vector<std::pair<int, size_t>> to_run;  // callback, first parameter using it
  for (size_t i = 0; i < n; ++i) {
    const int cb = callback_of_param_[found[i].index];
    if (!changed[i] || cb < 0) continue;
    bool listed = false;
    for (const auto& [id, unused] : to_run) listed |= id == cb;
    if (!listed) to_run.emplace_back(cb, i);
  }
  for (const auto& [cb, first] : to_run) {
    Status s = callbacks_[cb](*server_);
    if (s.ok()) continue;
    for (size_t i = 0; i < n; ++i) {
      const ConfigParam& p = *found[i].param;
      if (p.field.bound()) {
        p.field.store(*server_, old[i].bound);
      } else if (old[i].text) {
        server_->other_values[std::string(p.name)] = *old[i].text;
      } else {
        server_->other_values.erase(std::string(p.name));
      }
    }
    for (const auto& [again, unused] : to_run) (void)callbacks_[again](*server_);
    return SetFailed(found[first].name(), s.message());
  }
  return Status::Ok();
}

bool Config::OnChange(std::string_view name, ApplyFn fn) { return OnChange({name}, std::move(fn)); }

bool Config::OnChange(std::initializer_list<std::string_view> names, ApplyFn fn) {
  std::vector<size_t> indexes;
  for (std::string_view name : names) {
    const ParamLookup found = FindParam(name);
    if (found.param == nullptr) return false;
    indexes.push_back(found.index);
  }
  const int id = static_cast<int>(callbacks_.size());
  callbacks_.push_back(std::move(fn));
  for (size_t index : indexes) callback_of_param_[index] = id;
  return true;
}

bool Config::IsSensitive(std::string_view name) {
  const ParamLookup found = FindParam(name);
  return found.param != nullptr && (found.param->flags & kSensitive) != 0;
}

}  // namespace duet
