#pragma once
// A RESP base file (aof-use-rdb-preamble no): the keyspace as the commands
// that rebuild it. Collections are written in batches of at most 64 items
// per command (RPUSH, SADD, ZADD, HMSET), strings with SET, expiries with
// PEXPIREAT, each database after a SELECT, as Redis's rewrite does.

#include <cstdint>

#include "persistence/file.h"
#include "storage/keyspace.h"
#include "utils/status.h"

namespace duet {

// Writes every live key of `ks` (keys expired before `now_ms` are left out).
Status WriteRespBase(const Keyspace& ks, WritableFile& file, int64_t now_ms);

}  // namespace duet
