#include "server/commands/command_spec.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "server/commands/embedded_specs.h"
#include "utils/ascii.h"

namespace duet {
namespace {

using Json = nlohmann::json;

// One row per CommandFlag bit, in bit order. `json` is the spelling in spec files (empty:
// not allowed there), `reported` the COMMAND INFO spelling (empty: Redis hides it).
struct FlagName {
  uint64_t bit;
  std::string_view json;
  std::string_view reported;
};
constexpr std::array<FlagName, 25> kFlagNames = {{
    {kCmdWrite, "WRITE", "write"},
    {kCmdReadOnly, "READONLY", "readonly"},
    {kCmdDenyOom, "DENYOOM", "denyoom"},
    {kCmdModule, "", "module"},
    {kCmdAdmin, "ADMIN", "admin"},
    {kCmdPubSub, "PUBSUB", "pubsub"},
    {kCmdNoScript, "NOSCRIPT", "noscript"},
    {kCmdBlocking, "BLOCKING", "blocking"},
    {kCmdLoading, "LOADING", "loading"},
    {kCmdStale, "STALE", "stale"},
    {kCmdSkipMonitor, "SKIP_MONITOR", "skip_monitor"},
    {kCmdSkipSlowlog, "SKIP_SLOWLOG", "skip_slowlog"},
    {kCmdAsking, "ASKING", "asking"},
    {kCmdFast, "FAST", "fast"},
    {kCmdNoAuth, "NO_AUTH", "no_auth"},
    {kCmdMayReplicate, "MAY_REPLICATE", ""},
    {kCmdSentinel, "SENTINEL", ""},
    {kCmdOnlySentinel, "ONLY_SENTINEL", ""},
    {kCmdNoMandatoryKeys, "NO_MANDATORY_KEYS", "no_mandatory_keys"},
    {kCmdProtected, "PROTECTED", ""},
    {kCmdNoAsyncLoading, "NO_ASYNC_LOADING", "no_async_loading"},
    {kCmdNoMulti, "NO_MULTI", "no_multi"},
    {kCmdMovableKeys, "", "movablekeys"},
    {kCmdAllowBusy, "ALLOW_BUSY", "allow_busy"},
    {kCmdTouchesArbitraryKeys, "TOUCHES_ARBITRARY_KEYS", ""},
}};

// Indexed by bit number.
constexpr std::array<std::string_view, kAclCategoryCount> kAclNames = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};

struct KeyFlagName {
  uint32_t bit;
  std::string_view json;
  std::string_view reported;
};
constexpr std::array<KeyFlagName, 11> kKeyFlagNames = {{
    {kKeyRO, "RO", "RO"},
    {kKeyRW, "RW", "RW"},
    {kKeyOW, "OW", "OW"},
    {kKeyRM, "RM", "RM"},
    {kKeyAccess, "ACCESS", "access"},
    {kKeyUpdate, "UPDATE", "update"},
    {kKeyInsert, "INSERT", "insert"},
    {kKeyDelete, "DELETE", "delete"},
    {kKeyNotKey, "NOT_KEY", "not_key"},
    {kKeyIncomplete, "INCOMPLETE", "incomplete"},
    {kKeyVariableFlags, "VARIABLE_FLAGS", "variable_flags"},
}};

constexpr std::array<std::pair<ArgType, std::string_view>, 9> kArgTypeNames = {{
    {ArgType::kString, "string"},
    {ArgType::kInteger, "integer"},
    {ArgType::kDouble, "double"},
    {ArgType::kKey, "key"},
    {ArgType::kPattern, "pattern"},
    {ArgType::kUnixTime, "unix-time"},
    {ArgType::kPureToken, "pure-token"},
    {ArgType::kOneOf, "oneof"},
    {ArgType::kBlock, "block"},
}};

constexpr std::array<std::string_view, 18> kGroups = {
    "bitmap",      "cluster", "connection", "generic", "geo",       "hash",
    "hyperloglog", "list",    "module",     "pubsub",  "scripting", "sentinel",
    "server",      "set",     "sorted_set", "stream",  "string",    "transactions"};

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

// Redis's strict integer syntax: optional '-', no '+', no leading zeros, no spaces.
bool ParseStrictInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0') {
    if (s.size() == 1) {
      *out = 0;
      return true;
    }
    return false;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

// Reads the fields of one JSON file; every error names the file and the place.
class SpecReader {
 public:
  explicit SpecReader(std::string_view file) : file_(file) {}

  Status Error(std::string_view where, std::string_view what) const {
    std::string msg(file_);
    msg += ": ";
    if (!where.empty()) {
      msg += where;
      msg += ": ";
    }
    msg += what;
    return Status::InvalidArgument(std::move(msg));
  }

  // Fails when `obj` has a member not listed in `allowed`.
  Status OnlyKnownFields(const Json& obj, std::span<const std::string_view> allowed,
                         std::string_view where) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        return Error(where, "unknown field '" + it.key() + "'");
      }
    }
    return Status::Ok();
  }

  Status String(const Json& obj, const char* key, bool required, std::string* out,
                std::string_view where) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      return required ? Error(where, std::string("missing field '") + key + "'") : Status::Ok();
    }
    if (!it->is_string()) return Error(where, std::string("field '") + key + "' must be a string");
    *out = it->get<std::string>();
    if (required && out->empty()) {
      return Error(where, std::string("field '") + key + "' must not be empty");
    }
    return Status::Ok();
  }

  Status Int(const Json& obj, const char* key, bool required, int* out,
             std::string_view where) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      return required ? Error(where, std::string("missing field '") + key + "'") : Status::Ok();
    }
    if (!it->is_number_integer()) {
      return Error(where, std::string("field '") + key + "' must be an integer");
    }
    int64_t v = it->get<int64_t>();
    if (v < INT_MIN || v > INT_MAX) {
      return Error(where, std::string("field '") + key + "' is out of range");
    }
    *out = static_cast<int>(v);
    return Status::Ok();
  }

  Status Bool(const Json& obj, const char* key, bool* out, std::string_view where) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_boolean())
      return Error(where, std::string("field '") + key + "' must be a boolean");
    *out = it->get<bool>();
    return Status::Ok();
  }

  // An array of strings, each mapped to a bit by `lookup` (0 = unknown name).
  template <typename Bits, typename Lookup>
  Status NameList(const Json& obj, const char* key, std::string_view what, Lookup lookup, Bits* out,
                  std::string_view where) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array()) return Error(where, std::string("field '") + key + "' must be an array");
    for (const Json& item : *it) {
      if (!item.is_string())
        return Error(where, std::string("field '") + key + "' holds a non-string");
      const std::string& name = item.get_ref<const std::string&>();
      Bits bit = lookup(name);
      if (bit == 0) return Error(where, "unknown " + std::string(what) + " '" + name + "'");
      if ((*out & bit) != 0)
        return Error(where, "repeated " + std::string(what) + " '" + name + "'");
      *out |= bit;
    }
    return Status::Ok();
  }

 private:
  std::string_view file_;
};

uint64_t CommandFlagFromJsonName(std::string_view name) {
  for (const FlagName& f : kFlagNames) {
    if (!f.json.empty() && f.json == name) return f.bit;
  }
  return 0;
}

uint32_t AclCategoryFromJsonName(std::string_view name) {
  // Spec files spell categories in upper case; names are otherwise the same.
  for (char c : name) {
    if (c >= 'a' && c <= 'z') return 0;
  }
  return AclCategoryFromName(name);
}

uint32_t KeySpecFlagFromJsonName(std::string_view name) {
  for (const KeyFlagName& f : kKeyFlagNames) {
    if (f.json == name) return f.bit;
  }
  return 0;
}

uint32_t DocFlagFromJsonName(std::string_view name) {
  if (name == "DEPRECATED") return kDocDeprecated;
  if (name == "SYSCMD") return kDocSysCmd;
  return 0;
}

// A key spec's `begin_search` / `find_keys`: an object with exactly one member naming
// the method.
Status MethodObject(const SpecReader& r, const Json& spec, const char* key, std::string* method,
                    const Json** body, std::string_view where) {
  auto it = spec.find(key);
  if (it == spec.end()) return r.Error(where, std::string("missing field '") + key + "'");
  if (!it->is_object() || it->size() != 1) {
    return r.Error(where, std::string("field '") + key + "' must be an object with one member");
  }
  *method = it->begin().key();
  *body = &it->begin().value();
  return Status::Ok();
}

Status ParseKeySpec(const SpecReader& r, const Json& j, KeySpec* ks, std::string_view where) {
  if (!j.is_object()) return r.Error(where, "key spec must be an object");
  static constexpr std::string_view kFields[] = {"notes", "flags", "begin_search", "find_keys"};
  Status s = r.OnlyKnownFields(j, kFields, where);
  if (!s.ok()) return s;
  if (s = r.String(j, "notes", false, &ks->notes, where); !s.ok()) return s;
  if (s = r.NameList(j, "flags", "key spec flag", KeySpecFlagFromJsonName, &ks->flags, where);
      !s.ok()) {
    return s;
  }

  std::string method;
  const Json* body = nullptr;
  if (s = MethodObject(r, j, "begin_search", &method, &body, where); !s.ok()) return s;
  if (method == "index") {
    ks->begin = KeySpec::Begin::kIndex;
    if (!body->is_object()) return r.Error(where, "begin_search.index must be an object");
    static constexpr std::string_view kIndex[] = {"pos"};
    if (s = r.OnlyKnownFields(*body, kIndex, where); !s.ok()) return s;
    if (s = r.Int(*body, "pos", true, &ks->index.pos, where); !s.ok()) return s;
    if (ks->index.pos < 1) return r.Error(where, "begin_search.index.pos must be at least 1");
  } else if (method == "keyword") {
    ks->begin = KeySpec::Begin::kKeyword;
    if (!body->is_object()) return r.Error(where, "begin_search.keyword must be an object");
    static constexpr std::string_view kKeyword[] = {"keyword", "startfrom"};
    if (s = r.OnlyKnownFields(*body, kKeyword, where); !s.ok()) return s;
    if (s = r.String(*body, "keyword", true, &ks->keyword.keyword, where); !s.ok()) return s;
    if (s = r.Int(*body, "startfrom", true, &ks->keyword.startfrom, where); !s.ok()) return s;
    if (ks->keyword.startfrom == 0) return r.Error(where, "begin_search.keyword.startfrom is 0");
  } else if (method == "unknown") {
    ks->begin = KeySpec::Begin::kUnknown;
    if (!body->is_null()) return r.Error(where, "begin_search.unknown must be null");
  } else {
    return r.Error(where, "unknown begin_search method '" + method + "'");
  }

  if (s = MethodObject(r, j, "find_keys", &method, &body, where); !s.ok()) return s;
  if (method == "range") {
    ks->find = KeySpec::Find::kRange;
    if (!body->is_object()) return r.Error(where, "find_keys.range must be an object");
    static constexpr std::string_view kRange[] = {"lastkey", "step", "limit"};
    if (s = r.OnlyKnownFields(*body, kRange, where); !s.ok()) return s;
    if (s = r.Int(*body, "lastkey", true, &ks->range.lastkey, where); !s.ok()) return s;
    if (s = r.Int(*body, "step", true, &ks->range.step, where); !s.ok()) return s;
    if (s = r.Int(*body, "limit", true, &ks->range.limit, where); !s.ok()) return s;
    if (ks->range.step < 1) return r.Error(where, "find_keys.range.step must be at least 1");
    if (ks->range.limit < 0) return r.Error(where, "find_keys.range.limit is negative");
    if (ks->range.limit > 1 && ks->range.lastkey != -1) {
      return r.Error(where, "find_keys.range.limit needs lastkey -1");
    }
  } else if (method == "keynum") {
    ks->find = KeySpec::Find::kKeynum;
    if (!body->is_object()) return r.Error(where, "find_keys.keynum must be an object");
    static constexpr std::string_view kKeynum[] = {"keynumidx", "firstkey", "step"};
    if (s = r.OnlyKnownFields(*body, kKeynum, where); !s.ok()) return s;
    if (s = r.Int(*body, "keynumidx", true, &ks->keynum.keynumidx, where); !s.ok()) return s;
    if (s = r.Int(*body, "firstkey", true, &ks->keynum.firstkey, where); !s.ok()) return s;
    if (s = r.Int(*body, "step", true, &ks->keynum.step, where); !s.ok()) return s;
    if (ks->keynum.step < 1) return r.Error(where, "find_keys.keynum.step must be at least 1");
    if (ks->keynum.keynumidx < 0 || ks->keynum.firstkey < 0) {
      return r.Error(where, "find_keys.keynum positions must not be negative");
    }
  } else if (method == "unknown") {
    ks->find = KeySpec::Find::kUnknown;
    if (!body->is_null()) return r.Error(where, "find_keys.unknown must be null");
  } else {
    return r.Error(where, "unknown find_keys method '" + method + "'");
  }
  return Status::Ok();
}

Status ParseArg(const SpecReader& r, const Json& j, size_t key_spec_count, ArgSpec* arg,
                const std::string& parent) {
  if (!j.is_object()) return r.Error(parent, "argument must be an object");
  std::string where = parent + "/";
  if (auto it = j.find("name"); it != j.end() && it->is_string()) {
    where += it->get<std::string>();
  }
  static constexpr std::string_view kFields[] = {
      "name",    "type",     "token",    "since",          "deprecated_since", "summary",
      "display", "optional", "multiple", "multiple_token", "key_spec_index",   "arguments"};
  Status s = r.OnlyKnownFields(j, kFields, where);
  if (!s.ok()) return s;
  if (s = r.String(j, "name", true, &arg->name, where); !s.ok()) return s;
  std::string type;
  if (s = r.String(j, "type", true, &type, where); !s.ok()) return s;
  auto type_it = std::find_if(kArgTypeNames.begin(), kArgTypeNames.end(),
                              [&](const auto& p) { return p.second == type; });
  if (type_it == kArgTypeNames.end()) return r.Error(where, "unknown argument type '" + type + "'");
  arg->type = type_it->first;
  if (s = r.String(j, "token", false, &arg->token, where); !s.ok()) return s;
  if (s = r.String(j, "since", false, &arg->since, where); !s.ok()) return s;
  if (s = r.String(j, "deprecated_since", false, &arg->deprecated_since, where); !s.ok()) return s;
  if (s = r.String(j, "summary", false, &arg->summary, where); !s.ok()) return s;
  if (s = r.String(j, "display", false, &arg->display, where); !s.ok()) return s;
  if (s = r.Bool(j, "optional", &arg->optional, where); !s.ok()) return s;
  if (s = r.Bool(j, "multiple", &arg->multiple, where); !s.ok()) return s;
  if (s = r.Bool(j, "multiple_token", &arg->multiple_token, where); !s.ok()) return s;

  arg->has_token = j.contains("token");
  // MIGRATE's empty-string alternative is a pure token "", so only presence is required.
  if (arg->type == ArgType::kPureToken && !arg->has_token) {
    return r.Error(where, "a pure-token argument needs a token");
  }
  // Mostly on keys, but SORT's BY pattern names keys too.
  if (j.contains("key_spec_index")) {
    if (s = r.Int(j, "key_spec_index", true, &arg->key_spec_index, where); !s.ok()) return s;
    if (arg->key_spec_index < 0 || static_cast<size_t>(arg->key_spec_index) >= key_spec_count) {
      return r.Error(where, "key_spec_index out of range");
    }
  } else if (arg->type == ArgType::kKey) {
    return r.Error(where, "a key argument needs key_spec_index");
  }

  bool nests = arg->type == ArgType::kOneOf || arg->type == ArgType::kBlock;
  auto sub = j.find("arguments");
  if (!nests) {
    if (sub != j.end()) return r.Error(where, "only oneof and block arguments nest arguments");
    return Status::Ok();
  }
  if (sub == j.end() || !sub->is_array() || sub->empty()) {
    return r.Error(where, "oneof and block arguments need a non-empty 'arguments' array");
  }
  arg->args.resize(sub->size());
  for (size_t i = 0; i < sub->size(); ++i) {
    if (s = ParseArg(r, (*sub)[i], key_spec_count, &arg->args[i], where); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ParseBody(const SpecReader& r, const Json& body, CommandSpec* spec) {
  static constexpr std::string_view kFields[] = {
      "summary",      "complexity",    "group",
      "since",        "arity",         "container",
      "history",      "doc_flags",     "deprecated_since",
      "replaced_by",  "command_flags", "acl_categories",
      "command_tips", "key_specs",     "arguments",
      "reply_schema"};
  const std::string_view top;
  Status s = r.OnlyKnownFields(body, kFields, top);
  if (!s.ok()) return s;
  if (s = r.String(body, "summary", true, &spec->summary, top); !s.ok()) return s;
  if (s = r.String(body, "complexity", false, &spec->complexity, top); !s.ok()) return s;
  if (s = r.String(body, "group", true, &spec->group, top); !s.ok()) return s;
  if (std::find(kGroups.begin(), kGroups.end(), spec->group) == kGroups.end()) {
    return r.Error(top, "unknown group '" + spec->group + "'");
  }
  // Files say "sorted_set" like Redis's; COMMAND DOCS says "sorted-set".
  if (spec->group == "sorted_set") spec->group = "sorted-set";
  if (s = r.String(body, "since", true, &spec->since, top); !s.ok()) return s;
  if (s = r.Int(body, "arity", true, &spec->arity, top); !s.ok()) return s;
  if (spec->arity == 0) return r.Error(top, "arity must not be 0");
  if (s = r.String(body, "deprecated_since", false, &spec->deprecated_since, top); !s.ok()) {
    return s;
  }
  if (s = r.String(body, "replaced_by", false, &spec->replaced_by, top); !s.ok()) return s;

  if (auto it = body.find("history"); it != body.end()) {
    if (!it->is_array()) return r.Error(top, "field 'history' must be an array");
    for (const Json& entry : *it) {
      if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() ||
          !entry[1].is_string()) {
        return r.Error(top, "each history entry must be [version, description]");
      }
      spec->history.emplace_back(entry[0].get<std::string>(), entry[1].get<std::string>());
    }
  }

  if (s = r.NameList(body, "doc_flags", "doc flag", DocFlagFromJsonName, &spec->doc_flags, top);
      !s.ok()) {
    return s;
  }
  if (s = r.NameList(body, "command_flags", "command flag", CommandFlagFromJsonName, &spec->flags,
                     top);
      !s.ok()) {
    return s;
  }
  if (s = r.NameList(body, "acl_categories", "ACL category", AclCategoryFromJsonName,
                     &spec->acl_categories, top);
      !s.ok()) {
    return s;
  }

  if (auto it = body.find("command_tips"); it != body.end()) {
    if (!it->is_array()) return r.Error(top, "field 'command_tips' must be an array");
    for (const Json& tip : *it) {
      if (!tip.is_string() || tip.get_ref<const std::string&>().empty()) {
        return r.Error(top, "each command tip must be a non-empty string");
      }
      spec->tips.push_back(Lower(tip.get_ref<const std::string&>()));
    }
  }

  if (auto it = body.find("key_specs"); it != body.end()) {
    if (!it->is_array()) return r.Error(top, "field 'key_specs' must be an array");
    spec->key_specs.resize(it->size());
    for (size_t i = 0; i < it->size(); ++i) {
      std::string where = "key_specs[" + std::to_string(i) + "]";
      if (s = ParseKeySpec(r, (*it)[i], &spec->key_specs[i], where); !s.ok()) return s;
    }
  }

  if (auto it = body.find("arguments"); it != body.end()) {
    if (!it->is_array()) return r.Error(top, "field 'arguments' must be an array");
    spec->args.resize(it->size());
    for (size_t i = 0; i < it->size(); ++i) {
      s = ParseArg(r, (*it)[i], spec->key_specs.size(), &spec->args[i], "arguments");
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

// Keys from one spec that uses index/keyword + range/keynum. Returns false when the
// arguments do not fit it; `first`/`last` are then meaningless.
bool LocateKeys(const KeySpec& ks, std::span<const std::string_view> argv, int* first_out,
                int* last_out, int* step_out) {
  const int argc = static_cast<int>(argv.size());
  int first = 0;
  if (ks.begin == KeySpec::Begin::kIndex) {
    first = ks.index.pos;
  } else {
    // Forward searches stop before the last argument and backward ones before argv[1]:
    // a keyword there could not be followed by a key.
    const int from = ks.keyword.startfrom;
    if (from > 0) {
      for (int i = from; i < argc - 1; ++i) {
        if (EqualsIgnoreCase(argv[i], ks.keyword.keyword)) {
          first = i + 1;
          break;
        }
      }
    } else {
      for (int i = std::min(argc + from, argc - 1); i > 1; --i) {
        if (EqualsIgnoreCase(argv[i], ks.keyword.keyword)) {
          first = i + 1;
          break;
        }
      }
    }
    if (first == 0) {
      *first_out = 0;  // keyword absent: this spec finds no key, which is not an error
      *last_out = -1;
      *step_out = 1;
      return true;
    }
  }

  int64_t last = 0;
  int step = 1;
  if (ks.find == KeySpec::Find::kRange) {
    step = ks.range.step;
    if (ks.range.lastkey >= 0) {
      last = static_cast<int64_t>(first) + ks.range.lastkey;
    } else if (ks.range.limit == 0) {
      last = static_cast<int64_t>(argc) + ks.range.lastkey;
    } else {
      last = first + (argc - first) / ks.range.limit + ks.range.lastkey;
    }
  } else {
    step = ks.keynum.step;
    const int count_pos = first + ks.keynum.keynumidx;
    if (count_pos >= argc) return false;
    int64_t count = 0;
    if (!ParseStrictInt64(argv[count_pos], &count) || count < 0) return false;
    first += ks.keynum.firstkey;
    last = static_cast<int64_t>(first) + count - 1;
  }
  if (first >= argc || last >= argc || last < first) return false;
  *first_out = first;
  *last_out = static_cast<int>(last);
  *step_out = step;
  return true;
}

}  // namespace

Status ParseCommandSpec(std::string_view file_name, std::string_view json, CommandSpec* out) {
  *out = CommandSpec();
  SpecReader r(file_name);
  Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return r.Error("", "not valid JSON");
  if (!doc.is_object() || doc.size() != 1 || !doc.begin().value().is_object()) {
    return r.Error("", "expected one object member named after the command");
  }
  const std::string& name = doc.begin().key();
  const Json& body = doc.begin().value();
  if (name.empty()) return r.Error("", "empty command name");
  for (char c : name) {
    if (ToUpper(c) != c || c == '|' || c == ' ') {
      return r.Error("", "command name '" + name + "' must be upper case without '|' or spaces");
    }
  }

  std::string container;
  Status s = r.String(body, "container", false, &container, "");
  if (!s.ok()) return s;
  std::string expected_file = Lower(container.empty() ? name : container + "-" + name) + ".json";
  if (file_name != expected_file) {
    return r.Error("", "a spec for this command belongs in '" + expected_file + "'");
  }
  if (s = ParseBody(r, body, out); !s.ok()) {
    *out = CommandSpec();
    return s;
  }
  out->container = container;
  out->name = container.empty() ? name : container + "|" + name;
  out->legacy_range = ComputeLegacyRange(*out);
  if (out->legacy_range.movable_keys) out->flags |= kCmdMovableKeys;
  return Status::Ok();
}

Status LoadEmbeddedSpecs(std::vector<CommandSpec>* out) {
  out->clear();
  out->reserve(kEmbeddedSpecCount);
  std::unordered_set<std::string> names;
  for (size_t i = 0; i < kEmbeddedSpecCount; ++i) {
    CommandSpec spec;
    Status s = ParseCommandSpec(kEmbeddedSpecs[i].file_name, kEmbeddedSpecs[i].json, &spec);
    if (!s.ok()) return s;
    if (!names.insert(spec.name).second) {
      return Status::InvalidArgument("two specs for command " + spec.name);
    }
    out->push_back(std::move(spec));
  }
  for (const CommandSpec& spec : *out) {
    if (spec.IsSubcommand() && names.count(spec.container) == 0) {
      return Status::InvalidArgument("subcommand " + spec.name + " has no container spec");
    }
  }
  return Status::Ok();
}

LegacyKeyRange ComputeLegacyRange(const CommandSpec& spec) {
  LegacyKeyRange out;
  const auto& specs = spec.key_specs;
  if (specs.empty()) return out;
  auto plain = [](const KeySpec& ks) {
    return ks.begin == KeySpec::Begin::kIndex && ks.find == KeySpec::Find::kRange;
  };

  if (specs.size() == 1 && plain(specs[0])) {
    // A lone index+range spec is reported as it is, whatever its step.
    const KeySpec& ks = specs[0];
    out.first = ks.index.pos;
    out.last = ks.range.lastkey >= 0 ? ks.index.pos + ks.range.lastkey : ks.range.lastkey;
    out.step = ks.range.step;
    out.movable_keys = (ks.flags & kKeyIncomplete) != 0;
    return out;
  }

  // Merge consecutive step-1 ranges. A negative last key ("up to the end") wins over any
  // absolute one, hence the unsigned comparison.
  int first = INT_MAX;
  int last = 0;
  int prev_last = 0;
  for (const KeySpec& ks : specs) {
    if (!plain(ks) || ks.range.step != 1 || (prev_last != 0 && prev_last != ks.index.pos - 1)) {
      out.movable_keys = true;
      continue;
    }
    if (ks.flags & kKeyIncomplete) out.movable_keys = true;
    first = std::min(first, ks.index.pos);
    int abs_last = ks.range.lastkey >= 0 ? ks.index.pos + ks.range.lastkey : ks.range.lastkey;
    if (static_cast<unsigned>(abs_last) > static_cast<unsigned>(last)) last = abs_last;
    prev_last = last;
  }
  if (first == INT_MAX) {
    out.movable_keys = true;
    return out;
  }
  out.first = first;
  out.last = last;
  out.step = 1;
  return out;
}

uint32_t EffectiveAclCategoryBits(const CommandSpec& spec) {
  uint32_t cats = spec.acl_categories;
  if (spec.flags & kCmdWrite) cats |= kAclWrite;
  if ((spec.flags & kCmdReadOnly) && !(cats & kAclScripting)) cats |= kAclRead;
  if (spec.flags & kCmdAdmin) cats |= kAclAdmin | kAclDangerous;
  if (spec.flags & kCmdPubSub) cats |= kAclPubSub;
  if (spec.flags & kCmdFast) cats |= kAclFast;
  if (spec.flags & kCmdBlocking) cats |= kAclBlocking;
  if (!(cats & kAclFast)) cats |= kAclSlow;
  return cats;
}

std::vector<std::string> EffectiveAclCategories(const CommandSpec& spec) {
  uint32_t cats = EffectiveAclCategoryBits(spec);
  std::vector<std::string> out;
  for (int i = 0; i < kAclCategoryCount; ++i) {
    if (!(cats & (1u << i))) continue;
    std::string name(1, '@');
    name.append(kAclNames[i]);
    out.push_back(std::move(name));
  }
  return out;
}

std::string_view AclCategoryName(uint32_t category_bit) {
  for (int i = 0; i < kAclCategoryCount; ++i) {
    if (category_bit == (1u << i)) return kAclNames[i];
  }
  return {};
}

uint32_t AclCategoryFromName(std::string_view name) {
  for (int i = 0; i < kAclCategoryCount; ++i) {
    if (EqualsIgnoreCase(name, kAclNames[i])) return 1u << i;
  }
  return 0;
}

std::vector<std::string_view> FlagNames(uint64_t flags) {
  std::vector<std::string_view> out;
  for (const FlagName& f : kFlagNames) {
    if ((flags & f.bit) && !f.reported.empty()) out.push_back(f.reported);
  }
  return out;
}

std::vector<std::string_view> KeySpecFlagNames(uint32_t flags) {
  std::vector<std::string_view> out;
  for (const KeyFlagName& f : kKeyFlagNames) {
    if (flags & f.bit) out.push_back(f.reported);
  }
  return out;
}

std::vector<std::string_view> DocFlagNames(uint32_t doc_flags) {
  std::vector<std::string_view> out;
  if (doc_flags & kDocDeprecated) out.push_back("deprecated");
  if (doc_flags & kDocSysCmd) out.push_back("syscmd");
  return out;
}

std::string_view ArgTypeName(ArgType type) {
  for (const auto& [t, name] : kArgTypeNames) {
    if (t == type) return name;
  }
  return {};
}

bool HasKeyArguments(const CommandSpec& spec) {
  return std::any_of(spec.key_specs.begin(), spec.key_specs.end(),
                     [](const KeySpec& ks) { return !(ks.flags & kKeyNotKey); });
}

bool GetKeysFromArgs(const CommandSpec& spec, std::span<const std::string_view> argv,
                     std::vector<KeyRef>* out, GetKeysOptions options) {
  out->clear();
  for (const KeySpec& ks : spec.key_specs) {
    if ((ks.flags & kKeyNotKey) && !options.include_not_keys) continue;
    bool usable = ks.begin != KeySpec::Begin::kUnknown && ks.find != KeySpec::Find::kUnknown;
    int first = 0, last = -1, step = 1;
    if (usable && LocateKeys(ks, argv, &first, &last, &step)) {
      for (int i = first; i <= last; i += step) out->push_back({i, ks.flags});
      // The keys found are right, but there may be more than the spec can describe.
      if (!(ks.flags & kKeyIncomplete)) continue;
    }
    if (!options.partial) {
      out->clear();
      return false;
    }
  }
  return true;
}

std::vector<int> GetKeysFromArgs(const CommandSpec& spec, std::span<const std::string_view> argv) {
  std::vector<KeyRef> keys;
  std::vector<int> positions;
  if (!GetKeysFromArgs(spec, argv, &keys)) return positions;
  positions.reserve(keys.size());
  for (const KeyRef& k : keys) positions.push_back(k.pos);
  return positions;
}

}  // namespace duet
