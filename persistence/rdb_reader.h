#pragma once
// RdbReader: decodes the pieces and values of the RDB format (rdb_format.h)
// from a SequentialFile, every encoding Redis has written since version 3
// included, and builds storage values from them.
//
// Input is untrusted. Every length is checked against what is left of the
// input (when its size is known) before anything is allocated, every blob
// (listpack, ziplist, zipmap, intset) is fully validated before use, and
// duplicates (set members, hash fields, zset members) are refused. The first
// problem stops the reader: the call returns false and status() says what
// and at which offset, e.g. "invalid listpack at offset 1234"; later calls
// fail at once.
//
// Bytes are read through an internal buffer; a running CRC-64 of every byte
// consumed is kept when enabled (the loader compares it with the file's).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "persistence/file.h"
#include "storage/collection_limits.h"
#include "storage/entry.h"
#include "utils/status.h"

namespace duet {

// A malloc'ed byte buffer (listpacks and intsets are handed over in these).
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using MallocBytes = std::unique_ptr<unsigned char, FreeDeleter>;

class RdbReader {
 public:
  explicit RdbReader(SequentialFile* file);
  ~RdbReader();
  RdbReader(const RdbReader&) = delete;
  RdbReader& operator=(const RdbReader&) = delete;

  // "REDIS" + four digits; refuses other magic and versions above `max_version`.
  bool ReadHeader(int max_version, int* version);

  bool ReadByte(uint8_t* b);
  bool ReadBytes(void* dst, size_t n);
  bool ReadLe32(uint32_t* v);
  bool ReadLe64(uint64_t* v);
  // A plain length (a special string encoding here is corruption).
  bool ReadLength(uint64_t* n);
  // A string in any encoding. The view is valid until the next read; it may
  // point into `scratch`.
  bool ReadString(std::string_view* out, std::string* scratch);
  // A string into a new malloc'ed buffer of exactly *len bytes.
  bool ReadBlob(MallocBytes* out, size_t* len);
  bool ReadBinaryDouble(double* d);
  bool ReadOldDouble(double* d);

  // Reads a value of RDB type `type` and returns a new entry for `key`
  // holding it (expiry 0, version 0), or null when the value is an empty
  // collection (Redis skips those too). Module and stream types fail with a
  // message naming the key and type.
  bool ReadValue(uint8_t type, std::string_view key, const CollectionLimits& limits, Entry** out);

  // Fails the reader with `what` (Status::Corruption "<what> at offset N").
  bool Fail(std::string_view what);
  // Fails with a ready-made status (e.g. NotSupported).
  bool FailWith(Status s);

  const Status& status() const { return status_; }
  // Bytes consumed so far.
  uint64_t offset() const { return base_ + pos_; }
  // Total input size, UINT64_MAX when unknown.
  uint64_t size() const { return size_; }
  void set_crc_enabled(bool v) { crc_enabled_ = v; }
  // CRC-64 of every byte consumed so far (when enabled from the start).
  uint64_t Crc();

 private:
  bool Fill(size_t n);
  void UpdateCrc();
  bool CheckRemaining(uint64_t n, std::string_view what);
  bool ReadLengthOrEncoding(uint64_t* n, bool* encoded);
  // Decompresses into *out, or (blob != null) into a new malloc'ed buffer
  // whose size goes to *blob_len.
  bool ReadLzf(std::string* out, MallocBytes* blob, size_t* blob_len);
  bool ReadEncodedInt(uint64_t enc, std::string_view* out, std::string* scratch);

  Entry* ReadList(uint8_t type, std::string_view key, const CollectionLimits& limits);
  Entry* ReadSet(uint8_t type, std::string_view key, const CollectionLimits& limits);
  Entry* ReadZSet(uint8_t type, std::string_view key, const CollectionLimits& limits);
  Entry* ReadHash(uint8_t type, std::string_view key, const CollectionLimits& limits);

  SequentialFile* file_;
  uint64_t size_;
  Status status_;
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t pos_ = 0;      // next unread byte in buf_
  size_t end_ = 0;      // end of valid bytes in buf_
  uint64_t base_ = 0;   // input offset of buf_[0]
  size_t crc_pos_ = 0;  // bytes of buf_ before this are in crc_
  bool crc_enabled_ = false;
  uint64_t crc_ = 0;
  // Scratch strings for elements and compressed input (kept to reuse memory).
  std::string elem_, elem2_, lzf_in_;
};

}  // namespace duet
