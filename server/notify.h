#pragma once
// Keyspace notifications (notify-keyspace-events): commands report what they
// did to a key, and when the event's class is enabled the server publishes
//   __keyspace@<db>__:<key>    with the event name as the message  (class K)
//   __keyevent@<db>__:<event>  with the key as the message         (class E)
// through ordinary Pub/Sub. Event names are Redis's ("set", "del",
// "expired", "rename_from", "lpush", ...), so existing subscribers work.
//
// Calling it is cheap when events are off: one test of the configured bits.
// Handlers call it after the change, once per key changed, in the order Redis
// does (e.g. SET with EX: "set" then "expire").

#include <string>
#include <string_view>

#include "server/notify_classes.h"
#include "server/server.h"

namespace duet {

// Publishes the event if its class `type` is enabled.
void PublishKeyspaceEvent(Server& server, int type, std::string_view event, std::string_view key,
                          int db);
inline void NotifyKeyspaceEvent(Server& server, int type, std::string_view event,
                                std::string_view key, int db) {
  if ((server.config().notify_keyspace_events & type) == 0) return;
  PublishKeyspaceEvent(server, type, event, key, db);
}
// The same for the client's selected database.
inline void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server, type, event, key, ctx.client.db);
}

// After elements were removed from the collection at `key`: publishes `event`,
// then "del" when that emptied the collection (and so deleted the key).
void PublishRemovalEvents(Server& server, int type, std::string_view event, std::string_view key,
                          int db);
inline void NotifyRemoval(Server& server, int type, std::string_view event, std::string_view key,
                          int db) {
  if ((server.config().notify_keyspace_events & (type | kNotifyGeneric)) == 0) return;
  PublishRemovalEvents(server, type, event, key, db);
}
inline void NotifyRemoval(CommandContext& ctx, int type, std::string_view event,
                          std::string_view key) {
  NotifyRemoval(ctx.server, type, event, key, ctx.client.db);
}

// A read found no key ("keymiss", class m).
inline void NotifyKeyMiss(CommandContext& ctx, std::string_view key) {
  Notify(ctx, kNotifyKeyMiss, "keymiss", key);
}

}  // namespace duet
