// Function libraries (FUNCTION LOAD, FCALL): the part of ScriptEngine that
// keeps named functions. A library's code runs once at load time in its own
// environment whose `redis` table offers only register_function (and the
// logging helpers); once loaded, that environment's `redis` becomes the full
// table, so the registered callbacks can call commands.

#include <strings.h>

#include <cstring>

#include "protocol/errors.h"
#include "server/script_engine.h"
#include "server/script_lua.h"
#include "server/server.h"
#include "utils/clock.h"
#include "utils/glob.h"

namespace duet {
namespace {

bool ValidName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct FlagName {
  const char* name;
  uint32_t bit;
};
constexpr FlagName kFlagNames[] = {
    {"no-writes", kScriptNoWrites},
    {"allow-oom", kScriptAllowOom},
    {"allow-stale", kScriptAllowStale},
    {"no-cluster", kScriptNoCluster},
    {"allow-cross-slot-keys", kScriptAllowCrossSlot},
};

int RegisterFunction(lua_State* L) {
  auto* e = static_cast<ScriptEngine*>(lua_touserdata(L, lua_upvalueindex(1)));
  return e->RegisterFunctionFromLua(L);
}

int Raise(lua_State* L, const char* msg) {
  lua_pushstring(L, msg);
  return lua_error(L);
}

}  // namespace

int ScriptEngine::RegisterFunctionFromLua(lua_State* L) {
  if (loading_ == nullptr) {
    return Raise(L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  int argc = lua_gettop(L);
  int name_idx = 0, cb_idx = 0, flags_idx = 0, desc_idx = 0;
  if (argc == 1 && lua_istable(L, 1)) {
    lua_getfield(L, 1, "function_name");
    lua_getfield(L, 1, "callback");
    lua_getfield(L, 1, "flags");
    lua_getfield(L, 1, "description");
    name_idx = 2, cb_idx = 3, flags_idx = 4, desc_idx = 5;
    if (lua_type(L, name_idx) != LUA_TSTRING) {
      return Raise(L, "function_name argument given to redis.register_function must be a string");
    }
    if (lua_type(L, cb_idx) != LUA_TFUNCTION) {
      return Raise(L, "callback argument given to redis.register_function must be a function");
    }
    if (!lua_isnil(L, desc_idx) && lua_type(L, desc_idx) != LUA_TSTRING) {
      return Raise(L, "description argument given to redis.register_function must be a string");
    }
    if (!lua_isnil(L, flags_idx) && !lua_istable(L, flags_idx)) {
      return Raise(L,
                   "flags argument to redis.register_function must be a table representing "
                   "function flags");
    }
  } else if (argc == 2) {
    name_idx = 1, cb_idx = 2;
    if (lua_type(L, 1) != LUA_TSTRING) {
      return Raise(L, "first argument to redis.register_function must be a string");
    }
    if (lua_type(L, 2) != LUA_TFUNCTION) {
      return Raise(L, "second argument to redis.register_function must be a function");
    }
  } else {
    return Raise(L, "wrong number of arguments to redis.register_function");
  }
  size_t name_len;
  const char* name_p = lua_tolstring(L, name_idx, &name_len);
  std::string_view name(name_p, name_len);
  if (!ValidName(name)) {
    return Raise(L,
                 "Library names can only contain letters, numbers, or underscores(_) and "
                 "must be at least one character long");
  }
  uint32_t flags = 0;
  if (flags_idx != 0 && lua_istable(L, flags_idx)) {
    for (int i = 1;; ++i) {
      lua_rawgeti(L, flags_idx, i);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        break;
      }
      const char* f = lua_tostring(L, -1);
      uint32_t bit = 0;
      for (const FlagName& fn : kFlagNames) {
        if (f != nullptr && std::strcmp(f, fn.name) == 0) bit = fn.bit;
      }
      lua_pop(L, 1);
      if (bit == 0) return Raise(L, "unknown flag given");
      flags |= bit;
    }
  }
  for (const auto& f : loading_->functions) {
    if (f->name == name) return Raise(L, "Function already exists in the library");
  }
  auto fn = std::make_unique<Function>();
  fn->name.assign(name);
  fn->library = loading_;
  fn->flags = flags;
  if (desc_idx != 0 && lua_type(L, desc_idx) == LUA_TSTRING) {
    size_t n;
    const char* d = lua_tolstring(L, desc_idx, &n);
    fn->description.assign(d, n);
    fn->has_description = true;
  }
  lua_pushvalue(L, cb_idx);
  fn->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  loading_->functions.push_back(std::move(fn));
  return 0;
}

void ScriptEngine::DropLibrary(Library* lib) {
  for (const auto& f : lib->functions) {
    auto it = functions_.find(f->name);
    if (it != functions_.end() && it->second == f.get()) functions_.erase(it);
    luaL_unref(L_, LUA_REGISTRYINDEX, f->ref);
  }
  libraries_.erase(lib->name);
}

bool ScriptEngine::LoadLibrary(std::string_view code, bool replace, std::string* name,
                               std::string* error) {
  if (code.substr(0, 2) != "#!") {
    *error = "ERR Missing library metadata";
    return false;
  }
  std::string_view line = code.substr(0, code.find('\n'));
  std::string_view engine = line.substr(2, line.find(' ') - 2);
  if (engine != "lua") {
    *error = "ERR Engine '" + std::string(engine) + "' not found";
    return false;
  }
  std::string libname;
  bool named = false;
  std::string_view rest = line.size() > 2 + engine.size() ? line.substr(3 + engine.size()) : "";
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view tok = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? "" : rest.substr(sp + 1);
    if (tok.empty()) continue;
    if (tok.substr(0, 5) == "name=") {
      libname.assign(tok.substr(5));
      named = true;
    } else {
      *error = "ERR Invalid metadata value given: " + std::string(tok);
      return false;
    }
  }
  if (!named) {
    *error = "ERR Library name was not given";
    return false;
  }
  if (!ValidName(libname)) {
    *error =
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
        "least one character long";
    return false;
  }
  auto existing = libraries_.find(libname);
  if (existing != libraries_.end() && !replace) {
    *error = "ERR Library '" + libname + "' already exists";
    return false;
  }
  lua_State* L = L_;
  std::string source(code);
  source[0] = '-';
  source[1] = '-';
  lua_rawgeti(L, LUA_REGISTRYINDEX, error_handler_ref_);
  int handler = lua_gettop(L);
  if (luaL_loadbuffer(L, source.data(), source.size(), "@user_function") != 0) {
    const char* m = lua_tostring(L, -1);
    *error = std::string("ERR Error compiling function: ") + (m != nullptr ? m : "");
    lua_settop(L, handler - 1);
    return false;
  }
  int chunk = lua_gettop(L);
  // The library's environment: reads fall through to the globals, writes fail.
  lua_newtable(L);
  int env = lua_gettop(L);
  lua_newtable(L);
  lua_getfield(L, LUA_REGISTRYINDEX, "duet.globals");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, LuaGlobalWrite);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, env);
  // The load-time `redis`: register_function, logging and the constants.
  lua_newtable(L);
  int loader = lua_gettop(L);
  lua_pushlightuserdata(L, this);
  lua_pushcclosure(L, RegisterFunction, 1);
  lua_setfield(L, loader, "register_function");
  lua_rawgeti(L, LUA_REGISTRYINDEX, redis_ref_);
  for (const char* f :
       {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
        "REDIS_VERSION_NUM", "setresp", "error_reply", "status_reply", "sha1hex"}) {
    lua_getfield(L, -1, f);
    lua_setfield(L, loader, f);
  }
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, LuaGlobalMissing);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, loader);
  lua_pushvalue(L, loader);
  lua_pushliteral(L, "redis");
  lua_insert(L, -2);
  lua_rawset(L, env);
  lua_settop(L, env);
  lua_pushvalue(L, env);
  lua_setfenv(L, chunk);

  auto lib = std::make_unique<Library>();
  lib->name = libname;
  lib->code.assign(code);
  loading_ = lib.get();
  load_deadline_us_ = MonotonicMicros() + 500000;
  lua_pushvalue(L, chunk);
  int rc = lua_pcall(L, 0, 0, handler);
  loading_ = nullptr;
  auto discard = [&] {
    for (const auto& f : lib->functions) luaL_unref(L, LUA_REGISTRYINDEX, f->ref);
    lua_settop(L, handler - 1);
  };
  if (rc != 0) {
    const char* m = nullptr;
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      m = lua_tostring(L, -1);
    } else {
      m = lua_tostring(L, -1);
    }
    *error = std::string("ERR Error registering functions: ") + (m != nullptr ? m : "");
    discard();
    return false;
  }
  if (lib->functions.empty()) {
    *error = "ERR No functions registered";
    discard();
    return false;
  }
  Library* old = existing != libraries_.end() ? existing->second.get() : nullptr;
  for (const auto& f : lib->functions) {
    auto it = functions_.find(f->name);
    if (it != functions_.end() && it->second->library != old) {
      *error = "ERR Function " + f->name + " already exists";
      discard();
      return false;
    }
  }
  // From now on the library's code sees the full `redis` table.
  lua_pushliteral(L, "redis");
  lua_rawgeti(L, LUA_REGISTRYINDEX, redis_ref_);
  lua_rawset(L, env);
  lua_settop(L, handler - 1);
  if (old != nullptr) DropLibrary(old);
  Library* l = lib.get();
  libraries_.emplace(l->name, std::move(lib));
  for (const auto& f : l->functions) functions_[f->name] = f.get();
  *name = l->name;
  return true;
}

bool ScriptEngine::DeleteLibrary(std::string_view name) {
  auto it = libraries_.find(name);
  if (it == libraries_.end()) return false;
  DropLibrary(it->second.get());
  return true;
}

void ScriptEngine::FlushFunctions() {
  while (!libraries_.empty()) DropLibrary(libraries_.begin()->second.get());
  lua_gc(L_, LUA_GCCOLLECT, 0);
}

std::vector<std::string> ScriptEngine::LibraryCodes() const {
  std::vector<std::string> out;
  out.reserve(libraries_.size());
  for (const auto& [name, lib] : libraries_) out.push_back(lib->code);
  return out;
}

void ScriptEngine::FCall(CommandContext& ctx, bool read_only) {
  // The function is looked up before numkeys is read, as in Redis.
  auto it = functions_.find(ctx.args[1]);
  if (it == functions_.end()) return ctx.rb.Error("ERR Function not found");
  int64_t numkeys;
  if (!ParseNumKeys(ctx, &numkeys, "ERR Bad number of keys provided")) return;
  Function* f = it->second;
  if (read_only && !(f->flags & kScriptNoWrites)) {
    return ctx.rb.Error("ERR Can not execute a script with write flag using *_ro command.");
  }
  const auto& args = ctx.args;
  FillArgs(keys_ref_, args.data() + 3, static_cast<size_t>(numkeys));
  FillArgs(argv_ref_, args.data() + 3 + numkeys, args.size() - 3 - static_cast<size_t>(numkeys));
  Run(ctx, f->ref, 2, f->name, f->flags | kScriptHasShebang, read_only, true);
}

void ScriptEngine::FunctionList(CommandContext& ctx) {
  bool with_code = false;
  bool has_pattern = false;
  std::string_view pattern;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view a = ctx.args[i];
    if (a.size() == 8 && strncasecmp(a.data(), "withcode", 8) == 0) {
      with_code = true;
    } else if (a.size() == 11 && strncasecmp(a.data(), "libraryname", 11) == 0) {
      if (i + 1 >= ctx.argc()) return ctx.rb.Error("ERR library name argument was not given");
      pattern = ctx.args[++i];
      has_pattern = true;
    } else {
      return ctx.rb.Error("ERR Unknown argument " + std::string(a));
    }
  }
  size_t n = 0;
  for (const auto& [name, lib] : libraries_) {
    if (!has_pattern || GlobMatch(pattern, name)) ++n;
  }
  ReplyBuilder& rb = ctx.rb;
  rb.ArrayHeader(n);
  for (const auto& [name, lib] : libraries_) {
    if (has_pattern && !GlobMatch(pattern, name)) continue;
    rb.MapHeader(with_code ? 4 : 3);
    rb.Bulk("library_name");
    rb.Bulk(name);
    rb.Bulk("engine");
    rb.Bulk("LUA");
    rb.Bulk("functions");
    rb.ArrayHeader(lib->functions.size());
    for (const auto& f : lib->functions) {
      rb.MapHeader(3);
      rb.Bulk("name");
      rb.Bulk(f->name);
      rb.Bulk("description");
      if (f->has_description) {
        rb.Bulk(f->description);
      } else {
        rb.Null();
      }
      rb.Bulk("flags");
      size_t nf = 0;
      for (const FlagName& fn : kFlagNames) nf += (f->flags & fn.bit) != 0;
      rb.SetHeader(nf);
      for (const FlagName& fn : kFlagNames) {
        if (f->flags & fn.bit) rb.SimpleString(fn.name);
      }
    }
    if (with_code) {
      rb.Bulk("library_code");
      rb.Bulk(lib->code);
    }
  }
}

void ScriptEngine::FunctionStats(CommandContext& ctx) {
  ReplyBuilder& rb = ctx.rb;
  rb.MapHeader(2);
  rb.Bulk("running_script");
  if (running_ != nullptr && running_->is_function) {
    rb.MapHeader(3);
    rb.Bulk("name");
    rb.Bulk(running_->label);
    rb.Bulk("command");
    rb.BulkArray(running_->args->data(), running_->args->size());
    rb.Bulk("duration_ms");
    rb.Integer(RunningMillis());
  } else {
    rb.Null();
  }
  rb.Bulk("engines");
  rb.MapHeader(1);
  rb.Bulk("LUA");
  rb.MapHeader(2);
  rb.Bulk("libraries_count");
  rb.Integer(static_cast<int64_t>(libraries_.size()));
  rb.Bulk("functions_count");
  rb.Integer(static_cast<int64_t>(functions_.size()));
}

}  // namespace duet
