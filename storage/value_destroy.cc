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

void DestroyValue(ValueType type, void* obj) {
  switch (type) {
    case ValueType::kString:
      return;  // strings live inside the entry
    case ValueType::kList:
      delete static_cast<ListValue*>(obj);
      return;
    case ValueType::kHash:
      delete static_cast<HashValue*>(obj);
      return;
    case ValueType::kSet:
      delete static_cast<SetValue*>(obj);
      return;
    case ValueType::kZSet:
      delete static_cast<ZSetValue*>(obj);
      return;
  }
  Unhandled();
}

void* CloneValue(ValueType type, const void* obj) {
  switch (type) {
    case ValueType::kList:
      return new ListValue(static_cast<const ListValue*>(obj)->Clone());
    case ValueType::kHash:
      return new HashValue(static_cast<const HashValue*>(obj)->Clone());
    case ValueType::kSet:
      return new SetValue(static_cast<const SetValue*>(obj)->Clone());
    case ValueType::kZSet:
      return new ZSetValue(static_cast<const ZSetValue*>(obj)->Clone());
    case ValueType::kString:
      break;
  }
  Unhandled();
}

void DigestCollection(ValueType type, const void* obj, Sha1Digest& digest) {
  switch (type) {
    case ValueType::kList:
      static_cast<const ListValue*>(obj)->Range(0, -1,
                                                [&](std::string_view v) { DigestMix(digest, v); });
      return;
    case ValueType::kHash:
      static_cast<const HashValue*>(obj)->ForEach([&](std::string_view f, std::string_view v) {
        Sha1Digest element{};
        DigestMix(element, f);
        DigestMix(element, v);
        DigestXor(digest, AsBytes(element));
      });
      return;
    case ValueType::kSet:
      static_cast<const SetValue*>(obj)->ForEach([&](std::string_view m) { DigestXor(digest, m); });
      return;
    case ValueType::kZSet:
      static_cast<const ZSetValue*>(obj)->ForEach([&](std::string_view m, double score) {
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

const char* CollectionEncodingName(ValueType type, const void* obj) {
  switch (type) {
    case ValueType::kList:
      return static_cast<const ListValue*>(obj)->EncodingName();
    case ValueType::kHash:
      return static_cast<const HashValue*>(obj)->EncodingName();
    case ValueType::kSet:
      return static_cast<const SetValue*>(obj)->EncodingName();
    case ValueType::kZSet:
      return static_cast<const ZSetValue*>(obj)->EncodingName();
    case ValueType::kString:
      break;
  }
  Unhandled();
}

size_t ValueMemoryUsage(ValueType type, const void* obj) {
  switch (type) {
    case ValueType::kString:
      return 0;
    case ValueType::kList:
      return static_cast<const ListValue*>(obj)->MemoryUsage();
    case ValueType::kHash:
      return static_cast<const HashValue*>(obj)->MemoryUsage();
    case ValueType::kSet:
      return static_cast<const SetValue*>(obj)->MemoryUsage();
    case ValueType::kZSet:
      return static_cast<const ZSetValue*>(obj)->MemoryUsage();
  }
  Unhandled();
}

}  // namespace duet
