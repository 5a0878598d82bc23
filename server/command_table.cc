#include "server/command_table.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "server/commands/embedded_specs.h"

namespace duet {
namespace {

struct FlagName {
  const char* name;
  CommandFlag flag;
};
constexpr FlagName kFlagNames[] = {
    {"WRITE", kCmdWrite},
    {"READONLY", kCmdReadonly},
    {"DENYOOM", kCmdDenyOom},
    {"MODULE", kCmdModule},
    {"ADMIN", kCmdAdmin},
    {"PUBSUB", kCmdPubsub},
    {"NOSCRIPT", kCmdNoscript},
    {"BLOCKING", kCmdBlocking},
    {"LOADING", kCmdLoading},
    {"STALE", kCmdStale},
    {"SKIP_MONITOR", kCmdSkipMonitor},
    {"SKIP_SLOWLOG", kCmdSkipSlowlog},
    {"ASKING", kCmdAsking},
    {"FAST", kCmdFast},
    {"NO_AUTH", kCmdNoAuth},
    {"MAY_REPLICATE", kCmdMayReplicate},
    {"SENTINEL", kCmdSentinel},
    {"ONLY_SENTINEL", kCmdOnlySentinel},
    {"NO_MANDATORY_KEYS", kCmdNoMandatoryKeys},
    {"PROTECTED", kCmdProtected},
    {"NO_ASYNC_LOADING", kCmdNoAsyncLoading},
    {"NO_MULTI", kCmdNoMulti},
    {"ALLOW_BUSY", kCmdAllowBusy},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view ToLowerInto(std::string_view in, std::string& out) {
  out.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return out;
}

Status CommandTable::LoadSpecs() {
  std::vector<std::pair<std::string, std::unique_ptr<Command>>> subs;  // container, command
  for (size_t i = 0; i < kEmbeddedSpecCount; ++i) {
    const EmbeddedSpec& spec = kEmbeddedSpecs[i];
    nlohmann::json doc = nlohmann::json::parse(spec.json, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object() || doc.size() != 1) {
      return Status::InvalidArgument("command spec " + std::string(spec.file_name) +
                                     ": not one JSON object with one command");
    }
    auto it = doc.begin();
    const nlohmann::json& body = it.value();
    auto cmd = std::make_unique<Command>();
    cmd->name = Lower(it.key());
    cmd->spec_index = i;
    if (!body.contains("arity") || !body["arity"].is_number_integer()) {
      return Status::InvalidArgument("command spec " + std::string(spec.file_name) + ": no arity");
    }
    cmd->arity = body["arity"].get<int>();
    for (const auto& f : body.value("command_flags", nlohmann::json::array())) {
      std::string name = f.get<std::string>();
      auto fit = std::find_if(std::begin(kFlagNames), std::end(kFlagNames),
                              [&](const FlagName& fn) { return name == fn.name; });
      if (fit == std::end(kFlagNames)) {
        return Status::InvalidArgument("command spec " + std::string(spec.file_name) +
                                       ": unknown flag " + name);
      }
      cmd->flags |= fit->flag;
    }
    if (body.contains("container")) {
      std::string container = Lower(body["container"].get<std::string>());
      cmd->full_name = container + "|" + cmd->name;
      subs.emplace_back(container, std::move(cmd));
    } else {
      cmd->full_name = cmd->name;
      by_name_[cmd->name] = cmd.get();
      top_level_.push_back(cmd.get());
      all_.push_back(std::move(cmd));
    }
  }
  for (auto& [container, cmd] : subs) {
    auto parent = by_name_.find(container);
    if (parent == by_name_.end()) {
      return Status::InvalidArgument("command spec for " + cmd->full_name +
                                     ": container command has no spec");
    }
    cmd->parent = parent->second;
    parent->second->subcommands[cmd->name] = cmd.get();
    all_.push_back(std::move(cmd));
  }
  return Status::Ok();
}

void CommandTable::Bind(std::string_view name, Handler handler) {
  std::string lower = Lower(name);
  Command* target = nullptr;
  size_t bar = lower.find('|');
  if (bar == std::string::npos) {
    auto it = by_name_.find(lower);
    if (it != by_name_.end()) target = it->second;
  } else {
    auto it = by_name_.find(lower.substr(0, bar));
    if (it != by_name_.end()) {
      auto sub = it->second->subcommands.find(lower.substr(bar + 1));
      if (sub != it->second->subcommands.end()) target = sub->second;
    }
  }
  if (target == nullptr) {
    bind_errors_.push_back("handler bound for " + lower + " but there is no spec");
    return;
  }
  if (target->handler != nullptr) bind_errors_.push_back("two handlers bound for " + lower);
  target->handler = handler;
}

Status CommandTable::Verify() const {
  if (!bind_errors_.empty()) return Status::InvalidArgument(bind_errors_.front());
  for (const auto& cmd : all_) {
    // A container's own entry needs no handler: it only routes subcommands.
    if (cmd->handler == nullptr && cmd->subcommands.empty()) {
      return Status::InvalidArgument("command spec " + cmd->full_name + " has no handler");
    }
  }
  return Status::Ok();
}

const Command* CommandTable::Find(std::string_view name) const {
  thread_local std::string lower;
  auto it = by_name_.find(ToLowerInto(name, lower));
  return it == by_name_.end() ? nullptr : it->second;
}

const Command* CommandTable::Lookup(const std::vector<std::string_view>& args,
                                    bool* unknown_sub) const {
  *unknown_sub = false;
  const Command* base = Find(args[0]);
  if (base == nullptr) return nullptr;
  if (args.size() == 1 || base->subcommands.empty()) return base;
  thread_local std::string lower;
  auto it = base->subcommands.find(ToLowerInto(args[1], lower));
  if (it == base->subcommands.end()) {
    *unknown_sub = true;
    return nullptr;
  }
  return it->second;
}

}  // namespace duet
