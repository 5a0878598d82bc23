#pragma once
// One registration function per command group; RegisterAllCommands calls
// them all. Each group file ends with the visible list of its bindings.

namespace duet {

class CommandTable;

void RegisterStringCommands(CommandTable& t);
void RegisterKeyCommands(CommandTable& t);
void RegisterConnectionCommands(CommandTable& t);
void RegisterServerCommands(CommandTable& t);
void RegisterCommandCommands(CommandTable& t);
void RegisterConfigCommands(CommandTable& t);
void RegisterBitCommands(CommandTable& t);
void RegisterAclCommands(CommandTable& t);
void RegisterMemoryCommands(CommandTable& t);
void RegisterZSetCommands(CommandTable& t);
void RegisterSetCommands(CommandTable& t);
void RegisterHashCommands(CommandTable& t);
void RegisterSortCommands(CommandTable& t);
void RegisterListCommands(CommandTable& t);
void RegisterBlockingCommands(CommandTable& t);
void RegisterMultiCommands(CommandTable& t);
void RegisterPubSubCommands(CommandTable& t);
void RegisterPersistenceCommands(CommandTable& t);
void RegisterScriptCommands(CommandTable& t);

void RegisterSlowlogCommands(CommandTable& t);
void RegisterLatencyCommands(CommandTable& t);

void RegisterAllCommands(CommandTable& t);

}  // namespace duet
