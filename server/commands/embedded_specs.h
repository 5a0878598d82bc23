#pragma once
// The JSON command specs, embedded at build time (see embed_specs.cmake).

#include <cstddef>
#include <string_view>

namespace duet {

struct EmbeddedSpec {
  std::string_view file_name;
  std::string_view json;
};

extern const EmbeddedSpec kEmbeddedSpecs[];
extern const size_t kEmbeddedSpecCount;

}  // namespace duet
