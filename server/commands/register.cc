#include "server/commands/register.h"

#include "server/command_table.h"

namespace duet {

void RegisterAllCommands(CommandTable& t) {
  RegisterStringCommands(t);
  RegisterBitCommands(t);
  RegisterListCommands(t);
  RegisterBlockingCommands(t);
  RegisterKeyCommands(t);
  RegisterConnectionCommands(t);
  RegisterServerCommands(t);
  RegisterCommandCommands(t);
  RegisterConfigCommands(t);
  RegisterAclCommands(t);
  RegisterMemoryCommands(t);
  RegisterSlowlogCommands(t);
  RegisterLatencyCommands(t);
  RegisterZSetCommands(t);
  RegisterSetCommands(t);
  RegisterHashCommands(t);
  RegisterSortCommands(t);
  RegisterMultiCommands(t);
  RegisterPubSubCommands(t);
  RegisterPersistenceCommands(t);
  RegisterScriptCommands(t);
}

}  // namespace duet
