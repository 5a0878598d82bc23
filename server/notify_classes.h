#pragma once
// The event classes of notify-keyspace-events (one bit per letter) and the
// conversions between letters and bits. No dependencies, so the
// configuration table can use it; server/notify.h publishes the events.

#include <string>
#include <string_view>

namespace duet {

// Event classes, one bit per notify-keyspace-events letter.
enum NotifyClass : int {
  kNotifyKeyspace = 1 << 0,  // K
  kNotifyKeyevent = 1 << 1,  // E
  kNotifyGeneric = 1 << 2,   // g: del, expire, rename_*, move_*, copy_to, persist, ...
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZset = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x: a key expired (lazily or by the active sweep)
  kNotifyEvicted = 1 << 9,   // e: a key was evicted for maxmemory
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m: a read found no key (not part of A)
  kNotifyModule = 1 << 12,   // d
  kNotifyNew = 1 << 13,      // n: a key was created (not part of A)
  // 'A': every class except key misses and new keys.
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// The letters of a notify-keyspace-events value -> bits; false on a letter
// Redis does not know.
bool ParseNotifyClasses(std::string_view letters, int* out);
// The CONFIG GET form Redis prints for `flags` ("AKE", "gxE", ...). Like
// Redis, 'A' hides 'n'.
std::string FormatNotifyClasses(int flags);

}  // namespace duet
