#pragma once
// Allocator housekeeping. duet-server runs on jemalloc; the unit tests run on
// the C library's malloc, where these calls do nothing.

namespace duet {

// Returns dirty pages whose decay time has passed to the operating system.
// jemalloc only decays during allocation activity unless a background thread
// runs (Redis enables one: jemalloc-bg-thread); Duet stays single-threaded
// and calls this from its cron instead, so an idle server's RSS shrinks to
// what it uses.
void AllocatorDecay();

// Returns every unused dirty page at once (MEMORY PURGE).
void AllocatorPurge();

}  // namespace duet
