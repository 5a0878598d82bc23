// The AOF on an in-memory file system that models a power loss
// (MemFileSystem): a write whose reply left is on disk under `appendfsync
// always` whatever operation the crash interrupts; `no` loses it (the control
// showing the model catches a missing sync); `everysec` loses at most about
// a second of writes. Also: propagation forms, start-up loading of torn and
// damaged files.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/aof_record.h"
#include "persistence/file.h"
#include "server/aof.h"
#include "server/client.h"
#include "server/server.h"

namespace duet {
namespace {

ServerConfig AofConfig(int fsync) {
  ServerConfig c;
  c.save = "";
  c.appendonly = true;
  c.appendfsync = fsync;
  c.auto_aof_rewrite_percentage = 0;
  return c;
}

// A server whose AOF lives in `fs`, loaded as at start-up.
class AofServer {
 public:
  AofServer(MemFileSystem& fs, int fsync) : server_(AofConfig(fsync)) {
    EXPECT_TRUE(server_.Init().ok());
    server_.UseAofFileSystemForTesting(fs);
    server_.aof().set_fatal_handler([this](const std::string&) { fatal_ = true; });
    load_status_ = server_.aof().LoadAtStartup(nullptr);
    client_.id = server_.NextClientId();
    server_.AddClient(&client_);
  }
  ~AofServer() { server_.RemoveClient(&client_); }

  // Runs a command; true when its reply would leave (the AOF flush before
  // replies did not hit a fatal error).
  bool Run(const std::vector<std::string_view>& args) {
    if (fatal_) return false;
    server_.RefreshClock();
    server_.Dispatch(client_, args);
    client_.replies.Clear();
    server_.aof().FlushBeforeReplies();
    return !fatal_;
  }
  std::string Get(std::string_view key) { return Reply({"GET", key}); }
  std::string Reply(const std::vector<std::string_view>& args) {
    server_.RefreshClock();
    server_.Dispatch(client_, args);
    std::string out;
    struct iovec iov[8];
    int n = client_.replies.FillIov(iov, 8);
    for (int i = 0; i < n; ++i) out.append(static_cast<char*>(iov[i].iov_base), iov[i].iov_len);
    client_.replies.Clear();
    return out;
  }
  int64_t Counter(std::string_view key) {
    std::string r = Get(key);
    if (r == "$-1\r\n") return 0;
    size_t body = r.find("\r\n") + 2;
    return std::stoll(r.substr(body, r.size() - body - 2));
  }

  Server& server() { return server_; }
  const Status& load_status() const { return load_status_; }
  bool fatal() const { return fatal_; }

 private:
  Server server_;
  Client client_;
  Status load_status_;
  bool fatal_ = false;
};

TEST(AofDurabilityTest, AlwaysKeepsEveryAcknowledgedWriteAtAnyCrashPoint) {
  constexpr int kWrites = 12;
  for (size_t crash_at = 0; crash_at < 60; ++crash_at) {
    MemFileSystem fs;
    int acked = 0;
    {
      AofServer s(fs, kAppendFsyncAlways);
      ASSERT_TRUE(s.load_status().ok()) << s.load_status().message();
      fs.CrashAfter(crash_at);
      for (int i = 0; i < kWrites; ++i) {
        if (!s.Run({"INCR", "n"})) break;
        acked = i + 1;
      }
    }
    fs.Reboot();
    AofServer after(fs, kAppendFsyncAlways);
    ASSERT_TRUE(after.load_status().ok()) << crash_at << ": " << after.load_status().message();
    const int64_t n = after.Counter("n");
    EXPECT_GE(n, acked) << "crash after " << crash_at << " operations";
    EXPECT_LE(n, acked + 1) << "at most the one unacknowledged write may survive";
  }
}

TEST(AofDurabilityTest, WithoutSyncsAcknowledgedWritesAreLost) {
  // The control: the same workload under `no` loses writes in a power cut,
  // so the test above would catch a missing sync.
  MemFileSystem fs;
  {
    AofServer s(fs, kAppendFsyncNo);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(s.Run({"INCR", "n"}));
    fs.CrashAfter(0);
  }
  fs.Reboot();
  AofServer after(fs, kAppendFsyncNo);
  ASSERT_TRUE(after.load_status().ok());
  EXPECT_LT(after.Counter("n"), 10);
}

TEST(AofDurabilityTest, EverysecLosesAtMostAboutOneSecond) {
  MemFileSystem fs;
  int acked = 0;
  {
    AofServer s(fs, kAppendFsyncEverysec);
    for (int i = 0; i < 40; ++i) {
      s.server().AdvanceTimeForTesting(100);  // 10 writes a second
      ASSERT_TRUE(s.Run({"INCR", "n"}));
      acked = i + 1;
    }
    fs.CrashAfter(0);
  }
  fs.Reboot();
  AofServer after(fs, kAppendFsyncEverysec);
  const int64_t n = after.Counter("n");
  EXPECT_LE(n, acked);
  EXPECT_GE(n, acked - 11);  // a second of writes plus the one in flight
}

TEST(AofDurabilityTest, CrashDuringRewriteLosesNothing) {
  MemFileSystem fs;
  {
    AofServer s(fs, kAppendFsyncAlways);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.Run({"INCR", "n"}));
    // The child writes the new base into its own copy of this in-memory file
    // system, so from here on the parent sees a rewrite that never finishes:
    // a crash at any time after the switch to the new incr file.
    ASSERT_EQ(s.server().aof().Rewrite(), Aof::RewriteResult::kStarted);
    EXPECT_EQ(s.server().aof().manifest().incrs.size(), 2u);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.Run({"INCR", "n"}));
    s.server().aof().KillChild();
    fs.CrashAfter(0);
  }
  fs.Reboot();
  AofServer after(fs, kAppendFsyncAlways);
  ASSERT_TRUE(after.load_status().ok()) << after.load_status().message();
  EXPECT_EQ(after.Counter("n"), 10);
}

TEST(AofDurabilityTest, EverysecWriteErrorRefusesWritesWithMisconf) {
  MemFileSystem fs;
  AofServer s(fs, kAppendFsyncEverysec);
  ASSERT_TRUE(s.Run({"SET", "a", "1"}));
  fs.CrashAfter(0);                       // the disk stops taking writes
  ASSERT_TRUE(s.Run({"SET", "b", "2"}));  // not fatal under everysec...
  EXPECT_TRUE(s.server().aof().WritesDenied());
  EXPECT_EQ(s.server().aof().WriteErrorReply(),
            "MISCONF Errors writing to the AOF file: simulated power loss");
  EXPECT_FALSE(s.fatal());
  // ...but the next write is refused, and the unwritten record is kept.
  EXPECT_NE(s.server().aof().buffer().find("$1\r\nb\r\n"), std::string::npos);
  EXPECT_EQ(s.Reply({"SET", "c", "3"}),
            "-MISCONF Errors writing to the AOF file: simulated power loss\r\n");
  EXPECT_EQ(s.Get("a"), "$1\r\n1\r\n");
}

std::string Aof1(std::initializer_list<std::initializer_list<std::string_view>> cmds) {
  std::string out;
  for (auto c : cmds) AppendAofRecord(out, c);
  return out;
}

void PutAof(MemFileSystem& fs, const std::string& incr) {
  fs.Put("appendonlydir/appendonly.aof.manifest",
         "file appendonly.aof.1.base.aof seq 1 type b\n"
         "file appendonly.aof.1.incr.aof seq 1 type i\n");
  fs.Put("appendonlydir/appendonly.aof.1.base.aof", Aof1({{"SET", "base", "1"}}));
  fs.Put("appendonlydir/appendonly.aof.1.incr.aof", incr);
}

TEST(AofLoadTest, TornTailIsDroppedAndCut) {
  MemFileSystem fs;
  std::string incr = Aof1({{"SET", "a", "1"}, {"SET", "b", "2"}});
  const size_t good = Aof1({{"SET", "a", "1"}}).size();
  PutAof(fs, incr.substr(0, incr.size() - 3));
  AofServer s(fs, kAppendFsyncAlways);
  ASSERT_TRUE(s.load_status().ok()) << s.load_status().message();
  EXPECT_EQ(s.Get("base"), "$1\r\n1\r\n");
  EXPECT_EQ(s.Get("a"), "$1\r\n1\r\n");
  EXPECT_EQ(s.Get("b"), "$-1\r\n");
  std::string now;
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &now));
  EXPECT_EQ(now.size(), good);
}

TEST(AofLoadTest, TornTailIsRefusedWithoutAofLoadTruncated) {
  MemFileSystem fs;
  std::string incr = Aof1({{"SET", "a", "1"}});
  PutAof(fs, incr.substr(0, incr.size() - 1));
  ServerConfig c = AofConfig(kAppendFsyncAlways);
  c.aof_load_truncated = false;
  Server server(c);
  ASSERT_TRUE(server.Init().ok());
  server.UseAofFileSystemForTesting(fs);
  Status s = server.aof().LoadAtStartup(nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Unexpected end of file reading the append only file "
                             "appendonly.aof.1.incr.aof"),
            std::string::npos)
      << s.message();
}

TEST(AofLoadTest, DamageInTheMiddleNamesFileAndOffset) {
  MemFileSystem fs;
  std::string first = Aof1({{"SET", "a", "1"}});
  PutAof(fs, first + "*1\r\n?bad\r\n" + Aof1({{"SET", "b", "2"}}));
  Server server(AofConfig(kAppendFsyncAlways));
  ASSERT_TRUE(server.Init().ok());
  server.UseAofFileSystemForTesting(fs);
  Status s = server.aof().LoadAtStartup(nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(
      s.message().find("appendonly.aof.1.incr.aof at offset " + std::to_string(first.size() + 4)),
      std::string::npos)
      << s.message();
}

TEST(AofLoadTest, IncompleteTransactionAtTheEndIsReverted) {
  MemFileSystem fs;
  std::string keep = Aof1({{"SET", "a", "1"}});
  PutAof(fs, keep + Aof1({{"MULTI"}, {"SET", "x", "1"}, {"SET", "y", "1"}}));
  AofServer s(fs, kAppendFsyncAlways);
  ASSERT_TRUE(s.load_status().ok()) << s.load_status().message();
  EXPECT_EQ(s.Get("x"), "$-1\r\n");
  std::string now;
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &now));
  EXPECT_EQ(now, keep);
}

TEST(AofPropagationTest, DeterministicFormsAndTransactions) {
  MemFileSystem fs;
  AofServer s(fs, kAppendFsyncAlways);
  ASSERT_TRUE(s.load_status().ok());
  std::string incr;
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &incr));
  ASSERT_EQ(incr, "");
  const int64_t now = s.server().NowMs();
  s.Run({"SET", "k", "v", "EX", "100"});
  s.Run({"INCRBYFLOAT", "f", "1.5"});
  s.Run({"SADD", "s", "m"});
  s.Run({"SPOP", "s"});
  s.Run({"GET", "k"});        // a read: not logged
  s.Run({"DEL", "missing"});  // changed nothing: not logged
  s.Run({"MULTI"});
  s.Run({"SET", "t", "1"});
  s.Run({"EXEC"});
  s.Run({"MULTI"});
  s.Run({"GET", "t"});
  s.Run({"EXEC"});  // nothing written: no MULTI/EXEC
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &incr));
  std::string want;
  AppendAofSelect(want, 0);
  // The deadline is absolute: now + 100 s, give or take the clock's tick.
  size_t pxat = incr.find("PXAT\r\n$13\r\n");
  ASSERT_NE(pxat, std::string::npos) << incr;
  const int64_t at = std::stoll(incr.substr(pxat + 11, 13));
  EXPECT_GE(at, now + 100000);
  EXPECT_LE(at, now + 101000);
  const std::string at_text = std::to_string(at);
  AppendAofRecord(want, {"SET", "k", "v", "PXAT", at_text});
  AppendAofRecord(want, {"SET", "f", "1.5", "KEEPTTL"});
  AppendAofRecord(want, {"SADD", "s", "m"});
  AppendAofRecord(want, {"SREM", "s", "m"});
  AppendAofRecord(want, {"MULTI"});
  AppendAofRecord(want, {"SET", "t", "1"});
  AppendAofRecord(want, {"EXEC"});
  EXPECT_EQ(incr, want);
}

TEST(AofPropagationTest, ExpiredKeysAreLoggedAsDel) {
  MemFileSystem fs;
  AofServer s(fs, kAppendFsyncAlways);
  s.Run({"SET", "k", "v", "PX", "50"});
  s.server().AdvanceTimeForTesting(100);
  s.Run({"SELECT", "2"});
  s.server().set_active_expire_enabled(false);
  std::string before;
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &before));
  s.Run({"SELECT", "0"});
  s.Run({"GET", "k"});  // lazy expiry
  std::string after;
  ASSERT_TRUE(fs.Get("appendonlydir/appendonly.aof.1.incr.aof", &after));
  EXPECT_EQ(after.substr(before.size()), Aof1({{"DEL", "k"}}));
}

}  // namespace
}  // namespace duet
