// duet-server [configfile] [--directive value ...]
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "server/aof.h"
#include "server/config.h"
#include "server/fd_limit.h"
#include "server/network.h"
#include "server/process.h"
#include "server/server.h"
#include "server/snapshots.h"
#include "server/version.h"
#include "utils/cycle_clock.h"
#include "utils/hash.h"
#include "utils/logging.h"

// jemalloc reads this at start-up. Dirty pages decay to the OS over 1 s
// instead of 10 s (the cron drives the decay, see utils/allocator.h): an idle
// server's RSS follows what it stores, as Redis's does with its jemalloc
// background thread. Muzzy pages are released at once.
extern "C" const char* malloc_conf;
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";

namespace {

void PrintUsage() {
  std::fprintf(stderr,
               "Usage: ./duet-server [/path/to/duet.conf] [options] [-]\n"
               "       ./duet-server - (read config from stdin)\n"
               "       ./duet-server -v or --version\n"
               "       ./duet-server -h or --help\n\n"
               "Examples:\n"
               "       ./duet-server (run the server with default config)\n"
               "       ./duet-server /etc/duet/6379.conf\n"
               "       ./duet-server --port 7777\n"
               "       ./duet-server /etc/mydefault.conf --loglevel verbose\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duet;
  CommandLine cl = ParseCommandLine(argc, argv);
  if (cl.action == CommandLine::Action::kVersion) {
    std::printf("Duet server v=%s (Redis-compatible %s) malloc=jemalloc bits=64\n",
                std::string(kDuetVersion).c_str(), std::string(kRedisCompatVersion).c_str());
    return 0;
  }
  if (cl.action == CommandLine::Action::kHelp) {
    PrintUsage();
    return 0;
  }
  ServerConfig config;
  std::string config_file = cl.config_path;
  std::vector<std::string> warnings;
  Status st = LoadConfig(cl, &config, &warnings);
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    return 1;
  }
  st = SetupLogging(config.logfile, static_cast<int>(config.loglevel));
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    return 1;
  }
  // Like redis-server: SORT ... ALPHA compares with the locale's collation.
  std::setlocale(LC_COLLATE, "");
  if (config.daemonize) Daemonize();
  if (!config.dir.empty() && chdir(config.dir.c_str()) != 0) {
    LogWarning("Can't chdir to '" + config.dir + "': " + std::strerror(errno));
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  InstallCrashHandlers(config.logfile);
  // A daemon always has a pidfile, as Redis's does.
  std::string pidfile = config.pidfile;
  if (pidfile.empty() && config.daemonize) pidfile = "/var/run/duet.pid";
  if (Status hs = InitHashSeed(); !hs.ok()) {
    std::fprintf(stderr, "%s\n", hs.message().c_str());
    return 1;
  }
  CycleClock::Calibrate();

  // The banner is logged as warnings so that every loglevel shows it, and
  // with the 'C' role until the server is set up, as redis-server does.
  SetLogRole('C');
  LogWarning("oO0OoO0OoO0Oo Duet is starting oO0OoO0OoO0Oo");
  LogWarning("Duet version=" + std::string(kDuetVersion) +
             ", bits=64, pid=" + std::to_string(getpid()) + ", just started");
  if (config_file.empty()) {
    LogWarning(
        "No config file specified, using the default config. In order to specify a config file "
        "use " +
        std::string(argv[0]) + " /path/to/duet.conf");
  } else {
    LogWarning("Configuration loaded from " + config_file);
  }
  for (const auto& w : warnings) LogWarning(w);

  SetLogRole('M');
  FdLimitResult fds = AdjustOpenFilesLimit(
      config.maxclients, config.memcached_port != 0 ? config.memcached_maxconns : 0);
  if (!fds.notice.empty()) LogNotice(fds.notice);
  if (!fds.warning.empty()) LogWarning(fds.warning);
  if (fds.maxclients == 0) return 1;
  config.maxclients = fds.maxclients;

  Server server(config);
  server.set_config_file(config_file);
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) server.set_executable(std::string(exe, static_cast<size_t>(n)));
  st = server.Init();
  if (!st.ok()) {
    LogWarning(st.message());
    return 1;
  }
  asio::io_context io(1);
  Network net(server, io);
  st = net.Listen();
  if (!st.ok()) {
    LogWarning(st.message());
    return 1;
  }
  LogNotice("Running mode=standalone, port=" + std::to_string(net.port()) + ".");
  LogWarning("Server initialized");
  if (!pidfile.empty()) {
    Status ps = WritePidFile(pidfile);
    if (!ps.ok()) LogWarning(ps.message());
  }
  // Load the data before serving; clients connecting meanwhile get -LOADING.
  // With appendonly yes the AOF is the source of truth (the dump is not read).
  auto process_events = [&net] { return net.PollWithoutWaiting(); };
  st = config.appendonly ? server.aof().LoadAtStartup(process_events)
                         : server.snapshots().LoadAtStartup(process_events);
  if (io.stopped()) {  // SHUTDOWN or a signal while loading
    RemovePidFile(pidfile);
    return 0;
  }
  if (!st.ok()) {
    LogWarning(st.message());
    LogWarning("Fatal error loading the DB, exiting.");
    RemovePidFile(pidfile);
    return 1;
  }
  LogNotice("Ready to accept connections");
  NotifySupervisorReady(config.supervised);
  net.Run();
  // Whatever was answered is in the AOF already; make it durable too.
  if (server.aof().active()) {
    server.aof().KillChild();
    server.aof().FlushAndSync();
  }
  RemovePidFile(pidfile);
  LogWarning("User requested shutdown...");
  LogWarning("Duet is now ready to exit, bye bye...");
  return 0;
}
