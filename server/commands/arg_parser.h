#pragma once
// ArgParser: a cursor over a command's arguments, so option parsing reads
// left to right instead of doing index arithmetic.

#include <cstdint>
#include <string_view>
#include <vector>

#include "utils/ascii.h"
#include "utils/strconv.h"

namespace duet {

class ArgParser {
 public:
  ArgParser(const std::vector<std::string_view>& args, size_t first) : args_(args), pos_(first) {}

  bool HasNext() const { return pos_ < args_.size(); }
  size_t remaining() const { return args_.size() - pos_; }
  size_t position() const { return pos_; }
  std::string_view Peek() const { return args_[pos_]; }
  std::string_view Next() { return args_[pos_++]; }

  // Consumes the next argument if it equals `token` ignoring case.
  bool Eat(std::string_view token) {
    if (HasNext() && EqualsIgnoreCase(args_[pos_], token)) {
      ++pos_;
      return true;
    }
    return false;
  }
  // Consumes the next argument as an integer; false (and not consumed) if it is not one.
  bool NextInt64(int64_t* out) {
    if (!HasNext() || !ParseInt64(args_[pos_], out)) return false;
    ++pos_;
    return true;
  }

  static bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return duet::EqualsIgnoreCase(a, b);
  }

 private:
  const std::vector<std::string_view>& args_;
  size_t pos_;
};

}  // namespace duet
