// String commands through the real dispatcher. Expected replies were checked
// against redis-server 7.0.15.
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

TEST(StringCommands, SetGet) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "foo", "bar"}), kOk);
  EXPECT_EQ(h.Run({"GET", "foo"}), Bulk("bar"));
  EXPECT_EQ(h.Run({"GET", "nope"}), kNil);
  EXPECT_EQ(h.Run({"SET", "bin", std::string_view("a\0\r\nb", 5)}), kOk);
  EXPECT_EQ(h.Run({"GET", "bin"}), Bulk(std::string_view("a\0\r\nb", 5)));
  EXPECT_EQ(h.Run({"SET", "empty", ""}), kOk);
  EXPECT_EQ(h.Run({"GET", "empty"}), "$0\r\n\r\n");
}

TEST(StringCommands, SetOptions) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "k", "v", "NX"}), kOk);
  EXPECT_EQ(h.Run({"SET", "k", "w", "NX"}), kNil);
  EXPECT_EQ(h.Run({"SET", "k", "w", "XX"}), kOk);
  EXPECT_EQ(h.Run({"SET", "other", "w", "XX"}), kNil);
  EXPECT_EQ(h.Run({"SET", "k", "x", "GET"}), Bulk("w"));
  EXPECT_EQ(h.Run({"SET", "new", "x", "GET"}), kNil);
  EXPECT_EQ(h.Run({"SET", "k", "y", "NX", "GET"}), Bulk("x"));
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("x"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "NX", "XX"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "10", "PX", "100"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "KEEPTTL", "EX", "10"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "0"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "-5"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "abc"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "9223372036854775807"}),
            Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "BOGUS"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"SET", "k", "v", "ex", "100"}), kOk);
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(100));
  EXPECT_EQ(h.Run({"SET", "k", "v2", "KEEPTTL"}), kOk);
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(100));
  EXPECT_EQ(h.Run({"SET", "k", "v3"}), kOk);
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(-1));
}

TEST(StringCommands, ExpiryIsNeverServed) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "k", "v", "PX", "100"}), kOk);
  h.AdvanceTime(99);
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v"));
  h.AdvanceTime(1);
  EXPECT_EQ(h.Run({"GET", "k"}), kNil);
  EXPECT_EQ(h.Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
}

TEST(StringCommands, SetExAndFriends) {
  Harness h;
  EXPECT_EQ(h.Run({"SETEX", "k", "10", "v"}), kOk);
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(10));
  EXPECT_EQ(h.Run({"SETEX", "k", "0", "v"}), Err("ERR invalid expire time in 'setex' command"));
  EXPECT_EQ(h.Run({"PSETEX", "p", "1500", "v"}), kOk);
  EXPECT_EQ(h.Run({"PTTL", "p"}), Int(1500));
  EXPECT_EQ(h.Run({"SETNX", "p", "x"}), Int(0));
  EXPECT_EQ(h.Run({"SETNX", "q", "x"}), Int(1));
  EXPECT_EQ(h.Run({"GETSET", "q", "y"}), Bulk("x"));
  EXPECT_EQ(h.Run({"GETSET", "nope", "y"}), kNil);
  EXPECT_EQ(h.Run({"GETDEL", "q"}), Bulk("y"));
  EXPECT_EQ(h.Run({"GETDEL", "q"}), kNil);
}

TEST(StringCommands, GetEx) {
  Harness h;
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "50"}), Bulk("v"));
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(50));
  EXPECT_EQ(h.Run({"GETEX", "k", "PERSIST"}), Bulk("v"));
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(h.Run({"GETEX", "k", "PERSIST", "EX", "5"}), Err("ERR syntax error"));
  EXPECT_EQ(h.Run({"GETEX", "k", "EXAT", "1"}), Bulk("v"));
  EXPECT_EQ(h.Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(h.Run({"GETEX", "missing"}), kNil);
}

TEST(StringCommands, MultiKey) {
  Harness h;
  EXPECT_EQ(h.Run({"MSET", "a", "1", "b", "2"}), kOk);
  EXPECT_EQ(h.Run({"MGET", "a", "b", "c"}), "*3\r\n" + Bulk("1") + Bulk("2") + kNil);
  EXPECT_EQ(h.Run({"MSET", "a", "1", "b"}),
            Err("ERR wrong number of arguments for 'mset' command"));
  EXPECT_EQ(h.Run({"MSETNX", "a", "9", "z", "9"}), Int(0));
  EXPECT_EQ(h.Run({"GET", "z"}), kNil);
  EXPECT_EQ(h.Run({"MSETNX", "y", "9", "z", "9"}), Int(1));
}

TEST(StringCommands, Counters) {
  Harness h;
  EXPECT_EQ(h.Run({"INCR", "n"}), Int(1));
  EXPECT_EQ(h.Run({"INCRBY", "n", "41"}), Int(42));
  EXPECT_EQ(h.Run({"DECR", "n"}), Int(41));
  EXPECT_EQ(h.Run({"DECRBY", "n", "50"}), Int(-9));
  EXPECT_EQ(h.Run({"SET", "big", "9223372036854775807"}), kOk);
  EXPECT_EQ(h.Run({"INCR", "big"}), Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(h.Run({"DECRBY", "n", "-9223372036854775808"}), Err("ERR decrement would overflow"));
  EXPECT_EQ(h.Run({"SET", "s", "abc"}), kOk);
  EXPECT_EQ(h.Run({"INCR", "s"}), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SET", "s", " 1"}), kOk);
  EXPECT_EQ(h.Run({"INCR", "s"}), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"INCRBY", "n", "x"}), Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(h.Run({"SET", "t", "5"}), kOk);
  EXPECT_EQ(h.Run({"EXPIRE", "t", "100"}), Int(1));
  EXPECT_EQ(h.Run({"INCR", "t"}), Int(6));
  EXPECT_EQ(h.Run({"TTL", "t"}), Int(100));  // INCR keeps the TTL
}

TEST(StringCommands, IncrByFloat) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "f", "10.50"}), kOk);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "-5"}), Bulk("5.6"));
  EXPECT_EQ(h.Run({"SET", "g", "5.0e3"}), kOk);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "g", "2.0e2"}), Bulk("5200"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "g", "abc"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"SET", "s", "abc"}), kOk);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "s", "1"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "g", "inf"}), Err("ERR increment would produce NaN or Infinity"));
}

TEST(StringCommands, AppendAndRanges) {
  Harness h;
  EXPECT_EQ(h.Run({"APPEND", "s", "Hello"}), Int(5));
  EXPECT_EQ(h.Run({"APPEND", "s", " World"}), Int(11));
  EXPECT_EQ(h.Run({"GET", "s"}), Bulk("Hello World"));
  EXPECT_EQ(h.Run({"STRLEN", "s"}), Int(11));
  EXPECT_EQ(h.Run({"STRLEN", "nope"}), Int(0));
  EXPECT_EQ(h.Run({"GETRANGE", "s", "0", "4"}), Bulk("Hello"));
  EXPECT_EQ(h.Run({"GETRANGE", "s", "-5", "-1"}), Bulk("World"));
  EXPECT_EQ(h.Run({"GETRANGE", "s", "5", "3"}), Bulk(""));
  EXPECT_EQ(h.Run({"GETRANGE", "s", "-1", "-5"}), Bulk(""));
  EXPECT_EQ(h.Run({"GETRANGE", "s", "0", "100"}), Bulk("Hello World"));
  EXPECT_EQ(h.Run({"SUBSTR", "s", "0", "0"}), Bulk("H"));
  EXPECT_EQ(h.Run({"SETRANGE", "s", "6", "Redis"}), Int(11));
  EXPECT_EQ(h.Run({"GET", "s"}), Bulk("Hello Redis"));
  EXPECT_EQ(h.Run({"SETRANGE", "pad", "3", "x"}), Int(4));
  EXPECT_EQ(h.Run({"GET", "pad"}), Bulk(std::string_view("\0\0\0x", 4)));
  EXPECT_EQ(h.Run({"SETRANGE", "none", "5", ""}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "none"}), Int(0));
  EXPECT_EQ(h.Run({"SETRANGE", "s", "-1", "x"}), Err("ERR offset is out of range"));
  EXPECT_EQ(h.Run({"SETRANGE", "s", "536870911", "xx"}),
            Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
}

TEST(StringCommands, Arity) {
  Harness h;
  EXPECT_EQ(h.Run({"GET"}), Err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(h.Run({"SET", "k"}), Err("ERR wrong number of arguments for 'set' command"));
}

TEST(StringCommands, ObjectEncoding) {
  Harness h;
  h.Run({"SET", "i", "12345"});
  h.Run({"SET", "e", "hello"});
  h.Run({"SET", "r", std::string(45, 'x')});
  h.Run({"SET", "z", "0123"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "i"}), Bulk("int"));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "e"}), Bulk("embstr"));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "r"}), Bulk("raw"));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "z"}), Bulk("embstr"));
  h.Run({"APPEND", "e", "!"});
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "e"}), Bulk("raw"));
  EXPECT_EQ(h.Run({"OBJECT", "REFCOUNT", "i"}), Int(1));
  h.Run({"SET", "small", "42"});
  EXPECT_EQ(h.Run({"OBJECT", "REFCOUNT", "small"}), Int(2147483647));
  EXPECT_EQ(h.Run({"OBJECT", "ENCODING", "nope"}), kNil);
}

}  // namespace
}  // namespace duet::testing
