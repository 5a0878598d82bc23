#include "storage/zset_listpack.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_set>

namespace duet::zlp {
namespace {

// The listpack entry Redis 7.0 writes for a score.
lp::Encoded EncodeScore(double score, char* buf, size_t buf_size) {
  // Integral and within [-2^62, 2^62]: an int entry (Redis 7.0's double2ll
  // test; every double of magnitude >= 2^52 is integral, so such scores are
  // stored as integers too).
  constexpr double kLimit = 4611686018427387904.0;  // 2^62
  if (score >= -kLimit && score <= kLimit) {
    const auto ll = static_cast<int64_t>(score);
    if (static_cast<double>(ll) == score) return lp::Encoded::Int(ll);
  }
  size_t len;
  if (std::isinf(score)) {
    len = score > 0 ? 3 : 4;
    std::memcpy(buf, score > 0 ? "inf" : "-inf", len);
  } else {
    // %.17g: shortest form that always reads back to the same double.
    auto res = std::to_chars(buf, buf + buf_size, score, std::chars_format::general, 17);
    len = static_cast<size_t>(res.ptr - buf);
  }
  return lp::Encoded(std::string_view(buf, len));
}

bool ParseScoreText(std::string_view s, double* out) {
  char small[128];
  std::string large;
  const char* text;
  if (s.size() < sizeof(small)) {
    std::memcpy(small, s.data(), s.size());
    small[s.size()] = '\0';
    text = small;
  } else {
    large.assign(s);
    text = large.c_str();
  }
  char* end = nullptr;
  *out = std::strtod(text, &end);
  return end != text && *end == '\0' && !std::isnan(*out);
}

bool PairBefore(double s1, std::string_view m1, double s2, std::string_view m2) {
  return s1 < s2 || (s1 == s2 && m1 < m2);
}

}  // namespace

double ScoreAt(const unsigned char* score_entry) {
  const lp::Value v = lp::Get(score_entry);
  if (v.is_int()) return static_cast<double>(v.ival);
  double d = 0;
  ParseScoreText({reinterpret_cast<const char*>(v.str), v.len}, &d);
  return d;
}

const unsigned char* NextPair(const unsigned char* lp, const unsigned char* p) {
  const unsigned char* score = lp::Next(lp, p);
  return score == nullptr ? nullptr : lp::Next(lp, score);
}

const unsigned char* PrevPair(const unsigned char* lp, const unsigned char* p) {
  const unsigned char* score = lp::Prev(lp, p);
  return score == nullptr ? nullptr : lp::Prev(lp, score);
}

const unsigned char* Find(const unsigned char* lp, std::string_view member, double* score) {
  const lp::Needle needle(member);
  const unsigned char* p = lp::Find(lp, lp::First(lp), needle, 1);
  if (p != nullptr && score != nullptr) *score = PairScore(lp, p);
  return p;
}

unsigned char* Insert(unsigned char* lp, std::string_view member, double score) {
  char scratch[lp::kIntBufSize];
  unsigned char* p = lp::First(lp);
  while (p != nullptr) {
    unsigned char* s = lp::Next(lp, p);
    const double cur = ScoreAt(s);
    if (score < cur || (score == cur && member < PairMember(p, scratch))) break;
    p = lp::Next(lp, s);
  }
  char buf[32];
  unsigned char* at = nullptr;
  lp = lp::Insert(lp, p, lp::Encoded(member), lp::Where::kBefore, &at);
  return lp::Insert(lp, at, EncodeScore(score, buf, sizeof(buf)), lp::Where::kAfter);
}

unsigned char* Append(unsigned char* lp, std::string_view member, double score) {
  char buf[32];
  lp = lp::Insert(lp, nullptr, lp::Encoded(member), lp::Where::kBefore);
  return lp::Insert(lp, nullptr, EncodeScore(score, buf, sizeof(buf)), lp::Where::kBefore);
}

unsigned char* DeletePair(unsigned char* lp, const unsigned char* p) {
  auto* q = const_cast<unsigned char*>(p);
  return lp::DeleteAt(lp, &q, 2);
}

size_t ScoreEntryBytes(double score) {
  char buf[32];
  return EncodeScore(score, buf, sizeof(buf)).size();
}

bool Validate(std::string_view blob, bool deep, size_t* pairs) {
  const auto* lp = reinterpret_cast<const unsigned char*>(blob.data());
  size_t count = 0;
  if (!lp::Validate(lp, blob.size(), &count)) return false;
  if (count == 0 || count % 2 != 0) return false;
  char scratch[lp::kIntBufSize];
  std::unordered_set<std::string> seen;
  std::string prev_member;
  double prev_score = 0;
  for (const unsigned char* p = lp::First(lp); p != nullptr; p = NextPair(lp, p)) {
    const lp::Value v = lp::Get(lp::Next(lp, p));
    double score;
    if (v.is_int()) {
      score = static_cast<double>(v.ival);
    } else if (!ParseScoreText({reinterpret_cast<const char*>(v.str), v.len}, &score)) {
      return false;
    }
    if (!deep) continue;
    std::string member(PairMember(p, scratch));
    if (p != lp::First(lp) && !PairBefore(prev_score, prev_member, score, member)) return false;
    if (!seen.insert(member).second) return false;
    prev_member = std::move(member);
    prev_score = score;
  }
  *pairs = count / 2;
  return true;
}

}  // namespace duet::zlp
