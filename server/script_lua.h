#pragma once
// Internals shared by the script engine's files: conversions between Lua
// values and RESP replies, and the `redis` table given to scripts. Every
// function here runs on the engine's lua_State.
//
// Lua 5.1 reports errors with longjmp, so C functions called from Lua must not
// hold objects with destructors when they raise (script_engine.cc keeps its
// scratch state in members for that reason).

#include <string_view>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

#include "protocol/reply_builder.h"

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

// Opens the `struct` and `cmsgpack` libraries written for Duet (script_libs.cc).
void OpenStructLib(lua_State* L);
void OpenCmsgpackLib(lua_State* L);

}  // namespace duet
