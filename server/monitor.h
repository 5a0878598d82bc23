#pragma once
// MONITOR: every command a client runs, as one status line per command sent
// to each monitoring client, in redis-server 7.0.15's format:
//
//   +<unix seconds>.<microseconds, 6 digits> [<db> <addr>] "arg0" "arg1" ...
//
// <db> is the client's database after the command ran (so SELECT 5 shows 5),
// <addr> is the peer's ip:port, "unix:<unixsocket>" for a Unix-socket client,
// or "lua" for a command run by a script. Every argument is double-quoted
// with \\ \" \n \r \t \a \b escaped and other non-printable bytes as \xhh.
// Passwords are shown as "(redacted)": every AUTH argument, the username and
// password after HELLO's AUTH, MIGRATE's AUTH password and AUTH2 pair.
// Commands flagged admin or skip_monitor are never shown.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

// Appends the line (with its "+" and "\r\n") for one command to *out.
// `command_name` is the command's lowercase table name (for redaction).
void AppendMonitorLine(std::string* out, int64_t unix_us, int db, std::string_view addr,
                       std::string_view command_name, const std::vector<std::string_view>& args);

// Whether args[i] of `command_name` is shown as "(redacted)".
bool MonitorRedacts(std::string_view command_name, const std::vector<std::string_view>& args,
                    size_t i);

}  // namespace duet
