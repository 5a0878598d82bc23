// libFuzzer target: configuration files through LoadConfigFromText, and
// single lines through SplitConfigArgs / QuoteConfigArg. Any text must load
// or fail with a status, never crash; every argument SplitConfigArgs returns
// must survive QuoteConfigArg -> SplitConfigArgs unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"
#include "utils/config_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string text(reinterpret_cast<const char*>(bytes), size);
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // "include" reads files and "logfile" creates one (any path the input
  // names): stay off the disk.
  if (lower.find("include") != std::string::npos || lower.find("logfile") != std::string::npos) {
    return 0;
  }

  duet::ServerConfig config;
  std::vector<std::string> warnings;
  (void)duet::LoadConfigFromText(text, {}, &config, &warnings);

  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    auto args = duet::SplitConfigArgs(std::string_view(text).substr(start, nl - start));
    if (args) {
      for (const auto& a : *args) {
        auto back = duet::SplitConfigArgs(duet::QuoteConfigArg(a));
        if (!back || back->size() != 1 || (*back)[0] != a) std::abort();
      }
    }
    start = nl + 1;
  }
  return 0;
}
