// SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE, and the snapshot side of FLUSHALL,
// SHUTDOWN, DEBUG RELOAD and the dispatcher (MISCONF). Expected replies were
// taken from redis-server 7.0.15. Each test runs in its own temp directory.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "persistence/crc64.h"
#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "server/snapshots.h"
#include "storage/digest.h"
#include "tests/commands/harness.h"
#include "tests/unit/rdb_test_util.h"

namespace duet::testing {
namespace {

using namespace rdbtest;

constexpr const char* kMisconf =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the "
    "RDB error.";

class PersistenceCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_cwd_ = std::filesystem::current_path();
    char tmpl[] = "/tmp/duet_persist_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::current_path(dir_);
  }
  void TearDown() override {
    std::filesystem::current_path(old_cwd_);
    std::filesystem::remove_all(dir_);
  }

  static ServerConfig DebugConfig() {
    ServerConfig c;
    c.enable_debug_command = ProtectedAction::kYes;
    return c;
  }

  // Runs the cron until no background save is running (bounded).
  static void WaitBgsave(Harness& h) {
    for (int i = 0; i < 3000 && h.server().snapshots().bgsave_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      h.server().Cron();
    }
    ASSERT_FALSE(h.server().snapshots().bgsave_running());
  }

  static std::string InfoField(Harness& h, const std::string& name) {
    std::string info = h.Run({"INFO", "persistence"});
    size_t at = info.find("\r\n" + name + ":");
    if (at == std::string::npos) return "<missing>";
    at += name.size() + 3;
    return info.substr(at, info.find("\r\n", at) - at);
  }

  // Loads dump.rdb from the current directory into a fresh keyspace.
  static std::string LoadedDigest() {
    std::unique_ptr<SequentialFile> f;
    if (!FileSystem::Posix().NewSequentialFile("dump.rdb", &f).ok()) return "no file";
    Keyspace ks(16);
    RdbLoadOptions o;
    o.now_ms = 1;
    RdbLoadInfo info;
    Status s = LoadRdb(*f, ks, o, &info);
    return s.ok() ? DatasetDigestHex(ks) : s.message();
  }

  static std::string Digest(Harness& h) { return DatasetDigestHex(h.server().keyspace()); }

  std::filesystem::path old_cwd_;
  std::string dir_;
};

TEST_F(PersistenceCommandsTest, SaveWritesTheDumpAndResetsCounters) {
  Harness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "2"});
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "2");
  EXPECT_EQ(InfoField(h, "rdb_saves"), "0");
  EXPECT_EQ(h.Run({"SAVE"}), kOk);
  EXPECT_TRUE(std::filesystem::exists("dump.rdb"));
  EXPECT_EQ(LoadedDigest(), Digest(h));
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "0");
  EXPECT_EQ(InfoField(h, "rdb_saves"), "1");
  EXPECT_EQ(InfoField(h, "rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(h.Run({"LASTSAVE"}), Int(h.server().NowMs() / 1000));
  EXPECT_EQ(h.Run({"SAVE", "x"}), Err("ERR wrong number of arguments for 'save' command"));
  // No temp file is left behind.
  for (const auto& f : std::filesystem::directory_iterator(".")) {
    EXPECT_EQ(f.path().filename(), "dump.rdb");
  }
}

TEST_F(PersistenceCommandsTest, BgsaveForksAndIsReapedByCron) {
  Harness h;
  for (int i = 0; i < 100; ++i) h.Run({"SET", "key:" + std::to_string(i), "v"});
  // Slow the child down so the "in progress" states can be seen.
  EXPECT_EQ(h.Run({"CONFIG", "SET", "rdb-key-save-delay", "1000"}), kOk);
  EXPECT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");
  EXPECT_EQ(InfoField(h, "rdb_bgsave_in_progress"), "1");
  EXPECT_EQ(h.Run({"BGSAVE"}), Err("ERR Background save already in progress"));
  EXPECT_EQ(h.Run({"BGSAVE", "SCHEDULE"}), Err("ERR Background save already in progress"));
  EXPECT_EQ(h.Run({"SAVE"}), Err("ERR Background save already in progress"));
  // Writes while the child saves go to the parent only.
  h.Run({"SET", "after", "fork"});
  WaitBgsave(h);
  EXPECT_EQ(InfoField(h, "rdb_bgsave_in_progress"), "0");
  EXPECT_EQ(InfoField(h, "rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(InfoField(h, "rdb_saves"), "1");
  // The change made after the fork is still unsaved.
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "1");
  h.Run({"DEL", "after"});
  EXPECT_EQ(LoadedDigest(), Digest(h));
  EXPECT_EQ(h.Run({"BGSAVE", "x"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"BGSAVE", "SCHEDULE", "x"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"CONFIG", "SET", "rdb-key-save-delay", "0"}), kOk);
  EXPECT_EQ(h.Run({"BGSAVE", "schedule"}), "+Background saving started\r\n");
  WaitBgsave(h);
}

TEST_F(PersistenceCommandsTest, BgsaveInsideExecIsScheduled) {
  Harness h;
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"MULTI"}), kOk);
  EXPECT_EQ(h.Run({"BGSAVE"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"SAVE"}), Err("ERR Command not allowed inside a transaction"));
  EXPECT_EQ(h.Run({"DISCARD"}), kOk);
  EXPECT_EQ(h.Run({"MULTI"}), kOk);
  EXPECT_EQ(h.Run({"BGSAVE"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"EXEC"}), "*1\r\n+Background saving scheduled\r\n");
  EXPECT_FALSE(h.server().snapshots().bgsave_running());
  h.server().Cron();  // the cron starts it
  EXPECT_TRUE(h.server().snapshots().bgsave_running());
  WaitBgsave(h);
  EXPECT_EQ(LoadedDigest(), Digest(h));
}

TEST_F(PersistenceCommandsTest, SavePointsStartABackgroundSave) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "save", "10 2"}), kOk);
  h.Run({"SET", "a", "1"});
  h.AdvanceTime(11000);
  h.server().Cron();
  EXPECT_FALSE(h.server().snapshots().bgsave_running());  // one change, two needed
  h.Run({"SET", "b", "1"});
  h.server().Cron();
  EXPECT_TRUE(h.server().snapshots().bgsave_running());
  WaitBgsave(h);
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "0");
  EXPECT_EQ(LoadedDigest(), Digest(h));
  // Not again until the time has passed since this save.
  h.Run({"SET", "c", "1"});
  h.Run({"SET", "d", "1"});
  h.server().Cron();
  EXPECT_FALSE(h.server().snapshots().bgsave_running());
}

TEST_F(PersistenceCommandsTest, FailedBgsaveRefusesWritesWithMisconf) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "save", "3600 1"}), kOk);
  h.Run({"SET", "k", "v"});
  // Remove the working directory: the child cannot create its temp file.
  std::filesystem::create_directory("gone");
  std::filesystem::current_path("gone");
  std::filesystem::remove(std::filesystem::current_path());
  EXPECT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");
  WaitBgsave(h);
  EXPECT_EQ(InfoField(h, "rdb_last_bgsave_status"), "err");
  EXPECT_EQ(h.Run({"SET", "k", "w"}), Err(kMisconf));
  EXPECT_EQ(h.Run({"DEL", "k"}), Err(kMisconf));
  EXPECT_EQ(h.Run({"PING"}), Err(kMisconf));  // Redis refuses PING too
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(h.Run({"ECHO", "x"}), Bulk("x"));
  EXPECT_EQ(h.Run({"SAVE"}), Err("ERR"));
  // stop-writes-on-bgsave-error no, or no save points: writes are allowed.
  EXPECT_EQ(h.Run({"CONFIG", "SET", "stop-writes-on-bgsave-error", "no"}), kOk);
  EXPECT_EQ(h.Run({"SET", "k", "w"}), kOk);
  EXPECT_EQ(h.Run({"CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"}), kOk);
  EXPECT_EQ(h.Run({"SET", "k", "w"}), Err(kMisconf));
  // A successful save clears the error.
  std::filesystem::current_path(dir_);
  EXPECT_EQ(h.Run({"SAVE"}), kOk);
  EXPECT_EQ(h.Run({"SET", "k", "x"}), kOk);
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
}

TEST_F(PersistenceCommandsTest, FlushAllSavesTheEmptyDatasetWithSavePoints) {
  Harness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "1"});
  EXPECT_EQ(h.Run({"FLUSHALL"}), kOk);
  EXPECT_FALSE(std::filesystem::exists("dump.rdb"));
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "5");
  EXPECT_EQ(h.Run({"CONFIG", "SET", "save", "3600 1"}), kOk);
  h.Run({"SET", "a", "1"});
  EXPECT_EQ(h.Run({"FLUSHALL"}), kOk);
  EXPECT_EQ(LoadedDigest(), std::string(40, '0'));
  EXPECT_EQ(InfoField(h, "rdb_changes_since_last_save"), "1");
}

TEST_F(PersistenceCommandsTest, FlushAllStopsARunningBgsave) {
  Harness h;
  h.Run({"CONFIG", "SET", "rdb-key-save-delay", "100000"});
  for (int i = 0; i < 10; ++i) h.Run({"SET", "k" + std::to_string(i), "v"});
  EXPECT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");
  EXPECT_EQ(h.Run({"FLUSHALL"}), kOk);
  EXPECT_FALSE(h.server().snapshots().bgsave_running());
  // A child stopped on purpose is not a failed save.
  EXPECT_EQ(InfoField(h, "rdb_last_bgsave_status"), "ok");
  for (const auto& f : std::filesystem::directory_iterator(".")) ADD_FAILURE() << f.path();
}

TEST_F(PersistenceCommandsTest, ShutdownSaveAndNosave) {
  Harness h;
  h.Run({"SET", "a", "1"});
  EXPECT_EQ(h.Run({"SHUTDOWN", "NOSAVE"}), "");
  EXPECT_FALSE(std::filesystem::exists("dump.rdb"));
  EXPECT_EQ(h.Run({"SHUTDOWN"}), "");  // no save points: no save
  EXPECT_FALSE(std::filesystem::exists("dump.rdb"));
  EXPECT_EQ(h.Run({"SHUTDOWN", "SAVE"}), "");
  EXPECT_EQ(LoadedDigest(), Digest(h));
  EXPECT_EQ(h.Run({"SHUTDOWN", "SAVE", "NOSAVE"}), Err("ERR syntax error"));
}

TEST_F(PersistenceCommandsTest, ShutdownRefusedWhenTheFinalSaveFails) {
  Harness h;
  EXPECT_EQ(h.Run({"CONFIG", "SET", "save", "3600 1"}), kOk);
  std::filesystem::create_directory("gone");
  std::filesystem::current_path("gone");
  std::filesystem::remove(std::filesystem::current_path());
  EXPECT_EQ(h.Run({"SHUTDOWN"}), Err("ERR Errors trying to SHUTDOWN. Check logs."));
  EXPECT_FALSE(h.client().close_after_reply);
  EXPECT_EQ(h.Run({"SHUTDOWN", "FORCE"}), "");
  EXPECT_TRUE(h.client().close_after_reply);
  std::filesystem::current_path(dir_);
}

TEST_F(PersistenceCommandsTest, DebugReload) {
  Harness h(DebugConfig());
  CollectionLimits limits;
  Database& db = h.server().keyspace().db(0);
  AddList(db, "list", limits, {"a", "b", "c"});
  AddSet(db, "set", limits, {"1", "2"});
  AddZSet(db, "zset", limits, {{"m", 1.5}});
  AddHash(db, "hash", limits, {{"f", "v"}});
  h.Run({"SET", "str", "v"});
  h.Run({"PEXPIRE", "str", "100000"});
  h.Run({"SELECT", "5"});
  h.Run({"SET", "in5", "x"});
  const std::string before = Digest(h);
  const std::string text = Describe(h.server().keyspace());
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD"}), kOk);
  EXPECT_EQ(Digest(h), before);
  EXPECT_EQ(Describe(h.server().keyspace()), text);
  // NOSAVE: the file on disk (from the reload above) wins over memory.
  h.Run({"SET", "in5", "changed"});
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD", "NOSAVE"}), kOk);
  EXPECT_EQ(h.Run({"GET", "in5"}), Bulk("x"));
  // NOFLUSH without MERGE: every key is a duplicate.
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"}),
            Err("ERR Error trying to load the RDB dump"));
  h.Run({"SET", "in5", "changed"});
  h.Run({"SET", "extra", "1"});
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"}), kOk);
  EXPECT_EQ(h.Run({"GET", "in5"}), Bulk("x"));
  EXPECT_EQ(h.Run({"GET", "extra"}), Bulk("1"));
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD", "NOPE"}),
            Err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
}

TEST_F(PersistenceCommandsTest, DebugReloadOfADamagedFileFails) {
  Harness h(DebugConfig());
  h.Run({"SET", "a", "1"});
  EXPECT_EQ(h.Run({"SAVE"}), kOk);
  {
    std::FILE* f = std::fopen("dump.rdb", "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, -3, SEEK_END);
    std::fputc('!', f);
    std::fclose(f);
  }
  EXPECT_EQ(h.Run({"DEBUG", "RELOAD", "NOSAVE"}), Err("ERR Error trying to load the RDB dump"));
}

TEST_F(PersistenceCommandsTest, DumpAndRestoreEveryType) {
  Harness h;
  CollectionLimits limits;
  Database& db = h.server().keyspace().db(0);
  AddList(db, "list", limits, {"a", "b", "1"});
  AddSet(db, "iset", limits, {"1", "2"});
  AddSet(db, "set", limits, {"x", "y"});
  AddZSet(db, "zset", limits, {{"m", 1.5}, {"n", -2}});
  std::vector<std::pair<std::string, double>> big;
  for (int i = 0; i < 200; ++i) big.push_back({"m" + std::to_string(i), i});
  AddZSet(db, "bigzset", limits, big);
  AddHash(db, "hash", limits, {{"f", "v"}});
  h.Run({"SET", "str", std::string(100, 'x')});
  h.Run({"SET", "int", "-12345"});
  for (std::string key : {"list", "iset", "set", "zset", "bigzset", "hash", "str", "int"}) {
    std::string dump = h.Run({"DUMP", key});
    ASSERT_EQ(dump[0], '$') << key;
    std::string payload = dump.substr(dump.find("\r\n") + 2);
    payload.resize(payload.size() - 2);
    std::string copy = key + ":copy";
    EXPECT_EQ(h.Run({"RESTORE", copy, "0", payload}), kOk) << key;
    const Entry* a = db.Peek(key);
    const Entry* b = db.Peek(copy);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(Describe(*b).substr(copy.size() + 2), Describe(*a).substr(key.size() + 2)) << key;
  }
  EXPECT_EQ(h.Run({"DUMP", "missing"}), kNil);
}

TEST_F(PersistenceCommandsTest, RestoreOptionsAndErrors) {
  Harness h;
  h.Run({"SET", "k", "hello"});
  std::string p = std::string("\x00\x05hello\x0a\x00\x63\x72\xdf\x76\x65\x34\x20\x0a", 17);
  EXPECT_EQ(h.Run({"DUMP", "k"}), Bulk(p));
  EXPECT_EQ(h.Run({"RESTORE", "k", "0", p}), Err("BUSYKEY Target key name already exists."));
  EXPECT_EQ(h.Run({"RESTORE", "k", "x", p}), Err("BUSYKEY Target key name already exists."));
  EXPECT_EQ(h.Run({"RESTORE", "n", "x", p}), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "-1", p}), Err("ERR Invalid TTL value, must be >= 0"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", "garbage"}),
            Err("ERR DUMP payload version or checksum are wrong"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "FOO"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "IDLETIME"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "IDLETIME", "-1"}),
            Err("ERR Invalid IDLETIME value, must be >= 0"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "FREQ", "256"}),
            Err("ERR Invalid FREQ value, must be >= 0 and <= 255"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "FREQ", "1", "IDLETIME", "1"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", p, "IDLETIME", "1", "FREQ", "1"}), Err("ERR syntax error"));
  // A payload with a good checksum but a bad body.
  std::string bad("\x00\x05hel\x0a\x00", 7);
  const uint64_t crc = Crc64(0, bad);
  for (int i = 0; i < 8; ++i) bad.push_back(static_cast<char>(crc >> (8 * i)));
  EXPECT_EQ(h.Run({"RESTORE", "n", "0", bad}), Err("ERR Bad data format"));
  EXPECT_EQ(h.Run({"EXISTS", "n"}), Int(0));

  EXPECT_EQ(h.Run({"RESTORE", "k", "0", p, "REPLACE"}), kOk);
  EXPECT_EQ(h.Run({"RESTORE", "i", "0", p, "IDLETIME", "100"}), kOk);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "i"}), Int(100));
  EXPECT_EQ(h.Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}), kOk);
  EXPECT_EQ(h.Run({"RESTORE", "f", "0", p, "FREQ", "77"}), kOk);
  EXPECT_EQ(h.Run({"OBJECT", "FREQ", "f"}), Int(77));
  EXPECT_EQ(h.Run({"CONFIG", "SET", "maxmemory-policy", "noeviction"}), kOk);
  EXPECT_EQ(h.Run({"RESTORE", "t", "5000", p}), kOk);
  EXPECT_EQ(h.Run({"PTTL", "t"}), Int(5000));
  EXPECT_EQ(h.Run({"RESTORE", "a", "4102444800000", p, "ABSTTL"}), kOk);
  EXPECT_EQ(h.Run({"PEXPIRETIME", "a"}), Int(4102444800000));
  // An absolute time in the past: the old value goes, nothing is stored.
  EXPECT_EQ(h.Run({"RESTORE", "k", "1", p, "ABSTTL", "REPLACE"}), kOk);
  EXPECT_EQ(h.Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(h.Run({"RESTORE", "e", "1", p, "ABSTTL"}), kOk);
  EXPECT_EQ(h.Run({"EXISTS", "e"}), Int(0));
}

}  // namespace
}  // namespace duet::testing
