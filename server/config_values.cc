// Reading and printing parameter values with Redis 7.0.15's rules and error
// texts; storing them into ServerConfig.

#include <strings.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "server/config_table.h"
#include "utils/config_tokenizer.h"

namespace duet {
namespace {

// A whole signed decimal with no sign other than a leading '-', no leading
// zeros (except "0" itself), no blanks, within 64 bits (Redis's string2ll).
bool ParseStrictInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (v > kMaxPositive + 1) return false;
    *out = static_cast<int64_t>(0 - v);  // two's complement: covers INT64_MIN
  } else {
    if (v > kMaxPositive) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

std::string Format(const char* fmt, auto... args) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), fmt, args...);
  return buf;
}

bool ParseNumber(const ConfigParam& p, const std::string& s, ParamValue* out, std::string* err) {
  const uint8_t f = p.num_format;
  int64_t v = 0;
  bool ok = false;
  if (f & kNumMemory) {
    if (auto m = ParseMemoryValue(s)) {
      v = static_cast<int64_t>(*m);
      ok = true;
    }
  }
  if (!ok && (f & kNumPercent) && s.size() > 1 && s.back() == '%') {
    int64_t pct;
    if (ParseStrictInt(std::string_view(s).substr(0, s.size() - 1), &pct) && pct >= 0) {
      v = -pct;
      ok = true;
    }
  }
  if (!ok && (f & kNumOctal)) {
    char* end = nullptr;
    errno = 0;
    const long long octal = std::strtoll(s.c_str(), &end, 8);
    if (errno == 0 && *end == '\0') {
      v = octal;
      ok = true;
    }
  }
  if (!ok && !(f & (kNumMemory | kNumPercent | kNumOctal))) ok = ParseStrictInt(s, &v);
  if (!ok) {
    if ((f & kNumMemory) && (f & kNumPercent)) {
      *err = "argument must be a memory or percent value";
    } else if (f & kNumMemory) {
      *err = "argument must be a memory value";
    } else if (f & kNumOctal) {
      *err = "argument couldn't be parsed as an octal number";
    } else {
      *err = "argument couldn't be parsed into an integer";
    }
    return false;
  }

  if (f & kNumUnsigned) {
    const uint64_t u = static_cast<uint64_t>(v);
    const uint64_t lo = static_cast<uint64_t>(p.min);
    if (u > p.max || u < lo) {
      *err = Format((f & kNumOctal) ? "argument must be between %llo and %llo inclusive"
                                    : "argument must be between %llu and %llu inclusive",
                    static_cast<unsigned long long>(lo), static_cast<unsigned long long>(p.max));
      return false;
    }
  } else if ((f & kNumPercent) && v < 0) {
    if (v < p.min) {
      *err = Format("percentage argument must be less or equal to %lld",
                    static_cast<long long>(-p.min));
      return false;
    }
  } else if (v > static_cast<int64_t>(p.max) || v < p.min) {
    *err = Format("argument must be between %lld and %lld inclusive", static_cast<long long>(p.min),
                  static_cast<long long>(p.max));
    return false;
  }
  out->num = v;
  return true;
}

bool MatchOption(const ConfigParam& p, std::string_view arg, int64_t* value) {
  for (const EnumOption& o : p.options) {
    if (o.name.size() == arg.size() && strncasecmp(o.name.data(), arg.data(), arg.size()) == 0) {
      *value = o.value;
      return true;
    }
  }
  return false;
}

std::string OptionsError(const ConfigParam& p) {
  std::string err = "argument(s) must be one of the following: ";
  for (size_t i = 0; i < p.options.size(); ++i) {
    if (i) err += ", ";
    err += p.options[i].name;
  }
  return err;
}

std::string DisplayOptions(const ConfigParam& p, int64_t value) {
  for (const EnumOption& o : p.options) {
    if (o.value == value) return std::string(o.name);
  }
  if (p.kind == ParamKind::kEnum) return "unknown";
  std::string out;
  for (const EnumOption& o : p.options) {
    if (o.value != 0 && (value & o.value) == o.value) {
      if (!out.empty()) out.push_back(' ');
      out += o.name;
    }
  }
  return out;
}

std::string DisplayNumber(const ConfigParam& p, int64_t v) {
  if ((p.num_format & kNumPercent) && v < 0) return std::to_string(-v) + "%";
  if (p.num_format & kNumOctal) return Format("%llo", static_cast<unsigned long long>(v));
  if (p.num_format & kNumUnsigned) return std::to_string(static_cast<uint64_t>(v));
  return std::to_string(v);
}

}  // namespace

bool ParseParamValue(const ConfigParam& p, std::span<const std::string> args,
                     const ParseContext& ctx, ParamValue* out, std::string* err) {
  switch (p.kind) {
    case ParamKind::kBool: {
      auto b = ParseYesNo(args[0]);
      if (!b) {
        *err = "argument must be 'yes' or 'no'";
        return false;
      }
      out->num = *b ? 1 : 0;
      return true;
    }
    case ParamKind::kNumber:
      return ParseNumber(p, args[0], out, err);
    case ParamKind::kEnum:
    case ParamKind::kFlags: {
      const bool several = p.kind == ParamKind::kFlags;
      if (args.empty() || (!several && args.size() != 1)) {
        *err = OptionsError(p);
        return false;
      }
      int64_t combined = 0;
      for (const std::string& a : args) {
        int64_t v;
        if (!MatchOption(p, a, &v)) {
          *err = OptionsError(p);
          return false;
        }
        combined |= v;
      }
      if (p.validate_num) {
        if (const char* e = p.validate_num(combined)) {
          *err = e;
          return false;
        }
      }
      out->num = combined;
      return true;
    }
    case ParamKind::kString:
      if (p.validate_text) {
        if (const char* e = p.validate_text(args[0])) {
          *err = e;
          return false;
        }
      }
      out->text = args[0];
      return true;
    case ParamKind::kSpecial:
      return p.special->parse(args, ctx, out, err);
  }
  return false;
}

std::string DisplayValue(const ConfigParam& p, const ParamValue& v) {
  switch (p.kind) {
    case ParamKind::kBool:
      return v.num ? "yes" : "no";
    case ParamKind::kNumber:
      return DisplayNumber(p, v.num);
    case ParamKind::kEnum:
    case ParamKind::kFlags:
      return DisplayOptions(p, v.num);
    case ParamKind::kString:
      return v.text;
    case ParamKind::kSpecial:
      return p.special->display ? p.special->display(v) : v.text;
  }
  return v.text;
}

ParamValue DefaultValue(const ConfigParam& p) {
  ParamValue v;
  v.num = p.default_num;
  v.text = std::string(p.default_text);
  if (p.kind == ParamKind::kSpecial && !v.text.empty()) {
    size_t start = 0;
    while (true) {
      const size_t space = v.text.find(' ', start);
      v.list.emplace_back(v.text.substr(start, space - start));
      if (space == std::string::npos) break;
      start = space + 1;
    }
  }
  return v;
}

std::string DefaultDisplay(const ConfigParam& p) { return DisplayValue(p, DefaultValue(p)); }

std::string CurrentDisplay(const ConfigParam& p, const ServerConfig& config) {
  if (p.field.bound()) return DisplayValue(p, p.field.load(config));
  if (auto it = config.other_values.find(p.name); it != config.other_values.end()) {
    return it->second;
  }
  return DefaultDisplay(p);
}

void StoreValue(const ConfigParam& p, const ParamValue& value, ServerConfig* config) {
  if (p.field.bound()) {
    p.field.store(*config, value);
    return;
  }
  std::string display = DisplayValue(p, value);
  if (display == DefaultDisplay(p)) {
    config->other_values.erase(std::string(p.name));
  } else {
    config->other_values[std::string(p.name)] = std::move(display);
  }
}

std::string NotSupportedYet(std::string_view feature) {
  return "this version of Duet does not support " + std::string(feature) + " yet";
}

bool RefusedByLater(const ConfigParam& p, std::string_view display, std::string* reason) {
  if (p.status != ParamStatus::kLater) return false;
  const std::string def = DefaultDisplay(p);
  if (display == def) return false;
  if (p.has_also_accepted && display == p.also_accepted) return false;
  *reason = NotSupportedYet(p.feature) + "; '" + std::string(p.name) + "' accepts only " +
            QuoteConfigArg(def);
  if (p.has_also_accepted) *reason += " or " + QuoteConfigArg(p.also_accepted);
  return true;
}

}  // namespace duet
