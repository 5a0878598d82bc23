#include "server/memcache_session.h"

#include "server/client.h"
#include "server/memcache/handler.h"
#include "server/server.h"

namespace duet {
namespace {

bool TextMayWrite(const McRequest& r) {
  switch (r.command) {
    case McCommand::kGet:
    case McCommand::kGets:
    case McCommand::kVersion:
    case McCommand::kVerbosity:
    case McCommand::kQuit:
    case McCommand::kStats:
    case McCommand::kShutdown:
    case McCommand::kMetaNoop:
    case McCommand::kMetaDebug:
    case McCommand::kError:
    case McCommand::kNone:
      return false;
    case McCommand::kMetaGet:
      return r.meta.has('T') || r.meta.has('N');
    default:
      return true;
  }
}

bool BinaryMayWrite(uint8_t op) {
  switch (op) {
    case mcbin::kGet:
    case mcbin::kGetQ:
    case mcbin::kGetK:
    case mcbin::kGetKQ:
    case mcbin::kNoop:
    case mcbin::kVersion:
    case mcbin::kStat:
    case mcbin::kQuit:
    case mcbin::kQuitQ:
      return false;
    default:
      return true;
  }
}

}  // namespace

MemcacheSession::MemcacheSession(McHandler& handler, Client& client)
    : handler_(handler), client_(client) {
  McStats& st = handler_.stats();
  ++st.curr_connections;
  ++st.total_connections;
}

MemcacheSession::~MemcacheSession() { --handler_.stats().curr_connections; }

bool MemcacheSession::MustHold(bool may_write) {
  Server& s = handler_.server();
  if (s.pause_until_ms() == 0) return false;
  if (s.IsPausedRequest(may_write, s.NowMs())) return true;
  if (s.NowMs() >= s.pause_until_ms()) s.UnpauseClients();
  return false;
}

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
    if (r == McParser::Result::kRequest) {
      const McRequest& req = text_.request();
      if (MustHold(TextMayWrite(req) && !req.too_large)) {
        text_.Rewind();
        *consumed = 0;
        return Step::kHold;
      }
      handler_.RunText(client_, text_.request());
    }
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
    if (r == McBinaryParser::Result::kRequest) {
      const McBinaryRequest& req = binary_.request();
      if (!req.too_large && !req.malformed && MustHold(BinaryMayWrite(req.opcode))) {
        *consumed = 0;
        return Step::kHold;
      }
      handler_.RunBinary(client_, req);
    }
  }
  st.bytes_read += *consumed;
  size_t out_after = client_.replies.pending();
  if (out_after > out_before) st.bytes_written += out_after - out_before;
  return Step::kRan;
}

}  // namespace duet
