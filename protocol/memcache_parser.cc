#include "protocol/memcache_parser.h"

#include <bit>
#include <climits>
#include <cstring>

#include "utils/strconv.h"

namespace duet {
namespace {

constexpr std::string_view kError = "ERROR";
constexpr std::string_view kBadFormat = "CLIENT_ERROR bad command line format";
constexpr std::string_view kBadDataChunk = "CLIENT_ERROR bad data chunk";
constexpr std::string_view kLineTooLong = "CLIENT_ERROR line too long";
constexpr std::string_view kBadExptime = "CLIENT_ERROR invalid exptime argument";
constexpr std::string_view kBadDelta = "CLIENT_ERROR invalid numeric delta argument";
constexpr std::string_view kDeleteUsage =
    "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]";
constexpr std::string_view kTooLarge = "SERVER_ERROR object too large for cache";

// Data blocks are limited like memcached's (a signed 32-bit length plus CRLF).
constexpr int64_t kMaxDataLen = INT_MAX - 2;

// A signed decimal as strtol reads a token: optional sign, digits (leading
// zeros allowed), nothing after.
bool ParseSigned(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v;
  if (!ParseUint64(s, &v)) return false;
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

// Client flags: an unsigned decimal; memcached keeps the low 32 bits of a
// larger value.
bool ParseClientFlags(std::string_view s, uint32_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  uint64_t v;
  if (!ParseUint64(s, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool ParseUnsigned(std::string_view s, uint64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  return ParseUint64(s, out);
}

// Splits a command line into tokens (runs of bytes other than ' ') and says
// whether it holds a control character (a byte < 0x20 or 0x7f), eight bytes
// at a time: the per-byte tests below are exact (no carry crosses a byte).
constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;
constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;

// High bit of each byte of x that is zero.
inline uint64_t ZeroBytes(uint64_t x) { return ~(((x & kLow7) + kLow7) | x) & kHigh; }
// High bit of each byte of w below 0x20.
inline uint64_t ControlBytes(uint64_t w) { return ~(((w & kLow7) + 0x60 * kOnes) | w) & kHigh; }

static_assert(std::endian::native == std::endian::little, "byte order of the word scan");

bool Tokenize(const char* data, size_t n, std::vector<std::string_view>* out) {
  out->clear();
  uint64_t control = 0;
  size_t start = 0;  // first byte after the last space
  auto boundary = [&](size_t space_at) {
    if (space_at > start) out->emplace_back(data + start, space_at - start);
    start = space_at + 1;
  };
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    control |= ControlBytes(w) | ZeroBytes(w ^ (0x7f * kOnes));
    for (uint64_t spaces = ZeroBytes(w ^ (0x20 * kOnes)); spaces != 0; spaces &= spaces - 1) {
      boundary(i + static_cast<size_t>(__builtin_ctzll(spaces)) / 8);
    }
  }
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(data[i]);
    if (c == ' ') {
      boundary(i);
    } else if (c < 0x20 || c == 0x7f) {
      control = 1;
    }
  }
  if (n > start) out->emplace_back(data + start, n - start);
  return control != 0;
}

// True if a line (or the start of one) is a get/gets, the only commands whose
// line may exceed kMaxLine.
bool IsLongGet(const char* p, size_t n) {
  size_t i = 0;
  while (i < n && i <= 100 && p[i] == ' ') ++i;
  if (i > 100) return false;
  std::string_view rest(p + i, n - i);
  return rest.starts_with("get ") || rest.starts_with("gets ");
}

}  // namespace

bool McKeyValid(std::string_view key) {
  if (key.empty() || key.size() > McParser::kMaxKeyLength) return false;
  for (char ch : key) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

void McParser::ResetRequest() {
  // Keeps the vectors' capacity.
  req_.command = McCommand::kNone;
  req_.noreply = false;
  req_.key = req_.key_token = req_.data = req_.error = {};
  req_.keys = {};
  req_.args.clear();
  req_.flags = 0;
  req_.exptime = 0;
  req_.cas = req_.delta = 0;
  req_.too_large = req_.close = false;
  req_.meta.present = 0;
  req_.meta.order_len = 0;
  req_.meta.opaque = {};
}

void McParser::Fail(std::string_view error, bool noreply) {
  req_.command = McCommand::kError;
  req_.error = error;
  req_.noreply = noreply;
}

bool McParser::NoreplyLast() { return tokens_.size() > 1 && tokens_.back() == "noreply"; }

McParser::Result McParser::Parse(const char* data, size_t len, size_t* consumed) {
  *consumed = 0;
  if (swallow_ > 0) {
    size_t n = swallow_ < len ? static_cast<size_t>(swallow_) : len;
    if (n == 0) return Result::kNeedMore;
    swallow_ -= n;
    *consumed = n;
    return Result::kSkipped;
  }
  // Waiting for a data block: nothing to do until all of it is here.
  if (need_ != 0 && len < need_) return Result::kNeedMore;

  const char* nl = nullptr;
  if (len > scanned_) {
    nl = static_cast<const char*>(std::memchr(data + scanned_, '\n', len - scanned_));
  }
  if (nl == nullptr) {
    scanned_ = len;
    bytes_wanted_ = 0;
    if (len > kMaxLine && !IsLongGet(data, len)) {
      scanned_ = 0;
      ResetRequest();  // no view into earlier buffers may survive
      Fail(kLineTooLong);
      req_.close = true;
      *consumed = len;
      return Result::kRequest;
    }
    return Result::kNeedMore;
  }
  size_t line_len = static_cast<size_t>(nl - data) + 1;
  size_t end = line_len - 1;
  if (end > 0 && data[end - 1] == '\r') --end;
  scanned_ = 0;

  ResetRequest();

  if (end > kMaxLine && !IsLongGet(data, end)) {
    Fail(kLineTooLong);
    req_.close = true;
    *consumed = len;
    return Result::kRequest;
  }

  // Control characters are only noted: they make a key invalid, not the line.
  line_has_control_ = Tokenize(data, end, &tokens_);

  int64_t block = ParseLine();
  if (block < 0) {
    need_ = 0;
    *consumed = line_len;
    return Result::kRequest;
  }
  uint64_t total_block = static_cast<uint64_t>(block) + 2;
  if (req_.command == McCommand::kError || req_.too_large) {
    // Answer now; the block is dropped as it arrives.
    need_ = 0;
    swallow_ = total_block;
    *consumed = line_len;
    return Result::kRequest;
  }
  size_t total = line_len + static_cast<size_t>(total_block);
  if (len < total) {
    need_ = total;
    bytes_wanted_ = total;
    return Result::kNeedMore;
  }
  need_ = 0;
  bytes_wanted_ = 0;
  *consumed = total;
  const char* block_start = data + line_len;
  if (block_start[block] != '\r' || block_start[block + 1] != '\n') {
    bool noreply = req_.noreply && req_.command != McCommand::kMetaSet;
    Fail(kBadDataChunk, noreply);
    return Result::kRequest;
  }
  req_.data = std::string_view(block_start, static_cast<size_t>(block));
  return Result::kRequest;
}

int64_t McParser::ParseLine() {
  if (tokens_.empty()) {
    Fail(kError);
    return -1;
  }
  std::string_view name = tokens_[0];
  size_t n = tokens_.size();
  auto want = [&](size_t lo, size_t hi) {
    if (n >= lo && n <= hi) return true;
    Fail(kError);
    return false;
  };
  if (name.size() == 2 && name[0] == 'm') {
    switch (name[1]) {
      case 'g':
        if (want(2, SIZE_MAX)) ParseMetaKeyCommand(McCommand::kMetaGet);
        return -1;
      case 's':
        if (n == 1) {
          Fail(kError);
          return -1;
        }
        return ParseMetaSet();
      case 'd':
        if (want(2, SIZE_MAX)) ParseMetaKeyCommand(McCommand::kMetaDelete);
        return -1;
      case 'a':
        if (want(2, SIZE_MAX)) ParseMetaKeyCommand(McCommand::kMetaArithmetic);
        return -1;
      case 'n':
        req_.command = McCommand::kMetaNoop;
        return -1;
      case 'e':
        if (n == 1) {
          Fail(kBadFormat);
          return -1;
        }
        ParseMetaKeyCommand(McCommand::kMetaDebug);
        return -1;
      default:
        break;
    }
  }
  if (name == "get") {
    if (want(2, SIZE_MAX)) ParseRetrieval(McCommand::kGet);
  } else if (name == "set") {
    if (want(5, 6)) return ParseStorage(McCommand::kSet);
  } else if (name == "gets") {
    if (want(2, SIZE_MAX)) ParseRetrieval(McCommand::kGets);
  } else if (name == "gat") {
    if (want(2, SIZE_MAX)) ParseRetrieval(McCommand::kGat);
  } else if (name == "gats") {
    if (want(2, SIZE_MAX)) ParseRetrieval(McCommand::kGats);
  } else if (name == "add") {
    if (want(5, 6)) return ParseStorage(McCommand::kAdd);
  } else if (name == "replace") {
    if (want(5, 6)) return ParseStorage(McCommand::kReplace);
  } else if (name == "append") {
    if (want(5, 6)) return ParseStorage(McCommand::kAppend);
  } else if (name == "prepend") {
    if (want(5, 6)) return ParseStorage(McCommand::kPrepend);
  } else if (name == "cas") {
    if (want(6, 7)) return ParseStorage(McCommand::kCas);
  } else if (name == "incr") {
    if (want(3, 4)) ParseArithmetic(McCommand::kIncr);
  } else if (name == "decr") {
    if (want(3, 4)) ParseArithmetic(McCommand::kDecr);
  } else if (name == "touch") {
    if (want(3, 4)) ParseTouch();
  } else if (name == "delete") {
    if (want(2, 4)) ParseDelete();
  } else if (name == "flush_all") {
    if (want(1, 3)) ParseFlushAll();
  } else if (name == "version") {
    req_.command = McCommand::kVersion;
  } else if (name == "verbosity") {
    if (want(2, 3)) ParseVerbosity();
  } else if (name == "quit") {
    req_.command = McCommand::kQuit;
  } else if (name == "stats") {
    req_.command = McCommand::kStats;
    req_.args.assign(tokens_.begin() + 1, tokens_.end());
  } else if (name == "shutdown") {
    req_.command = McCommand::kShutdown;
  } else {
    Fail(kError);
  }
  return -1;
}

void McParser::ParseRetrieval(McCommand cmd) {
  size_t first = 1;
  if (cmd == McCommand::kGat || cmd == McCommand::kGats) {
    if (!ParseSigned(tokens_[1], &req_.exptime)) return Fail(kBadExptime);
    first = 2;
  }
  for (size_t i = first; i < tokens_.size(); ++i) {
    if (!KeyOk(tokens_[i])) return Fail(kBadFormat);
  }
  req_.keys = std::span<const std::string_view>(tokens_.data() + first, tokens_.size() - first);
  req_.command = cmd;
}

int64_t McParser::ParseStorage(McCommand cmd) {
  bool noreply = NoreplyLast();
  int64_t bytes = 0;
  if (!KeyOk(tokens_[1]) || !ParseClientFlags(tokens_[2], &req_.flags) ||
      !ParseSigned(tokens_[3], &req_.exptime) || !ParseSigned(tokens_[4], &bytes) ||
      (cmd == McCommand::kCas && !ParseUnsigned(tokens_[5], &req_.cas)) || bytes < 0 ||
      bytes > kMaxDataLen) {
    Fail(kBadFormat, noreply);
    return -1;
  }
  req_.command = cmd;
  req_.noreply = noreply;
  req_.key = tokens_[1];
  if (bytes > max_item_size_) req_.too_large = true;
  return bytes;
}

void McParser::ParseArithmetic(McCommand cmd) {
  bool noreply = NoreplyLast();
  if (!KeyOk(tokens_[1])) return Fail(kBadFormat, noreply);
  if (!ParseUnsigned(tokens_[2], &req_.delta)) return Fail(kBadDelta, noreply);
  req_.command = cmd;
  req_.noreply = noreply;
  req_.key = tokens_[1];
}

void McParser::ParseTouch() {
  bool noreply = NoreplyLast();
  if (!KeyOk(tokens_[1])) return Fail(kBadFormat, noreply);
  if (!ParseSigned(tokens_[2], &req_.exptime)) return Fail(kBadExptime, noreply);
  req_.command = McCommand::kTouch;
  req_.noreply = noreply;
  req_.key = tokens_[1];
}

void McParser::ParseDelete() {
  size_t n = tokens_.size();
  bool noreply = NoreplyLast();
  if (n > 2) {
    // A hold time other than 0 was removed from memcached long ago.
    bool hold_zero = tokens_[2] == "0";
    bool ok = (n == 3 && (hold_zero || noreply)) || (n == 4 && hold_zero && noreply);
    if (!ok) return Fail(kDeleteUsage, noreply);
  }
  if (!KeyOk(tokens_[1])) return Fail(kBadFormat, noreply);
  req_.command = McCommand::kDelete;
  req_.noreply = noreply;
  req_.key = tokens_[1];
}

void McParser::ParseFlushAll() {
  bool noreply = NoreplyLast();
  if (tokens_.size() != (noreply ? 2u : 1u)) {
    if (!ParseSigned(tokens_[1], &req_.exptime)) return Fail(kBadExptime, noreply);
  }
  req_.command = McCommand::kFlushAll;
  req_.noreply = noreply;
}

void McParser::ParseVerbosity() {
  bool noreply = NoreplyLast();
  uint64_t level;
  if (!ParseUnsigned(tokens_[1], &level)) return Fail(kBadFormat, noreply);
  req_.command = McCommand::kVerbosity;
  req_.noreply = noreply;
}

void McParser::ParseMetaKeyCommand(McCommand cmd) {
  if (tokens_[1].size() > kMaxKeyLength) return Fail(kBadFormat);
  if (!ParseMetaFlags(cmd, 2)) return;
  req_.command = cmd;  // SetMetaKey words its error by command
  SetMetaKey(tokens_[1], req_.meta.has('b'));
}

int64_t McParser::ParseMetaSet() {
  int64_t bytes = 0;
  if (tokens_.size() < 3 || tokens_[1].size() > kMaxKeyLength || !ParseSigned(tokens_[2], &bytes) ||
      bytes < 0 || bytes > kMaxDataLen) {
    Fail(kBadFormat);
    return -1;
  }
  // From here on the block is known: errors swallow it.
  if (!ParseMetaFlags(McCommand::kMetaSet, 3)) return bytes;
  if (!SetMetaKey(tokens_[1], req_.meta.has('b'))) return bytes;
  if (bytes > max_item_size_) {
    Fail(kTooLarge);
    return bytes;
  }
  req_.command = McCommand::kMetaSet;
  req_.noreply = req_.meta.has('q');
  return bytes;
}

bool McParser::SetMetaKey(std::string_view token, bool base64) {
  req_.key_token = token;
  if (!base64) {
    if (!KeyOk(token)) {
      Fail(kBadFormat);
      return false;
    }
    req_.key = token;
    return true;
  }
  if (!McBase64Decode(token, &decoded_key_) || decoded_key_.empty()) {
    Fail(req_.command == McCommand::kMetaDebug ? kBadFormat : "CLIENT_ERROR error decoding key");
    return false;
  }
  req_.key = decoded_key_;
  return true;
}

}  // namespace duet
