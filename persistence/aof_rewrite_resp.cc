#include "persistence/aof_rewrite_resp.h"

#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "persistence/aof_record.h"
#include "storage/hash_value.h"
#include "storage/list_value.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"

namespace duet {
namespace {

constexpr size_t kItemsPerCommand = 64;
constexpr size_t kFlushBytes = 1 << 16;

// Collects one command's arguments; strings it must own live in `store`.
class Batch {
 public:
  Batch(std::string& out, std::string_view cmd, std::string_view key) : out_(out) {
    argv_.push_back(cmd);
    argv_.push_back(key);
  }
  void Add(std::string_view a) {
    store_.emplace_back(a);
    ++items_;
  }
  // Counts one item (several arguments) and emits the command when full.
  void EndItem(size_t per_item) {
    if (items_ / per_item >= kItemsPerCommand) Emit();
  }
  void Emit() {
    if (items_ == 0) return;
    std::vector<std::string_view> argv(argv_);
    for (const std::string& s : store_) argv.push_back(s);
    AppendAofRecord(out_, argv);
    store_.clear();
    items_ = 0;
  }

 private:
  std::string& out_;
  std::vector<std::string_view> argv_;
  std::vector<std::string> store_;
  size_t items_ = 0;
};

std::string FormatScore(double d) {
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

Status WriteRespBase(const Keyspace& ks, WritableFile& file, int64_t now_ms) {
  std::string out;
  Status status;
  auto flush = [&] {
    if (out.size() >= kFlushBytes && status.ok()) {
      status = file.Append(out);
      out.clear();
    }
  };
  for (int i = 0; i < ks.databases(); ++i) {
    const Database& db = ks.db(i);
    if (db.size() == 0) continue;
    AppendAofSelect(out, i);
    db.ForEach([&](const Entry* e) {
      if (e->has_expire() && e->expire_ms <= now_ms) return;
      std::string_view key = e->key();
      switch (e->type) {
        case ValueType::kString:
          AppendAofRecord(out, {"SET", key, e->str()});
          break;
        case ValueType::kList: {
          Batch b(out, "RPUSH", key);
          e->object<ListValue>()->Range(0, -1, [&](std::string_view v) {
            b.Add(v);
            b.EndItem(1);
          });
          b.Emit();
          break;
        }
        case ValueType::kSet: {
          Batch b(out, "SADD", key);
          e->object<SetValue>()->ForEach([&](std::string_view m) {
            b.Add(m);
            b.EndItem(1);
          });
          b.Emit();
          break;
        }
        case ValueType::kZSet: {
          Batch b(out, "ZADD", key);
          e->object<ZSetValue>()->RangeByRank(0, -1, false, [&](std::string_view m, double s) {
            b.Add(FormatScore(s));
            b.Add(m);
            b.EndItem(2);
          });
          b.Emit();
          break;
        }
        case ValueType::kHash: {
          Batch b(out, "HMSET", key);
          e->object<HashValue>()->ForEach([&](std::string_view f, std::string_view v) {
            b.Add(f);
            b.Add(v);
            b.EndItem(2);
          });
          b.Emit();
          break;
        }
      }
      if (e->has_expire()) {
        char num[24];
        auto len =
            static_cast<size_t>(std::to_chars(num, num + sizeof(num), e->expire_ms).ptr - num);
        AppendAofRecord(out, {"PEXPIREAT", key, std::string_view(num, len)});
      }
      flush();
    });
  }
  if (status.ok() && !out.empty()) status = file.Append(out);
  return status;
}

}  // namespace duet
