#include "server/fd_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace duet {
namespace {

// Puts the process's open-files limit back after each test.
class FdLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved_), 0); }
  void TearDown() override { setrlimit(RLIMIT_NOFILE, &saved_); }
  rlimit saved_{};
};

TEST_F(FdLimitTest, NothingChangesWhenTheLimitSuffices) {
  const auto cur = static_cast<int64_t>(saved_.rlim_cur);
  ASSERT_GT(cur, kReservedFds + 10);
  FdLimitResult r = AdjustOpenFilesLimit(cur - kReservedFds - 10, 5);
  EXPECT_EQ(r.maxclients, cur - kReservedFds - 10);
  EXPECT_EQ(r.limit, cur);
  EXPECT_TRUE(r.notice.empty());
  EXPECT_TRUE(r.warning.empty());
}

// Whatever the system allows, the clients granted fit the limit obtained,
// and the limit never goes down.
TEST_F(FdLimitTest, GrantedClientsFitTheLimit) {
  rlimit low{64, saved_.rlim_max};
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  FdLimitResult r = AdjustOpenFilesLimit(1000000, 100);
  EXPECT_GE(r.limit, 64);
  rlimit now{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(static_cast<int64_t>(now.rlim_cur), r.limit);
  if (r.maxclients == 1000000) {
    EXPECT_FALSE(r.notice.empty());  // raised all the way
  } else if (r.maxclients > 0) {
    EXPECT_EQ(r.maxclients + kReservedFds + 100, r.limit);
    EXPECT_FALSE(r.warning.empty());
  } else {
    EXPECT_LE(r.limit, kReservedFds + 100);
    EXPECT_FALSE(r.warning.empty());
  }
}

}  // namespace
}  // namespace duet
