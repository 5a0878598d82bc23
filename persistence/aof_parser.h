#pragma once
// Reading AOF records back: a RESP stream of commands (arrays of bulk
// strings), optionally with "#..." annotation lines between commands (Redis
// writes "#TS:<unix>" ones with aof-timestamp-enabled), which are skipped.
//
// The parser knows nothing about commands or the keyspace: it hands each
// command's arguments to a callback. The argument views point into the
// parser's buffer and are valid only during the callback.
//
// A stream ends in one of three ways:
//   kComplete   every byte belonged to a complete command;
//   kTruncated  the last command is cut short (a crash mid-write): all
//               commands before `valid_bytes` were delivered;
//   kCorrupt    bytes that cannot be a command, at `error_offset`;
// and kStopped when the callback returned false.
//
// ParseAofBuffer is the entry point for fuzzing: whole input in memory,
// no allocation beyond the argument vector.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/file.h"
#include "storage/function_ref.h"

namespace duet {

// `offset`: where the command starts in its file.
using AofCommandFn = FunctionRef<bool(std::span<const std::string_view> argv, uint64_t offset)>;

struct AofParseOutcome {
  enum class Kind { kComplete, kTruncated, kCorrupt, kStopped, kIoError };
  Kind kind = Kind::kComplete;
  uint64_t valid_bytes = 0;   // offset just after the last complete command
  uint64_t error_offset = 0;  // kCorrupt: where the bad bytes start
  uint64_t commands = 0;      // commands delivered
  std::string error;          // kCorrupt / kIoError: what is wrong
};

// One step over `data`: the outcome of trying to read the next command.
enum class AofStep { kCommand, kAnnotation, kNeedMore, kBad };
// Reads one command (or annotation line) at the start of `data`. On
// kCommand, *consumed and *argv are set; on kAnnotation only *consumed; on
// kBad, *error says why and *consumed is where in `data` the fault is.
AofStep ParseAofStep(std::string_view data, size_t* consumed, std::vector<std::string_view>* argv,
                     std::string* error);

// Parses a whole stream held in memory. `base_offset` is added to reported
// offsets (the stream's position in its file).
AofParseOutcome ParseAofBuffer(std::string_view data, AofCommandFn on_command,
                               uint64_t base_offset = 0);

// Parses `file` from its current position, reading in chunks.
AofParseOutcome ParseAofFile(SequentialFile& file, AofCommandFn on_command,
                             uint64_t base_offset = 0);

}  // namespace duet
