#include "persistence/rdb_file.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "persistence/rdb_format.h"
#include "persistence/rdb_reader.h"
#include "storage/eviction.h"
#include "utils/strconv.h"

namespace duet {
namespace {

std::string Hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, v);
  return buf;
}

Status Unsupported(std::string_view what, uint64_t offset) {
  return Status::NotSupported("the file holds " + std::string(what) + " (at offset " +
                              std::to_string(offset) + "), which Duet does not support");
}

// Applies one duet-mcflags AUX record (format in rdb_format.h).
Status ApplyMcFlags(std::string_view value, Keyspace& ks, uint64_t record_offset) {
  StringSequentialFile in(value);
  RdbReader r(&in);
  auto bad = [&](std::string_view why) {
    return Status::Corruption("bad " + std::string(rdb::kAuxMcFlags) + " record (" +
                              std::string(why) + ") at offset " + std::to_string(record_offset));
  };
  uint8_t format;
  uint64_t db;
  if (!r.ReadByte(&format)) return bad(r.status().message());
  if (format != rdb::kMcFlagsFormat) return Status::Ok();  // a later format: not ours to read
  if (!r.ReadLength(&db)) return bad(r.status().message());
  if (db >= static_cast<uint64_t>(ks.databases())) return bad("database out of range");
  Database& d = ks.db(static_cast<int>(db));
  std::string scratch;
  while (r.offset() < value.size()) {
    std::string_view key;
    uint32_t flags;
    if (!r.ReadString(&key, &scratch)) return bad(r.status().message());
    std::string k(key);
    if (!r.ReadLe32(&flags)) return bad(r.status().message());
    if (Entry* e = d.Peek(k)) e->mc_flags = flags;
  }
  return Status::Ok();
}

}  // namespace

Status LoadRdb(SequentialFile& file, Keyspace& ks, const RdbLoadOptions& options,
               RdbLoadInfo* info) {
  RdbReader r(&file);
  r.set_crc_enabled(options.verify_checksum);
  int version = 0;
  if (!r.ReadHeader(rdb::kVersion, &version)) return r.status();
  info->version = version;

  Database* db = &ks.db(0);
  bool has_expire = false;
  int64_t expire_ms = 0;
  int64_t idle_s = -1;
  int lfu_freq = -1;
  // Access stamps are set against the load's clock, under the keyspace's
  // policy family (an LRU file loaded under LFU keeps fresh counters).
  AccessClock clock = ks.access_clock();
  clock.now_ms = options.now_ms;
  uint64_t next_progress = options.progress_interval;
  std::string key, aux_key, scratch;

  for (;;) {
    const uint64_t record_offset = r.offset();
    uint8_t type;
    if (!r.ReadByte(&type)) return r.status();
    if (type == rdb::kOpEof) break;
    switch (type) {
      case rdb::kOpExpireTime: {
        uint32_t s;
        if (!r.ReadLe32(&s)) return r.status();
        has_expire = true;
        expire_ms = int64_t{static_cast<int32_t>(s)} * 1000;
        continue;
      }
      case rdb::kOpExpireTimeMs: {
        uint64_t ms;
        if (!r.ReadLe64(&ms)) return r.status();
        has_expire = true;
        expire_ms = static_cast<int64_t>(ms);
        continue;
      }
      case rdb::kOpFreq: {
        uint8_t freq;
        if (!r.ReadByte(&freq)) return r.status();
        lfu_freq = freq;
        continue;
      }
      case rdb::kOpIdle: {
        uint64_t idle;
        if (!r.ReadLength(&idle)) return r.status();
        idle_s = static_cast<int64_t>(idle);
        continue;
      }
      case rdb::kOpSelectDb: {
        uint64_t n;
        if (!r.ReadLength(&n)) return r.status();
        if (n >= static_cast<uint64_t>(ks.databases())) {
          return Status::Corruption("the file selects database " + std::to_string(n) +
                                    " but only " + std::to_string(ks.databases()) +
                                    " databases are configured, at offset " +
                                    std::to_string(record_offset));
        }
        db = &ks.db(static_cast<int>(n));
        continue;
      }
      case rdb::kOpResizeDb: {
        uint64_t keys, expires;
        if (!r.ReadLength(&keys) || !r.ReadLength(&expires)) return r.status();
        // A hint only, capped so a corrupt value cannot allocate a huge table:
        // a key takes at least a few bytes of the file.
        const uint64_t cap = r.size() == UINT64_MAX ? 0 : (r.size() - r.offset()) / 8;
        if (db->size() == 0) db->Reserve(std::min(keys, cap), std::min(expires, cap));
        continue;
      }
      case rdb::kOpAux: {
        std::string_view k, v;
        if (!r.ReadString(&k, &scratch)) return r.status();
        aux_key.assign(k);
        if (!r.ReadString(&v, &scratch)) return r.status();
        int64_t n;
        if (aux_key == "redis-ver") {
          info->redis_ver.assign(v);
        } else if (aux_key == "ctime" && ParseInt64(v, &n)) {
          info->ctime = n;
        } else if (aux_key == "used-mem" && ParseInt64(v, &n)) {
          info->used_mem = n;
        } else if (aux_key == rdb::kAuxMcFlags) {
          Status s = ApplyMcFlags(v, ks, record_offset);
          if (!s.ok()) return s;
        }
        continue;
      }
      case rdb::kOpModuleAux:
        return Unsupported("module auxiliary data", record_offset);
      case rdb::kOpFunction2: {
        if (!options.load_function) return Unsupported("function libraries", record_offset);
        std::string_view code;
        if (!r.ReadString(&code, &scratch)) return r.status();
        Status s = options.load_function(code);
        if (!s.ok()) {
          return Status::Corruption("function library refused (" + s.message() + ") at offset " +
                                    std::to_string(record_offset));
        }
        continue;
      }
      case rdb::kOpFunctionPreGa:
        return Unsupported("function libraries", record_offset);
      default:
        break;
    }
    if (!rdb::IsValueType(type)) {
      return Status::Corruption("unknown record type " + std::to_string(type) + " at offset " +
                                std::to_string(record_offset));
    }
    std::string_view k;
    if (!r.ReadString(&k, &scratch)) return r.status();
    key.assign(k);
    Entry* e = nullptr;
    if (!r.ReadValue(type, key, options.limits, &e)) return r.status();
    const bool expired = has_expire && expire_ms < options.now_ms;
    if (e == nullptr) {
      ++info->empty_keys_skipped;
    } else if (expired) {
      Entry::Free(e);
      ++info->keys_expired;
    } else {
      e->expire_ms = has_expire ? expire_ms : 0;
      if (has_expire && expire_ms == 0) e->expire_ms = 1;  // 0 means "none" in an Entry
      StampNewEntry(e, clock);
      if (idle_s >= 0) SetEntryIdleSeconds(e, idle_s, clock);
      if (lfu_freq >= 0) SetEntryLfuCounter(e, static_cast<uint8_t>(lfu_freq), clock);
      if (Entry* old = db->InsertIfAbsent(e)) {
        if (!options.replace_existing) {
          Entry::Free(e);
          return Status::Corruption("duplicate key '" + key + "' in database " +
                                    std::to_string(db->index()) + " at offset " +
                                    std::to_string(record_offset));
        }
        db->ReplaceEntry(old, e, /*keep_ttl=*/false);
      }
      ++info->keys_loaded;
      if (options.key_load_delay_us > 0) usleep(static_cast<useconds_t>(options.key_load_delay_us));
    }
    has_expire = false;
    idle_s = -1;
    lfu_freq = -1;
    if (options.progress && r.offset() >= next_progress) {
      next_progress = r.offset() + options.progress_interval;
      if (!options.progress(r.offset())) return Status::IoError("loading aborted");
    }
  }

  if (version >= 5) {
    const uint64_t computed = r.Crc();
    uint64_t stored;
    if (!r.ReadLe64(&stored)) return r.status();
    if (options.verify_checksum) {
      if (stored == 0) {
        info->checksum_skipped = true;
      } else if (stored != computed) {
        return Status::Corruption("wrong RDB checksum (file says " + Hex64(stored) +
                                  ", data gives " + Hex64(computed) + ") at offset " +
                                  std::to_string(r.offset() - 8));
      }
    }
  }
  info->bytes = r.offset();
  return Status::Ok();
}

Status SaveRdb(const Keyspace& ks, WritableFile& file, const RdbSaveOptions& options,
               RdbSaveInfo* info) {
  RdbWriter w(&file, options.write);
  w.Header(rdb::kVersion);
  w.Aux("redis-ver", options.redis_ver);
  w.AuxInt("redis-bits", 64);
  w.AuxInt("ctime", options.now_ms / 1000);
  w.AuxInt("used-mem", options.used_mem);
  w.AuxInt("aof-base", options.aof_base ? 1 : 0);
  for (const std::string& code : options.function_codes) {
    w.Byte(rdb::kOpFunction2);
    w.String(code);
  }

  // Memcached flags of the current database, flushed as AUX records.
  std::string flags_value;
  StringWritableFile flags_out(&flags_value);
  RdbWriter flags_w(&flags_out, RdbWriteOptions{/*compress=*/false, /*checksum=*/false});
  int flagged = 0;
  auto flush_flags = [&] {
    if (flagged == 0) return;
    (void)flags_w.Flush();
    w.Aux(rdb::kAuxMcFlags, flags_value);
    flags_value.clear();
    flagged = 0;
  };

  uint64_t keys = 0;
  for (int i = 0; i < ks.databases(); ++i) {
    const Database& db = ks.db(i);
    if (db.size() == 0) continue;
    w.SelectDb(static_cast<uint64_t>(i));
    w.ResizeDb(db.size(), db.expires_count());
    db.ForEach([&](const Entry* e) {
      if (options.access_record == RdbSaveOptions::AccessRecord::kIdle) {
        w.Idle(static_cast<uint64_t>(EntryIdleMs(*e, ks.access_clock()) / 1000));
      } else if (options.access_record == RdbSaveOptions::AccessRecord::kFreq) {
        w.Freq(EntryLfuCounter(*e, ks.access_clock()));
      }
      w.KeyValue(*e);
      if (e->mc_flags != 0) {
        if (flagged == 0) {
          flags_w.Byte(rdb::kMcFlagsFormat);
          flags_w.Length(static_cast<uint64_t>(i));
        }
        flags_w.String(e->key());
        unsigned char b[4];
        for (int j = 0; j < 4; ++j) b[j] = static_cast<unsigned char>(e->mc_flags >> (8 * j));
        flags_w.Raw(b, 4);
        if (++flagged == rdb::kMcFlagsChunk) flush_flags();
      }
      if ((++keys & 1023) == 0 && options.progress) options.progress(keys);
      if (options.key_save_delay_us > 0) usleep(static_cast<useconds_t>(options.key_save_delay_us));
    });
    flush_flags();
    if (!w.status().ok()) return w.status();
  }
  Status s = w.Finish();
  if (info != nullptr) {
    info->keys = keys;
    info->bytes = w.bytes();
  }
  return s;
}

}  // namespace duet
