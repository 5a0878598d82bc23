// libFuzzer target: RESTORE payloads through VerifyDumpPayload and
// ParseDumpPayload. The fuzzer's bytes are the type byte and value; the
// footer (RDB version 10 and the CRC-64) is appended here so that mutations
// get past the checksum to the decoders. A payload that parses must DUMP
// again to a payload that parses and DUMPs to the same size (hash-table
// encodings list members in an order that depends on the table, so the bytes
// may differ; the members, and so the size, may not).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "persistence/crc64.h"
#include "persistence/dump_payload.h"
#include "storage/entry.h"

namespace {

std::string WithFooter(std::string body) {
  body.push_back(10);
  body.push_back(0);
  uint64_t crc = duet::Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(crc >> (8 * i)));
  return body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string payload = WithFooter(std::string(reinterpret_cast<const char*>(bytes), size));
  if (!duet::VerifyDumpPayload(payload)) std::abort();  // our own footer is valid
  duet::CollectionLimits limits;
  duet::Entry* e = nullptr;
  if (!duet::ParseDumpPayload(payload, "k", limits, &e).ok()) return 0;
  if (e == nullptr) std::abort();
  std::string dumped = duet::MakeDumpPayload(*e, /*compress=*/false);
  duet::Entry::Free(e);

  duet::Entry* e2 = nullptr;
  if (!duet::VerifyDumpPayload(dumped)) std::abort();
  if (!duet::ParseDumpPayload(dumped, "k", limits, &e2).ok() || e2 == nullptr) std::abort();
  std::string dumped2 = duet::MakeDumpPayload(*e2, /*compress=*/false);
  duet::Entry::Free(e2);
  if (dumped.size() != dumped2.size()) std::abort();
  return 0;
}
