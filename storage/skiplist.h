#pragma once
// ZSkipList: the ordered half of a large sorted set (the other half is the
// member -> node index, a Dict that reuses these very nodes).
//
// Order: by score, then by member bytes (unsigned, shorter first on a common
// prefix). Scores may repeat; members may not (the caller's index guarantees
// it). Each node has 1..kMaxLevel levels, drawn with probability 1/4 per extra
// level. A node's level entry i holds the next node at that level and the
// span: how many level-0 steps that link jumps. Spans make rank lookups and
// rank ranges O(log n).
//
// Invariants (CheckInvariants verifies them):
//   * level 0 lists every node in ascending order; backward points to the
//     previous node (null for the first), tail() is the last node;
//   * the list at level i is the sub-sequence of nodes with level > i;
//   * for a link from x to y at level i, span = rank(y) - rank(x); for a
//     null link, span = length() - rank(x) (rank(header) = 0);
//   * level() is 1 + the highest level in use (at least 1).
//
// Node layout (one malloc): [level entries level-1 .. 0][ZSkipNode][u8 level]
// [length prefix][member bytes]. The level entries sit *before* the node so
// forward pointers are found without knowing the member length; the node
// begins with the Dict chain pointer so the node is the index entry as well.
//
// Not thread-safe. A node pointer stays valid until the node is deleted, even
// across score updates (UpdateScore relinks the same node).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/function_ref.h"
#include "storage/length_prefix.h"
#include "storage/score_bounds.h"

namespace duet {

struct ZSkipNode {
  struct Level {
    ZSkipNode* forward;
    uint64_t span;
  };

  ZSkipNode* next;  // Dict chain of the member index; not used by the list
  double score;
  ZSkipNode* backward;

  int level() const { return *reinterpret_cast<const uint8_t*>(this + 1); }
  std::string_view member() const {
    return ReadPrefixed(reinterpret_cast<const char*>(this + 1) + 1);
  }
  Level& lvl(int i) {
    return *reinterpret_cast<Level*>(reinterpret_cast<char*>(this) - sizeof(Level) * (i + 1));
  }
  const Level& lvl(int i) const {
    return *reinterpret_cast<const Level*>(reinterpret_cast<const char*>(this) -
                                           sizeof(Level) * (i + 1));
  }
  ZSkipNode* forward(int i) const { return lvl(i).forward; }
};

class ZSkipList {
 public:
  static constexpr int kMaxLevel = 32;

  ZSkipList();
  ~ZSkipList();  // frees every node
  ZSkipList(ZSkipList&& other) noexcept;
  ZSkipList& operator=(ZSkipList&& other) noexcept;
  ZSkipList(const ZSkipList&) = delete;
  ZSkipList& operator=(const ZSkipList&) = delete;

  size_t length() const { return length_; }
  int level() const { return level_; }
  ZSkipNode* first() const { return header_->forward(0); }
  ZSkipNode* tail() const { return tail_; }
  // Heap bytes of all nodes including the header (malloc chunk model).
  size_t NodeBytes() const { return node_bytes_; }

  // REQUIRES: no node holds `member`. Returns the new node.
  ZSkipNode* Insert(double score, std::string_view member);
  // Moves `node` to `new_score`, keeping the same node (the index stays valid).
  // REQUIRES: node is in this list.
  void UpdateScore(ZSkipNode* node, double new_score);
  // Unlinks and frees `node`. REQUIRES: node is in this list.
  void Delete(ZSkipNode* node);

  // 1-based rank of (score, member), or 0 if absent.
  uint64_t Rank(double score, std::string_view member) const;
  // Node at 1-based `rank`, or null if out of range.
  ZSkipNode* ByRank(uint64_t rank) const;

  // First / last node inside the range, or null; *rank (if given) receives
  // its 1-based rank.
  ZSkipNode* FirstInRange(const ScoreRange& range, uint64_t* rank = nullptr) const;
  ZSkipNode* LastInRange(const ScoreRange& range, uint64_t* rank = nullptr) const;
  ZSkipNode* FirstInLexRange(const LexRange& range, uint64_t* rank = nullptr) const;
  ZSkipNode* LastInLexRange(const LexRange& range, uint64_t* rank = nullptr) const;

  // Delete every node in the range. `on_delete` runs for each node after it is
  // unlinked and before it is freed (to drop it from the index). Return the
  // number deleted. Ranks are 1-based and inclusive.
  using NodeFn = FunctionRef<void(ZSkipNode*)>;
  uint64_t DeleteRangeByScore(const ScoreRange& range, NodeFn on_delete);
  uint64_t DeleteRangeByLex(const LexRange& range, NodeFn on_delete);
  uint64_t DeleteRangeByRank(uint64_t start, uint64_t end, NodeFn on_delete);

  // Empties the list, freeing every node.
  void Clear();

  // Verifies every invariant above; on failure describes it in *why.
  bool CheckInvariants(std::string* why) const;

 private:
  static ZSkipNode* NewNode(int level, double score, std::string_view member);
  static size_t NodeAllocBytes(int level, size_t member_len);
  void FreeNode(ZSkipNode* node);
  static int RandomLevel();

  // Links `x` (already carrying its score/member/level) at its sorted place.
  void Link(ZSkipNode* x);
  // Unlinks `x`; update[i] is the last node before x at level i.
  void Unlink(ZSkipNode* x, ZSkipNode** update);
  // Fills update[] with the predecessors of `x` at every level.
  void FindPredecessors(const ZSkipNode* x, ZSkipNode** update) const;
  template <typename Pred>
  uint64_t DeleteWhile(ZSkipNode** update, ZSkipNode* x, Pred in_range, NodeFn on_delete);

  bool InScoreRange(const ScoreRange& range) const;
  bool InLexRange(const LexRange& range) const;

  ZSkipNode* header_;
  ZSkipNode* tail_ = nullptr;
  size_t length_ = 0;
  size_t node_bytes_ = 0;
  int level_ = 1;
};

}  // namespace duet
