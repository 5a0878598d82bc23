#pragma once
// Shared pieces of command handlers: the reply for a storage status, and
// argument parsing with Redis's error texts.

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/errors.h"
#include "protocol/reply_builder.h"
#include "storage/op_status.h"
#include "utils/strconv.h"

namespace duet {

// Writes the error reply Redis sends for `status` (not for kOk/kKeyNotFound).
void ReplyOpError(ReplyBuilder& rb, OpStatus status);

// Parses an integer argument; on failure replies "not an integer" and returns false.
inline bool ParseIntArg(ReplyBuilder& rb, std::string_view arg, int64_t* out) {
  if (ParseInt64(arg, out)) return true;
  rb.Error(errors::kNotInteger);
  return false;
}

// A HELP subcommand's reply: one status line per entry.
template <size_t N>
void ReplyHelp(ReplyBuilder& rb, const std::string_view (&lines)[N]) {
  rb.ArrayHeader(N);
  for (std::string_view l : lines) rb.SimpleString(l);
}

// "ERR invalid expire time in 'set' command"
std::string InvalidExpireError(std::string_view command_name);

}  // namespace duet
