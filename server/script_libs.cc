// The `struct` and `cmsgpack` libraries for scripts, written for Duet: Debian
// packages neither with the API Redis scripts use.
//
// struct: pack(fmt, ...), unpack(fmt, s [, pos]) -> values..., next pos,
// size(fmt). Format: '<' '>' '=' byte order, '!n' alignment, 'x' pad byte,
// 'b' 'B' 'h' 'H' 'l' 'L' 'T' 'i[n]' 'I[n]' integers, 'f' 'd' floats,
// 'c[n]' fixed string (c0: length taken from the previous integer), 's'
// zero-terminated string.
//
// cmsgpack: pack(...) concatenates the MessagePack encoding of each
// argument; unpack(s) returns every value s holds. Integral numbers use the
// smallest integer form, others float32 when exact, else float64; a table
// whose keys are exactly 1..n is an array, any other a map.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "server/script_lua.h"

namespace duet {
namespace {

// ---- struct -----------------------------------------------------------------

struct FmtState {
  bool little = true;
  size_t align = 1;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t ReadNum(const char** fmt, size_t def) {
  if (!IsDigit(**fmt)) return def;
  size_t n = 0;
  while (IsDigit(**fmt)) n = n * 10 + static_cast<size_t>(*(*fmt)++ - '0');
  return n;
}

// Size of the next option; options that are not data return 0.
size_t OptSize(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
      return 8;
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'x':
      return 1;
    case 'c':
      return ReadNum(fmt, 1);
    case 'i':
    case 'I': {
      size_t n = ReadNum(fmt, 4);
      if (n > 8)
        luaL_error(L, "integral size %d is larger than limit of %d", static_cast<int>(n), 8);
      return n;
    }
    default:
      return 0;
  }
}

size_t Gap(const FmtState& h, size_t size, size_t len) {
  if (size <= 1 || h.align <= 1) return 0;
  size_t a = size < h.align ? size : h.align;
  return (a - (len & (a - 1))) & (a - 1);
}

void Controls(lua_State* L, char opt, const char** fmt, FmtState* h) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h->little = false;
      return;
    case '<':
      h->little = true;
      return;
    case '=':
      h->little = true;
      return;
    case '!': {
      size_t a = ReadNum(fmt, 8);
      if (a == 0 || (a & (a - 1)) != 0)
        luaL_error(L, "alignment %d is not a power of 2", static_cast<int>(a));
      h->align = a;
      return;
    }
    default:
      luaL_error(L, "invalid format option '%c'", opt);
  }
}

void PutInt(luaL_Buffer* b, uint64_t v, bool little, size_t size) {
  char buf[8];
  for (size_t i = 0; i < size; ++i) {
    buf[little ? i : size - 1 - i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  luaL_addlstring(b, buf, size);
}

int StructPack(lua_State* L) {
  FmtState h;
  const char* fmt = luaL_checkstring(L, 1);
  int arg = 2;
  size_t total = 0;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    size_t gap = Gap(h, size, total);
    total += gap;
    while (gap-- > 0) luaL_addchar(&b, '\0');
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        lua_Number n = luaL_checknumber(L, arg++);
        uint64_t v =
            n < 0 ? static_cast<uint64_t>(static_cast<int64_t>(n)) : static_cast<uint64_t>(n);
        PutInt(&b, v, h.little, size);
        break;
      }
      case 'x':
        luaL_addchar(&b, '\0');
        break;
      case 'f': {
        float f = static_cast<float>(luaL_checknumber(L, arg++));
        uint32_t u;
        std::memcpy(&u, &f, 4);
        PutInt(&b, u, h.little, 4);
        break;
      }
      case 'd': {
        double d = luaL_checknumber(L, arg++);
        uint64_t u;
        std::memcpy(&u, &d, 8);
        PutInt(&b, u, h.little, 8);
        break;
      }
      case 'c':
      case 's': {
        size_t l;
        const char* s = luaL_checklstring(L, arg++, &l);
        if (opt == 'c' && size == 0) size = l;
        if (opt == 's') size = l;
        luaL_argcheck(L, l >= size, arg - 1, "string too short");
        luaL_addlstring(&b, s, size);
        if (opt == 's') {
          luaL_addchar(&b, '\0');
          ++size;
        }
        break;
      }
      default:
        Controls(L, opt, &fmt, &h);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

uint64_t GetInt(const char* p, bool little, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) {
    v = (v << 8) | static_cast<unsigned char>(p[little ? size - 1 - i : i]);
  }
  return v;
}

int StructUnpack(lua_State* L) {
  FmtState h;
  const char* fmt = luaL_checkstring(L, 1);
  size_t ld;
  const char* data = luaL_checklstring(L, 2, &ld);
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1)) - 1;
  int n = 0;
  luaL_argcheck(L, pos <= ld, 3, "offset must be 1 or greater");
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    pos += Gap(h, size, pos);
    luaL_argcheck(L, pos + size <= ld, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    switch (opt) {
      case 'b':
      case 'h':
      case 'l':
      case 'i':
      case 'B':
      case 'H':
      case 'L':
      case 'T':
      case 'I': {
        uint64_t v = GetInt(data + pos, h.little, size);
        bool is_signed = opt == 'b' || opt == 'h' || opt == 'l' || opt == 'i';
        if (is_signed && size < 8) {
          uint64_t mask = uint64_t{1} << (size * 8 - 1);
          v = (v ^ mask) - mask;
        }
        lua_pushnumber(L, is_signed ? static_cast<lua_Number>(static_cast<int64_t>(v))
                                    : static_cast<lua_Number>(v));
        ++n;
        break;
      }
      case 'x':
        break;
      case 'f': {
        uint32_t u = static_cast<uint32_t>(GetInt(data + pos, h.little, 4));
        float f;
        std::memcpy(&f, &u, 4);
        lua_pushnumber(L, f);
        ++n;
        break;
      }
      case 'd': {
        uint64_t u = GetInt(data + pos, h.little, 8);
        double d;
        std::memcpy(&d, &u, 8);
        lua_pushnumber(L, d);
        ++n;
        break;
      }
      case 'c':
        if (size == 0) {
          if (n == 0 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          --n;
          luaL_argcheck(L, pos + size <= ld, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        ++n;
        break;
      case 's': {
        const char* e = static_cast<const char*>(std::memchr(data + pos, '\0', ld - pos));
        if (e == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<size_t>(e - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        ++n;
        break;
      }
      default:
        Controls(L, opt, &fmt, &h);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return n + 1;
}

int StructSize(lua_State* L) {
  FmtState h;
  const char* fmt = luaL_checkstring(L, 1);
  size_t pos = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    pos += Gap(h, size, pos);
    if (opt == 's') luaL_argerror(L, 1, "options 's' has no fixed size");
    if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
    if (size == 0 && opt != 'c') Controls(L, opt, &fmt, &h);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

// ---- cmsgpack ---------------------------------------------------------------

constexpr int kMaxNesting = 16;

void PutBE(std::string* b, uint8_t tag, uint64_t v, size_t size) {
  b->push_back(static_cast<char>(tag));
  for (size_t i = size; i-- > 0;) b->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PackLen(std::string* b, size_t n, uint8_t fix, size_t fix_max, uint8_t t8, uint8_t t16,
             uint8_t t32) {
  if (n <= fix_max) {
    b->push_back(static_cast<char>(fix | n));
  } else if (t8 != 0 && n <= 0xff) {
    PutBE(b, t8, n, 1);
  } else if (n <= 0xffff) {
    PutBE(b, t16, n, 2);
  } else {
    PutBE(b, t32, n, 4);
  }
}

void PackNumber(std::string* b, lua_Number n) {
  if (std::isfinite(n) && std::floor(n) == n && n >= -9223372036854775808.0 &&
      n < 18446744073709551616.0) {
    if (n >= 0) {
      uint64_t v = static_cast<uint64_t>(n);
      if (v <= 127)
        b->push_back(static_cast<char>(v));
      else if (v <= 0xff)
        PutBE(b, 0xcc, v, 1);
      else if (v <= 0xffff)
        PutBE(b, 0xcd, v, 2);
      else if (v <= 0xffffffffull)
        PutBE(b, 0xce, v, 4);
      else
        PutBE(b, 0xcf, v, 8);
    } else {
      int64_t v = static_cast<int64_t>(n);
      auto u = static_cast<uint64_t>(v);
      if (v >= -32)
        b->push_back(static_cast<char>(v));
      else if (v >= -128)
        PutBE(b, 0xd0, u, 1);
      else if (v >= -32768)
        PutBE(b, 0xd1, u, 2);
      else if (v >= -2147483648ll)
        PutBE(b, 0xd2, u, 4);
      else
        PutBE(b, 0xd3, u, 8);
    }
    return;
  }
  auto f = static_cast<float>(n);
  if (static_cast<lua_Number>(f) == n) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    PutBE(b, 0xca, u, 4);
  } else {
    uint64_t u;
    std::memcpy(&u, &n, 8);
    PutBE(b, 0xcb, u, 8);
  }
}

// Array when the keys are exactly 1..n; sets *n to the array or map size.
bool TableIsArray(lua_State* L, int idx, size_t* n) {
  size_t count = 0;
  double max = 0;
  bool array = true;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    ++count;
    if (lua_type(L, -1) == LUA_TNUMBER) {
      double k = lua_tonumber(L, -1);
      if (k > 0 && std::floor(k) == k) {
        if (k > max) max = k;
        continue;
      }
    }
    array = false;
  }
  array = array && max == static_cast<double>(count);
  *n = count;
  return array;
}

void PackValue(lua_State* L, std::string* b, int idx, int level);

void PackTable(lua_State* L, std::string* b, int idx, int level) {
  size_t n;
  if (TableIsArray(L, idx, &n)) {
    PackLen(b, n, 0x90, 15, 0, 0xdc, 0xdd);
    for (size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, idx, static_cast<int>(i));
      PackValue(L, b, lua_gettop(L), level + 1);
      lua_pop(L, 1);
    }
    return;
  }
  PackLen(b, n, 0x80, 15, 0, 0xde, 0xdf);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    int top = lua_gettop(L);
    PackValue(L, b, top - 1, level + 1);
    PackValue(L, b, top, level + 1);
    lua_pop(L, 1);
  }
}

// Encodes into a plain byte string (not a luaL_Buffer, whose stack
// discipline the table walk would break).
void PackValue(lua_State* L, std::string* b, int idx, int level) {
  luaL_checkstack(L, 4, "cmsgpack: nesting too deep");
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      PackNumber(b, lua_tonumber(L, idx));
      return;
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      PackLen(b, n, 0xa0, 31, 0xd9, 0xda, 0xdb);
      b->append(s, n);
      return;
    }
    case LUA_TBOOLEAN:
      b->push_back(static_cast<char>(lua_toboolean(L, idx) ? 0xc3 : 0xc2));
      return;
    case LUA_TTABLE:
      if (level < kMaxNesting) {
        PackTable(L, b, idx, level);
        return;
      }
      [[fallthrough]];
    default:
      b->push_back(static_cast<char>(0xc0));
  }
}

int CmsgpackPack(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  // A static scratch string: a Lua error raised meanwhile (longjmp) must not
  // skip a destructor.
  static std::string out;
  out.clear();
  for (int i = 1; i <= argc; ++i) PackValue(L, &out, i, 0);
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

struct Cursor {
  const unsigned char* p;
  size_t left;
  bool error = false;
};

uint64_t Take(Cursor* c, size_t n) {
  if (c->left < n) {
    c->error = true;
    c->left = 0;
    return 0;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | c->p[i];
  c->p += n;
  c->left -= n;
  return v;
}

void UnpackValue(lua_State* L, Cursor* c);

void UnpackArray(lua_State* L, Cursor* c, size_t n) {
  lua_createtable(L, static_cast<int>(n < 1024 ? n : 1024), 0);
  for (size_t i = 1; i <= n && !c->error; ++i) {
    UnpackValue(L, c);
    lua_rawseti(L, -2, static_cast<int>(i));
  }
}

void UnpackMap(lua_State* L, Cursor* c, size_t n) {
  lua_createtable(L, 0, static_cast<int>(n < 1024 ? n : 1024));
  for (size_t i = 0; i < n && !c->error; ++i) {
    UnpackValue(L, c);
    UnpackValue(L, c);
    if (lua_isnil(L, -2)) {
      lua_pop(L, 2);
    } else {
      lua_settable(L, -3);
    }
  }
}

void UnpackString(lua_State* L, Cursor* c, size_t n) {
  if (c->left < n) {
    c->error = true;
    lua_pushnil(L);
    return;
  }
  lua_pushlstring(L, reinterpret_cast<const char*>(c->p), n);
  c->p += n;
  c->left -= n;
}

void UnpackValue(lua_State* L, Cursor* c) {
  luaL_checkstack(L, 4, "cmsgpack: nesting too deep");
  auto tag = static_cast<uint8_t>(Take(c, 1));
  if (c->error) {
    lua_pushnil(L);
    return;
  }
  if (tag <= 0x7f) return lua_pushnumber(L, tag);
  if (tag >= 0xe0) return lua_pushnumber(L, static_cast<int8_t>(tag));
  if ((tag & 0xf0) == 0x90) return UnpackArray(L, c, tag & 0x0f);
  if ((tag & 0xf0) == 0x80) return UnpackMap(L, c, tag & 0x0f);
  if ((tag & 0xe0) == 0xa0) return UnpackString(L, c, tag & 0x1f);
  switch (tag) {
    case 0xc0:
      return lua_pushnil(L);
    case 0xc2:
      return lua_pushboolean(L, 0);
    case 0xc3:
      return lua_pushboolean(L, 1);
    case 0xcc:
      return lua_pushnumber(L, static_cast<lua_Number>(Take(c, 1)));
    case 0xcd:
      return lua_pushnumber(L, static_cast<lua_Number>(Take(c, 2)));
    case 0xce:
      return lua_pushnumber(L, static_cast<lua_Number>(Take(c, 4)));
    case 0xcf:
      return lua_pushnumber(L, static_cast<lua_Number>(Take(c, 8)));
    case 0xd0:
      return lua_pushnumber(L, static_cast<int8_t>(Take(c, 1)));
    case 0xd1:
      return lua_pushnumber(L, static_cast<int16_t>(Take(c, 2)));
    case 0xd2:
      return lua_pushnumber(L, static_cast<int32_t>(Take(c, 4)));
    case 0xd3:
      return lua_pushnumber(L, static_cast<lua_Number>(static_cast<int64_t>(Take(c, 8))));
    case 0xca: {
      auto u = static_cast<uint32_t>(Take(c, 4));
      float f;
      std::memcpy(&f, &u, 4);
      return lua_pushnumber(L, f);
    }
    case 0xcb: {
      uint64_t u = Take(c, 8);
      double d;
      std::memcpy(&d, &u, 8);
      return lua_pushnumber(L, d);
    }
    case 0xc4:
    case 0xd9:
      return UnpackString(L, c, Take(c, 1));
    case 0xc5:
    case 0xda:
      return UnpackString(L, c, Take(c, 2));
    case 0xc6:
    case 0xdb:
      return UnpackString(L, c, Take(c, 4));
    case 0xdc:
      return UnpackArray(L, c, Take(c, 2));
    case 0xdd:
      return UnpackArray(L, c, Take(c, 4));
    case 0xde:
      return UnpackMap(L, c, Take(c, 2));
    case 0xdf:
      return UnpackMap(L, c, Take(c, 4));
    default:
      c->error = true;
      return lua_pushnil(L);
  }
}

int CmsgpackUnpack(lua_State* L) {
  size_t n;
  const char* s = luaL_checklstring(L, 1, &n);
  Cursor c{reinterpret_cast<const unsigned char*>(s), n};
  int count = 0;
  while (c.left > 0) {
    UnpackValue(L, &c);
    if (c.error) return luaL_error(L, "Missing bytes in input.");
    ++count;
  }
  return count;
}

void OpenTable(lua_State* L, const char* name, const luaL_Reg* fns) {
  lua_newtable(L);
  for (const luaL_Reg* f = fns; f->name != nullptr; ++f) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
  lua_setglobal(L, name);
}

}  // namespace

void OpenStructLib(lua_State* L) {
  static const luaL_Reg kFns[] = {
      {"pack", StructPack}, {"unpack", StructUnpack}, {"size", StructSize}, {nullptr, nullptr}};
  OpenTable(L, "struct", kFns);
}

void OpenCmsgpackLib(lua_State* L) {
  static const luaL_Reg kFns[] = {
      {"pack", CmsgpackPack}, {"unpack", CmsgpackUnpack}, {nullptr, nullptr}};
  OpenTable(L, "cmsgpack", kFns);
}

}  // namespace duet
