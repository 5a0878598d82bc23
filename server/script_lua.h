#pragma once
// Internals shared by the script engine's files: conversions between Lua
// values and RESP replies, and the `redis` table given to scripts. Every
// function here runs on the engine's lua_State.
//
// Lua 5.1 reports errors with longjmp, so C functions called from Lua must not
// hold objects with destructors when they raise (script_engine.cc keeps its
// scratch state in members for that reason).

#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

#include "protocol/reply_builder.h"
#include "server/script_engine.h"

namespace duet {

class ScriptEngine;

// Writes the Lua value at `idx` as a reply, following Redis's rules (numbers
// truncate to integers, arrays stop at the first nil, {ok=}, {err=},
// {double=}, {map=}, {set=}, {big_number=}); `script_resp` is the version the
// script chose with redis.setresp (booleans depend on it).
void LuaToReply(lua_State* L, int idx, ReplyBuilder& rb, int script_resp);

// Pushes the one RESP reply in [p, end) as a Lua value; returns where it ended.
const char* PushRespAsLua(lua_State* L, const char* p, const char* end);

// Pushes {err=...} for an error text the way Redis normalises it: a leading
// '-' is dropped, and a text without an error code gets "ERR ".
void PushErrorTable(lua_State* L, std::string_view text);

// Installs the global `redis` table (call, pcall, error_reply, ...).
void RegisterRedisApi(lua_State* L, ScriptEngine* engine);

// A function library (FUNCTION LOAD) and its functions.
struct ScriptEngine::Function {
  std::string name;
  Library* library = nullptr;
  int ref = 0;  // the callback in the Lua registry
  uint32_t flags = 0;
  std::string description;
  bool has_description = false;
};

struct ScriptEngine::Library {
  std::string name;
  std::string code;
  std::vector<std::unique_ptr<Function>> functions;
};

// The state of the script or function running now.
struct ScriptEngine::RunState {
  Client* caller = nullptr;
  std::string_view label;  // SHA1 of an EVAL script, or the function's name
  uint32_t flags = 0;      // ScriptFlag bits
  bool is_function = false;
  const std::vector<std::string_view>* args = nullptr;  // the EVAL/FCALL request
  bool read_only = false;
  bool wrote = false;
  int resp = 2;
  int64_t now_ms = 0;
  int64_t start_us = 0;
};

// The guards of the protected globals (script_engine.cc).
int LuaGlobalMissing(lua_State* L);
int LuaGlobalWrite(lua_State* L);

// Opens the `struct` and `cmsgpack` libraries written for Duet (script_libs.cc).
void OpenStructLib(lua_State* L);
void OpenCmsgpackLib(lua_State* L);

}  // namespace duet
