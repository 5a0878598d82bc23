#pragma once
// The manifest of Redis 7.0's multi-part AOF: which files in `appenddirname`
// make up the dataset, in replay order.
//
// File syntax (one file per line, keys in any order, '#' lines ignored):
//     file appendonly.aof.1.base.rdb seq 1 type b
//     file appendonly.aof.1.incr.aof seq 1 type i
// Types: b = base (RDB preamble or RESP), i = incremental (RESP),
// h = history (replaced by a rewrite, waiting to be deleted). A name with
// spaces or quotes is written in double quotes with backslash escapes.
//
// Names are "<appendfilename>.<seq>.base.rdb" (".base.aof" for a RESP base)
// and "<appendfilename>.<seq>.incr.aof"; base and incr sequence numbers
// count separately.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "utils/status.h"

namespace duet {

enum class AofFileType : char { kBase = 'b', kHistory = 'h', kIncr = 'i' };

struct AofFileInfo {
  std::string name;
  int64_t seq = 0;
  AofFileType type = AofFileType::kIncr;
};

struct AofManifest {
  bool has_base = false;
  AofFileInfo base;
  std::vector<AofFileInfo> incrs;    // replay order (ascending seq)
  std::vector<AofFileInfo> history;  // to delete
  int64_t base_seq = 0;              // highest base seq used
  int64_t incr_seq = 0;              // highest incr seq used

  // The manifest's text, as Redis writes it: base, history, then incrs.
  std::string Serialize() const;
  // Parses manifest text. Errors are Redis's reasons ("Invalid AOF manifest
  // file format", ...), without the file name.
  static Status Parse(std::string_view text, AofManifest* out);

  // Starts a new base (type b) named from `prefix`; the old base and every
  // incr file except the last `keep_incrs` become history.
  AofFileInfo NewBase(const std::string& prefix, bool rdb, size_t keep_incrs);
  // Appends a new incr file.
  AofFileInfo NewIncr(const std::string& prefix);
};

std::string AofBaseName(const std::string& prefix, int64_t seq, bool rdb);
std::string AofIncrName(const std::string& prefix, int64_t seq);
std::string AofManifestName(const std::string& prefix);

}  // namespace duet
