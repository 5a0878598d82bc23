#pragma once
// Helpers for command tests whose replies have no fixed order (members of a
// hashtable set, random picks): parse the RESP bytes into a tree and compare
// its parts as sorted lists.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duet::testing {

struct Reply {
  char type = 0;    // the RESP type byte: '+', '-', ':', '$', '*', '~', '%', '_', ','...
  std::string str;  // simple/bulk/error text, or the number's text
  bool null = false;
  std::vector<Reply> elems;  // aggregates; a map holds 2n elements
};

namespace reply_internal {

inline Reply ParseAt(std::string_view s, size_t* pos) {
  Reply r;
  r.type = s[*pos];
  const size_t eol = s.find("\r\n", *pos);
  const std::string line(s.substr(*pos + 1, eol - *pos - 1));
  *pos = eol + 2;
  switch (r.type) {
    case '$': {
      const int64_t n = std::stoll(line);
      if (n < 0) {
        r.null = true;
        break;
      }
      r.str.assign(s.substr(*pos, static_cast<size_t>(n)));
      *pos += static_cast<size_t>(n) + 2;
      break;
    }
    case '*':
    case '~':
    case '%':
    case '>': {
      const int64_t n = std::stoll(line);
      if (n < 0) {
        r.null = true;
        break;
      }
      const int64_t count = r.type == '%' ? 2 * n : n;
      for (int64_t i = 0; i < count; ++i) r.elems.push_back(ParseAt(s, pos));
      break;
    }
    case '_':
      r.null = true;
      break;
    default:
      r.str = line;
  }
  return r;
}

}  // namespace reply_internal

// Parses one complete reply; fails the test if bytes are left over.
inline Reply ParseReply(std::string_view bytes) {
  size_t pos = 0;
  Reply r = reply_internal::ParseAt(bytes, &pos);
  EXPECT_EQ(pos, bytes.size()) << "trailing bytes in " << bytes;
  return r;
}

// The string elements of an aggregate reply, sorted.
inline std::vector<std::string> Sorted(std::string_view bytes) {
  Reply r = ParseReply(bytes);
  std::vector<std::string> out;
  for (const Reply& e : r.elems) out.push_back(e.str);
  std::sort(out.begin(), out.end());
  return out;
}

// The string elements of an aggregate reply, in reply order.
inline std::vector<std::string> Strings(std::string_view bytes) {
  Reply r = ParseReply(bytes);
  std::vector<std::string> out;
  for (const Reply& e : r.elems) out.push_back(e.str);
  return out;
}

using Strs = std::vector<std::string>;

}  // namespace duet::testing
