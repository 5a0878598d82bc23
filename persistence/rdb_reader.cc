#include "persistence/rdb_reader.h"

#include <liblzf/lzf.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_legacy/ziplist.h"
#include "persistence/rdb_legacy/zipmap.h"
#include "storage/hash_value.h"
#include "storage/intset.h"
#include "storage/list_value.h"
#include "storage/listpack.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"
#include "utils/strconv.h"

namespace duet {
namespace {

constexpr size_t kBufSize = 256 * 1024;
// Strings up to this size are read through the buffer; larger ones directly
// into their destination.
constexpr size_t kDirectMax = kBufSize / 2;
// LZF turns at most 3 input bytes into 264 output bytes; anything claiming a
// larger ratio is corrupt (and must not make us allocate its claimed size).
constexpr uint64_t kMaxLzfRatio = 100;

const char* TypeNameOf(uint8_t type) {
  switch (type) {
    case rdb::kTypeModulePreGa:
    case rdb::kTypeModule2:
      return "module";
    case rdb::kTypeStreamListpacks:
    case rdb::kTypeStreamListpacks2:
      return "stream";
    default:
      return "unknown";
  }
}

std::string_view AsView(const unsigned char* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// The string form of a listpack value (integers printed into scratch).
std::string_view ValueText(const lp::Value& v, char* scratch) { return v.View(scratch); }

// True if a listpack of field/value pairs names some field twice.
bool HasDuplicateFields(const unsigned char* lpk) {
  std::vector<std::string_view> fields;
  std::vector<std::string> numbers;  // integer fields in text form
  size_t n = lp::Length(lpk) / 2;
  if (n < 2) return false;
  fields.reserve(n);
  numbers.reserve(n);
  char scratch[lp::kIntBufSize];
  size_t i = 0;
  for (const unsigned char* p = lp::First(lpk); p != nullptr; p = lp::Next(lpk, p), ++i) {
    if (i % 2 != 0) continue;
    lp::Value v = lp::Get(p);
    if (v.is_int()) {
      numbers.emplace_back(ValueText(v, scratch));
      fields.push_back(numbers.back());
    } else {
      fields.push_back(AsView(v.str, v.len));
    }
  }
  std::sort(fields.begin(), fields.end());
  return std::adjacent_find(fields.begin(), fields.end()) != fields.end();
}

}  // namespace

RdbReader::RdbReader(SequentialFile* file)
    : file_(file), size_(file->Size()), buf_(new char[kBufSize]), cap_(kBufSize) {}

RdbReader::~RdbReader() = default;

// --- Buffer ---------------------------------------------------------------------------

bool RdbReader::Fail(std::string_view what) {
  if (status_.ok()) {
    status_ = Status::Corruption(std::string(what) + " at offset " + std::to_string(offset()));
  }
  return false;
}

bool RdbReader::FailWith(Status s) {
  if (status_.ok()) status_ = std::move(s);
  return false;
}

void RdbReader::UpdateCrc() {
  if (crc_enabled_ && pos_ > crc_pos_) crc_ = Crc64(crc_, buf_.get() + crc_pos_, pos_ - crc_pos_);
  crc_pos_ = pos_;
}

uint64_t RdbReader::Crc() {
  UpdateCrc();
  return crc_;
}

bool RdbReader::Fill(size_t n) {
  if (!status_.ok()) return false;
  if (end_ - pos_ >= n) return true;
  UpdateCrc();
  const size_t have = end_ - pos_;
  if (n > cap_) {
    size_t cap = std::max(n, cap_ * 2);
    std::unique_ptr<char[]> bigger(new char[cap]);
    std::memcpy(bigger.get(), buf_.get() + pos_, have);
    buf_ = std::move(bigger);
    cap_ = cap;
  } else if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, have);
  }
  base_ += pos_;
  pos_ = crc_pos_ = 0;
  end_ = have;
  while (end_ < n) {
    std::string_view got;
    Status s = file_->Read(cap_ - end_, buf_.get() + end_, &got);
    if (!s.ok()) return FailWith(std::move(s));
    if (got.empty()) {
      // Report the offset where the missing bytes were expected.
      return Fail("unexpected end of file (wanted " + std::to_string(n - end_) + " more bytes)");
    }
    if (got.data() != buf_.get() + end_) std::memcpy(buf_.get() + end_, got.data(), got.size());
    end_ += got.size();
  }
  return true;
}

bool RdbReader::CheckRemaining(uint64_t n, std::string_view what) {
  if (size_ != UINT64_MAX && n > size_ - std::min(size_, offset())) {
    return Fail(std::string(what) + " of " + std::to_string(n) + " goes past the end of the input");
  }
  return true;
}

bool RdbReader::ReadBytes(void* dst, size_t n) {
  if (n <= kDirectMax) {
    if (!Fill(n)) return false;
    std::memcpy(dst, buf_.get() + pos_, n);
    pos_ += n;
    return true;
  }
  if (!status_.ok()) return false;
  // Large: drain the buffer, then read the rest straight into dst.
  auto* out = static_cast<char*>(dst);
  size_t have = end_ - pos_;
  std::memcpy(out, buf_.get() + pos_, have);
  pos_ = end_;
  UpdateCrc();
  base_ += end_;
  pos_ = end_ = crc_pos_ = 0;
  size_t done = have;
  while (done < n) {
    std::string_view got;
    Status s = file_->Read(n - done, out + done, &got);
    if (!s.ok()) return FailWith(std::move(s));
    if (got.empty()) return Fail("unexpected end of file");
    if (got.data() != out + done) std::memmove(out + done, got.data(), got.size());
    if (crc_enabled_) crc_ = Crc64(crc_, out + done, got.size());
    done += got.size();
    base_ += got.size();
  }
  return true;
}

bool RdbReader::ReadByte(uint8_t* b) {
  if (!Fill(1)) return false;
  *b = static_cast<uint8_t>(buf_[pos_++]);
  return true;
}

bool RdbReader::ReadLe32(uint32_t* v) {
  unsigned char b[4];
  if (!ReadBytes(b, 4)) return false;
  *v = uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
  return true;
}

bool RdbReader::ReadLe64(uint64_t* v) {
  unsigned char b[8];
  if (!ReadBytes(b, 8)) return false;
  *v = 0;
  for (int i = 7; i >= 0; --i) *v = *v << 8 | b[i];
  return true;
}

// --- Lengths and strings ---------------------------------------------------------------

bool RdbReader::ReadHeader(int max_version, int* version) {
  char magic[rdb::kHeaderSize];
  if (!ReadBytes(magic, sizeof(magic))) return false;
  if (std::memcmp(magic, rdb::kMagic, 5) != 0) return Fail("wrong signature (not an RDB file)");
  int v = 0;
  for (int i = 5; i < 9; ++i) {
    if (magic[i] < '0' || magic[i] > '9') return Fail("wrong signature (not an RDB file)");
    v = v * 10 + (magic[i] - '0');
  }
  if (v < 1 || v > max_version) {
    return Fail("can't handle RDB format version " + std::to_string(v));
  }
  *version = v;
  return true;
}

bool RdbReader::ReadLengthOrEncoding(uint64_t* n, bool* encoded) {
  uint8_t b;
  if (!ReadByte(&b)) return false;
  *encoded = false;
  switch (b >> 6) {
    case rdb::kLen6:
      *n = b & 0x3F;
      return true;
    case rdb::kLen14: {
      uint8_t b2;
      if (!ReadByte(&b2)) return false;
      *n = (uint64_t{b} & 0x3F) << 8 | b2;
      return true;
    }
    case rdb::kEncoded:
      *encoded = true;
      *n = b & 0x3F;
      return true;
    default:
      break;
  }
  unsigned char be[8];
  if (b == rdb::kLen32) {
    if (!ReadBytes(be, 4)) return false;
    *n = uint64_t{be[0]} << 24 | uint64_t{be[1]} << 16 | uint64_t{be[2]} << 8 | be[3];
    return true;
  }
  if (b == rdb::kLen64) {
    if (!ReadBytes(be, 8)) return false;
    *n = 0;
    for (int i = 0; i < 8; ++i) *n = *n << 8 | be[i];
    return true;
  }
  return Fail("unknown length encoding");
}

bool RdbReader::ReadLength(uint64_t* n) {
  bool encoded;
  if (!ReadLengthOrEncoding(n, &encoded)) return false;
  if (encoded) return Fail("string encoding where a length was expected");
  return true;
}

bool RdbReader::ReadEncodedInt(uint64_t enc, std::string_view* out, std::string* scratch) {
  unsigned char b[4];
  int64_t v;
  if (enc == rdb::kEncInt8) {
    if (!ReadBytes(b, 1)) return false;
    v = static_cast<int8_t>(b[0]);
  } else if (enc == rdb::kEncInt16) {
    if (!ReadBytes(b, 2)) return false;
    v = static_cast<int16_t>(uint16_t{b[0]} | uint16_t{b[1]} << 8);
  } else {
    if (!ReadBytes(b, 4)) return false;
    v = static_cast<int32_t>(uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
                             uint32_t{b[3]} << 24);
  }
  scratch->resize(kMaxInt64Chars);
  scratch->resize(FormatInt64(v, scratch->data()));
  *out = *scratch;
  return true;
}

bool RdbReader::ReadLzf(std::string* out, MallocBytes* blob, size_t* blob_len) {
  uint64_t clen = 0, rawlen = 0;
  if (!ReadLength(&clen) || !ReadLength(&rawlen)) return false;
  if (!CheckRemaining(clen, "LZF data")) return false;
  if (clen == 0 || rawlen == 0 || rawlen > clen * kMaxLzfRatio + 64 || rawlen > UINT32_MAX) {
    return Fail("invalid LZF string lengths");
  }
  const char* in;
  if (clen <= kDirectMax) {
    if (!Fill(clen)) return false;
    in = buf_.get() + pos_;
    pos_ += clen;
  } else {
    lzf_in_.resize(clen);
    if (!ReadBytes(lzf_in_.data(), clen)) return false;
    in = lzf_in_.data();
  }
  char* dst;
  if (blob != nullptr) {
    // Straight into the buffer the caller keeps (a listpack, an intset).
    blob->reset(static_cast<unsigned char*>(std::malloc(rawlen)));
    if (!*blob) std::abort();
    dst = reinterpret_cast<char*>(blob->get());
    *blob_len = rawlen;
  } else {
    out->resize(rawlen);
    dst = out->data();
  }
  unsigned got =
      lzf_decompress(in, static_cast<unsigned>(clen), dst, static_cast<unsigned>(rawlen));
  if (got != rawlen) return Fail("invalid LZF compressed string");
  return true;
}

bool RdbReader::ReadString(std::string_view* out, std::string* scratch) {
  uint64_t n;
  bool encoded;
  if (!ReadLengthOrEncoding(&n, &encoded)) return false;
  if (encoded) {
    if (n == rdb::kEncLzf) {
      if (!ReadLzf(scratch, nullptr, nullptr)) return false;
      *out = *scratch;
      return true;
    }
    if (n > rdb::kEncInt32) return Fail("unknown string encoding " + std::to_string(n));
    return ReadEncodedInt(n, out, scratch);
  }
  if (!CheckRemaining(n, "string length")) return false;
  if (n <= kDirectMax) {
    if (!Fill(n)) return false;
    *out = std::string_view(buf_.get() + pos_, n);
    pos_ += n;
    return true;
  }
  scratch->resize(n);
  if (!ReadBytes(scratch->data(), n)) return false;
  *out = *scratch;
  return true;
}

bool RdbReader::ReadBlob(MallocBytes* out, size_t* len) {
  uint64_t n;
  bool encoded;
  if (!ReadLengthOrEncoding(&n, &encoded)) return false;
  if (encoded) {
    if (n == rdb::kEncLzf) return ReadLzf(nullptr, out, len);
    if (n > rdb::kEncInt32) return Fail("unknown string encoding " + std::to_string(n));
    std::string_view s;
    if (!ReadEncodedInt(n, &s, &elem_)) return false;
    out->reset(static_cast<unsigned char*>(std::malloc(s.size() == 0 ? 1 : s.size())));
    if (!*out) std::abort();
    std::memcpy(out->get(), s.data(), s.size());
    *len = s.size();
    return true;
  }
  if (!CheckRemaining(n, "string length")) return false;
  out->reset(static_cast<unsigned char*>(std::malloc(n == 0 ? 1 : n)));
  if (!*out) std::abort();
  *len = n;
  return ReadBytes(out->get(), n);
}

bool RdbReader::ReadBinaryDouble(double* d) {
  unsigned char b[8];
  if (!ReadBytes(b, 8)) return false;
  std::memcpy(d, b, 8);
  return true;
}

bool RdbReader::ReadOldDouble(double* d) {
  uint8_t n;
  if (!ReadByte(&n)) return false;
  if (n == rdb::kDoubleNaN) {
    *d = std::nan("");
    return true;
  }
  if (n == rdb::kDoublePosInf) {
    *d = HUGE_VAL;
    return true;
  }
  if (n == rdb::kDoubleNegInf) {
    *d = -HUGE_VAL;
    return true;
  }
  char text[256];
  if (!ReadBytes(text, n)) return false;
  text[n] = '\0';
  char* end = nullptr;
  *d = std::strtod(text, &end);
  if (end != text + n) return Fail("invalid double value");
  return true;
}

// --- Values ----------------------------------------------------------------------------

bool RdbReader::ReadValue(uint8_t type, std::string_view key, const CollectionLimits& limits,
                          Entry** out) {
  *out = nullptr;
  switch (type) {
    case rdb::kTypeString: {
      std::string_view v;
      if (!ReadString(&v, &elem_)) return false;
      *out = Entry::NewString(key, v);
      return true;
    }
    case rdb::kTypeList:
    case rdb::kTypeListZiplist:
    case rdb::kTypeListQuicklist:
    case rdb::kTypeListQuicklist2:
      *out = ReadList(type, key, limits);
      break;
    case rdb::kTypeSet:
    case rdb::kTypeSetIntset:
      *out = ReadSet(type, key, limits);
      break;
    case rdb::kTypeZSet:
    case rdb::kTypeZSet2:
    case rdb::kTypeZSetZiplist:
    case rdb::kTypeZSetListpack:
      *out = ReadZSet(type, key, limits);
      break;
    case rdb::kTypeHash:
    case rdb::kTypeHashZipmap:
    case rdb::kTypeHashZiplist:
    case rdb::kTypeHashListpack:
      *out = ReadHash(type, key, limits);
      break;
    case rdb::kTypeModulePreGa:
    case rdb::kTypeModule2:
    case rdb::kTypeStreamListpacks:
    case rdb::kTypeStreamListpacks2:
      return FailWith(
          Status::NotSupported("key '" + std::string(key) + "' holds a " + TypeNameOf(type) +
                               " value (RDB type " + std::to_string(type) + ", at offset " +
                               std::to_string(offset()) + "), which Duet does not support"));
    default:
      return Fail("unknown value type " + std::to_string(type));
  }
  return status_.ok();
}

Entry* RdbReader::ReadList(uint8_t type, std::string_view key, const CollectionLimits& limits) {
  auto list = std::make_unique<ListValue>(limits);
  if (type == rdb::kTypeList) {
    uint64_t n;
    if (!ReadLength(&n) || !CheckRemaining(n, "list length")) return nullptr;
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view v;
      if (!ReadString(&v, &elem_)) return nullptr;
      list->PushBack(v);
    }
  } else if (type == rdb::kTypeListZiplist) {
    MallocBytes blob;
    size_t len, count;
    if (!ReadBlob(&blob, &len)) return nullptr;
    if (!rdb_legacy::ZiplistValidate(AsView(blob.get(), len), &count)) {
      Fail("invalid ziplist");
      return nullptr;
    }
    char scratch[lp::kIntBufSize];
    rdb_legacy::ZiplistForEach(AsView(blob.get(), len),
                               [&](const lp::Value& v) { list->PushBack(v.View(scratch)); });
  } else {
    uint64_t nodes;
    if (!ReadLength(&nodes) || !CheckRemaining(nodes, "quicklist length")) return nullptr;
    for (uint64_t i = 0; i < nodes; ++i) {
      uint64_t container = rdb::kContainerPacked;
      if (type == rdb::kTypeListQuicklist2) {
        if (!ReadLength(&container)) return nullptr;
        if (container != rdb::kContainerPacked && container != rdb::kContainerPlain) {
          Fail("unknown quicklist node container " + std::to_string(container));
          return nullptr;
        }
      }
      MallocBytes blob;
      size_t len, count;
      if (!ReadBlob(&blob, &len)) return nullptr;
      if (container == rdb::kContainerPlain) {
        list->PushBack(AsView(blob.get(), len));
        continue;
      }
      if (type == rdb::kTypeListQuicklist) {
        if (!rdb_legacy::ZiplistValidate(AsView(blob.get(), len), &count)) {
          Fail("invalid ziplist in quicklist node");
          return nullptr;
        }
        if (count == 0) continue;  // Redis skips empty nodes as well
        blob.reset(rdb_legacy::ZiplistToListpack(AsView(blob.get(), len)));
      } else if (!lp::Validate(blob.get(), len, &count)) {
        Fail("invalid listpack in quicklist node");
        return nullptr;
      }
      if (count == 0) continue;
      list->quicklist().AppendListpack(blob.release());
    }
  }
  if (list->Length() == 0) return nullptr;
  return Entry::New(key, list.release());
}

Entry* RdbReader::ReadSet(uint8_t type, std::string_view key, const CollectionLimits& limits) {
  if (type == rdb::kTypeSetIntset) {
    std::string_view blob;
    if (!ReadString(&blob, &elem_)) return nullptr;
    if (blob.size() == Intset::kHeaderBytes && blob.substr(4) == std::string_view("\0\0\0\0", 4)) {
      return nullptr;  // an empty intset: skipped like any empty collection
    }
    std::optional<Intset> is = Intset::FromBlob(blob);
    if (!is) {
      Fail("invalid intset");
      return nullptr;
    }
    SetValue set(std::move(*is));
    if (static_cast<int64_t>(set.Size()) > limits.set_max_intset_entries) {
      set.ConvertToHashtable();
    }
    return Entry::New(key, std::move(set));
  }
  uint64_t n;
  if (!ReadLength(&n) || !CheckRemaining(n, "set length")) return nullptr;
  if (n == 0) return nullptr;
  SetValue set;
  if (n > static_cast<uint64_t>(std::max<int64_t>(limits.set_max_intset_entries, 0))) {
    set.ConvertToHashtable();
  }
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view m;
    if (!ReadString(&m, &elem_)) return nullptr;
    if (!set.Add(m, limits)) {
      Fail("duplicate set member");
      return nullptr;
    }
  }
  return Entry::New(key, std::move(set));
}

Entry* RdbReader::ReadZSet(uint8_t type, std::string_view key, const CollectionLimits& limits) {
  std::optional<ZSetValue> z;
  if (type == rdb::kTypeZSetListpack || type == rdb::kTypeZSetZiplist) {
    MallocBytes converted;
    std::string_view blob;
    if (type == rdb::kTypeZSetListpack) {
      if (!ReadString(&blob, &elem_)) return nullptr;
    } else {
      MallocBytes zl;
      size_t len, count;
      if (!ReadBlob(&zl, &len)) return nullptr;
      if (!rdb_legacy::ZiplistValidate(AsView(zl.get(), len), &count)) {
        Fail("invalid ziplist");
        return nullptr;
      }
      converted.reset(rdb_legacy::ZiplistToListpack(AsView(zl.get(), len)));
      blob = AsView(converted.get(), lp::Bytes(converted.get()));
    }
    if (blob.size() == lp::kEmptySize && blob[4] == 0 && blob[5] == 0) return nullptr;
    z = ZSetValue::FromListpack(blob, /*deep=*/true, limits);
    if (!z) {
      Fail("invalid sorted set listpack");
      return nullptr;
    }
  } else {
    uint64_t n;
    if (!ReadLength(&n) || !CheckRemaining(n, "sorted set length")) return nullptr;
    if (n == 0) return nullptr;
    z = ZSetValue::EmptySkiplist();
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view m;
      double score;
      if (!ReadString(&m, &elem_)) return nullptr;
      elem2_.assign(m);  // the score read may move the buffer under m
      if (!(type == rdb::kTypeZSet2 ? ReadBinaryDouble(&score) : ReadOldDouble(&score))) {
        return nullptr;
      }
      if (std::isnan(score)) {
        Fail("sorted set score is NaN");
        return nullptr;
      }
      if (z->Add(elem2_, score, 0, limits).outcome != ZSetValue::AddOutcome::kAdded) {
        Fail("duplicate sorted set member");
        return nullptr;
      }
    }
    z->ConvertToListpackIfFits(limits);
  }
  return Entry::New(key, std::move(*z));
}

Entry* RdbReader::ReadHash(uint8_t type, std::string_view key, const CollectionLimits& limits) {
  if (type == rdb::kTypeHashListpack || type == rdb::kTypeHashZiplist) {
    MallocBytes blob;
    size_t len, count;
    if (!ReadBlob(&blob, &len)) return nullptr;
    if (type == rdb::kTypeHashZiplist) {
      if (!rdb_legacy::ZiplistValidate(AsView(blob.get(), len), &count)) {
        Fail("invalid ziplist");
        return nullptr;
      }
      blob.reset(rdb_legacy::ZiplistToListpack(AsView(blob.get(), len)));
    } else if (!lp::Validate(blob.get(), len, &count)) {
      Fail("invalid hash listpack");
      return nullptr;
    }
    count = lp::Length(blob.get());
    if (count % 2 != 0) {
      Fail("hash listpack with an odd number of entries");
      return nullptr;
    }
    if (count == 0) return nullptr;
    if (HasDuplicateFields(blob.get())) {
      Fail("duplicate hash field");
      return nullptr;
    }
    HashValue h = HashValue::FromListpack(blob.release());
    h.ConvertIfOver(limits);
    return Entry::New(key, std::move(h));
  }
  HashValue h;
  if (type == rdb::kTypeHashZipmap) {
    std::string_view zm;
    size_t pairs;
    if (!ReadString(&zm, &elem_)) return nullptr;
    if (!rdb_legacy::ZipmapValidate(zm, &pairs)) {
      Fail("invalid zipmap");
      return nullptr;
    }
    if (pairs == 0) return nullptr;
    if (static_cast<int64_t>(pairs) > limits.hash_max_listpack_entries) h.ConvertToHashtable();
    bool dup = false;
    rdb_legacy::ZipmapForEach(zm, [&](std::string_view f, std::string_view v) {
      if (!h.Set(f, v, limits)) dup = true;
    });
    if (dup) {
      Fail("duplicate hash field");
      return nullptr;
    }
  } else {
    uint64_t n;
    if (!ReadLength(&n) || !CheckRemaining(n, "hash length")) return nullptr;
    if (n == 0) return nullptr;
    if (n > static_cast<uint64_t>(std::max<int64_t>(limits.hash_max_listpack_entries, 0))) {
      h.ConvertToHashtable();
    }
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view f, v;
      if (!ReadString(&f, &elem_)) return nullptr;
      elem2_.assign(f);
      if (!ReadString(&v, &elem_)) return nullptr;
      if (!h.Set(elem2_, v, limits)) {
        Fail("duplicate hash field");
        return nullptr;
      }
    }
  }
  return Entry::New(key, std::move(h));
}

}  // namespace duet
