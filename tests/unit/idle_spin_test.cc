#include "server/idle_spin.h"

#include <gtest/gtest.h>

namespace duet {
namespace {

// Turns ShouldSpin refuses before it allows the next spin.
int SkippedTurns(IdleSpin& s) {
  int skipped = 0;
  while (!s.ShouldSpin()) {
    ++skipped;
    if (skipped > 1000) break;
  }
  return skipped;
}

TEST(IdleSpin, SpinsEveryTurnWhileSpinningFindsInput) {
  IdleSpin s;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(s.ShouldSpin());
    s.Record(true);
  }
}

TEST(IdleSpin, EachMissInARowDoublesTheTurnsSkippedUpTo64) {
  IdleSpin s;
  ASSERT_TRUE(s.ShouldSpin());
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 8);
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 16);
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 32);
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 64);
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 64);
}

TEST(IdleSpin, AHitForgetsEarlierMisses) {
  IdleSpin s;
  ASSERT_TRUE(s.ShouldSpin());
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 8);
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 16);
  s.Record(true);
  EXPECT_TRUE(s.ShouldSpin());
  s.Record(false);
  EXPECT_EQ(SkippedTurns(s), 8);
}

}  // namespace
}  // namespace duet
