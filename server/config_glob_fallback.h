#pragma once
// TEMPORARY: a local glob matcher for CONFIG GET until utils/glob.h (branch
// `utilsx`) reaches main. It has that header's exact signature, so switching
// is: delete this file and config_glob_fallback.cc, include "utils/glob.h" in
// server/config.cc.

#include <string_view>

namespace duet {

// Redis glob rules: * (any run), ? (any byte), [abc] [a-z] [^x] sets, and a backslash
// escaping the next byte. `nocase` compares ASCII letters case-insensitively.
bool GlobMatch(std::string_view pattern, std::string_view subject, bool nocase);

}  // namespace duet
