// libFuzzer target: AOF streams through the loader's parser, whole
// (ParseAofBuffer) and read from a file in chunks (ParseAofFile, the
// start-up path). Nothing may crash or read out of bounds, and the two must
// agree: same commands, same outcome, same offsets. The commands of a
// stream written back with the AOF record writer must parse to themselves.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/aof_parser.h"
#include "persistence/aof_record.h"
#include "persistence/file.h"

namespace {

struct Seen {
  std::vector<std::vector<std::string>> commands;
  std::vector<uint64_t> offsets;
};

// A callback recording what it is given (AofCommandFn does not own it).
struct Collect {
  Seen& seen;
  bool operator()(std::span<const std::string_view> argv, uint64_t offset) const {
    seen.commands.emplace_back(argv.begin(), argv.end());
    seen.offsets.push_back(offset);
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view data(reinterpret_cast<const char*>(bytes), size);

  Seen whole;
  Collect collect_whole{whole};
  duet::AofParseOutcome a = duet::ParseAofBuffer(data, collect_whole);
  Seen chunked;
  duet::StringSequentialFile file(data);
  Collect collect_chunked{chunked};
  duet::AofParseOutcome b = duet::ParseAofFile(file, collect_chunked);

  if (a.kind != b.kind || a.commands != b.commands || a.valid_bytes != b.valid_bytes) std::abort();
  if (whole.commands != chunked.commands || whole.offsets != chunked.offsets) std::abort();
  if (a.kind == duet::AofParseOutcome::Kind::kCorrupt && a.error_offset != b.error_offset) {
    std::abort();
  }
  if (a.commands != whole.commands.size() || a.valid_bytes > size) std::abort();

  // What was delivered, written back, reads back the same and completely.
  std::string rewritten;
  for (const auto& cmd : whole.commands) {
    std::vector<std::string_view> views(cmd.begin(), cmd.end());
    duet::AppendAofRecord(rewritten, views);
  }
  Seen again;
  Collect collect_again{again};
  duet::AofParseOutcome c = duet::ParseAofBuffer(rewritten, collect_again);
  if (c.kind != duet::AofParseOutcome::Kind::kComplete || again.commands != whole.commands) {
    std::abort();
  }
  return 0;
}
