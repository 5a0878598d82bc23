#include "server/fd_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace duet {

FdLimitResult AdjustOpenFilesLimit(int64_t maxclients, int64_t extra_fds) {
  FdLimitResult r;
  r.maxclients = maxclients;
  const auto wanted = static_cast<rlim_t>(maxclients + kReservedFds + extra_fds);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    // Unknown: assume the common default of 1024.
    r.limit = 1024;
  } else {
    r.limit = static_cast<int64_t>(lim.rlim_cur);
  }
  if (static_cast<rlim_t>(r.limit) >= wanted) return r;

  // Ask for everything, then for less in steps of 16 (an unprivileged
  // process may raise the soft limit only up to the hard one).
  const rlim_t old = static_cast<rlim_t>(r.limit);
  rlim_t best = wanted;
  int error = 0;
  for (; best > old; best = best > 16 ? best - 16 : 0) {
    rlimit want{best, best > lim.rlim_max ? best : lim.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) break;
    want.rlim_max = lim.rlim_max;
    if (best <= lim.rlim_max && setrlimit(RLIMIT_NOFILE, &want) == 0) break;
    error = errno;
  }
  if (best < old) best = old;
  r.limit = static_cast<int64_t>(best);
  if (best > old) {
    r.notice = "Raised the open files limit to " + std::to_string(best) + " (it was " +
               std::to_string(old) + ")";
  }
  if (best >= wanted) return r;

  const int64_t fits = static_cast<int64_t>(best) - kReservedFds - extra_fds;
  std::string why = error != 0 ? std::string(" (") + std::strerror(error) + ")" : "";
  if (fits < 1) {
    r.maxclients = 0;
    r.warning = "The open files limit of " + std::to_string(best) + why +
                " is too low to serve any client: raise 'ulimit -n' to at least " +
                std::to_string(kReservedFds + extra_fds + 1) + ". Exiting.";
    return r;
  }
  r.maxclients = fits;
  r.warning = "maxclients " + std::to_string(maxclients) + " needs " + std::to_string(wanted) +
              " open files but the limit is " + std::to_string(best) + why +
              ": maxclients lowered to " + std::to_string(fits) +
              ". Raise 'ulimit -n' for more clients.";
  return r;
}

}  // namespace duet
