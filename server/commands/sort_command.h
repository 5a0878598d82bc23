#pragma once
// Key finding for SORT and SORT_RO. Their key specs cannot locate every key
// (STORE may come anywhere among the options; BY and GET patterns name keys
// built from the data), so, as in Redis, a dedicated finder serves COMMAND
// GETKEYS and anything else that needs a call's keys.

#include <span>
#include <string_view>
#include <vector>

#include "server/commands/command_spec.h"

namespace duet {

// The sorted key (argv[1], RO ACCESS), then for SORT the destination of the
// last STORE (OW UPDATE). Options are skipped as Redis skips them: LIMIT
// takes two arguments, GET and BY one, anything else none. REQUIRES: argv
// has at least two elements.
void SortGetKeys(std::span<const std::string_view> argv, bool read_only, std::vector<KeyRef>* out);

}  // namespace duet
