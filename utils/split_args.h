#pragma once
// Splits a line into arguments the way redis-cli, inline commands and
// redis.conf do: whitespace separates arguments; "double quotes" allow the
// escapes \n \r \t \b \a \xHH and \<any>; 'single quotes' allow only \'.
// A closing quote must be followed by whitespace or the end of the line.

#include <string>
#include <string_view>
#include <vector>

namespace duet {

// Returns false on unbalanced quotes (out is then unspecified).
bool SplitArgs(std::string_view line, std::vector<std::string>* out);

}  // namespace duet
