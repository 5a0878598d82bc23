#pragma once
// Whole-file RDB loading and saving: the record loop around RdbReader and
// RdbWriter. Knows the keyspace; knows nothing of the server (the caller
// passes the settings and receives the facts worth logging).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/file.h"
#include "persistence/rdb_writer.h"
#include "storage/collection_limits.h"
#include "storage/keyspace.h"
#include "utils/status.h"

namespace duet {

struct RdbLoadOptions {
  CollectionLimits limits;
  int64_t now_ms = 0;           // keys that expired before this are skipped
  bool verify_checksum = true;  // rdbchecksum
  // A key already in `ks` is replaced (DEBUG RELOAD MERGE) instead of
  // failing the load as a duplicate.
  bool replace_existing = false;
  int64_t key_load_delay_us = 0;  // key-load-delay: sleep per key (tests)
  // Called about every `progress_interval` bytes with the bytes read so far;
  // returning false stops the load (Status::IoError "loading aborted").
  std::function<bool(uint64_t offset)> progress;
  uint64_t progress_interval = 2 * 1024 * 1024;
  // Function libraries (opcode 0xF5): each library's code is handed here; an
  // error fails the load. Unset: a file with functions is refused.
  std::function<Status(std::string_view code)> load_function;
};

struct RdbLoadInfo {
  int version = 0;
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;        // skipped because their time had passed
  uint64_t empty_keys_skipped = 0;  // empty collections (as Redis skips them)
  uint64_t bytes = 0;
  // From AUX records, when present.
  std::string redis_ver;
  int64_t ctime = -1;
  int64_t used_mem = -1;
  bool checksum_skipped = false;  // the file had a zero checksum
};

// Loads every key of an RDB file into `ks` (whose databases are expected to
// be empty; a key already present is refused as a duplicate unless
// replace_existing). `info` is filled as the load goes. On error the
// keys loaded so far stay in `ks` (the caller decides: startup exits, DEBUG
// RELOAD reports) and the status says what is wrong and at which offset.
Status LoadRdb(SequentialFile& file, Keyspace& ks, const RdbLoadOptions& options,
               RdbLoadInfo* info);

struct RdbSaveOptions {
  RdbWriteOptions write;
  std::string redis_ver = "7.0.15";  // "redis-ver" AUX field: the format's Redis version
  int64_t now_ms = 0;                // "ctime" AUX field
  int64_t used_mem = 0;              // "used-mem" AUX field
  int64_t key_save_delay_us = 0;     // rdb-key-save-delay: sleep per key (tests)
  bool aof_base = false;             // "aof-base" AUX field: 1 in an AOF's RDB preamble
  // What Redis writes before each key under an eviction policy: the idle
  // time (IDLE, LRU policies) or the LFU counter (FREQ, LFU policies),
  // read from the entries with the keyspace's access clock.
  enum class AccessRecord : uint8_t { kNone, kIdle, kFreq };
  AccessRecord access_record = AccessRecord::kNone;
  // Function libraries' code, written after the AUX fields as Redis does.
  std::vector<std::string> function_codes;
  // Called about every 1024 keys with the number of keys written so far.
  std::function<void(uint64_t keys)> progress;
};

struct RdbSaveInfo {
  uint64_t keys = 0;
  uint64_t bytes = 0;
};

// Writes an RDB version 10 file of every database in `ks` to `file` (not
// synced: AtomicReplace does that).
Status SaveRdb(const Keyspace& ks, WritableFile& file, const RdbSaveOptions& options,
               RdbSaveInfo* info);

}  // namespace duet
