#pragma once
// The AOF's record format: one command as a RESP array of bulk strings
// ("*<argc>\r\n" then "$<len>\r\n<bytes>\r\n" per argument), exactly what
// Redis writes and what redis-check-aof accepts.
//
// AppendAofRecord is on the write path of every propagated command: it
// appends into the caller's buffer with at most one growth and formats
// numbers with std::to_chars (no per-argument allocation).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace duet {

// Appends one command.
void AppendAofRecord(std::string& out, std::span<const std::string_view> argv);
inline void AppendAofRecord(std::string& out, std::initializer_list<std::string_view> argv) {
  AppendAofRecord(out, std::span<const std::string_view>(argv.begin(), argv.size()));
}

// The decimal text of an integer, for building a propagated argv without
// allocating: AofInt ms(at); ctx.PropagateAs({"PEXPIREAT", key, ms.view()}).
class AofInt {
 public:
  explicit AofInt(int64_t n);
  std::string_view view() const { return {buf_, len_}; }

 private:
  char buf_[24];
  size_t len_;
};

// Appends "SELECT <db>".
void AppendAofSelect(std::string& out, int db);

}  // namespace duet
