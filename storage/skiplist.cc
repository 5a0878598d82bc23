#include "storage/skiplist.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>
#include <utility>

#include "storage/malloc_size.h"
#include "storage/random.h"

namespace duet {
namespace {

// True if node `n` sorts strictly before (score, member).
inline bool Before(const ZSkipNode* n, double score, std::string_view member) {
  return n->score < score || (n->score == score && n->member() < member);
}

}  // namespace

size_t ZSkipList::NodeAllocBytes(int level, size_t member_len) {
  return sizeof(ZSkipNode::Level) * level + sizeof(ZSkipNode) + 1 + LengthPrefixBytes(member_len) +
         member_len;
}

ZSkipNode* ZSkipList::NewNode(int level, double score, std::string_view member) {
  char* base = static_cast<char*>(std::malloc(NodeAllocBytes(level, member.size())));
  if (base == nullptr) std::abort();  // out of memory, as the listpack does
  auto* n = reinterpret_cast<ZSkipNode*>(base + sizeof(ZSkipNode::Level) * level);
  n->next = nullptr;
  n->score = score;
  n->backward = nullptr;
  char* tail = reinterpret_cast<char*>(n + 1);
  tail[0] = static_cast<char>(level);
  WritePrefixed(tail + 1, member);
  for (int i = 0; i < level; ++i) n->lvl(i) = {nullptr, 0};
  return n;
}

void ZSkipList::FreeNode(ZSkipNode* n) {
  const int level = n->level();
  node_bytes_ -= MallocChunkBytes(NodeAllocBytes(level, n->member().size()));
  std::free(reinterpret_cast<char*>(n) - sizeof(ZSkipNode::Level) * level);
}

int ZSkipList::RandomLevel() {
  // Two random bits per extra level: each level is kept with probability 1/4.
  // 64 bits cover exactly the 31 possible promotions.
  uint64_t r = RandomU64();
  int level = 1;
  while ((r & 3) == 0 && level < kMaxLevel) {
    ++level;
    r >>= 2;
  }
  return level;
}

ZSkipList::ZSkipList() : header_(NewNode(kMaxLevel, 0, {})) {
  node_bytes_ = MallocChunkBytes(NodeAllocBytes(kMaxLevel, 0));
}

ZSkipList::~ZSkipList() {
  if (header_ == nullptr) return;  // moved from
  Clear();
  FreeNode(header_);
}

ZSkipList::ZSkipList(ZSkipList&& other) noexcept
    : header_(std::exchange(other.header_, nullptr)),
      tail_(std::exchange(other.tail_, nullptr)),
      length_(std::exchange(other.length_, 0)),
      node_bytes_(std::exchange(other.node_bytes_, 0)),
      level_(std::exchange(other.level_, 1)) {}

ZSkipList& ZSkipList::operator=(ZSkipList&& other) noexcept {
  if (this != &other) {
    this->~ZSkipList();
    new (this) ZSkipList(std::move(other));
  }
  return *this;
}

void ZSkipList::Clear() {
  ZSkipNode* x = header_->forward(0);
  while (x != nullptr) {
    ZSkipNode* next = x->forward(0);
    FreeNode(x);
    x = next;
  }
  for (int i = 0; i < kMaxLevel; ++i) header_->lvl(i) = {nullptr, 0};
  tail_ = nullptr;
  length_ = 0;
  level_ = 1;
}

void ZSkipList::Link(ZSkipNode* x) {
  ZSkipNode* update[kMaxLevel];
  uint64_t rank[kMaxLevel];
  const double score = x->score;
  const std::string_view member = x->member();
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    for (ZSkipNode* f = p->forward(i); f != nullptr && Before(f, score, member);
         f = p->forward(i)) {
      rank[i] += p->lvl(i).span;
      p = f;
    }
    update[i] = p;
  }
  const int level = x->level();
  if (level > level_) {
    for (int i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = header_;
      header_->lvl(i).span = length_;  // a null link spans to the end
    }
    level_ = level;
  }
  for (int i = 0; i < level; ++i) {
    ZSkipNode::Level& u = update[i]->lvl(i);
    const uint64_t before = rank[0] - rank[i];  // level-0 steps from update[i] to x's predecessor
    x->lvl(i) = {u.forward, u.span - before};
    u.forward = x;
    u.span = before + 1;
  }
  for (int i = level; i < level_; ++i) ++update[i]->lvl(i).span;
  x->backward = update[0] == header_ ? nullptr : update[0];
  if (ZSkipNode* f = x->forward(0)) {
    f->backward = x;
  } else {
    tail_ = x;
  }
  ++length_;
}

ZSkipNode* ZSkipList::Insert(double score, std::string_view member) {
  const int level = RandomLevel();
  ZSkipNode* x = NewNode(level, score, member);
  node_bytes_ += MallocChunkBytes(NodeAllocBytes(level, member.size()));
  Link(x);
  return x;
}

void ZSkipList::FindPredecessors(const ZSkipNode* x, ZSkipNode** update) const {
  const double score = x->score;
  const std::string_view member = x->member();
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    for (ZSkipNode* f = p->forward(i); f != nullptr && f != x && Before(f, score, member);
         f = p->forward(i)) {
      p = f;
    }
    update[i] = p;
  }
}

void ZSkipList::Unlink(ZSkipNode* x, ZSkipNode** update) {
  for (int i = 0; i < level_; ++i) {
    ZSkipNode::Level& u = update[i]->lvl(i);
    if (u.forward == x) {
      u.span += x->lvl(i).span - 1;
      u.forward = x->lvl(i).forward;
    } else {
      --u.span;
    }
  }
  if (ZSkipNode* f = x->forward(0)) {
    f->backward = x->backward;
  } else {
    tail_ = x->backward;
  }
  while (level_ > 1 && header_->forward(level_ - 1) == nullptr) --level_;
  --length_;
}

void ZSkipList::Delete(ZSkipNode* node) {
  ZSkipNode* update[kMaxLevel];
  FindPredecessors(node, update);
  Unlink(node, update);
  FreeNode(node);
}

void ZSkipList::UpdateScore(ZSkipNode* node, double new_score) {
  const std::string_view member = node->member();
  const ZSkipNode* prev = node->backward;
  const ZSkipNode* next = node->forward(0);
  // Still between its neighbours: no relinking needed.
  if ((prev == nullptr || Before(prev, new_score, member)) &&
      (next == nullptr || !Before(next, new_score, member))) {
    node->score = new_score;
    return;
  }
  ZSkipNode* update[kMaxLevel];
  FindPredecessors(node, update);
  Unlink(node, update);
  node->score = new_score;
  // Re-link the same node at its old height: heights are independent of
  // position, so the list stays as balanced as with a fresh draw.
  for (int i = 0; i < node->level(); ++i) node->lvl(i) = {nullptr, 0};
  Link(node);
}

uint64_t ZSkipList::Rank(double score, std::string_view member) const {
  uint64_t rank = 0;
  const ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    for (const ZSkipNode* f = p->forward(i);
         f != nullptr && (f->score < score || (f->score == score && f->member() <= member));
         f = p->forward(i)) {
      rank += p->lvl(i).span;
      p = f;
    }
    if (p != header_ && p->score == score && p->member() == member) return rank;
  }
  return 0;
}

ZSkipNode* ZSkipList::ByRank(uint64_t rank) const {
  if (rank == 0 || rank > length_) return nullptr;
  uint64_t traversed = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && traversed + p->lvl(i).span <= rank) {
      traversed += p->lvl(i).span;
      p = p->forward(i);
    }
    if (traversed == rank) return p;
  }
  return nullptr;
}

bool ZSkipList::InScoreRange(const ScoreRange& range) const {
  if (range.Empty() || length_ == 0) return false;
  return range.AboveMin(tail_->score) && range.BelowMax(first()->score);
}

bool ZSkipList::InLexRange(const LexRange& range) const {
  if (range.Empty() || length_ == 0) return false;
  return range.AboveMin(tail_->member()) && range.BelowMax(first()->member());
}

ZSkipNode* ZSkipList::FirstInRange(const ScoreRange& range, uint64_t* rank) const {
  if (!InScoreRange(range)) return nullptr;
  uint64_t r = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && !range.AboveMin(p->forward(i)->score)) {
      r += p->lvl(i).span;
      p = p->forward(i);
    }
  }
  p = p->forward(0);  // non-null: the tail is above min
  if (!range.BelowMax(p->score)) return nullptr;
  if (rank != nullptr) *rank = r + 1;
  return p;
}

ZSkipNode* ZSkipList::LastInRange(const ScoreRange& range, uint64_t* rank) const {
  if (!InScoreRange(range)) return nullptr;
  uint64_t r = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && range.BelowMax(p->forward(i)->score)) {
      r += p->lvl(i).span;
      p = p->forward(i);
    }
  }
  // p is non-header: the first node is below max.
  if (!range.AboveMin(p->score)) return nullptr;
  if (rank != nullptr) *rank = r;
  return p;
}

ZSkipNode* ZSkipList::FirstInLexRange(const LexRange& range, uint64_t* rank) const {
  if (!InLexRange(range)) return nullptr;
  uint64_t r = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && !range.AboveMin(p->forward(i)->member())) {
      r += p->lvl(i).span;
      p = p->forward(i);
    }
  }
  p = p->forward(0);
  if (!range.BelowMax(p->member())) return nullptr;
  if (rank != nullptr) *rank = r + 1;
  return p;
}

ZSkipNode* ZSkipList::LastInLexRange(const LexRange& range, uint64_t* rank) const {
  if (!InLexRange(range)) return nullptr;
  uint64_t r = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && range.BelowMax(p->forward(i)->member())) {
      r += p->lvl(i).span;
      p = p->forward(i);
    }
  }
  if (!range.AboveMin(p->member())) return nullptr;
  if (rank != nullptr) *rank = r;
  return p;
}

template <typename Pred>
uint64_t ZSkipList::DeleteWhile(ZSkipNode** update, ZSkipNode* x, Pred in_range, NodeFn on_delete) {
  // Deleting x leaves update[] the predecessors of the node after x, so the
  // same array serves the whole run.
  uint64_t removed = 0;
  while (x != nullptr && in_range(x)) {
    ZSkipNode* next = x->forward(0);
    Unlink(x, update);
    on_delete(x);
    FreeNode(x);
    ++removed;
    x = next;
  }
  return removed;
}

uint64_t ZSkipList::DeleteRangeByScore(const ScoreRange& range, NodeFn on_delete) {
  if (range.Empty()) return 0;
  ZSkipNode* update[kMaxLevel];
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && !range.AboveMin(p->forward(i)->score)) p = p->forward(i);
    update[i] = p;
  }
  return DeleteWhile(
      update, p->forward(0), [&](const ZSkipNode* x) { return range.BelowMax(x->score); },
      on_delete);
}

uint64_t ZSkipList::DeleteRangeByLex(const LexRange& range, NodeFn on_delete) {
  if (range.Empty()) return 0;
  ZSkipNode* update[kMaxLevel];
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && !range.AboveMin(p->forward(i)->member())) {
      p = p->forward(i);
    }
    update[i] = p;
  }
  return DeleteWhile(
      update, p->forward(0), [&](const ZSkipNode* x) { return range.BelowMax(x->member()); },
      on_delete);
}

uint64_t ZSkipList::DeleteRangeByRank(uint64_t start, uint64_t end, NodeFn on_delete) {
  if (start == 0 || start > end) return 0;
  ZSkipNode* update[kMaxLevel];
  uint64_t traversed = 0;
  ZSkipNode* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->forward(i) != nullptr && traversed + p->lvl(i).span < start) {
      traversed += p->lvl(i).span;
      p = p->forward(i);
    }
    update[i] = p;
  }
  uint64_t rank = traversed + 1;
  return DeleteWhile(
      update, p->forward(0), [&](const ZSkipNode*) { return rank++ <= end; }, on_delete);
}

bool ZSkipList::CheckInvariants(std::string* why) const {
  auto fail = [&](std::string msg) {
    if (why != nullptr) *why = std::move(msg);
    return false;
  };
  std::unordered_map<const ZSkipNode*, uint64_t> rank_of;
  rank_of[header_] = 0;
  size_t count = 0, bytes = MallocChunkBytes(NodeAllocBytes(kMaxLevel, 0));
  const ZSkipNode* prev = nullptr;
  for (const ZSkipNode* x = header_->forward(0); x != nullptr; x = x->forward(0)) {
    ++count;
    rank_of[x] = count;
    bytes += MallocChunkBytes(NodeAllocBytes(x->level(), x->member().size()));
    if (x->backward != prev) return fail("backward pointer of rank " + std::to_string(count));
    if (prev != nullptr && !Before(prev, x->score, x->member())) {
      return fail("order broken at rank " + std::to_string(count));
    }
    if (x->level() < 1 || x->level() > level_) {
      return fail("node level out of range at rank " + std::to_string(count));
    }
    prev = x;
  }
  if (count != length_) return fail("length mismatch");
  if (tail_ != prev) return fail("tail mismatch");
  if (bytes != node_bytes_) return fail("node byte count mismatch");
  if (level_ < 1 || level_ > kMaxLevel) return fail("list level out of range");
  if (level_ > 1 && header_->forward(level_ - 1) == nullptr) return fail("empty top level");
  for (int i = level_; i < kMaxLevel; ++i) {
    if (header_->forward(i) != nullptr) return fail("link above list level");
  }
  for (int i = 0; i < level_; ++i) {
    // Level i must be exactly the level-0 nodes taller than i, with exact spans.
    const ZSkipNode* expect = header_->forward(0);
    while (expect != nullptr && expect->level() <= i) expect = expect->forward(0);
    const ZSkipNode* x = header_;
    while (true) {
      const ZSkipNode* f = x->forward(i);
      if (f != expect) return fail("level " + std::to_string(i) + " skips or adds a node");
      const uint64_t want = (f != nullptr ? rank_of[f] : length_) - rank_of[x];
      if (x->lvl(i).span != want) {
        return fail("span at level " + std::to_string(i) + " rank " + std::to_string(rank_of[x]) +
                    " is " + std::to_string(x->lvl(i).span) + ", want " + std::to_string(want));
      }
      if (f == nullptr) break;
      x = f;
      expect = expect->forward(0);
      while (expect != nullptr && expect->level() <= i) expect = expect->forward(0);
    }
  }
  return true;
}

}  // namespace duet
