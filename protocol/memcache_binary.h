#pragma once
// The memcached binary protocol: request framing and response writing.
//
// Every packet is a 24-byte header followed by a body of extras, key and
// value (lengths in the header, all integers big-endian):
//
//   0 magic (0x80 request, 0x81 response)   1 opcode   2-3 key length
//   4 extras length   5 data type (0)   6-7 vbucket (request) / status (response)
//   8-11 total body length   12-15 opaque (echoed)   16-23 CAS
//
// McBinaryParser follows McParser's contract (see memcache_parser.h): the
// caller hands it the unconsumed bytes from the start of the current packet.
// A body larger than the item limit is not buffered: the packet comes out
// with too_large set and its body is swallowed as it arrives. A request whose
// magic byte is wrong cannot be framed: kBadMagic, and the connection closes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/reply_buffer.h"

namespace duet {

namespace mcbin {

inline constexpr uint8_t kRequestMagic = 0x80;
inline constexpr uint8_t kResponseMagic = 0x81;
inline constexpr size_t kHeaderSize = 24;

enum Opcode : uint8_t {
  kGet = 0x00,
  kSet = 0x01,
  kAdd = 0x02,
  kReplace = 0x03,
  kDelete = 0x04,
  kIncrement = 0x05,
  kDecrement = 0x06,
  kQuit = 0x07,
  kFlush = 0x08,
  kGetQ = 0x09,
  kNoop = 0x0a,
  kVersion = 0x0b,
  kGetK = 0x0c,
  kGetKQ = 0x0d,
  kAppend = 0x0e,
  kPrepend = 0x0f,
  kStat = 0x10,
  kSetQ = 0x11,
  kAddQ = 0x12,
  kReplaceQ = 0x13,
  kDeleteQ = 0x14,
  kIncrementQ = 0x15,
  kDecrementQ = 0x16,
  kQuitQ = 0x17,
  kFlushQ = 0x18,
  kAppendQ = 0x19,
  kPrependQ = 0x1a,
  kTouch = 0x1c,
  kSaslListMechs = 0x20,
  kSaslAuth = 0x21,
  kSaslStep = 0x22,
  kGat = 0x1d,
  kGatQ = 0x1e,
  kGatK = 0x23,
  kGatKQ = 0x24,
};

enum Status : uint16_t {
  kSuccess = 0x0000,
  kKeyNotFound = 0x0001,
  kKeyExists = 0x0002,
  kValueTooLarge = 0x0003,
  kInvalidArguments = 0x0004,
  kNotStored = 0x0005,
  kNonNumeric = 0x0006,
  kUnknownCommand = 0x0081,
  kOutOfMemory = 0x0082,
};

// memcached's texts for error responses (the value of the response).
std::string_view StatusText(uint16_t status);

}  // namespace mcbin

struct McBinaryRequest {
  uint8_t opcode = 0;
  uint8_t data_type = 0;
  uint16_t vbucket = 0;
  uint32_t opaque = 0;
  uint64_t cas = 0;
  uint32_t body_len = 0;
  std::string_view extras;
  std::string_view key;
  std::string_view value;
  // The lengths in the header do not fit the body (key + extras > body).
  bool malformed = false;
  // The body is larger than the item limit: not buffered, swallowed.
  bool too_large = false;
};

class McBinaryParser {
 public:
  enum class Result { kNeedMore, kRequest, kSkipped, kBadMagic };

  void set_max_item_size(int64_t v) { max_item_size_ = v; }

  Result Parse(const char* data, size_t len, size_t* consumed);

  const McBinaryRequest& request() const { return req_; }
  size_t bytes_wanted() const { return bytes_wanted_; }

 private:
  int64_t max_item_size_ = 1024 * 1024;
  McBinaryRequest req_;
  size_t bytes_wanted_ = 0;
  uint64_t swallow_ = 0;
};

// Writes one response packet. `extras`, `key` and `value` are written in that
// order; the body length is their sum.
void McBinaryWrite(ReplyBuffer* out, uint8_t opcode, uint16_t status, uint32_t opaque, uint64_t cas,
                   std::string_view extras, std::string_view key, std::string_view value);
// An error response: the status text as the value, CAS 0.
void McBinaryWriteError(ReplyBuffer* out, uint8_t opcode, uint16_t status, uint32_t opaque);

// Big-endian helpers.
inline uint16_t McLoad16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}
inline uint32_t McLoad32(const char* p) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(p[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(p[3]));
}
inline uint64_t McLoad64(const char* p) {
  return (static_cast<uint64_t>(McLoad32(p)) << 32) | McLoad32(p + 4);
}
inline void McStore32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}
inline void McStore64(char* p, uint64_t v) {
  McStore32(p, static_cast<uint32_t>(v >> 32));
  McStore32(p + 4, static_cast<uint32_t>(v));
}

}  // namespace duet
