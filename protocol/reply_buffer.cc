#include "protocol/reply_buffer.h"

#include <algorithm>

namespace duet {

void ReplyBuffer::AddChunk(size_t min_size) {
  // Reuse the spare first chunk when everything before it was sent.
  Chunk c;
  c.capacity = std::max(min_size, kChunkSize);
  c.data.reset(new char[c.capacity]);
  allocated_ += c.capacity;
  chunks_.push_back(std::move(c));
}

void ReplyBuffer::AppendSlow(const char* p, size_t n) {
  size_t room = Tail();
  if (room > 0) {
    std::memcpy(chunks_.back().data.get() + chunks_.back().used, p, room);
    chunks_.back().used += room;
    pending_ += room;
    p += room;
    n -= room;
  }
  AddChunk(n);
  std::memcpy(chunks_.back().data.get(), p, n);
  chunks_.back().used = n;
  pending_ += n;
}

int ReplyBuffer::FillIov(struct iovec* iov, int max) const {
  int k = 0;
  for (size_t i = first_; i < chunks_.size() && k < max; ++i) {
    const Chunk& c = chunks_[i];
    if (c.used == c.sent) continue;
    iov[k].iov_base = c.data.get() + c.sent;
    iov[k].iov_len = c.used - c.sent;
    ++k;
  }
  return k;
}

void ReplyBuffer::Consume(size_t n) {
  pending_ -= n;
  while (n > 0 && first_ < chunks_.size()) {
    Chunk& c = chunks_[first_];
    size_t left = c.used - c.sent;
    size_t take = std::min(left, n);
    c.sent += take;
    n -= take;
    if (c.sent == c.used && first_ + 1 < chunks_.size()) ++first_;
  }
  if (pending_ == 0) {
    // Keep one standard chunk for the next replies; free the rest.
    if (chunks_.size() > 1 || (!chunks_.empty() && chunks_[0].capacity != kChunkSize)) {
      Clear();
    } else if (!chunks_.empty()) {
      chunks_[0].used = chunks_[0].sent = 0;
      first_ = 0;
    }
  } else if (first_ > 8) {
    for (size_t i = 0; i < first_; ++i) allocated_ -= chunks_[i].capacity;
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(first_));
    first_ = 0;
  }
}

void ReplyBuffer::Clear() {
  chunks_.clear();
  first_ = 0;
  pending_ = 0;
  allocated_ = 0;
}

}  // namespace duet
