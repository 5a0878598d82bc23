#pragma once
// The RDB file format of Redis 7.0 (version 10), as Duet reads and writes it.
// Every number below is part of the on-disk format: never renumber one.
//
// File
//   "REDIS" + the version as four ASCII digits ("0010"), then a sequence of
//   records, each starting with one byte: an opcode (0xF5..0xFF) or, for a
//   key, the type of its value (0..19). After the EOF opcode come eight bytes
//   of CRC-64 (crc64.h) over every byte before them, little endian; zero means
//   the writer did not compute one (checksums off), and the reader skips the
//   check. Files older than version 5 have no checksum.
//
// Records (opcode, then its fields)
//   AUX         string key, string value: metadata ("redis-ver", "ctime"...).
//               A reader ignores the keys it does not know, which is how Duet
//               keeps its memcached flags in a file Redis can still load.
//   SELECTDB    length: the database the following keys belong to.
//   RESIZEDB    length keys, length keys-with-expiry: sizing hints.
//   EXPIRETIME_MS  8-byte little-endian Unix time in ms, for the next key.
//   EXPIRETIME  4-byte little-endian Unix time in seconds (old files).
//   IDLE        length: seconds since the next key was used (LRU policies).
//   FREQ        one byte: the next key's LFU counter (LFU policies).
//   MODULE_AUX, FUNCTION2, FUNCTION_PRE_GA: module data and function
//               libraries (Duet has neither and refuses such files).
//   <type>      string key, then the value in the form the type says.
//   EOF         end of the data; the checksum follows.
//
// Length
//   first byte 00xxxxxx         the 6-bit value
//              01xxxxxx + 1 byte   a 14-bit value, big endian
//              0x80 + 4 bytes      a 32-bit value, big endian
//              0x81 + 8 bytes      a 64-bit value, big endian
//              11xxxxxx         not a length: a string in a special encoding
//                               (below), xxxxxx says which
//
// String
//   a length, then that many bytes; or, after 11xxxxxx:
//     0  INT8   one byte, signed: the string is its decimal form
//     1  INT16  two bytes, signed little endian
//     2  INT32  four bytes, signed little endian
//     3  LZF    length of the compressed data, length of the original data,
//               then the compressed bytes (LZF as liblzf writes it)
//   Writers use an integer form only for canonical decimals ("12", not "012")
//   and try LZF only for strings longer than 20 bytes when compression is on.
//
// Double (ZSET_2): 8 bytes, IEEE 754 binary64 little endian.
// Old double (ZSET): one byte n, then n ASCII bytes of the number; n = 253
//   is NaN, 254 +inf, 255 -inf.
//
// Values by type
//   STRING            string
//   LIST              length n, n strings (before quicklists)
//   SET               length n, n member strings
//   ZSET              length n, n x (member string, old double)
//   ZSET_2            length n, n x (member string, double); Redis writes
//                     them from the highest score down
//   HASH              length n, n x (field string, value string)
//   HASH_ZIPMAP       string holding a zipmap (rdb_legacy/zipmap.h)
//   LIST_ZIPLIST      string holding a ziplist of elements
//   SET_INTSET        string holding an intset (storage/intset.h)
//   ZSET_ZIPLIST      string holding a ziplist: member, score, member, ...
//   HASH_ZIPLIST      string holding a ziplist: field, value, ...
//   LIST_QUICKLIST    length n, n strings each holding a ziplist
//   HASH_LISTPACK     string holding a listpack: field, value, ...
//   ZSET_LISTPACK     string holding a listpack: member, score, ... sorted
//   LIST_QUICKLIST_2  length n, then n x (length container, string): container
//                     2 = the string is a listpack, 1 = the string is one
//                     element ("plain" node for a huge element)
//   MODULE_*, STREAM_*: not supported by Duet; refused by name.
//
// DUMP payload
//   type byte, value (as above), 2-byte little-endian RDB version, 8-byte
//   CRC-64 over everything before it, little endian.

#include <cstdint>

namespace duet::rdb {

inline constexpr int kVersion = 10;
inline constexpr char kMagic[] = "REDIS";
inline constexpr int kHeaderSize = 9;  // "REDIS" + four digits

// Record opcodes.
// Function libraries: Redis 7.0 writes 0xF5 (its FUNCTION2); 0xF6 was the
// release candidates' format.
inline constexpr uint8_t kOpFunction2 = 0xF5;
inline constexpr uint8_t kOpFunctionPreGa = 0xF6;
inline constexpr uint8_t kOpModuleAux = 0xF7;
inline constexpr uint8_t kOpIdle = 0xF8;
inline constexpr uint8_t kOpFreq = 0xF9;
inline constexpr uint8_t kOpAux = 0xFA;
inline constexpr uint8_t kOpResizeDb = 0xFB;
inline constexpr uint8_t kOpExpireTimeMs = 0xFC;
inline constexpr uint8_t kOpExpireTime = 0xFD;
inline constexpr uint8_t kOpSelectDb = 0xFE;
inline constexpr uint8_t kOpEof = 0xFF;

// Value types.
inline constexpr uint8_t kTypeString = 0;
inline constexpr uint8_t kTypeList = 1;
inline constexpr uint8_t kTypeSet = 2;
inline constexpr uint8_t kTypeZSet = 3;
inline constexpr uint8_t kTypeHash = 4;
inline constexpr uint8_t kTypeZSet2 = 5;
inline constexpr uint8_t kTypeModulePreGa = 6;
inline constexpr uint8_t kTypeModule2 = 7;
// 8 was never used in a released format.
inline constexpr uint8_t kTypeHashZipmap = 9;
inline constexpr uint8_t kTypeListZiplist = 10;
inline constexpr uint8_t kTypeSetIntset = 11;
inline constexpr uint8_t kTypeZSetZiplist = 12;
inline constexpr uint8_t kTypeHashZiplist = 13;
inline constexpr uint8_t kTypeListQuicklist = 14;
inline constexpr uint8_t kTypeStreamListpacks = 15;
inline constexpr uint8_t kTypeHashListpack = 16;
inline constexpr uint8_t kTypeZSetListpack = 17;
inline constexpr uint8_t kTypeListQuicklist2 = 18;
inline constexpr uint8_t kTypeStreamListpacks2 = 19;
inline constexpr uint8_t kMaxTypeV10 = 19;

// Quicklist 2 node containers.
inline constexpr uint64_t kContainerPlain = 1;
inline constexpr uint64_t kContainerPacked = 2;

// Length encoding.
inline constexpr uint8_t kLen6 = 0;
inline constexpr uint8_t kLen14 = 1;
inline constexpr uint8_t kLen32 = 0x80;
inline constexpr uint8_t kLen64 = 0x81;
inline constexpr uint8_t kEncoded = 3;  // top two bits 11: special string encoding

// Special string encodings (low six bits after 11).
inline constexpr uint8_t kEncInt8 = 0;
inline constexpr uint8_t kEncInt16 = 1;
inline constexpr uint8_t kEncInt32 = 2;
inline constexpr uint8_t kEncLzf = 3;

// Old-style double markers.
inline constexpr uint8_t kDoubleNaN = 253;
inline constexpr uint8_t kDoublePosInf = 254;
inline constexpr uint8_t kDoubleNegInf = 255;

inline constexpr bool IsValueType(uint8_t t) {
  return t <= kTypeZSet2 || (t >= kTypeModulePreGa && t <= kMaxTypeV10 && t != 8);
}

// Duet's AUX record for memcached flags. Redis and redis-check-rdb skip it.
// One record follows the keys of a database (and more, one per chunk of
// kMcFlagsChunk keys); value:
//   u8 format (1), length db, then per key: the key as a string (RDB string
//   encoding, never LZF), 4-byte little-endian flags.
// Only keys with non-zero flags are listed. A key the record names but the
// loader did not keep (expired, or not in the file) is ignored.
inline constexpr char kAuxMcFlags[] = "duet-mcflags";
inline constexpr uint8_t kMcFlagsFormat = 1;
inline constexpr int kMcFlagsChunk = 1024;

}  // namespace duet::rdb
