#include "server/command_table.h"

#include <algorithm>
#include <cctype>

namespace duet {
namespace {

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
  Status s = LoadEmbeddedSpecs(&specs_);
  if (!s.ok()) return s;
  // Containers first, so every subcommand finds its parent.
  for (const CommandSpec& spec : specs_) {
    if (spec.IsSubcommand()) continue;
    auto cmd = std::make_unique<Command>();
    cmd->name = Lower(spec.name);
    cmd->full_name = cmd->name;
    cmd->arity = spec.arity;
    cmd->flags = spec.flags;
    cmd->spec = &spec;
    cmd->id = static_cast<uint32_t>(all_.size());
    by_name_[cmd->name] = cmd.get();
    top_level_.push_back(cmd.get());
    all_.push_back(std::move(cmd));
  }
  for (const CommandSpec& spec : specs_) {
    if (!spec.IsSubcommand()) continue;
    auto parent = by_name_.find(Lower(spec.container));
    if (parent == by_name_.end()) {
      return Status::InvalidArgument("command spec " + spec.name + ": container has no spec");
    }
    auto cmd = std::make_unique<Command>();
    cmd->full_name = Lower(spec.name);
    cmd->name = cmd->full_name.substr(cmd->full_name.find('|') + 1);
    cmd->arity = spec.arity;
    cmd->flags = spec.flags;
    cmd->spec = &spec;
    cmd->id = static_cast<uint32_t>(all_.size());
    cmd->parent = parent->second;
    parent->second->subcommands[cmd->name] = cmd.get();
    all_.push_back(std::move(cmd));
  }
  BuildIndex();
  return Status::Ok();
}

uint64_t CommandTable::HashNoCase(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a over ASCII-lower-cased bytes
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u + 32);
    h = (h ^ u) * 1099511628211ULL;
  }
  return h;
}

void CommandTable::BuildIndex() {
  size_t slots = 16;
  while (slots < top_level_.size() * 4) slots *= 2;
  index_.assign(slots, IndexSlot{});
  index_mask_ = slots - 1;
  for (const Command* c : top_level_) {
    uint64_t h = HashNoCase(c->name);
    size_t i = h & index_mask_;
    while (index_[i].cmd != nullptr) i = (i + 1) & index_mask_;
    index_[i] = IndexSlot{h, c};
  }
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
  if (index_.empty()) return nullptr;
  uint64_t h = HashNoCase(name);
  for (size_t i = h & index_mask_; index_[i].cmd != nullptr; i = (i + 1) & index_mask_) {
    if (index_[i].hash != h) continue;
    const std::string& n = index_[i].cmd->name;
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < n.size() && same; ++k) {
      char c = name[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      same = c == n[k];
    }
    if (same) return index_[i].cmd;
  }
  return nullptr;
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
