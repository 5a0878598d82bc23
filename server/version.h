#pragma once
// Versions Duet reports. Clients gate features on the Redis version, so Duet
// reports the Redis release whose behaviour it matches, and its own version in
// fields of its own (duet_version, server_name).

#include <string_view>

namespace duet {

inline constexpr std::string_view kRedisCompatVersion = "7.0.15";
inline constexpr std::string_view kDuetVersion = DUET_VERSION;

}  // namespace duet
