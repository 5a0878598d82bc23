#pragma once
// Intset: a sorted array of distinct integers in Redis's intset blob layout,
// so RDB can write and read it as one opaque string.
//
// Blob layout (all fields little-endian):
//   u32 encoding   bytes per element: 2, 4 or 8 (int16 / int32 / int64)
//   u32 length     number of elements
//   length * encoding bytes: the elements, strictly ascending
//
// Invariants: every element fits the encoding; the encoding only grows (an
// insert that needs a wider type rewrites the whole array once; removing the
// wide element does not shrink it back, as in Redis). The blob is allocated to
// its exact size, so its bytes are also its memory footprint.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace duet {

class Intset {
 public:
  static constexpr size_t kHeaderBytes = 8;

  Intset();  // empty, encoding 2
  ~Intset() { std::free(blob_); }
  // A moved-from Intset may only be destroyed or assigned to.
  Intset(Intset&& other) noexcept;
  Intset& operator=(Intset&& other) noexcept;
  Intset(const Intset&) = delete;
  Intset& operator=(const Intset&) = delete;

  // Checks an untrusted blob. Shallow: header sane and size matches the
  // declared length. Deep: also strictly ascending. An empty intset is
  // refused (Redis never stores one).
  static bool Validate(std::string_view blob, bool deep);
  // Copies a blob that passed Validate(blob, true); nullopt otherwise.
  static std::optional<Intset> FromBlob(std::string_view blob);

  // Hands the blob over, leaving this Intset moved-from, and takes one back:
  // for an owner that keeps the bare pointer in a tagged word (SetValue).
  uint8_t* Release() {
    uint8_t* b = blob_;
    blob_ = nullptr;
    return b;
  }
  // REQUIRES: blob came from Release().
  static Intset Adopt(uint8_t* blob) { return Intset(blob); }

  // Returns true if `value` was not present.
  bool Add(int64_t value);
  // Returns true if `value` was present.
  bool Remove(int64_t value);
  bool Find(int64_t value) const;

  // REQUIRES: index < Length().
  int64_t Get(uint32_t index) const;
  // Uniformly chosen element. REQUIRES: Length() > 0.
  int64_t Random() const;

  uint32_t Length() const;
  uint32_t Encoding() const;  // 2, 4 or 8
  size_t BlobBytes() const { return kHeaderBytes + size_t{Length()} * Encoding(); }
  std::string_view Blob() const { return {reinterpret_cast<const char*>(blob_), BlobBytes()}; }

  // Calls fn(int64_t) for every element in ascending order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    const uint32_t n = Length();
    for (uint32_t i = 0; i < n; ++i) fn(Get(i));
  }

 private:
  explicit Intset(uint8_t* blob) : blob_(blob) {}
  // Position of `value` if present (found = true), else where it would go.
  uint32_t Search(int64_t value, bool* found) const;
  void Resize(uint32_t new_length);
  void Upgrade(uint32_t new_encoding);
  void Set(uint32_t index, int64_t value);

  uint8_t* blob_;  // malloc'ed, exactly BlobBytes() long; null only once moved from
};

}  // namespace duet
