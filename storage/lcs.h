#pragma once
// Longest common subsequence of two strings, answering Redis 7.0's LCS
// command: the subsequence itself, its length (LEN), or the matching ranges
// (IDX, with MINMATCHLEN and WITHMATCHLEN).
//
// Which subsequence and which ranges: Redis fills the classic dynamic-
// programming table L[i][j] (LCS length of a[0..i) and b[0..j)) and walks
// back from (|a|, |b|): on equal bytes it takes the byte and steps
// diagonally; otherwise it steps to i-1 only if L[i-1][j] > L[i][j-1], else
// to j-1. Ranges of consecutive diagonal steps are reported in the order the
// walk meets them, i.e. from the end of the strings towards the start. We
// produce exactly the same answers.
//
// How: the table is kept as one bit per cell (Hyyro's bit-vector LCS, 64
// columns per machine word), so it needs 32 times less memory than Redis's
// 4-byte cells and is filled about 64 cells at a time; LEN alone keeps a
// single row. The size check, though, is Redis's, so the same inputs are
// refused: 4 * (|a| + 1) * (|b| + 1) bytes must not exceed the limit the
// caller passes (proto-max-bulk-len), even for LEN.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

inline constexpr std::string_view kErrLcsTooLarge =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
inline constexpr std::string_view kErrLcsAllocFailed =
    "ERR Insufficient memory, failed allocating transient memory for LCS";
inline constexpr std::string_view kErrLcsStringTooLong = "ERR String too long for LCS";
// Option and key errors of the LCS command, for its handler.
inline constexpr std::string_view kErrLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kErrLcsNotStrings =
    "ERR The specified keys must contain string values";

// One IDX entry: a[a_start..a_end] equals b[b_start..b_end] (inclusive).
struct LcsMatch {
  uint32_t a_start = 0;
  uint32_t a_end = 0;
  uint32_t b_start = 0;
  uint32_t b_end = 0;
  uint32_t len = 0;  // a_end - a_start + 1, for WITHMATCHLEN
};

enum class LcsMode : uint8_t {
  kString,  // LCS a b            -> the subsequence
  kLen,     // LCS a b LEN        -> its length only
  kIdx,     // LCS a b IDX ...    -> ranges + length
};

struct LcsResult {
  uint32_t len = 0;               // always set
  std::string subsequence;        // kString only
  std::vector<LcsMatch> matches;  // kIdx only, shorter than min_match_len left out
};

enum class LcsStatus : uint8_t {
  kOk,
  kTooLarge,       // kErrLcsTooLarge
  kAllocFailed,    // kErrLcsAllocFailed
  kStringTooLong,  // kErrLcsStringTooLong
};

// Missing keys are passed as empty strings. min_match_len < 0 counts as 0, as
// in Redis. max_table_bytes is proto-max-bulk-len.
LcsStatus ComputeLcs(std::string_view a, std::string_view b, LcsMode mode, int64_t min_match_len,
                     uint64_t max_table_bytes, LcsResult* out);

}  // namespace duet
