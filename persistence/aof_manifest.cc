#include "persistence/aof_manifest.h"

#include <charconv>
#include <cstddef>
#include <optional>

#include "utils/config_tokenizer.h"
#include "utils/strconv.h"

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
  if (NeedsQuotes(s)) {
    AppendRepr(&out, s);
  } else {
    out.append(s);
  }
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
    // Redis splits manifest lines like config lines (sdssplitargs).
    std::optional<std::vector<std::string>> split = SplitConfigArgs(line);
    if (!split) return Status::Corruption("Invalid AOF manifest file format");
    std::vector<std::string>& words = *split;
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
  // Redis lists history newest first: the replaced incr files (newest
  // first), then the replaced base, then what was history already. The order
  // shows when history is kept (aof-disable-auto-gc).
  std::vector<AofFileInfo> replaced;
  size_t drop = incrs.size() > keep_incrs ? incrs.size() - keep_incrs : 0;
  for (size_t i = drop; i-- > 0;) {
    incrs[i].type = AofFileType::kHistory;
    replaced.push_back(std::move(incrs[i]));
  }
  incrs.erase(incrs.begin(), incrs.begin() + static_cast<std::ptrdiff_t>(drop));
  if (has_base) {
    base.type = AofFileType::kHistory;
    replaced.push_back(std::move(base));
  }
  for (auto& f : history) replaced.push_back(std::move(f));
  history = std::move(replaced);
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
