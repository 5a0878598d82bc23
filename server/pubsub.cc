#include "server/pubsub.h"

#include <algorithm>

#include "server/output_limits.h"
#include "server/server.h"
#include "utils/glob.h"
#include "utils/strconv.h"

namespace duet {

bool PubSub::Subscribe(Client& client, SubKind kind, std::string_view name) {
  if (client.subs == nullptr) client.subs = std::make_unique<SubscriberState>();
  NameSet& mine = client.subs->of(kind);
  if (mine.find(name) != mine.end()) return false;
  mine.emplace(name);
  Registry& r = reg(kind);
  auto it = r.find(name);
  if (it == r.end()) it = r.emplace(std::string(name), std::vector<Client*>{}).first;
  it->second.push_back(&client);
  return true;
}

bool PubSub::Unsubscribe(Client& client, SubKind kind, std::string_view name) {
  if (client.subs == nullptr) return false;
  NameSet& mine = client.subs->of(kind);
  auto own = mine.find(name);
  if (own == mine.end()) return false;
  Registry& r = reg(kind);
  auto it = r.find(name);
  if (it != r.end()) {
    std::vector<Client*>& v = it->second;
    v.erase(std::find(v.begin(), v.end(), &client));
    // A channel without subscribers disappears (PUBSUB CHANNELS, NUMPAT).
    if (v.empty()) r.erase(it);
  }
  mine.erase(own);
  return true;
}

void PubSub::RemoveClient(Client& client) {
  if (client.subs == nullptr) return;
  for (SubKind k : {SubKind::kChannel, SubKind::kPattern, SubKind::kShard}) {
    NameSet names = std::move(client.subs->of(k));
    client.subs->of(k).clear();
    Registry& r = reg(k);
    for (const std::string& n : names) {
      auto it = r.find(n);
      if (it == r.end()) continue;
      std::vector<Client*>& v = it->second;
      v.erase(std::find(v.begin(), v.end(), &client));
      if (v.empty()) r.erase(it);
    }
  }
}

namespace {

void AppendBulk(std::string* out, std::string_view s) {
  char num[24];
  out->push_back('$');
  out->append(num, FormatInt64(static_cast<int64_t>(s.size()), num));
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

}  // namespace

std::string_view PubSub::Frame::For(int resp) {
  std::string& b = bytes_[resp >= 3 ? 1 : 0];
  if (b.empty()) {
    b.reserve(48 + kind_.size() + channel_.size() + message_.size() +
              (pattern_ != nullptr ? pattern_->size() : 0));
    b.push_back(resp >= 3 ? '>' : '*');
    b.push_back(pattern_ != nullptr ? '4' : '3');
    b.append("\r\n");
    AppendBulk(&b, kind_);
    if (pattern_ != nullptr) AppendBulk(&b, *pattern_);
    AppendBulk(&b, channel_);
    AppendBulk(&b, message_);
  }
  return b;
}

void PubSub::Deliver(Client& to, Frame& frame) {
  // A client already scheduled to close gets nothing more (but still counts
  // as a receiver, as in Redis).
  if (to.killed) return;
  to.rb.Raw(frame.For(to.rb.resp()));
  if (to.io != nullptr) to.io->RequestFlush();
  EnforceOutputBufferLimit(server_, to, server_.cached_now_ms());
}

int64_t PubSub::Publish(std::string_view channel, std::string_view message) {
  int64_t receivers = 0;
  Registry& channels = reg(SubKind::kChannel);
  if (auto it = channels.find(channel); it != channels.end()) {
    Frame frame("message", nullptr, channel, message);
    // Delivery never changes subscriptions (a client over its output limit is
    // only marked), so iterating the live list is safe.
    for (Client* c : it->second) {
      Deliver(*c, frame);
      ++receivers;
    }
  }
  for (auto& [pattern, clients] : reg(SubKind::kPattern)) {
    if (!GlobMatch(pattern, channel)) continue;
    std::string_view p = pattern;
    Frame frame("pmessage", &p, channel, message);
    for (Client* c : clients) {
      Deliver(*c, frame);
      ++receivers;
    }
  }
  return receivers;
}

int64_t PubSub::PublishShard(std::string_view channel, std::string_view message) {
  Registry& shard = reg(SubKind::kShard);
  auto it = shard.find(channel);
  if (it == shard.end()) return 0;
  Frame frame("smessage", nullptr, channel, message);
  for (Client* c : it->second) Deliver(*c, frame);
  return static_cast<int64_t>(it->second.size());
}

std::vector<std::string_view> PubSub::ActiveNames(SubKind kind,
                                                  const std::string_view* pattern) const {
  std::vector<std::string_view> out;
  for (const auto& [name, clients] : reg(kind)) {
    if (pattern == nullptr || GlobMatch(*pattern, name)) out.emplace_back(name);
  }
  return out;
}

size_t PubSub::SubscriberCount(SubKind kind, std::string_view name) const {
  const Registry& r = reg(kind);
  auto it = r.find(name);
  return it == r.end() ? 0 : it->second.size();
}

bool AllowedWhileSubscribed(const Command& cmd) {
  static constexpr std::string_view kAllowed[] = {"ping",         "subscribe",    "ssubscribe",
                                                  "unsubscribe",  "sunsubscribe", "psubscribe",
                                                  "punsubscribe", "quit",         "reset"};
  for (std::string_view n : kAllowed) {
    if (cmd.name == n) return true;
  }
  return false;
}

}  // namespace duet
