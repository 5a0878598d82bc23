// Lua <-> RESP conversions and the `redis` table scripts see (script_lua.h).

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server/script_engine.h"
#include "server/script_lua.h"
#include "server/version.h"
#include "utils/logging.h"
#include "utils/sha1.h"

namespace duet {
namespace {

int64_t ParseInt(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

ScriptEngine* EngineOf(lua_State* L) {
  return static_cast<ScriptEngine*>(lua_touserdata(L, lua_upvalueindex(1)));
}

void SetStringField(lua_State* L, const char* field, std::string_view v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, field);
}

// Counts the array part the way Redis walks it: up to the first nil.
size_t ArrayLength(lua_State* L, int idx) {
  size_t n = 0;
  while (true) {
    lua_rawgeti(L, idx, static_cast<int>(n + 1));
    bool nil = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (nil) return n;
    ++n;
  }
}

size_t PairCount(lua_State* L, int idx) {
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    ++n;
  }
  return n;
}

// Raises `msg` as Redis does for its API misuse: no script position prefix.
int Raise(lua_State* L, const char* msg) {
  lua_pushstring(L, msg);
  return lua_error(L);
}

// ---- redis.* ----------------------------------------------------------------

int RedisCall(lua_State* L) { return EngineOf(L)->CallFromLua(L, true); }
int RedisPCall(lua_State* L) { return EngineOf(L)->CallFromLua(L, false); }

int RedisErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  if (n > 0 && s[0] == '-') {
    PushErrorTable(L, std::string_view(s, n));
  } else {
    // Without a leading '-' the whole text is the message (code ERR).
    lua_pushfstring(L, "-%s", s);
    size_t m;
    const char* t = lua_tolstring(L, -1, &m);
    PushErrorTable(L, std::string_view(t, m));
  }
  return 1;
}

int RedisStatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisSha1Hex(lua_State* L) {
  if (lua_gettop(L) != 1) return Raise(L, "wrong number of arguments");
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  if (s == nullptr) s = "", n = 0;
  Sha1Digest d = Sha1(std::string_view(s, n));
  static const char kHex[] = "0123456789abcdef";
  char hex[40];
  for (size_t i = 0; i < 20; ++i) {
    hex[2 * i] = kHex[d[i] >> 4];
    hex[2 * i + 1] = kHex[d[i] & 15];
  }
  lua_pushlstring(L, hex, 40);
  return 1;
}

int RedisLog(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) return Raise(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) return Raise(L, "First argument must be a number (log level).");
  int level = static_cast<int>(lua_tonumber(L, 1));
  if (level < 0 || level > 3) return Raise(L, "Invalid debug level.");
  // Joined on the Lua stack so nothing with a destructor outlives an error.
  for (int i = 2; i <= argc; ++i) {
    if (i > 2) lua_pushliteral(L, " ");
    lua_pushvalue(L, i);
    if (!lua_isstring(L, -1)) {
      lua_pop(L, 1);
      lua_pushliteral(L, "");
    }
  }
  lua_concat(L, 2 * (argc - 1) - 1);
  std::string msg(lua_tostring(L, -1));
  switch (level) {
    case 0:
      LogDebug(msg);
      break;
    case 1:
      LogVerbose(msg);
      break;
    case 2:
      LogNotice(msg);
      break;
    default:
      LogWarning(msg);
      break;
  }
  return 0;
}

int RedisSetResp(lua_State* L) {
  if (lua_gettop(L) != 1) return Raise(L, "redis.setresp() requires one argument.");
  int v = static_cast<int>(lua_tonumber(L, 1));
  if (v != 2 && v != 3) return Raise(L, "RESP version must be 2 or 3.");
  ScriptEngine::RunState* rs = EngineOf(L)->run_state();
  if (rs != nullptr) EngineOf(L)->SetResp(v);
  return 0;
}

int RedisSetRepl(lua_State* L) {
  if (lua_gettop(L) != 1) return Raise(L, "redis.set_repl() requires one argument.");
  int v = static_cast<int>(lua_tonumber(L, 1));
  if (v < 0 || v > 3) {
    return Raise(L,
                 "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or "
                 "REPL_NONE.");
  }
  return 0;  // effects replication: accepted, every effect is propagated
}

int RedisReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);  // always on since Redis 7.0
  return 1;
}

int RedisBreakpoint(lua_State* L) {
  lua_pushboolean(L, 0);  // no debugger session
  return 1;
}

int RedisDebug(lua_State*) { return 0; }

}  // namespace

void PushErrorTable(lua_State* L, std::string_view text) {
  lua_createtable(L, 0, 1);
  if (!text.empty() && text[0] == '-') {
    text.remove_prefix(1);
    if (text.find(' ') == std::string_view::npos) {
      lua_pushliteral(L, "ERR ");
      lua_pushlstring(L, text.data(), text.size());
      lua_concat(L, 2);
    } else {
      lua_pushlstring(L, text.data(), text.size());
    }
  } else {
    lua_pushliteral(L, "ERR ");
    lua_pushlstring(L, text.data(), text.size());
    lua_concat(L, 2);
  }
  lua_setfield(L, -2, "err");
}

void RegisterRedisApi(lua_State* L, ScriptEngine* engine) {
  lua_newtable(L);
  struct Fn {
    const char* name;
    lua_CFunction fn;
  };
  static const Fn kFns[] = {
      {"call", RedisCall},
      {"pcall", RedisPCall},
      {"error_reply", RedisErrorReply},
      {"status_reply", RedisStatusReply},
      {"sha1hex", RedisSha1Hex},
      {"log", RedisLog},
      {"setresp", RedisSetResp},
      {"set_repl", RedisSetRepl},
      {"replicate_commands", RedisReplicateCommands},
      {"breakpoint", RedisBreakpoint},
      {"debug", RedisDebug},
  };
  for (const Fn& f : kFns) {
    lua_pushlightuserdata(L, engine);
    lua_pushcclosure(L, f.fn, 1);
    lua_setfield(L, -2, f.name);
  }
  struct Num {
    const char* name;
    int value;
  };
  static const Num kNums[] = {
      {"LOG_DEBUG", 0},   {"LOG_VERBOSE", 1},  {"LOG_NOTICE", 2},
      {"LOG_WARNING", 3}, {"REPL_NONE", 0},    {"REPL_AOF", 1},
      {"REPL_SLAVE", 2},  {"REPL_REPLICA", 2}, {"REPL_ALL", 3},
  };
  for (const Num& n : kNums) {
    lua_pushinteger(L, n.value);
    lua_setfield(L, -2, n.name);
  }
  SetStringField(L, "REDIS_VERSION", kRedisCompatVersion);
  int major = 0, minor = 0, patch = 0;
  std::sscanf(std::string(kRedisCompatVersion).c_str(), "%d.%d.%d", &major, &minor, &patch);
  lua_pushinteger(L, (major << 16) | (minor << 8) | patch);
  lua_setfield(L, -2, "REDIS_VERSION_NUM");
  lua_setglobal(L, "redis");
}

// ---- Lua -> reply -----------------------------------------------------------

void LuaToReply(lua_State* L, int idx, ReplyBuilder& rb, int script_resp) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  // A table nested in itself ends here, as in Redis.
  if (!lua_checkstack(L, 4)) return rb.Error("ERR reached lua stack limit");
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      rb.Bulk(std::string_view(s, n));
      return;
    }
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, idx)) {
          rb.Integer(1);
        } else {
          rb.Null();
        }
      } else {
        rb.Bool(lua_toboolean(L, idx) != 0);
      }
      return;
    case LUA_TNUMBER: {
      // Truncated toward zero; out of range (and NaN) gives INT64_MIN, what
      // Redis's plain cast yields on x86-64.
      double d = lua_tonumber(L, idx);
      bool in_range = d > -9223372036854775808.0 && d < 9223372036854775808.0;
      rb.Integer(in_range ? static_cast<int64_t>(d) : INT64_MIN);
      return;
    }
    case LUA_TTABLE:
      break;
    default:
      rb.Null();
      return;
  }
  // Tables: the special one-field forms first, then an array.
  lua_getfield(L, idx, "err");
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const char* s = lua_tolstring(L, -1, &n);
    rb.Error(std::string_view(s, n));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "ok");
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const char* s = lua_tolstring(L, -1, &n);
    rb.SimpleString(std::string_view(s, n));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "double");
  if (lua_type(L, -1) == LUA_TNUMBER) {
    rb.Double(lua_tonumber(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "big_number");
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const char* s = lua_tolstring(L, -1, &n);
    if (rb.resp() == 3) {
      rb.Raw("(");
      rb.Raw(std::string_view(s, n));
      rb.Raw("\r\n");
    } else {
      rb.Bulk(std::string_view(s, n));
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "map");
  if (lua_type(L, -1) == LUA_TTABLE) {
    int m = lua_gettop(L);
    rb.MapHeader(PairCount(L, m));
    lua_pushnil(L);
    while (lua_next(L, m) != 0) {
      LuaToReply(L, -2, rb, script_resp);
      LuaToReply(L, -1, rb, script_resp);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "set");
  if (lua_type(L, -1) == LUA_TTABLE) {
    int m = lua_gettop(L);
    rb.SetHeader(PairCount(L, m));
    lua_pushnil(L);
    while (lua_next(L, m) != 0) {
      LuaToReply(L, -2, rb, script_resp);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  size_t n = ArrayLength(L, idx);
  rb.ArrayHeader(n);
  for (size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, static_cast<int>(i));
    LuaToReply(L, -1, rb, script_resp);
    lua_pop(L, 1);
  }
}

// ---- reply -> Lua -----------------------------------------------------------

const char* PushRespAsLua(lua_State* L, const char* p, const char* end) {
  lua_checkstack(L, 6);
  char type = *p++;
  const char* eol = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
  if (eol == nullptr) eol = end;
  std::string_view line(p, static_cast<size_t>(eol - p));
  const char* next = eol + 2;
  switch (type) {
    case '+':
      lua_createtable(L, 0, 1);
      SetStringField(L, "ok", line);
      return next;
    case '-':
      lua_createtable(L, 0, 1);
      SetStringField(L, "err", line);
      return next;
    case ':':
      lua_pushnumber(L, static_cast<lua_Number>(ParseInt(line)));
      return next;
    case '$': {
      int64_t len = ParseInt(line);
      if (len < 0) {
        lua_pushboolean(L, 0);
        return next;
      }
      lua_pushlstring(L, next, static_cast<size_t>(len));
      return next + len + 2;
    }
    case '*':
    case '>': {
      int64_t n = ParseInt(line);
      if (n < 0) {
        lua_pushboolean(L, 0);
        return next;
      }
      lua_createtable(L, static_cast<int>(n), 0);
      for (int64_t i = 0; i < n; ++i) {
        next = PushRespAsLua(L, next, end);
        lua_rawseti(L, -2, static_cast<int>(i + 1));
      }
      return next;
    }
    case '%':
    case '~': {
      int64_t n = ParseInt(line);
      lua_createtable(L, 0, 1);
      lua_createtable(L, 0, static_cast<int>(n));
      for (int64_t i = 0; i < n; ++i) {
        next = PushRespAsLua(L, next, end);
        if (type == '%') {
          next = PushRespAsLua(L, next, end);
        } else {
          lua_pushboolean(L, 1);
        }
        lua_settable(L, -3);
      }
      lua_setfield(L, -2, type == '%' ? "map" : "set");
      return next;
    }
    case '_':
      lua_pushnil(L);
      return next;
    case ',': {
      std::string text(line);
      lua_createtable(L, 0, 1);
      lua_pushnumber(L, std::strtod(text.c_str(), nullptr));
      lua_setfield(L, -2, "double");
      return next;
    }
    case '#':
      lua_pushboolean(L, !line.empty() && line[0] == 't');
      return next;
    case '(':
      lua_createtable(L, 0, 1);
      SetStringField(L, "big_number", line);
      return next;
    case '=': {
      int64_t len = ParseInt(line);
      std::string_view body(next, static_cast<size_t>(len));
      lua_createtable(L, 0, 1);
      lua_createtable(L, 0, 2);
      SetStringField(L, "format", body.substr(0, 3));
      SetStringField(L, "string", body.size() > 4 ? body.substr(4) : std::string_view());
      lua_setfield(L, -2, "verbatim_string");
      return next + len + 2;
    }
    case '|': {
      // Attributes carry no reply value: skip them, then read what follows.
      int64_t n = ParseInt(line);
      for (int64_t i = 0; i < 2 * n; ++i) {
        next = PushRespAsLua(L, next, end);
        lua_pop(L, 1);
      }
      return PushRespAsLua(L, next, end);
    }
    default:
      lua_pushnil(L);
      return end;
  }
}

}  // namespace duet
