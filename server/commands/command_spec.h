#pragma once
// CommandSpec: one command (or subcommand) as described by its JSON file in
// server/commands/specs/. The field names of those files are the ones of Redis 7
// (`arity`, `command_flags`, `acl_categories`, `key_specs`, `arguments`, ...), and the
// values reported by COMMAND INFO / COMMAND DOCS are derived from them here with the same
// rules Redis uses (implicit ACL categories, legacy first/last/step, movablekeys).
//
// This is a pure library: it depends on utils/ and nlohmann_json only, so tests and tools
// can use it without a server. Parsing happens once at start-up; the hot-path queries
// (flags, arity, GetKeysFromArgs) read plain integers and never allocate unless asked to.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "utils/status.h"

namespace duet {

// Command flags. Bits follow the order in which COMMAND INFO lists flags, so FlagNames is a
// walk over the bits. Not persisted anywhere: the values may change.
enum CommandFlag : uint64_t {
  kCmdWrite = 1ull << 0,
  kCmdReadOnly = 1ull << 1,
  kCmdDenyOom = 1ull << 2,
  kCmdModule = 1ull << 3,
  kCmdAdmin = 1ull << 4,
  kCmdPubSub = 1ull << 5,
  kCmdNoScript = 1ull << 6,
  kCmdBlocking = 1ull << 7,
  kCmdLoading = 1ull << 8,
  kCmdStale = 1ull << 9,
  kCmdSkipMonitor = 1ull << 10,
  kCmdSkipSlowlog = 1ull << 11,
  kCmdAsking = 1ull << 12,
  kCmdFast = 1ull << 13,
  kCmdNoAuth = 1ull << 14,
  kCmdMayReplicate = 1ull << 15,  // not reported by COMMAND INFO
  kCmdSentinel = 1ull << 16,      // not reported by COMMAND INFO
  kCmdOnlySentinel = 1ull << 17,  // not reported by COMMAND INFO
  kCmdNoMandatoryKeys = 1ull << 18,
  kCmdProtected = 1ull << 19,  // not reported by COMMAND INFO
  kCmdNoAsyncLoading = 1ull << 20,
  kCmdNoMulti = 1ull << 21,
  kCmdMovableKeys = 1ull << 22,  // derived from key specs, never written in JSON
  kCmdAllowBusy = 1ull << 23,
  kCmdTouchesArbitraryKeys = 1ull << 24,  // not reported by COMMAND INFO
};

// ACL categories, in the order COMMAND INFO and ACL CAT list them.
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperLogLog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubSub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};
inline constexpr int kAclCategoryCount = 21;

// Key-spec flags, in the order COMMAND INFO lists them.
enum KeySpecFlag : uint32_t {
  kKeyRO = 1u << 0,
  kKeyRW = 1u << 1,
  kKeyOW = 1u << 2,
  kKeyRM = 1u << 3,
  kKeyAccess = 1u << 4,
  kKeyUpdate = 1u << 5,
  kKeyInsert = 1u << 6,
  kKeyDelete = 1u << 7,
  kKeyNotKey = 1u << 8,
  kKeyIncomplete = 1u << 9,
  kKeyVariableFlags = 1u << 10,
};

// Documentation flags (COMMAND DOCS `doc_flags`).
enum DocFlag : uint32_t {
  kDocDeprecated = 1u << 0,
  kDocSysCmd = 1u << 1,
};

// Where a key spec's keys are, in Redis's two steps: where the search begins, then which
// arguments from there are keys. Positions count argv[0] (the command name) as 0; for a
// subcommand argv[1] is the subcommand name.
struct KeySpec {
  enum class Begin : uint8_t { kIndex, kKeyword, kUnknown };
  enum class Find : uint8_t { kRange, kKeynum, kUnknown };

  std::string notes;
  uint32_t flags = 0;  // KeySpecFlag bits

  Begin begin = Begin::kUnknown;
  struct {
    int pos = 0;
  } index;
  struct {
    std::string keyword;  // matched case-insensitively
    int startfrom = 0;    // > 0: search forward from there; < 0: backward from argc+startfrom
  } keyword;

  Find find = Find::kUnknown;
  struct {
    int lastkey = 0;  // >= 0: relative to the first key; < 0: counted from the end of argv
    int step = 1;
    int limit = 0;  // with lastkey -1: only the first 1/limit of the remaining args
  } range;
  struct {
    int keynumidx = 0;  // where the key count is, relative to the first key position
    int firstkey = 0;   // where the first key is, relative to the first key position
    int step = 1;
  } keynum;
};

enum class ArgType : uint8_t {
  kString,
  kInteger,
  kDouble,
  kKey,
  kPattern,
  kUnixTime,
  kPureToken,
  kOneOf,
  kBlock,
};

// One argument of COMMAND DOCS. `oneof` and `block` arguments hold nested `args`.
struct ArgSpec {
  std::string name;
  ArgType type = ArgType::kString;
  std::string token;       // for pure-token the word itself; otherwise the keyword before the value
  bool has_token = false;  // a token may be empty (MIGRATE's "" alternative)
  std::string since;
  std::string deprecated_since;
  std::string summary;
  std::string display;
  int key_spec_index = -1;  // set for every key argument (and e.g. SORT ... BY pattern)
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;
  std::vector<ArgSpec> args;
};

// First key, last key and step as the legacy fields of COMMAND INFO report them.
struct LegacyKeyRange {
  int first = 0;
  int last = 0;  // negative: counted from the end of argv
  int step = 0;
  bool movable_keys = false;  // the range alone does not find every key
};

struct CommandSpec {
  std::string name;       // upper case; "GET", or "CONFIG|GET" for a subcommand
  std::string container;  // upper case parent name for a subcommand, else empty
  std::string summary;
  std::string complexity;
  std::string group;  // as COMMAND DOCS spells it: "string", "sorted-set" (file: "sorted_set")
  std::string since;
  std::string deprecated_since;
  std::string replaced_by;
  std::vector<std::pair<std::string, std::string>> history;  // (version, description)
  uint32_t doc_flags = 0;                                    // DocFlag bits
  int arity = 0;  // negative: at least -arity arguments, the name included
  // CommandFlag bits as declared, plus kCmdMovableKeys when the key specs require it.
  uint64_t flags = 0;
  uint32_t acl_categories = 0;    // AclCategory bits declared in the file (not the implicit ones)
  std::vector<std::string> tips;  // lower case, as COMMAND INFO reports them
  std::vector<KeySpec> key_specs;
  std::vector<ArgSpec> args;
  LegacyKeyRange legacy_range;  // ComputeLegacyRange(*this), filled by ParseCommandSpec

  bool IsSubcommand() const { return !container.empty(); }
  bool Has(CommandFlag f) const { return (flags & f) != 0; }
};

// Parses one spec file. `file_name` must match the command: "get.json" for GET,
// "config-get.json" for GET with container CONFIG. Rejects malformed JSON, unknown fields,
// unknown flag / category / key-spec flag / argument type names, missing required fields
// (summary, group, since, arity; name and type of each argument; token of a pure-token) and
// out-of-range key_spec_index values.
Status ParseCommandSpec(std::string_view file_name, std::string_view json, CommandSpec* out);

// Parses every embedded spec (kEmbeddedSpecs). Fails on the first bad file, on two files
// for the same command, and on a subcommand whose container has no spec.
Status LoadEmbeddedSpecs(std::vector<CommandSpec>* out);

// Redis's derivation of the legacy key range from the key specs: a single index+range spec
// is reported as is; otherwise consecutive step-1 index+range specs are merged, and any
// spec left out (other kinds, gaps, other steps, INCOMPLETE) makes the keys movable.
LegacyKeyRange ComputeLegacyRange(const CommandSpec& spec);

// Declared categories plus the ones Redis implies from flags: WRITE -> @write, READONLY ->
// @read (not for @scripting commands), ADMIN -> @admin @dangerous, PUBSUB -> @pubsub, FAST
// -> @fast, BLOCKING -> @blocking, and @slow for everything not @fast.
uint32_t EffectiveAclCategoryBits(const CommandSpec& spec);
// The same as COMMAND INFO spells them: "@write", "@string", "@slow", in Redis's order.
std::vector<std::string> EffectiveAclCategories(const CommandSpec& spec);
// Lower-case category name without '@' ("sortedset"); empty for a non-single bit.
std::string_view AclCategoryName(uint32_t category_bit);
// Case-insensitive lookup of a category name without '@'; 0 if unknown.
uint32_t AclCategoryFromName(std::string_view name);

// Lower-case flag names in COMMAND INFO order, leaving out the flags Redis hides
// (may_replicate, sentinel, only_sentinel, protected, touches_arbitrary_keys).
std::vector<std::string_view> FlagNames(uint64_t flags);
// Key-spec flags as COMMAND INFO spells them ("RW", "access", "update", ...).
std::vector<std::string_view> KeySpecFlagNames(uint32_t flags);
// "deprecated", "syscmd".
std::vector<std::string_view> DocFlagNames(uint32_t doc_flags);
// "string", "pure-token", "oneof", ...
std::string_view ArgTypeName(ArgType type);

// True when some key spec describes real keys (not NOT_KEY): COMMAND GETKEYS answers
// "The command has no key arguments" otherwise.
bool HasKeyArguments(const CommandSpec& spec);

struct KeyRef {
  int pos;         // index into argv
  uint32_t flags;  // KeySpecFlag bits of the spec that found it
};

struct GetKeysOptions {
  bool include_not_keys = false;  // also report NOT_KEY specs
  bool partial = false;           // skip unusable specs instead of failing
};

// Finds the key arguments of a full command line (argv[0] is the command name) from the key
// specs alone, in spec order. Appends to `out` (cleared first) and returns true; returns
// false with `out` empty when the arguments do not fit a spec (key count not a number or out
// of range, first/last key past the end) or a spec is INCOMPLETE or of unknown kind, unless
// `options.partial`. Commands whose specs cannot find their keys (unknown or INCOMPLETE
// specs) need their own key finder; so do VARIABLE_FLAGS specs when exact per-call flags
// matter (the declared, widest flags are reported here). Does not check arity.
bool GetKeysFromArgs(const CommandSpec& spec, std::span<const std::string_view> argv,
                     std::vector<KeyRef>* out, GetKeysOptions options = {});
// Convenience form: positions only, empty when GetKeysFromArgs fails.
std::vector<int> GetKeysFromArgs(const CommandSpec& spec, std::span<const std::string_view> argv);

}  // namespace duet
