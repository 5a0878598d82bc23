#include "server/memcache_session.h"

#include "server/client.h"
#include "server/memcache/handler.h"

namespace duet {

MemcacheSession::MemcacheSession(McHandler& handler, Client& client)
    : handler_(handler), client_(client) {
  McStats& st = handler_.stats();
  ++st.curr_connections;
  ++st.total_connections;
}

MemcacheSession::~MemcacheSession() { --handler_.stats().curr_connections; }

size_t MemcacheSession::bytes_wanted() const {
  return mode_ == Mode::kBinary ? binary_.bytes_wanted() : text_.bytes_wanted();
}

Session::Step MemcacheSession::RunOne(const char* data, size_t len, size_t* consumed) {
  if (mode_ == Mode::kUnknown) {
    if (len == 0) return Step::kNeedMore;
    mode_ = static_cast<uint8_t>(data[0]) == mcbin::kRequestMagic ? Mode::kBinary : Mode::kText;
  }
  McStats& st = handler_.stats();
  size_t out_before = client_.replies.pending();
  if (mode_ == Mode::kText) {
    text_.set_max_item_size(handler_.max_item_size());
    McParser::Result r = text_.Parse(data, len, consumed);
    if (r == McParser::Result::kNeedMore) return Step::kNeedMore;
    if (r == McParser::Result::kRequest) handler_.RunText(client_, text_.request());
  } else {
    binary_.set_max_item_size(handler_.max_item_size());
    McBinaryParser::Result r = binary_.Parse(data, len, consumed);
    if (r == McBinaryParser::Result::kNeedMore) return Step::kNeedMore;
    if (r == McBinaryParser::Result::kBadMagic) {
      // Nothing can be framed after a bad magic byte: end the connection.
      client_.close_after_reply = true;
      *consumed = len;
      return Step::kRan;
    }
    if (r == McBinaryParser::Result::kRequest) handler_.RunBinary(client_, binary_.request());
  }
  st.bytes_read += *consumed;
  size_t out_after = client_.replies.pending();
  if (out_after > out_before) st.bytes_written += out_after - out_before;
  return Step::kRan;
}

}  // namespace duet
