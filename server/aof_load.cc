// Aof: loading the files at start-up and for DEBUG LOADAOF.

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "persistence/aof_parser.h"
#include "persistence/rdb_file.h"
#include "server/aof.h"
#include "server/client.h"
#include "server/multi.h"
#include "server/script_engine.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "utils/clock.h"
#include "utils/logging.h"

namespace duet {
namespace {

constexpr std::string_view kFixHint =
    "make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>";

// Skips `n` bytes of `file`.
Status Skip(SequentialFile& file, uint64_t n) {
  std::string scratch(1 << 16, '\0');
  while (n > 0) {
    std::string_view got;
    size_t want = n < scratch.size() ? static_cast<size_t>(n) : scratch.size();
    Status s = file.Read(want, scratch.data(), &got);
    if (!s.ok()) return s;
    if (got.empty()) return Status::IoError("unexpected end of file");
    n -= got.size();
  }
  return Status::Ok();
}

}  // namespace

Status Aof::LoadOneFile(const AofFileInfo& f, bool last,
                        const std::function<bool()>& process_events, bool* in_multi_at_end) {
  const std::string path = PathOf(f.name);
  std::unique_ptr<SequentialFile> file;
  Status s = fs_.NewSequentialFile(path, &file);
  if (!s.ok()) return Status::IoError("The AOF file " + f.name + " doesn't exist");
  if (file->Size() == 0) return Status::Ok();

  uint64_t base_offset = 0;
  char magic[5];
  std::string_view got;
  s = file->Read(5, magic, &got);
  if (!s.ok()) return s;
  const bool rdb = got == "REDIS";  // `got` may point into `file`: test it first
  s = fs_.NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  if (rdb) {
    LogNotice("Reading RDB base file on AOF loading...");
    RdbLoadOptions o;
    o.limits = server_.config().collections;
    o.now_ms = server_.NowMs();
    o.verify_checksum = server_.config().rdbchecksum;
    // Function libraries in the preamble (as in a dump.rdb).
    o.load_function = [this](std::string_view code) {
      std::string name, error;
      if (!server_.scripts().LoadLibrary(code, true, &name, &error)) {
        return Status::InvalidArgument(error);
      }
      return Status::Ok();
    };
    RdbLoadInfo info;
    s = LoadRdb(*file, server_.keyspace(), o, &info);
    if (!s.ok()) {
      return Status::Corruption("Bad file format reading the append only file " + f.name + ": " +
                                s.message());
    }
    LogNotice("Reading the remaining AOF tail...");
    base_offset = info.bytes;
    s = fs_.NewSequentialFile(path, &file);
    if (s.ok()) s = Skip(*file, base_offset);
    if (!s.ok()) return s;
  }

  Client fake;
  fake.id = UINT64_MAX;  // never a connection's id
  fake.deny_blocking = true;
  fake.rb.set_muted(true);
  std::vector<std::string_view> args;
  std::string error;
  uint64_t multi_offset = 0;
  uint64_t count = 0;
  bool aborted = false;
  auto on_command = [&](std::span<const std::string_view> argv, uint64_t offset) {
    args.assign(argv.begin(), argv.end());
    bool unknown_sub = false;
    const Command* cmd = server_.commands().Lookup(args, &unknown_sub);
    if (cmd == nullptr || cmd->handler == nullptr || !cmd->ArityOk(args.size())) {
      error = "Unknown command '" + std::string(args[0].substr(0, 128)) +
              "' reading the append only file " + f.name;
      return false;
    }
    if (fake.in_multi() && !IsTransactionControl(*cmd)) {
      QueueCommand(fake, *cmd, args);
    } else {
      if (cmd->name == "multi") multi_offset = offset;
      server_.Call(fake, *cmd, args, server_.NowMs());
    }
    fake.replies.Clear();
    if ((++count & 1023) == 0 && process_events && !process_events()) {
      aborted = true;
      return false;
    }
    return true;
  };
  AofParseOutcome out = ParseAofFile(*file, on_command, base_offset);
  using Kind = AofParseOutcome::Kind;
  const bool tx_open = fake.in_multi();
  DiscardTransaction(server_, fake);
  switch (out.kind) {
    case Kind::kStopped:
      if (aborted) return Status::IoError("loading aborted");
      return Status::Corruption(error);
    case Kind::kIoError:
      return Status::IoError("Error reading the append only file " + f.name + ": " + out.error);
    case Kind::kCorrupt:
      return Status::Corruption("Bad file format reading the append only file " + f.name +
                                " at offset " + std::to_string(out.error_offset) + " (" +
                                out.error + "): " + std::string(kFixHint));
    case Kind::kTruncated:
    case Kind::kComplete:
      break;
  }
  uint64_t keep = out.valid_bytes;
  bool cut = out.kind == Kind::kTruncated;
  if (tx_open) {
    // A MULTI without its EXEC: nothing of it ran; drop it like a torn tail.
    keep = multi_offset;
    cut = true;
    LogWarning("Revert incomplete MULTI/EXEC transaction in AOF file " + f.name);
  }
  *in_multi_at_end = tx_open;
  if (!cut) return Status::Ok();
  if (!last || !server_.config().aof_load_truncated) {
    return Status::Corruption(
        "Unexpected end of file reading the append only file " + f.name + " at offset " +
        std::to_string(keep) +
        ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix "
        "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' "
        "configuration option to yes and restart the server.");
  }
  LogWarning("!!! Warning: short read while loading the AOF file " + f.name + "!!!");
  LogWarning("!!! Truncating the AOF " + f.name + " at offset " + std::to_string(keep) + " !!!");
  s = fs_.Truncate(path, keep);
  if (!s.ok()) {
    return Status::IoError("Error truncating the AOF file " + f.name + ": " + s.message());
  }
  LogWarning("AOF " + f.name + " loaded anyway because aof-load-truncated is enabled");
  return Status::Ok();
}

Status Aof::LoadFiles(const std::function<bool()>& process_events) {
  uint64_t total = 0;
  if (manifest_.has_base) total += FileSize(manifest_.base.name);
  for (const auto& f : manifest_.incrs) total += FileSize(f.name);
  if (!manifest_.has_base && manifest_.incrs.empty()) return Status::Ok();
  const int64_t start_us = MonotonicMicros();
  server_.snapshots().BeginExternalLoad(total);
  Status s;
  bool multi_open = false;
  if (manifest_.has_base) {
    s = LoadOneFile(manifest_.base, manifest_.incrs.empty(), process_events, &multi_open);
  }
  for (size_t i = 0; s.ok() && i < manifest_.incrs.size(); ++i) {
    s = LoadOneFile(manifest_.incrs[i], i + 1 == manifest_.incrs.size(), process_events,
                    &multi_open);
  }
  server_.snapshots().EndExternalLoad();
  if (!s.ok()) return s;
  char line[128];
  std::snprintf(line, sizeof(line), "DB loaded from append only file: %.3f seconds",
                static_cast<double>(MonotonicMicros() - start_us) / 1e6);
  LogNotice(line);
  return Status::Ok();
}

Status Aof::ReadManifest(AofManifest* out) {
  const std::string manifest_path = PathOf(AofManifestName(prefix()));
  std::unique_ptr<SequentialFile> f;
  Status s = fs_.NewSequentialFile(manifest_path, &f);
  std::string text;
  std::string scratch(1 << 16, '\0');
  for (std::string_view got; s.ok();) {
    s = f->Read(scratch.size(), scratch.data(), &got);
    if (!s.ok() || got.empty()) break;
    text.append(got);
  }
  if (s.ok()) s = AofManifest::Parse(text, out);
  if (!s.ok()) {
    return Status::Corruption("Failed to load AOF manifest " + manifest_path + ": " + s.message());
  }
  return Status::Ok();
}

Status Aof::LoadAtStartup(const std::function<bool()>& process_events) {
  Status s = fs_.CreateDir(DirPath());
  if (!s.ok()) {
    return Status::IoError("Can't open or create append-only dir " + DirPath() + ": " +
                           s.message());
  }
  manifest_ = AofManifest{};
  const std::string manifest_path = PathOf(AofManifestName(prefix()));
  if (fs_.Exists(manifest_path)) {
    s = ReadManifest(&manifest_);
    if (!s.ok()) return s;
  } else if (fs_.Exists(prefix())) {
    // A single-file AOF of an older Redis: it becomes the base of the layout.
    LogNotice("Upgrading the old-style AOF " + prefix() + " into " + DirPath());
    manifest_.has_base = true;
    manifest_.base = AofFileInfo{prefix(), 1, AofFileType::kBase};
    manifest_.base_seq = 1;
    s = fs_.Rename(prefix(), PathOf(prefix()));
    if (s.ok()) s = fs_.SyncDir(DirPath());
    if (s.ok()) s = PersistManifest(manifest_);
    if (!s.ok()) return s;
  }
  s = LoadFiles(process_events);
  if (!s.ok()) return s;
  server_.stats().dirty = 0;
  return OpenAfterLoad();
}

Status Aof::OpenAfterLoad() {
  Status s;
  if (!manifest_.has_base && manifest_.incrs.empty()) {
    s = CreateBaseNow();
    if (!s.ok()) return s;
  }
  if (manifest_.incrs.empty()) {
    AofFileInfo incr = manifest_.NewIncr(prefix());
    s = OpenIncr(incr.name, false);
    if (s.ok()) s = fs_.SyncDir(DirPath());
    if (s.ok()) s = PersistManifest(manifest_);
    if (!s.ok()) return s;
    LogNotice("Creating AOF incr file " + incr.name + " on server start");
  } else {
    s = OpenIncr(manifest_.incrs.back().name, true);
    if (!s.ok()) return s;
  }
  RemoveHistory();
  base_size_ = manifest_.has_base ? FileSize(manifest_.base.name) : 0;
  other_incrs_ = 0;
  for (size_t i = 0; i + 1 < manifest_.incrs.size(); ++i) {
    other_incrs_ += FileSize(manifest_.incrs[i].name);
  }
  rewrite_base_size_ = base_size_ + other_incrs_ + incr_size_;
  state_ = State::kOn;
  return Status::Ok();
}

Status Aof::Reload() {
  const State saved = state_;
  if (saved != State::kOff) {
    FlushAndSync();
  } else {
    // As in Redis, even with appendonly off: whatever the directory holds.
    manifest_ = AofManifest{};
    if (fs_.Exists(PathOf(AofManifestName(prefix())))) {
      Status s = ReadManifest(&manifest_);
      if (!s.ok()) return s;
    }
  }
  state_ = State::kOff;  // replayed commands are not logged again
  for (int i = 0; i < server_.keyspace().databases(); ++i) server_.keyspace().db(i).Clear();
  Status s = LoadFiles(nullptr);
  state_ = saved;
  server_.stats().dirty = 0;
  return s;
}

void Aof::RemoveHistory() {
  // aof-disable-auto-gc: the files stay, listed as history ('h') in the
  // manifest, until the setting goes back to no.
  if (manifest_.history.empty() || server_.config().aof_disable_auto_gc) return;
  for (const auto& f : manifest_.history) {
    LogNotice("Removing the history file " + f.name + " in the background");
    if (&fs_ == &FileSystem::Posix()) {
      syncer_.Unlink(PathOf(f.name));  // off the event loop
    } else {
      (void)fs_.Remove(PathOf(f.name));
    }
  }
  manifest_.history.clear();
  (void)PersistManifest(manifest_);
}

}  // namespace duet
