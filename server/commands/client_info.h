#pragma once
// The CLIENT LIST / CLIENT INFO description of a client.

#include <cstdint>
#include <string>

#include "server/client.h"

namespace duet {

std::string DescribeClient(const Client& c, int64_t now_ms);

}  // namespace duet
