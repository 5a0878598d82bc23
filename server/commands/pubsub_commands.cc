// Pub/Sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and
// PUBSUB introspection (server/pubsub.h).
//
// Every (un)subscription is confirmed by its own frame [kind, name, count]: a
// push frame under RESP3, an array under RESP2. The count is the client's
// channels plus patterns, or its shard channels for the S variants.

#include "server/commands/register.h"
#include "server/pubsub.h"
#include "server/server.h"

namespace duet {
namespace {

size_t CountFor(const Client& c, SubKind kind) {
  if (c.subs == nullptr) return 0;
  return kind == SubKind::kShard ? c.subs->of(SubKind::kShard).size() : c.subs->count();
}

void Confirm(CommandContext& ctx, std::string_view kind, const std::string_view* name,
             SubKind sub_kind) {
  ctx.rb.PushHeader(3);
  ctx.rb.Bulk(kind);
  if (name != nullptr) {
    ctx.rb.Bulk(*name);
  } else {
    ctx.rb.Null();
  }
  ctx.rb.Integer(static_cast<int64_t>(CountFor(ctx.client, sub_kind)));
}

void SubscribeGeneric(CommandContext& ctx, SubKind kind, std::string_view reply_kind) {
  PubSub& ps = ctx.server.pubsub();
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ps.Subscribe(ctx.client, kind, ctx.args[i]);
    Confirm(ctx, reply_kind, &ctx.args[i], kind);
  }
}

void UnsubscribeGeneric(CommandContext& ctx, SubKind kind, std::string_view reply_kind) {
  PubSub& ps = ctx.server.pubsub();
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      ps.Unsubscribe(ctx.client, kind, ctx.args[i]);
      Confirm(ctx, reply_kind, &ctx.args[i], kind);
    }
    return;
  }
  // Without arguments: every name of this kind, or one frame with a null
  // name when there is none.
  std::vector<std::string> names;
  if (ctx.client.subs != nullptr) {
    const NameSet& mine = ctx.client.subs->of(kind);
    names.assign(mine.begin(), mine.end());
  }
  if (names.empty()) return Confirm(ctx, reply_kind, nullptr, kind);
  for (const std::string& n : names) {
    ps.Unsubscribe(ctx.client, kind, n);
    std::string_view v = n;
    Confirm(ctx, reply_kind, &v, kind);
  }
}

void CmdSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kChannel, "subscribe"); }
void CmdPSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kPattern, "psubscribe"); }
void CmdSSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kShard, "ssubscribe"); }
void CmdUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kChannel, "unsubscribe");
}
void CmdPUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kPattern, "punsubscribe");
}
void CmdSUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kShard, "sunsubscribe");
}

void CmdPublish(CommandContext& ctx) {
  ctx.rb.Integer(ctx.server.pubsub().Publish(ctx.args[1], ctx.args[2]));
}

void CmdSPublish(CommandContext& ctx) {
  ctx.rb.Integer(ctx.server.pubsub().PublishShard(ctx.args[1], ctx.args[2]));
}

void ListChannels(CommandContext& ctx, SubKind kind) {
  if (ctx.argc() > 3) {
    return ctx.rb.Error("ERR unknown subcommand or wrong number of arguments for '" +
                        std::string(ctx.args[1]) + "'. Try PUBSUB HELP.");
  }
  const std::string_view* pattern = ctx.argc() == 3 ? &ctx.args[2] : nullptr;
  std::vector<std::string_view> names = ctx.server.pubsub().ActiveNames(kind, pattern);
  ctx.rb.BulkArray(names.data(), names.size());
}

void CountSubscribers(CommandContext& ctx, SubKind kind) {
  PubSub& ps = ctx.server.pubsub();
  ctx.rb.ArrayHeader((ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.rb.Bulk(ctx.args[i]);
    ctx.rb.Integer(static_cast<int64_t>(ps.SubscriberCount(kind, ctx.args[i])));
  }
}

void CmdPubsubChannels(CommandContext& ctx) { ListChannels(ctx, SubKind::kChannel); }
void CmdPubsubShardChannels(CommandContext& ctx) { ListChannels(ctx, SubKind::kShard); }
void CmdPubsubNumSub(CommandContext& ctx) { CountSubscribers(ctx, SubKind::kChannel); }
void CmdPubsubShardNumSub(CommandContext& ctx) { CountSubscribers(ctx, SubKind::kShard); }
void CmdPubsubNumPat(CommandContext& ctx) {
  ctx.rb.Integer(static_cast<int64_t>(ctx.server.pubsub().PatternCount()));
}

void CmdPubsubHelp(CommandContext& ctx) {
  static const std::string_view kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    The channels that have at least one subscriber, optionally only those",
      "    matching a glob-style <pattern>.",
      "NUMPAT",
      "    How many distinct patterns clients follow.",
      "NUMSUB [<channel> ...]",
      "    For each channel, how many clients subscribe to it directly (pattern",
      "    subscriptions are not counted).",
      "SHARDCHANNELS [<pattern>]",
      "    Like CHANNELS, for shard channels.",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Like NUMSUB, for shard channels.",
      "HELP",
      "    This text.",
  };
  ctx.rb.ArrayHeader(std::size(kLines));
  for (auto l : kLines) ctx.rb.SimpleString(l);
}

}  // namespace

void RegisterPubSubCommands(CommandTable& t) {
  t.Bind("SUBSCRIBE", CmdSubscribe);
  t.Bind("UNSUBSCRIBE", CmdUnsubscribe);
  t.Bind("PSUBSCRIBE", CmdPSubscribe);
  t.Bind("PUNSUBSCRIBE", CmdPUnsubscribe);
  t.Bind("SSUBSCRIBE", CmdSSubscribe);
  t.Bind("SUNSUBSCRIBE", CmdSUnsubscribe);
  t.Bind("PUBLISH", CmdPublish);
  t.Bind("SPUBLISH", CmdSPublish);
  t.Bind("PUBSUB|CHANNELS", CmdPubsubChannels);
  t.Bind("PUBSUB|NUMSUB", CmdPubsubNumSub);
  t.Bind("PUBSUB|NUMPAT", CmdPubsubNumPat);
  t.Bind("PUBSUB|SHARDCHANNELS", CmdPubsubShardChannels);
  t.Bind("PUBSUB|SHARDNUMSUB", CmdPubsubShardNumSub);
  t.Bind("PUBSUB|HELP", CmdPubsubHelp);
}

}  // namespace duet
