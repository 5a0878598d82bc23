#pragma once
// Parsers for the directives whose values are more than one number, name or
// string: each reproduces Redis 7.0.15's validation, error text and CONFIG GET
// form. Used by the table in config_table.cc.

#include <string_view>

#include "server/config_table.h"

namespace duet {

extern const SpecialOps kBindListOps;  // bind, memcached-bind
extern const SpecialOps kDirOps;       // dir
extern const SpecialOps kSaveOps;      // save
extern const SpecialOps kClientOutputBufferLimitOps;
extern const SpecialOps kOomScoreAdjValuesOps;
extern const SpecialOps kNotifyKeyspaceEventsOps;
extern const SpecialOps kLatencyPercentilesOps;
extern const SpecialOps kReplicaOfOps;  // replicaof / slaveof

// String checks (return an error text or nullptr).
const char* CheckDbFilename(std::string_view value);
const char* CheckAppendFilename(std::string_view value);
const char* CheckAppendDirname(std::string_view value);
const char* CheckAnnouncedHostname(std::string_view value);
const char* CheckProcTitleTemplate(std::string_view value);

// Flag check for shutdown-on-sigint / shutdown-on-sigterm.
const char* CheckShutdownFlags(int64_t flags);

}  // namespace duet
