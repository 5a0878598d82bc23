#pragma once
// Minimal configuration until the full config system lands.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/collection_limits.h"

namespace duet {

struct ServerConfig {
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};
  bool protected_mode = true;
  int tcp_backlog = 511;
  int64_t timeout = 0;
  int64_t tcp_keepalive = 300;
  int databases = 16;
  int hz = 10;
  std::string loglevel = "notice";
  std::string logfile;
  bool daemonize = false;
  std::string pidfile;
  std::string dir = ".";
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  std::string enable_debug_command = "no";
  int64_t maxclients = 10000;
  CollectionLimits collections;
};

}  // namespace duet
