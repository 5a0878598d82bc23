#pragma once
// DUMP / RESTORE payloads, byte-compatible with Redis 7.0:
//
//   <type byte> <value as in an RDB file> <RDB version u16 LE> <CRC-64 u64 LE>
//
// The CRC covers everything before it. Redis accepts a payload whose version
// is at most its own (10) and whose CRC matches; so does Duet.

#include <string>
#include <string_view>
#include <vector>

#include "storage/collection_limits.h"
#include "storage/entry.h"
#include "utils/status.h"

namespace duet {

// The payload DUMP returns for the value of `e` (its key and expiry are not
// part of it). `compress`: rdbcompression.
std::string MakeDumpPayload(const Entry& e, bool compress);

// True when the footer is acceptable (version, CRC); RESTORE answers
// "ERR DUMP payload version or checksum are wrong" otherwise.
bool VerifyDumpPayload(std::string_view payload);

// Builds a new entry for `key` from a verified payload. Errors:
// InvalidArgument for data Redis would refuse with "Bad data format"
// (malformed, trailing garbage is allowed as in Redis, empty collections),
// NotSupported for module and stream values.
Status ParseDumpPayload(std::string_view payload, std::string_view key,
                        const CollectionLimits& limits, Entry** out);

// FUNCTION DUMP / RESTORE payloads: one function record (opcode 0xF5 and the
// library's code as an RDB string) per library, then the same footer.
std::string MakeFunctionsPayload(const std::vector<std::string_view>& codes, bool compress);
// The library codes of a verified payload; InvalidArgument if malformed.
Status ParseFunctionsPayload(std::string_view payload, std::vector<std::string>* codes);

}  // namespace duet
