#include "server/notify.h"

#include "server/pubsub.h"
#include "utils/strconv.h"

namespace duet {
namespace {

struct ClassLetter {
  char letter;
  int flag;
};
// The order CONFIG GET prints the classes in (inside 'A' when all are set).
constexpr ClassLetter kClassLetters[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString}, {'l', kNotifyList},    {'s', kNotifySet},
    {'h', kNotifyHash},    {'z', kNotifyZset},   {'x', kNotifyExpired}, {'e', kNotifyEvicted},
    {'t', kNotifyStream},  {'d', kNotifyModule}, {'n', kNotifyNew}};

// "__keyspace@" + db + "__:" into `out` (reused between the two channels).
void ChannelPrefix(std::string* out, std::string_view kind, int db) {
  char num[24];
  out->assign("__");
  out->append(kind);
  out->push_back('@');
  out->append(num, FormatInt64(db, num));
  out->append("__:");
}

}  // namespace

bool ParseNotifyClasses(std::string_view letters, int* out) {
  int flags = 0;
  for (char c : letters) {
    int bit = 0;
    switch (c) {
      case 'A':
        bit = kNotifyAll;
        break;
      case 'K':
        bit = kNotifyKeyspace;
        break;
      case 'E':
        bit = kNotifyKeyevent;
        break;
      case 'm':
        bit = kNotifyKeyMiss;
        break;
      default:
        for (const ClassLetter& l : kClassLetters) {
          if (l.letter == c) bit = l.flag;
        }
    }
    if (bit == 0) return false;
    flags |= bit;
  }
  *out = flags;
  return true;
}

std::string FormatNotifyClasses(int flags) {
  std::string s;
  if ((flags & kNotifyAll) == kNotifyAll) {
    s.push_back('A');
  } else {
    for (const ClassLetter& l : kClassLetters) {
      if (flags & l.flag) s.push_back(l.letter);
    }
  }
  if (flags & kNotifyKeyspace) s.push_back('K');
  if (flags & kNotifyKeyevent) s.push_back('E');
  if (flags & kNotifyKeyMiss) s.push_back('m');
  return s;
}

void PublishKeyspaceEvent(Server& server, int type, std::string_view event, std::string_view key,
                          int db) {
  int flags = server.config().notify_keyspace_events;
  if ((flags & type) == 0) return;
  PubSub& ps = server.pubsub();
  // Nobody listening: skip building the channel names.
  if (!ps.HasListeners()) return;
  std::string channel;
  if (flags & kNotifyKeyspace) {
    ChannelPrefix(&channel, "keyspace", db);
    channel.append(key);
    ps.Publish(channel, event);
  }
  if (flags & kNotifyKeyevent) {
    ChannelPrefix(&channel, "keyevent", db);
    channel.append(event);
    ps.Publish(channel, key);
  }
}

void PublishRemovalEvents(Server& server, int type, std::string_view event, std::string_view key,
                          int db) {
  NotifyKeyspaceEvent(server, type, event, key, db);
  // Emptied collections are deleted by the storage operation itself.
  if (server.keyspace().db(db).Peek(key) == nullptr) {
    NotifyKeyspaceEvent(server, kNotifyGeneric, "del", key, db);
  }
}

}  // namespace duet
