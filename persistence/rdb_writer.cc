#include "persistence/rdb_writer.h"

#include <liblzf/lzf.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "storage/hash_value.h"
#include "storage/list_value.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"
#include "utils/strconv.h"

namespace duet {
namespace {

constexpr size_t kBufSize = 64 * 1024;

void StoreLe64(unsigned char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

}  // namespace

RdbWriter::RdbWriter(WritableFile* file, const RdbWriteOptions& options)
    : file_(file), options_(options), buf_(new char[kBufSize]) {}

RdbWriter::~RdbWriter() = default;

// --- Pieces ----------------------------------------------------------------------

void RdbWriter::Spill(const void* data, size_t n) {
  if (!status_.ok()) return;
  if (options_.checksum || always_crc_) crc_ = Crc64(crc_, data, n);
  status_ = file_->Append(std::string_view(static_cast<const char*>(data), n));
  flushed_ += n;
  if (options_.autosync_bytes != 0 && status_.ok() &&
      flushed_ - synced_ >= options_.autosync_bytes) {
    status_ = file_->Sync();
    synced_ = flushed_;
  }
}

Status RdbWriter::Flush() {
  if (buf_len_ > 0) {
    Spill(buf_.get(), buf_len_);
    buf_len_ = 0;
  }
  return status_;
}

void RdbWriter::Raw(const void* data, size_t n) {
  if (buf_len_ + n <= kBufSize) {
    std::memcpy(buf_.get() + buf_len_, data, n);
    buf_len_ += n;
    return;
  }
  (void)Flush();
  if (n >= kBufSize / 2) {
    Spill(data, n);  // large values go straight through
  } else {
    std::memcpy(buf_.get(), data, n);
    buf_len_ = n;
  }
}

void RdbWriter::Byte(uint8_t b) {
  if (buf_len_ == kBufSize) (void)Flush();
  buf_[buf_len_++] = static_cast<char>(b);
}

void RdbWriter::Length(uint64_t n) {
  unsigned char b[9];
  if (n < (1u << 6)) {
    Byte(static_cast<uint8_t>(n));
  } else if (n < (1u << 14)) {
    b[0] = static_cast<unsigned char>((rdb::kLen14 << 6) | (n >> 8));
    b[1] = static_cast<unsigned char>(n);
    Raw(b, 2);
  } else if (n <= UINT32_MAX) {
    b[0] = rdb::kLen32;
    for (int i = 0; i < 4; ++i) b[1 + i] = static_cast<unsigned char>(n >> (24 - 8 * i));
    Raw(b, 5);
  } else {
    b[0] = rdb::kLen64;
    for (int i = 0; i < 8; ++i) b[1 + i] = static_cast<unsigned char>(n >> (56 - 8 * i));
    Raw(b, 9);
  }
}

bool RdbWriter::TryIntString(std::string_view s) {
  int64_t v;
  if (s.size() > 11 || !ParseInt64(s, &v)) return false;
  unsigned char b[5];
  const uint8_t enc = rdb::kEncoded << 6;
  if (v >= INT8_MIN && v <= INT8_MAX) {
    b[0] = enc | rdb::kEncInt8;
    b[1] = static_cast<unsigned char>(v);
    Raw(b, 2);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    b[0] = enc | rdb::kEncInt16;
    b[1] = static_cast<unsigned char>(v);
    b[2] = static_cast<unsigned char>(v >> 8);
    Raw(b, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    b[0] = enc | rdb::kEncInt32;
    for (int i = 0; i < 4; ++i) b[1 + i] = static_cast<unsigned char>(v >> (8 * i));
    Raw(b, 5);
  } else {
    return false;
  }
  return true;
}

bool RdbWriter::TryLzfString(std::string_view s) {
  // Short strings never shrink enough to pay for the two extra lengths.
  if (s.size() <= 20) return false;
  const size_t out_max = s.size() - 4;
  if (lzf_cap_ < out_max) {
    lzf_cap_ = out_max < kBufSize ? kBufSize : out_max;
    lzf_.reset(new char[lzf_cap_]);
  }
  const unsigned clen = lzf_compress(s.data(), static_cast<unsigned>(s.size()), lzf_.get(),
                                     static_cast<unsigned>(out_max));
  if (clen == 0) return false;
  LzfBlob(lzf_.get(), clen, s.size());
  return true;
}

void RdbWriter::LzfBlob(const void* compressed, size_t compressed_len, size_t raw_len) {
  Byte((rdb::kEncoded << 6) | rdb::kEncLzf);
  Length(compressed_len);
  Length(raw_len);
  Raw(compressed, compressed_len);
}

void RdbWriter::String(std::string_view s) {
  if (TryIntString(s)) return;
  if (options_.compress && s.size() <= UINT32_MAX && TryLzfString(s)) return;
  Length(s.size());
  Raw(s.data(), s.size());
}

void RdbWriter::BinaryDouble(double d) {
  unsigned char b[8];
  std::memcpy(b, &d, 8);  // IEEE 754, little endian on every supported host
  Raw(b, 8);
}

// --- Records -----------------------------------------------------------------------

void RdbWriter::Header(int version) {
  char magic[16];
  std::snprintf(magic, sizeof(magic), "REDIS%04d", version);
  Raw(magic, rdb::kHeaderSize);
}

void RdbWriter::Aux(std::string_view key, std::string_view value) {
  Byte(rdb::kOpAux);
  String(key);
  String(value);
}

void RdbWriter::AuxInt(std::string_view key, int64_t value) {
  char buf[kMaxInt64Chars];
  Aux(key, std::string_view(buf, FormatInt64(value, buf)));
}

void RdbWriter::SelectDb(uint64_t db) {
  Byte(rdb::kOpSelectDb);
  Length(db);
}

void RdbWriter::ResizeDb(uint64_t keys, uint64_t expires) {
  Byte(rdb::kOpResizeDb);
  Length(keys);
  Length(expires);
}

uint8_t RdbWriter::TypeOf(const Entry& e) {
  switch (e.type) {
    case ValueType::kString:
      return rdb::kTypeString;
    case ValueType::kList:
      return rdb::kTypeListQuicklist2;
    case ValueType::kSet:
      return e.object<duet::SetValue>()->IsIntset() ? rdb::kTypeSetIntset : rdb::kTypeSet;
    case ValueType::kZSet:
      return e.object<duet::ZSetValue>()->IsListpack() ? rdb::kTypeZSetListpack : rdb::kTypeZSet2;
    case ValueType::kHash:
      return e.object<duet::HashValue>()->encoding() == duet::HashValue::Encoding::kListpack
                 ? rdb::kTypeHashListpack
                 : rdb::kTypeHash;
  }
  return rdb::kTypeString;
}

void RdbWriter::KeyValue(const Entry& e) {
  if (e.expire_ms != 0) {
    unsigned char b[9];
    b[0] = rdb::kOpExpireTimeMs;
    StoreLe64(b + 1, static_cast<uint64_t>(e.expire_ms));
    Raw(b, 9);
  }
  if (pending_idle_ >= 0) {
    Byte(rdb::kOpIdle);
    Length(static_cast<uint64_t>(pending_idle_));
    pending_idle_ = -1;
  } else if (pending_freq_ >= 0) {
    Byte(rdb::kOpFreq);
    Byte(static_cast<uint8_t>(pending_freq_));
    pending_freq_ = -1;
  }
  Byte(TypeOf(e));
  String(e.key());
  Value(e);
}

void RdbWriter::TypeAndValue(const Entry& e) {
  Byte(TypeOf(e));
  Value(e);
}

void RdbWriter::Value(const Entry& e) {
  switch (e.type) {
    case ValueType::kString:
      return String(e.str());
    case ValueType::kList:
      return ListValue(e);
    case ValueType::kSet:
      return SetValue(e);
    case ValueType::kZSet:
      return ZSetValue(e);
    case ValueType::kHash:
      return HashValue(e);
  }
}

void RdbWriter::ListValue(const Entry& e) {
  const Quicklist& ql = e.object<duet::ListValue>()->quicklist();
  Length(ql.NodeCount());
  for (const QuicklistNode* n = ql.head(); n != nullptr; n = n->next) {
    Length(rdb::kContainerPacked);
    if (n->compressed) {
      LzfBlob(n->lzf_data(), n->lzf_len(), n->sz);
    } else {
      String(std::string_view(reinterpret_cast<const char*>(n->data), n->sz));
    }
  }
}

void RdbWriter::SetValue(const Entry& e) {
  const auto* set = e.object<duet::SetValue>();
  if (set->IsIntset()) return String(set->IntsetBlob());
  Length(set->Size());
  set->ForEach([this](std::string_view m) { String(m); });
}

void RdbWriter::ZSetValue(const Entry& e) {
  const auto* z = e.object<duet::ZSetValue>();
  if (z->IsListpack()) return String(z->ListpackBlob());
  Length(z->Size());
  // Highest first, as Redis writes them: its loader then always inserts at
  // the head of the skiplist.
  z->RangeByRank(0, -1, /*reverse=*/true, [this](std::string_view m, double score) {
    String(m);
    BinaryDouble(score);
  });
}

void RdbWriter::HashValue(const Entry& e) {
  const auto* h = e.object<duet::HashValue>();
  if (h->encoding() == duet::HashValue::Encoding::kListpack) {
    const unsigned char* lp = h->listpack();
    return String(std::string_view(reinterpret_cast<const char*>(lp), lp::Bytes(lp)));
  }
  Length(h->Length());
  h->ForEach([this](std::string_view f, std::string_view v) {
    String(f);
    String(v);
  });
}

Status RdbWriter::Finish() {
  Byte(rdb::kOpEof);
  (void)Flush();
  unsigned char b[8];
  StoreLe64(b, options_.checksum ? crc_ : 0);
  Raw(b, 8);
  return Flush();
}

}  // namespace duet
