#include "utils/sha1.h"

#include <openssl/sha.h>

namespace duet {

Sha1Digest Sha1(std::string_view data) {
  Sha1Digest out;
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

Sha1Digest Sha1Of2(std::string_view prefix, std::string_view data) {
  Sha1Digest out;
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, prefix.data(), prefix.size());
  SHA1_Update(&ctx, data.data(), data.size());
  SHA1_Final(out.data(), &ctx);
  return out;
}

std::string HexLower(const uint8_t* bytes, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return s;
}

}  // namespace duet
