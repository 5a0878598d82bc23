#pragma once
// CommandTable: every command Duet knows, built from the JSON specs embedded
// in the binary (server/commands/specs) and the handlers each command group
// binds by name. Start-up fails if a spec has no handler or a handler has no
// spec, so the table and the code cannot drift apart.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"
#include "utils/status.h"

namespace duet {

class CommandTable {
 public:
  // Parses the embedded specs. Call once, before Bind.
  Status LoadSpecs();
  // Binds a handler to "GET" or "CONFIG|GET" (case-insensitive). An unknown
  // name is remembered and reported by Verify.
  void Bind(std::string_view name, Handler handler);
  // Every spec bound exactly once, every bound name has a spec.
  Status Verify() const;

  // Looks up argv[0] (and argv[1] for container commands) as Redis does:
  // a container with a second argument resolves to its subcommand.
  // Returns null when unknown; *unknown_sub tells a bad subcommand apart.
  const Command* Lookup(const std::vector<std::string_view>& args, bool* unknown_sub) const;
  const Command* Find(std::string_view name) const;  // top-level, case-insensitive

  const std::vector<Command*>& top_level() const { return top_level_; }
  size_t size() const { return top_level_.size(); }
  const std::vector<std::unique_ptr<Command>>& all() const { return all_; }

 private:
  // Case-insensitive open-addressed index over top-level names: the lookup
  // every request makes, without lower-casing into a copy first.
  struct IndexSlot {
    uint64_t hash = 0;
    const Command* cmd = nullptr;
  };
  static uint64_t HashNoCase(std::string_view s);
  void BuildIndex();
  std::vector<IndexSlot> index_;
  uint64_t index_mask_ = 0;

  std::vector<CommandSpec> specs_;
  std::vector<std::unique_ptr<Command>> all_;
  std::vector<Command*> top_level_;
  StringMap<Command*> by_name_;  // lower case
  std::vector<std::string> bind_errors_;
};

// Lower-cases ASCII into `out` (reused), for case-insensitive lookups.
std::string_view ToLowerInto(std::string_view in, std::string& out);

}  // namespace duet
