// libFuzzer target: RESP multibulk requests through RespParser.
//
// Invariants checked on every input:
//  * Parse never consumes more than it is given, and progress is made on
//    every kCommand (consumed > 0).
//  * Feeding the same bytes in chunks (sizes derived from the input) yields
//    the same sequence of commands and the same error as feeding them at once:
//    the parser's resumable state is equivalent to a fresh parse.
//  * Every multibulk command, re-encoded, parses back to the same arguments.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "protocol/resp_parser.h"

namespace {

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
};

// Parses `data` delivered in pieces of the sizes `chunk` cycles through
// (0 = all at once), as a connection's read buffer would hold them.
Outcome Run(const std::string& data, const std::vector<size_t>& chunk) {
  duet::RespParser p;
  p.set_max_bulk_len(1 << 20);
  Outcome out;
  std::string buf;
  size_t fed = 0;
  size_t ci = 0;
  for (;;) {
    size_t consumed = 0;
    auto r = buf.empty() ? duet::RespParser::Result::kNeedMore
                         : p.Parse(buf.data(), buf.size(), &consumed);
    if (consumed > buf.size()) std::abort();
    if (r == duet::RespParser::Result::kError) {
      out.error = std::string(p.error());
      return out;
    }
    if (r == duet::RespParser::Result::kCommand) {
      if (consumed == 0) std::abort();
      std::vector<std::string> args(p.args().begin(), p.args().end());
      if (!args.empty()) out.commands.push_back(std::move(args));
      buf.erase(0, consumed);
      continue;
    }
    if (consumed != 0) std::abort();
    if (fed == data.size()) return out;
    size_t n = chunk.empty() ? data.size() : chunk[ci++ % chunk.size()];
    if (n == 0 || n > data.size() - fed) n = data.size() - fed;
    buf.append(data, fed, n);
    fed += n;
  }
}

std::string Encode(const std::vector<std::string>& args) {
  std::string s = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) s += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunking; the rest is the stream.
  const size_t step = bytes[0] % 17;
  std::string data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

  Outcome whole = Run(data, {});
  Outcome split = Run(data, {step + 1, 1, step * 3 + 2});
  if (whole.commands != split.commands || whole.error != split.error) std::abort();

  for (const auto& cmd : whole.commands) {
    Outcome again = Run(Encode(cmd), {});
    if (again.commands.size() != 1 || again.commands[0] != cmd || !again.error.empty()) {
      std::abort();
    }
  }
  return 0;
}
