#pragma once
// Writers for memcached text-protocol replies (classic and meta) into a
// ReplyBuffer. Constant replies are shared string constants; lines with
// numbers are formatted in place in the buffer, without temporaries.

#include <cstdint>
#include <string_view>

#include "protocol/reply_buffer.h"

namespace duet::mcreply {

inline constexpr std::string_view kStored = "STORED\r\n";
inline constexpr std::string_view kNotStored = "NOT_STORED\r\n";
inline constexpr std::string_view kExists = "EXISTS\r\n";
inline constexpr std::string_view kNotFound = "NOT_FOUND\r\n";
inline constexpr std::string_view kDeleted = "DELETED\r\n";
inline constexpr std::string_view kTouched = "TOUCHED\r\n";
inline constexpr std::string_view kEnd = "END\r\n";
inline constexpr std::string_view kOk = "OK\r\n";
inline constexpr std::string_view kError = "ERROR\r\n";
inline constexpr std::string_view kReset = "RESET\r\n";
inline constexpr std::string_view kMetaNoop = "MN\r\n";
inline constexpr std::string_view kMetaMiss = "EN\r\n";
inline constexpr std::string_view kNonNumeric =
    "CLIENT_ERROR cannot increment or decrement non-numeric value";
inline constexpr std::string_view kTooLarge = "SERVER_ERROR object too large for cache";
inline constexpr std::string_view kNoMemory = "SERVER_ERROR out of memory storing object";
inline constexpr std::string_view kShutdownDisabled = "ERROR: shutdown not enabled";

// `text` followed by CRLF.
void Line(ReplyBuffer* out, std::string_view text);
// "<v>\r\n" (incr/decr results).
void Number(ReplyBuffer* out, uint64_t v);
// "VALUE <key> <flags> <bytes>[ <cas>]\r\n<data>\r\n".
void Value(ReplyBuffer* out, std::string_view key, uint32_t flags, std::string_view data,
           bool with_cas, uint64_t cas);
// "STAT <name> <value>\r\n".
void Stat(ReplyBuffer* out, std::string_view name, std::string_view value);
void StatNumber(ReplyBuffer* out, std::string_view name, int64_t value);

// Builds one meta reply line ("VA 2 t90 f5", "HD c42", "EN") in place. The
// longest line a meta command can produce fits in kMaxLine: a base64 key,
// an opaque token, and a handful of numbers.
class MetaLine {
 public:
  static constexpr size_t kMaxLine = 1024;

  // Starts the line with a two-letter code.
  MetaLine(ReplyBuffer* out, std::string_view code);
  // " <letter><number>" / " <letter><text>" / " <letter>".
  void Flag(char letter, int64_t v);
  void FlagU(char letter, uint64_t v);
  void Flag(char letter, std::string_view text);
  void Flag(char letter);
  // A number / plain text, without a leading space.
  void Number(uint64_t v);
  void Text(std::string_view text);
  // Ends the line (CRLF) and publishes it.
  void Finish();

 private:
  ReplyBuffer* out_;
  char* start_;
  char* p_;
};

}  // namespace duet::mcreply
