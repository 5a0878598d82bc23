#include "storage/value_destroy.h"

#include <cstdlib>
#include <new>

#include "storage/digest.h"
#include "storage/hash_value.h"
#include "storage/list_value.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"
#include "utils/strconv.h"

namespace duet {
namespace {

// Types whose handling is wired here; a type added to ValueType must be
// handled in every function below, and this trap says so loudly if not.
[[noreturn]] void Unhandled() { std::abort(); }

std::string_view AsBytes(const Sha1Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

void DestroyValue(Entry& e) {
  switch (e.type) {
    case ValueType::kString:
      return;  // strings live inside the entry
    case ValueType::kList:
      delete e.object<ListValue>();
      return;
    case ValueType::kHash:
      e.object<HashValue>()->~HashValue();
      return;
    case ValueType::kSet:
      e.object<SetValue>()->~SetValue();
      return;
    case ValueType::kZSet:
      e.object<ZSetValue>()->~ZSetValue();
      return;
  }
  Unhandled();
}

Entry* CloneCollection(const Entry& e, std::string_view new_key) {
  switch (e.type) {
    case ValueType::kList:
      return Entry::New(new_key, new ListValue(e.object<ListValue>()->Clone()));
    case ValueType::kHash:
      return Entry::New(new_key, e.object<HashValue>()->Clone());
    case ValueType::kSet:
      return Entry::New(new_key, e.object<SetValue>()->Clone());
    case ValueType::kZSet:
      return Entry::New(new_key, e.object<ZSetValue>()->Clone());
    case ValueType::kString:
      break;
  }
  Unhandled();
}

void DigestCollection(const Entry& e, Sha1Digest& digest) {
  switch (e.type) {
    case ValueType::kList:
      e.object<ListValue>()->Range(0, -1, [&](std::string_view v) { DigestMix(digest, v); });
      return;
    case ValueType::kHash:
      e.object<HashValue>()->ForEach([&](std::string_view f, std::string_view v) {
        Sha1Digest element{};
        DigestMix(element, f);
        DigestMix(element, v);
        DigestXor(digest, AsBytes(element));
      });
      return;
    case ValueType::kSet:
      e.object<SetValue>()->ForEach([&](std::string_view m) { DigestXor(digest, m); });
      return;
    case ValueType::kZSet:
      e.object<ZSetValue>()->ForEach([&](std::string_view m, double score) {
        Sha1Digest element{};
        DigestMix(element, m);
        char buf[kMaxDoubleChars];
        DigestMix(element, std::string_view(buf, FormatDouble(score, buf)));
        DigestXor(digest, AsBytes(element));
      });
      return;
    case ValueType::kString:
      break;
  }
  Unhandled();
}

const char* CollectionEncodingName(const Entry& e) {
  switch (e.type) {
    case ValueType::kList:
      return e.object<ListValue>()->EncodingName();
    case ValueType::kHash:
      return e.object<HashValue>()->EncodingName();
    case ValueType::kSet:
      return e.object<SetValue>()->EncodingName();
    case ValueType::kZSet:
      return e.object<ZSetValue>()->EncodingName();
    case ValueType::kString:
      break;
  }
  Unhandled();
}

size_t ValueMemoryUsage(const Entry& e) {
  switch (e.type) {
    case ValueType::kString:
      return 0;
    case ValueType::kList:
      return e.object<ListValue>()->MemoryUsage();
    case ValueType::kHash:
      return e.object<HashValue>()->MemoryUsage();
    case ValueType::kSet:
      return e.object<SetValue>()->MemoryUsage();
    case ValueType::kZSet:
      return e.object<ZSetValue>()->MemoryUsage();
  }
  Unhandled();
}

}  // namespace duet
