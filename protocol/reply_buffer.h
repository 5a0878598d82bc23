#pragma once
// ReplyBuffer: the bytes waiting to be sent to one client, as a list of
// chunks. Handlers append; the connection sends everything pending in one
// gather write and then drops what was sent. A reply is never written to the
// socket directly, so a pipeline of N commands leaves in one write.

#include <sys/uio.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace duet {

class ReplyBuffer {
 public:
  static constexpr size_t kChunkSize = 16 * 1024;

  void Append(const char* p, size_t n) {
    if (n <= Tail()) {
      std::memcpy(chunks_.back().data.get() + chunks_.back().used, p, n);
      chunks_.back().used += n;
      pending_ += n;
      return;
    }
    AppendSlow(p, n);
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }

  // Space for up to `n` bytes written in place; Commit(k) publishes k <= n.
  char* Reserve(size_t n) {
    if (n > Tail()) AddChunk(n);
    return chunks_.back().data.get() + chunks_.back().used;
  }
  void Commit(size_t n) {
    chunks_.back().used += n;
    pending_ += n;
  }

  size_t pending() const { return pending_; }
  bool empty() const { return pending_ == 0; }

  // Fills up to `max` iovecs with pending bytes; returns how many.
  int FillIov(struct iovec* iov, int max) const;
  // Drops `n` sent bytes from the front.
  void Consume(size_t n);
  void Clear();

  // Bytes held by the buffer including unused chunk space (output limits).
  size_t allocated() const { return allocated_; }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t capacity = 0;
    size_t used = 0;  // bytes written
    size_t sent = 0;  // bytes of `used` already sent
  };
  size_t Tail() const {
    return chunks_.empty() ? 0 : chunks_.back().capacity - chunks_.back().used;
  }
  void AddChunk(size_t min_size);
  void AppendSlow(const char* p, size_t n);

  std::vector<Chunk> chunks_;
  size_t first_ = 0;  // index of the first chunk with unsent bytes
  size_t pending_ = 0;
  size_t allocated_ = 0;
};

}  // namespace duet
