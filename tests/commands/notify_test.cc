// Keyspace notifications: which commands publish which events on which
// channels, per notify-keyspace-events class. Event names and order checked
// against redis-server 7.0.15 (notify-keyspace-events KEAmn and subsets).

#include "tests/commands/peer_client.h"

namespace duet::testing {
namespace {

// A subscriber to every keyspace and keyevent channel, which decodes what it
// receives into "channel=message" lines.
class EventLog {
 public:
  explicit EventLog(Harness& h) : sub_(h) { sub_.Cmd("PSUBSCRIBE __key*__:*"); }

  // Events received since the last call, separated by spaces.
  std::string Take() {
    std::string raw = sub_.Take();
    std::string out;
    size_t pos = 0;
    // Each pmessage: *4 $8 pmessage $<n> pattern $<n> channel $<n> message.
    while (pos < raw.size()) {
      std::string fields[4];
      pos = raw.find("\r\n", pos) + 2;  // *4
      for (std::string& f : fields) {
        size_t eol = raw.find("\r\n", pos);
        size_t len = std::stoul(raw.substr(pos + 1, eol - pos - 1));
        f = raw.substr(eol + 2, len);
        pos = eol + 2 + len + 2;
      }
      if (!out.empty()) out += ' ';
      out += fields[2] + "=" + fields[3];
    }
    return out;
  }

 private:
  PeerClient sub_;
};

TEST(Notify, OffByDefault) {
  Harness h;
  EventLog log(h);
  h.Cmd("SET k v");
  h.Cmd("DEL k");
  EXPECT_EQ(log.Take(), "");
}

TEST(Notify, KeyspaceAndKeyeventChannels) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events KEA");
  h.Cmd("SET k v");
  EXPECT_EQ(log.Take(), "__keyspace@0__:k=set __keyevent@0__:set=k");
  h.Cmd("CONFIG SET notify-keyspace-events K$");
  h.Cmd("SELECT 5");
  h.Cmd("SET k v");
  EXPECT_EQ(log.Take(), "__keyspace@5__:k=set");
  h.Cmd("CONFIG SET notify-keyspace-events E$");
  h.Cmd("SET k v");
  EXPECT_EQ(log.Take(), "__keyevent@5__:set=k");
  // A class without K or E publishes nothing; K or E without the class neither.
  h.Cmd("CONFIG SET notify-keyspace-events A");
  h.Cmd("SET k v");
  h.Cmd("CONFIG SET notify-keyspace-events KEg");
  h.Cmd("SET k v");
  EXPECT_EQ(log.Take(), "");
}

TEST(Notify, StringCommands) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events E$g");
  h.Cmd("SET k v EX 100");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=k __keyevent@0__:expire=k");
  h.Cmd("SET k v NX");
  h.Cmd("SETNX k v");
  h.Cmd("SET nope v XX");
  EXPECT_EQ(log.Take(), "");
  h.Cmd("SETEX e 10 v");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=e __keyevent@0__:expire=e");
  h.Cmd("MSET a 1 b 2");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=a __keyevent@0__:set=b");
  h.Cmd("GETSET a x");
  h.Cmd("GETDEL a");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=a __keyevent@0__:del=a");
  h.Cmd("GETEX b EX 100");
  h.Cmd("GETEX b PERSIST");
  h.Cmd("GETEX b PERSIST");
  h.Cmd("GETEX b PXAT 1");
  EXPECT_EQ(log.Take(), "__keyevent@0__:expire=b __keyevent@0__:persist=b __keyevent@0__:del=b");
  h.Cmd("INCR i");
  h.Cmd("DECRBY i 2");
  h.Cmd("INCRBYFLOAT f 1.5");
  h.Cmd("APPEND s x");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:incrby=i __keyevent@0__:incrby=i __keyevent@0__:incrbyfloat=f "
            "__keyevent@0__:append=s");
  h.Cmd("SETRANGE s 0 y");
  h.Run({"SETRANGE", "s", "0", ""});
  h.Cmd("SETBIT bits 3 1");
  h.Cmd("SETBIT bits 3 1");  // no change, no event
  h.Cmd("BITFIELD bf SET u8 0 1");
  h.Cmd("BITFIELD bf GET u8 0");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:setrange=s __keyevent@0__:setbit=bits __keyevent@0__:setbit=bf");
  h.Cmd("BITOP AND dest bits bf");
  h.Cmd("BITOP AND dest nokey");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=dest __keyevent@0__:del=dest");
  h.Cmd("INCR s");  // fails: no event
  EXPECT_EQ(log.Take(), "");
}

TEST(Notify, KeyCommands) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events Eg");
  h.Cmd("MSET a 1 b 2 r 1 r3 1");
  h.Cmd("DEL a nokey");
  h.Cmd("UNLINK b");
  EXPECT_EQ(log.Take(), "__keyevent@0__:del=a __keyevent@0__:del=b");
  h.Cmd("RENAME r r2");
  EXPECT_EQ(log.Take(), "__keyevent@0__:rename_from=r __keyevent@0__:rename_to=r2");
  h.Cmd("RENAME r2 r2");
  h.Cmd("RENAMENX r2 r3");
  EXPECT_EQ(log.Take(), "");
  h.Cmd("EXPIRE r2 100");
  h.Cmd("EXPIRE r2 100 NX");
  h.Cmd("PERSIST r2");
  h.Cmd("PERSIST r2");
  h.Cmd("EXPIRE r2 -1");
  EXPECT_EQ(log.Take(), "__keyevent@0__:expire=r2 __keyevent@0__:persist=r2 __keyevent@0__:del=r2");
  h.Cmd("SET m 1");
  h.Cmd("MOVE m 1");
  EXPECT_EQ(log.Take(), "__keyevent@0__:move_from=m __keyevent@1__:move_to=m");
  h.Cmd("SET cp 1");
  h.Cmd("COPY cp cp2");
  h.Cmd("COPY cp m DB 1 REPLACE");
  EXPECT_EQ(log.Take(), "__keyevent@0__:copy_to=cp2 __keyevent@1__:copy_to=m");
  h.Cmd("FLUSHDB");
  h.Cmd("SWAPDB 0 1");
  h.Cmd("FLUSHALL");
  EXPECT_EQ(log.Take(), "");
}

TEST(Notify, ExpiredEventsLazyAndActive) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events Ex");
  h.Cmd("SET lazy 1 PX 50");
  h.Cmd("SET active 1 PX 50");
  h.AdvanceTime(100);
  EXPECT_EQ(h.Cmd("GET lazy"), kNil);
  EXPECT_EQ(log.Take(), "__keyevent@0__:expired=lazy");
  h.server().Cron();  // the active sweep
  EXPECT_EQ(log.Take(), "__keyevent@0__:expired=active");
  // Overwriting an expired key reports its expiry first.
  h.Cmd("SET k 1 PX 50");
  h.AdvanceTime(100);
  h.Cmd("SET k 2");
  EXPECT_EQ(log.Take(), "__keyevent@0__:expired=k");
}

TEST(Notify, NewKeyEvents) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events En$");
  EXPECT_EQ(h.Cmd("CONFIG GET notify-keyspace-events"),
            Arr({Bulk("notify-keyspace-events"), Bulk("$nE")}));
  h.Cmd("SET k 1");
  h.Cmd("SET k 2");
  EXPECT_EQ(log.Take(), "__keyevent@0__:new=k __keyevent@0__:set=k __keyevent@0__:set=k");
  h.Cmd("CONFIG SET notify-keyspace-events KEAn");
  h.Cmd("RENAME k r");
  EXPECT_EQ(log.Take(),
            "__keyspace@0__:r=new __keyevent@0__:new=r __keyspace@0__:k=rename_from "
            "__keyevent@0__:rename_from=k __keyspace@0__:r=rename_to __keyevent@0__:rename_to=r");
  h.Cmd("SET c 1");
  h.Cmd("COPY r c REPLACE");
  EXPECT_EQ(log.Take(),
            "__keyspace@0__:c=new __keyevent@0__:new=c __keyspace@0__:c=set "
            "__keyevent@0__:set=c __keyspace@0__:c=new __keyevent@0__:new=c "
            "__keyspace@0__:c=copy_to __keyevent@0__:copy_to=c");
  h.Cmd("CONFIG SET notify-keyspace-events KE$");
  h.Cmd("SET n 1");
  EXPECT_EQ(log.Take(), "__keyspace@0__:n=set __keyevent@0__:set=n");
}

TEST(Notify, KeyMissEvents) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events Em");
  h.Cmd("SET s x");
  h.Cmd("GET missing");
  h.Cmd("MGET missing s");
  h.Cmd("EXISTS missing");
  h.Cmd("TYPE missing");
  h.Cmd("TTL missing");
  h.Cmd("STRLEN missing");
  h.Cmd("GETRANGE missing 0 1");
  h.Cmd("GET s");
  const std::string miss = "__keyevent@0__:keymiss=missing";
  EXPECT_EQ(log.Take(),
            miss + " " + miss + " " + miss + " " + miss + " " + miss + " " + miss + " " + miss);
  h.Cmd("GETBIT missing 1");
  h.Cmd("BITCOUNT missing");
  h.Cmd("LCS missing s");
  h.Cmd("TOUCH missing");
  h.Cmd("COPY missing x");
  EXPECT_EQ(log.Take(), miss + " " + miss + " " + miss + " " + miss + " " + miss);
  // SET ... GET and GETSET read the old value first.
  h.Cmd("CONFIG SET notify-keyspace-events Em$");
  h.Cmd("SET missing 1 GET");
  EXPECT_EQ(log.Take(), miss + " __keyevent@0__:set=missing");
  h.Cmd("GETSET other 1");
  EXPECT_EQ(log.Take(), "__keyevent@0__:keymiss=other __keyevent@0__:set=other");
}

TEST(Notify, ListEvents) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events Elg");
  h.Cmd("LPUSH l a b c");
  h.Cmd("RPUSH l d");
  h.Cmd("LPUSHX nol x");
  h.Cmd("LINSERT l BEFORE a z");
  h.Cmd("LINSERT l BEFORE nothere z");
  h.Cmd("LSET l 0 q");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:lpush=l __keyevent@0__:rpush=l __keyevent@0__:linsert=l "
            "__keyevent@0__:lset=l");
  h.Cmd("LPOP l");
  h.Cmd("RPOP l 2");
  h.Cmd("LREM l 1 nothere");
  h.Cmd("LTRIM l 0 1");
  EXPECT_EQ(log.Take(), "__keyevent@0__:lpop=l __keyevent@0__:rpop=l __keyevent@0__:ltrim=l");
  h.Cmd("LMOVE l l2 LEFT RIGHT");
  h.Cmd("RPOPLPUSH l2 l3");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:rpush=l2 __keyevent@0__:lpop=l __keyevent@0__:lpush=l3 "
            "__keyevent@0__:rpop=l2 __keyevent@0__:del=l2");
  h.Cmd("LMPOP 1 l LEFT COUNT 5");
  h.Cmd("LPOP nol");
  EXPECT_EQ(log.Take(), "__keyevent@0__:lpop=l __keyevent@0__:del=l");
}

TEST(Notify, BlockedClientServedLater) {
  Harness h;
  EventLog log(h);
  PeerClient waiter(h);
  h.Cmd("CONFIG SET notify-keyspace-events Elg");
  waiter.Cmd("BLPOP q 0");
  h.Cmd("RPUSH q a");
  EXPECT_EQ(waiter.Take(), Arr({Bulk("q"), Bulk("a")}));
  EXPECT_EQ(log.Take(), "__keyevent@0__:rpush=q __keyevent@0__:lpop=q __keyevent@0__:del=q");
}

TEST(Notify, SetHashZsetSortEvents) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events KEA");
  h.Cmd("CONFIG SET notify-keyspace-events Eshzlg");
  h.Cmd("SADD s a b");
  h.Cmd("SADD s a");
  h.Cmd("SREM s nothere");
  h.Cmd("SADD s2 b");
  h.Cmd("SMOVE s s2 b");  // s2 has b already: no sadd
  h.Cmd("SMOVE s s2 a");  // empties s
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:sadd=s __keyevent@0__:sadd=s2 __keyevent@0__:srem=s "
            "__keyevent@0__:srem=s __keyevent@0__:del=s __keyevent@0__:sadd=s2");
  h.Cmd("SINTERSTORE d s2 s2");
  h.Cmd("SDIFFSTORE d s2 s2");
  h.Cmd("SPOP s2 5");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:sinterstore=d __keyevent@0__:del=d __keyevent@0__:spop=s2 "
            "__keyevent@0__:del=s2");
  h.Cmd("HSET h a 1");
  h.Cmd("HSET h a 1");
  h.Cmd("HSETNX h a 1");
  h.Cmd("HINCRBY h n 1");
  h.Cmd("HINCRBYFLOAT h f 1.5");
  h.Cmd("HDEL h a n f");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:hset=h __keyevent@0__:hset=h __keyevent@0__:hincrby=h "
            "__keyevent@0__:hincrbyfloat=h __keyevent@0__:hdel=h __keyevent@0__:del=h");
  h.Cmd("ZADD z 1 a 5 b");
  h.Cmd("ZADD z 1 a");
  h.Cmd("ZINCRBY z 1 a");
  h.Cmd("ZREMRANGEBYSCORE z 2 2");
  h.Cmd("ZPOPMAX z");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:zadd=z __keyevent@0__:zincr=z __keyevent@0__:zremrangebyscore=z "
            "__keyevent@0__:zpopmax=z __keyevent@0__:del=z");
  h.Cmd("ZADD z1 1 a");
  h.Cmd("ZUNIONSTORE zd 1 z1");
  h.Cmd("ZDIFFSTORE zd 2 z1 z1");
  h.Cmd("ZRANGESTORE zd z1 0 -1");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:zadd=z1 __keyevent@0__:zunionstore=zd __keyevent@0__:del=zd "
            "__keyevent@0__:zrangestore=zd");
  h.Cmd("RPUSH sl 3 1 2");
  h.Cmd("SORT sl STORE sd");
  h.Cmd("SORT nol STORE sd");
  EXPECT_EQ(log.Take(),
            "__keyevent@0__:rpush=sl __keyevent@0__:sortstore=sd __keyevent@0__:del=sd");
}

TEST(Notify, CollectionKeyMisses) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events Em");
  h.Cmd("SADD s1 a");
  for (const char* cmd : {"LRANGE no 0 -1", "LLEN no", "SMEMBERS no", "SINTER s1 no", "HGET no a",
                          "ZSCORE no a", "ZUNION 2 s1 no", "SORT no", "LPOP no"}) {
    h.Cmd(cmd);
  }
  const std::string miss = "__keyevent@0__:keymiss=no";
  // LPOP's lookup is a write lookup: no keymiss.
  EXPECT_EQ(log.Take(), miss + " " + miss + " " + miss + " " + miss + " " + miss + " " + miss +
                            " " + miss + " " + miss);
}

TEST(Notify, EventsInsideExec) {
  Harness h;
  EventLog log(h);
  h.Cmd("CONFIG SET notify-keyspace-events E$");
  h.Cmd("MULTI");
  h.Cmd("SET a 1");
  h.Cmd("SET b 2");
  EXPECT_EQ(log.Take(), "");  // queued, not run
  h.Cmd("EXEC");
  EXPECT_EQ(log.Take(), "__keyevent@0__:set=a __keyevent@0__:set=b");
}

}  // namespace
}  // namespace duet::testing
