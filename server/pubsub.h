#pragma once
// Pub/Sub: who follows which channel, pattern or shard channel, and delivery.
//
// The registry maps each name to its subscribers in subscription order; each
// client keeps the set of names it follows (Client::subs) so that UNSUBSCRIBE
// without arguments, RESET and disconnecting can undo everything. PUBLISH
// reaches the channel's subscribers first, then every client following a
// matching pattern, like Redis. Shard channels (SSUBSCRIBE/SPUBLISH) are a
// separate namespace without patterns.
//
// Delivery appends the message to the receiver's ReplyBuffer (a push frame
// under RESP3, an array under RESP2), asks its connection to flush
// (ClientIo::RequestFlush) and enforces client-output-buffer-limit, so a
// subscriber that stops reading is disconnected instead of growing memory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "server/command.h"

namespace duet {

class Server;
struct Client;

enum class SubKind : uint8_t { kChannel = 0, kPattern = 1, kShard = 2 };

using NameSet = std::unordered_set<std::string, TransparentStringHash, std::equal_to<>>;

// Per-client subscriptions (Client::subs), allocated on first subscribe.
struct SubscriberState {
  NameSet names[3];  // by SubKind

  const NameSet& of(SubKind k) const { return names[static_cast<int>(k)]; }
  NameSet& of(SubKind k) { return names[static_cast<int>(k)]; }
  // The count SUBSCRIBE/PSUBSCRIBE/(P)UNSUBSCRIBE report: channels + patterns.
  size_t count() const { return names[0].size() + names[1].size(); }
  size_t total() const { return count() + names[2].size(); }
};

class PubSub {
 public:
  explicit PubSub(Server& server) : server_(server) {}
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;

  // True when the client was not yet following `name`.
  bool Subscribe(Client& client, SubKind kind, std::string_view name);
  // True when the client was following `name`.
  bool Unsubscribe(Client& client, SubKind kind, std::string_view name);
  // Drops every subscription of the client, without replies (RESET, disconnect).
  void RemoveClient(Client& client);

  // PUBLISH / SPUBLISH: delivers and returns the number of receivers.
  int64_t Publish(std::string_view channel, std::string_view message);
  int64_t PublishShard(std::string_view channel, std::string_view message);

  // Anyone listening on ordinary channels or patterns (keyspace events skip
  // formatting their channel names otherwise).
  bool HasListeners() const { return !subs_[0].empty() || !subs_[1].empty(); }
  // Names with at least one subscriber, optionally filtered by a glob.
  std::vector<std::string_view> ActiveNames(SubKind kind, const std::string_view* pattern) const;
  size_t SubscriberCount(SubKind kind, std::string_view name) const;
  size_t PatternCount() const { return subs_[1].size(); }
  // Distinct names with subscribers (INFO stats).
  size_t NameCount(SubKind kind) const { return reg(kind).size(); }

 private:
  using Registry = StringMap<std::vector<Client*>>;
  Registry& reg(SubKind k) { return subs_[static_cast<int>(k)]; }
  const Registry& reg(SubKind k) const { return subs_[static_cast<int>(k)]; }
  // A message frame, encoded once per protocol version and copied to every
  // receiver that speaks it.
  class Frame {
   public:
    Frame(std::string_view kind, const std::string_view* pattern, std::string_view channel,
          std::string_view message)
        : kind_(kind), pattern_(pattern), channel_(channel), message_(message) {}
    std::string_view For(int resp);

   private:
    std::string_view kind_;
    const std::string_view* pattern_;
    std::string_view channel_, message_;
    std::string bytes_[2];  // RESP2, RESP3; empty until needed
  };
  // Appends the frame to `to`, schedules its flush and enforces its output
  // limit. A receiver already being closed gets nothing.
  void Deliver(Client& to, Frame& frame);

  Server& server_;
  Registry subs_[3];  // by SubKind: name -> subscribers in subscription order
};

// The commands a RESP2 client may run while subscribed.
bool AllowedWhileSubscribed(const Command& cmd);

}  // namespace duet
