#include "storage/quicklist.h"

#include <liblzf/lzf.h>
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace duet {
namespace {

// Listpack bytes per node for fill -1..-5.
constexpr size_t kSizeLimits[] = {4096, 8192, 16384, 32768, 65536};
// With a count-based fill a node still stops growing here (unless it holds a
// single entry), so a big fill cannot build huge listpacks.
constexpr size_t kSafetyLimit = 8192;
// Entries per node are counted in 16 bits; staying below 65535 also keeps
// the listpack header count known.
constexpr size_t kMaxNodeEntries = 65534;
// Compression is not worth trying below this size, and must save this much.
constexpr size_t kMinCompressBytes = 48;
constexpr size_t kMinCompressGain = 8;
// Scratch for LZF output is kept between calls up to this size.
constexpr size_t kKeepScratch = 128 * 1024;

void StoreU32(unsigned char* p, uint32_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

unsigned char* Alloc(size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n));
  if (p == nullptr) std::abort();
  return p;
}

// Decompresses a compressed node into out[0..sz). A mismatch means memory
// corruption; continuing would serve garbage.
void DecompressTo(const QuicklistNode* n, unsigned char* out) {
  unsigned got = lzf_decompress(n->lzf_data(), n->lzf_len(), out, n->sz);
  if (got != n->sz) std::abort();
}

// Nodes come from malloc so MemoryUsage can ask malloc_usable_size.
QuicklistNode* AllocNode() {
  auto* n = static_cast<QuicklistNode*>(std::calloc(1, sizeof(QuicklistNode)));
  if (n == nullptr) std::abort();
  return n;
}

struct FreeDeleter {
  void operator()(unsigned char* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<unsigned char, FreeDeleter>;

}  // namespace

Quicklist::Quicklist(int64_t fill, int64_t compress_depth) {
  fill_ = static_cast<int16_t>(std::clamp<int64_t>(fill, kMinFill, kMaxFill));
  depth_ = static_cast<uint16_t>(std::clamp<int64_t>(compress_depth, 0, kMaxDepth));
}

Quicklist::~Quicklist() { FreeAll(); }

void Quicklist::FreeAll() {
  Node* n = head_;
  while (n != nullptr) {
    Node* next = n->next;
    std::free(n->data);
    std::free(n);
    n = next;
  }
  head_ = tail_ = nullptr;
  count_ = 0;
  len_ = 0;
}

Quicklist::Quicklist(Quicklist&& o) noexcept
    : head_(o.head_),
      tail_(o.tail_),
      count_(o.count_),
      len_(o.len_),
      fill_(o.fill_),
      depth_(o.depth_) {
  o.head_ = o.tail_ = nullptr;
  o.count_ = 0;
  o.len_ = 0;
}

Quicklist& Quicklist::operator=(Quicklist&& o) noexcept {
  if (this != &o) {
    FreeAll();
    head_ = o.head_;
    tail_ = o.tail_;
    count_ = o.count_;
    len_ = o.len_;
    fill_ = o.fill_;
    depth_ = o.depth_;
    o.head_ = o.tail_ = nullptr;
    o.count_ = 0;
    o.len_ = 0;
  }
  return *this;
}

Quicklist Quicklist::Clone() const {
  Quicklist out(fill_, depth_);
  for (const Node* n = head_; n != nullptr; n = n->next) {
    size_t bytes = n->compressed ? 4 + size_t{n->lzf_len()} : n->sz;
    unsigned char* data = Alloc(bytes);
    std::memcpy(data, n->data, bytes);
    Node* copy = AllocNode();
    copy->data = data;
    copy->sz = n->sz;
    copy->count = n->count;
    copy->compressed = n->compressed;
    copy->incompressible = n->incompressible;
    out.LinkBefore(nullptr, copy);
    out.count_ += n->count;
  }
  return out;
}

// --- Limits ------------------------------------------------------------------

bool Quicklist::Fits(const Node* n, size_t add_bytes, size_t add_count) const {
  size_t cnt = n->count + add_count;
  if (cnt > kMaxNodeEntries) return false;
  size_t sz = n->sz + add_bytes;
  if (fill_ < 0) return sz <= kSizeLimits[-fill_ - 1];
  return cnt <= static_cast<size_t>(fill_) && sz <= kSafetyLimit;
}

bool Quicklist::CanMerge(const Node* a, const Node* b) const {
  size_t cnt = size_t{a->count} + b->count;
  if (cnt > kMaxNodeEntries) return false;
  size_t sz = size_t{a->sz} + b->sz - lp::kEmptySize;
  if (fill_ < 0) return sz <= kSizeLimits[-fill_ - 1] * 3 / 4;
  return cnt <= static_cast<size_t>(fill_) * 3 / 4 && sz <= kSafetyLimit * 3 / 4;
}

// --- Nodes -------------------------------------------------------------------

Quicklist::Node* Quicklist::Locate(size_t index, size_t* local) const {
  if (index >= count_) return nullptr;
  if (index < count_ / 2) {
    Node* n = head_;
    while (index >= n->count) {
      index -= n->count;
      n = n->next;
    }
    *local = index;
    return n;
  }
  size_t from_tail = count_ - 1 - index;
  Node* n = tail_;
  while (from_tail >= n->count) {
    from_tail -= n->count;
    n = n->prev;
  }
  *local = n->count - 1 - from_tail;
  return n;
}

Quicklist::Node* Quicklist::NewNode(unsigned char* lp, size_t count) {
  Node* n = AllocNode();
  n->data = lp;
  n->count = static_cast<uint16_t>(count);
  UpdateSize(n);
  return n;
}

void Quicklist::LinkAfter(Node* pos, Node* n) {
  if (pos == nullptr) {
    n->prev = nullptr;
    n->next = head_;
    if (head_ != nullptr) {
      head_->prev = n;
    } else {
      tail_ = n;
    }
    head_ = n;
  } else {
    n->prev = pos;
    n->next = pos->next;
    if (pos->next != nullptr) {
      pos->next->prev = n;
    } else {
      tail_ = n;
    }
    pos->next = n;
  }
  ++len_;
}

void Quicklist::LinkBefore(Node* pos, Node* n) {
  if (pos == nullptr) {
    n->next = nullptr;
    n->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = n;
    } else {
      head_ = n;
    }
    tail_ = n;
  } else {
    LinkAfter(pos->prev, n);
    return;
  }
  ++len_;
}

void Quicklist::RemoveNode(Node* n) {
  if (n->prev != nullptr) {
    n->prev->next = n->next;
  } else {
    head_ = n->next;
  }
  if (n->next != nullptr) {
    n->next->prev = n->prev;
  } else {
    tail_ = n->prev;
  }
  --len_;
  count_ -= n->count;
  std::free(n->data);
  std::free(n);
}

Quicklist::Node* Quicklist::SplitNode(Node* n, size_t index) {
  unsigned char* right_lp = lp::Split(&n->data, index);
  Node* right = NewNode(right_lp, n->count - index);
  n->count = static_cast<uint16_t>(index);
  UpdateSize(n);
  right->recompress = n->recompress;
  LinkAfter(n, right);
  return right;
}

Quicklist::Node* Quicklist::MergeNodes(Node* a, Node* b) {
  EnsureRaw(a);
  EnsureRaw(b);
  a->data = lp::Merge(a->data, b->data);
  a->count = static_cast<uint16_t>(a->count + b->count);
  a->recompress = a->recompress | b->recompress;
  UpdateSize(a);
  b->data = nullptr;
  b->count = 0;  // its entries now belong to a
  RemoveNode(b);
  return a;
}

void Quicklist::MergeRegion(Node* first, Node* last) {
  Node* n = first->prev != nullptr ? first->prev : first;
  Node* stop = last->next;  // null: through the tail
  size_t nodes = 0;
  for (Node* x = n; x != nullptr; x = x->next) {
    ++nodes;
    if (x == stop) break;
  }
  // Each step consumes one adjacency of the original region.
  while (--nodes > 0 && n->next != nullptr) {
    if (CanMerge(n, n->next)) {
      n = MergeNodes(n, n->next);
    } else {
      AfterChange(n);
      n = n->next;
    }
  }
  AfterChange(n);
}

// --- Compression -------------------------------------------------------------

void Quicklist::EnsureRaw(Node* n) {
  if (n->compressed) {
    Decompress(n);
    n->recompress = 1;
  } else if (n->incompressible) {
    // An inner node about to change: try compressing again afterwards.
    n->incompressible = 0;
    n->recompress = 1;
  }
}

void Quicklist::AfterChange(Node* n) {
  if (n->recompress) {
    n->recompress = 0;
    Compress(n);
  }
}

bool Quicklist::Compress(Node* n) {
  if (n->compressed) return true;
  n->recompress = 0;
  if (n->sz < kMinCompressBytes) {
    n->incompressible = 1;
    return false;
  }
  static thread_local Buffer scratch;
  static thread_local size_t scratch_cap = 0;
  size_t max_out = n->sz - kMinCompressGain;
  unsigned char* out;
  Buffer one_off;
  if (max_out <= kKeepScratch) {
    if (scratch_cap < max_out) {
      scratch.reset(Alloc(kKeepScratch));
      scratch_cap = kKeepScratch;
    }
    out = scratch.get();
  } else {
    one_off.reset(Alloc(max_out));
    out = one_off.get();
  }
  unsigned clen = lzf_compress(n->data, n->sz, out, static_cast<unsigned>(max_out));
  if (clen == 0) {
    n->incompressible = 1;
    return false;
  }
  unsigned char* blob = Alloc(4 + size_t{clen});
  StoreU32(blob, clen);
  std::memcpy(blob + 4, out, clen);
  std::free(n->data);
  n->data = blob;
  n->compressed = 1;
  n->incompressible = 0;
  return true;
}

void Quicklist::Decompress(Node* n) {
  if (!n->compressed) return;
  unsigned char* raw = Alloc(n->sz);
  DecompressTo(n, raw);
  std::free(n->data);
  n->data = raw;
  n->compressed = 0;
}

void Quicklist::SettleAt(Node* n) {
  if (depth_ == 0) return;
  bool inner = true;
  const Node* x = n;
  for (size_t i = 0; i < depth_ && inner; ++i) inner = (x = x->prev) != nullptr;
  x = n;
  for (size_t i = 0; i < depth_ && inner; ++i) inner = (x = x->next) != nullptr;
  n->recompress = 0;
  if (inner) {
    n->incompressible = 0;
    Compress(n);
  } else {
    Decompress(n);
    n->incompressible = 0;
  }
}

void Quicklist::FixEnds(size_t added) {
  if (depth_ == 0) return;
  auto make_raw = [](Node* n) {
    Decompress(n);
    n->recompress = 0;
    n->incompressible = 0;
  };
  auto maybe_compress = [this](Node* n) {
    if (!n->compressed && !n->incompressible) Compress(n);
  };
  size_t inner_end = len_ > 2 * size_t{depth_} ? len_ - depth_ : 0;  // first tail-boundary index
  Node* f = head_;
  size_t i = 0;
  for (; i < depth_ && f != nullptr; ++i, f = f->next) make_raw(f);
  for (size_t j = 0; j <= added && f != nullptr && i < inner_end; ++j, ++i, f = f->next) {
    maybe_compress(f);
  }
  Node* b = tail_;
  i = 0;
  for (; i < depth_ && b != nullptr; ++i, b = b->prev) make_raw(b);
  for (size_t j = 0; j <= added && b != nullptr && i < inner_end; ++j, ++i, b = b->prev) {
    maybe_compress(b);
  }
}

// --- Ends ----------------------------------------------------------------------

void Quicklist::PushFront(std::string_view v) {
  lp::Encoded e(v);
  if (head_ != nullptr && Fits(head_, e.size(), 1)) {
    // The head is within the raw boundary (or nothing is compressed).
    head_->data = lp::Insert(head_->data, head_->data + lp::kHeaderSize, e, lp::Where::kBefore);
    ++head_->count;
    UpdateSize(head_);
  } else {
    LinkAfter(nullptr, NewNode(lp::NewWith(e), 1));
    FixEnds(1);
  }
  ++count_;
}

void Quicklist::PushBack(std::string_view v) {
  lp::Encoded e(v);
  if (tail_ != nullptr && Fits(tail_, e.size(), 1)) {
    tail_->data = lp::Insert(tail_->data, nullptr, e, lp::Where::kBefore);
    ++tail_->count;
    UpdateSize(tail_);
  } else {
    LinkBefore(nullptr, NewNode(lp::NewWith(e), 1));
    FixEnds(1);
  }
  ++count_;
}

void Quicklist::PushBack(const std::string_view* values, size_t n) {
  size_t i = 0;
  while (i < n) {
    // Growing a node value by value would walk its listpack through every
    // allocator size class on the way to the node limit, leaving the
    // abandoned sizes behind as garbage pages; one resize per node does not.
    size_t k = 0, bytes = 0;
    if (tail_ != nullptr) {
      while (i + k < n) {
        const size_t add = lp::Encoded(values[i + k]).size();
        if (!Fits(tail_, bytes + add, k + 1)) break;
        bytes += add;
        ++k;
      }
    }
    if (k == 0) {
      PushBack(values[i++]);  // starts a new node (or takes an oversized value)
      continue;
    }
    tail_->data = lp::AppendMany(tail_->data, values + i, k);
    tail_->count = static_cast<uint16_t>(tail_->count + k);
    UpdateSize(tail_);
    count_ += k;
    i += k;
  }
}

void Quicklist::AppendListpack(unsigned char* lp) {
  size_t count = lp::Length(lp);
  if (count == 0) {
    lp::Free(lp);
    return;
  }
  while (count > kMaxNodeEntries) {
    unsigned char* rest = lp::Split(&lp, kMaxNodeEntries);
    LinkBefore(nullptr, NewNode(lp, kMaxNodeEntries));
    count_ += kMaxNodeEntries;
    lp = rest;
    count -= kMaxNodeEntries;
  }
  LinkBefore(nullptr, NewNode(lp, count));
  count_ += count;
  FixEnds(1);
}

size_t Quicklist::PopFront(size_t n, FunctionRef<void(std::string_view)> fn) {
  return PopEnd(/*front=*/true, n, fn);
}

size_t Quicklist::PopBack(size_t n, FunctionRef<void(std::string_view)> fn) {
  return PopEnd(/*front=*/false, n, fn);
}

size_t Quicklist::PopEnd(bool front, size_t n, FunctionRef<void(std::string_view)> fn) {
  size_t done = 0;
  bool removed = false;
  char buf[lp::kIntBufSize];
  while (done < n && (front ? head_ : tail_) != nullptr) {
    Node* node = front ? head_ : tail_;
    // After a whole node went, the next one may still be compressed until
    // FixEnds runs; it is becoming an end node, so it stays raw.
    Decompress(node);
    size_t k = std::min<size_t>(n - done, node->count);
    const unsigned char* p = front ? lp::First(node->data) : lp::Last(node->data);
    for (size_t i = 0; i < k; ++i) {
      fn(lp::GetView(p, buf));
      p = front ? lp::Next(node->data, p) : lp::Prev(node->data, p);
    }
    if (k == node->count) {
      RemoveNode(node);
      removed = true;
    } else {
      int64_t first = front ? 0 : static_cast<int64_t>(node->count - k);
      node->data = lp::DeleteRange(node->data, first, k);
      node->count = static_cast<uint16_t>(node->count - k);
      UpdateSize(node);
      count_ -= k;
    }
    done += k;
  }
  if (removed) FixEnds();
  return done;
}

// --- By index ------------------------------------------------------------------

bool Quicklist::Index(size_t index, FunctionRef<void(std::string_view)> fn) const {
  size_t local;
  Node* n = Locate(index, &local);
  if (n == nullptr) return false;
  Buffer raw;
  const unsigned char* lp = n->data;
  if (n->compressed) {
    raw.reset(Alloc(n->sz));
    DecompressTo(n, raw.get());
    lp = raw.get();
  }
  char buf[lp::kIntBufSize];
  fn(lp::GetView(lp::Seek(lp, static_cast<int64_t>(local)), buf));
  return true;
}

void Quicklist::Replace(size_t index, std::string_view v) {
  size_t local;
  Node* n = Locate(index, &local);
  if (n == nullptr) return;
  EnsureRaw(n);
  unsigned char* p = lp::Seek(n->data, static_cast<int64_t>(local));
  n->data = lp::Replace(n->data, &p, lp::Encoded(v));
  UpdateSize(n);
  if (n->count == 1 || Fits(n, 0, 0)) {
    AfterChange(n);
    return;
  }
  // The node outgrew its limit: give the new element a node of its own, then
  // let the pieces merge back where they fit.
  Node* first = n;
  Node* last = n;
  size_t added = 0;
  if (local + 1 < n->count) {
    last = SplitNode(n, local + 1);
    ++added;
  }
  if (local > 0) {
    SplitNode(n, local);
    ++added;
  }
  MergeRegion(first, last);
  FixEnds(added);
}

void Quicklist::Insert(size_t index, std::string_view v) {
  if (index >= count_) return PushBack(v);
  if (index == 0) return PushFront(v);
  size_t local;
  Node* n = Locate(index, &local);
  EnsureRaw(n);
  InsertAt(n, lp::Seek(n->data, static_cast<int64_t>(local)), lp::Encoded(v), /*after=*/false);
}

void Quicklist::InsertAt(Node* n, unsigned char* p, const lp::Encoded& e, bool after) {
  ++count_;
  const lp::Where where = after ? lp::Where::kAfter : lp::Where::kBefore;
  if (Fits(n, e.size(), 1)) {
    n->data = lp::Insert(n->data, p, e, where);
    ++n->count;
    UpdateSize(n);
    AfterChange(n);
    return;
  }
  const bool at_tail = after && lp::Next(n->data, p) == nullptr;
  const bool at_head = !after && p == lp::First(n->data);
  if (at_tail || at_head) {
    AfterChange(n);  // n itself is unchanged
    Node* nb = at_tail ? n->next : n->prev;
    if (nb != nullptr && Fits(nb, e.size(), 1)) {
      EnsureRaw(nb);
      unsigned char* at = at_tail ? nb->data + lp::kHeaderSize : nullptr;
      nb->data = lp::Insert(nb->data, at, e, lp::Where::kBefore);
      ++nb->count;
      UpdateSize(nb);
      AfterChange(nb);
      return;
    }
    Node* fresh = NewNode(lp::NewWith(e), 1);
    if (at_tail) {
      LinkAfter(n, fresh);
    } else {
      LinkBefore(n, fresh);
    }
    SettleAt(fresh);
    FixEnds(1);
    return;
  }
  // Full node, insertion strictly inside: split at the insertion point.
  size_t idx = 0;
  for (const unsigned char* q = lp::First(n->data); q != p; q = lp::Next(n->data, q)) ++idx;
  Node* right = SplitNode(n, after ? idx + 1 : idx);
  size_t added = 1;
  if (Fits(n, e.size(), 1)) {
    n->data = lp::Insert(n->data, nullptr, e, lp::Where::kBefore);
    ++n->count;
    UpdateSize(n);
  } else if (Fits(right, e.size(), 1)) {
    right->data = lp::Insert(right->data, right->data + lp::kHeaderSize, e, lp::Where::kBefore);
    ++right->count;
    UpdateSize(right);
  } else {
    Node* fresh = NewNode(lp::NewWith(e), 1);
    fresh->recompress = n->recompress;
    LinkAfter(n, fresh);
    ++added;
  }
  MergeRegion(n, right);
  FixEnds(added);
}

void Quicklist::DeleteRange(size_t index, size_t n) {
  if (n == 0 || index >= count_) return;
  n = std::min(n, count_ - index);
  size_t local;
  Node* node = Locate(index, &local);
  Node* first_partial = nullptr;
  Node* last_partial = nullptr;
  while (n > 0) {
    Node* next = node->next;
    size_t del = std::min<size_t>(n, node->count - local);
    if (del == node->count) {
      RemoveNode(node);
    } else {
      EnsureRaw(node);
      node->data = lp::DeleteRange(node->data, static_cast<int64_t>(local), del);
      node->count = static_cast<uint16_t>(node->count - del);
      UpdateSize(node);
      count_ -= del;
      if (first_partial == nullptr) first_partial = node;
      last_partial = node;
    }
    n -= del;
    local = 0;
    node = next;
  }
  if (first_partial != nullptr) MergeRegion(first_partial, last_partial);
  FixEnds();
}

// --- Reading -------------------------------------------------------------------

void Quicklist::ForEach(size_t start, bool forward,
                        FunctionRef<bool(const unsigned char*)> fn) const {
  size_t local;
  Node* n = Locate(start, &local);
  Buffer scratch;
  size_t cap = 0;
  bool first = true;
  while (n != nullptr) {
    const unsigned char* lp = n->data;
    if (n->compressed) {
      if (cap < n->sz) {
        scratch.reset(Alloc(n->sz));
        cap = n->sz;
      }
      DecompressTo(n, scratch.get());
      lp = scratch.get();
    }
    const unsigned char* p;
    if (first) {
      p = lp::Seek(lp, static_cast<int64_t>(local));
      first = false;
    } else {
      p = forward ? lp::First(lp) : lp::Last(lp);
    }
    while (p != nullptr) {
      if (!fn(p)) return;
      p = forward ? lp::Next(lp, p) : lp::Prev(lp, p);
    }
    n = forward ? n->next : n->prev;
  }
}

size_t Quicklist::MemoryUsage() const {
  size_t total = 0;
  for (const Node* n = head_; n != nullptr; n = n->next) {
    total += malloc_usable_size(const_cast<Node*>(n)) + malloc_usable_size(n->data);
  }
  return total;
}

bool Quicklist::CheckInvariants(bool check_limits) const {
  if ((head_ == nullptr) != (tail_ == nullptr)) return false;
  if (head_ != nullptr && (head_->prev != nullptr || tail_->next != nullptr)) return false;
  size_t nodes = 0, count = 0;
  for (const Node* n = head_; n != nullptr; n = n->next, ++nodes) {
    if (n->next != nullptr && n->next->prev != n) return false;
    if (n->count == 0 || n->recompress) return false;
    Buffer raw;
    const unsigned char* lp = n->data;
    if (n->compressed) {
      raw.reset(Alloc(n->sz));
      if (lzf_decompress(n->lzf_data(), n->lzf_len(), raw.get(), n->sz) != n->sz) return false;
      lp = raw.get();
    }
    size_t entries = 0;
    if (!lp::Validate(lp, n->sz, &entries) || entries != n->count) return false;
    if (check_limits && n->count > 1 && !Fits(n, 0, 0)) return false;
    bool inner = depth_ > 0 && nodes >= depth_ && nodes + depth_ < len_;
    if (!inner && (n->compressed || n->incompressible)) return false;
    if (inner && !n->compressed && !n->incompressible) return false;
    count += n->count;
  }
  return nodes == len_ && count == count_;
}

// --- Iterator ------------------------------------------------------------------

Quicklist::Iterator::Iterator(Quicklist* ql, size_t start, bool forward)
    : ql_(ql), forward_(forward) {
  size_t local;
  Node* n = ql->Locate(start, &local);
  if (n == nullptr) return;
  anchor_ = forward ? n->prev : n->next;
  Enter(n, true);
  p_ = lp::Seek(lp_, static_cast<int64_t>(local));
}

Quicklist::Iterator::~Iterator() {
  Leave();
  if (!dirty_ || ql_->head_ == nullptr) return;
  Node* first;
  Node* last;
  if (forward_) {
    first = anchor_ != nullptr ? anchor_ : ql_->head_;
    last = node_ != nullptr ? node_ : ql_->tail_;
  } else {
    first = node_ != nullptr ? node_ : ql_->head_;
    last = anchor_ != nullptr ? anchor_ : ql_->tail_;
  }
  ql_->MergeRegion(first, last);
  ql_->FixEnds();
}

void Quicklist::Iterator::Enter(Node* n, bool at_front) {
  node_ = n;
  node_changed_ = false;
  if (n == nullptr) {
    lp_ = p_ = nullptr;
    return;
  }
  if (n->compressed) {
    // Read through a private copy; the node is decompressed in place only if
    // this iterator changes it.
    scratch_ = Alloc(n->sz);
    DecompressTo(n, scratch_);
    lp_ = scratch_;
  } else {
    lp_ = n->data;
  }
  p_ = at_front ? lp::First(lp_) : lp::Last(lp_);
}

void Quicklist::Iterator::Leave() {
  if (scratch_ != nullptr) {
    std::free(scratch_);
    scratch_ = nullptr;
  } else if (node_ != nullptr && node_changed_) {
    ql_->AfterChange(node_);
  }
}

void Quicklist::Iterator::Materialize() {
  Node* n = node_;
  if (scratch_ != nullptr) {
    std::free(n->data);
    n->data = scratch_;
    scratch_ = nullptr;
    n->compressed = 0;
    n->recompress = 1;
  } else if (n->incompressible) {
    n->incompressible = 0;
    n->recompress = 1;
  }
  node_changed_ = true;
}

void Quicklist::Iterator::Next() {
  p_ = forward_ ? lp::Next(lp_, p_) : lp::Prev(lp_, p_);
  if (p_ != nullptr) return;
  Node* next = forward_ ? node_->next : node_->prev;
  Leave();
  Enter(next, forward_);
}

void Quicklist::Iterator::Erase() {
  Materialize();
  dirty_ = true;
  Node* n = node_;
  unsigned char* before = forward_ ? nullptr : lp::Prev(n->data, p_);
  size_t before_off = before != nullptr ? static_cast<size_t>(before - n->data) : 0;
  n->data = lp::DeleteAt(n->data, &p_, 1);
  lp_ = n->data;
  n->count = static_cast<uint16_t>(n->count - 1);
  UpdateSize(n);
  --ql_->count_;
  if (n->count == 0) {
    Node* next = forward_ ? n->next : n->prev;
    ql_->RemoveNode(n);
    Enter(next, forward_);
    return;
  }
  if (forward_ ? p_ != nullptr : before != nullptr) {
    if (!forward_) p_ = n->data + before_off;
    return;
  }
  Node* next = forward_ ? n->next : n->prev;
  Leave();
  Enter(next, forward_);
}

void Quicklist::Iterator::Insert(std::string_view v, bool after) {
  Materialize();
  Node* n = node_;
  unsigned char* p = p_;
  node_ = nullptr;
  lp_ = p_ = nullptr;
  ql_->InsertAt(n, p, lp::Encoded(v), after);
}

}  // namespace duet
