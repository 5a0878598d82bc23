#pragma once
// RdbWriter: encodes records and values of the RDB format (rdb_format.h) onto
// a WritableFile, choosing the encodings Redis 7.0 chooses, so a file or DUMP
// payload Duet writes is what Redis would write for the same data (up to LZF
// output, which depends on the compressor).
//
// Output is buffered; the first failure of the underlying file is kept in
// status() and every later write is dropped, so callers write a whole batch
// and check once. The running CRC-64 covers every byte produced.
//
// Value encodings chosen (as Redis 7.0 does):
//   string  integer form for canonical decimals that fit 32 bits, else LZF
//           when compression is on, the string is longer than 20 bytes and
//           LZF output fits in 4 bytes less than the string, else plain.
//   list    LIST_QUICKLIST_2: one packed node per quicklist node; a node the
//           quicklist keeps compressed is written with its LZF bytes as they
//           are (no decompression, no recompression).
//   set     SET_INTSET (the intset blob) or SET.
//   zset    ZSET_LISTPACK (the blob) or ZSET_2, highest score first.
//   hash    HASH_LISTPACK (the blob) or HASH.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "persistence/file.h"
#include "storage/entry.h"
#include "utils/status.h"

namespace duet {

struct RdbWriteOptions {
  bool compress = true;  // rdbcompression
  bool checksum = true;  // rdbchecksum: false writes a zero checksum
  // rdb-save-incremental-fsync: sync the file every this many bytes, so the
  // kernel never holds a huge amount of dirty pages at the end (0 = never).
  uint64_t autosync_bytes = 0;
};

class RdbWriter {
 public:
  RdbWriter(WritableFile* file, const RdbWriteOptions& options);
  ~RdbWriter();
  RdbWriter(const RdbWriter&) = delete;
  RdbWriter& operator=(const RdbWriter&) = delete;

  // --- Records -----------------------------------------------------------------
  void Header(int version);  // "REDIS" + four digits
  void Aux(std::string_view key, std::string_view value);
  void AuxInt(std::string_view key, int64_t value);
  void SelectDb(uint64_t db);
  void ResizeDb(uint64_t keys, uint64_t expires);
  // IDLE / FREQ records for the next key. Redis writes them after the
  // expiry record; KeyValue() takes care of that order when given them.
  void Idle(uint64_t seconds) { pending_idle_ = static_cast<int64_t>(seconds); }
  void Freq(uint8_t counter) { pending_freq_ = counter; }
  // The expiry record (if any), a pending IDLE or FREQ, then type, key and value.
  void KeyValue(const Entry& e);
  // The type byte and value only (a DUMP payload's body).
  void TypeAndValue(const Entry& e);
  // EOF and the checksum, then flushes everything to the file.
  Status Finish();

  // --- Pieces ------------------------------------------------------------------
  void Byte(uint8_t b);
  void Raw(const void* data, size_t n);
  void Length(uint64_t n);
  void String(std::string_view s);
  void LzfBlob(const void* compressed, size_t compressed_len, size_t raw_len);
  void BinaryDouble(double d);
  // The RDB type byte Duet writes for e's value.
  static uint8_t TypeOf(const Entry& e);

  // Sends buffered bytes to the file (not a sync).
  Status Flush();
  const Status& status() const { return status_; }
  // Bytes produced so far, buffered ones included.
  uint64_t bytes() const { return flushed_ + buf_len_; }
  // CRC-64 of every byte produced so far (updated on flush; call Flush first
  // for an exact value). Meaningful only when options.checksum is set or the
  // caller forced it with set_always_crc.
  uint64_t crc() const { return crc_; }
  void set_always_crc(bool v) { always_crc_ = v; }

 private:
  void Value(const Entry& e);
  void ListValue(const Entry& e);
  void SetValue(const Entry& e);
  void ZSetValue(const Entry& e);
  void HashValue(const Entry& e);
  bool TryIntString(std::string_view s);
  bool TryLzfString(std::string_view s);
  void Spill(const void* data, size_t n);

  WritableFile* file_;
  RdbWriteOptions options_;
  bool always_crc_ = false;
  Status status_;
  std::unique_ptr<char[]> buf_;
  size_t buf_len_ = 0;
  uint64_t flushed_ = 0;
  uint64_t synced_ = 0;  // flushed_ at the last autosync
  uint64_t crc_ = 0;
  int64_t pending_idle_ = -1;
  int pending_freq_ = -1;
  // Scratch for LZF output, grown as needed.
  std::unique_ptr<char[]> lzf_;
  size_t lzf_cap_ = 0;
};

}  // namespace duet
