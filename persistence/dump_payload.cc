#include "persistence/dump_payload.h"

#include "persistence/crc64.h"
#include "persistence/file.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"

namespace duet {
namespace {

constexpr size_t kFooterSize = 10;  // version (2) + CRC (8)

// Ends a payload as Redis does: the RDB version, then a CRC64 of everything.
void Finish(RdbWriter& w, std::string& out) {
  w.Byte(static_cast<uint8_t>(rdb::kVersion & 0xff));
  w.Byte(static_cast<uint8_t>(rdb::kVersion >> 8));
  (void)w.Flush();
  const uint64_t crc = Crc64(0, out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
}

}  // namespace

std::string MakeDumpPayload(const Entry& e, bool compress) {
  std::string out;
  StringWritableFile file(&out);
  RdbWriter w(&file, RdbWriteOptions{compress, /*checksum=*/false});
  w.TypeAndValue(e);
  Finish(w, out);
  return out;
}

std::string MakeFunctionsPayload(const std::vector<std::string_view>& codes, bool compress) {
  std::string out;
  StringWritableFile file(&out);
  RdbWriter w(&file, RdbWriteOptions{compress, /*checksum=*/false});
  for (std::string_view code : codes) {
    w.Byte(rdb::kOpFunction2);
    w.String(code);
  }
  Finish(w, out);
  return out;
}

Status ParseFunctionsPayload(std::string_view payload, std::vector<std::string>* codes) {
  std::string_view body = payload.substr(0, payload.size() - kFooterSize);
  StringSequentialFile in(body);
  RdbReader r(&in);
  std::string scratch;
  while (r.offset() < body.size()) {
    uint8_t type;
    std::string_view code;
    if (!r.ReadByte(&type) || type != rdb::kOpFunction2 || !r.ReadString(&code, &scratch)) {
      return Status::InvalidArgument("payload is malformed");
    }
    codes->emplace_back(code);
  }
  return Status::Ok();
}

bool VerifyDumpPayload(std::string_view payload) {
  if (payload.size() < kFooterSize) return false;
  const auto* footer =
      reinterpret_cast<const unsigned char*>(payload.data() + payload.size() - kFooterSize);
  const int version = footer[0] | footer[1] << 8;
  if (version > rdb::kVersion) return false;
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = stored << 8 | footer[2 + i];
  return Crc64(0, payload.data(), payload.size() - 8) == stored;
}

Status ParseDumpPayload(std::string_view payload, std::string_view key,
                        const CollectionLimits& limits, Entry** out) {
  *out = nullptr;
  StringSequentialFile in(payload.substr(0, payload.size() - kFooterSize));
  RdbReader r(&in);
  uint8_t type;
  if (!r.ReadByte(&type) || !rdb::IsValueType(type)) {
    return Status::InvalidArgument("Bad data format");
  }
  if (!r.ReadValue(type, key, limits, out)) {
    if (r.status().code() == Status::Code::kNotSupported) return r.status();
    return Status::InvalidArgument("Bad data format");
  }
  if (*out == nullptr) return Status::InvalidArgument("Bad data format");
  return Status::Ok();
}

}  // namespace duet
