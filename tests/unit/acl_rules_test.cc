// ACL rules, descriptions and permission checks, on the real command table
// without a server. Expected descriptions follow redis-server 7.0.15.
#include "server/acl_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command_table.h"

namespace duet {
namespace {

class AclRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(table_.LoadSpecs().ok());
    ctx_.commands = &table_;
  }

  AclUser User(std::initializer_list<std::string_view> rules) {
    AclUser u = NewAclUser("u", ctx_);
    for (std::string_view r : rules) EXPECT_EQ(ApplyUserRule(u, r, ctx_), AclError::kOk) << r;
    return u;
  }
  std::string Describe(const AclUser& u) { return DescribeAclUser(u, table_); }

  AclDenial Check(const AclUser& u, std::vector<std::string_view> args, int* pos = nullptr) {
    bool unknown = false;
    const Command* cmd = table_.Lookup(args, &unknown);
    EXPECT_NE(cmd, nullptr) << args[0];
    int ignored = 0;
    return CheckAclPermission(u, *cmd, args, pos != nullptr ? pos : &ignored);
  }

  CommandTable table_;
  AclRuleContext ctx_;
};

TEST_F(AclRules, NewAndDefaultUsers) {
  EXPECT_EQ(Describe(NewAclUser("x", ctx_)), "off resetchannels -@all");
  AclUser d = NewDefaultUser(ctx_);
  EXPECT_EQ(Describe(d), "on nopass ~* &* +@all");
  EXPECT_TRUE(d.unrestricted);
  ctx_.pubsub_default_all = true;
  EXPECT_EQ(Describe(NewAclUser("x", ctx_)), "off &* -@all");
}

TEST_F(AclRules, CategoryDescriptionsUseTheBestFit) {
  // Two whole categories: the larger one first, as Redis's greedy fit does.
  EXPECT_EQ(Describe(User({"+@fast", "+@slow"})), "off resetchannels -@all +@slow +@fast");
  EXPECT_EQ(Describe(User({"+@read"})), "off resetchannels -@all +@read");
  EXPECT_EQ(Describe(User({"+@read", "-keys"})), "off resetchannels -@all +@read -keys");
  EXPECT_EQ(Describe(User({"+@all", "-@dangerous"})), "off resetchannels +@all -@dangerous");
  EXPECT_EQ(Describe(User({"+@all", "-@all"})), "off resetchannels -@all");
  EXPECT_EQ(Describe(User({"allcommands", "-config|get"})), "off resetchannels +@all -config|get");
  EXPECT_EQ(Describe(User({"+get", "+GET"})), "off resetchannels -@all +get");
}

TEST_F(AclRules, PasswordsAndFlags) {
  AclUser u = User({"on", ">p1", ">p1", "#" + std::string(64, 'a')});
  EXPECT_EQ(u.passwords.size(), 2u);
  EXPECT_EQ(u.passwords[0], HashAclPassword("p1"));
  EXPECT_TRUE(AclCredentialsMatch(u, "p1"));
  EXPECT_FALSE(AclCredentialsMatch(u, "p2"));
  EXPECT_EQ(ApplyUserRule(u, "<p2", ctx_), AclError::kNoSuchPassword);
  EXPECT_EQ(ApplyUserRule(u, "!" + std::string(64, 'b'), ctx_), AclError::kNoSuchPassword);
  EXPECT_EQ(ApplyUserRule(u, "!" + std::string(64, 'A'), ctx_), AclError::kBadHash);
  EXPECT_EQ(ApplyUserRule(u, "!" + std::string(64, 'a'), ctx_), AclError::kOk);
  EXPECT_EQ(ApplyUserRule(u, "off", ctx_), AclError::kOk);
  EXPECT_FALSE(AclCredentialsMatch(u, "p1"));  // disabled
  EXPECT_EQ(ApplyUserRule(u, "ON", ctx_), AclError::kOk);
  EXPECT_EQ(ApplyUserRule(u, "nopass", ctx_), AclError::kOk);
  EXPECT_TRUE(u.passwords.empty());
  EXPECT_TRUE(AclCredentialsMatch(u, "anything"));
  EXPECT_EQ(ApplyUserRule(u, ">x", ctx_), AclError::kOk);
  EXPECT_FALSE(u.nopass);
  EXPECT_EQ(ApplyUserRule(u, "skip-sanitize-payload", ctx_), AclError::kOk);
  EXPECT_EQ(AclUserFlagNames(u), (std::vector<std::string_view>{"on", "skip-sanitize-payload"}));
  EXPECT_EQ(HashAclPassword("p1"),
            "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a");
}

TEST_F(AclRules, KeyAndChannelPatterns) {
  AclUser u = User({"%R~a", "%W~a", "~b", "%r~c", "&x", "&x"});
  EXPECT_EQ(DescribeKeys(u.selectors[0]), "~a ~b %R~c");
  EXPECT_EQ(DescribeChannels(u.selectors[0]), "&x");
  EXPECT_EQ(ApplyUserRule(u, "%RR~d", ctx_), AclError::kSyntax);
  EXPECT_EQ(ApplyUserRule(u, "allkeys", ctx_), AclError::kOk);
  EXPECT_EQ(ApplyUserRule(u, "~e", ctx_), AclError::kKeyAfterAll);
  EXPECT_EQ(ApplyUserRule(u, "resetkeys", ctx_), AclError::kOk);
  EXPECT_EQ(ApplyUserRule(u, "%R~*", ctx_), AclError::kOk);  // not allkeys: read only
  EXPECT_FALSE(u.selectors[0].all_keys);
  EXPECT_EQ(ApplyUserRule(u, "&*", ctx_), AclError::kOk);
  EXPECT_EQ(ApplyUserRule(u, "&y", ctx_), AclError::kChannelAfterAll);
}

TEST_F(AclRules, CommandRuleErrors) {
  AclUser u = User({});
  EXPECT_EQ(ApplyUserRule(u, "+nosuch", ctx_), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(u, "-nosuch", ctx_), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(u, "+@nosuch", ctx_), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(u, "+config|nosub", ctx_), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(u, "+config|get|x", ctx_), AclError::kFirstArgOfSubcommand);
  EXPECT_EQ(ApplyUserRule(u, "+select|", ctx_), AclError::kSyntax);
  EXPECT_EQ(ApplyUserRule(u, "-select|0", ctx_), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(u, "bogus", ctx_), AclError::kSyntax);
  EXPECT_EQ(ApplyUserRule(u, "", ctx_), AclError::kSyntax);
  EXPECT_EQ(ApplyUserRule(u, "(on)", ctx_),
            AclError::kSyntax);  // user flags are not selector rules
  // Without a command table (configuration loading) commands are unknown.
  AclRuleContext bare;
  AclUser v = NewAclUser("v", bare);
  EXPECT_EQ(ApplyUserRule(v, "+get", bare), AclError::kUnknownCommand);
  EXPECT_EQ(ApplyUserRule(v, "+@read", bare), AclError::kOk);
}

TEST_F(AclRules, MergeSelectorArguments) {
  std::vector<std::string> out;
  size_t open = 0;
  std::vector<std::string_view> args = {"on", "(~a", "+get", "+set)", "(~b)", "off"};
  ASSERT_TRUE(MergeSelectorArgs(args, &out, &open));
  EXPECT_EQ(out, (std::vector<std::string>{"on", "(~a +get +set)", "(~b)", "off"}));
  std::vector<std::string_view> bad = {"on", "(~a", "+get"};
  EXPECT_FALSE(MergeSelectorArgs(bad, &out, &open));
  EXPECT_EQ(open, 1u);
}

TEST_F(AclRules, PermissionChecks) {
  AclUser u = User({"~cache:*", "%R~ro:*", "%W~wo:*", "+@read", "+set", "-keys", "+select|0"});
  EXPECT_FALSE(u.unrestricted);
  int pos = -1;
  EXPECT_EQ(Check(u, {"GET", "cache:1"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"GET", "other"}, &pos), AclDenial::kKey);
  EXPECT_EQ(pos, 1);
  EXPECT_EQ(Check(u, {"MGET", "cache:1", "ro:1", "x"}, &pos), AclDenial::kKey);
  EXPECT_EQ(pos, 3);
  EXPECT_EQ(Check(u, {"SET", "ro:1", "v"}), AclDenial::kKey);
  EXPECT_EQ(Check(u, {"SET", "wo:1", "v"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"SET", "wo:1", "v", "get"}), AclDenial::kKey);
  EXPECT_EQ(Check(u, {"EXISTS", "wo:1"}), AclDenial::kOk);  // no read or write flag needed
  EXPECT_EQ(Check(u, {"BITFIELD", "ro:1", "GET", "u8", "0"}), AclDenial::kCommand);
  EXPECT_EQ(Check(u, {"KEYS", "*"}), AclDenial::kCommand);
  EXPECT_EQ(Check(u, {"SELECT", "0"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"select", "1"}), AclDenial::kCommand);
  EXPECT_EQ(Check(u, {"AUTH", "a", "b"}), AclDenial::kOk);  // no_auth commands always run
  EXPECT_EQ(Check(u, {"CONFIG", "GET", "x"}), AclDenial::kCommand);
}

TEST_F(AclRules, BitfieldReadOnlyCallsNeedOnlyRead) {
  AclUser u = User({"%R~ro:*", "+bitfield"});
  EXPECT_EQ(Check(u, {"BITFIELD", "ro:1", "GET", "u8", "0"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"BITFIELD", "ro:1", "OVERFLOW", "SAT", "GET", "u8", "0"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"BITFIELD", "ro:1", "SET", "u8", "0", "1"}), AclDenial::kKey);
  EXPECT_EQ(Check(u, {"BITFIELD", "ro:1", "BOGUS"}), AclDenial::kKey);
}

TEST_F(AclRules, SortStoreDestinationNeedsWrite) {
  AclUser u = User({"%R~src*", "~dst*", "+sort", "+sort_ro"});
  int pos = 0;
  EXPECT_EQ(Check(u, {"SORT", "src1"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"SORT", "src1", "LIMIT", "0", "1", "STORE", "dst1"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"SORT", "src1", "STORE", "src2"}, &pos), AclDenial::kKey);
  EXPECT_EQ(pos, 3);
  EXPECT_EQ(Check(u, {"SORT_RO", "src1", "ALPHA"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"SORT", "other"}), AclDenial::kKey);
}

TEST_F(AclRules, SelectorsAndTheMostSpecificRefusal) {
  AclUser u = User({"~a*", "+get", "(~b* +set)"});
  int pos = 0;
  EXPECT_EQ(Check(u, {"GET", "a1"}), AclDenial::kOk);
  EXPECT_EQ(Check(u, {"SET", "b1", "v"}), AclDenial::kOk);
  // Root refuses the key, the selector the command: the key refusal wins.
  EXPECT_EQ(Check(u, {"GET", "b1"}, &pos), AclDenial::kKey);
  EXPECT_EQ(pos, 1);
  EXPECT_EQ(Check(u, {"DEL", "a1"}), AclDenial::kCommand);
}

TEST_F(AclRules, ChannelChecks) {
  // The pub/sub commands come from another part of Duet: a stand-in command
  // with PUBLISH's name and SUBSCRIBE's shows how their arguments are read.
  AclUser u = User({"&news.*", "&exact"});
  u.selectors[0].commands.set(1000).set(1001).set(1002);
  Command publish, subscribe, psubscribe;
  publish.full_name = "publish";
  publish.id = 1000;
  subscribe.full_name = "subscribe";
  subscribe.id = 1001;
  psubscribe.full_name = "psubscribe";
  psubscribe.id = 1002;
  int pos = 0;
  std::vector<std::string_view> ok = {"PUBLISH", "news.sport", "m"};
  EXPECT_EQ(CheckAclPermission(u, publish, ok, &pos), AclDenial::kOk);
  std::vector<std::string_view> no = {"PUBLISH", "gossip", "m"};
  EXPECT_EQ(CheckAclPermission(u, publish, no, &pos), AclDenial::kChannel);
  std::vector<std::string_view> sub = {"SUBSCRIBE", "exact", "news.x", "other"};
  EXPECT_EQ(CheckAclPermission(u, subscribe, sub, &pos), AclDenial::kChannel);
  EXPECT_EQ(pos, 3);
  // A pattern subscription must match a channel rule literally.
  std::vector<std::string_view> pat = {"PSUBSCRIBE", "news.*"};
  EXPECT_EQ(CheckAclPermission(u, psubscribe, pat, &pos), AclDenial::kOk);
  std::vector<std::string_view> pat2 = {"PSUBSCRIBE", "news.s*"};
  EXPECT_EQ(CheckAclPermission(u, psubscribe, pat2, &pos), AclDenial::kChannel);
  ASSERT_EQ(ApplyUserRule(u, "allchannels", ctx_), AclError::kOk);
  EXPECT_EQ(CheckAclPermission(u, psubscribe, pat2, &pos), AclDenial::kOk);
}

TEST_F(AclRules, UserDirectiveValidation) {
  std::vector<std::vector<std::string>> users;
  std::string err;
  EXPECT_TRUE(AddUserDirective({"user", "bob", "on", "(~a", "+get)", "+nocmd"}, &users, &err));
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0], (std::vector<std::string>{"bob", "on", "(~a +get)", "+nocmd"}));
  EXPECT_FALSE(AddUserDirective({"user", "bob"}, &users, &err));
  EXPECT_EQ(err,
            "Error in user declaration 'bob': Duplicate user found. A user can only be defined "
            "once in config files");
  EXPECT_FALSE(AddUserDirective({"user", "al", "on", "<nopass"}, &users, &err));
  EXPECT_EQ(err,
            "Error in user declaration 'al': The password you are trying to remove from the user "
            "does not exist");
}

}  // namespace
}  // namespace duet
