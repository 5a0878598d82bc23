#include "storage/score_bounds.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace duet {

bool ParseScoreBound(std::string_view arg, double* value, bool* exclusive) {
  *exclusive = !arg.empty() && arg[0] == '(';
  if (*exclusive) arg.remove_prefix(1);
  // strtod needs a terminated string; like Redis, parsing stops at a NUL byte.
  char small[64];
  std::string large;
  const char* text;
  if (arg.size() < sizeof(small)) {
    std::memcpy(small, arg.data(), arg.size());
    small[arg.size()] = '\0';
    text = small;
  } else {
    large.assign(arg);
    text = large.c_str();
  }
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (*end != '\0' || std::isnan(v)) return false;
  *value = v;
  return true;
}

bool ParseScoreRange(std::string_view min, std::string_view max, ScoreRange* out) {
  return ParseScoreBound(min, &out->min, &out->min_exclusive) &&
         ParseScoreBound(max, &out->max, &out->max_exclusive);
}

bool ParseLexBound(std::string_view arg, LexBound* out) {
  if (arg.empty()) return false;
  switch (arg[0]) {
    case '+':
      if (arg.size() != 1) return false;
      *out = {LexBound::Kind::kPosInf, true, {}};
      return true;
    case '-':
      if (arg.size() != 1) return false;
      *out = {LexBound::Kind::kNegInf, true, {}};
      return true;
    case '(':
      *out = {LexBound::Kind::kValue, true, arg.substr(1)};
      return true;
    case '[':
      *out = {LexBound::Kind::kValue, false, arg.substr(1)};
      return true;
    default:
      return false;
  }
}

bool ParseLexRange(std::string_view min, std::string_view max, LexRange* out) {
  return ParseLexBound(min, &out->min) && ParseLexBound(max, &out->max);
}

int LexBound::Compare(const LexBound& other) const {
  if (kind == other.kind) {
    if (kind != Kind::kValue) return 0;
    const int c = value.compare(other.value);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (kind == Kind::kNegInf || other.kind == Kind::kPosInf) return -1;
  return 1;
}

bool LexRange::AboveMin(std::string_view v) const {
  switch (min.kind) {
    case LexBound::Kind::kNegInf:
      return true;
    case LexBound::Kind::kPosInf:
      return false;
    default: {
      const int c = v.compare(min.value);
      return min.exclusive ? c > 0 : c >= 0;
    }
  }
}

bool LexRange::BelowMax(std::string_view v) const {
  switch (max.kind) {
    case LexBound::Kind::kNegInf:
      return false;
    case LexBound::Kind::kPosInf:
      return true;
    default: {
      const int c = v.compare(max.value);
      return max.exclusive ? c < 0 : c <= 0;
    }
  }
}

}  // namespace duet
