#pragma once
// ScriptEngine: the embedded Lua 5.1 interpreter behind EVAL/EVALSHA (and
// their _RO forms) and SCRIPT LOAD/EXISTS/FLUSH/KILL.
//
// One lua_State lives as long as the server. A script body is compiled once
// and cached by its SHA1 (and by its text, so a repeated EVAL skips the
// digest); KEYS and ARGV are two long-lived tables refilled in place per call.
// redis.call/pcall run commands through a private Client (`script_client_`)
// with Server::Call after the checks Redis applies to scripts; the reply the
// handler writes is parsed back into Lua values.
//
// Atomicity: a script runs to completion on the event loop. Past
// busy-reply-threshold ms the Lua count hook calls NetworkHooks::
// process_events_while_busy, which serves other clients with BUSY (Dispatch
// checks busy()); only SCRIPT KILL and SHUTDOWN NOSAVE get through. The client
// whose script runs is flagged `running_script`, so the pump neither reads its
// socket nor flushes it: the argv views of the running request stay valid.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/errors.h"
#include "server/client.h"
#include "server/command.h"

struct lua_State;

namespace duet {

class Server;

// Shebang flags ("#!lua flags=..."), as bits.
enum ScriptFlag : uint32_t {
  kScriptNoWrites = 1u << 0,
  kScriptAllowOom = 1u << 1,
  kScriptAllowStale = 1u << 2,
  kScriptNoCluster = 1u << 3,
  kScriptAllowCrossSlot = 1u << 4,
  kScriptHasShebang = 1u << 5,
};

class ScriptEngine {
 public:
  explicit ScriptEngine(Server& server);
  ~ScriptEngine();
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // EVAL / EVALSHA / EVAL_RO / EVALSHA_RO: args are the command's arguments.
  void Eval(CommandContext& ctx, bool by_sha, bool read_only);
  // SCRIPT LOAD: compiles and caches; writes the SHA1 or the error reply.
  void Load(CommandContext& ctx, std::string_view body);
  bool Exists(std::string_view sha) const;
  // SCRIPT FLUSH: drops every cached script (and starts a fresh interpreter).
  void Flush();
  // SCRIPT KILL: the reply text (NOTBUSY, UNKILLABLE) or empty when the kill
  // was requested.
  std::string_view Kill(bool function = false);
  // SHUTDOWN NOSAVE during a busy script: stop it whatever it wrote.
  void ForceKill() { kill_requested_ = true; }

  // A script is running past busy-reply-threshold: other clients get BUSY.
  bool busy() const { return busy_; }
  bool running() const { return running_ != nullptr; }
  bool running_function() const;
  // The BUSY error other clients get meanwhile.
  std::string_view BusyError() const;
  // redis.setresp: the protocol the script's commands reply in.
  void SetResp(int v);
  size_t cached_scripts() const { return by_sha_.size(); }
  size_t function_count() const { return functions_.size(); }
  size_t library_count() const { return libraries_.size(); }

  // ---- Functions (script_functions.cc) ----
  // FUNCTION LOAD: "#!lua name=<lib>" code registering functions with
  // redis.register_function. On failure `*error` is the reply's error text.
  bool LoadLibrary(std::string_view code, bool replace, std::string* name, std::string* error);
  void FCall(CommandContext& ctx, bool read_only);
  void FunctionList(CommandContext& ctx);
  void FunctionStats(CommandContext& ctx);
  bool DeleteLibrary(std::string_view name);
  void FlushFunctions();
  // Every library's code (RDB, FUNCTION DUMP), in name order.
  std::vector<std::string> LibraryCodes() const;
  // redis.register_function, during LoadLibrary.
  int RegisterFunctionFromLua(lua_State* L);
  size_t memory_used() const;

  // Used by the Lua C functions (script_lua_api.cc).
  struct Script;
  struct RunState;
  lua_State* lua() { return L_; }
  Server& server() { return server_; }
  RunState* run_state() { return running_; }
  // redis.call / redis.pcall: leaves the command's reply (or error table) on
  // the Lua stack; with raise, errors are raised instead.
  int CallFromLua(lua_State* L, bool raise);
  // The count hook: busy detection, event pump, SCRIPT KILL.
  void OnHook(lua_State* L);

 private:
  void CreateState();
  void CloseState();
  // Finds or compiles the script; on failure writes the error to rb.
  Script* Compile(std::string_view body, ReplyBuilder& rb, const std::string* known_sha);
  // Runs the chunk or function at registry `fn_ref` (nargs 0: EVAL; 2:
  // a function, given KEYS and ARGV) and writes its reply.
  void Run(CommandContext& ctx, int fn_ref, int nargs, std::string_view label, uint32_t flags,
           bool read_only, bool is_function);
  struct Function;
  struct Library;
  void DropLibrary(Library* lib);
  // numkeys of EVAL/FCALL (args[2]) with Redis's errors written to rb.
  bool ParseNumKeys(CommandContext& ctx, int64_t* numkeys,
                    std::string_view not_integer = errors::kNotInteger);
  int64_t RunningMillis() const;
  void FillArgs(int table_ref, const std::string_view* items, size_t n);

  Server& server_;
  lua_State* L_ = nullptr;
  int keys_ref_ = 0;
  int argv_ref_ = 0;
  int error_handler_ref_ = 0;
  // Cache: by SHA1 (owner) and by body text (for EVAL, which skips hashing).
  StringMap<std::unique_ptr<Script>> by_sha_;
  std::unordered_map<std::string_view, Script*> by_body_;  // keys view Script::body
  // The private client scripts run commands as; one for the engine's life.
  Client script_client_;
  std::vector<std::string_view> call_args_;
  std::vector<std::string> num_args_;  // numbers converted to strings for call_args_
  std::string reply_scratch_;
  // Function libraries by name (ordered for FUNCTION LIST) and functions by name.
  std::map<std::string, std::unique_ptr<Library>, std::less<>> libraries_;
  StringMap<Function*> functions_;
  Library* loading_ = nullptr;           // the library LoadLibrary is running
  int64_t load_deadline_us_ = 0;         // MonotonicMicros() limit while loading_
  int redis_ref_ = 0;                    // the full `redis` table
  uint64_t rand48_ = 0x1234ABCD330Eull;  // math.random's state (rand48's start value)
  RunState* running_ = nullptr;
  bool busy_ = false;
  bool kill_requested_ = false;
};

}  // namespace duet
