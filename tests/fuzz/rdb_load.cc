// libFuzzer target: whole RDB files through LoadRdb (the start-up and DEBUG
// RELOAD path), checksum verification off so that mutations reach the
// decoders. Anything may fail with a status; nothing may crash, leak or read
// out of bounds. When a load succeeds, the keyspace is saved and loaded again
// and must hold the same number of keys (the writer accepts what the reader
// built).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "persistence/file.h"
#include "persistence/rdb_file.h"
#include "storage/keyspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  duet::RdbLoadOptions options;
  options.verify_checksum = false;
  options.now_ms = 1;  // keep keys whatever their expiry
  duet::Keyspace ks(16);
  duet::StringSequentialFile in(data);
  duet::RdbLoadInfo info;
  duet::Status s = duet::LoadRdb(in, ks, options, &info);
  if (!s.ok()) return 0;

  std::string saved;
  duet::StringWritableFile out(&saved);
  duet::RdbSaveOptions save_options;
  duet::RdbSaveInfo save_info;
  if (!duet::SaveRdb(ks, out, save_options, &save_info).ok()) std::abort();
  duet::Keyspace again(16);
  duet::StringSequentialFile in2(saved);
  duet::RdbLoadOptions strict;
  strict.now_ms = 1;
  duet::RdbLoadInfo info2;
  if (!duet::LoadRdb(in2, again, strict, &info2).ok()) std::abort();
  if (again.TotalKeys() != ks.TotalKeys()) std::abort();
  return 0;
}
