#pragma once
// ReplyBuilder: writes RESP2 or RESP3 replies into a ReplyBuffer. Handlers
// describe a reply in RESP3 terms (map, set, double, null, push); under RESP2
// each is written in the form Redis 7.0 uses for RESP2 clients.

#include <cstdint>
#include <string_view>

#include "protocol/reply_buffer.h"

namespace duet {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(ReplyBuffer* buf) : buf_(buf) {}

  // Called for every error reply (INFO errorstats); `ctx` is passed back.
  using ErrorHook = void (*)(void* ctx, std::string_view msg);
  void set_error_hook(ErrorHook hook, void* ctx) {
    error_hook_ = hook;
    error_hook_ctx_ = ctx;
  }
  uint64_t error_count() const { return error_count_; }

  void set_resp(int version) { resp_ = version; }
  int resp() const { return resp_; }
  ReplyBuffer* buffer() { return buf_; }
  // Replies are dropped (CLIENT REPLY OFF/SKIP, AOF replay) while muted.
  void set_muted(bool m) { muted_ = m; }
  bool muted() const { return muted_; }

  void Ok() { Raw("+OK\r\n"); }
  void SimpleString(std::string_view s);
  // `msg` without '-' or CRLF, e.g. "ERR syntax error". CR/LF in msg become spaces.
  void Error(std::string_view msg);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void Null();       // RESP2 $-1, RESP3 _
  void NullArray();  // RESP2 *-1, RESP3 _
  void ArrayHeader(size_t n);
  void MapHeader(size_t n);   // n key/value pairs; RESP2: array of 2n
  void SetHeader(size_t n);   // RESP2: array
  void PushHeader(size_t n);  // RESP2: array
  void Double(double d);      // RESP2: bulk string, Redis's %.17g formatting
  void Bool(bool b);          // RESP2: :1 / :0
  void Verbatim(std::string_view text, std::string_view format = "txt");  // RESP2: bulk
  void BulkArray(const std::string_view* items, size_t n);
  void EmptyArray() { Raw("*0\r\n"); }

  void Raw(std::string_view bytes) {
    if (!muted_) buf_->Append(bytes);
  }

 private:
  void Header(char type, int64_t n);

  ReplyBuffer* buf_;
  ErrorHook error_hook_ = nullptr;
  void* error_hook_ctx_ = nullptr;
  uint64_t error_count_ = 0;
  int resp_ = 2;
  bool muted_ = false;
};

}  // namespace duet
