// utils/allocator.h and utils/default_init_allocator.h.
#include "utils/allocator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "utils/default_init_allocator.h"

namespace duet {
namespace {

uint64_t VmRssFromStatus() {
  std::ifstream status("/proc/self/status");
  std::string word;
  while (status >> word) {
    if (word == "VmRSS:") {
      uint64_t kb = 0;
      status >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

TEST(Allocator, ResidentSetBytesAgreesWithProcStatus) {
  uint64_t ours = ResidentSetBytes();
  uint64_t theirs = VmRssFromStatus();
  ASSERT_GT(theirs, 0u);
  // Both are samples of a moving figure: allow a little drift.
  EXPECT_NEAR(static_cast<double>(ours), static_cast<double>(theirs), 2.0 * 1024 * 1024);
}

TEST(DefaultInitAllocator, BehavesLikeAVectorOfBytes) {
  std::vector<char, DefaultInitAllocator<char>> v;
  v.push_back('a');
  v.resize(4096);
  EXPECT_EQ(v[0], 'a');
  v.resize(8192);
  EXPECT_EQ(v.size(), 8192u);
  EXPECT_EQ(v[0], 'a');
  std::vector<std::string, DefaultInitAllocator<std::string>> s(3);
  EXPECT_TRUE(s[2].empty());  // class types are still constructed
  s.emplace_back("x");
  EXPECT_EQ(s.back(), "x");
}

}  // namespace
}  // namespace duet
