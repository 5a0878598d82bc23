// Linked into every GoogleTest binary: keeps each one buildable while its test
// folder is still being filled, and reports the build type in the test log.
#include <gtest/gtest.h>

TEST(Build, ReportsConfiguration) {
#ifdef NDEBUG
  RecordProperty("build", "release");
#else
  RecordProperty("build", "debug");
#endif
  SUCCEED();
}
