#pragma once
// Lexical rules of redis.conf lines and values, shared by the config loader,
// the command line, CONFIG SET and (later) CONFIG REWRITE. Pure functions, no
// state. The rules are Redis 7.0's, byte for byte:
//
//  * Arguments are separated by spaces, tabs, CR or LF (any isspace() byte
//    before an argument).
//  * "double quotes" understand \n \r \t \b \a \\ \" and \xHH (two hex
//    digits); any other escaped byte stands for itself.
//  * 'single quotes' understand only \' ; every other byte is literal.
//  * A closing quote must be followed by whitespace or the end of the line,
//    otherwise the whole line is rejected (unbalanced quotes), as is a line
//    that ends inside quotes.
//  * A quote may open in the middle of an argument: ab"c d" is one argument,
//    `abc d`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

// Splits one configuration line into arguments. Returns nullopt when the
// quotes do not balance. An empty or all-blank line gives an empty vector.
// A NUL byte ends the line, as it does for Redis's C strings.
std::optional<std::vector<std::string>> SplitConfigArgs(std::string_view line);

// Removes the bytes " \t\r\n" from both ends, as Redis does to each line of a
// configuration file before looking at it.
std::string_view TrimConfigLine(std::string_view line);

// The inverse of SplitConfigArgs for one argument: always double-quoted, with
// \\ \" \n \r \t \a \b escaped and other non-printable bytes as \xhh.
// SplitConfigArgs(QuoteConfigArg(s)) == {s} for every s.
std::string QuoteConfigArg(std::string_view arg);

// A memory size: decimal digits followed by an optional unit, case-insensitive:
// b (1), k (1000), kb (1024), m (1000^2), mb (1024^2), g (1000^3), gb (1024^3).
// Redis 7.0 quirks kept on purpose, since users can observe them through
// CONFIG GET: no digits means 0 ("kb" and "" are 0), a number too large for
// 64 bits saturates at 2^64-1, and the unit multiplication wraps modulo 2^64.
// A sign, a space, a fraction or an unknown unit is rejected.
std::optional<uint64_t> ParseMemoryValue(std::string_view text);

// "yes" -> true, "no" -> false, case-insensitive; anything else is nullopt.
std::optional<bool> ParseYesNo(std::string_view text);

}  // namespace duet
