#include "storage/lcs.h"

#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <new>

namespace duet {
namespace {

// Bit-vector representation of one DP row i (Hyyro): bit j-1 of V_i is 0
// exactly when L[i][j] = L[i][j-1] + 1, so L[i][j] = j - popcount(V_i[0, j)).
// Moving from row i-1 to row i, with M the set of columns where b equals
// a[i-1]:  U = V & M;  V' = (V + U) | (V - U)  (multi-word arithmetic).
class BitRows {
 public:
  // Allocates `rows` rows of `n` columns plus the match masks for the bytes of
  // a. Returns false when memory is short.
  bool Init(std::string_view a, std::string_view b, uint32_t rows) {
    n_ = static_cast<uint32_t>(b.size());
    words_ = (n_ + 63) / 64;
    slot_.fill(-1);
    int slots = 0;
    for (char c : a) {
      auto& s = slot_[static_cast<uint8_t>(c)];
      if (s < 0) s = static_cast<int16_t>(slots++);
    }
    masks_.reset(new (std::nothrow) uint64_t[static_cast<size_t>(slots) * words_]());
    rows_.reset(new (std::nothrow) uint64_t[static_cast<size_t>(rows) * words_]);
    if ((slots * words_ != 0 && !masks_) || (rows * words_ != 0 && !rows_)) return false;
    for (uint32_t j = 0; j < n_; ++j) {
      const int s = slot_[static_cast<uint8_t>(b[j])];
      if (s >= 0) masks_[static_cast<size_t>(s) * words_ + j / 64] |= uint64_t{1} << (j % 64);
    }
    std::memset(rows_.get(), 0xff, sizeof(uint64_t) * words_);  // row 0: L = 0 everywhere
    return true;
  }

  // Computes row `to` from row `from` for byte c of a (rows may be equal).
  void Step(uint32_t from, uint32_t to, char c) {
    const uint64_t* v = Row(from);
    uint64_t* out = Row(to);
    const uint64_t* m = masks_.get() + static_cast<size_t>(slot_[static_cast<uint8_t>(c)]) * words_;
    // U is a subset of V's bits, so V - U never borrows: it is V & ~M.
    uint64_t carry = 0;
    for (uint32_t w = 0; w < words_; ++w) {
      const uint64_t vw = v[w];
      const uint64_t u = vw & m[w];
      const uint64_t s1 = vw + u;
      const uint64_t s2 = s1 + carry;
      carry = static_cast<uint64_t>(s1 < vw) | static_cast<uint64_t>(s2 < s1);
      out[w] = s2 | (vw & ~m[w]);
    }
  }

  // L[row][j] for the row's stored bits.
  uint32_t Value(uint32_t row, uint32_t j) const {
    const uint64_t* v = Row(row);
    uint32_t ones = 0;
    const uint32_t full = j / 64;
    for (uint32_t w = 0; w < full; ++w) ones += static_cast<uint32_t>(std::popcount(v[w]));
    if (j % 64 != 0) {
      ones += static_cast<uint32_t>(std::popcount(v[full] & ((uint64_t{1} << (j % 64)) - 1)));
    }
    return j - ones;
  }

  // L[row][j] - L[row][j-1], for j >= 1.
  uint32_t Delta(uint32_t row, uint32_t j) const {
    return ((Row(row)[(j - 1) / 64] >> ((j - 1) % 64)) & 1) ^ 1;
  }

 private:
  uint64_t* Row(uint32_t i) { return rows_.get() + static_cast<size_t>(i) * words_; }
  const uint64_t* Row(uint32_t i) const { return rows_.get() + static_cast<size_t>(i) * words_; }

  uint32_t n_ = 0;
  uint32_t words_ = 0;
  std::array<int16_t, 256> slot_{};
  std::unique_ptr<uint64_t[]> masks_;
  std::unique_ptr<uint64_t[]> rows_;
};

}  // namespace

LcsStatus ComputeLcs(std::string_view a, std::string_view b, LcsMode mode, int64_t min_match_len,
                     uint64_t max_table_bytes, LcsResult* out) {
  out->len = 0;
  out->subsequence.clear();
  out->matches.clear();
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) return LcsStatus::kStringTooLong;
  // Redis's limit is on its own table: 4-byte cells, (|a|+1) x (|b|+1).
  const auto cells = static_cast<unsigned __int128>(a.size() + 1) * (b.size() + 1);
  if (cells * 4 > UINT64_MAX) return LcsStatus::kAllocFailed;
  if (static_cast<uint64_t>(cells * 4) > max_table_bytes) return LcsStatus::kTooLarge;

  const auto alen = static_cast<uint32_t>(a.size());
  const auto blen = static_cast<uint32_t>(b.size());
  if (alen == 0 || blen == 0) return LcsStatus::kOk;

  BitRows dp;
  if (mode == LcsMode::kLen) {
    if (!dp.Init(a, b, 1)) return LcsStatus::kAllocFailed;
    for (uint32_t i = 0; i < alen; ++i) dp.Step(0, 0, a[i]);
    out->len = dp.Value(0, blen);
    return LcsStatus::kOk;
  }
  if (!dp.Init(a, b, alen + 1)) return LcsStatus::kAllocFailed;
  for (uint32_t i = 0; i < alen; ++i) dp.Step(i, i + 1, a[i]);

  const uint32_t total = dp.Value(alen, blen);
  out->len = total;
  const bool want_string = mode == LcsMode::kString;
  const bool want_idx = mode == LcsMode::kIdx;
  if (want_string) out->subsequence.resize(total);
  const uint64_t min_len = min_match_len < 0 ? 0 : static_cast<uint64_t>(min_match_len);

  // Walk back as Redis does. v = L[i][j]; up = L[i-1][j] when up_valid.
  uint32_t i = alen;
  uint32_t j = blen;
  uint32_t v = total;
  uint32_t up = 0;
  bool up_valid = false;
  uint32_t idx = total;
  bool in_range = false;
  LcsMatch range;
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      if (want_string) out->subsequence[idx - 1] = a[i - 1];
      --idx;
      if (!in_range) {
        in_range = true;
        range.a_start = range.a_end = i - 1;
        range.b_start = range.b_end = j - 1;
      } else if (range.a_start == i && range.b_start == j) {
        --range.a_start;  // the range grows backwards, one diagonal step
        --range.b_start;
      } else {
        emit = true;  // kept for fidelity; a diagonal walk never gets here
      }
      if (range.a_start == 0 || range.b_start == 0) emit = true;
      --i;
      --j;
      --v;
      up_valid = false;
    } else {
      if (!up_valid) {
        up = dp.Value(i - 1, j);
        up_valid = true;
      }
      const uint32_t left = v - dp.Delta(i, j);
      if (up > left) {
        --i;
        v = up;
        up_valid = false;
      } else {
        up -= dp.Delta(i - 1, j);
        --j;
        v = left;
      }
      if (in_range) emit = true;
    }
    if (emit) {
      range.len = range.a_end - range.a_start + 1;
      if (want_idx && range.len >= min_len) out->matches.push_back(range);
      in_range = false;
    }
  }
  return LcsStatus::kOk;
}

}  // namespace duet
