#include "storage/intset.h"

#include <bit>
#include <cstdlib>
#include <cstring>

#include "storage/random.h"

namespace duet {
namespace {

template <typename T>
T ByteSwap(T v) {
  if constexpr (sizeof(T) == 2) {
    return static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
  } else if constexpr (sizeof(T) == 4) {
    return static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
  } else {
    return static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
  }
}

// The blob is little-endian on every host, as Redis writes it to RDB.
template <typename T>
T LoadLE(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  if constexpr (std::endian::native == std::endian::big) v = ByteSwap(v);
  return v;
}

template <typename T>
void StoreLE(uint8_t* p, T v) {
  if constexpr (std::endian::native == std::endian::big) v = ByteSwap(v);
  std::memcpy(p, &v, sizeof(T));
}

uint32_t EncodingFor(int64_t v) {
  if (v < INT32_MIN || v > INT32_MAX) return 8;
  if (v < INT16_MIN || v > INT16_MAX) return 4;
  return 2;
}

int64_t LoadAt(const uint8_t* data, uint32_t enc, uint32_t index) {
  switch (enc) {
    case 2:
      return LoadLE<int16_t>(data + size_t{index} * 2);
    case 4:
      return LoadLE<int32_t>(data + size_t{index} * 4);
    default:
      return LoadLE<int64_t>(data + size_t{index} * 8);
  }
}

void StoreAt(uint8_t* data, uint32_t enc, uint32_t index, int64_t v) {
  switch (enc) {
    case 2:
      StoreLE<int16_t>(data + size_t{index} * 2, static_cast<int16_t>(v));
      break;
    case 4:
      StoreLE<int32_t>(data + size_t{index} * 4, static_cast<int32_t>(v));
      break;
    default:
      StoreLE<int64_t>(data + size_t{index} * 8, v);
  }
}

template <typename T>
uint32_t SearchTyped(const uint8_t* data, uint32_t n, T v, bool* found) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const T cur = LoadLE<T>(data + size_t{mid} * sizeof(T));
    if (cur < v) {
      lo = mid + 1;
    } else if (cur > v) {
      hi = mid;
    } else {
      *found = true;
      return mid;
    }
  }
  *found = false;
  return lo;
}

uint8_t* Allocate(size_t bytes) {
  auto* p = static_cast<uint8_t*>(std::malloc(bytes));
  if (p == nullptr) std::abort();  // out of memory, as the listpack does
  return p;
}

}  // namespace

Intset::Intset() : blob_(Allocate(kHeaderBytes)) {
  StoreLE<uint32_t>(blob_, 2);
  StoreLE<uint32_t>(blob_ + 4, 0);
}

Intset::Intset(Intset&& other) noexcept : blob_(other.blob_) { other.blob_ = nullptr; }

Intset& Intset::operator=(Intset&& other) noexcept {
  if (this != &other) {
    std::free(blob_);
    blob_ = other.blob_;
    other.blob_ = nullptr;
  }
  return *this;
}

uint32_t Intset::Length() const { return LoadLE<uint32_t>(blob_ + 4); }
uint32_t Intset::Encoding() const { return LoadLE<uint32_t>(blob_); }

int64_t Intset::Get(uint32_t index) const {
  return LoadAt(blob_ + kHeaderBytes, Encoding(), index);
}

void Intset::Set(uint32_t index, int64_t value) {
  StoreAt(blob_ + kHeaderBytes, Encoding(), index, value);
}

int64_t Intset::Random() const { return Get(static_cast<uint32_t>(RandomBelow(Length()))); }

uint32_t Intset::Search(int64_t value, bool* found) const {
  const uint32_t n = Length();
  const uint8_t* data = blob_ + kHeaderBytes;
  switch (Encoding()) {
    case 2:
      if (value < INT16_MIN || value > INT16_MAX) break;
      return SearchTyped<int16_t>(data, n, static_cast<int16_t>(value), found);
    case 4:
      if (value < INT32_MIN || value > INT32_MAX) break;
      return SearchTyped<int32_t>(data, n, static_cast<int32_t>(value), found);
    default:
      return SearchTyped<int64_t>(data, n, value, found);
  }
  // Wider than the encoding: it sorts before everything or after everything.
  *found = false;
  return value < 0 ? 0 : n;
}

bool Intset::Find(int64_t value) const {
  bool found;
  Search(value, &found);
  return found;
}

void Intset::Resize(uint32_t new_length) {
  const size_t bytes = kHeaderBytes + size_t{new_length} * Encoding();
  auto* p = static_cast<uint8_t*>(std::realloc(blob_, bytes));
  if (p == nullptr) std::abort();  // out of memory, as the listpack does
  blob_ = p;
}

void Intset::Upgrade(uint32_t new_encoding) {
  const uint32_t old_encoding = Encoding();
  const uint32_t n = Length();
  const size_t bytes = kHeaderBytes + (size_t{n} + 1) * new_encoding;
  auto* p = static_cast<uint8_t*>(std::realloc(blob_, bytes));
  if (p == nullptr) std::abort();  // out of memory, as the listpack does
  blob_ = p;
  // Widen from the back so no element is overwritten before it is read.
  uint8_t* data = blob_ + kHeaderBytes;
  for (uint32_t i = n; i-- > 0;) {
    StoreAt(data, new_encoding, i, LoadAt(data, old_encoding, i));
  }
  StoreLE<uint32_t>(blob_, new_encoding);
}

bool Intset::Add(int64_t value) {
  const uint32_t n = Length();
  if (EncodingFor(value) > Encoding()) {
    // A value that needs a wider type is below or above every element.
    Upgrade(EncodingFor(value));
    uint8_t* data = blob_ + kHeaderBytes;
    const uint32_t enc = Encoding();
    if (value < 0) {
      std::memmove(data + enc, data, size_t{n} * enc);
      StoreAt(data, enc, 0, value);
    } else {
      StoreAt(data, enc, n, value);
    }
    StoreLE<uint32_t>(blob_ + 4, n + 1);
    return true;
  }
  bool found;
  const uint32_t pos = Search(value, &found);
  if (found) return false;
  Resize(n + 1);
  const uint32_t enc = Encoding();
  uint8_t* data = blob_ + kHeaderBytes;
  std::memmove(data + size_t{pos + 1} * enc, data + size_t{pos} * enc, size_t{n - pos} * enc);
  StoreLE<uint32_t>(blob_ + 4, n + 1);
  Set(pos, value);
  return true;
}

bool Intset::Remove(int64_t value) {
  if (EncodingFor(value) > Encoding()) return false;
  bool found;
  const uint32_t pos = Search(value, &found);
  if (!found) return false;
  const uint32_t n = Length();
  const uint32_t enc = Encoding();
  uint8_t* data = blob_ + kHeaderBytes;
  std::memmove(data + size_t{pos} * enc, data + size_t{pos + 1} * enc, size_t{n - pos - 1} * enc);
  StoreLE<uint32_t>(blob_ + 4, n - 1);
  Resize(n - 1);
  return true;
}

bool Intset::Validate(std::string_view blob, bool deep) {
  if (blob.size() < kHeaderBytes) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint32_t enc = LoadLE<uint32_t>(p);
  if (enc != 2 && enc != 4 && enc != 8) return false;
  const uint64_t n = LoadLE<uint32_t>(p + 4);
  if (n == 0) return false;
  if (kHeaderBytes + n * enc != blob.size()) return false;
  if (!deep) return true;
  int64_t prev = LoadAt(p + kHeaderBytes, enc, 0);
  for (uint32_t i = 1; i < n; ++i) {
    const int64_t cur = LoadAt(p + kHeaderBytes, enc, i);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

std::optional<Intset> Intset::FromBlob(std::string_view blob) {
  if (!Validate(blob, true)) return std::nullopt;
  uint8_t* copy = Allocate(blob.size());
  std::memcpy(copy, blob.data(), blob.size());
  return Intset(copy);
}

}  // namespace duet
