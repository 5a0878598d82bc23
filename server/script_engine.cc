#include "server/script_engine.h"

#include <sys/uio.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "protocol/errors.h"
#include "server/memory_guard.h"
#include "server/script_lua.h"
#include "server/server.h"
#include "utils/clock.h"
#include "utils/logging.h"
#include "utils/sha1.h"

extern "C" {
int luaopen_cjson(lua_State* L);
int luaopen_bit(lua_State* L);
}

namespace duet {

struct ScriptEngine::Script {
  std::string sha;
  std::string body;
  int ref = 0;  // the compiled chunk in the Lua registry
  uint32_t flags = 0;
};

namespace {

constexpr int kHookInstructions = 100000;
constexpr char kEngineKey[] = "duet.engine";
constexpr std::string_view kKilledError = "-ERR Script killed by user with SCRIPT KILL...";
constexpr std::string_view kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

ScriptEngine* EngineFromRegistry(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kEngineKey);
  auto* e = static_cast<ScriptEngine*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return e;
}

void Hook(lua_State* L, lua_Debug*) { EngineFromRegistry(L)->OnHook(L); }

// Error handler for lua_pcall: turns whatever was raised into a table
// {err=..., source=..., line=...} naming the script position that failed.
int ErrorHandler(lua_State* L) {
  if (lua_type(L, 1) != LUA_TTABLE) {
    const char* s = lua_tostring(L, 1);
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "ERR ");
    lua_pushstring(L, s != nullptr ? s : "(error object is not a string)");
    lua_concat(L, 2);
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (std::strcmp(ar.what, "C") == 0) continue;
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
    break;
  }
  lua_settop(L, 1);
  return 1;
}

// _G's guards: reading a missing global and creating one are errors.
int GlobalMissing(lua_State* L) {
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    lua_tostring(L, 2));
}
int GlobalWrite(lua_State* L) { return luaL_error(L, "Attempt to modify a readonly table"); }

// Opens a library; one that only returns its table (Debian's cjson) is made
// a global under `name` too.
// math.random / math.randomseed as Redis has them: the rand48 generator
// (48-bit linear congruential, its standard constants and start state), one
// stream for the server's life, so scripts draw the numbers Redis's would.
constexpr uint64_t kRand48Mask = (uint64_t{1} << 48) - 1;
constexpr double kRand48Max = 2147483647.0;

double NextRandom(uint64_t* state) {
  *state = (0x5DEECE66Dull * *state + 0xB) & kRand48Mask;
  auto r = static_cast<int64_t>(*state >> 17);
  return static_cast<double>(r % 2147483647) / kRand48Max;
}

int MathRandom(lua_State* L) {
  auto* state = static_cast<uint64_t*>(lua_touserdata(L, lua_upvalueindex(1)));
  double r = NextRandom(state);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      return 1;
    case 1: {
      int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      return 1;
    }
    case 2: {
      int l = luaL_checkint(L, 1);
      int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      return 1;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
}

int MathRandomSeed(lua_State* L) {
  auto* state = static_cast<uint64_t*>(lua_touserdata(L, lua_upvalueindex(1)));
  auto seed = static_cast<uint32_t>(static_cast<int32_t>(luaL_checkint(L, 1)));
  *state = (static_cast<uint64_t>(seed) << 16) | 0x330E;
  return 0;
}

// pcall as scripts see it: an error table ({err=...}, what redis.call raises)
// reaches the caller as its message string, as in Redis.
int ScriptPcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  if (status != 0) {
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) {
        lua_replace(L, -2);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  return lua_gettop(L);
}

// rawset refuses the protected globals (the proxy and the table behind it).
int ScriptRawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_getfield(L, LUA_REGISTRYINDEX, "duet.globals");
  bool is_globals = lua_rawequal(L, 1, -1) != 0;
  lua_pop(L, 1);
  if (is_globals || lua_rawequal(L, 1, LUA_GLOBALSINDEX)) {
    lua_pushstring(L, "Attempt to modify a readonly table");
    return lua_error(L);
  }
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

void OpenLib(lua_State* L, const char* name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  if (name[0] != '\0' && lua_istable(L, -1)) {
    lua_setglobal(L, name);
  } else {
    lua_pop(L, 1);
  }
}

// Parses "#!lua flags=a,b" (first line of `body`). Returns an error text or "".
std::string ParseShebang(std::string_view body, uint32_t* flags) {
  size_t eol = body.find('\n');
  std::string_view line = body.substr(0, eol);
  size_t sp = line.find(' ');
  std::string_view engine = line.substr(0, sp);
  if (engine != "#!lua") return "ERR Unexpected engine in script shebang: " + std::string(engine);
  *flags = kScriptHasShebang;
  std::string_view rest = sp == std::string_view::npos ? "" : line.substr(sp + 1);
  while (!rest.empty()) {
    size_t e = rest.find(' ');
    std::string_view opt = rest.substr(0, e);
    rest = e == std::string_view::npos ? "" : rest.substr(e + 1);
    if (opt.empty()) continue;
    if (opt.substr(0, 6) != "flags=") return "ERR Unknown lua shebang option: " + std::string(opt);
    std::string_view list = opt.substr(6);
    while (!list.empty()) {
      size_t c = list.find(',');
      std::string_view f = list.substr(0, c);
      list = c == std::string_view::npos ? "" : list.substr(c + 1);
      if (f == "no-writes") {
        *flags |= kScriptNoWrites;
      } else if (f == "allow-oom") {
        *flags |= kScriptAllowOom;
      } else if (f == "allow-stale") {
        *flags |= kScriptAllowStale;
      } else if (f == "no-cluster") {
        *flags |= kScriptNoCluster;
      } else if (f == "allow-cross-slot-keys") {
        *flags |= kScriptAllowCrossSlot;
      } else if (!f.empty()) {
        return "ERR Unexpected flag in script shebang: " + std::string(f);
      }
    }
  }
  return "";
}

}  // namespace

ScriptEngine::ScriptEngine(Server& server) : server_(server) {
  script_client_.deny_blocking = true;
  script_client_.monitor_addr = "lua";  // MONITOR shows script commands as [db lua]
  script_client_.name = "";
  script_client_.addr = "";
  CreateState();
}

ScriptEngine::~ScriptEngine() { CloseState(); }

void ScriptEngine::CreateState() {
  L_ = luaL_newstate();
  lua_State* L = L_;
  lua_pushlightuserdata(L, this);
  lua_setfield(L, LUA_REGISTRYINDEX, kEngineKey);
  // The libraries Redis gives scripts; no io, os, package or debug.
  OpenLib(L, "", luaopen_base);
  OpenLib(L, LUA_TABLIBNAME, luaopen_table);
  OpenLib(L, LUA_STRLIBNAME, luaopen_string);
  OpenLib(L, LUA_MATHLIBNAME, luaopen_math);
  OpenLib(L, "cjson", luaopen_cjson);
  OpenLib(L, "bit", luaopen_bit);
  OpenStructLib(L);
  OpenCmsgpackLib(L);
  lua_settop(L, 0);
  for (const char* name :
       {"dofile", "loadfile", "print", "setfenv", "getfenv", "module", "require", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, "math");
  lua_pushlightuserdata(L, &rand48_);
  lua_pushcclosure(L, MathRandom, 1);
  lua_setfield(L, -2, "random");
  lua_pushlightuserdata(L, &rand48_);
  lua_pushcclosure(L, MathRandomSeed, 1);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
  lua_pushcfunction(L, ScriptPcall);
  lua_setglobal(L, "pcall");
  lua_pushcfunction(L, ScriptRawset);
  lua_setglobal(L, "rawset");
  RegisterRedisApi(L, this);
  // The libraries are read-only too: each global table is replaced by a proxy
  // that reads through and refuses writes.
  for (const char* lib :
       {"redis", "string", "table", "math", "cjson", "bit", "struct", "cmsgpack", "coroutine"}) {
    lua_getglobal(L, lib);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    lua_newtable(L);
    lua_newtable(L);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, GlobalWrite);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, lib);
    lua_pop(L, 1);
  }
  lua_getglobal(L, "redis");
  redis_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  // KEYS and ARGV: two tables for the engine's life, refilled per call.
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "KEYS");
  keys_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "ARGV");
  argv_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, ErrorHandler);
  error_handler_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);

  // Protection: scripts see a proxy of the globals that reads through to the
  // real table (whose own metatable rejects missing names) and refuses writes.
  lua_pushvalue(L, LUA_GLOBALSINDEX);  // G
  int g = lua_gettop(L);
  lua_pushvalue(L, g);
  lua_setfield(L, LUA_REGISTRYINDEX, "duet.globals");
  lua_newtable(L);  // G's metatable
  lua_pushcfunction(L, GlobalMissing);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, g);
  lua_newtable(L);  // P
  int p = lua_gettop(L);
  lua_newtable(L);  // P's metatable
  lua_pushvalue(L, g);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, GlobalWrite);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, p);
  lua_pushvalue(L, p);
  lua_setfield(L, g, "_G");
  lua_pushvalue(L, p);
  lua_replace(L, LUA_GLOBALSINDEX);
  lua_settop(L, 0);
  lua_sethook(L, Hook, LUA_MASKCOUNT, kHookInstructions);
}

void ScriptEngine::CloseState() {
  functions_.clear();
  libraries_.clear();
  by_body_.clear();
  by_sha_.clear();
  if (L_ != nullptr) lua_close(L_);
  L_ = nullptr;
}

size_t ScriptEngine::memory_used() const {
  return L_ == nullptr ? 0 : static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024;
}

void ScriptEngine::Flush() {
  // Function libraries live in the same interpreter: only the scripts go.
  for (auto& [sha, script] : by_sha_) luaL_unref(L_, LUA_REGISTRYINDEX, script->ref);
  by_body_.clear();
  by_sha_.clear();
  lua_gc(L_, LUA_GCCOLLECT, 0);
}

bool ScriptEngine::Exists(std::string_view sha) const {
  if (sha.size() != 40) return false;
  char lower[40];
  for (size_t i = 0; i < 40; ++i) {
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(sha[i])));
  }
  return by_sha_.find(std::string_view(lower, 40)) != by_sha_.end();
}

ScriptEngine::Script* ScriptEngine::Compile(std::string_view body, ReplyBuilder& rb,
                                            const std::string* known_sha) {
  auto cached = by_body_.find(body);
  if (cached != by_body_.end()) return cached->second;
  uint32_t flags = 0;
  std::string source(body);
  if (body.substr(0, 2) == "#!") {
    std::string err = ParseShebang(body, &flags);
    if (!err.empty()) {
      rb.Error(err);
      return nullptr;
    }
    // The shebang line becomes a comment, so line numbers stay right.
    source[0] = '-';
    source[1] = '-';
  }
  if (luaL_loadbuffer(L_, source.data(), source.size(), "@user_script") != 0) {
    std::string err = "ERR Error compiling script (new function): ";
    const char* m = lua_tostring(L_, -1);
    err += m != nullptr ? m : "";
    lua_pop(L_, 1);
    rb.Error(err);
    return nullptr;
  }
  auto script = std::make_unique<Script>();
  if (known_sha != nullptr) {
    script->sha = *known_sha;
  } else {
    Sha1Digest d = Sha1(body);
    script->sha = HexLower(d.data(), d.size());
  }
  script->body = std::string(body);
  script->ref = luaL_ref(L_, LUA_REGISTRYINDEX);
  script->flags = flags;
  Script* s = script.get();
  auto [it, inserted] = by_sha_.try_emplace(s->sha, std::move(script));
  if (!inserted) {  // same digest, different text: keep the first
    luaL_unref(L_, LUA_REGISTRYINDEX, s->ref);
    return it->second.get();
  }
  by_body_.emplace(s->body, s);
  return s;
}

void ScriptEngine::Load(CommandContext& ctx, std::string_view body) {
  Script* s = Compile(body, ctx.rb, nullptr);
  if (s != nullptr) ctx.rb.Bulk(s->sha);
}

std::string_view ScriptEngine::Kill(bool function) {
  if (running_ == nullptr) return "NOTBUSY No scripts in execution right now.";
  if (running_->is_function != function) {
    return function ? "NOTBUSY No scripts in execution right now."
                    : "NOTBUSY No scripts in execution right now.";
  }
  if (running_->wrote) {
    return "UNKILLABLE Sorry the script already executed write commands against the dataset. "
           "You can either wait the script termination or kill the server in a hard way using "
           "the SHUTDOWN NOSAVE command.";
  }
  kill_requested_ = true;
  return {};
}

std::string_view ScriptEngine::BusyError() const {
  if (running_ != nullptr && running_->is_function) {
    return "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN "
           "NOSAVE.";
  }
  return kBusyEval;
}

bool ScriptEngine::running_function() const { return running_ != nullptr && running_->is_function; }

void ScriptEngine::SetResp(int v) {
  if (running_ != nullptr) running_->resp = v;
  script_client_.rb.set_resp(v);
}

void ScriptEngine::FillArgs(int table_ref, const std::string_view* items, size_t n) {
  lua_State* L = L_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref);
  // Clear what the previous call (or the script itself) left beyond n.
  size_t old = lua_objlen(L, -1);
  for (size_t i = n + 1; i <= old; ++i) {
    lua_pushnil(L);
    lua_rawseti(L, -2, static_cast<int>(i));
  }
  for (size_t i = 0; i < n; ++i) {
    lua_pushlstring(L, items[i].data(), items[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_pop(L, 1);
}

bool ScriptEngine::ParseNumKeys(CommandContext& ctx, int64_t* numkeys,
                                std::string_view not_integer) {
  std::string_view t = ctx.args[2];
  bool neg = !t.empty() && t[0] == '-';
  if (neg) t.remove_prefix(1);
  bool ok = !t.empty() && t.size() < 19;
  int64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') ok = false;
    v = v * 10 + (c - '0');
  }
  if (!ok) {
    ctx.rb.Error(not_integer);
    return false;
  }
  if (neg) {
    ctx.rb.Error("ERR Number of keys can't be negative");
    return false;
  }
  if (static_cast<size_t>(v) > ctx.args.size() - 3) {
    ctx.rb.Error("ERR Number of keys can't be greater than number of args");
    return false;
  }
  *numkeys = v;
  return true;
}

int64_t ScriptEngine::RunningMillis() const {
  return running_ == nullptr ? 0 : (MonotonicMicros() - running_->start_us) / 1000;
}

void ScriptEngine::Eval(CommandContext& ctx, bool by_sha, bool read_only) {
  const auto& args = ctx.args;
  int64_t numkeys;
  if (!ParseNumKeys(ctx, &numkeys)) return;
  Script* script = nullptr;
  if (by_sha) {
    std::string_view sha = args[1];
    if (sha.size() == 40) {
      char lower[40];
      for (size_t i = 0; i < 40; ++i) {
        lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(sha[i])));
      }
      auto it = by_sha_.find(std::string_view(lower, 40));
      if (it != by_sha_.end()) script = it->second.get();
    }
    if (script == nullptr) return ctx.rb.Error("NOSCRIPT No matching script. Please use EVAL.");
  } else {
    script = Compile(args[1], ctx.rb, nullptr);
    if (script == nullptr) return;
  }
  FillArgs(keys_ref_, args.data() + 3, static_cast<size_t>(numkeys));
  FillArgs(argv_ref_, args.data() + 3 + numkeys, args.size() - 3 - static_cast<size_t>(numkeys));
  if (read_only && (script->flags & kScriptHasShebang) && !(script->flags & kScriptNoWrites)) {
    return ctx.rb.Error("ERR Can not execute a script with write flag using *_ro command.");
  }
  Run(ctx, script->ref, 0, script->sha, script->flags, read_only, false);
}

void ScriptEngine::Run(CommandContext& ctx, int fn_ref, int nargs, std::string_view label,
                       uint32_t flags, bool read_only, bool is_function) {
  lua_State* L = L_;
  read_only = read_only || (flags & kScriptNoWrites) != 0;
  RunState rs;
  rs.caller = &ctx.client;
  rs.label = label;
  rs.flags = flags;
  rs.is_function = is_function;
  rs.args = &ctx.args;
  rs.read_only = read_only;
  rs.now_ms = ctx.now_ms;
  rs.start_us = MonotonicMicros();
  // A shebang script that may write is refused up front when out of memory.
  if ((flags & kScriptHasShebang) && !read_only && !(flags & kScriptAllowOom) &&
      server_.config().maxmemory != 0 && !server_.memory().AdmitWrite()) {
    return ctx.rb.Error(kOomError);
  }
  // MONITOR shows EVAL/FCALL (skip_monitor for Call) before the script's commands.
  server_.FeedMonitors(ctx.client, ctx.client.db, ctx.command.name, ctx.args);
  running_ = &rs;
  kill_requested_ = false;
  ctx.client.running_script = true;
  script_client_.db = ctx.client.db;
  script_client_.user = ctx.client.user;
  script_client_.rb.set_resp(2);

  lua_rawgeti(L, LUA_REGISTRYINDEX, error_handler_ref_);
  int handler = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
  if (nargs == 2) {  // functions get (keys, args)
    lua_rawgeti(L, LUA_REGISTRYINDEX, keys_ref_);
    lua_rawgeti(L, LUA_REGISTRYINDEX, argv_ref_);
  }
  // The effects of one script or function (the commands redis.call runs
  // through Server::Call, which propagates each) reach the AOF wrapped in
  // MULTI/EXEC, so a replay applies them atomically. lua_pcall returns
  // normally even when the script fails, so the group always closes.
  server_.BeginPropagateGroup();
  int rc = lua_pcall(L, nargs, 1, handler);
  server_.EndPropagateGroup();
  if (rc == 0) {
    LuaToReply(L, -1, ctx.rb, rs.resp);
  } else if (lua_type(L, -1) == LUA_TTABLE) {
    lua_getfield(L, -1, "err");
    lua_getfield(L, -2, "source");
    lua_getfield(L, -3, "line");
    const char* err = lua_tostring(L, -3);
    const char* src = lua_tostring(L, -2);
    std::string msg = err != nullptr ? err : "ERR unknown error";
    if (!msg.empty() && msg[0] == '-') msg.erase(0, 1);
    msg += " script: " + std::string(label) + ", on " + (src != nullptr ? src : "?") + ":" +
           std::to_string(lua_tointeger(L, -1)) + ".";
    ctx.rb.Error(msg);
  } else {
    const char* err = lua_tostring(L, -1);
    ctx.rb.Error(std::string("ERR ") + (err != nullptr ? err : "unknown error"));
  }
  lua_settop(L, 0);
  running_ = nullptr;
  ctx.client.running_script = false;
  if (kill_requested_) lua_sethook(L, Hook, LUA_MASKCOUNT, kHookInstructions);
  kill_requested_ = false;
  if (busy_) {
    busy_ = false;
    LogWarning("Slow script finished after " +
               std::to_string((MonotonicMicros() - rs.start_us) / 1000) + " ms");
  }
}

void ScriptEngine::OnHook(lua_State* L) {
  RunState* rs = running_;
  if (rs == nullptr) {
    // FUNCTION LOAD: a library's top-level code gets 500 ms, as in Redis.
    if (loading_ != nullptr && MonotonicMicros() > load_deadline_us_) {
      PushErrorTable(L, "FUNCTION LOAD timeout");
      lua_error(L);
    }
    return;
  }
  if (!busy_) {
    int64_t threshold = server_.config().busy_reply_threshold;
    if (threshold > 0 && MonotonicMicros() - rs->start_us >= threshold * 1000) {
      busy_ = true;
      LogWarning("Slow script detected: still in execution after " + std::to_string(threshold) +
                 " milliseconds. You can try killing the script using the SCRIPT KILL command. "
                 "Script SHA1 is: " +
                 std::string(rs->label));
    }
  }
  if (busy_ && server_.hooks().process_events_while_busy) {
    server_.hooks().process_events_while_busy();
  }
  if (kill_requested_) {
    // Raised again at every line, so a pcall in the script cannot swallow it.
    lua_sethook(L, Hook, LUA_MASKLINE, 0);
    PushErrorTable(L, kKilledError);
    lua_error(L);
  }
}

int ScriptEngine::CallFromLua(lua_State* L, bool raise) {
  const char* error = nullptr;  // static texts only: lua_error skips destructors
  int argc = lua_gettop(L);
  const Command* cmd = nullptr;
  RunState* rs = running_;
  if (rs == nullptr) {
    error = "-ERR redis.call is only available while a script runs";
  } else if (argc == 0) {
    error = "-ERR Please specify at least one argument for this redis lib call";
  } else {
    call_args_.clear();
    if (num_args_.size() < static_cast<size_t>(argc)) num_args_.resize(static_cast<size_t>(argc));
    for (int i = 1; i <= argc && error == nullptr; ++i) {
      int t = lua_type(L, i);
      if (t == LUA_TSTRING) {
        size_t n;
        const char* s = lua_tolstring(L, i, &n);
        call_args_.emplace_back(s, n);
      } else if (t == LUA_TNUMBER) {
        char buf[64];
        int n = std::snprintf(buf, sizeof(buf), "%.17g", static_cast<double>(lua_tonumber(L, i)));
        std::string& slot = num_args_[static_cast<size_t>(i - 1)];
        slot.assign(buf, static_cast<size_t>(n));
        call_args_.emplace_back(slot);
      } else {
        error = "-ERR Lua redis lib command arguments must be strings or integers";
      }
    }
  }
  if (error == nullptr) {
    bool unknown_sub = false;
    cmd = server_.commands().Lookup(call_args_, &unknown_sub);
    if (cmd == nullptr || cmd->handler == nullptr) {
      error = "-ERR Unknown Redis command called from script";
    } else if (!cmd->ArityOk(call_args_.size())) {
      error = "-ERR Wrong number of args calling Redis command from script";
    } else if (cmd->has(kCmdNoScript)) {
      error = "-ERR This Redis command is not allowed from script";
    } else if (cmd->has(kCmdWrite) && rs->read_only) {
      error = "-ERR Write commands are not allowed from read-only scripts.";
    } else if (cmd->has(kCmdDenyOom) && server_.config().maxmemory != 0 && !rs->wrote &&
               !(rs->flags & kScriptAllowOom) && !server_.memory().AdmitWrite()) {
      error = "-OOM command not allowed when used memory > 'maxmemory'.";
    }
  }
  if (error != nullptr) {
    PushErrorTable(L, error);
    if (raise) return lua_error(L);
    return 1;
  }
  Client& sc = script_client_;
  if (sc.user != nullptr && !sc.user->unrestricted &&
      !server_.acl().Permit(sc, *cmd, call_args_, rs->now_ms)) {
    // Permit wrote (and logged) a client's NOPERM; scripts get Redis's own
    // wording, chosen by what was refused.
    ReplyBuffer& refused = sc.replies;
    struct iovec v[1];
    int k = refused.FillIov(v, 1);
    std::string_view text =
        k > 0 ? std::string_view(static_cast<const char*>(v[0].iov_base), v[0].iov_len) : "";
    const char* msg =
        text.find("channel") != std::string_view::npos
            ? "-ERR The user executing the script can't publish to the channel mentioned in the "
              "command"
        : text.find("key") != std::string_view::npos
            ? "-ERR The user executing the script can't access at least one of the keys "
              "mentioned in the command"
            : "-ERR The user executing the script can't run this command or subcommand";
    refused.Consume(refused.pending());
    PushErrorTable(L, msg);
    if (raise) return lua_error(L);
    return 1;
  } else {
    if (cmd->has(kCmdWrite)) rs->wrote = true;
    server_.Call(sc, *cmd, call_args_, rs->now_ms);
  }
  // Parse the reply back into Lua.
  ReplyBuffer& out = sc.replies;
  struct iovec iov[64];
  int n = out.FillIov(iov, 64);
  const char* begin;
  const char* end;
  if (n == 1) {
    begin = static_cast<const char*>(iov[0].iov_base);
    end = begin + iov[0].iov_len;
  } else {
    reply_scratch_.clear();
    while (!out.empty()) {
      n = out.FillIov(iov, 64);
      size_t taken = 0;
      for (int i = 0; i < n; ++i) {
        reply_scratch_.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        taken += iov[i].iov_len;
      }
      out.Consume(taken);
    }
    begin = reply_scratch_.data();
    end = begin + reply_scratch_.size();
  }
  bool is_error = begin != end && *begin == '-';
  if (begin != end) {
    if (is_error) {
      PushErrorTable(L, std::string_view(begin, static_cast<size_t>(end - begin - 2)));
    } else {
      PushRespAsLua(L, begin, end);
    }
  } else {
    lua_pushnil(L);
  }
  out.Consume(out.pending());
  if (is_error && raise) return lua_error(L);
  return 1;
}

int LuaGlobalMissing(lua_State* L) { return GlobalMissing(L); }
int LuaGlobalWrite(lua_State* L) { return GlobalWrite(L); }

}  // namespace duet
