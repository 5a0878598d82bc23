// EVAL / EVALSHA / SCRIPT through the real dispatcher: Lua <-> RESP2/RESP3
// conversions, redis.* API errors, global protection and the libraries. The
// expected bytes of the table-driven cases were captured from redis-server
// 7.0.15 running the same requests in the same order (state carries over).

#include <string>
#include <vector>

#include "server/script_engine.h"
#include "tests/commands/harness.h"

namespace duet::testing {
namespace {

struct Case {
  std::vector<std::string> args;
  std::string expected;
};

const Case kResp2Cases[] = {
    {{"eval", "return {1,2,3.7,\"a\",nil,5}", "0"},
     std::string("*4\r\n:1\r\n:2\r\n:3\r\n$1\r\na\r\n", 23)},
    {{"eval", "return {true,false,{ok=\"fine\"},{err=\"bad\"}, -3.9}", "0"},
     std::string("*5\r\n:1\r\n$-1\r\n+fine\r\n-bad\r\n:-3\r\n", 31)},
    {{"eval", "return redis.call(\"get\",\"nokey\")", "0"}, std::string("$-1\r\n", 5)},
    {{"eval", "return {err=\"x y\"}", "0"}, std::string("-x y\r\n", 6)},
    {{"eval", "return {err=\"-x y\"}", "0"}, std::string("--x y\r\n", 7)},
    {{"eval", "return redis.error_reply(\"x\")", "0"}, std::string("-ERR x\r\n", 8)},
    {{"eval", "return redis.error_reply(\"-x y\")", "0"}, std::string("-x y\r\n", 6)},
    {{"eval", "return redis.status_reply(\"x\")", "0"}, std::string("+x\r\n", 4)},
    {{"eval", "return redis.pcall(\"incr\",\"nosuchnum\",\"x\")", "0"},
     std::string("-ERR Wrong number of args calling Redis command from script\r\n", 61)},
    {{"eval", "redis.call(\"set\",\"s\",\"foo\"); return redis.pcall(\"incr\",\"s\")", "0"},
     std::string("-ERR value is not an integer or out of range\r\n", 46)},
    {{"eval", "return redis.call(\"hgetall\",\"nokey\")", "0"}, std::string("*0\r\n", 4)},
    {{"eval", "redis.call(\"hset\",\"h\",\"f\",\"v\"); return redis.call(\"hgetall\",\"h\")", "0"},
     std::string("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", 18)},
    {{"eval", "return type(redis.call(\"get\",\"nokey\"))", "0"},
     std::string("$7\r\nboolean\r\n", 13)},
    {{"eval", "return redis.call(\"set\",\"num\",1.1)", "0"}, std::string("+OK\r\n", 5)},
    {{"eval", "return redis.call(\"get\",\"num\")", "0"},
     std::string("$18\r\n1.1000000000000001\r\n", 25)},
    {{"eval", "return redis.call(\"set\",\"num\",10)", "0"}, std::string("+OK\r\n", 5)},
    {{"eval", "return redis.call(\"get\",\"num\")", "0"}, std::string("$2\r\n10\r\n", 8)},
    {{"eval", "return redis.call(\"set\",\"num\",1e20)", "0"}, std::string("+OK\r\n", 5)},
    {{"eval", "return redis.call(\"get\",\"num\")", "0"}, std::string("$5\r\n1e+20\r\n", 11)},
    {{"eval", "return redis.sha1hex(\"abc\")", "0"},
     std::string("$40\r\na9993e364706816aba3e25717850c26c9cd0d89d\r\n", 47)},
    {{"eval", "return redis.setresp(4)", "0"},
     std::string("-ERR RESP version must be 2 or 3. script: "
                 "921c0a48021d97dfd5884aeea41875972c7804d9, on @user_script:1.\r\n",
                 104)},
    {{"eval", "return redis.set_repl(7)", "0"},
     std::string(
         "-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. "
         "script: cedb2b57227b6373471ce552cec25d44bc1ff54b, on @user_script:1.\r\n",
         153)},
    {{"eval", "return redis.log()", "0"},
     std::string("-ERR redis.log() requires two arguments or more. script: "
                 "28e28bf25123668ac541f5eec91bf7ad3d2fe0bd, on @user_script:1.\r\n",
                 119)},
    {{"eval", "return redis.log(9, \"x\")", "0"},
     std::string("-ERR Invalid debug level. script: 629e7988f68b4d4c03c44faae81949e10ae2766a, on "
                 "@user_script:1.\r\n",
                 96)},
    {{"eval", "return redis.log(\"a\", \"x\")", "0"},
     std::string("-ERR First argument must be a number (log level). script: "
                 "f1ffc0e230ef832f858023f773dafa55b7069c77, on @user_script:1.\r\n",
                 120)},
    {{"eval", "return {type(cjson), type(bit), type(struct), type(cmsgpack)}", "0"},
     std::string("*4\r\n$5\r\ntable\r\n$5\r\ntable\r\n$5\r\ntable\r\n$5\r\ntable\r\n", 48)},
    {{"eval", "return cjson.decode('{\"a\":[1,2,3]}').a[2]", "0"}, std::string(":2\r\n", 4)},
    {{"eval", "return string.format(\"%5.2f\", 3.14159)", "0"}, std::string("$5\r\n 3.14\r\n", 11)},
    {{"eval", "return tostring(redis.call(\"ping\").ok)", "0"}, std::string("$4\r\nPONG\r\n", 10)},
    {{"eval",
      "redis.call(\"select\", 5); redis.call(\"set\",\"insel\",\"1\"); return "
      "redis.call(\"dbsize\")",
      "0"},
     std::string(":1\r\n", 4)},
    {{"eval", "return redis.call(\"exists\",\"insel\")", "0"}, std::string(":0\r\n", 4)},
    {{"eval", "return KEYS", "3", "a", "b", "c", "d", "e"},
     std::string("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", 25)},
    {{"eval", "return ARGV", "1", "a", "b", "c"}, std::string("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", 18)},
    {{"eval", "return #KEYS", "0"}, std::string(":0\r\n", 4)},
    {{"eval", "_G.x = 1", "0"},
     std::string("-ERR user_script:1: Attempt to modify a readonly table script: "
                 "e5cf4a26667af1721988fe8c9829d5cd2e26c62e, on @user_script:1.\r\n",
                 125)},
    {{"eval", "rawset(_G, \"y\", 1) return 1", "0"},
     std::string("-ERR Attempt to modify a readonly table script: "
                 "fdfc08d2c9667e6d80c80b302b1edf5fd7277918, on @user_script:1.\r\n",
                 110)},
    {{"eval", "return pcall(function() return redis.call(\"nosuch\") end)", "0"},
     std::string("$-1\r\n", 5)},
    {{"eval", "local ok, e = pcall(function() return redis.call(\"nosuch\") end) return e", "0"},
     std::string("$44\r\nERR Unknown Redis command called from script\r\n", 51)},
    {{"eval", "return redis.call(\"eval\", \"return 1\", 0)", "0"},
     std::string("-ERR This Redis command is not allowed from script script: "
                 "62d02e711a2b06c3562ad1d002157caec21dff05, on @user_script:1.\r\n",
                 121)},
    {{"eval", "return redis.call(\"script\", \"load\", \"return 1\")", "0"},
     std::string("-ERR This Redis command is not allowed from script script: "
                 "d1ccc3a9b580ddfa3dc0b27cc66550de9d01da00, on @user_script:1.\r\n",
                 121)},
    {{"eval", "return redis.call(\"multi\")", "0"},
     std::string("-ERR This Redis command is not allowed from script script: "
                 "211a39902cf76b98677003ff6f4c16cf0d1d5d6b, on @user_script:1.\r\n",
                 121)},
    {{"eval", "return math.huge", "0"}, std::string(":-9223372036854775808\r\n", 23)},
    {{"eval", "return -math.huge", "0"}, std::string(":-9223372036854775808\r\n", 23)},
    {{"eval", "return 0/0", "0"}, std::string(":-9223372036854775808\r\n", 23)},
    {{"eval", "return tonumber(\"0x10\")", "0"}, std::string(":16\r\n", 5)},
    {{"eval", "return {1, {2, {3, {ok=\"deep\"}}}}", "0"},
     std::string("*2\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n+deep\r\n", 31)},
    {{"eval", "return redis.call(\"ping\", \"x\")", "0"}, std::string("$1\r\nx\r\n", 7)},
    {{"eval", "return redis.call(\"echo\", \"x\")", "0"}, std::string("$1\r\nx\r\n", 7)},
    {{"eval", "return redis.call(\"time\")[1] ~= nil", "0"}, std::string(":1\r\n", 4)},
    {{"script", "flush", "bogus"},
     std::string("-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", 50)},
    {{"script", "flush", "async"}, std::string("+OK\r\n", 5)},
    {{"script", "exists"},
     std::string("-ERR wrong number of arguments for 'script|exists' command\r\n", 60)},
    {{"script", "nosuch"},
     std::string("-ERR unknown subcommand 'nosuch'. Try SCRIPT HELP.\r\n", 52)},
    {{"eval", "return 1"},
     std::string("-ERR wrong number of arguments for 'eval' command\r\n", 51)},
    {{"evalsha", "abc", "0"},
     std::string("-NOSCRIPT No matching script. Please use EVAL.\r\n", 48)},
    {{"eval_ro", "return redis.call(\"get\",\"x\")", "0"}, std::string("$-1\r\n", 5)},
    {{"evalsha_ro", "1111111111111111111111111111111111111111", "0"},
     std::string("-NOSCRIPT No matching script. Please use EVAL.\r\n", 48)},
};

const Case kResp3Cases[] = {
    {{"eval",
      "return {true,false,{ok=\"fine\"},{err=\"bad\"}, -3.9, {double=3.5}, {big_number=\"123\"}, "
      "{map={a=1}}, {set={b=true}}}",
      "0"},
     std::string("*9\r\n:1\r\n_\r\n+fine\r\n-bad\r\n:-3\r\n,3.5\r\n(123\r\n%1\r\n$1\r\na\r\n:1\r\n~"
                 "1\r\n$1\r\nb\r\n",
                 67)},
    {{"eval", "return redis.call(\"get\",\"nokey\")", "0"}, std::string("_\r\n", 3)},
    {{"eval", "redis.setresp(3); return redis.call(\"get\",\"nokey\")", "0"},
     std::string("_\r\n", 3)},
    {{"eval",
      "redis.setresp(3); return {redis.call(\"zadd\",\"z\",\"1.5\",\"a\"), "
      "redis.call(\"zscore\",\"z\",\"a\")}",
      "0"},
     std::string("*2\r\n:1\r\n,1.5\r\n", 14)},
    {{"eval",
      "redis.setresp(3); local d=redis.call(\"zscore\",\"z\",\"a\"); return type(d) .. \" \" .. "
      "tostring(d.double)",
      "0"},
     std::string("$9\r\ntable 1.5\r\n", 15)},
    {{"eval", "redis.setresp(3); return redis.call(\"hgetall\",\"h\")", "0"},
     std::string("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", 18)},
    {{"eval", "redis.setresp(3); return {true, false}", "0"},
     std::string("*2\r\n#t\r\n#f\r\n", 12)},
    {{"eval", "redis.setresp(3); return redis.call(\"exists\",\"z\",\"a\")", "0"},
     std::string(":1\r\n", 4)},
    {{"eval", "redis.setresp(3); return {big_number=\"12345678901234567890\"}", "0"},
     std::string("(12345678901234567890\r\n", 23)},
    {{"eval", "return {double=1.5}", "0"}, std::string(",1.5\r\n", 6)},
    {{"eval", "redis.setresp(3); local m = redis.call(\"hgetall\",\"h\"); return m.map.f", "0"},
     std::string("$1\r\nv\r\n", 7)},
    {{"eval", "return redis.call(\"hgetall\",\"h\")", "0"},
     std::string("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", 18)},
};

const Case kLibrariesCases[] = {
    {{"eval",
      "return cmsgpack.pack({1,2,'a'}, 300, -5, -200, 70000, 1.5, 0.1, true, false, {a=1}, \"x\")",
      "0"},
     std::string("$39\r\n\x93"
                 "\x01"
                 "\x02"
                 "\xa1"
                 "a\xcd"
                 "\x01"
                 ",\xfb"
                 "\xd1"
                 "\xff"
                 "8\xce"
                 "\x00"
                 "\x01"
                 "\x11"
                 "p\xca"
                 "?\xc0"
                 "\x00"
                 "\x00"
                 "\xcb"
                 "?\xb9"
                 "\x99"
                 "\x99"
                 "\x99"
                 "\x99"
                 "\x99"
                 "\x9a"
                 "\xc3"
                 "\xc2"
                 "\x81"
                 "\xa1"
                 "a\x01"
                 "\xa1"
                 "x\r\n",
                 46)},
    {{"eval",
      "return cmsgpack.pack(string.rep(\"a\", 40), string.rep(\"b\", 300), -40000, 5000000000, "
      "-5000000000)",
      "0"},
     std::string("$368\r\n\xd9"
                 "(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xda"
                 "\x01"
                 ",bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\xd2"
                 "\xff"
                 "\xff"
                 "c\xc0"
                 "\xcf"
                 "\x00"
                 "\x00"
                 "\x00"
                 "\x01"
                 "*\x05"
                 "\xf2"
                 "\x00"
                 "\xd3"
                 "\xff"
                 "\xff"
                 "\xff"
                 "\xfe"
                 "\xd5"
                 "\xfa"
                 "\x0e"
                 "\x00"
                 "\r\n",
                 376)},
    {{"eval", "return {cmsgpack.unpack(cmsgpack.pack({1,2,{3,'x'}}, \"s\", 7))}", "0"},
     std::string("*3\r\n*3\r\n:1\r\n:2\r\n*2\r\n:3\r\n$1\r\nx\r\n$1\r\ns\r\n:7\r\n", 42)},
    {{"eval", "local t = cmsgpack.unpack(cmsgpack.pack({a=5})) return t.a", "0"},
     std::string(":5\r\n", 4)},
    {{"eval", "return cmsgpack.pack({[1]=1,[3]=3})", "0"},
     std::string("$5\r\n\x82"
                 "\x01"
                 "\x01"
                 "\x03"
                 "\x03"
                 "\r\n",
                 11)},
    {{"eval", "return cmsgpack.pack(nil)", "0"},
     std::string("$1\r\n\xc0"
                 "\r\n",
                 7)},
    {{"eval", "return struct.pack('>I2', 258)", "0"},
     std::string("$2\r\n\x01"
                 "\x02"
                 "\r\n",
                 8)},
    {{"eval", "return struct.pack('<i4hBbc3', -2, 513, 255, -1, 'abc')", "0"},
     std::string("$11\r\n\xfe"
                 "\xff"
                 "\xff"
                 "\xff"
                 "\x01"
                 "\x02"
                 "\xff"
                 "\xff"
                 "abc\r\n",
                 18)},
    {{"eval",
      "return {struct.unpack('<i4hBbc3', struct.pack('<i4hBbc3', -2, 513, 255, -1, 'abc'))}", "0"},
     std::string("*6\r\n:-2\r\n:513\r\n:255\r\n:-1\r\n$3\r\nabc\r\n:12\r\n", 40)},
    {{"eval", "return struct.size('>I2i4d')", "0"}, std::string(":14\r\n", 5)},
    {{"eval", "return {struct.unpack('>d', struct.pack('>d', 3.25))}", "0"},
     std::string("*2\r\n:3\r\n:9\r\n", 12)},
    {{"eval", "return struct.pack('s', 'hi')", "0"},
     std::string("$3\r\nhi\x00"
                 "\r\n",
                 9)},
    {{"eval", "return {struct.unpack('s', struct.pack('s', 'hi'))}", "0"},
     std::string("*2\r\n$2\r\nhi\r\n:4\r\n", 16)},
    {{"eval", "return struct.pack('!4bi', 1, 2)", "0"},
     std::string("$8\r\n\x01"
                 "\x00"
                 "\x00"
                 "\x00"
                 "\x02"
                 "\x00"
                 "\x00"
                 "\x00"
                 "\r\n",
                 14)},
    {{"eval", "return {struct.unpack('B', 'x', 1)}", "0"}, std::string("*2\r\n:120\r\n:2\r\n", 14)},
    {{"eval", "return bit.tohex(65535, 4)", "0"}, std::string("$4\r\nffff\r\n", 10)},
    {{"eval", "return bit.bxor(5, 3)", "0"}, std::string(":6\r\n", 4)},
    {{"eval", "return cjson.encode({a={1,2}})", "0"}, std::string("$11\r\n{\"a\":[1,2]}\r\n", 18)},
    {{"eval", "return cjson.encode(cjson.decode('[1,\"a\",null,true]'))", "0"},
     std::string("$17\r\n[1,\"a\",null,true]\r\n", 24)},
    {{"eval", "return tostring(cjson.null)", "0"}, std::string("$15\r\nuserdata: (nil)\r\n", 22)},
};

const Case kFunctionCases[] = {
    {{"function", "load",
      "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return "
      "redis.call('set', keys[1], args[1]) end)\nredis.register_function{function_name='ro', "
      "callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, "
      "description='reads'}\nredis.register_function('boom', function(keys, args) error('bad') "
      "end)\nredis.register_function('boom2', function(keys, args) return redis.call('nosuch') "
      "end)"},
     std::string("$5\r\nmylib\r\n", 11)},
    {{"fcall", "myfunc", "1", "k", "v"}, std::string("+OK\r\n", 5)},
    {{"fcall_ro", "ro", "1", "k"}, std::string("$1\r\nv\r\n", 7)},
    {{"fcall_ro", "myfunc", "1", "k", "v"},
     std::string("-ERR Can not execute a script with write flag using *_ro command.\r\n", 67)},
    {{"fcall", "nosuch", "0"}, std::string("-ERR Function not found\r\n", 25)},
    {{"fcall", "boom", "0"},
     std::string("-ERR user_function:4: bad script: boom, on @user_function:4.\r\n", 62)},
    {{"fcall", "boom2", "0"},
     std::string(
         "-ERR Unknown Redis command called from script script: boom2, on @user_function:5.\r\n",
         83)},
    {{"function", "load",
      "#!lua name=mylib\nredis.register_function('zz', function(keys, args) return "
      "redis.call('set', keys[1], args[1]) end)\nredis.register_function{function_name='ro', "
      "callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, "
      "description='reads'}\nredis.register_function('boom', function(keys, args) error('bad') "
      "end)\nredis.register_function('boom2', function(keys, args) return redis.call('nosuch') "
      "end)"},
     std::string("-ERR Library 'mylib' already exists\r\n", 37)},
    {{"function", "load", "return 1"}, std::string("-ERR Missing library metadata\r\n", 31)},
    {{"function", "load", "#!lua\nreturn 1"},
     std::string("-ERR Library name was not given\r\n", 33)},
    {{"function", "load", "#!lua name=bad-name\nreturn 1"},
     std::string("-ERR Library names can only contain letters, numbers, or underscores(_) and must "
                 "be at least one character long\r\n",
                 113)},
    {{"function", "load", "#!lua name=l2\nreturn 1"},
     std::string("-ERR No functions registered\r\n", 30)},
    {{"function", "load", "#!lua name=l2 foo=bar\nreturn 1"},
     std::string("-ERR Invalid metadata value given: foo=bar\r\n", 44)},
    {{"function", "load",
      "#!lua name=l3\nredis.register_function('myfunc', function() return 1 end)"},
     std::string("-ERR Function myfunc already exists\r\n", 37)},
    {{"function", "load", "#!lua name=l4\nredis.call('ping')"},
     std::string("-ERR Error registering functions: ERR user_function:2: Script attempted to "
                 "access nonexistent global variable 'call'\r\n",
                 118)},
    {{"function", "load",
      "#!lua name=l5\nredis.register_function('f5', function() return 1 end, 7)"},
     std::string("-ERR Error registering functions: ERR wrong number of arguments to "
                 "redis.register_function\r\n",
                 92)},
    {{"function", "load",
      "#!lua name=l6\nredis.register_function{function_name='f6', callback=function() return 1 "
      "end, flags={'bogus'}}"},
     std::string("-ERR Error registering functions: ERR unknown flag given\r\n", 58)},
    {{"function", "load", "#!nolua name=l7\nreturn 1"},
     std::string("-ERR Engine 'nolua' not found\r\n", 31)},
    {{"function", "load", "#!lua name=l8\nx = 1"},
     std::string("-ERR Error registering functions: ERR user_function:2: Attempt to modify a "
                 "readonly table\r\n",
                 91)},
    {{"function", "load", "#!lua name=l9\nredis.register_function('f9', 5)"},
     std::string("-ERR Error registering functions: ERR second argument to redis.register_function "
                 "must be a function\r\n",
                 101)},
    {{"function", "load", "#!lua name=l10\nsyntax error"},
     std::string("-ERR Error compiling function: user_function:2: '=' expected near 'error'\r\n",
                 75)},
    {{"function", "delete", "nosuch"}, std::string("-ERR Library not found\r\n", 24)},
    {{"function", "list", "libraryname", "zz*"}, std::string("*0\r\n", 4)},
    {{"function", "stats"},
     std::string("*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$"
                 "15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:4\r\n",
                 112)},
    {{"function", "dump"},
     std::string("$257\r\n\xf5"
                 "\xc3"
                 "@\xf1"
                 "A\xb0"
                 "\x1f"
                 "#!lua name=mylib\nredis.register_\x0b"
                 "function('my@\x0b"
                 "\x02"
                 "', @\x06"
                 "`\x12"
                 "\x11"
                 "keys, args) return \x06"
                 "@=\x08"
                 "call('set -@$\x02"
                 "[1]\x80"
                 "' \x08"
                 "\x05"
                 ") end)\xe0"
                 "\x0f"
                 "f\x00"
                 "{\xc0"
                 "\\\x00"
                 "_`\x92"
                 "\x02"
                 "'ro B@N\x04"
                 "back=\xc0"
                 "\x1c"
                 "\xe0"
                 "\x17"
                 "y\x00"
                 "g\xe0"
                 "\x03"
                 "y`p \xb5"
                 "\x1a"
                 "lags={'no-writes'}, descrip@\xcd"
                 " k\x02"
                 "ead \x15"
                 "\xe0"
                 "\x0f"
                 "\x9a"
                 "\x05"
                 "('boom \x8e"
                 "\xe0"
                 "\x0c"
                 "\x85"
                 "\x04"
                 "error \"\x02"
                 "ad' \x0c"
                 "\xe0"
                 "\x12"
                 "\xe1"
                 " # F\x00"
                 "2\xe0"
                 "\x0f"
                 "G\xe1"
                 "\nG\x05"
                 "nosuch`V\x01"
                 "d)\n\x00"
                 "\x08"
                 "\xb8"
                 "s\xaa"
                 "K\xa1"
                 "\xbc"
                 "b\r\n",
                 265)},
    {{"function", "load", "replace",
      "#!lua name=mylib\nredis.register_function('other', function() return 2 end)"},
     std::string("$5\r\nmylib\r\n", 11)},
    {{"fcall", "other", "0"}, std::string(":2\r\n", 4)},
    {{"fcall", "myfunc", "0"}, std::string("-ERR Function not found\r\n", 25)},
    {{"function", "kill"}, std::string("-NOTBUSY No scripts in execution right now.\r\n", 45)},
    {{"function", "flush", "bogus"},
     std::string("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", 53)},
    {{"function", "restore", "garbage"},
     std::string("-ERR DUMP payload version or checksum are wrong\r\n", 49)},
    {{"function", "delete", "mylib"}, std::string("+OK\r\n", 5)},
    {{"fcall", "other", "0"}, std::string("-ERR Function not found\r\n", 25)},
    {{"function", "load",
      "#!lua name=x1\nredis.register_function('a', function() return 1 "
      "end)\nredis.register_function('a', function() return 1 end)"},
     std::string("-ERR Error registering functions: ERR Function already exists in the library\r\n",
                 78)},
    {{"function", "load",
      "#!lua name=x2\nredis.register_function{function_name='a b', callback=function() end}"},
     std::string("-ERR Error registering functions: ERR Library names can only contain letters, "
                 "numbers, or underscores(_) and must be at least one character long\r\n",
                 146)},
    {{"function", "load",
      "#!lua name=x3\nlocal function f(keys, args) return {keys[1], args[1], #keys, #args} "
      "end\nredis.register_function('f3', f)"},
     std::string("$2\r\nx3\r\n", 8)},
    {{"fcall", "f3", "1", "a", "b", "c"},
     std::string("*4\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n:2\r\n", 26)},
    {{"fcall_ro", "f3", "0"},
     std::string("-ERR Can not execute a script with write flag using *_ro command.\r\n", 67)},
    {{"function", "load",
      "#!lua name=x4\nredis.register_function{function_name='f4', callback=function() return "
      "redis.call('set','a','b') end, flags={'no-writes'}}"},
     std::string("$2\r\nx4\r\n", 8)},
    {{"fcall", "f4", "0"},
     std::string("-ERR Write commands are not allowed from read-only scripts. script: f4, on "
                 "@user_function:2.\r\n",
                 94)},
    {{"fcall", "f3", "x"}, std::string("-ERR Bad number of keys provided\r\n", 34)},
    {{"fcall", "f3", "5"},
     std::string("-ERR Number of keys can't be greater than number of args\r\n", 58)},
};

void RunCases(Harness& h, const Case* cases, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string_view> args(cases[i].args.begin(), cases[i].args.end());
    EXPECT_EQ(h.Run(args), cases[i].expected) << cases[i].args[1];
  }
}

TEST(Scripting, MatchesRedisInResp2ThenResp3) {
  Harness h;
  RunCases(h, kResp2Cases, std::size(kResp2Cases));
  EXPECT_NE(h.Run({"HELLO", "3"}).find("proto"), std::string::npos);
  RunCases(h, kResp3Cases, std::size(kResp3Cases));
}

TEST(Scripting, LibrariesMatchRedis) {
  Harness h;
  RunCases(h, kLibrariesCases, std::size(kLibrariesCases));
}

TEST(Scripting, FunctionsMatchRedis) {
  Harness h;
  RunCases(h, kFunctionCases, std::size(kFunctionCases));
}

TEST(Scripting, MathRandomDrawsRedisNumbers) {
  // Redis 7.0.15 right after start, then after math.randomseed(1).
  Harness h;
  EXPECT_EQ(h.Run({"EVAL", "return {math.random(100), math.random(100)}", "0"}),
            "*2\r\n:40\r\n:85\r\n");
  EXPECT_EQ(h.Run({"EVAL",
                   "math.randomseed(1) return {math.random(1000000), math.random(1000000), "
                   "tostring(math.random()), math.random(3,5)}",
                   "0"}),
            "*4\r\n:41631\r\n:454493\r\n$16\r\n0.83481721851733\r\n:4\r\n");
}

TEST(Scripting, AclRefusalsUseTheScriptWording) {
  Harness h;
  EXPECT_EQ(h.Run({"ACL", "SETUSER", "lim", "on", ">pw", "+eval", "+get", "~a*"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"AUTH", "lim", "pw"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call('set','k','v')", "0"}),
            "-ERR The user executing the script can't run this command or subcommand script: "
            "d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.pcall('get','k')", "0"}),
            "-ERR The user executing the script can't access at least one of the keys "
            "mentioned in the command\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call('get','ak')", "0"}), "$-1\r\n");
}

TEST(Scripting, FunctionLoadStopsRunawayCode) {
  Harness h;
  std::string reply = h.Run({"FUNCTION", "LOAD", "#!lua name=spin\nwhile true do end"});
  EXPECT_NE(reply.find("FUNCTION LOAD timeout"), std::string::npos) << reply;
  EXPECT_EQ(h.Run({"FUNCTION", "LIST"}), "*0\r\n");
}

TEST(Scripting, ErrorTexts) {
  Harness h;
  EXPECT_EQ(h.Run({"EVAL", "x=1", "0"}),
            "-ERR user_script:1: Attempt to modify a readonly table script: "
            "7caf6056913504f0508c65faf2dc3f94ff65bcfd, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call('nosuch')", "0"}),
            "-ERR Unknown Redis command called from script script: "
            "206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "error({err='MY boom'})", "0"}),
            "-MY boom script: 4c2ee35ef37c857625d6ec6d812eab72377cfa97, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "syntax error here", "0"}),
            "-ERR Error compiling script (new function): user_script:1: '=' expected near "
            "'error'\r\n");
  EXPECT_EQ(h.Run({"EVALSHA", "1111111111111111111111111111111111111111", "0"}),
            "-NOSCRIPT No matching script. Please use EVAL.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return 1", "-1"}), "-ERR Number of keys can't be negative\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return 1", "2", "a"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return 1", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call('blpop','l',0)", "0"}),
            "-ERR This Redis command is not allowed from script script: "
            "121bfe1768bf66b7a31f0b044f99b2ef97079112, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL_RO", "return redis.call('set','a','b')", "0"}),
            "-ERR Write commands are not allowed from read-only scripts. script: "
            "ff967d0ae0e68b4f9e360fa91c54598bc25ad9b6, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "0"}),
            "-ERR Write commands are not allowed from read-only scripts. script: "
            "6acb400a50fe96e33eca4e0af6e9dcfb21193726, on @user_script:2.\r\n");
  EXPECT_EQ(h.Run({"EVAL", "#!lua flags=bogus\nreturn 1", "0"}),
            "-ERR Unexpected flag in script shebang: bogus\r\n");
  EXPECT_EQ(h.Run({"EVAL", "#!lua name=x\nreturn 1", "0"}),
            "-ERR Unknown lua shebang option: name=x\r\n");
  EXPECT_EQ(h.Run({"EVAL", "#!nolua\nreturn 1", "0"}),
            "-ERR Unexpected engine in script shebang: #!nolua\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call()", "0"}),
            "-ERR Please specify at least one argument for this redis lib call script: "
            "0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "KILL"}), "-NOTBUSY No scripts in execution right now.\r\n");
}

TEST(Scripting, CacheLoadExistsFlush) {
  Harness h;
  EXPECT_EQ(h.Run({"SCRIPT", "LOAD", "return 42"}),
            "$40\r\n1fa00e76656cc152ad327c13fe365858fd7be306\r\n");
  EXPECT_EQ(h.Run({"EVALSHA", "1FA00E76656CC152AD327C13FE365858FD7BE306", "0"}), ":42\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "EXISTS", "1fa00e76656cc152ad327c13fe365858fd7be306", "abc"}),
            "*2\r\n:1\r\n:0\r\n");
  // EVAL caches too.
  EXPECT_EQ(h.Run({"EVAL", "return 7", "0"}), ":7\r\n");
  EXPECT_EQ(h.server().scripts().cached_scripts(), 2u);
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH", "ASYNC"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "EXISTS", "1fa00e76656cc152ad327c13fe365858fd7be306"}),
            "*1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH", "BOGUS"}),
            "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n");
  // KEYS and ARGV are refilled per call: nothing leaks from a longer call.
  EXPECT_EQ(h.Run({"EVAL", "return {#KEYS, #ARGV}", "2", "a", "b", "c"}), "*2\r\n:2\r\n:1\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return {#KEYS, #ARGV}", "0"}), "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(h.Run({"EVAL", "table.insert(ARGV, 'x') return #ARGV", "0", "a"}), ":2\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return #ARGV", "0"}), ":0\r\n");
}

TEST(Scripting, ScriptsRunInsideMultiAndSeeTheCallersDb) {
  Harness h;
  h.Run({"SELECT", "3"});
  EXPECT_EQ(h.Run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"EXEC"}), "*1\r\n+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");
  // SELECT inside a script does not move the caller.
  EXPECT_EQ(h.Run({"EVAL", "redis.call('select', 0) return redis.call('get', 'k')", "0"}),
            "$-1\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");
}

}  // namespace
}  // namespace duet::testing
