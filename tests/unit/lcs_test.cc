// Expected values in this file were confirmed against a real redis-server
// 7.0.15 (Debian build) with redis-cli: LCS a b, LCS a b LEN,
// LCS a b IDX [MINMATCHLEN n] [WITHMATCHLEN], and the proto-max-bulk-len
// refusals (CONFIG SET proto-max-bulk-len 1048576, its minimum).

#include "storage/lcs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace duet {
namespace {

constexpr uint64_t kProtoMaxBulkLen = 512ull * 1024 * 1024;

using Range = std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t>;

std::vector<Range> Ranges(const LcsResult& r) {
  std::vector<Range> out;
  for (const LcsMatch& m : r.matches)
    out.emplace_back(m.a_start, m.a_end, m.b_start, m.b_end, m.len);
  return out;
}

struct LcsCase {
  std::string_view a, b;
  std::string_view lcs;
  std::vector<Range> idx;       // IDX WITHMATCHLEN
  std::vector<Range> idx_min2;  // IDX MINMATCHLEN 2
};

TEST(LcsTest, MatchesRedis) {
  const LcsCase cases[] = {
      {"ohmytext",
       "mynewtext",
       "mytext",
       {{4, 7, 5, 8, 4}, {2, 3, 0, 1, 2}},
       {{4, 7, 5, 8, 4}, {2, 3, 0, 1, 2}}},
      {"abcdef", "abcdef", "abcdef", {{0, 5, 0, 5, 6}}, {{0, 5, 0, 5, 6}}},
      {"abc", "xyz", "", {}, {}},
      {"", "abc", "", {}, {}},
      {"a", "a", "a", {{0, 0, 0, 0, 1}}, {}},
      {"aaaa", "aa", "aa", {{2, 3, 0, 1, 2}}, {{2, 3, 0, 1, 2}}},
      {"abab", "baba", "bab", {{1, 3, 0, 2, 3}}, {{1, 3, 0, 2, 3}}},
      {"ACCGGTCGAGTGCGCGGAAGCCGGCCGAA",
       "GTCGTTCGGAATGCCGTTGCTCTGTAAA",
       "GTCGTCGGAAGCCGGCCGAA",
       {{27, 28, 26, 27, 2},
        {26, 26, 23, 23, 1},
        {25, 25, 21, 21, 1},
        {23, 24, 18, 19, 2},
        {19, 22, 12, 15, 4},
        {14, 18, 6, 10, 5},
        {9, 10, 3, 4, 2},
        {4, 6, 0, 2, 3}},
       {{27, 28, 26, 27, 2},
        {23, 24, 18, 19, 2},
        {19, 22, 12, 15, 4},
        {14, 18, 6, 10, 5},
        {9, 10, 3, 4, 2},
        {4, 6, 0, 2, 3}}},
      {"hello world",
       "yellow word",
       "ello word",
       {{10, 10, 10, 10, 1}, {5, 8, 6, 9, 4}, {1, 4, 1, 4, 4}},
       {{5, 8, 6, 9, 4}, {1, 4, 1, 4, 4}}},
      {"xaaay", "aaa", "aaa", {{1, 3, 0, 2, 3}}, {{1, 3, 0, 2, 3}}},
      {"abcXdefYghi",
       "abcdefghi",
       "abcdefghi",
       {{8, 10, 6, 8, 3}, {4, 6, 3, 5, 3}, {0, 2, 0, 2, 3}},
       {{8, 10, 6, 8, 3}, {4, 6, 3, 5, 3}, {0, 2, 0, 2, 3}}},
  };
  for (const LcsCase& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " / " + std::string(c.b));
    LcsResult r;
    ASSERT_EQ(ComputeLcs(c.a, c.b, LcsMode::kString, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
    EXPECT_EQ(r.subsequence, c.lcs);
    EXPECT_EQ(r.len, c.lcs.size());
    EXPECT_TRUE(r.matches.empty());

    ASSERT_EQ(ComputeLcs(c.a, c.b, LcsMode::kLen, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
    EXPECT_EQ(r.len, c.lcs.size());
    EXPECT_TRUE(r.subsequence.empty());

    ASSERT_EQ(ComputeLcs(c.a, c.b, LcsMode::kIdx, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
    EXPECT_EQ(Ranges(r), c.idx);
    EXPECT_EQ(r.len, c.lcs.size());
    EXPECT_TRUE(r.subsequence.empty());

    ASSERT_EQ(ComputeLcs(c.a, c.b, LcsMode::kIdx, 2, kProtoMaxBulkLen, &r), LcsStatus::kOk);
    EXPECT_EQ(Ranges(r), c.idx_min2);

    // A negative MINMATCHLEN counts as 0.
    ASSERT_EQ(ComputeLcs(c.a, c.b, LcsMode::kIdx, -5, kProtoMaxBulkLen, &r), LcsStatus::kOk);
    EXPECT_EQ(Ranges(r), c.idx);
  }
}

TEST(LcsTest, TableSizeLimitLikeRedis) {
  // With proto-max-bulk-len 1048576: 511x511 and 1023x255 are fine,
  // 511x512 and 1023x256 are refused (4 * (|a|+1) * (|b|+1) bytes), for LEN
  // too.
  constexpr uint64_t kLimit = 1048576;
  LcsResult r;
  const std::string a511(511, 'a'), b511(511, 'b'), b512(512, 'b');
  const std::string a1023(1023, 'a'), b255(255, 'b'), b256(256, 'b');
  EXPECT_EQ(ComputeLcs(a511, b511, LcsMode::kLen, 0, kLimit, &r), LcsStatus::kOk);
  EXPECT_EQ(r.len, 0u);
  EXPECT_EQ(ComputeLcs(a511, b512, LcsMode::kLen, 0, kLimit, &r), LcsStatus::kTooLarge);
  EXPECT_EQ(ComputeLcs(a1023, b255, LcsMode::kString, 0, kLimit, &r), LcsStatus::kOk);
  EXPECT_EQ(ComputeLcs(a1023, b256, LcsMode::kIdx, 0, kLimit, &r), LcsStatus::kTooLarge);
  EXPECT_EQ(ComputeLcs(b256, a1023, LcsMode::kString, 0, kLimit, &r), LcsStatus::kTooLarge);
  EXPECT_EQ(kErrLcsTooLarge,
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
}

// Redis's own algorithm, written plainly: a full table of 32-bit lengths and
// the same walk back. The bit-vector version must agree on everything.
LcsResult ReferenceLcs(std::string_view a, std::string_view b, int64_t min_len) {
  const size_t n = a.size(), m = b.size();
  std::vector<uint32_t> t((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return t[i * (m + 1) + j]; };
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      at(i, j) = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
    }
  }
  LcsResult r;
  r.len = at(n, m);
  r.subsequence.assign(r.len, '?');
  size_t i = n, j = m, k = r.len;
  bool open = false;
  LcsMatch cur;
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      r.subsequence[--k] = a[i - 1];
      if (!open) {
        open = true;
        cur.a_start = cur.a_end = static_cast<uint32_t>(i - 1);
        cur.b_start = cur.b_end = static_cast<uint32_t>(j - 1);
      } else {
        --cur.a_start;
        --cur.b_start;
      }
      if (cur.a_start == 0 || cur.b_start == 0) emit = true;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      emit = open;
    }
    if (emit) {
      cur.len = cur.a_end - cur.a_start + 1;
      if (static_cast<int64_t>(cur.len) >= min_len) r.matches.push_back(cur);
      open = false;
    }
  }
  return r;
}

TEST(LcsTest, BitVectorAgreesWithPlainTable) {
  std::mt19937_64 rng(77);
  const std::string_view alphabets[] = {"ab", "abc", "acgt", "abcdefghijklmnopqrstuvwxyz"};
  for (int iter = 0; iter < 400; ++iter) {
    const std::string_view alpha = alphabets[rng() % 4];
    auto random_string = [&]() {
      static const size_t lengths[] = {0, 1, 2, 63, 64, 65, 127, 128, 129, 200};
      const size_t len = rng() % 2 ? lengths[rng() % 10] : rng() % 300;
      std::string s(len, '\0');
      for (char& c : s) c = alpha[rng() % alpha.size()];
      return s;
    };
    const std::string a = random_string();
    std::string b = random_string();
    if (rng() % 3 == 0) {  // similar strings give long runs
      b = a;
      for (int e = 0; e < 5 && !b.empty(); ++e) b[rng() % b.size()] = alpha[rng() % alpha.size()];
    }
    const int64_t min_len = static_cast<int64_t>(rng() % 4);
    const LcsResult want = ReferenceLcs(a, b, min_len);
    LcsResult got;
    ASSERT_EQ(ComputeLcs(a, b, LcsMode::kString, 0, kProtoMaxBulkLen, &got), LcsStatus::kOk);
    ASSERT_EQ(got.subsequence, want.subsequence) << a << " / " << b;
    ASSERT_EQ(ComputeLcs(a, b, LcsMode::kLen, 0, kProtoMaxBulkLen, &got), LcsStatus::kOk);
    ASSERT_EQ(got.len, want.len);
    ASSERT_EQ(ComputeLcs(a, b, LcsMode::kIdx, min_len, kProtoMaxBulkLen, &got), LcsStatus::kOk);
    ASSERT_EQ(Ranges(got), Ranges(want)) << a << " / " << b;
  }
}

TEST(LcsTest, BinaryAndLongStrings) {
  // Every byte value, and strings long enough for many 64-bit words.
  std::string a, b;
  for (int i = 0; i < 256; ++i) a.push_back(static_cast<char>(i));
  for (int i = 255; i >= 0; i -= 2) b.push_back(static_cast<char>(i));
  b += a;
  LcsResult r;
  ASSERT_EQ(ComputeLcs(a, b, LcsMode::kString, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
  EXPECT_EQ(r.subsequence, a);

  ASSERT_EQ(ComputeLcs(a, b, LcsMode::kIdx, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
  EXPECT_EQ(Ranges(r), (std::vector<Range>{{0, 255, 128, 383, 256}}));

  std::string x(5000, 'x');
  const std::string y(3000, 'x');
  x[2500] = 'y';
  ASSERT_EQ(ComputeLcs(x, y, LcsMode::kLen, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
  EXPECT_EQ(r.len, 3000u);
  ASSERT_EQ(ComputeLcs(x, y, LcsMode::kIdx, 0, kProtoMaxBulkLen, &r), LcsStatus::kOk);
  EXPECT_EQ(Ranges(r),
            (std::vector<Range>{{2501, 4999, 501, 2999, 2499}, {1999, 2499, 0, 500, 501}}));
}

}  // namespace
}  // namespace duet
