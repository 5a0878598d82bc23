// WritableFile / SequentialFile / AtomicReplace: the POSIX implementation in
// a temp directory, and the in-memory file system that models power loss.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "persistence/crc64.h"
#include "persistence/file.h"

namespace duet {
namespace {

std::string ReadAll(SequentialFile& f) {
  std::string out;
  char scratch[7];  // small reads exercise the short-read contract
  for (;;) {
    std::string_view got;
    EXPECT_TRUE(f.Read(sizeof(scratch), scratch, &got).ok());
    if (got.empty()) return out;
    out.append(got);
  }
}

size_t IndexOf(const std::vector<std::string>& log, const std::string& what) {
  auto it = std::find(log.begin(), log.end(), what);
  return it == log.end() ? SIZE_MAX : static_cast<size_t>(it - log.begin());
}

Status WriteText(WritableFile& f, const std::string& text) {
  // Several appends so a crash can fall between them.
  for (size_t i = 0; i < text.size(); i += 4) {
    Status s = f.Append(std::string_view(text).substr(i, 4));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

TEST(Crc64Test, KnownVectors) {
  EXPECT_EQ(Crc64(0, "123456789"), 0xe9c6d914c4b8d9caULL);
  EXPECT_EQ(Crc64(0, ""), 0u);
  // A single byte goes through the byte-at-a-time tail only.
  EXPECT_NE(Crc64(0, "a"), Crc64(0, "b"));
}

TEST(Crc64Test, IncrementalEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 37 + 11));
  const uint64_t whole = Crc64(0, data);
  for (size_t split : {0ul, 1ul, 7ul, 8ul, 9ul, 500ul, 999ul, 1000ul}) {
    uint64_t crc = Crc64(0, data.data(), split);
    crc = Crc64(crc, data.data() + split, data.size() - split);
    EXPECT_EQ(crc, whole) << split;
  }
}

TEST(Crc64Test, MatchesRedisFilesChecksum) {
  // An RDB file written by Redis ends with the CRC of everything before it.
  std::string path =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string() +
      "/../shared/rdb-assets/zset-ziplist.rdb";
  std::ifstream in(path, std::ios::binary);
  if (!in) GTEST_SKIP() << "no " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string file = ss.str();
  ASSERT_GT(file.size(), 8u);
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i)
    stored = stored << 8 | static_cast<unsigned char>(file[file.size() - 8 + i]);
  EXPECT_EQ(Crc64(0, file.data(), file.size() - 8), stored);
}

TEST(MemFileSystemTest, WriteReadRenameRemove) {
  MemFileSystem fs;
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(fs.NewWritableFile("d/a", &w).ok());
  ASSERT_TRUE(w->Append("hello ").ok());
  ASSERT_TRUE(w->Append("world").ok());
  ASSERT_TRUE(w->Close().ok());
  std::unique_ptr<SequentialFile> r;
  ASSERT_TRUE(fs.NewSequentialFile("d/a", &r).ok());
  EXPECT_EQ(r->Size(), 11u);
  EXPECT_EQ(ReadAll(*r), "hello world");
  ASSERT_TRUE(fs.Rename("d/a", "d/b").ok());
  EXPECT_FALSE(fs.Exists("d/a"));
  EXPECT_TRUE(fs.Exists("d/b"));
  EXPECT_FALSE(fs.NewSequentialFile("d/a", &r).ok());
  ASSERT_TRUE(fs.Remove("d/b").ok());
  EXPECT_TRUE(fs.List().empty());
}

TEST(MemFileSystemTest, RebootKeepsOnlySyncedDataAndSyncedNames) {
  MemFileSystem fs;
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(fs.NewWritableFile("f", &w).ok());
  ASSERT_TRUE(w->Append("synced").ok());
  ASSERT_TRUE(w->Sync().ok());
  ASSERT_TRUE(w->Append("+lost").ok());
  ASSERT_TRUE(fs.SyncDir(".").ok());
  ASSERT_TRUE(fs.NewWritableFile("g", &w).ok());  // name never made durable
  ASSERT_TRUE(w->Append("x").ok());
  ASSERT_TRUE(w->Sync().ok());
  fs.Reboot();
  std::string got;
  ASSERT_TRUE(fs.Get("f", &got));
  EXPECT_EQ(got, "synced");
  EXPECT_FALSE(fs.Exists("g"));
}

TEST(MemFileSystemTest, CrashAfterRefusesLaterOperations) {
  MemFileSystem fs;
  fs.CrashAfter(2);
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(fs.NewWritableFile("f", &w).ok());  // 1
  ASSERT_TRUE(w->Append("a").ok());               // 2
  EXPECT_FALSE(w->Append("b").ok());
  EXPECT_TRUE(fs.crashed());
  EXPECT_FALSE(fs.SyncDir(".").ok());
  EXPECT_EQ(fs.log().size(), 2u);
}

TEST(AtomicReplaceTest, SyncsBeforeRenameAndSyncsDirectoryAfter) {
  MemFileSystem fs;
  fs.Put("data/dump.rdb", "old");
  ASSERT_TRUE(AtomicReplace(
                  fs, "data/dump.rdb", [](WritableFile& f) { return WriteText(f, "new contents"); },
                  "data/temp-1.rdb")
                  .ok());
  const auto& log = fs.log();
  size_t create = IndexOf(log, "create data/temp-1.rdb");
  size_t sync = IndexOf(log, "sync data/temp-1.rdb");
  size_t close = IndexOf(log, "close data/temp-1.rdb");
  size_t rename = IndexOf(log, "rename data/temp-1.rdb data/dump.rdb");
  size_t syncdir = IndexOf(log, "syncdir data");
  ASSERT_NE(create, SIZE_MAX);
  ASSERT_NE(sync, SIZE_MAX);
  ASSERT_NE(close, SIZE_MAX);
  ASSERT_NE(rename, SIZE_MAX);
  ASSERT_NE(syncdir, SIZE_MAX);
  EXPECT_LT(create, sync);
  EXPECT_LT(sync, close);
  EXPECT_LT(close, rename);
  EXPECT_LT(rename, syncdir);
  EXPECT_EQ(syncdir, log.size() - 1);
  // Every append happened before the sync.
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].rfind("append ", 0) == 0) {
      EXPECT_LT(i, sync);
    }
  }
  std::string got;
  ASSERT_TRUE(fs.Get("data/dump.rdb", &got));
  EXPECT_EQ(got, "new contents");
  EXPECT_FALSE(fs.Exists("data/temp-1.rdb"));
}

TEST(AtomicReplaceTest, CrashAtEveryPointLeavesOldOrNewFile) {
  const std::string old_text = "previous dump, complete";
  const std::string new_text = "the new dump, also complete and longer";
  // Count the operations of an undisturbed run first.
  size_t total;
  {
    MemFileSystem fs;
    fs.Put("dump.rdb", old_text);
    ASSERT_TRUE(AtomicReplace(fs, "dump.rdb", [&](WritableFile& f) {
                  return WriteText(f, new_text);
                }).ok());
    total = fs.log().size();
  }
  ASSERT_GT(total, 5u);
  for (size_t n = 0; n <= total; ++n) {
    MemFileSystem fs;
    fs.Put("dump.rdb", old_text);
    fs.CrashAfter(n);
    Status s =
        AtomicReplace(fs, "dump.rdb", [&](WritableFile& f) { return WriteText(f, new_text); });
    fs.Reboot();
    std::string got;
    ASSERT_TRUE(fs.Get("dump.rdb", &got)) << "crash after " << n << " operations";
    if (s.ok()) {
      EXPECT_EQ(got, new_text) << "reported success, crash after " << n;
    } else {
      EXPECT_TRUE(got == old_text || got == new_text) << "crash after " << n << ": " << got;
    }
  }
}

// What a wrong order would do, to show the test above can fail: renaming
// before the data is synced loses the dump in a crash.
TEST(AtomicReplaceTest, RenameBeforeSyncWouldLoseTheDump) {
  MemFileSystem fs;
  fs.Put("dump.rdb", "old");
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(fs.NewWritableFile("tmp", &w).ok());
  ASSERT_TRUE(w->Append("new").ok());
  ASSERT_TRUE(fs.Rename("tmp", "dump.rdb").ok());
  ASSERT_TRUE(fs.SyncDir(".").ok());
  fs.Reboot();  // power lost before the file's data was synced
  std::string got;
  ASSERT_TRUE(fs.Get("dump.rdb", &got));
  EXPECT_EQ(got, "");
}

TEST(AtomicReplaceTest, WriterFailureKeepsOldFileAndRemovesTemp) {
  MemFileSystem fs;
  fs.Put("dump.rdb", "old");
  Status s = AtomicReplace(fs, "dump.rdb", [](WritableFile& f) {
    (void)f.Append("partial");
    return Status::IoError("disk full");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(fs.List(), std::vector<std::string>{"dump.rdb"});
  std::string got;
  ASSERT_TRUE(fs.Get("dump.rdb", &got));
  EXPECT_EQ(got, "old");
}

TEST(PosixFileTest, AtomicReplaceInTempDir) {
  char tmpl[] = "/tmp/duet_file_test_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string path = dir + "/dump.rdb";
  FileSystem& fs = FileSystem::Posix();
  std::string big(200 * 1024, 'x');  // larger than the write buffer
  big[12345] = 'y';
  ASSERT_TRUE(AtomicReplace(fs, path, [&](WritableFile& f) {
                Status s = f.Append("head:");
                return s.ok() ? f.Append(big) : s;
              }).ok());
  std::unique_ptr<SequentialFile> r;
  ASSERT_TRUE(fs.NewSequentialFile(path, &r).ok());
  EXPECT_EQ(r->Size(), 5 + big.size());
  EXPECT_EQ(ReadAll(*r), "head:" + big);
  EXPECT_FALSE(fs.Exists(DefaultTempPath(path)));
  Status missing = fs.NewSequentialFile(dir + "/nope", &r);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("No such file"), std::string::npos) << missing.message();
  std::filesystem::remove_all(dir);
}

TEST(FileHelpersTest, DirName) {
  EXPECT_EQ(DirName("dump.rdb"), ".");
  EXPECT_EQ(DirName("/dump.rdb"), "/");
  EXPECT_EQ(DirName("a/b/dump.rdb"), "a/b");
  EXPECT_EQ(DefaultTempPath("a/dump.rdb"), "a/temp-" + std::to_string(getpid()) + ".rdb");
}

}  // namespace
}  // namespace duet
