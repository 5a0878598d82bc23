// LATENCY LATEST / HISTORY / RESET / DOCTOR / HELP.

#include <cstdio>

#include "server/commands/register.h"
#include "server/commands/reply_util.h"
#include "server/server.h"

namespace duet {
namespace {

void CmdLatencyLatest(CommandContext& ctx) {
  const auto& events = ctx.server.latency().events();
  ctx.rb.ArrayHeader(events.size());
  for (const auto& [name, e] : events) {
    ctx.rb.ArrayHeader(4);
    ctx.rb.Bulk(name);
    ctx.rb.Integer(e.samples.empty() ? 0 : e.samples.back().unix_time);
    ctx.rb.Integer(e.samples.empty() ? 0 : e.samples.back().ms);
    ctx.rb.Integer(e.max_ms);
  }
}

void CmdLatencyHistory(CommandContext& ctx) {
  const auto& events = ctx.server.latency().events();
  auto it = events.find(std::string(ctx.args[2]));
  if (it == events.end()) return ctx.rb.ArrayHeader(0);
  ctx.rb.ArrayHeader(it->second.samples.size());
  for (const LatencySample& s : it->second.samples) {
    ctx.rb.ArrayHeader(2);
    ctx.rb.Integer(s.unix_time);
    ctx.rb.Integer(s.ms);
  }
}

void CmdLatencyReset(CommandContext& ctx) {
  std::vector<std::string> names(ctx.args.begin() + 2, ctx.args.end());
  ctx.rb.Integer(static_cast<int64_t>(ctx.server.latency().Reset(names)));
}

void CmdLatencyDoctor(CommandContext& ctx) {
  int64_t threshold = ctx.server.config().latency_monitor_threshold;
  std::string out;
  if (threshold == 0) {
    out =
        "The latency monitor is off, so there is nothing to report. Turn it on with "
        "CONFIG SET latency-monitor-threshold <milliseconds>.\n";
  } else if (ctx.server.latency().events().empty()) {
    out = "No event took " + std::to_string(threshold) +
          " ms or more since the monitor started or was last reset.\n";
  } else {
    out = "Events that took at least " + std::to_string(threshold) + " ms:\n\n";
    int i = 1;
    for (const auto& [name, e] : ctx.server.latency().events()) {
      int64_t sum = 0;
      for (const LatencySample& s : e.samples) sum += s.ms;
      char line[256];
      std::snprintf(
          line, sizeof(line), "%d. %s: %zu spikes kept, average %lld ms, worst %lld ms.\n", i++,
          name.c_str(), e.samples.size(),
          static_cast<long long>(e.samples.empty() ? 0
                                                   : sum / static_cast<int64_t>(e.samples.size())),
          static_cast<long long>(e.max_ms));
      out += line;
    }
    out +=
        "\nSlow commands are listed by SLOWLOG GET; long commands on big values (KEYS, "
        "SMEMBERS, LRANGE 0 -1 ...) and DEBUG SLEEP are the usual causes.\n";
  }
  ctx.rb.Verbatim(out);
}

void CmdLatencyHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    A report on the recorded latency spikes, in plain words.",
      "HISTORY <event>",
      "    The spikes recorded for <event>: [time, milliseconds] pairs, oldest first.",
      "LATEST",
      "    Each event with the time and size of its latest spike and its worst.",
      "RESET [<event> ...]",
      "    Forget the spikes of the given events, or of all of them.",
      "HELP",
      "    This text.",
  };
  ReplyHelp(ctx.rb, kLines);
}

}  // namespace

void RegisterLatencyCommands(CommandTable& t) {
  t.Bind("LATENCY|LATEST", CmdLatencyLatest);
  t.Bind("LATENCY|HISTORY", CmdLatencyHistory);
  t.Bind("LATENCY|RESET", CmdLatencyReset);
  t.Bind("LATENCY|DOCTOR", CmdLatencyDoctor);
  t.Bind("LATENCY|HELP", CmdLatencyHelp);
}

}  // namespace duet
