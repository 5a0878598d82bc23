// MULTI / EXEC / DISCARD / WATCH / UNWATCH through the real dispatcher. Every
// expected reply, and every "touched or not" verdict below, was checked
// against redis-server 7.0.15.

#include "tests/commands/peer_client.h"

namespace duet::testing {
namespace {

const std::string kQueued = "+QUEUED\r\n";
const std::string kNullArray = "*-1\r\n";
const std::string kExecAbort = Err("EXECABORT Transaction discarded because of previous errors.");

TEST(Multi, QueuesAndRunsInOrder) {
  Harness h;
  EXPECT_EQ(h.Cmd("MULTI"), kOk);
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("INCR a"), kQueued);
  EXPECT_EQ(h.Cmd("GET a"), kQueued);
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kOk, Int(2), Bulk("2")}));
  // Out of MULTI again.
  EXPECT_EQ(h.Cmd("GET a"), Bulk("2"));
  EXPECT_EQ(h.Cmd("EXEC"), Err("ERR EXEC without MULTI"));
}

TEST(Multi, EmptyTransaction) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("EXEC"), "*0\r\n");
}

TEST(Multi, ErrorsOutsideMulti) {
  Harness h;
  EXPECT_EQ(h.Cmd("EXEC"), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(h.Cmd("DISCARD"), Err("ERR DISCARD without MULTI"));
}

// Found by tests/integration/test_hostile.py (wrong arity everywhere): a
// refused EXEC answers EXECABORT with the reason, and ends the transaction.
TEST(Multi, RefusedExecAbortsWithTheReason) {
  Harness h;
  const std::string arity =
      Err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
          "command");
  EXPECT_EQ(h.Cmd("EXEC x"), arity);
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("EXEC x"), arity);
  EXPECT_EQ(h.Cmd("EXEC"), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(h.Cmd("GET a"), "$-1\r\n");
}

// An EXEC the user may not run is refused like any refused EXEC (checked
// against redis-server 7.0.15): EXECABORT with the NOPERM text, and the
// transaction is gone, so the next command runs at once.
TEST(Multi, ExecRefusedByAclAbortsTheTransaction) {
  Harness h;
  EXPECT_EQ(h.Cmd("ACL SETUSER u on nopass ~* +@all -exec"), kOk);
  EXPECT_EQ(h.Cmd("AUTH u x"), kOk);
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("EXEC"), Err("EXECABORT Transaction discarded because of: NOPERM this user "
                               "has no permissions to run the 'exec' command"));
  EXPECT_EQ(h.Cmd("GET a"), kNil);
  EXPECT_EQ(h.Cmd("DISCARD"), Err("ERR DISCARD without MULTI"));
}

TEST(Multi, NestedMultiIsAnErrorButNotFatal) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("MULTI"), Err("ERR MULTI calls can not be nested"));
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kOk}));
}

TEST(Multi, QueueTimeErrorsAbortTheTransaction) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("FOO"), Err("ERR unknown command 'FOO', with args beginning with: "));
  EXPECT_EQ(h.Cmd("SET a"), Err("ERR wrong number of arguments for 'set' command"));
  EXPECT_EQ(h.Cmd("EXEC"), kExecAbort);
  EXPECT_EQ(h.Cmd("GET a"), kNil);  // nothing ran
  EXPECT_EQ(h.Cmd("EXEC"), Err("ERR EXEC without MULTI"));
}

TEST(Multi, NoMultiCommandsAreRefused) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("SHUTDOWN"), Err("ERR Command not allowed inside a transaction"));
  EXPECT_EQ(h.Cmd("SET a 1"), kQueued);
  EXPECT_EQ(h.Cmd("EXEC"), kExecAbort);
}

TEST(Multi, RuntimeErrorsDoNotRollBack) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("SET a x");
  h.Cmd("INCR a");
  h.Cmd("SET b 2");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kOk, Err("ERR value is not an integer or out of range"), kOk}));
  EXPECT_EQ(h.Cmd("GET a"), Bulk("x"));
  EXPECT_EQ(h.Cmd("GET b"), Bulk("2"));
}

TEST(Multi, DiscardDropsTheQueue) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("SET a 1");
  EXPECT_EQ(h.Cmd("DISCARD"), kOk);
  EXPECT_EQ(h.Cmd("GET a"), kNil);
  EXPECT_EQ(h.Cmd("DISCARD"), Err("ERR DISCARD without MULTI"));
}

TEST(Multi, SelectInsideTheTransactionAppliesToLaterCommands) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("SELECT 3");
  h.Cmd("SET a 1");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kOk, kOk}));
  EXPECT_EQ(h.Cmd("GET a"), Bulk("1"));  // still in db 3
  h.Cmd("SELECT 0");
  EXPECT_EQ(h.Cmd("GET a"), kNil);
}

TEST(Multi, ResetLeavesTheTransaction) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("SET a 1");
  EXPECT_EQ(h.Cmd("RESET"), "+RESET\r\n");
  EXPECT_EQ(h.Cmd("EXEC"), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(h.Cmd("GET a"), kNil);
}

TEST(Multi, ClientListShowsTheTransaction) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("SET a 1");
  h.Cmd("SET b 1");
  PeerClient other(h);
  std::string list = other.Cmd("CLIENT LIST");
  EXPECT_NE(list.find("flags=x db=0 sub=0 psub=0 ssub=0 multi=2 "), std::string::npos) << list;
  EXPECT_NE(list.find("flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "), std::string::npos) << list;
}

TEST(Multi, Resp3NullForATouchedKey) {
  Harness h;
  h.Cmd("HELLO 3");
  h.Cmd("WATCH k");
  h.Cmd("SET k 1");
  h.Cmd("MULTI");
  h.Cmd("PING");
  EXPECT_EQ(h.Cmd("EXEC"), "_\r\n");
}

TEST(Multi, ExecAbortWinsOverATouchedKey) {
  Harness h;
  h.Cmd("WATCH k");
  h.Cmd("SET k 1");
  h.Cmd("MULTI");
  h.Cmd("NOPE");
  EXPECT_EQ(h.Cmd("EXEC"), kExecAbort);
}

TEST(Multi, ClientPauseWriteHoldsAnExecThatWrites) {
  Harness h;
  Server& s = h.server();
  const Command* exec = s.commands().Find("exec");
  ASSERT_NE(exec, nullptr);
  h.Cmd("MULTI");
  h.Cmd("GET a");
  int64_t now = s.NowMs();
  s.PauseClients(now + 100000, /*writes_only=*/true);
  EXPECT_FALSE(s.IsPaused(*exec, now, &h.client()));
  s.UnpauseClients();
  h.Cmd("SET a 1");  // queued: the transaction now writes
  s.PauseClients(now + 100000, /*writes_only=*/true);
  EXPECT_TRUE(s.IsPaused(*exec, now, &h.client()));
  EXPECT_FALSE(s.IsPaused(*exec, now));
  s.UnpauseClients();
}

TEST(Multi, BlockingCommandsDoNotBlockInsideExec) {
  Harness h;
  h.Cmd("MULTI");
  h.Cmd("BLPOP nolist 0");
  h.Cmd("BLMOVE nolist other LEFT RIGHT 0");
  h.Cmd("BZPOPMIN nozset 0");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kNullArray, kNil, kNullArray}));
  EXPECT_FALSE(h.client().blocked);
  EXPECT_FALSE(h.client().deny_blocking);
}

TEST(Multi, BlockedClientsWakeAfterTheWholeExec) {
  Harness h;
  PeerClient waiter(h);
  EXPECT_EQ(waiter.Cmd("BLPOP q 0"), "");
  EXPECT_TRUE(waiter.client().blocked);
  h.Cmd("MULTI");
  h.Cmd("RPUSH q a b");
  h.Cmd("LPOP q");  // the waiter must not get "a": it wakes after EXEC
  EXPECT_EQ(h.Cmd("EXEC"), Arr({Int(2), Bulk("a")}));
  EXPECT_EQ(waiter.Take(), Arr({Bulk("q"), Bulk("b")}));
}

// --- WATCH -------------------------------------------------------------------

// Runs WATCH k as `h`'s client after `setup`, then `touch`, then a one-command
// transaction; returns whether EXEC ran (false = null reply).
template <typename Setup, typename Touch>
bool ExecRuns(Setup setup, Touch touch) {
  Harness h;
  PeerClient other(h);
  setup(h, other);
  EXPECT_EQ(h.Cmd("WATCH k"), kOk);
  touch(h, other);
  h.Cmd("MULTI");
  h.Cmd("PING");
  std::string r = h.Cmd("EXEC");
  EXPECT_TRUE(r == kNullArray || r == Arr({"+PONG\r\n"})) << r;
  return r != kNullArray;
}

auto Nothing = [](Harness&, PeerClient&) {};

TEST(Watch, UntouchedKeysLetExecRun) {
  EXPECT_TRUE(ExecRuns(Nothing, Nothing));
  EXPECT_TRUE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1"); },
                       [](Harness&, PeerClient& o) { o.Cmd("GET k"); }));
}

TEST(Watch, WritesByAnyClientTouch) {
  auto set_k = [](Harness& h, PeerClient&) { h.Cmd("SET k 1"); };
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("SET k 1"); }));
  EXPECT_FALSE(ExecRuns(set_k, [](Harness& h, PeerClient&) { h.Cmd("SET k 2"); }));  // own write
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("EXPIRE k 100"); }));
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Run({"APPEND", "k", ""}); }));
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("DEL k"); }));
  EXPECT_FALSE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("SET k 1"); }));
}

TEST(Watch, NoOpCommandsDoNotTouch) {
  auto set_k = [](Harness& h, PeerClient&) { h.Cmd("SET k 1"); };
  EXPECT_TRUE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("PERSIST k"); }));
  EXPECT_TRUE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("SETNX k 2"); }));
  EXPECT_TRUE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("TOUCH k"); }));
  EXPECT_TRUE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("RENAME k k"); }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("DEL k"); }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("SET k 2 XX"); }));
}

TEST(Watch, AbsentKeyCreatedAndDeletedAgainIsTouched) {
  EXPECT_FALSE(ExecRuns(Nothing, [](Harness&, PeerClient& o) {
    o.Cmd("SET k 1");
    o.Cmd("DEL k");
  }));
  // The same key name in another database is another key.
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) {
    o.Cmd("SELECT 1");
    o.Cmd("SET k 1");
  }));
}

TEST(Watch, ExpiryCountsAsATouch) {
  // Expires between WATCH and EXEC, whether or not it was deleted yet.
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1 PX 50"); },
                        [](Harness& h, PeerClient&) { h.AdvanceTime(100); }));
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1 PX 50"); },
                        [](Harness& h, PeerClient& o) {
                          h.AdvanceTime(100);
                          o.Cmd("GET k");
                        }));
}

TEST(Watch, KeyAlreadyExpiredAtWatchIsAbsent) {
  auto expired = [](Harness& h, PeerClient&) {
    h.Cmd("SET k 1 PX 50");
    h.AdvanceTime(100);
  };
  EXPECT_TRUE(ExecRuns(expired, Nothing));
  EXPECT_TRUE(ExecRuns(expired, [](Harness&, PeerClient& o) { o.Cmd("GET k"); }));
  EXPECT_TRUE(ExecRuns(expired, [](Harness&, PeerClient& o) { o.Cmd("FLUSHDB"); }));
  EXPECT_FALSE(ExecRuns(expired, [](Harness&, PeerClient& o) { o.Cmd("SET k 2"); }));
}

TEST(Watch, FlushTouchesOnlyExistingKeys) {
  auto set_k = [](Harness& h, PeerClient&) { h.Cmd("SET k 1"); };
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("FLUSHDB"); }));
  EXPECT_FALSE(ExecRuns(set_k, [](Harness&, PeerClient& o) { o.Cmd("FLUSHALL"); }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("FLUSHDB"); }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("FLUSHALL"); }));
  EXPECT_TRUE(ExecRuns(set_k, [](Harness&, PeerClient& o) {
    o.Cmd("SELECT 1");
    o.Cmd("FLUSHDB");
  }));
}

TEST(Watch, SwapDb) {
  auto k_in_db1 = [](Harness&, PeerClient& o) {
    o.Cmd("SELECT 1");
    o.Cmd("SET k 1");
    o.Cmd("SELECT 0");
  };
  EXPECT_FALSE(ExecRuns(k_in_db1, [](Harness&, PeerClient& o) { o.Cmd("SWAPDB 0 1"); }));
  // Swapped in, then deleted again before EXEC: still touched.
  EXPECT_FALSE(ExecRuns(k_in_db1, [](Harness&, PeerClient& o) {
    o.Cmd("SWAPDB 0 1");
    o.Cmd("DEL k");
  }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness&, PeerClient& o) { o.Cmd("SWAPDB 0 1"); }));
  EXPECT_TRUE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1"); },
                       [](Harness&, PeerClient& o) { o.Cmd("SWAPDB 2 3"); }));
  // An expired key swapped in is still absent.
  EXPECT_TRUE(ExecRuns(
      [](Harness& h, PeerClient& o) {
        o.Cmd("SELECT 1");
        o.Cmd("SET k 1 PX 50");
        o.Cmd("SELECT 0");
        h.AdvanceTime(100);
      },
      [](Harness&, PeerClient& o) { o.Cmd("SWAPDB 0 1"); }));
}

TEST(Watch, RenameMoveCopy) {
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1"); },
                        [](Harness&, PeerClient& o) { o.Cmd("RENAME k z"); }));
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET z 1"); },
                        [](Harness&, PeerClient& o) { o.Cmd("RENAME z k"); }));
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1"); },
                        [](Harness&, PeerClient& o) { o.Cmd("MOVE k 1"); }));
  EXPECT_FALSE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET z 1"); },
                        [](Harness&, PeerClient& o) { o.Cmd("COPY z k"); }));
}

TEST(Watch, CollectionWrites) {
  auto list = [](Harness& h, PeerClient&) { h.Cmd("RPUSH k a b"); };
  auto set = [](Harness& h, PeerClient&) { h.Cmd("SADD k a b"); };
  auto hash = [](Harness& h, PeerClient&) { h.Cmd("HSET k a 1"); };
  auto zset = [](Harness& h, PeerClient&) { h.Cmd("ZADD k 1 a 2 b"); };
  EXPECT_FALSE(ExecRuns(list, [](Harness&, PeerClient& o) { o.Cmd("LPOP k"); }));
  EXPECT_FALSE(ExecRuns(list, [](Harness&, PeerClient& o) { o.Cmd("LTRIM k 0 -1"); }));
  EXPECT_TRUE(ExecRuns(list, [](Harness&, PeerClient& o) { o.Cmd("LREM k 0 zz"); }));
  EXPECT_FALSE(ExecRuns(list, [](Harness&, PeerClient& o) { o.Cmd("BLPOP k 0"); }));
  EXPECT_FALSE(ExecRuns(set, [](Harness&, PeerClient& o) { o.Cmd("SADD k c"); }));
  EXPECT_TRUE(ExecRuns(set, [](Harness&, PeerClient& o) { o.Cmd("SADD k a"); }));
  EXPECT_FALSE(ExecRuns(hash, [](Harness&, PeerClient& o) { o.Cmd("HSET k a 1"); }));
  EXPECT_TRUE(ExecRuns(hash, [](Harness&, PeerClient& o) { o.Cmd("HSETNX k a 2"); }));
  EXPECT_TRUE(ExecRuns(zset, [](Harness&, PeerClient& o) { o.Cmd("ZADD k 1 a"); }));
  EXPECT_FALSE(ExecRuns(zset, [](Harness&, PeerClient& o) { o.Cmd("ZADD k 3 a"); }));
  EXPECT_FALSE(ExecRuns(Nothing, [](Harness&, PeerClient& o) {
    o.Cmd("RPUSH l 1");
    o.Cmd("SORT l STORE k");
  }));
}

TEST(Watch, WatchIsPerDatabaseOfTheWatch) {
  // WATCH in db 0, then the watcher selects db 1: a write to db 0 still touches.
  EXPECT_FALSE(ExecRuns(Nothing, [](Harness& h, PeerClient& o) {
    h.Cmd("SELECT 1");
    o.Cmd("SET k 1");
  }));
}

TEST(Watch, UnwatchForgets) {
  EXPECT_TRUE(ExecRuns([](Harness& h, PeerClient&) { h.Cmd("SET k 1"); },
                       [](Harness& h, PeerClient& o) {
                         EXPECT_EQ(h.Cmd("UNWATCH"), kOk);
                         o.Cmd("SET k 2");
                       }));
  EXPECT_TRUE(ExecRuns(Nothing, [](Harness& h, PeerClient& o) {
    o.Cmd("SET k 1");  // marks the watcher dirty at once (absent key created)
    h.Cmd("UNWATCH");  // ...and UNWATCH clears that too
  }));
}

TEST(Watch, InsideMultiIsAnErrorThatDoesNotAbort) {
  Harness h;
  h.Cmd("MULTI");
  EXPECT_EQ(h.Cmd("WATCH k"), Err("ERR WATCH inside MULTI is not allowed"));
  h.Cmd("SET k 1");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kOk}));
}

TEST(Watch, ExecAndDiscardEndTheWatch) {
  Harness h;
  PeerClient o(h);
  h.Cmd("WATCH k");
  h.Cmd("MULTI");
  h.Cmd("GET k");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({kNil}));
  o.Cmd("SET k 1");
  h.Cmd("MULTI");
  h.Cmd("GET k");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({Bulk("1")}));  // no longer watched

  h.Cmd("WATCH k");
  h.Cmd("MULTI");
  h.Cmd("DISCARD");
  o.Cmd("SET k 2");
  h.Cmd("MULTI");
  h.Cmd("GET k");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({Bulk("2")}));
}

TEST(Watch, TouchedTransactionIsDiscardedAndUnwatched) {
  Harness h;
  PeerClient o(h);
  h.Cmd("WATCH k");
  o.Cmd("SET k 1");
  h.Cmd("MULTI");
  h.Cmd("SET x 1");
  EXPECT_EQ(h.Cmd("EXEC"), kNullArray);
  EXPECT_EQ(h.Cmd("GET x"), kNil);
  h.Cmd("MULTI");
  h.Cmd("GET k");
  EXPECT_EQ(h.Cmd("EXEC"), Arr({Bulk("1")}));
}

TEST(Watch, DisconnectReleasesWatches) {
  Harness h;
  {
    PeerClient o(h);
    o.Cmd("WATCH a b");
    o.Cmd("WATCH c");
    EXPECT_EQ(h.server().watches().absent_watch_count(), 3u);
  }
  EXPECT_EQ(h.server().watches().absent_watch_count(), 0u);
  h.Cmd("SET a 1");  // no watcher left to mark
}

}  // namespace
}  // namespace duet::testing
