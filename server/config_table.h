#pragma once
// The table of every configuration directive Duet knows: all of Redis 7.0.15's
// (what CONFIG GET * lists, the hidden ones, and the file-only ones such as
// include or rename-command) plus Duet's own memcached-* directives.
//
// Each parameter has a status, set by one call in its table entry:
//   kImplemented  bound to a ServerConfig field that the server acts on;
//   kNoEffect     meaningless in Duet (io-threads, cluster-*...): accepted with
//                 Redis's validation, kept for CONFIG GET, and the loader warns;
//   kLater        a feature a later version of Duet implements: only Redis's
//                 default (and, for some, an explicit "off" value) is accepted;
//                 anything else is refused with a "not supported yet" reason.
// Flipping kLater to kImplemented means binding a field and dropping .Later().
//
// Values travel as ParamValue: numbers for bool/int/memory/enum kinds, text for
// strings and special kinds, and a list for address lists (bind). Their
// CONFIG GET form is DisplayValue().

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"

namespace duet {

enum class ParamStatus : uint8_t { kImplemented, kNoEffect, kLater };

enum class ParamKind : uint8_t {
  kBool,     // yes / no
  kNumber,   // integer; see NumberFormat for memory units, percent, octal
  kEnum,     // one name out of `options`
  kFlags,    // one or more names out of `options`, OR-ed (shutdown-on-sigint)
  kString,   // free text, optionally checked by `validate`
  kSpecial,  // own parser and display (save, bind, dir, ...)
};

// Parameter flags (bit set).
inline constexpr uint16_t kImmutable = 1 << 0;    // CONFIG SET refuses it
inline constexpr uint16_t kProtected = 1 << 1;    // CONFIG SET needs enable-protected-configs
inline constexpr uint16_t kHidden = 1 << 2;       // CONFIG GET needs its exact name
inline constexpr uint16_t kSensitive = 1 << 3;    // value must not be logged
inline constexpr uint16_t kDenyLoading = 1 << 4;  // CONFIG SET refuses it while loading
inline constexpr uint16_t kMultiArg = 1 << 5;     // takes several arguments

// How a kNumber parameter reads and prints (bit set).
inline constexpr uint8_t kNumMemory = 1 << 0;    // accepts units (1kb, 5gb)
inline constexpr uint8_t kNumPercent = 1 << 1;   // also "N%", stored as -N
inline constexpr uint8_t kNumOctal = 1 << 2;     // read and printed in base 8
inline constexpr uint8_t kNumUnsigned = 1 << 3;  // bounds and value are unsigned

struct ParamValue {
  int64_t num = 0;                // kBool (0/1), kNumber, kEnum, kFlags
  std::string text;               // kString, kSpecial (CONFIG GET form)
  std::vector<std::string> list;  // kSpecial address lists (bind)
};

struct EnumOption {
  std::string_view name;
  int64_t value;
};

// What a special parser may need besides its arguments.
struct ParseContext {
  bool from_file = false;      // a configuration line (not CONFIG SET)
  bool first_in_file = false;  // first line for this parameter in this load
  std::string_view current;    // current value, CONFIG GET form
};

struct SpecialOps {
  // Fills out->text (and out->list for lists) or sets *err to Redis's reason.
  bool (*parse)(std::span<const std::string> args, const ParseContext& ctx, ParamValue* out,
                std::string* err);
  // CONFIG GET form; null means out->text as is.
  std::string (*display)(const ParamValue& value);
};

// Where an implemented parameter lives in ServerConfig.
struct FieldBinding {
  void (*store)(ServerConfig& config, const ParamValue& value) = nullptr;
  ParamValue (*load)(const ServerConfig& config) = nullptr;
  bool bound() const { return store != nullptr; }
};

struct ConfigParam {
  std::string_view name;
  std::string_view alias;
  ParamKind kind = ParamKind::kString;
  ParamStatus status = ParamStatus::kNoEffect;
  uint16_t flags = 0;
  // kNumber: accepted range (max is compared as unsigned under kNumUnsigned).
  uint8_t num_format = 0;
  int64_t min = 0;
  uint64_t max = 0;
  // kBool, kNumber, kEnum, kFlags: the default.
  int64_t default_num = 0;
  // kEnum, kFlags.
  std::span<const EnumOption> options;
  // kFlags: extra check on the combined value; returns an error or nullptr.
  const char* (*validate_num)(int64_t value) = nullptr;
  // kString, kSpecial: the default in CONFIG GET form.
  std::string_view default_text;
  // kString: check on the new value; returns an error or nullptr.
  const char* (*validate_text)(std::string_view value) = nullptr;
  const SpecialOps* special = nullptr;
  FieldBinding field;
  // kLater: the missing feature, and a value accepted besides the default.
  std::string_view feature;
  std::string_view also_accepted;
  bool has_also_accepted = false;

  // Table-building helpers; each returns a modified copy.
  constexpr ConfigParam Alias(std::string_view a) const {
    ConfigParam p = *this;
    p.alias = a;
    return p;
  }
  constexpr ConfigParam Flags(uint16_t f) const {
    ConfigParam p = *this;
    p.flags |= f;
    return p;
  }
  constexpr ConfigParam Bind(FieldBinding b) const {
    ConfigParam p = *this;
    p.field = b;
    p.status = ParamStatus::kImplemented;
    return p;
  }
  constexpr ConfigParam NoEffect() const {
    ConfigParam p = *this;
    p.status = ParamStatus::kNoEffect;
    return p;
  }
  constexpr ConfigParam Later(std::string_view what) const {
    ConfigParam p = *this;
    p.status = ParamStatus::kLater;
    p.feature = what;
    return p;
  }
  constexpr ConfigParam AlsoAccept(std::string_view value) const {
    ConfigParam p = *this;
    p.also_accepted = value;
    p.has_also_accepted = true;
    return p;
  }
  constexpr ConfigParam CheckText(const char* (*fn)(std::string_view)) const {
    ConfigParam p = *this;
    p.validate_text = fn;
    return p;
  }
  constexpr ConfigParam CheckNum(const char* (*fn)(int64_t)) const {
    ConfigParam p = *this;
    p.validate_num = fn;
    return p;
  }
};

// Directives that exist only in configuration files (not in CONFIG GET/SET).
enum class FileDirectiveKind : uint8_t {
  kInclude,     // include <path-or-glob>
  kRefused,     // kLater: rename-command, loadmodule
  kUser,        // user <name> [rules...]: an ACL user (server/acl_rules.h)
  kSentinel,    // sentinel ...: Redis's own error outside sentinel mode
  kDeprecated,  // accepted and ignored by Redis 7.0 (exactly one argument)
};
struct FileDirective {
  std::string_view name;
  FileDirectiveKind kind;
  int min_args;  // arguments after the name
  int max_args;  // -1 = no limit
  ParamStatus status;
  std::string_view feature;  // kRefused: the missing feature
};

// All parameters, in table order (stable for the life of the process).
std::span<const ConfigParam> AllParams();
std::span<const FileDirective> AllFileDirectives();

struct ParamLookup {
  const ConfigParam* param = nullptr;
  bool via_alias = false;
  // Index in AllParams().
  size_t index = 0;
  // The table spelling of the name that matched (canonical or alias).
  std::string_view name() const { return via_alias ? param->alias : param->name; }
};
// Case-insensitive lookup by canonical name or alias.
ParamLookup FindParam(std::string_view name);
const FileDirective* FindFileDirective(std::string_view lowercase_name);

// Parses `args` (one argument unless kMultiArg) for `param`. On failure *err
// holds Redis's reason ("argument must be 'yes' or 'no'").
bool ParseParamValue(const ConfigParam& param, std::span<const std::string> args,
                     const ParseContext& ctx, ParamValue* out, std::string* err);

// CONFIG GET form of a value of `param`.
std::string DisplayValue(const ConfigParam& param, const ParamValue& value);

// The default of `param` as a ParamValue, and in CONFIG GET form.
ParamValue DefaultValue(const ConfigParam& param);
std::string DefaultDisplay(const ConfigParam& param);

// Current value in CONFIG GET form, from the bound field or
// ServerConfig::other_values.
std::string CurrentDisplay(const ConfigParam& param, const ServerConfig& config);
// Stores a parsed value into the bound field or other_values.
void StoreValue(const ConfigParam& param, const ParamValue& value, ServerConfig* config);

// For a kLater parameter: whether `display` (CONFIG GET form) is a value this
// version accepts; if not, *reason explains (never true for other statuses).
bool RefusedByLater(const ConfigParam& param, std::string_view display, std::string* reason);

// The reason given for a kLater directive or value.
std::string NotSupportedYet(std::string_view feature);

}  // namespace duet
