#include "storage/value_destroy.h"

#include <cstdlib>
#include <new>

#include "storage/digest.h"
#include "storage/hash_value.h"
#include "storage/list_value.h"

namespace duet {
namespace {

// Types whose handling is wired here; a type added to ValueType must be
// handled in every function below, and this trap says so loudly if not.
[[noreturn]] void Unhandled() { std::abort(); }

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
    case ValueType::kZSet:
      break;
  }
  Unhandled();
}

void* CloneValue(ValueType type, const void* obj) {
  switch (type) {
    case ValueType::kList:
      return new ListValue(static_cast<const ListValue*>(obj)->Clone());
    case ValueType::kHash:
      return new HashValue(static_cast<const HashValue*>(obj)->Clone());
    case ValueType::kString:
    case ValueType::kSet:
    case ValueType::kZSet:
      break;
  }
  Unhandled();
}

void DigestCollection(ValueType type, const void* obj, Sha1Digest& digest) {
  switch (type) {
    case ValueType::kList:
      static_cast<const ListValue*>(obj)->quicklist().ForEach(
          0, true, [&](std::string_view v) { DigestMix(digest, v); });
      return;
    case ValueType::kHash:
      static_cast<const HashValue*>(obj)->ForEach([&](std::string_view f, std::string_view v) {
        Sha1Digest element{};
        DigestMix(element, f);
        DigestMix(element, v);
        for (size_t i = 0; i < digest.size(); ++i) digest[i] ^= Sha1(std::string_view(
            reinterpret_cast<const char*>(element.data()), element.size()))[i];
      });
      return;
    case ValueType::kString:
    case ValueType::kSet:
    case ValueType::kZSet:
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
    case ValueType::kString:
    case ValueType::kSet:
    case ValueType::kZSet:
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
    case ValueType::kZSet:
      break;
  }
  Unhandled();
}

}  // namespace duet
