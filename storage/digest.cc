#include "storage/digest.h"

#include <arpa/inet.h>

#include <cstring>

#include "storage/value_destroy.h"

namespace duet {

void DigestXor(Sha1Digest& d, std::string_view data) {
  Sha1Digest h = Sha1(data);
  for (size_t i = 0; i < d.size(); ++i) d[i] ^= h[i];
}

void DigestMix(Sha1Digest& d, std::string_view data) {
  DigestXor(d, data);
  d = Sha1(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

namespace {

// Mixes type, value and expiry of `e` into `d` (which may already hold the key).
void MixValue(Sha1Digest& d, const Entry& e) {
  uint32_t type = htonl(static_cast<uint32_t>(e.type));
  DigestMix(d, std::string_view(reinterpret_cast<const char*>(&type), sizeof(type)));
  if (e.type == ValueType::kString) {
    DigestMix(d, e.str());
  } else {
    DigestCollection(e, d);
  }
  if (e.has_expire()) DigestXor(d, "!!expire!!");
}

}  // namespace

Sha1Digest ValueDigest(const Entry& e) {
  Sha1Digest d{};
  MixValue(d, e);
  return d;
}

std::string DatasetDigestHex(const Keyspace& ks) {
  Sha1Digest total{};
  for (int i = 0; i < ks.databases(); ++i) {
    const Database& db = ks.db(i);
    if (db.size() == 0) continue;
    uint32_t idx = htonl(static_cast<uint32_t>(i));
    DigestMix(total, std::string_view(reinterpret_cast<const char*>(&idx), sizeof(idx)));
    db.ForEach([&](const Entry* e) {
      Sha1Digest d{};
      DigestMix(d, e->key());
      MixValue(d, *e);
      // Redis folds each key's digest in through SHA-1, not a raw xor.
      DigestXor(total, std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    });
  }
  return HexLower(total.data(), total.size());
}

}  // namespace duet
