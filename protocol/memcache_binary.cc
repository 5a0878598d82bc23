#include "protocol/memcache_binary.h"

#include <cstring>

namespace duet {

std::string_view mcbin::StatusText(uint16_t status) {
  switch (status) {
    case kKeyNotFound:
      return "Not found";
    case kKeyExists:
      return "Data exists for key.";
    case kValueTooLarge:
      return "Too large.";
    case kInvalidArguments:
      return "Invalid arguments";
    case kNotStored:
      return "Not stored.";
    case kNonNumeric:
      return "Non-numeric server-side value for incr or decr";
    case kUnknownCommand:
      return "Unknown command";
    case kOutOfMemory:
      return "Out of memory";
    default:
      return "";
  }
}

McBinaryParser::Result McBinaryParser::Parse(const char* data, size_t len, size_t* consumed) {
  *consumed = 0;
  if (swallow_ > 0) {
    size_t n = swallow_ < len ? static_cast<size_t>(swallow_) : len;
    if (n == 0) return Result::kNeedMore;
    swallow_ -= n;
    *consumed = n;
    return Result::kSkipped;
  }
  if (len == 0) return Result::kNeedMore;
  if (static_cast<uint8_t>(data[0]) != mcbin::kRequestMagic) return Result::kBadMagic;
  if (len < mcbin::kHeaderSize) {
    bytes_wanted_ = mcbin::kHeaderSize;
    return Result::kNeedMore;
  }
  McBinaryRequest& r = req_;
  r.opcode = static_cast<uint8_t>(data[1]);
  uint16_t key_len = McLoad16(data + 2);
  uint8_t ext_len = static_cast<uint8_t>(data[4]);
  r.data_type = static_cast<uint8_t>(data[5]);
  r.vbucket = McLoad16(data + 6);
  r.body_len = McLoad32(data + 8);
  r.opaque = McLoad32(data + 12);
  r.cas = McLoad64(data + 16);
  r.extras = r.key = r.value = {};
  r.malformed = r.too_large = false;

  if (static_cast<uint64_t>(key_len) + ext_len > r.body_len) {
    r.malformed = true;
    *consumed = mcbin::kHeaderSize;
    return Result::kRequest;
  }
  uint64_t value_len = r.body_len - key_len - ext_len;
  size_t head = mcbin::kHeaderSize + ext_len + key_len;
  if (value_len > static_cast<uint64_t>(max_item_size_)) {
    // Keep the extras and key (a failed set still deletes the old item);
    // drop the value as it arrives.
    if (len < head) {
      bytes_wanted_ = head;
      return Result::kNeedMore;
    }
    r.too_large = true;
    r.extras = std::string_view(data + mcbin::kHeaderSize, ext_len);
    r.key = std::string_view(data + mcbin::kHeaderSize + ext_len, key_len);
    swallow_ = value_len;
    *consumed = head;
    bytes_wanted_ = 0;
    return Result::kRequest;
  }
  size_t total = mcbin::kHeaderSize + r.body_len;
  if (len < total) {
    bytes_wanted_ = total;
    return Result::kNeedMore;
  }
  bytes_wanted_ = 0;
  r.extras = std::string_view(data + mcbin::kHeaderSize, ext_len);
  r.key = std::string_view(data + mcbin::kHeaderSize + ext_len, key_len);
  r.value = std::string_view(data + head, static_cast<size_t>(value_len));
  *consumed = total;
  return Result::kRequest;
}

void McBinaryWrite(ReplyBuffer* out, uint8_t opcode, uint16_t status, uint32_t opaque, uint64_t cas,
                   std::string_view extras, std::string_view key, std::string_view value) {
  size_t body = extras.size() + key.size() + value.size();
  // Small responses are built in place; a large value is appended after the
  // header without an extra copy into a temporary.
  size_t inline_part = mcbin::kHeaderSize + extras.size() + key.size();
  bool value_inline = value.size() <= 4096;
  char* p = out->Reserve(inline_part + (value_inline ? value.size() : 0));
  p[0] = static_cast<char>(mcbin::kResponseMagic);
  p[1] = static_cast<char>(opcode);
  p[2] = static_cast<char>(key.size() >> 8);
  p[3] = static_cast<char>(key.size());
  p[4] = static_cast<char>(extras.size());
  p[5] = 0;
  p[6] = static_cast<char>(status >> 8);
  p[7] = static_cast<char>(status);
  McStore32(p + 8, static_cast<uint32_t>(body));
  McStore32(p + 12, opaque);
  McStore64(p + 16, cas);
  char* q = p + mcbin::kHeaderSize;
  if (!extras.empty()) std::memcpy(q, extras.data(), extras.size());
  q += extras.size();
  if (!key.empty()) std::memcpy(q, key.data(), key.size());
  q += key.size();
  if (value_inline) {
    if (!value.empty()) std::memcpy(q, value.data(), value.size());
    out->Commit(inline_part + value.size());
  } else {
    out->Commit(inline_part);
    out->Append(value);
  }
}

void McBinaryWriteError(ReplyBuffer* out, uint8_t opcode, uint16_t status, uint32_t opaque) {
  McBinaryWrite(out, opcode, status, opaque, 0, {}, {}, mcbin::StatusText(status));
}

}  // namespace duet
