#pragma once
// Number parsing and formatting with Redis's exact rules.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace duet {

// Redis's string2ll rules: optional '-', no leading zeros, no spaces, no '+'.
bool ParseInt64(std::string_view s, int64_t* out);
// Writes the decimal form of v to buf (at least 21 bytes); returns its length.
size_t FormatInt64(int64_t v, char* buf);

}  // namespace duet
