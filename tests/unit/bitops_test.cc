// Expected values in this file were confirmed against a real redis-server
// 7.0.15 (Debian build) with redis-cli: every row of the tables below is the
// reply Redis gave (and, for BITFIELD, the string GET returned afterwards).

#include "storage/bitops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace duet {
namespace {

using namespace std::string_view_literals;

constexpr uint64_t kProtoMaxBulkLen = 512ull * 1024 * 1024;

TEST(BitopsTest, WholeStringBitCount) {
  struct {
    std::string_view s;
    int64_t count;
  } cases[] = {
      // clang-format off
      {""sv, 0},
      {"foobar"sv, 26},
      {"\xff\xf0\x00"sv, 12},
      {"\x00\x00\x00"sv, 0},
      {"\xff\xff\xff"sv, 24},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 136},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 72},
      {"\x80"sv, 1},
      {"\x01"sv, 1},
      // clang-format on
  };
  for (const auto& c : cases) EXPECT_EQ(BitCount(c.s), c.count);
}

TEST(BitopsTest, BitCountRangesLikeRedis) {
  struct {
    std::string_view s;
    int64_t start, end;
    BitUnit unit;
    int64_t count;
  } cases[] = {
      // clang-format off
      {""sv, 0, -1, BitUnit::kByte, 0},
      {""sv, 1, 1, BitUnit::kByte, 0},
      {""sv, 1, 1, BitUnit::kBit, 0},
      {""sv, 5, 30, BitUnit::kBit, 0},
      {""sv, -5, -10, BitUnit::kByte, 0},
      {""sv, -10, -5, BitUnit::kByte, 0},
      {""sv, -1, -1, BitUnit::kBit, 0},
      {""sv, 0, 0, BitUnit::kBit, 0},
      {""sv, 7, 7, BitUnit::kBit, 0},
      {""sv, 2, 1, BitUnit::kByte, 0},
      {""sv, -100, 100, BitUnit::kByte, 0},
      {""sv, 3, 11, BitUnit::kBit, 0},
      {""sv, 9, 9, BitUnit::kBit, 0},
      {""sv, -3, -1, BitUnit::kBit, 0},
      {""sv, 100, 200, BitUnit::kByte, 0},
      {""sv, 1, -2, BitUnit::kByte, 0},
      {"foobar"sv, 0, -1, BitUnit::kByte, 26},
      {"foobar"sv, 1, 1, BitUnit::kByte, 6},
      {"foobar"sv, 1, 1, BitUnit::kBit, 1},
      {"foobar"sv, 5, 30, BitUnit::kBit, 17},
      {"foobar"sv, -5, -10, BitUnit::kByte, 0},
      {"foobar"sv, -10, -5, BitUnit::kByte, 10},
      {"foobar"sv, -1, -1, BitUnit::kBit, 0},
      {"foobar"sv, 0, 0, BitUnit::kBit, 0},
      {"foobar"sv, 7, 7, BitUnit::kBit, 0},
      {"foobar"sv, 2, 1, BitUnit::kByte, 0},
      {"foobar"sv, -100, 100, BitUnit::kByte, 26},
      {"foobar"sv, 3, 11, BitUnit::kBit, 4},
      {"foobar"sv, 9, 9, BitUnit::kBit, 1},
      {"foobar"sv, -3, -1, BitUnit::kBit, 1},
      {"foobar"sv, 100, 200, BitUnit::kByte, 0},
      {"foobar"sv, 1, -2, BitUnit::kByte, 18},
      {"\xff\xf0\x00"sv, 0, -1, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 1, 1, BitUnit::kByte, 4},
      {"\xff\xf0\x00"sv, 1, 1, BitUnit::kBit, 1},
      {"\xff\xf0\x00"sv, 5, 30, BitUnit::kBit, 7},
      {"\xff\xf0\x00"sv, -5, -10, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, -10, -5, BitUnit::kByte, 8},
      {"\xff\xf0\x00"sv, -1, -1, BitUnit::kBit, 0},
      {"\xff\xf0\x00"sv, 0, 0, BitUnit::kBit, 1},
      {"\xff\xf0\x00"sv, 7, 7, BitUnit::kBit, 1},
      {"\xff\xf0\x00"sv, 2, 1, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, -100, 100, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 3, 11, BitUnit::kBit, 9},
      {"\xff\xf0\x00"sv, 9, 9, BitUnit::kBit, 1},
      {"\xff\xf0\x00"sv, -3, -1, BitUnit::kBit, 0},
      {"\xff\xf0\x00"sv, 100, 200, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, -2, BitUnit::kByte, 4},
      {"\x00\x00\x00"sv, 0, -1, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 1, 1, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 1, 1, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 5, 30, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, -5, -10, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, -10, -5, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, -1, -1, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 0, 0, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 7, 7, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 2, 1, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, -100, 100, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 3, 11, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 9, 9, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, -3, -1, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 100, 200, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 1, -2, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 0, -1, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 1, 1, BitUnit::kByte, 8},
      {"\xff\xff\xff"sv, 1, 1, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, 5, 30, BitUnit::kBit, 19},
      {"\xff\xff\xff"sv, -5, -10, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, -10, -5, BitUnit::kByte, 8},
      {"\xff\xff\xff"sv, -1, -1, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, 0, 0, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, 7, 7, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, 2, 1, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, -100, 100, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 3, 11, BitUnit::kBit, 9},
      {"\xff\xff\xff"sv, 9, 9, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, -3, -1, BitUnit::kBit, 3},
      {"\xff\xff\xff"sv, 100, 200, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, -2, BitUnit::kByte, 8},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, -1, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 1, BitUnit::kByte, 8},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 1, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 5, 30, BitUnit::kBit, 26},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, -5, -10, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, -10, -5, BitUnit::kByte, 48},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, -1, -1, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 0, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 7, 7, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 2, 1, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, -100, 100, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 3, 11, BitUnit::kBit, 9},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 9, 9, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, -3, -1, BitUnit::kBit, 3},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 100, 200, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, -2, BitUnit::kByte, 120},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, -1, BitUnit::kByte, 1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 1, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 1, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 5, 30, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, -5, -10, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, -10, -5, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, -1, -1, BitUnit::kBit, 1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 0, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 7, 7, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 2, 1, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, -100, 100, BitUnit::kByte, 1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 3, 11, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 9, 9, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, -3, -1, BitUnit::kBit, 1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 100, 200, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, -2, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, -1, BitUnit::kByte, 72},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 1, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 1, BitUnit::kBit, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 5, 30, BitUnit::kBit, 15},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, -5, -10, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, -10, -5, BitUnit::kByte, 24},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, -1, -1, BitUnit::kBit, 1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 0, BitUnit::kBit, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 7, 7, BitUnit::kBit, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 2, 1, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, -100, 100, BitUnit::kByte, 72},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 3, 11, BitUnit::kBit, 4},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 9, 9, BitUnit::kBit, 1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, -3, -1, BitUnit::kBit, 3},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 100, 200, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, -2, BitUnit::kByte, 64},
      {"\x80"sv, 0, -1, BitUnit::kByte, 1},
      {"\x80"sv, 1, 1, BitUnit::kByte, 0},
      {"\x80"sv, 1, 1, BitUnit::kBit, 0},
      {"\x80"sv, 5, 30, BitUnit::kBit, 0},
      {"\x80"sv, -5, -10, BitUnit::kByte, 0},
      {"\x80"sv, -10, -5, BitUnit::kByte, 1},
      {"\x80"sv, -1, -1, BitUnit::kBit, 0},
      {"\x80"sv, 0, 0, BitUnit::kBit, 1},
      {"\x80"sv, 7, 7, BitUnit::kBit, 0},
      {"\x80"sv, 2, 1, BitUnit::kByte, 0},
      {"\x80"sv, -100, 100, BitUnit::kByte, 1},
      {"\x80"sv, 3, 11, BitUnit::kBit, 0},
      {"\x80"sv, 9, 9, BitUnit::kBit, 0},
      {"\x80"sv, -3, -1, BitUnit::kBit, 0},
      {"\x80"sv, 100, 200, BitUnit::kByte, 0},
      {"\x80"sv, 1, -2, BitUnit::kByte, 0},
      {"\x01"sv, 0, -1, BitUnit::kByte, 1},
      {"\x01"sv, 1, 1, BitUnit::kByte, 0},
      {"\x01"sv, 1, 1, BitUnit::kBit, 0},
      {"\x01"sv, 5, 30, BitUnit::kBit, 1},
      {"\x01"sv, -5, -10, BitUnit::kByte, 0},
      {"\x01"sv, -10, -5, BitUnit::kByte, 1},
      {"\x01"sv, -1, -1, BitUnit::kBit, 1},
      {"\x01"sv, 0, 0, BitUnit::kBit, 0},
      {"\x01"sv, 7, 7, BitUnit::kBit, 1},
      {"\x01"sv, 2, 1, BitUnit::kByte, 0},
      {"\x01"sv, -100, 100, BitUnit::kByte, 1},
      {"\x01"sv, 3, 11, BitUnit::kBit, 1},
      {"\x01"sv, 9, 9, BitUnit::kBit, 0},
      {"\x01"sv, -3, -1, BitUnit::kBit, 1},
      {"\x01"sv, 100, 200, BitUnit::kByte, 0},
      {"\x01"sv, 1, -2, BitUnit::kByte, 0},
      // clang-format on
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BitCount(c.s, c.start, c.end, c.unit), c.count)
        << "size " << c.s.size() << " range " << c.start << " " << c.end << " "
        << (c.unit == BitUnit::kBit ? "BIT" : "BYTE");
  }
}

TEST(BitopsTest, BitPosLikeRedis) {
  // start == nullopt: BITPOS key bit (no range at all).
  struct {
    std::string_view s;
    int bit;
    std::optional<int64_t> start, end;
    BitUnit unit;
    int64_t pos;
  } cases[] = {
      // clang-format off
      {""sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, 0, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, 1, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, -1, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, 2, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, 0, -1, BitUnit::kByte, -1},
      {""sv, 0, 0, -1, BitUnit::kBit, -1},
      {""sv, 0, 1, 2, BitUnit::kByte, -1},
      {""sv, 0, 5, 20, BitUnit::kBit, -1},
      {""sv, 0, -5, -10, BitUnit::kByte, -1},
      {""sv, 0, -10, -5, BitUnit::kByte, -1},
      {""sv, 0, 7, 7, BitUnit::kBit, -1},
      {""sv, 0, 8, 15, BitUnit::kBit, -1},
      {""sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {""sv, 0, -100, 100, BitUnit::kByte, -1},
      {""sv, 0, 1, 1, BitUnit::kBit, -1},
      {""sv, 0, 9, 200, BitUnit::kBit, -1},
      {""sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, 0, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, 1, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, -1, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, 2, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, 0, -1, BitUnit::kByte, -1},
      {""sv, 1, 0, -1, BitUnit::kBit, -1},
      {""sv, 1, 1, 2, BitUnit::kByte, -1},
      {""sv, 1, 5, 20, BitUnit::kBit, -1},
      {""sv, 1, -5, -10, BitUnit::kByte, -1},
      {""sv, 1, -10, -5, BitUnit::kByte, -1},
      {""sv, 1, 7, 7, BitUnit::kBit, -1},
      {""sv, 1, 8, 15, BitUnit::kBit, -1},
      {""sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {""sv, 1, -100, 100, BitUnit::kByte, -1},
      {""sv, 1, 1, 1, BitUnit::kBit, -1},
      {""sv, 1, 9, 200, BitUnit::kBit, -1},
      {""sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"foobar"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"foobar"sv, 0, 0, std::nullopt, BitUnit::kByte, 0},
      {"foobar"sv, 0, 1, std::nullopt, BitUnit::kByte, 8},
      {"foobar"sv, 0, -1, std::nullopt, BitUnit::kByte, 40},
      {"foobar"sv, 0, 2, std::nullopt, BitUnit::kByte, 16},
      {"foobar"sv, 0, 0, -1, BitUnit::kByte, 0},
      {"foobar"sv, 0, 0, -1, BitUnit::kBit, 0},
      {"foobar"sv, 0, 1, 2, BitUnit::kByte, 8},
      {"foobar"sv, 0, 5, 20, BitUnit::kBit, 7},
      {"foobar"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"foobar"sv, 0, -10, -5, BitUnit::kByte, 0},
      {"foobar"sv, 0, 7, 7, BitUnit::kBit, 7},
      {"foobar"sv, 0, 8, 15, BitUnit::kBit, 8},
      {"foobar"sv, 0, 3, std::nullopt, BitUnit::kByte, 24},
      {"foobar"sv, 0, -100, 100, BitUnit::kByte, 0},
      {"foobar"sv, 0, 1, 1, BitUnit::kBit, -1},
      {"foobar"sv, 0, 9, 200, BitUnit::kBit, 11},
      {"foobar"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"foobar"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 1},
      {"foobar"sv, 1, 0, std::nullopt, BitUnit::kByte, 1},
      {"foobar"sv, 1, 1, std::nullopt, BitUnit::kByte, 9},
      {"foobar"sv, 1, -1, std::nullopt, BitUnit::kByte, 41},
      {"foobar"sv, 1, 2, std::nullopt, BitUnit::kByte, 17},
      {"foobar"sv, 1, 0, -1, BitUnit::kByte, 1},
      {"foobar"sv, 1, 0, -1, BitUnit::kBit, 1},
      {"foobar"sv, 1, 1, 2, BitUnit::kByte, 9},
      {"foobar"sv, 1, 5, 20, BitUnit::kBit, 5},
      {"foobar"sv, 1, -5, -10, BitUnit::kByte, -1},
      {"foobar"sv, 1, -10, -5, BitUnit::kByte, 1},
      {"foobar"sv, 1, 7, 7, BitUnit::kBit, -1},
      {"foobar"sv, 1, 8, 15, BitUnit::kBit, 9},
      {"foobar"sv, 1, 3, std::nullopt, BitUnit::kByte, 25},
      {"foobar"sv, 1, -100, 100, BitUnit::kByte, 1},
      {"foobar"sv, 1, 1, 1, BitUnit::kBit, 1},
      {"foobar"sv, 1, 9, 200, BitUnit::kBit, 9},
      {"foobar"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, 0, std::nullopt, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, 1, std::nullopt, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, -1, std::nullopt, BitUnit::kByte, 16},
      {"\xff\xf0\x00"sv, 0, 2, std::nullopt, BitUnit::kByte, 16},
      {"\xff\xf0\x00"sv, 0, 0, -1, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, 0, -1, BitUnit::kBit, 12},
      {"\xff\xf0\x00"sv, 0, 1, 2, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, 5, 20, BitUnit::kBit, 12},
      {"\xff\xf0\x00"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 0, -10, -5, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 0, 7, 7, BitUnit::kBit, -1},
      {"\xff\xf0\x00"sv, 0, 8, 15, BitUnit::kBit, 12},
      {"\xff\xf0\x00"sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 0, -100, 100, BitUnit::kByte, 12},
      {"\xff\xf0\x00"sv, 0, 1, 1, BitUnit::kBit, -1},
      {"\xff\xf0\x00"sv, 0, 9, 200, BitUnit::kBit, 12},
      {"\xff\xf0\x00"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, 0, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, 1, std::nullopt, BitUnit::kByte, 8},
      {"\xff\xf0\x00"sv, 1, -1, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 1, 2, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 1, 0, -1, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, 0, -1, BitUnit::kBit, 0},
      {"\xff\xf0\x00"sv, 1, 1, 2, BitUnit::kByte, 8},
      {"\xff\xf0\x00"sv, 1, 5, 20, BitUnit::kBit, 5},
      {"\xff\xf0\x00"sv, 1, -5, -10, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, -10, -5, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, 7, 7, BitUnit::kBit, 7},
      {"\xff\xf0\x00"sv, 1, 8, 15, BitUnit::kBit, 8},
      {"\xff\xf0\x00"sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xf0\x00"sv, 1, -100, 100, BitUnit::kByte, 0},
      {"\xff\xf0\x00"sv, 1, 1, 1, BitUnit::kBit, 1},
      {"\xff\xf0\x00"sv, 1, 9, 200, BitUnit::kBit, 9},
      {"\xff\xf0\x00"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, 0, std::nullopt, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, 1, std::nullopt, BitUnit::kByte, 8},
      {"\x00\x00\x00"sv, 0, -1, std::nullopt, BitUnit::kByte, 16},
      {"\x00\x00\x00"sv, 0, 2, std::nullopt, BitUnit::kByte, 16},
      {"\x00\x00\x00"sv, 0, 0, -1, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, 0, -1, BitUnit::kBit, 0},
      {"\x00\x00\x00"sv, 0, 1, 2, BitUnit::kByte, 8},
      {"\x00\x00\x00"sv, 0, 5, 20, BitUnit::kBit, 5},
      {"\x00\x00\x00"sv, 0, -5, -10, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, -10, -5, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, 7, 7, BitUnit::kBit, 7},
      {"\x00\x00\x00"sv, 0, 8, 15, BitUnit::kBit, 8},
      {"\x00\x00\x00"sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 0, -100, 100, BitUnit::kByte, 0},
      {"\x00\x00\x00"sv, 0, 1, 1, BitUnit::kBit, 1},
      {"\x00\x00\x00"sv, 0, 9, 200, BitUnit::kBit, 9},
      {"\x00\x00\x00"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 0, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 1, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, -1, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 2, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 0, -1, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 0, -1, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, 1, 2, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 5, 20, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, -5, -10, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, -10, -5, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 7, 7, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, 8, 15, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, -100, 100, BitUnit::kByte, -1},
      {"\x00\x00\x00"sv, 1, 1, 1, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, 9, 200, BitUnit::kBit, -1},
      {"\x00\x00\x00"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 0, 0, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 0, 1, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 0, -1, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 0, 2, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff"sv, 0, 0, -1, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, 0, -1, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, 1, 2, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, 5, 20, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, -10, -5, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, 7, 7, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, 8, 15, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, -100, 100, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 0, 1, 1, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, 9, 200, BitUnit::kBit, -1},
      {"\xff\xff\xff"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, 0, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, 1, std::nullopt, BitUnit::kByte, 8},
      {"\xff\xff\xff"sv, 1, -1, std::nullopt, BitUnit::kByte, 16},
      {"\xff\xff\xff"sv, 1, 2, std::nullopt, BitUnit::kByte, 16},
      {"\xff\xff\xff"sv, 1, 0, -1, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, 0, -1, BitUnit::kBit, 0},
      {"\xff\xff\xff"sv, 1, 1, 2, BitUnit::kByte, 8},
      {"\xff\xff\xff"sv, 1, 5, 20, BitUnit::kBit, 5},
      {"\xff\xff\xff"sv, 1, -5, -10, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, -10, -5, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, 7, 7, BitUnit::kBit, 7},
      {"\xff\xff\xff"sv, 1, 8, 15, BitUnit::kBit, 8},
      {"\xff\xff\xff"sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff"sv, 1, -100, 100, BitUnit::kByte, 0},
      {"\xff\xff\xff"sv, 1, 1, 1, BitUnit::kBit, 1},
      {"\xff\xff\xff"sv, 1, 9, 200, BitUnit::kBit, 9},
      {"\xff\xff\xff"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 0, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 1, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, -1, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 2, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 0, -1, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 0, -1, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 1, 2, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 5, 20, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, -10, -5, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 7, 7, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 8, 15, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 3, std::nullopt, BitUnit::kByte, 136},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, -100, 100, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 1, 1, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 9, 200, BitUnit::kBit, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 0, std::nullopt, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 1, std::nullopt, BitUnit::kByte, 8},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, -1, std::nullopt, BitUnit::kByte, 128},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 2, std::nullopt, BitUnit::kByte, 16},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 0, -1, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 0, -1, BitUnit::kBit, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 1, 2, BitUnit::kByte, 8},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 5, 20, BitUnit::kBit, 5},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, -5, -10, BitUnit::kByte, -1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, -10, -5, BitUnit::kByte, 56},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 7, 7, BitUnit::kBit, 7},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 8, 15, BitUnit::kBit, 8},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 3, std::nullopt, BitUnit::kByte, 24},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, -100, 100, BitUnit::kByte, 0},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 1, 1, BitUnit::kBit, 1},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 9, 200, BitUnit::kBit, 9},
      {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 0, std::nullopt, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 1, std::nullopt, BitUnit::kByte, 8},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, -1, std::nullopt, BitUnit::kByte, 72},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 2, std::nullopt, BitUnit::kByte, 16},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 0, -1, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 0, -1, BitUnit::kBit, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 1, 2, BitUnit::kByte, 8},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 5, 20, BitUnit::kBit, 5},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, -10, -5, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 7, 7, BitUnit::kBit, 7},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 8, 15, BitUnit::kBit, 8},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 3, std::nullopt, BitUnit::kByte, 24},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, -100, 100, BitUnit::kByte, 0},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 1, 1, BitUnit::kBit, 1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 9, 200, BitUnit::kBit, 9},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 0, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 1, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, -1, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 2, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 0, -1, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 0, -1, BitUnit::kBit, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 1, 2, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 5, 20, BitUnit::kBit, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, -5, -10, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, -10, -5, BitUnit::kByte, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 7, 7, BitUnit::kBit, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 8, 15, BitUnit::kBit, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 3, std::nullopt, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, -100, 100, BitUnit::kByte, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 1, 1, BitUnit::kBit, -1},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 9, 200, BitUnit::kBit, 79},
      {"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 0, std::nullopt, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 1, std::nullopt, BitUnit::kByte, 16},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, -1, std::nullopt, BitUnit::kByte, 144},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 2, std::nullopt, BitUnit::kByte, 16},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 0, -1, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 0, -1, BitUnit::kBit, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 1, 2, BitUnit::kByte, 16},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 5, 20, BitUnit::kBit, 5},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, -5, -10, BitUnit::kByte, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, -10, -5, BitUnit::kByte, 64},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 7, 7, BitUnit::kBit, 7},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 8, 15, BitUnit::kBit, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 3, std::nullopt, BitUnit::kByte, 32},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, -100, 100, BitUnit::kByte, 0},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 1, 1, BitUnit::kBit, 1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 9, 200, BitUnit::kBit, 16},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 0, std::nullopt, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 1, std::nullopt, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, -1, std::nullopt, BitUnit::kByte, 136},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 2, std::nullopt, BitUnit::kByte, 24},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 0, -1, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 0, -1, BitUnit::kBit, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 1, 2, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 5, 20, BitUnit::kBit, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, -5, -10, BitUnit::kByte, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, -10, -5, BitUnit::kByte, 72},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 7, 7, BitUnit::kBit, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 8, 15, BitUnit::kBit, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 3, std::nullopt, BitUnit::kByte, 24},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, -100, 100, BitUnit::kByte, 8},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 1, 1, BitUnit::kBit, -1},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 9, 200, BitUnit::kBit, 9},
      {"\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff\x00\xff"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 1},
      {"\x80"sv, 0, 0, std::nullopt, BitUnit::kByte, 1},
      {"\x80"sv, 0, 1, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 0, -1, std::nullopt, BitUnit::kByte, 1},
      {"\x80"sv, 0, 2, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 0, 0, -1, BitUnit::kByte, 1},
      {"\x80"sv, 0, 0, -1, BitUnit::kBit, 1},
      {"\x80"sv, 0, 1, 2, BitUnit::kByte, -1},
      {"\x80"sv, 0, 5, 20, BitUnit::kBit, 5},
      {"\x80"sv, 0, -5, -10, BitUnit::kByte, 1},
      {"\x80"sv, 0, -10, -5, BitUnit::kByte, 1},
      {"\x80"sv, 0, 7, 7, BitUnit::kBit, 7},
      {"\x80"sv, 0, 8, 15, BitUnit::kBit, -1},
      {"\x80"sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 0, -100, 100, BitUnit::kByte, 1},
      {"\x80"sv, 0, 1, 1, BitUnit::kBit, 1},
      {"\x80"sv, 0, 9, 200, BitUnit::kBit, -1},
      {"\x80"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\x80"sv, 1, 0, std::nullopt, BitUnit::kByte, 0},
      {"\x80"sv, 1, 1, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 1, -1, std::nullopt, BitUnit::kByte, 0},
      {"\x80"sv, 1, 2, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 1, 0, -1, BitUnit::kByte, 0},
      {"\x80"sv, 1, 0, -1, BitUnit::kBit, 0},
      {"\x80"sv, 1, 1, 2, BitUnit::kByte, -1},
      {"\x80"sv, 1, 5, 20, BitUnit::kBit, -1},
      {"\x80"sv, 1, -5, -10, BitUnit::kByte, 0},
      {"\x80"sv, 1, -10, -5, BitUnit::kByte, 0},
      {"\x80"sv, 1, 7, 7, BitUnit::kBit, -1},
      {"\x80"sv, 1, 8, 15, BitUnit::kBit, -1},
      {"\x80"sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x80"sv, 1, -100, 100, BitUnit::kByte, 0},
      {"\x80"sv, 1, 1, 1, BitUnit::kBit, -1},
      {"\x80"sv, 1, 9, 200, BitUnit::kBit, -1},
      {"\x80"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 0, std::nullopt, std::nullopt, BitUnit::kByte, 0},
      {"\x01"sv, 0, 0, std::nullopt, BitUnit::kByte, 0},
      {"\x01"sv, 0, 1, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 0, -1, std::nullopt, BitUnit::kByte, 0},
      {"\x01"sv, 0, 2, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 0, 0, -1, BitUnit::kByte, 0},
      {"\x01"sv, 0, 0, -1, BitUnit::kBit, 0},
      {"\x01"sv, 0, 1, 2, BitUnit::kByte, -1},
      {"\x01"sv, 0, 5, 20, BitUnit::kBit, 5},
      {"\x01"sv, 0, -5, -10, BitUnit::kByte, 0},
      {"\x01"sv, 0, -10, -5, BitUnit::kByte, 0},
      {"\x01"sv, 0, 7, 7, BitUnit::kBit, -1},
      {"\x01"sv, 0, 8, 15, BitUnit::kBit, -1},
      {"\x01"sv, 0, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 0, -100, 100, BitUnit::kByte, 0},
      {"\x01"sv, 0, 1, 1, BitUnit::kBit, 1},
      {"\x01"sv, 0, 9, 200, BitUnit::kBit, -1},
      {"\x01"sv, 0, 100, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 1, std::nullopt, std::nullopt, BitUnit::kByte, 7},
      {"\x01"sv, 1, 0, std::nullopt, BitUnit::kByte, 7},
      {"\x01"sv, 1, 1, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 1, -1, std::nullopt, BitUnit::kByte, 7},
      {"\x01"sv, 1, 2, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 1, 0, -1, BitUnit::kByte, 7},
      {"\x01"sv, 1, 0, -1, BitUnit::kBit, 7},
      {"\x01"sv, 1, 1, 2, BitUnit::kByte, -1},
      {"\x01"sv, 1, 5, 20, BitUnit::kBit, 7},
      {"\x01"sv, 1, -5, -10, BitUnit::kByte, 7},
      {"\x01"sv, 1, -10, -5, BitUnit::kByte, 7},
      {"\x01"sv, 1, 7, 7, BitUnit::kBit, 7},
      {"\x01"sv, 1, 8, 15, BitUnit::kBit, -1},
      {"\x01"sv, 1, 3, std::nullopt, BitUnit::kByte, -1},
      {"\x01"sv, 1, -100, 100, BitUnit::kByte, 7},
      {"\x01"sv, 1, 1, 1, BitUnit::kBit, -1},
      {"\x01"sv, 1, 9, 200, BitUnit::kBit, -1},
      {"\x01"sv, 1, 100, std::nullopt, BitUnit::kByte, -1},
      // clang-format on
  };
  for (const auto& c : cases) {
    const int64_t got =
        c.start ? BitPos(c.s, c.bit == 1, *c.start, c.end, c.unit) : BitPos(c.s, c.bit == 1);
    EXPECT_EQ(got, c.pos) << "size " << c.s.size() << " bit " << c.bit << " start "
                          << c.start.value_or(-999) << " end " << c.end.value_or(-999) << " "
                          << (c.unit == BitUnit::kBit ? "BIT" : "BYTE");
  }
}

// Bit-at-a-time definitions of BITCOUNT and BITPOS, to cross-check the word
// loops on random strings (the tables above pin down the index rules).
int RefBit(std::string_view s, int64_t i) {
  return (static_cast<uint8_t>(s[static_cast<size_t>(i >> 3)]) >> (7 - (i & 7))) & 1;
}

bool RefRange(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start += total;
  if (*end < 0) *end += total;
  *start = std::max<int64_t>(*start, 0);
  *end = std::max<int64_t>(*end, 0);
  *end = std::min(*end, total - 1);
  return *start <= *end;
}

TEST(BitopsTest, WordLoopsAgreeWithBitAtATime) {
  std::mt19937_64 rng(2024);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s(rng() % 80, '\0');
    const int flavour = static_cast<int>(rng() % 4);
    for (char& c : s) {
      c = static_cast<char>(flavour == 0   ? 0xff
                            : flavour == 1 ? 0
                            : flavour == 2 ? (rng() % 8 ? 0xff : rng())
                                           : rng());
    }
    const auto bits = static_cast<int64_t>(s.size() * 8);
    int64_t all = 0;
    for (int64_t i = 0; i < bits; ++i) all += RefBit(s, i);
    ASSERT_EQ(BitCount(s), all);
    const int64_t a = static_cast<int64_t>(rng() % (bits + 20)) - 10;
    const int64_t b = static_cast<int64_t>(rng() % (bits + 20)) - 10;
    int64_t lo = a, hi = b;
    int64_t want = 0;
    if (!(a < 0 && b < 0 && a > b) && RefRange(bits, &lo, &hi)) {
      for (int64_t i = lo; i <= hi; ++i) want += RefBit(s, i);
    }
    ASSERT_EQ(BitCount(s, a, b, BitUnit::kBit), want) << a << " " << b;
    for (int bit = 0; bit <= 1; ++bit) {
      lo = a;
      hi = b;
      int64_t first = -1;
      if (RefRange(bits, &lo, &hi)) {
        for (int64_t i = lo; i <= hi && first < 0; ++i) {
          if (RefBit(s, i) == bit) first = i;
        }
      }
      ASSERT_EQ(BitPos(s, bit == 1, a, b, BitUnit::kBit), first) << a << " " << b;
    }
    int64_t first_zero = -1;
    for (int64_t i = 0; i < bits && first_zero < 0; ++i) {
      if (RefBit(s, i) == 0) first_zero = i;
    }
    ASSERT_EQ(BitPos(s, false), s.empty() ? -1 : (first_zero < 0 ? bits : first_zero));
  }
}

TEST(BitopsTest, GetBitSetBit) {
  // SETBIT s 7 1 -> 0, GET -> "\x01", SETBIT s 7 0 -> 1, SETBIT s 100 1 -> 0
  // grows to 13 bytes, GETBIT 100 -> 1, 101 -> 0, 1000 -> 0.
  std::string s;
  s.resize(BytesForBit(7), '\0');
  EXPECT_EQ(SetBit(s, 7, true), 0);
  EXPECT_EQ(s, "\x01"sv);
  EXPECT_EQ(SetBit(s, 7, false), 1);
  EXPECT_EQ(BytesForBit(100), 13u);
  s.resize(BytesForBit(100), '\0');
  EXPECT_EQ(SetBit(s, 100, true), 0);
  EXPECT_EQ(s, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08"sv);
  EXPECT_EQ(GetBit(s, 100), 1);
  EXPECT_EQ(GetBit(s, 101), 0);
  EXPECT_EQ(GetBit(s, 1000), 0);
  EXPECT_EQ(SetBit(s, 100, true), 1);
  EXPECT_EQ(GetBit("\x80"sv, 0), 1);
  EXPECT_EQ(GetBit("\x80"sv, 1), 0);
}

TEST(BitopsTest, BitArguments) {
  uint64_t off = 0;
  EXPECT_TRUE(ParseBitOffset("4294967295", kProtoMaxBulkLen, 0, &off));
  EXPECT_EQ(off, 4294967295u);
  EXPECT_FALSE(ParseBitOffset("4294967296", kProtoMaxBulkLen, 0, &off));  // byte 512MB
  EXPECT_FALSE(ParseBitOffset("-1", kProtoMaxBulkLen, 0, &off));
  EXPECT_FALSE(ParseBitOffset("#1", kProtoMaxBulkLen, 0, &off));  // SETBIT has no '#'
  EXPECT_FALSE(ParseBitOffset("x", kProtoMaxBulkLen, 0, &off));
  EXPECT_FALSE(ParseBitOffset("99999999999", kProtoMaxBulkLen, 0, &off));
  EXPECT_TRUE(ParseBitOffset("#3", kProtoMaxBulkLen, 16, &off));
  EXPECT_EQ(off, 48u);
  EXPECT_TRUE(ParseBitOffset("#536870911", kProtoMaxBulkLen, 8, &off));
  EXPECT_FALSE(ParseBitOffset("#536870912", kProtoMaxBulkLen, 8, &off));
  EXPECT_FALSE(ParseBitOffset("#-1", kProtoMaxBulkLen, 8, &off));
  EXPECT_FALSE(ParseBitOffset("##1", kProtoMaxBulkLen, 8, &off));
  // 2^60 * 16 wraps to 0 in Redis's 64-bit multiply.
  EXPECT_TRUE(ParseBitOffset("#1152921504606846976", kProtoMaxBulkLen, 16, &off));
  EXPECT_EQ(off, 0u);
  EXPECT_TRUE(ParseBitOffset("#1152921504606846977", kProtoMaxBulkLen, 16, &off));
  EXPECT_EQ(off, 16u);
  // A smaller limit, as CONFIG SET proto-max-bulk-len would give.
  EXPECT_TRUE(ParseBitOffset("8388607", 1024 * 1024, 0, &off));
  EXPECT_FALSE(ParseBitOffset("8388608", 1024 * 1024, 0, &off));

  bool on = false;
  EXPECT_TRUE(ParseBitValue("1", &on));
  EXPECT_TRUE(on);
  EXPECT_TRUE(ParseBitValue("0", &on));
  EXPECT_FALSE(on);
  for (std::string_view v : {"2"sv, "-1"sv, "01"sv, ""sv, "x"sv, "1.0"sv}) {
    EXPECT_FALSE(ParseBitValue(v, &on)) << v;
  }
}

TEST(BitopsTest, BitOpLikeRedis) {
  // BITOP <op> d <keys...>: reply = length, then GET d.
  const std::string_view a = "foobar", b = "abcdef", c = "\xff\x0f"sv, empty;
  auto run = [](std::string_view name, std::vector<std::string_view> srcs) {
    BitOpKind kind;
    EXPECT_TRUE(ParseBitOpKind(name, &kind)) << name;
    EXPECT_EQ(BitOpResultSize(srcs), BitOp(kind, srcs).size());
    return BitOp(kind, srcs);
  };
  EXPECT_EQ(run("AND", {a, b}), "`bc`ab");
  EXPECT_EQ(run("OR", {a, b}), "goofev");
  EXPECT_EQ(run("XOR", {a, b}), "\x07\r\x0c\x06\x04\x14"sv);
  EXPECT_EQ(run("NOT", {a}), "\x99\x90\x90\x9d\x9e\x8d"sv);
  EXPECT_EQ(run("AND", {a, c}), "f\x0f\x00\x00\x00\x00"sv);
  EXPECT_EQ(run("OR", {a, c}), "\xffoobar"sv);
  EXPECT_EQ(run("XOR", {c, a, b}), "\xf8\x02\x0c\x06\x04\x14"sv);
  EXPECT_EQ(run("and", {a, empty}), "\x00\x00\x00\x00\x00\x00"sv);  // missing key
  EXPECT_EQ(run("OR", {empty, c}), "\xff\x0f"sv);
  EXPECT_EQ(run("NOT", {empty}), "");  // Redis deletes the destination
  EXPECT_EQ(run("AND", {empty, empty}), "");
  EXPECT_EQ(run("XOR", {c, c}), "\x00\x00"sv);
  // Long inputs exercise the word loops; compare with a byte loop.
  std::mt19937_64 rng(5);
  std::string x(1000, '\0'), y(777, '\0'), z(1003, '\0');
  for (auto* s : {&x, &y, &z}) {
    for (char& ch : *s) ch = static_cast<char>(rng());
  }
  const std::string and_xyz = run("AND", {x, y, z});
  const std::string or_xyz = run("OR", {x, y, z});
  const std::string xor_xyz = run("XOR", {x, y, z});
  const std::string not_x = run("NOT", {x});
  ASSERT_EQ(and_xyz.size(), 1003u);
  for (size_t i = 0; i < 1003; ++i) {
    const auto at = [i](const std::string& s) -> uint8_t {
      return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
    };
    ASSERT_EQ(static_cast<uint8_t>(and_xyz[i]), at(x) & at(y) & at(z)) << i;
    ASSERT_EQ(static_cast<uint8_t>(or_xyz[i]), at(x) | at(y) | at(z)) << i;
    ASSERT_EQ(static_cast<uint8_t>(xor_xyz[i]), at(x) ^ at(y) ^ at(z)) << i;
    if (i < 1000) {
      ASSERT_EQ(static_cast<uint8_t>(not_x[i]), static_cast<uint8_t>(~at(x))) << i;
    }
  }
  BitOpKind kind;
  EXPECT_FALSE(ParseBitOpKind("NAND", &kind));
  EXPECT_FALSE(ParseBitOpKind("", &kind));
}

TEST(BitopsTest, BitfieldTypes) {
  BitfieldType t;
  EXPECT_TRUE(ParseBitfieldType("i64", &t));
  EXPECT_TRUE(t.is_signed);
  EXPECT_EQ(t.bits, 64);
  EXPECT_TRUE(ParseBitfieldType("u63", &t));
  EXPECT_FALSE(t.is_signed);
  EXPECT_EQ(t.bits, 63);
  EXPECT_TRUE(ParseBitfieldType("u1", &t));
  EXPECT_TRUE(ParseBitfieldType("i8\0x"sv, &t));  // Redis stops at the NUL
  EXPECT_EQ(t.bits, 8);
  for (std::string_view s : {"u64"sv, "i65"sv, "i0"sv, "u0"sv, "I8"sv, "U8"sv, "i08"sv, "i-1"sv,
                             ""sv, "i"sv, "8"sv, "x8"sv, "i 8"sv}) {
    EXPECT_FALSE(ParseBitfieldType(s, &t)) << s;
  }
}

constexpr int64_t kNil = INT64_MIN + 1;  // marks a nil reply in the table

struct BitfieldCase {
  bool ro;  // BITFIELD_RO
  std::string_view initial;
  std::vector<std::string_view> args;
  std::string_view error;  // empty when the command succeeds
  std::vector<int64_t> replies;
  std::string_view final_value;
};

// Runs a BITFIELD the way a handler would: parse, grow, apply in order.
TEST(BitopsTest, BitfieldLikeRedis) {
  const BitfieldCase cases[] = {
      // clang-format off
      {false, ""sv, {"GET", "u8", "0", "GET", "i8", "0", "GET", "u63", "3", "GET", "i64", "0"}, "", {0LL, 0LL, 0LL, 0LL}, ""sv},
      {false, "\xff\x00\x7f"sv, {"GET", "u8", "0", "GET", "i8", "0", "GET", "i4", "0", "GET", "u4", "4", "GET", "i1", "0", "GET", "u1", "0", "GET", "i16", "4", "GET", "u3", "22", "GET", "i64", "0", "GET", "u63", "1"}, "", {255LL, -1LL, -1LL, 15LL, -1LL, 1LL, -4089LL, 6LL, -71917956061200384LL, 9151454080793575424LL}, "\xff\x00\x7f"sv},
      {false, ""sv, {"SET", "u8", "0", "255", "GET", "u8", "0"}, "", {0LL, 255LL}, "\xff"sv},
      {false, ""sv, {"SET", "i8", "0", "-1", "SET", "i8", "0", "5"}, "", {0LL, -1LL}, "\x05"sv},
      {false, ""sv, {"INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1"}, "", {1LL, 2LL, 3LL, 0LL}, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"sv},
      {false, ""sv, {"OVERFLOW", "SAT", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "-10"}, "", {1LL, 2LL, 3LL, 0LL}, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"sv},
      {false, ""sv, {"OVERFLOW", "FAIL", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "1", "INCRBY", "u2", "102", "1"}, "", {1LL, 2LL, 3LL, kNil}, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03"sv},
      {false, ""sv, {"INCRBY", "i5", "100", "15", "INCRBY", "i5", "100", "1", "OVERFLOW", "SAT", "INCRBY", "i5", "100", "-100", "OVERFLOW", "FAIL", "INCRBY", "i5", "100", "-1"}, "", {15LL, -16LL, -16LL, kNil}, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00"sv},
      {false, ""sv, {"SET", "u8", "0", "-1", "OVERFLOW", "SAT", "SET", "u8", "8", "-1", "OVERFLOW", "FAIL", "SET", "u8", "16", "-1", "SET", "u8", "24", "256", "OVERFLOW", "WRAP", "SET", "u8", "32", "-1", "SET", "i8", "40", "-129", "OVERFLOW", "SAT", "SET", "i8", "48", "-129", "SET", "i8", "56", "200", "GET", "i64", "0", "GET", "u63", "1"}, "", {0LL, 0LL, kNil, kNil, 0LL, 0LL, 0LL, 0LL, -281470690164609LL, 9223090566164611199LL}, "\xff\xff\x00\x00\xff\x7f\x80\x7f"sv},
      {false, "\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv, {"OVERFLOW", "SAT", "SET", "i63", "#1", "-9223372036854775808"}, "", {-18014398509481984LL}, "\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\xff\xfc"sv},
      {false, ""sv, {"OVERFLOW", "SAT", "SET", "i31", "0", "-9223372036854775808", "SET", "i31", "32", "-3000000000"}, "", {0LL, 0LL}, "\x7f\xff\xff\xfe\x80\x00\x00\x00"sv},
      {false, ""sv, {"SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "9223372036854775807", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "1"}, "", {0LL, INT64_MIN, INT64_MIN, -1LL, 0LL}, "\x00\x00\x00\x00\x00\x00\x00\x00"sv},
      {false, ""sv, {"SET", "i64", "0", "-9223372036854775808", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1", "OVERFLOW", "WRAP", "INCRBY", "i64", "0", "-1"}, "", {0LL, INT64_MIN, 9223372036854775807LL}, "\x7f\xff\xff\xff\xff\xff\xff\xff"sv},
      {false, ""sv, {"SET", "u63", "0", "9223372036854775807", "INCRBY", "u63", "0", "1", "SET", "u63", "0", "-5", "OVERFLOW", "SAT", "SET", "u63", "0", "-5"}, "", {0LL, 0LL, 0LL, 9223372036854775803LL}, "\xff\xff\xff\xff\xff\xff\xff\xfe"sv},
      {false, ""sv, {"SET", "u8", "#2", "200", "SET", "u8", "#0", "1", "GET", "u16", "#0", "GET", "u8", "#1"}, "", {0LL, 0LL, 256LL, 0LL}, "\x01\x00\xc8"sv},
      {false, ""sv, {"SET", "i16", "#1152921504606846976", "1234", "GET", "i16", "0"}, "", {0LL, 1234LL}, "\x04\xd2"sv},
      {false, ""sv, {"SET", "u1", "7", "1", "SET", "u1", "0", "1", "GET", "u8", "0"}, "", {0LL, 0LL, 129LL}, "\x81"sv},
      {false, "abc"sv, {"SET", "u3", "5", "7", "GET", "u8", "0", "SET", "i9", "7", "-1", "GET", "u16", "0"}, "", {1LL, 103LL, -158LL, 26623LL}, "g\xff""c"sv},
      {false, ""sv, {"OVERFLOW", "FAIL", "INCRBY", "u8", "100", "300"}, "", {kNil}, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"sv},
      {false, ""sv, {"GET", "u8", "0"}, "", {0LL}, ""sv},
      {false, ""sv, {"OVERFLOW", "WRAP"}, "", {}, ""sv},
      {false, ""sv, {}, "", {}, ""sv},
      {false, ""sv, {"GET", "I8", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "u64", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "i65", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "i0", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "i08", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "i-1", "0"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"GET", "u8", "-1"}, "ERR bit offset is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"GET", "u8", "##1"}, "ERR bit offset is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"GET", "u8", "4294967296"}, "ERR bit offset is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"GET", "u8", "#536870912"}, "ERR bit offset is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"GET", "u8", "x"}, "ERR bit offset is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"OVERFLOW", "foo", "GET", "u8", "0"}, "ERR Invalid OVERFLOW type specified", {}, ""sv},
      {false, ""sv, {"OVERFLOW"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"GET", "u8"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"FOO"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"SET", "u8", "0", "x"}, "ERR value is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"SET", "u8", "0"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"SET", "u8", "0", "1", "GET", "u8"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"GET", "u8", "0", "SET", "i8", "0", "1", "FOO"}, "ERR syntax error", {}, ""sv},
      {false, ""sv, {"INCRBY", "u8", "0", "99999999999999999999"}, "ERR value is not an integer or out of range", {}, ""sv},
      {false, ""sv, {"get", "u8", "0", "incrby", "U8", "0", "1"}, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", {}, ""sv},
      {false, ""sv, {"get", "u8", "0", "incrby", "u8", "0", "1", "overflow", "Sat"}, "", {0LL, 1LL}, "\x01"sv},
      {true, "\x0f"sv, {"SET", "u8", "0", "1"}, "ERR BITFIELD_RO only supports the GET subcommand", {}, ""sv},
      {true, "\x0f"sv, {"FOO"}, "ERR syntax error", {}, ""sv},
      {true, "\x0f"sv, {"OVERFLOW", "SAT", "GET", "u8", "0"}, "", {15LL}, "\x0f"sv},
      {true, "\x0f"sv, {"SET", "u8", "0", "x"}, "ERR value is not an integer or out of range", {}, ""sv},
      {true, "\x0f"sv, {"GET", "u8", "0", "SET", "i9", "0", "1"}, "ERR BITFIELD_RO only supports the GET subcommand", {}, ""sv},
      {true, "\x0f"sv, {"SET", "u8", "0"}, "ERR syntax error", {}, ""sv},
      {true, "\x0f"sv, {"INCRBY", "u8", "0", "1"}, "ERR BITFIELD_RO only supports the GET subcommand", {}, ""sv},
      {true, "\x0f"sv, {"GET", "u8", "0", "OVERFLOW"}, "ERR syntax error", {}, ""sv},
      {true, "\x0f"sv, {"GET", "u8", "0", "GET", "i8", "4"}, "", {15LL, -16LL}, "\x0f"sv},
      // clang-format on
  };
  for (const BitfieldCase& c : cases) {
    std::string trace;
    for (std::string_view a : c.args) (trace += ' ') += a;
    SCOPED_TRACE(trace);
    BitfieldPlan plan;
    const BitfieldError err = ParseBitfield(c.args, c.ro, kProtoMaxBulkLen, &plan);
    EXPECT_EQ(BitfieldErrorText(err), c.error);
    if (err != BitfieldError::kNone) continue;
    std::string value(c.initial);
    if (!plan.read_only && value.size() < plan.bytes_needed) value.resize(plan.bytes_needed, '\0');
    std::vector<int64_t> replies;
    for (const BitfieldOp& op : plan.ops) {
      bool changed = false;
      const std::string before = value;
      const BitfieldResult r = BitfieldApply(op, value, &changed);
      replies.push_back(r.is_nil ? kNil : r.value);
      EXPECT_EQ(changed, before != value);
    }
    EXPECT_EQ(replies, c.replies);
    EXPECT_EQ(value, c.final_value);
  }
}

TEST(BitopsTest, BitfieldGetReadsPastTheEndAsZero) {
  // BITFIELD k GET u16 16 GET i64 20 GET i64 1000000 GET i8 0 GET i2 7 GET u16 12
  // on "\xff\x00\x7f" -> 32512 -1152921504606846976 0 -1 -2 2032
  const std::string_view s = "\xff\x00\x7f"sv;
  EXPECT_EQ(BitfieldGet(s, 16, {false, 16}), 32512);
  EXPECT_EQ(BitfieldGet(s, 20, {true, 64}), -1152921504606846976);
  EXPECT_EQ(BitfieldGet(s, 1000000, {true, 64}), 0);
  EXPECT_EQ(BitfieldGet(s, 0, {true, 8}), -1);
  EXPECT_EQ(BitfieldGet(s, 7, {true, 2}), -2);
  EXPECT_EQ(BitfieldGet(s, 12, {false, 16}), 2032);
}

}  // namespace
}  // namespace duet
