// libFuzzer target: memcached binary packets through McBinaryParser.
//
// Invariants checked:
//  * Parse never consumes more than it is given; a kRequest consumes the
//    whole packet (header + body) unless it is too large (then the header).
//  * extras + key + value lie inside the packet and add up to the body.
//  * Chunked delivery gives the same packets as delivery all at once.

#include "protocol/memcache_binary.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::vector<std::string> Run(const std::string& data, size_t chunk) {
  duet::McBinaryParser p;
  p.set_max_item_size(4096);
  std::vector<std::string> out;
  std::string buf;
  size_t fed = 0;
  for (int guard = 0; guard < 1000000; ++guard) {
    size_t consumed = 0;
    auto r = buf.empty() ? duet::McBinaryParser::Result::kNeedMore
                         : p.Parse(buf.data(), buf.size(), &consumed);
    if (consumed > buf.size()) std::abort();
    switch (r) {
      case duet::McBinaryParser::Result::kBadMagic:
        out.push_back("badmagic");
        return out;
      case duet::McBinaryParser::Result::kSkipped:
        buf.erase(0, consumed);
        continue;
      case duet::McBinaryParser::Result::kRequest: {
        if (consumed < duet::mcbin::kHeaderSize) std::abort();
        const auto& q = p.request();
        if (!q.malformed && !q.too_large) {
          if (q.extras.size() + q.key.size() + q.value.size() != q.body_len) std::abort();
          if (consumed != duet::mcbin::kHeaderSize + q.body_len) std::abort();
        }
        out.push_back(std::to_string(q.opcode) + "|" + std::string(q.extras) + "|" +
                      std::string(q.key) + "|" + std::string(q.value) + "|" +
                      std::to_string(q.cas) + (q.malformed ? "M" : "") + (q.too_large ? "L" : ""));
        buf.erase(0, consumed);
        continue;
      }
      case duet::McBinaryParser::Result::kNeedMore:
        break;
    }
    if (consumed != 0) std::abort();
    if (fed == data.size()) return out;
    size_t n = chunk == 0 ? data.size() : chunk;
    if (n > data.size() - fed) n = data.size() - fed;
    buf.append(data, fed, n);
    fed += n;
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  std::string data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  if (Run(data, 0) != Run(data, 1 + bytes[0] % 29)) std::abort();
  return 0;
}
