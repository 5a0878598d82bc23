#pragma once
// RespParser: incremental parser of client requests, in both of Redis's
// request forms:
//   multibulk  *<argc>\r\n then argc times $<len>\r\n<bytes>\r\n
//   inline     a text line of space-separated (optionally quoted) arguments;
//              a NUL byte before the newline hides the newline (as strchr()
//              does in Redis): such a line never completes, and ends in the
//              too-big-inline error once it passes kInlineMax
//
// The caller owns the bytes. Parse() is handed the unconsumed bytes, always
// starting at the first byte of the current request; when a request is
// incomplete it remembers how far it got (as offsets from that start), so a
// request trickling in byte by byte costs linear time. Arguments are views
// into the caller's bytes (or into the parser, for unquoted inline arguments)
// and stay valid until the next Parse() or until the caller moves the bytes.
//
// Limits and protocol errors follow Redis 7.0 word for word; after kError the
// connection must reply error() and close.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

class RespParser {
 public:
  enum class Result { kNeedMore, kCommand, kError };

  // Longest inline request, and longest *<n> / $<n> header line.
  static constexpr size_t kInlineMax = 64 * 1024;

  void set_max_bulk_len(int64_t v) { max_bulk_len_ = v; }
  // Before authentication Redis accepts only small requests.
  void set_authenticated(bool v) { authenticated_ = v; }

  // On kCommand, *consumed is the size of the request (args() may be empty
  // for an empty line or *0; skip those). On kNeedMore, *consumed is 0.
  Result Parse(const char* data, size_t len, size_t* consumed);

  const std::vector<std::string_view>& args() const { return args_; }
  std::string_view error() const { return error_; }
  // Bytes the current incomplete request still needs at least (a hint for
  // growing the read buffer for big arguments); 0 if unknown.
  size_t bytes_wanted() const { return bytes_wanted_; }
  void Reset();

 private:
  Result ParseMultibulk(const char* data, size_t len, size_t* consumed);
  Result ParseInline(const char* data, size_t len, size_t* consumed);
  Result Fail(std::string_view msg);

  int64_t max_bulk_len_ = 512LL * 1024 * 1024;
  bool authenticated_ = true;

  // Progress through an incomplete multibulk request (offsets from its start).
  bool in_multibulk_ = false;
  int64_t expected_args_ = 0;
  int64_t bulk_len_ = -1;  // length of the bulk being read, -1 = header next
  size_t pos_ = 0;
  std::vector<std::pair<size_t, size_t>> arg_offsets_;

  std::vector<std::string_view> args_;
  std::vector<std::string> inline_owned_;
  std::string error_;
  size_t bytes_wanted_ = 0;
};

}  // namespace duet
