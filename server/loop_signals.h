#pragma once
// The signals the event loop handles (SIGINT and SIGTERM shut down, SIGHUP
// reopens the log). The loop keeps them blocked except while it sleeps in
// epoll_pwait, so each one interrupts that wait; other threads keep them
// blocked for good, so none is delivered where it would not wake the loop.

#include <signal.h>

namespace duet {

inline sigset_t LoopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace duet
