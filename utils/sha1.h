#pragma once
// SHA-1, from OpenSSL (a maintained Debian library; DEBUG DIGEST and the Lua
// redis.sha1hex must produce the same bytes as Redis).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace duet {

using Sha1Digest = std::array<uint8_t, 20>;
Sha1Digest Sha1(std::string_view data);
std::string HexLower(const uint8_t* bytes, size_t n);

}  // namespace duet
