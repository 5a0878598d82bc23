#pragma once
// McParser: incremental parser of memcached text-protocol requests, classic
// commands (get, set, incr, ...) and meta commands (mg, ms, md, ma, mn, me),
// with memcached 1.6's limits and error texts.
//
// Framing. A request is one command line ending in "\n" (a "\r" before it is
// dropped; tokens are separated by runs of spaces). Storage commands (set,
// add, replace, append, prepend, cas, ms) are followed by a data block of
// exactly <bytes> bytes plus "\r\n". The parser waits until the whole block
// is buffered; when the two bytes after the block are not "\r\n" it answers
// "CLIENT_ERROR bad data chunk" and drops the block, as memcached does. A block
// larger than the item size limit is never buffered: the request comes out at
// once (too_large) and the following <bytes>+2 bytes are dropped as they
// arrive ("swallowed").
//
// Contract with the caller (the same as RespParser's): Parse() is handed the
// unconsumed bytes, always starting at the first byte of the current request.
// On kRequest, request() describes the request; its views point into the
// caller's bytes (or into the parser, for base64-decoded keys) and stay valid
// until the next Parse() or until the caller moves its bytes. On kSkipped,
// *consumed bytes of a swallowed block must be dropped and Parse() called
// again. On kNeedMore, nothing is consumed; bytes_wanted() hints how many
// bytes the incomplete request needs in total.
//
// Malformed requests are requests too: command kError with the reply line in
// `error`. `noreply` says whether it must be suppressed (memcached honours
// noreply even for most errors), `close` whether the connection must be closed
// after it (a command line longer than kMaxLine that is not a get).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

// True if `key` is a valid text-protocol key: 1..250 bytes, no control
// characters and no spaces.
bool McKeyValid(std::string_view key);

enum class McCommand : uint8_t {
  kNone,
  // Retrieval: keys in `keys`; gat/gats carry `exptime`.
  kGet,
  kGets,
  kGat,
  kGats,
  // Storage: key, flags, exptime, data (cas for kCas).
  kSet,
  kAdd,
  kReplace,
  kAppend,
  kPrepend,
  kCas,
  // key + delta / exptime / nothing.
  kIncr,
  kDecr,
  kTouch,
  kDelete,
  // flush_all [delay]: `exptime` is the delay (0 = now).
  kFlushAll,
  kVersion,
  kVerbosity,
  kQuit,
  kStats,  // `args` = the words after "stats"
  kShutdown,
  // Meta commands: key (decoded when the b flag is set), `meta`; ms has data.
  kMetaGet,
  kMetaSet,
  kMetaDelete,
  kMetaArithmetic,
  kMetaNoop,
  kMetaDebug,
  kError,
};

// The flags of a meta command, each a letter optionally followed by a token
// ("T30", "Oabc"). Presence is one bit per letter; the letters are also kept in
// request order because replies echo the requested tokens in that order.
struct McMetaFlags {
  static constexpr size_t kMaxOrder = 32;

  uint64_t present = 0;
  char order[kMaxOrder];
  uint8_t order_len = 0;

  std::string_view opaque;    // O
  uint64_t compare_cas = 0;   // C
  uint64_t new_cas = 0;       // E
  uint32_t client_flags = 0;  // F
  int64_t ttl = 0;            // T
  int64_t vivify_ttl = 0;     // N
  int64_t recache_ttl = 0;    // R
  uint64_t delta = 1;         // D
  uint64_t initial = 0;       // J
  char mode = 0;              // M (ms: E A P R S; ma: I + D -, normalised)

  static constexpr int Bit(char c) {
    return c >= 'a' && c <= 'z' ? c - 'a' : (c >= 'A' && c <= 'Z' ? 26 + (c - 'A') : -1);
  }
  bool has(char c) const { return (present >> Bit(c)) & 1; }
};

struct McRequest {
  McCommand command = McCommand::kNone;
  bool noreply = false;
  std::string_view key;                    // as stored (base64-decoded for meta with b)
  std::string_view key_token;              // meta: the key as the client sent it
  std::span<const std::string_view> keys;  // get/gets/gat/gats
  std::vector<std::string_view> args;      // stats
  uint32_t flags = 0;
  int64_t exptime = 0;
  uint64_t cas = 0;
  uint64_t delta = 0;
  std::string_view data;
  bool too_large = false;  // storage: block larger than the item limit, swallowed
  std::string_view error;  // kError: reply line without CRLF
  bool close = false;      // kError: close after replying
  McMetaFlags meta;
};

class McParser {
 public:
  enum class Result { kNeedMore, kRequest, kSkipped };

  static constexpr size_t kMaxKeyLength = 250;
  // Command lines longer than this (except get/gets, which may name any
  // number of keys) end the connection, as in memcached.
  static constexpr size_t kMaxLine = 2048;
  static constexpr size_t kMaxOpaqueLength = 31;

  // Largest data block accepted; larger ones are swallowed (too_large).
  void set_max_item_size(int64_t v) { max_item_size_ = v; }

  Result Parse(const char* data, size_t len, size_t* consumed);

  // Forgets the request just returned so that the same bytes parse again
  // (the caller keeps them: CLIENT PAUSE). Not after an error or a too-large
  // block, whose swallowing has begun.
  void Rewind() {
    scanned_ = 0;
    need_ = 0;
    bytes_wanted_ = 0;
  }

  const McRequest& request() const { return req_; }
  McRequest& request() { return req_; }
  size_t bytes_wanted() const { return bytes_wanted_; }
  // Bytes of a swallowed block still to drop.
  uint64_t swallowing() const { return swallow_; }

 private:
  // Fills req_ from the tokens of one command line. Returns the data block
  // length that follows (-1 when none).
  int64_t ParseLine();
  void ParseRetrieval(McCommand cmd);
  int64_t ParseStorage(McCommand cmd);
  void ParseArithmetic(McCommand cmd);
  void ParseTouch();
  void ParseDelete();
  void ParseFlushAll();
  void ParseVerbosity();
  void ParseMetaKeyCommand(McCommand cmd);
  int64_t ParseMetaSet();
  // Reads the meta flags from tokens_[first..]; on failure sets req_ to the
  // error. `cmd` decides which letters are valid and which texts errors use.
  bool ParseMetaFlags(McCommand cmd, size_t first);
  // Validates (and with b, decodes) the meta key token; sets req_.key.
  bool SetMetaKey(std::string_view token, bool base64);
  // Clears every field of req_ before a new request is described.
  void ResetRequest();
  void Fail(std::string_view error, bool noreply = false);
  bool NoreplyLast();
  // McKeyValid for a token of the current line; cheap when the line holds no
  // control character (the common case).
  bool KeyOk(std::string_view token) const {
    if (token.empty() || token.size() > kMaxKeyLength) return false;
    return !line_has_control_ || McKeyValid(token);
  }

  int64_t max_item_size_ = 1024 * 1024;
  std::vector<std::string_view> tokens_;
  bool line_has_control_ = false;  // the current line holds a byte < 0x20 or 0x7f
  McRequest req_;
  std::string decoded_key_;
  size_t scanned_ = 0;  // bytes of the current line searched for '\n'
  size_t need_ = 0;     // total bytes the current request needs (0 = unknown)
  size_t bytes_wanted_ = 0;
  uint64_t swallow_ = 0;
};

// Standard base64 with padding; false on any invalid input.
bool McBase64Decode(std::string_view in, std::string* out);
void McBase64Encode(std::string_view in, std::string* out);

}  // namespace duet
