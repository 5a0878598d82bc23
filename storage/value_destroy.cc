#include "storage/value_destroy.h"

#include <cstdlib>

namespace duet {

void DestroyValue(ValueType type, void* obj) {
  switch (type) {
    case ValueType::kString:
      return;  // strings live inside the entry
    case ValueType::kList:
    case ValueType::kSet:
    case ValueType::kZSet:
    case ValueType::kHash:
      break;
  }
  // A collection type without a destroy path would leak or corrupt memory;
  // stopping here is safer than guessing.
  std::abort();
}

void* CloneValue(ValueType type, const void* obj) {
  (void)type;
  (void)obj;
  std::abort();  // no collection types exist yet; see DestroyValue
}

void DigestCollection(ValueType type, const void* obj, Sha1Digest& digest) {
  (void)type;
  (void)obj;
  (void)digest;
  std::abort();  // no collection types exist yet; see DestroyValue
}

const char* CollectionEncodingName(ValueType type, const void* obj) {
  (void)type;
  (void)obj;
  std::abort();  // no collection types exist yet; see DestroyValue
}

size_t ValueMemoryUsage(ValueType type, const void* obj) {
  (void)obj;
  return type == ValueType::kString ? 0 : 0;
}

}  // namespace duet
