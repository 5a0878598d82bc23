#include "storage/listpack_slot.h"

#include "storage/listpack.h"

namespace duet::lp_slot {

unsigned char* Own(const void* self, uintptr_t* word, const unsigned char** p) {
  unsigned char* lp = Address(self, *word);
  if (!IsEmbedded(*word)) return lp;
  unsigned char* own = lp::Clone(lp);
  if (p != nullptr && *p != nullptr) *p = own + (*p - lp);
  *word = reinterpret_cast<uintptr_t>(own);
  return own;
}

void Release(uintptr_t word) {
  if (IsOwnAllocation(word)) lp::Free(reinterpret_cast<unsigned char*>(word));
}

}  // namespace duet::lp_slot
