#pragma once
// Parsed ranges of sorted-set commands, with Redis's parse rules.
//
// Score bounds (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE, ZRANGE BYSCORE...):
//   "(" prefix = exclusive; the rest is read like C strtod reads it: leading
//   spaces, "inf"/"-inf"/"+inf", exponents and hex floats are accepted, an
//   empty string is 0; trailing bytes or NaN are an error.
// Lex bounds (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX, ZRANGE BYLEX):
//   "[x" inclusive, "(x" exclusive, "-" below everything, "+" above
//   everything; anything else is an error. Members compare as raw bytes.
//
// A LexRange refers to the bytes of the arguments it was parsed from; they
// must outlive it (command arguments live for the whole command).

#include <string_view>

namespace duet {

inline constexpr std::string_view kErrMinMaxNotFloat = "ERR min or max is not a float";
inline constexpr std::string_view kErrMinMaxNotStringRange =
    "ERR min or max not valid string range item";

struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool AboveMin(double v) const { return min_exclusive ? v > min : v >= min; }
  bool BelowMax(double v) const { return max_exclusive ? v < max : v <= max; }
  bool Contains(double v) const { return AboveMin(v) && BelowMax(v); }
  // True when no score can satisfy both bounds.
  bool Empty() const { return min > max || (min == max && (min_exclusive || max_exclusive)); }
};

// Returns false (reply kErrMinMaxNotFloat) if either bound does not parse.
bool ParseScoreRange(std::string_view min, std::string_view max, ScoreRange* out);
// One bound, e.g. "(1.5"; false if it does not parse.
bool ParseScoreBound(std::string_view arg, double* value, bool* exclusive);

struct LexBound {
  enum class Kind { kNegInf, kPosInf, kValue };
  Kind kind = Kind::kNegInf;
  bool exclusive = true;  // "-" and "+" count as exclusive, as in Redis
  std::string_view value;

  // -1, 0, 1 as this bound sorts before, with or after `other`.
  int Compare(const LexBound& other) const;
};

struct LexRange {
  LexBound min;
  LexBound max{LexBound::Kind::kPosInf, true, {}};

  bool AboveMin(std::string_view v) const;
  bool BelowMax(std::string_view v) const;
  bool Contains(std::string_view v) const { return AboveMin(v) && BelowMax(v); }
  bool Empty() const {
    const int c = min.Compare(max);
    return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
  }
};

// Returns false (reply kErrMinMaxNotStringRange) if either bound is invalid.
bool ParseLexRange(std::string_view min, std::string_view max, LexRange* out);
bool ParseLexBound(std::string_view arg, LexBound* out);

}  // namespace duet
