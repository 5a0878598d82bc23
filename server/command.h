#pragma once
// What a command handler sees, and what the command table knows about each
// command. A handler reads args, calls storage operations and writes exactly
// one reply through ctx.rb.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/reply_builder.h"
#include "server/commands/command_spec.h"
#include "utils/latency_histogram.h"

namespace duet {

class Server;
class Database;
struct Client;
struct Command;

struct CommandContext {
  Server& server;
  Client& client;
  ReplyBuilder& rb;
  const std::vector<std::string_view>& args;  // args[0] is the command name as sent
  const Command& command;
  int64_t now_ms;

  Database& db();
  size_t argc() const { return args.size(); }
  // Counts one change of data set (rdb_changes_since_last_save). A write
  // command that added dirt is propagated (AOF) with its argv as received.
  void AddDirty(int64_t n = 1);

  // Propagation overrides (see Server::Propagate). PropagateAs logs `argv`
  // in the client's database instead of the command's own argv; call it once
  // per command to log several (e.g. SPOP with a count as SREMs). Once
  // called, the automatic propagation of this command is off, whether or not
  // it added dirt. PropagateNone logs nothing for this command.
  void PropagateAs(std::span<const std::string_view> argv);
  void PropagateAs(std::initializer_list<std::string_view> argv) {
    PropagateAs(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  void PropagateNone() { propagate_custom = true; }
  bool propagate_custom = false;
};

using Handler = void (*)(CommandContext&);

// Lets string-keyed maps be searched with a string_view, without a copy.
struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, TransparentStringHash, std::equal_to<>>;

struct CommandStats {
  uint64_t calls = 0;
  uint64_t ticks = 0;  // CycleClock ticks spent; INFO converts to microseconds
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
  // INFO latencystats (latency-tracking); created at the first timed call.
  LatencyHistogram::Ptr latency;
};

struct Command {
  std::string name;       // lower case; "config|get" for subcommands
  std::string full_name;  // as COMMAND reports it: "config|get"
  int arity = 0;          // negative = at least -arity
  uint64_t flags = 0;
  Handler handler = nullptr;
  const Command* parent = nullptr;
  StringMap<Command*> subcommands;  // lower-case names
  mutable CommandStats stats;
  const CommandSpec* spec = nullptr;  // owned by the CommandTable
  uint32_t id = 0;  // position in CommandTable::all(): this command's bit in ACL bitmaps

  bool has(CommandFlag f) const { return (flags & f) != 0; }
  bool ArityOk(size_t argc) const {
    return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
};

}  // namespace duet
