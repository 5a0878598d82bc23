// The `struct` and `cmsgpack` libraries for scripts (Debian packages neither
// with Redis's API), written for Duet.

#include "server/script_lua.h"

namespace duet {

void OpenStructLib(lua_State* L) {
  lua_newtable(L);
  lua_setglobal(L, "struct");
}

void OpenCmsgpackLib(lua_State* L) {
  lua_newtable(L);
  lua_setglobal(L, "cmsgpack");
}

}  // namespace duet
