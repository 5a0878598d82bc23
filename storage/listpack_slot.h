#pragma once
// The value word of a listpack-encoded HashValue or ZSetValue: where its
// listpack lives.
//
// A small hash or sorted set is cheapest when its listpack shares one
// allocation with its key: the bytes right after the Entry's key (see
// Entry::PackValue). So the word says one of
//
//   ...00   the address of a listpack in its own allocation;
//   ...10   "embedded": the listpack starts (word >> 2) bytes after the
//           word's own address. Relative, so the entry holding the word can
//           be realloc'ed or copied whole without fixing anything;
//   ...x1   the owner's big encoding (hashtable, skiplist): not ours.
//
// Listpack edits realloc, which an embedded listpack cannot take: a value
// calls Own() before any edit, which copies an embedded listpack into its
// own allocation. The entry's packing step moves it back after the command.
// HashValue and ZSetValue share this layout so that Entry can pack either
// without knowing which one it holds.

#include <cstddef>
#include <cstdint>

namespace duet::lp_slot {

inline constexpr uintptr_t kEmbedded = 2;
inline constexpr uintptr_t kTagMask = 3;

inline bool IsEmbedded(uintptr_t word) { return (word & kTagMask) == kEmbedded; }
// A listpack in its own allocation (not embedded, not the big encoding, not
// the moved-from 0).
inline bool IsOwnAllocation(uintptr_t word) { return word != 0 && (word & kTagMask) == 0; }

// The listpack's address; `self` is the address of the word.
// REQUIRES: the word is one of the two listpack forms.
inline unsigned char* Address(const void* self, uintptr_t word) {
  if (IsEmbedded(word)) {
    return static_cast<unsigned char*>(const_cast<void*>(self)) + (word >> 2);
  }
  return reinterpret_cast<unsigned char*>(word);
}

// The word for a listpack embedded at `at`, which lies after `self`.
inline uintptr_t EmbeddedAt(const void* self, const unsigned char* at) {
  const auto offset = static_cast<uintptr_t>(at - static_cast<const unsigned char*>(self));
  return offset << 2 | kEmbedded;
}

// Makes the listpack its own allocation and returns it: an embedded one is
// copied out (its bytes in the entry are left behind, unused, until the
// entry is packed again), an own one is returned as is. `*p`, when given,
// is a position in the old listpack and is moved to the same place in the
// returned one.
unsigned char* Own(const void* self, uintptr_t* word, const unsigned char** p = nullptr);

// Frees the listpack when it is its own allocation; an embedded one is part
// of the entry and goes with it.
void Release(uintptr_t word);

}  // namespace duet::lp_slot
