// Meta command flags (mg, ms, md, ma, me) and the base64 keys of the b flag.
//
// Each flag is one letter, optionally followed by a token without a space:
// "mg key v t c O123 T30". Which letters a command accepts, and the error
// texts, are memcached 1.6's: mg and ms report "invalid flag", "duplicate
// flag" and "bad token in command line format" separately; md and ma answer
// every flag problem with "invalid or duplicate flag". E (set the new CAS) is
// also accepted by mg-less commands, as later memcached versions do.

#include <string_view>

#include "protocol/memcache_parser.h"
#include "utils/strconv.h"

namespace duet {
namespace {

// Letters each command accepts.
std::string_view AllowedFlags(McCommand cmd) {
  switch (cmd) {
    case McCommand::kMetaGet:
      return "bcfhklOqstuvENRT";
    case McCommand::kMetaSet:
      return "bcCEFIkMOqsT";
    case McCommand::kMetaDelete:
      return "bCEIkOqT";
    case McCommand::kMetaArithmetic:
      return "bcCEDJkMNOqtTv";
    case McCommand::kMetaDebug:
      return "b";
    default:
      return "";
  }
}

bool ParseTtlToken(std::string_view s, int64_t* out) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  uint64_t v;
  if (!ParseUint64(s, &v) || v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool McParser::ParseMetaFlags(McCommand cmd, size_t first) {
  McMetaFlags& m = req_.meta;
  m.present = 0;
  m.order_len = 0;
  m.opaque = {};
  m.compare_cas = m.new_cas = 0;
  m.client_flags = 0;
  m.ttl = m.vivify_ttl = m.recache_ttl = 0;
  m.delta = 1;
  m.initial = 0;
  m.mode = 0;

  const bool distinct = cmd == McCommand::kMetaGet || cmd == McCommand::kMetaSet;
  const std::string_view combined = "CLIENT_ERROR invalid or duplicate flag";
  auto fail = [&](std::string_view specific) {
    Fail(distinct ? specific : combined);
    return false;
  };
  std::string_view allowed = AllowedFlags(cmd);
  for (size_t i = first; i < tokens_.size(); ++i) {
    std::string_view tok = tokens_[i];
    char c = tok[0];
    int bit = McMetaFlags::Bit(c);
    if (bit < 0 || allowed.find(c) == std::string_view::npos) {
      return fail("CLIENT_ERROR invalid flag");
    }
    if ((m.present >> bit) & 1) return fail("CLIENT_ERROR duplicate flag");
    m.present |= uint64_t{1} << bit;
    if (m.order_len < McMetaFlags::kMaxOrder) m.order[m.order_len++] = c;
    std::string_view arg = tok.substr(1);
    constexpr std::string_view kBadToken = "CLIENT_ERROR bad token in command line format";
    switch (c) {
      case 'O':
        if (arg.size() > kMaxOpaqueLength) {
          Fail("CLIENT_ERROR opaque token too long");
          return false;
        }
        m.opaque = arg;
        break;
      case 'T':
        if (!ParseTtlToken(arg, &m.ttl)) return fail(kBadToken);
        break;
      case 'N':
        if (!ParseTtlToken(arg, &m.vivify_ttl)) return fail(kBadToken);
        break;
      case 'R':
        if (!ParseTtlToken(arg, &m.recache_ttl)) return fail(kBadToken);
        break;
      case 'C':
        if (!ParseUint64(arg, &m.compare_cas)) return fail(kBadToken);
        break;
      case 'E':
        if (!ParseUint64(arg, &m.new_cas)) return fail(kBadToken);
        break;
      case 'D':
        if (!ParseUint64(arg, &m.delta)) return fail(kBadToken);
        break;
      case 'J':
        if (!ParseUint64(arg, &m.initial)) return fail(kBadToken);
        break;
      case 'F': {
        uint64_t v;
        if (!ParseUint64(arg, &v)) return fail("CLIENT_ERROR bad command line format");
        m.client_flags = static_cast<uint32_t>(v);
        break;
      }
      case 'M': {
        if (arg.size() != 1) return fail("CLIENT_ERROR incorrect length for M token");
        char mode = arg[0];
        if (cmd == McCommand::kMetaSet) {
          if (std::string_view("EAPRS").find(mode) == std::string_view::npos) {
            Fail("CLIENT_ERROR invalid mode for ms M token");
            return false;
          }
          m.mode = mode;
        } else {
          if (mode == 'I' || mode == 'i' || mode == '+') {
            m.mode = '+';
          } else if (mode == 'D' || mode == 'd' || mode == '-') {
            m.mode = '-';
          } else {
            Fail("CLIENT_ERROR invalid mode for ma M token");
            return false;
          }
        }
        break;
      }
      default:
        break;  // flags without a token ignore anything after the letter
    }
  }
  return true;
}

bool McBase64Decode(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 != 0) return false;
  out->reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = in[i + static_cast<size_t>(j)];
      if (c == '=') {
        // Padding only at the end of the last group, at most two.
        if (i + 4 != in.size() || j < 2) return false;
        v[j] = 0;
        ++pad;
      } else {
        if (pad > 0) return false;
        v[j] = B64Value(c);
        if (v[j] < 0) return false;
      }
    }
    uint32_t triple = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                      (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out->push_back(static_cast<char>((triple >> 16) & 0xff));
    if (pad < 2) out->push_back(static_cast<char>((triple >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(triple & 0xff));
  }
  return true;
}

void McBase64Encode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t t = (static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8) |
                 static_cast<uint32_t>(static_cast<unsigned char>(in[i + 2]));
    out->push_back(kB64[(t >> 18) & 63]);
    out->push_back(kB64[(t >> 12) & 63]);
    out->push_back(kB64[(t >> 6) & 63]);
    out->push_back(kB64[t & 63]);
  }
  size_t rest = in.size() - i;
  if (rest == 0) return;
  uint32_t t = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
  if (rest == 2) t |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
  out->push_back(kB64[(t >> 18) & 63]);
  out->push_back(kB64[(t >> 12) & 63]);
  out->push_back(rest == 2 ? kB64[(t >> 6) & 63] : '=');
  out->push_back('=');
}

}  // namespace duet
