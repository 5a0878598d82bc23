#include "persistence/aof_manifest.h"

#include <charconv>
#include <cstddef>

namespace duet {
namespace {

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c >= 0x7f) return true;
  }
  return false;
}

void AppendName(std::string& out, std::string_view s) {
  if (!NeedsQuotes(s)) {
    out.append(s);
    return;
  }
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < ' ' || c >= 0x7f) {
          out += "\\x";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits a line into words; a word may be double-quoted with escapes.
bool SplitWords(std::string_view line, std::vector<std::string>* words) {
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string w;
    if (line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char c = line[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c != '\\' || i >= line.size()) {
          w.push_back(c);
          continue;
        }
        char e = line[i++];
        switch (e) {
          case 'n':
            w.push_back('\n');
            break;
          case 'r':
            w.push_back('\r');
            break;
          case 't':
            w.push_back('\t');
            break;
          case 'x':
            if (i + 1 < line.size() && HexValue(line[i]) >= 0 && HexValue(line[i + 1]) >= 0) {
              w.push_back(static_cast<char>(HexValue(line[i]) * 16 + HexValue(line[i + 1])));
              i += 2;
            } else {
              w.push_back('x');
            }
            break;
          default:
            w.push_back(e);
        }
      }
      // A closing quote must end the word.
      if (!closed || (i < line.size() && line[i] != ' ' && line[i] != '\t')) return false;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') w.push_back(line[i++]);
    }
    words->push_back(std::move(w));
  }
  return true;
}

void AppendLine(std::string& out, const AofFileInfo& f) {
  out += "file ";
  AppendName(out, f.name);
  out += " seq ";
  out += std::to_string(f.seq);
  out += " type ";
  out.push_back(static_cast<char>(f.type));
  out.push_back('\n');
}

}  // namespace

std::string AofBaseName(const std::string& prefix, int64_t seq, bool rdb) {
  return prefix + "." + std::to_string(seq) + (rdb ? ".base.rdb" : ".base.aof");
}
std::string AofIncrName(const std::string& prefix, int64_t seq) {
  return prefix + "." + std::to_string(seq) + ".incr.aof";
}
std::string AofManifestName(const std::string& prefix) { return prefix + ".manifest"; }

std::string AofManifest::Serialize() const {
  std::string out;
  if (has_base) AppendLine(out, base);
  for (const auto& f : history) AppendLine(out, f);
  for (const auto& f : incrs) AppendLine(out, f);
  return out;
}

Status AofManifest::Parse(std::string_view text, AofManifest* out) {
  *out = AofManifest{};
  size_t pos = 0;
  int64_t last_incr = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words;
    if (!SplitWords(line, &words)) return Status::Corruption("Invalid AOF manifest file format");
    if (words.empty() || words.size() % 2 != 0) {
      return Status::Corruption("Invalid AOF manifest file format");
    }
    AofFileInfo f;
    bool have_name = false, have_seq = false, have_type = false;
    for (size_t i = 0; i < words.size(); i += 2) {
      const std::string& k = words[i];
      const std::string& v = words[i + 1];
      if (k == "file") {
        f.name = v;
        have_name = true;
      } else if (k == "seq") {
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), f.seq);
        if (ec != std::errc() || p != v.data() + v.size()) {
          return Status::Corruption("Invalid AOF manifest file format");
        }
        have_seq = true;
      } else if (k == "type") {
        if (v.size() != 1 || (v[0] != 'b' && v[0] != 'h' && v[0] != 'i')) {
          return Status::Corruption("Unknown AOF file type");
        }
        f.type = static_cast<AofFileType>(v[0]);
        have_type = true;
      }
      // Unknown keys are ignored, for later formats.
    }
    if (!have_name || !have_seq || !have_type) {
      return Status::Corruption("Invalid AOF manifest file format");
    }
    switch (f.type) {
      case AofFileType::kBase:
        if (out->has_base) return Status::Corruption("Found duplicate base file information");
        out->has_base = true;
        out->base_seq = f.seq;
        out->base = std::move(f);
        break;
      case AofFileType::kHistory:
        out->history.push_back(std::move(f));
        break;
      case AofFileType::kIncr:
        if (f.seq <= last_incr) {
          return Status::Corruption("Found a non-monotonic sequence number");
        }
        last_incr = f.seq;
        out->incr_seq = f.seq;
        out->incrs.push_back(std::move(f));
        break;
    }
  }
  if (!out->has_base && out->incrs.empty() && out->history.empty()) {
    return Status::Corruption("Found an empty AOF manifest");
  }
  return Status::Ok();
}

AofFileInfo AofManifest::NewBase(const std::string& prefix, bool rdb, size_t keep_incrs) {
  if (has_base) {
    base.type = AofFileType::kHistory;
    history.push_back(std::move(base));
  }
  size_t drop = incrs.size() > keep_incrs ? incrs.size() - keep_incrs : 0;
  for (size_t i = 0; i < drop; ++i) {
    incrs[i].type = AofFileType::kHistory;
    history.push_back(std::move(incrs[i]));
  }
  incrs.erase(incrs.begin(), incrs.begin() + static_cast<std::ptrdiff_t>(drop));
  ++base_seq;
  base = AofFileInfo{AofBaseName(prefix, base_seq, rdb), base_seq, AofFileType::kBase};
  has_base = true;
  return base;
}

AofFileInfo AofManifest::NewIncr(const std::string& prefix) {
  ++incr_seq;
  incrs.push_back(AofFileInfo{AofIncrName(prefix, incr_seq), incr_seq, AofFileType::kIncr});
  return incrs.back();
}

}  // namespace duet
