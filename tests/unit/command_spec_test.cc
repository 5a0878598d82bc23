// Tests for the command spec library. The expected COMMAND INFO facts below were read from
// Debian's redis-server 7.0.15 (CLIENT|SETINFO, a 7.2 command, from Redis 7.2's facts).

#include "server/commands/command_spec.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/commands/embedded_specs.h"

namespace duet {
namespace {

std::string Join(const std::vector<std::string_view>& parts, std::string_view sep = " ") {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::vector<std::string_view> views(parts.begin(), parts.end());
  return Join(views);
}

// Same shape as the expected column: "flags/begin/find" per spec, "; " between specs.
std::string DescribeKeySpecs(const CommandSpec& spec) {
  std::string out;
  for (const KeySpec& ks : spec.key_specs) {
    if (!out.empty()) out += "; ";
    out += Join(KeySpecFlagNames(ks.flags)) + "/";
    switch (ks.begin) {
      case KeySpec::Begin::kIndex:
        out += "index " + std::to_string(ks.index.pos);
        break;
      case KeySpec::Begin::kKeyword:
        out += "keyword " + ks.keyword.keyword + " " + std::to_string(ks.keyword.startfrom);
        break;
      case KeySpec::Begin::kUnknown:
        out += "unknown";
        break;
    }
    out += "/";
    switch (ks.find) {
      case KeySpec::Find::kRange:
        out += "range " + std::to_string(ks.range.lastkey) + " " + std::to_string(ks.range.step) +
               " " + std::to_string(ks.range.limit);
        break;
      case KeySpec::Find::kKeynum:
        out += "keynum " + std::to_string(ks.keynum.keynumidx) + " " +
               std::to_string(ks.keynum.firstkey) + " " + std::to_string(ks.keynum.step);
        break;
      case KeySpec::Find::kUnknown:
        out += "unknown";
        break;
    }
  }
  return out;
}

struct InfoRow {
  const char* name;
  int arity;
  const char* flags;
  int first, last, step;
  const char* categories;
  const char* tips;
  const char* key_specs;
};

// COMMAND INFO of every command Duet describes, as real Redis reports it.
const InfoRow kRedisInfo[] = {
    {"ACL", -2, "", 0, 0, 0, "@slow", "", ""},
    {"ACL|CAT", -2, "noscript loading stale", 0, 0, 0, "@slow", "", ""},
    {"ACL|DELUSER", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|DRYRUN", -4, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|GENPASS", -2, "noscript loading stale", 0, 0, 0, "@slow", "", ""},
    {"ACL|GETUSER", 3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"ACL|LIST", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|LOAD", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|LOG", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|SAVE", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|SETUSER", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|USERS", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"ACL|WHOAMI", 2, "noscript loading stale", 0, 0, 0, "@slow", "", ""},
    {"APPEND", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"AUTH", -2, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", "",
     ""},
    {"BGREWRITEAOF", 1, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", "",
     ""},
    {"BGSAVE", -1, "admin noscript no_async_loading", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"BITCOUNT", -2, "readonly", 1, 1, 1, "@read @bitmap @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"BITFIELD", -2, "write denyoom", 1, 1, 1, "@write @bitmap @slow", "",
     "RW access update variable_flags/index 1/range 0 1 0"},
    {"BITFIELD_RO", -2, "readonly fast", 1, 1, 1, "@read @bitmap @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"BITOP", -4, "write denyoom", 2, -1, 1, "@write @bitmap @slow", "",
     "OW update/index 2/range 0 1 0; RO access/index 3/range -1 1 0"},
    {"BITPOS", -3, "readonly", 1, 1, 1, "@read @bitmap @slow", "", "RO access/index 1/range 0 1 0"},
    {"BLMOVE", 6, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking", "",
     "RW access delete/index 1/range 0 1 0; RW insert/index 2/range 0 1 0"},
    {"BLMPOP", -5, "write blocking movablekeys", 0, 0, 0, "@write @list @slow @blocking", "",
     "RW access delete/index 2/keynum 0 1 1"},
    {"BLPOP", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking", "",
     "RW access delete/index 1/range -2 1 0"},
    {"BRPOP", -3, "write noscript blocking", 1, -2, 1, "@write @list @slow @blocking", "",
     "RW access delete/index 1/range -2 1 0"},
    {"BRPOPLPUSH", 4, "write denyoom noscript blocking", 1, 2, 1, "@write @list @slow @blocking",
     "", "RW access delete/index 1/range 0 1 0; RW insert/index 2/range 0 1 0"},
    {"BZMPOP", -5, "write blocking movablekeys", 0, 0, 0, "@write @sortedset @slow @blocking", "",
     "RW access delete/index 2/keynum 0 1 1"},
    {"BZPOPMAX", -3, "write noscript blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking",
     "", "RW access delete/index 1/range -2 1 0"},
    {"BZPOPMIN", -3, "write noscript blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking",
     "", "RW access delete/index 1/range -2 1 0"},
    {"CLIENT", -2, "", 0, 0, 0, "@slow", "", ""},
    {"CLIENT|GETNAME", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|HELP", 2, "loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|ID", 2, "noscript loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|INFO", 2, "noscript loading stale", 0, 0, 0, "@slow @connection",
     "nondeterministic_output", ""},
    {"CLIENT|KILL", -3, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "", ""},
    {"CLIENT|LIST", -2, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "nondeterministic_output", ""},
    {"CLIENT|NO-EVICT", 3, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "", ""},
    {"CLIENT|PAUSE", -3, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "", ""},
    {"CLIENT|REPLY", 3, "noscript loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|SETINFO", 4, "noscript loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|SETNAME", 3, "noscript loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"CLIENT|UNBLOCK", -3, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "", ""},
    {"CLIENT|UNPAUSE", 2, "admin noscript loading stale", 0, 0, 0,
     "@admin @slow @dangerous @connection", "", ""},
    {"COMMAND", -1, "loading stale", 0, 0, 0, "@slow @connection", "nondeterministic_output_order",
     ""},
    {"COMMAND|COUNT", 2, "loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"COMMAND|DOCS", -2, "loading stale", 0, 0, 0, "@slow @connection",
     "nondeterministic_output_order", ""},
    {"COMMAND|GETKEYS", -4, "loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"COMMAND|GETKEYSANDFLAGS", -4, "loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"COMMAND|HELP", 2, "loading stale", 0, 0, 0, "@slow @connection", "", ""},
    {"COMMAND|INFO", -2, "loading stale", 0, 0, 0, "@slow @connection",
     "nondeterministic_output_order", ""},
    {"COMMAND|LIST", -2, "loading stale", 0, 0, 0, "@slow @connection",
     "nondeterministic_output_order", ""},
    {"CONFIG", -2, "", 0, 0, 0, "@slow", "", ""},
    {"CONFIG|GET", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"CONFIG|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"CONFIG|RESETSTAT", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "",
     ""},
    {"CONFIG|REWRITE", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "",
     ""},
    {"CONFIG|SET", -4, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "request_policy:all_nodes response_policy:all_succeeded", ""},
    {"COPY", -3, "write denyoom", 1, 2, 1, "@keyspace @write @slow", "",
     "RO access/index 1/range 0 1 0; OW update/index 2/range 0 1 0"},
    {"DBSIZE", 1, "readonly fast", 0, 0, 0, "@keyspace @read @fast",
     "request_policy:all_shards response_policy:agg_sum", ""},
    {"DEBUG", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"DECR", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"DECRBY", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"DEL", -2, "write", 1, -1, 1, "@keyspace @write @slow",
     "request_policy:multi_shard response_policy:agg_sum", "RM delete/index 1/range -1 1 0"},
    {"DISCARD", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "", ""},
    {"DUMP", 2, "readonly", 1, 1, 1, "@keyspace @read @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"ZADD", -4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"ZCARD", 2, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "", "RO/index 1/range 0 1 0"},
    {"ZCOUNT", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZDIFF", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", "",
     "RO access/index 1/keynum 0 1 1"},
    {"ZDIFFSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/keynum 0 1 1"},
    {"ZINCRBY", 4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"ZINTER", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", "",
     "RO access/index 1/keynum 0 1 1"},
    {"ZINTERCARD", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", "",
     "RO access/index 1/keynum 0 1 1"},
    {"ZINTERSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/keynum 0 1 1"},
    {"ZLEXCOUNT", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZMPOP", -4, "write movablekeys", 0, 0, 0, "@write @sortedset @slow", "",
     "RW access delete/index 1/keynum 0 1 1"},
    {"ZMSCORE", -3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZPOPMAX", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", "",
     "RW access delete/index 1/range 0 1 0"},
    {"ZPOPMIN", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", "",
     "RW access delete/index 1/range 0 1 0"},
    {"ZRANDMEMBER", -2, "readonly", 1, 1, 1, "@read @sortedset @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"ZRANGE", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZRANGEBYLEX", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZRANGEBYSCORE", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZRANGESTORE", -5, "write denyoom", 1, 2, 1, "@write @sortedset @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/range 0 1 0"},
    {"ZRANK", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZREM", -3, "write fast", 1, 1, 1, "@write @sortedset @fast", "",
     "RW delete/index 1/range 0 1 0"},
    {"ZREMRANGEBYLEX", 4, "write", 1, 1, 1, "@write @sortedset @slow", "",
     "RW delete/index 1/range 0 1 0"},
    {"ZREMRANGEBYRANK", 4, "write", 1, 1, 1, "@write @sortedset @slow", "",
     "RW delete/index 1/range 0 1 0"},
    {"ZREMRANGEBYSCORE", 4, "write", 1, 1, 1, "@write @sortedset @slow", "",
     "RW delete/index 1/range 0 1 0"},
    {"ZREVRANGE", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZREVRANGEBYLEX", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZREVRANGEBYSCORE", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"ZREVRANK", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZSCAN", -3, "readonly", 1, 1, 1, "@read @sortedset @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"ZSCORE", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"ZUNION", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", "",
     "RO access/index 1/keynum 0 1 1"},
    {"ZUNIONSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/keynum 0 1 1"},
    {"ECHO", 2, "loading stale fast", 0, 0, 0, "@fast @connection", "", ""},
    {"EVAL", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0,
     "@slow @scripting", "", "RW access update/index 2/keynum 0 1 1"},
    {"EVALSHA", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0,
     "@slow @scripting", "", "RW access update/index 2/keynum 0 1 1"},
    {"EVALSHA_RO", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0,
     0, "@slow @scripting", "", "RO access/index 2/keynum 0 1 1"},
    {"EVAL_RO", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0,
     "@slow @scripting", "", "RO access/index 2/keynum 0 1 1"},
    {"EXEC", 1, "noscript loading stale skip_slowlog", 0, 0, 0, "@slow @transaction", "", ""},
    {"EXISTS", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast",
     "request_policy:multi_shard response_policy:agg_sum", "RO/index 1/range -1 1 0"},
    {"EXPIRE", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"EXPIREAT", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"EXPIRETIME", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"FCALL", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0,
     "@slow @scripting", "", "RW access update/index 2/keynum 0 1 1"},
    {"FCALL_RO", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0,
     "@slow @scripting", "", "RO access/index 2/keynum 0 1 1"},
    {"FLUSHALL", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FLUSHDB", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FUNCTION", -2, "", 0, 0, 0, "@slow", "", ""},
    {"FUNCTION|DELETE", 3, "write noscript", 0, 0, 0, "@write @slow @scripting",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FUNCTION|DUMP", 2, "noscript", 0, 0, 0, "@slow @scripting", "", ""},
    {"FUNCTION|FLUSH", -2, "write noscript", 0, 0, 0, "@write @slow @scripting",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FUNCTION|HELP", 2, "loading stale", 0, 0, 0, "@slow @scripting", "", ""},
    {"FUNCTION|KILL", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting",
     "request_policy:all_shards response_policy:one_succeeded", ""},
    {"FUNCTION|LIST", -2, "noscript", 0, 0, 0, "@slow @scripting", "nondeterministic_output_order",
     ""},
    {"FUNCTION|LOAD", -3, "write denyoom noscript", 0, 0, 0, "@write @slow @scripting",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FUNCTION|RESTORE", -3, "write denyoom noscript", 0, 0, 0, "@write @slow @scripting",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"FUNCTION|STATS", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting",
     "nondeterministic_output request_policy:all_shards response_policy:special", ""},
    {"GET", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"GETBIT", 3, "readonly fast", 1, 1, 1, "@read @bitmap @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"GETDEL", 2, "write fast", 1, 1, 1, "@write @string @fast", "",
     "RW access delete/index 1/range 0 1 0"},
    {"GETEX", -2, "write fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"GETRANGE", 4, "readonly", 1, 1, 1, "@read @string @slow", "",
     "RO access/index 1/range 0 1 0"},
    {"GETSET", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"HDEL", -3, "write fast", 1, 1, 1, "@write @hash @fast", "", "RW delete/index 1/range 0 1 0"},
    {"HELLO", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection",
     "", ""},
    {"HEXISTS", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "", "RO/index 1/range 0 1 0"},
    {"HGET", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "", "RO access/index 1/range 0 1 0"},
    {"HGETALL", 2, "readonly", 1, 1, 1, "@read @hash @slow", "nondeterministic_output_order",
     "RO access/index 1/range 0 1 0"},
    {"HINCRBY", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"HINCRBYFLOAT", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"HKEYS", 2, "readonly", 1, 1, 1, "@read @hash @slow", "nondeterministic_output_order",
     "RO access/index 1/range 0 1 0"},
    {"HLEN", 2, "readonly fast", 1, 1, 1, "@read @hash @fast", "", "RO/index 1/range 0 1 0"},
    {"HMGET", -3, "readonly fast", 1, 1, 1, "@read @hash @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"HMSET", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"HRANDFIELD", -2, "readonly", 1, 1, 1, "@read @hash @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"HSCAN", -3, "readonly", 1, 1, 1, "@read @hash @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"HSET", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"HSETNX", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"HSTRLEN", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "", "RO/index 1/range 0 1 0"},
    {"HVALS", 2, "readonly", 1, 1, 1, "@read @hash @slow", "nondeterministic_output_order",
     "RO access/index 1/range 0 1 0"},
    {"INCR", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"INCRBY", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"INCRBYFLOAT", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"INFO", -1, "loading stale", 0, 0, 0, "@slow @dangerous",
     "nondeterministic_output request_policy:all_shards response_policy:special", ""},
    {"KEYS", 2, "readonly", 0, 0, 0, "@keyspace @read @slow @dangerous",
     "request_policy:all_shards nondeterministic_output_order", ""},
    {"LASTSAVE", 1, "loading stale fast", 0, 0, 0, "@admin @fast @dangerous",
     "nondeterministic_output", ""},
    {"LATENCY|DOCTOR", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "nondeterministic_output request_policy:all_nodes response_policy:special", ""},
    {"LATENCY|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"LATENCY|HISTORY", 3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "nondeterministic_output request_policy:all_nodes response_policy:special", ""},
    {"LATENCY|LATEST", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "nondeterministic_output request_policy:all_nodes response_policy:special", ""},
    {"LATENCY|RESET", -2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "request_policy:all_nodes response_policy:all_succeeded", ""},
    {"LATENCY", -2, "", 0, 0, 0, "@slow", "", ""},
    {"LCS", -3, "readonly", 1, 2, 1, "@read @string @slow", "", "RO access/index 1/range 1 1 0"},
    {"LINDEX", 3, "readonly", 1, 1, 1, "@read @list @slow", "", "RO access/index 1/range 0 1 0"},
    {"LINSERT", 5, "write denyoom", 1, 1, 1, "@write @list @slow", "",
     "RW insert/index 1/range 0 1 0"},
    {"LLEN", 2, "readonly fast", 1, 1, 1, "@read @list @fast", "", "RO/index 1/range 0 1 0"},
    {"LMOVE", 5, "write denyoom", 1, 2, 1, "@write @list @slow", "",
     "RW access delete/index 1/range 0 1 0; RW insert/index 2/range 0 1 0"},
    {"LMPOP", -4, "write movablekeys", 0, 0, 0, "@write @list @slow", "",
     "RW access delete/index 1/keynum 0 1 1"},
    {"LPOP", -2, "write fast", 1, 1, 1, "@write @list @fast", "",
     "RW access delete/index 1/range 0 1 0"},
    {"LPOS", -3, "readonly", 1, 1, 1, "@read @list @slow", "", "RO access/index 1/range 0 1 0"},
    {"LPUSH", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"LPUSHX", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"LRANGE", 4, "readonly", 1, 1, 1, "@read @list @slow", "", "RO access/index 1/range 0 1 0"},
    {"LREM", 4, "write", 1, 1, 1, "@write @list @slow", "", "RW delete/index 1/range 0 1 0"},
    {"LSET", 4, "write denyoom", 1, 1, 1, "@write @list @slow", "",
     "RW update/index 1/range 0 1 0"},
    {"LTRIM", 4, "write", 1, 1, 1, "@write @list @slow", "", "RW delete/index 1/range 0 1 0"},
    // Duet only (no Redis facts): memcached flags in the AOF.
    {"MCFLAGS", 3, "write fast", 1, 1, 1, "@write @string @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"MEMORY", -2, "", 0, 0, 0, "@slow", "", ""},
    {"MEMORY|DOCTOR", 2, "", 0, 0, 0, "@slow",
     "nondeterministic_output request_policy:all_shards response_policy:special", ""},
    {"MEMORY|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"MEMORY|MALLOC-STATS", 2, "", 0, 0, 0, "@slow",
     "nondeterministic_output request_policy:all_shards response_policy:special", ""},
    {"MEMORY|PURGE", 2, "", 0, 0, 0, "@slow",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"MEMORY|STATS", 2, "", 0, 0, 0, "@slow",
     "nondeterministic_output request_policy:all_shards response_policy:special", ""},
    {"MEMORY|USAGE", -3, "readonly", 2, 2, 1, "@read @slow", "", "RO/index 2/range 0 1 0"},
    {"MGET", -2, "readonly fast", 1, -1, 1, "@read @string @fast", "request_policy:multi_shard",
     "RO access/index 1/range -1 1 0"},
    {"MONITOR", 1, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "", ""},
    {"MOVE", 3, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW access update/index 1/range 0 1 0"},
    {"MSET", -3, "write denyoom", 1, -1, 2, "@write @string @slow",
     "request_policy:multi_shard response_policy:all_succeeded", "OW update/index 1/range -1 2 0"},
    {"MSETNX", -3, "write denyoom", 1, -1, 2, "@write @string @slow",
     "request_policy:multi_shard response_policy:agg_min", "OW insert/index 1/range -1 2 0"},
    {"MULTI", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "", ""},
    {"OBJECT", -2, "", 0, 0, 0, "@slow", "", ""},
    {"OBJECT|ENCODING", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "nondeterministic_output",
     "RO/index 2/range 0 1 0"},
    {"OBJECT|FREQ", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "nondeterministic_output",
     "RO/index 2/range 0 1 0"},
    {"OBJECT|HELP", 2, "loading stale", 0, 0, 0, "@keyspace @slow", "", ""},
    {"OBJECT|IDLETIME", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "nondeterministic_output",
     "RO/index 2/range 0 1 0"},
    {"OBJECT|REFCOUNT", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "nondeterministic_output",
     "RO/index 2/range 0 1 0"},
    {"PERSIST", 2, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"PEXPIRE", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"PEXPIREAT", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "",
     "RW update/index 1/range 0 1 0"},
    {"PEXPIRETIME", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"PING", -1, "fast", 0, 0, 0, "@fast @connection",
     "request_policy:all_shards response_policy:all_succeeded", ""},
    {"PSETEX", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "",
     "OW update/index 1/range 0 1 0"},
    {"PSUBSCRIBE", -2, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PTTL", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"PUBLISH", 3, "pubsub loading stale fast", 0, 0, 0, "@pubsub @fast", "", ""},
    {"PUBSUB", -2, "", 0, 0, 0, "@slow", "", ""},
    {"PUBSUB|CHANNELS", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PUBSUB|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"PUBSUB|NUMPAT", 2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PUBSUB|NUMSUB", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PUBSUB|SHARDCHANNELS", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PUBSUB|SHARDNUMSUB", -2, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"PUNSUBSCRIBE", -1, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"QUIT", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", "",
     ""},
    {"RANDOMKEY", 1, "readonly", 0, 0, 0, "@keyspace @read @slow",
     "request_policy:all_shards nondeterministic_output", ""},
    {"RENAME", 3, "write", 1, 2, 1, "@keyspace @write @slow", "",
     "RW access delete/index 1/range 0 1 0; OW update/index 2/range 0 1 0"},
    {"RENAMENX", 3, "write fast", 1, 2, 1, "@keyspace @write @fast", "",
     "RW access delete/index 1/range 0 1 0; OW insert/index 2/range 0 1 0"},
    {"RESET", 1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection", "",
     ""},
    {"RESTORE", -4, "write denyoom", 1, 1, 1, "@keyspace @write @slow @dangerous", "",
     "OW update/index 1/range 0 1 0"},
    {"RPOP", -2, "write fast", 1, 1, 1, "@write @list @fast", "",
     "RW access delete/index 1/range 0 1 0"},
    {"RPOPLPUSH", 3, "write denyoom", 1, 2, 1, "@write @list @slow", "",
     "RW access delete/index 1/range 0 1 0; RW insert/index 2/range 0 1 0"},
    {"RPUSH", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"RPUSHX", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"SADD", -3, "write denyoom fast", 1, 1, 1, "@write @set @fast", "",
     "RW insert/index 1/range 0 1 0"},
    {"SAVE", 1, "admin noscript no_async_loading no_multi", 0, 0, 0, "@admin @slow @dangerous", "",
     ""},
    {"SCRIPT", -2, "", 0, 0, 0, "@slow", "", ""},
    {"SCRIPT|EXISTS", -3, "noscript", 0, 0, 0, "@slow @scripting",
     "request_policy:all_shards response_policy:agg_logical_and", ""},
    {"SCRIPT|FLUSH", -2, "noscript", 0, 0, 0, "@slow @scripting",
     "request_policy:all_nodes response_policy:all_succeeded", ""},
    {"SCRIPT|HELP", 2, "loading stale", 0, 0, 0, "@slow @scripting", "", ""},
    {"SCRIPT|KILL", 2, "noscript allow_busy", 0, 0, 0, "@slow @scripting",
     "request_policy:all_shards response_policy:one_succeeded", ""},
    {"SCRIPT|LOAD", 3, "noscript stale", 0, 0, 0, "@slow @scripting",
     "request_policy:all_nodes response_policy:all_succeeded", ""},
    {"SCAN", -2, "readonly", 0, 0, 0, "@keyspace @read @slow",
     "nondeterministic_output request_policy:special", ""},
    {"SCARD", 2, "readonly fast", 1, 1, 1, "@read @set @fast", "", "RO/index 1/range 0 1 0"},
    {"SDIFF", -2, "readonly", 1, -1, 1, "@read @set @slow", "nondeterministic_output_order",
     "RO access/index 1/range -1 1 0"},
    {"SDIFFSTORE", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/range -1 1 0"},
    {"SELECT", 2, "loading stale fast", 0, 0, 0, "@fast @connection", "", ""},
    {"SET", -3, "write denyoom", 1, 1, 1, "@write @string @slow", "",
     "RW access update variable_flags/index 1/range 0 1 0"},
    {"SETBIT", 4, "write denyoom", 1, 1, 1, "@write @bitmap @slow", "",
     "RW access update/index 1/range 0 1 0"},
    {"SETEX", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "",
     "OW update/index 1/range 0 1 0"},
    {"SETNX", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "",
     "OW insert/index 1/range 0 1 0"},
    {"SETRANGE", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "",
     "RW update/index 1/range 0 1 0"},
    {"SHUTDOWN", -1, "admin noscript loading stale no_multi allow_busy", 0, 0, 0,
     "@admin @slow @dangerous", "", ""},
    {"SPUBLISH", 3, "pubsub loading stale fast", 1, 1, 1, "@pubsub @fast", "",
     "not_key/index 1/range 0 1 0"},
    {"SSUBSCRIBE", -2, "pubsub noscript loading stale", 1, -1, 1, "@pubsub @slow", "",
     "not_key/index 1/range -1 1 0"},
    {"SINTER", -2, "readonly", 1, -1, 1, "@read @set @slow", "nondeterministic_output_order",
     "RO access/index 1/range -1 1 0"},
    {"SINTERCARD", -3, "readonly movablekeys", 0, 0, 0, "@read @set @slow", "",
     "RO access/index 1/keynum 0 1 1"},
    {"SINTERSTORE", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "",
     "RW update/index 1/range 0 1 0; RO access/index 2/range -1 1 0"},
    {"SISMEMBER", 3, "readonly fast", 1, 1, 1, "@read @set @fast", "", "RO/index 1/range 0 1 0"},
    {"SLOWLOG|GET", -2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "request_policy:all_nodes nondeterministic_output", ""},
    {"SLOWLOG|HELP", 2, "loading stale", 0, 0, 0, "@slow", "", ""},
    {"SLOWLOG|LEN", 2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "request_policy:all_nodes response_policy:agg_sum nondeterministic_output", ""},
    {"SLOWLOG|RESET", 2, "admin loading stale", 0, 0, 0, "@admin @slow @dangerous",
     "request_policy:all_nodes response_policy:all_succeeded", ""},
    {"SLOWLOG", -2, "", 0, 0, 0, "@slow", "", ""},
    {"SMEMBERS", 2, "readonly", 1, 1, 1, "@read @set @slow", "nondeterministic_output_order",
     "RO access/index 1/range 0 1 0"},
    {"SMISMEMBER", -3, "readonly fast", 1, 1, 1, "@read @set @fast", "",
     "RO access/index 1/range 0 1 0"},
    {"SMOVE", 4, "write fast", 1, 2, 1, "@write @set @fast", "",
     "RW access delete/index 1/range 0 1 0; RW insert/index 2/range 0 1 0"},
    {"SORT", -2, "write denyoom movablekeys", 1, 1, 1,
     "@write @set @sortedset @list @slow @dangerous", "",
     "RO access/index 1/range 0 1 0; RO access/unknown/unknown; OW update/unknown/unknown"},
    {"SORT_RO", -2, "readonly movablekeys", 1, 1, 1, "@read @set @sortedset @list @slow @dangerous",
     "", "RO access/index 1/range 0 1 0; RO access/unknown/unknown"},
    {"SPOP", -2, "write fast", 1, 1, 1, "@write @set @fast", "nondeterministic_output",
     "RW access delete/index 1/range 0 1 0"},
    {"SRANDMEMBER", -2, "readonly", 1, 1, 1, "@read @set @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"SREM", -3, "write fast", 1, 1, 1, "@write @set @fast", "", "RW delete/index 1/range 0 1 0"},
    {"SSCAN", -3, "readonly", 1, 1, 1, "@read @set @slow", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"STRLEN", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "", "RO/index 1/range 0 1 0"},
    {"SUBSCRIBE", -2, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"SUBSTR", 4, "readonly", 1, 1, 1, "@read @string @slow", "", "RO access/index 1/range 0 1 0"},
    {"SUNSUBSCRIBE", -1, "pubsub noscript loading stale", 1, -1, 1, "@pubsub @slow", "",
     "not_key/index 1/range -1 1 0"},
    {"SUNION", -2, "readonly", 1, -1, 1, "@read @set @slow", "nondeterministic_output_order",
     "RO access/index 1/range -1 1 0"},
    {"SUNIONSTORE", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "",
     "OW update/index 1/range 0 1 0; RO access/index 2/range -1 1 0"},
    {"SWAPDB", 3, "write fast", 0, 0, 0, "@keyspace @write @fast @dangerous", "", ""},
    {"TIME", 1, "loading stale fast", 0, 0, 0, "@fast", "nondeterministic_output", ""},
    {"TOUCH", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast",
     "request_policy:multi_shard response_policy:agg_sum", "RO/index 1/range -1 1 0"},
    {"TTL", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "nondeterministic_output",
     "RO access/index 1/range 0 1 0"},
    {"TYPE", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "", "RO/index 1/range 0 1 0"},
    {"UNLINK", -2, "write fast", 1, -1, 1, "@keyspace @write @fast",
     "request_policy:multi_shard response_policy:agg_sum", "RM delete/index 1/range -1 1 0"},
    {"UNSUBSCRIBE", -1, "pubsub noscript loading stale", 0, 0, 0, "@pubsub @slow", "", ""},
    {"UNWATCH", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "", ""},
    {"WATCH", -2, "noscript loading stale fast allow_busy", 1, -1, 1, "@fast @transaction", "",
     "RO/index 1/range -1 1 0"},
};

class EmbeddedSpecsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Status s = LoadEmbeddedSpecs(&specs_);
    ASSERT_TRUE(s.ok()) << s.message();
    for (const CommandSpec& spec : specs_) by_name_[spec.name] = &spec;
  }
  static const CommandSpec& Get(const std::string& name) {
    auto it = by_name_.find(name);
    EXPECT_NE(it, by_name_.end()) << name;
    return *it->second;
  }
  static std::vector<CommandSpec> specs_;
  static std::map<std::string, const CommandSpec*> by_name_;
};
std::vector<CommandSpec> EmbeddedSpecsTest::specs_;
std::map<std::string, const CommandSpec*> EmbeddedSpecsTest::by_name_;

TEST_F(EmbeddedSpecsTest, EveryEmbeddedSpecParses) {
  EXPECT_EQ(specs_.size(), kEmbeddedSpecCount);
  for (size_t i = 0; i < kEmbeddedSpecCount; ++i) {
    CommandSpec spec;
    Status s = ParseCommandSpec(kEmbeddedSpecs[i].file_name, kEmbeddedSpecs[i].json, &spec);
    EXPECT_TRUE(s.ok()) << s.message();
  }
}

TEST_F(EmbeddedSpecsTest, EverySpecHasAnExpectedRowAndViceVersa) {
  EXPECT_EQ(specs_.size(), std::size(kRedisInfo));
  for (const InfoRow& row : kRedisInfo) EXPECT_EQ(by_name_.count(row.name), 1u) << row.name;
}

TEST_F(EmbeddedSpecsTest, CommandInfoFactsMatchRedis) {
  for (const InfoRow& row : kRedisInfo) {
    if (by_name_.count(row.name) == 0) continue;
    const CommandSpec& spec = Get(row.name);
    SCOPED_TRACE(row.name);
    EXPECT_EQ(spec.arity, row.arity);
    EXPECT_EQ(Join(FlagNames(spec.flags)), row.flags);
    LegacyKeyRange range = ComputeLegacyRange(spec);
    EXPECT_EQ(range.first, row.first);
    EXPECT_EQ(range.last, row.last);
    EXPECT_EQ(range.step, row.step);
    EXPECT_EQ(range.movable_keys, spec.Has(kCmdMovableKeys));
    EXPECT_EQ(Join(EffectiveAclCategories(spec)), row.categories);
    EXPECT_EQ(Join(spec.tips), row.tips);
    EXPECT_EQ(DescribeKeySpecs(spec), row.key_specs);
  }
}

TEST_F(EmbeddedSpecsTest, DocFieldsAndHiddenFlags) {
  const CommandSpec& getset = Get("GETSET");
  EXPECT_EQ(Join(DocFlagNames(getset.doc_flags)), "deprecated");
  EXPECT_EQ(getset.deprecated_since, "6.2.0");
  EXPECT_FALSE(getset.replaced_by.empty());

  const CommandSpec& debug = Get("DEBUG");
  EXPECT_EQ(Join(DocFlagNames(debug.doc_flags)), "syscmd");
  EXPECT_TRUE(debug.Has(kCmdProtected));  // held, but COMMAND INFO does not show it
  EXPECT_EQ(Join(FlagNames(debug.flags)), "admin noscript loading stale");

  const CommandSpec& config_get = Get("CONFIG|GET");
  EXPECT_EQ(config_get.container, "CONFIG");
  EXPECT_TRUE(config_get.IsSubcommand());
  EXPECT_EQ(config_get.group, "server");
  EXPECT_EQ(config_get.since, "2.0.0");
  ASSERT_EQ(config_get.history.size(), 1u);
  EXPECT_EQ(config_get.history[0].first, "7.0.0");

  const CommandSpec& set = Get("SET");
  EXPECT_EQ(set.group, "string");
  EXPECT_EQ(set.complexity, "O(1)");
  ASSERT_EQ(set.args.size(), 5u);
  EXPECT_EQ(set.args[0].name, "key");
  EXPECT_EQ(set.args[0].type, ArgType::kKey);
  EXPECT_EQ(set.args[0].key_spec_index, 0);
  EXPECT_EQ(ArgTypeName(set.args[2].type), "oneof");
  EXPECT_TRUE(set.args[2].optional);
  EXPECT_EQ(set.args[2].since, "2.6.12");
  ASSERT_EQ(set.args[4].args.size(), 5u);
  EXPECT_EQ(set.args[4].args[3].token, "PXAT");
  EXPECT_EQ(ArgTypeName(set.args[4].args[3].type), "unix-time");

  const CommandSpec& del = Get("DEL");
  ASSERT_EQ(del.args.size(), 1u);
  EXPECT_TRUE(del.args[0].multiple);
}

std::vector<int> Keys(const CommandSpec& spec, std::vector<std::string_view> argv) {
  return GetKeysFromArgs(spec, argv);
}

TEST_F(EmbeddedSpecsTest, GetKeysFromRealSpecs) {
  using V = std::vector<int>;
  EXPECT_EQ(Keys(Get("SET"), {"SET", "k", "v", "EX", "10"}), V({1}));
  EXPECT_EQ(Keys(Get("GET"), {"GET", "k"}), V({1}));
  EXPECT_EQ(Keys(Get("MSET"), {"MSET", "a", "1", "b", "2"}), V({1, 3}));
  // An odd count still yields every other argument (COMMAND GETKEYS MSET a 1 b -> a b).
  EXPECT_EQ(Keys(Get("MSET"), {"MSET", "a", "1", "b"}), V({1, 3}));
  EXPECT_EQ(Keys(Get("MGET"), {"MGET", "a", "b", "c"}), V({1, 2, 3}));
  EXPECT_EQ(Keys(Get("DEL"), {"DEL", "a", "b", "c"}), V({1, 2, 3}));
  EXPECT_EQ(Keys(Get("BITOP"), {"BITOP", "AND", "dest", "a", "b"}), V({2, 3, 4}));
  EXPECT_EQ(Keys(Get("OBJECT|ENCODING"), {"OBJECT", "ENCODING", "k"}), V({2}));
  EXPECT_EQ(Keys(Get("COPY"), {"COPY", "src", "dst", "REPLACE"}), V({1, 2}));
  EXPECT_EQ(Keys(Get("RENAME"), {"RENAME", "a", "b"}), V({1, 2}));
  EXPECT_EQ(Keys(Get("LCS"), {"LCS", "a", "b", "LEN"}), V({1, 2}));
  EXPECT_EQ(Keys(Get("BITFIELD_RO"), {"BITFIELD_RO", "k", "GET", "u8", "0"}), V({1}));

  // Commands without key arguments.
  EXPECT_FALSE(HasKeyArguments(Get("SCAN")));
  EXPECT_EQ(Keys(Get("SCAN"), {"SCAN", "0", "MATCH", "*"}), V());
  EXPECT_FALSE(HasKeyArguments(Get("PING")));
  EXPECT_FALSE(HasKeyArguments(Get("CONFIG|GET")));
  EXPECT_TRUE(HasKeyArguments(Get("OBJECT|FREQ")));

  // Flags travel with the keys (COMMAND GETKEYSANDFLAGS BITOP).
  std::vector<std::string_view> argv = {"BITOP", "OR", "d", "x"};
  std::vector<KeyRef> refs;
  ASSERT_TRUE(GetKeysFromArgs(Get("BITOP"), argv, &refs));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(Join(KeySpecFlagNames(refs[0].flags)), "OW update");
  EXPECT_EQ(Join(KeySpecFlagNames(refs[1].flags)), "RO access");
}

TEST_F(EmbeddedSpecsTest, GetKeysPastTheEndFails) {
  // First key beyond argv: the arguments do not fit the spec.
  std::vector<std::string_view> argv = {"GET"};
  std::vector<KeyRef> refs = {{7, 0}};
  EXPECT_FALSE(GetKeysFromArgs(Get("GET"), argv, &refs));
  EXPECT_TRUE(refs.empty());
}

// A spec file written inline, for shapes the embedded commands do not use.
CommandSpec MustParse(std::string_view file, std::string_view json) {
  CommandSpec spec;
  Status s = ParseCommandSpec(file, json, &spec);
  EXPECT_TRUE(s.ok()) << s.message();
  return spec;
}

// Key specs as Redis 7.0.15 reports them for ZUNIONSTORE, XREAD, LMPOP, SMOVE and MIGRATE.
constexpr std::string_view kZunionstore = R"({"ZUNIONSTORE": {
  "summary": "s", "group": "sorted_set", "since": "2.0.0", "arity": -4,
  "command_flags": ["WRITE", "DENYOOM"], "acl_categories": ["SORTEDSET"],
  "key_specs": [
    {"flags": ["OW", "UPDATE"], "begin_search": {"index": {"pos": 1}},
     "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}},
    {"flags": ["RO", "ACCESS"], "begin_search": {"index": {"pos": 2}},
     "find_keys": {"keynum": {"keynumidx": 0, "firstkey": 1, "step": 1}}}]}})";
constexpr std::string_view kXread = R"({"XREAD": {
  "summary": "s", "group": "stream", "since": "5.0.0", "arity": -4,
  "command_flags": ["READONLY", "BLOCKING"], "acl_categories": ["STREAM"],
  "key_specs": [
    {"flags": ["RO", "ACCESS"], "begin_search": {"keyword": {"keyword": "STREAMS", "startfrom": 1}},
     "find_keys": {"range": {"lastkey": -1, "step": 1, "limit": 2}}}]}})";
constexpr std::string_view kLmpop = R"({"LMPOP": {
  "summary": "s", "group": "list", "since": "7.0.0", "arity": -4,
  "command_flags": ["WRITE"], "acl_categories": ["LIST"],
  "key_specs": [
    {"flags": ["RW", "ACCESS", "DELETE"], "begin_search": {"index": {"pos": 1}},
     "find_keys": {"keynum": {"keynumidx": 0, "firstkey": 1, "step": 1}}}]}})";
constexpr std::string_view kSmove = R"({"SMOVE": {
  "summary": "s", "group": "set", "since": "1.0.0", "arity": 4,
  "command_flags": ["WRITE", "FAST"], "acl_categories": ["SET"],
  "key_specs": [
    {"flags": ["RW", "ACCESS", "DELETE"], "begin_search": {"index": {"pos": 1}},
     "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}},
    {"flags": ["RW", "INSERT"], "begin_search": {"index": {"pos": 2}},
     "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}}]}})";
constexpr std::string_view kMigrate = R"({"MIGRATE": {
  "summary": "s", "group": "generic", "since": "2.6.0", "arity": -6,
  "command_flags": ["WRITE"], "acl_categories": ["KEYSPACE", "DANGEROUS"],
  "key_specs": [
    {"flags": ["RW", "ACCESS", "DELETE"], "begin_search": {"index": {"pos": 3}},
     "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}},
    {"flags": ["RW", "ACCESS", "DELETE", "INCOMPLETE"],
     "begin_search": {"keyword": {"keyword": "KEYS", "startfrom": -2}},
     "find_keys": {"range": {"lastkey": -1, "step": 1, "limit": 0}}}]}})";

TEST(CommandSpecTest, LegacyRangesOfOtherKeySpecShapes) {
  // Expected: COMMAND INFO of Redis 7.0.15.
  struct Case {
    std::string_view file, json, flags;
    int first, last, step;
  } cases[] = {
      {"zunionstore.json", kZunionstore, "write denyoom movablekeys", 1, 1, 1},
      {"xread.json", kXread, "readonly blocking movablekeys", 0, 0, 0},
      {"lmpop.json", kLmpop, "write movablekeys", 0, 0, 0},
      {"smove.json", kSmove, "write fast", 1, 2, 1},
      {"migrate.json", kMigrate, "write movablekeys", 3, 3, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    CommandSpec spec = MustParse(c.file, c.json);
    EXPECT_EQ(Join(FlagNames(spec.flags)), c.flags);
    EXPECT_EQ(spec.legacy_range.first, c.first);
    EXPECT_EQ(spec.legacy_range.last, c.last);
    EXPECT_EQ(spec.legacy_range.step, c.step);
  }
  EXPECT_EQ(Join(EffectiveAclCategories(MustParse("xread.json", kXread))),
            "@read @stream @slow @blocking");
  EXPECT_EQ(Join(EffectiveAclCategories(MustParse("migrate.json", kMigrate))),
            "@keyspace @write @slow @dangerous");
}

TEST(CommandSpecTest, RedisFileConventionsThatLookOdd) {
  // Files say "sorted_set" (as Redis's do); COMMAND DOCS reports "sorted-set".
  EXPECT_EQ(MustParse("zunionstore.json", kZunionstore).group, "sorted-set");
  // MIGRATE offers an empty pure token, and SORT's BY pattern points at a key spec.
  CommandSpec spec = MustParse("mig.json", R"({"MIG": {
    "summary": "s", "group": "generic", "since": "1.0.0", "arity": -2,
    "key_specs": [{"flags": ["RO"], "begin_search": {"index": {"pos": 1}},
                   "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}}],
    "arguments": [
      {"name": "key_or_empty", "type": "oneof", "arguments": [
        {"name": "key", "type": "key", "key_spec_index": 0},
        {"name": "empty_string", "type": "pure-token", "token": ""}]},
      {"name": "pattern", "type": "pattern", "key_spec_index": 0, "token": "BY", "optional": true}]}})");
  ASSERT_EQ(spec.args.size(), 2u);
  EXPECT_TRUE(spec.args[0].args[1].has_token);
  EXPECT_EQ(spec.args[0].args[1].token, "");
  EXPECT_FALSE(spec.args[0].args[0].has_token);
  EXPECT_EQ(spec.args[1].key_spec_index, 0);
}

TEST(CommandSpecTest, GetKeysWithKeynumAndKeyword) {
  using V = std::vector<int>;
  CommandSpec zunion = MustParse("zunionstore.json", kZunionstore);
  EXPECT_EQ(Keys(zunion, {"ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"}), V({1, 3, 4}));
  EXPECT_EQ(Keys(zunion, {"ZUNIONSTORE", "d", "3", "a", "b"}), V());   // count past the end
  EXPECT_EQ(Keys(zunion, {"ZUNIONSTORE", "d", "x", "a", "b"}), V());   // count not a number
  EXPECT_EQ(Keys(zunion, {"ZUNIONSTORE", "d", "-1", "a", "b"}), V());  // negative count
  EXPECT_EQ(Keys(zunion, {"ZUNIONSTORE", "d", "01", "a"}), V());       // not strict syntax

  CommandSpec xread = MustParse("xread.json", kXread);
  EXPECT_EQ(Keys(xread, {"XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"}), V({4, 5}));
  EXPECT_EQ(Keys(xread, {"XREAD", "streams", "s1", "0"}), V({2}));  // keyword case-insensitive
  EXPECT_EQ(Keys(xread, {"XREAD", "COUNT", "2"}), V());             // no keyword: no key

  CommandSpec lmpop = MustParse("lmpop.json", kLmpop);
  EXPECT_EQ(Keys(lmpop, {"LMPOP", "2", "a", "b", "LEFT"}), V({2, 3}));
  EXPECT_EQ(Keys(lmpop, {"LMPOP", "0", "LEFT"}), V());  // zero keys does not fit the spec

  CommandSpec smove = MustParse("smove.json", kSmove);
  std::vector<std::string_view> argv = {"SMOVE", "a", "b", "m"};
  std::vector<KeyRef> refs;
  ASSERT_TRUE(GetKeysFromArgs(smove, argv, &refs));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(Join(KeySpecFlagNames(refs[1].flags)), "RW insert");

  // An INCOMPLETE spec cannot settle the keys alone, unless partial results are wanted.
  CommandSpec migrate = MustParse("migrate.json", kMigrate);
  std::vector<std::string_view> margv = {"MIGRATE", "h", "1", "", "0", "5", "KEYS", "a", "b"};
  EXPECT_FALSE(GetKeysFromArgs(migrate, margv, &refs));
  EXPECT_TRUE(refs.empty());
  ASSERT_TRUE(GetKeysFromArgs(migrate, margv, &refs, {.partial = true}));
  std::vector<int> positions;
  for (const KeyRef& r : refs) positions.push_back(r.pos);
  EXPECT_EQ(positions, V({3, 7, 8}));
}

TEST(CommandSpecTest, UnknownKeySpecNeedsPartial) {
  CommandSpec spec = MustParse("sortlike.json", R"({"SORTLIKE": {
    "summary": "s", "group": "generic", "since": "1.0.0", "arity": -2,
    "command_flags": ["WRITE"],
    "key_specs": [
      {"flags": ["RO", "ACCESS"], "begin_search": {"index": {"pos": 1}},
       "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}},
      {"flags": ["OW", "UPDATE"], "begin_search": {"unknown": null},
       "find_keys": {"unknown": null}}]}})");
  EXPECT_TRUE(spec.Has(kCmdMovableKeys));
  EXPECT_EQ(spec.legacy_range.first, 1);
  EXPECT_EQ(spec.legacy_range.last, 1);
  std::vector<std::string_view> argv = {"SORTLIKE", "k", "STORE", "d"};
  std::vector<KeyRef> refs;
  EXPECT_FALSE(GetKeysFromArgs(spec, argv, &refs));
  ASSERT_TRUE(GetKeysFromArgs(spec, argv, &refs, {.partial = true}));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].pos, 1);
}

TEST(CommandSpecTest, NotKeySpecsAreSkippedUnlessAsked) {
  CommandSpec spec = MustParse("pub.json", R"({"PUB": {
    "summary": "s", "group": "pubsub", "since": "7.0.0", "arity": 3,
    "command_flags": ["PUBSUB"],
    "key_specs": [{"flags": ["NOT_KEY"], "begin_search": {"index": {"pos": 1}},
                   "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}}]}})");
  EXPECT_FALSE(HasKeyArguments(spec));
  std::vector<std::string_view> argv = {"PUB", "channel", "msg"};
  std::vector<KeyRef> refs;
  ASSERT_TRUE(GetKeysFromArgs(spec, argv, &refs));
  EXPECT_TRUE(refs.empty());
  ASSERT_TRUE(GetKeysFromArgs(spec, argv, &refs, {.include_not_keys = true}));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(Join(EffectiveAclCategories(spec)), "@pubsub @slow");
}

TEST(CommandSpecTest, ImplicitCategoryRules) {
  CommandSpec spec = MustParse("x.json", R"({"X": {
    "summary": "s", "group": "scripting", "since": "1.0.0", "arity": 1,
    "command_flags": ["READONLY", "ADMIN", "FAST"], "acl_categories": ["SCRIPTING"]}})");
  // READONLY does not imply @read for a @scripting command; ADMIN brings @dangerous.
  EXPECT_EQ(Join(EffectiveAclCategories(spec)), "@admin @fast @dangerous @scripting");
  EXPECT_EQ(EffectiveAclCategoryBits(spec) & kAclSlow, 0u);
  EXPECT_EQ(AclCategoryFromName("SortedSet"), kAclSortedSet);
  EXPECT_EQ(AclCategoryFromName("nope"), 0u);
  EXPECT_EQ(AclCategoryName(kAclHyperLogLog), "hyperloglog");
}

constexpr std::string_view kValid = R"({"FOO": {
  "summary": "s", "group": "generic", "since": "1.0.0", "arity": -2,
  "command_flags": ["WRITE"],
  "key_specs": [{"flags": ["RW"], "begin_search": {"index": {"pos": 1}},
                 "find_keys": {"range": {"lastkey": 0, "step": 1, "limit": 0}}}],
  "arguments": [{"name": "key", "type": "key", "key_spec_index": 0},
                {"name": "mode", "type": "oneof", "optional": true, "arguments": [
                  {"name": "a", "type": "pure-token", "token": "A"}]}]}})";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

TEST(CommandSpecTest, RejectsBadSpecs) {
  CommandSpec spec;
  ASSERT_TRUE(ParseCommandSpec("foo.json", kValid, &spec).ok());
  EXPECT_EQ(spec.name, "FOO");

  struct Case {
    const char* what;
    std::string json;
    std::string_view file = "foo.json";
  } cases[] = {
      {"unknown flag", Replace(kValid, R"(["WRITE"])", R"(["WRITE", "FLY"])")},
      {"lower-case flag", Replace(kValid, R"(["WRITE"])", R"(["write"])")},
      {"derived flag", Replace(kValid, R"(["WRITE"])", R"(["MOVABLEKEYS"])")},
      {"repeated flag", Replace(kValid, R"(["WRITE"])", R"(["WRITE", "WRITE"])")},
      {"unknown category", Replace(kValid, R"("arity")", R"("acl_categories": ["FUN"], "arity")")},
      {"unknown key flag", Replace(kValid, R"(["RW"])", R"(["RWX"])")},
      {"unknown arg type", Replace(kValid, R"("type": "key")", R"("type": "keys")")},
      {"missing summary", Replace(kValid, R"("summary": "s", )", "")},
      {"missing arity", Replace(kValid, R"("arity": -2,)", "")},
      {"zero arity", Replace(kValid, R"("arity": -2)", R"("arity": 0)")},
      {"string arity", Replace(kValid, R"("arity": -2)", R"("arity": "-2")")},
      {"missing group", Replace(kValid, R"("group": "generic", )", "")},
      {"unknown group", Replace(kValid, R"("generic")", R"("genetic")")},
      {"unknown field", Replace(kValid, R"("since")", R"("function": "fooCommand", "since")")},
      {"misspelt field", Replace(kValid, R"("command_flags")", R"("comand_flags")")},
      {"key index range", Replace(kValid, R"("key_spec_index": 0)", R"("key_spec_index": 1)")},
      {"key without index", Replace(kValid, R"(, "key_spec_index": 0)", "")},
      {"token-less pure-token", Replace(kValid, R"(, "token": "A")", "")},
      {"empty oneof", Replace(kValid, R"([
                  {"name": "a", "type": "pure-token", "token": "A"}])",
                              "[]")},
      {"unknown begin_search",
       Replace(kValid, R"({"index": {"pos": 1}})", R"({"at": {"pos": 1}})")},
      {"unknown find_keys", Replace(kValid, R"({"range")", R"({"span")")},
      {"zero step", Replace(kValid, R"("step": 1)", R"("step": 0)")},
      {"unknown arg field", Replace(kValid, R"("optional": true)", R"("optionnal": true)")},
      {"not json", std::string(kValid.substr(0, 40))},
      {"two commands", R"({"FOO": {}, "BAR": {}})"},
      {"lower-case name", Replace(kValid, R"("FOO")", R"("foo")")},
      {"wrong file", std::string(kValid), "bar.json"},
      {"subcommand file", Replace(kValid, R"("since")", R"("container": "OBJ", "since")")},
  };
  for (const Case& c : cases) {
    CommandSpec out;
    Status s = ParseCommandSpec(c.file, c.json, &out);
    EXPECT_FALSE(s.ok()) << c.what;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.what;
    EXPECT_NE(s.message().find(c.file), std::string::npos) << s.message();
  }

  // The same subcommand in its proper file is fine.
  CommandSpec sub;
  Status s = ParseCommandSpec(
      "obj-foo.json", Replace(kValid, R"("since")", R"("container": "OBJ", "since")"), &sub);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(sub.name, "OBJ|FOO");
}

TEST(CommandSpecTest, ErrorNamesTheUnknownFlag) {
  CommandSpec out;
  Status s = ParseCommandSpec("foo.json", Replace(kValid, R"(["WRITE"])", R"(["FLY"])"), &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("FLY"), std::string::npos) << s.message();
}

TEST(CommandSpecTest, FlagNamesFollowRedisOrderAndHideInternalFlags) {
  uint64_t all = 0;
  for (int i = 0; i <= 24; ++i) all |= 1ull << i;
  EXPECT_EQ(Join(FlagNames(all)),
            "write readonly denyoom module admin pubsub noscript blocking loading stale "
            "skip_monitor skip_slowlog asking fast no_auth no_mandatory_keys no_async_loading "
            "no_multi movablekeys allow_busy");
  EXPECT_EQ(Join(KeySpecFlagNames(kKeyRM | kKeyDelete | kKeyIncomplete)), "RM delete incomplete");
}

}  // namespace
}  // namespace duet
