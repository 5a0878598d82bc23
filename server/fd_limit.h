#pragma once
// The open-files limit the configured number of clients needs, set at start
// as Redis does: every client holds a descriptor, and the server keeps
// kReservedFds more for listeners, the log, snapshot children and files. When
// the system will not raise RLIMIT_NOFILE far enough, maxclients is lowered to
// what fits, so that clients past it get "max number of clients reached"
// instead of waiting on a listener that cannot accept (accept() failing with
// EMFILE would also spin the loop).

#include <cstdint>
#include <string>

namespace duet {

inline constexpr int64_t kReservedFds = 32;

struct FdLimitResult {
  int64_t maxclients = 0;  // what fits; 0 = not even one client: do not start
  int64_t limit = 0;       // RLIMIT_NOFILE's soft value afterwards
  std::string notice;      // the limit was raised
  std::string warning;     // maxclients was lowered, or the start is refused
};

// `extra_fds`: descriptors needed beyond maxclients + kReservedFds (the
// memcached port's connections).
FdLimitResult AdjustOpenFilesLimit(int64_t maxclients, int64_t extra_fds);

}  // namespace duet
