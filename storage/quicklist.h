#pragma once
// Quicklist: a doubly linked list of listpack nodes, the representation of
// every Redis 7.0 list. Each node holds one listpack (storage/listpack.h); the
// RDB format stores a list as exactly these node listpacks.
//
// Node size (list-max-listpack-size, "fill"):
//   fill > 0   at most `fill` entries per node, and at most 8 KB unless the
//              node holds a single entry;
//   fill -1..-5  at most 4/8/16/32/64 KB of listpack per node.
// A node always accepts its first entry, so a huge element gets a node of
// its own. fill is clamped to [-5, 32767] as Redis clamps it.
//
// Compression (list-compress-depth, "depth"): the `depth` nodes at each end
// stay raw; every inner node is kept LZF-compressed when that saves at least
// 8 bytes. Invariant between public calls: a node is compressed iff it is
// inner and compressible (an inner node whose last attempt failed is marked
// and retried only after it changes).
//
// Fragmentation: after deletions inside the list (DeleteRange, Iterator::Erase)
// adjacent nodes are merged when together they fill at most 3/4 of a node; the
// slack keeps a merge from being undone by the very next insert.
//
// Complexity: push/pop at either end O(1) (plus O(node) byte moves inside a
// listpack, as in Redis); access by index walks nodes from the nearer end.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/function_ref.h"
#include "storage/listpack.h"

namespace duet {

struct QuicklistNode {
  QuicklistNode* prev;
  QuicklistNode* next;
  // Raw listpack, or when `compressed`: [u32 LZF length][LZF bytes], which
  // decompress to `sz` bytes (the form RDB writes for compressed nodes).
  unsigned char* data;
  uint32_t sz;     // bytes of the raw listpack
  uint16_t count;  // entries in the listpack
  uint8_t compressed : 1;
  uint8_t recompress : 1;      // inner node made raw for a moment
  uint8_t incompressible : 1;  // inner node LZF could not shrink; retry after a change

  // REQUIRES: compressed.
  uint32_t lzf_len() const {
    return uint32_t{data[0]} | uint32_t{data[1]} << 8 | uint32_t{data[2]} << 16 |
           uint32_t{data[3]} << 24;
  }
  const unsigned char* lzf_data() const { return data + 4; }
};
static_assert(sizeof(QuicklistNode) == 32, "node header is part of the memory budget");

class Quicklist {
 public:
  using Node = QuicklistNode;
  static constexpr int kMinFill = -5;
  static constexpr int kMaxFill = 32767;
  static constexpr int kMaxDepth = 65535;

  Quicklist(int64_t fill, int64_t compress_depth);
  ~Quicklist();
  Quicklist(const Quicklist&) = delete;
  Quicklist& operator=(const Quicklist&) = delete;
  Quicklist(Quicklist&& o) noexcept;
  Quicklist& operator=(Quicklist&& o) noexcept;

  // A deep copy with the same options.
  Quicklist Clone() const;

  size_t Count() const { return count_; }
  size_t NodeCount() const { return len_; }
  int fill() const { return fill_; }
  int compress_depth() const { return depth_; }
  const Node* head() const { return head_; }
  const Node* tail() const { return tail_; }

  void PushFront(std::string_view v);
  void PushBack(std::string_view v);
  // The same for n values in order (RPUSH): each node takes as many as fit
  // with one resize of its listpack.
  void PushBack(const std::string_view* values, size_t n);
  // Appends a whole listpack as a new tail node (RDB loading). Takes
  // ownership. REQUIRES: lp is valid; empty listpacks are freed and ignored.
  void AppendListpack(unsigned char* lp);

  // Passes up to n elements from the front (back) to fn, then removes them.
  // fn must not touch the list. Returns how many were popped.
  size_t PopFront(size_t n, FunctionRef<void(std::string_view)> fn);
  size_t PopBack(size_t n, FunctionRef<void(std::string_view)> fn);

  // Calls fn with the element at index (0 <= index < Count()) and returns
  // true, or returns false when out of range.
  bool Index(size_t index, FunctionRef<void(std::string_view)> fn) const;
  // Replaces the element at index. REQUIRES: index < Count().
  void Replace(size_t index, std::string_view v);
  // Inserts so that the new element ends up at `index` (0..Count()).
  void Insert(size_t index, std::string_view v);
  // Deletes up to n elements starting at index.
  void DeleteRange(size_t index, size_t n);

  // Visits entries from index `start` (REQUIRES: start < Count()) towards the
  // tail (forward) or the head. fn gets a listpack entry (read it with
  // lp::Get / lp::Needle) and returns false to stop. Compressed nodes are
  // read through a scratch buffer; the list is not modified.
  void ForEach(size_t start, bool forward, FunctionRef<bool(const unsigned char*)> fn) const;

  // Heap bytes owned by the list (headers, nodes, listpacks).
  size_t MemoryUsage() const;

  // Checks every structural invariant (links, counts, sizes, compression
  // state, listpack integrity). For tests and DEBUG; O(n).
  // check_limits: also require every multi-entry node to respect `fill`
  // (a list loaded from an RDB written under other settings may not).
  bool CheckInvariants(bool check_limits = true) const;

  // A cursor that may delete the entry it stands on and keep going (LREM),
  // or insert next to it (LINSERT). While an Iterator exists, change the list
  // only through it. Merges and compression are settled when it is destroyed.
  class Iterator {
   public:
    // Starts at index `start`; out of range gives a Done() iterator.
    Iterator(Quicklist* ql, size_t start, bool forward);
    ~Iterator();
    Iterator(const Iterator&) = delete;
    Iterator& operator=(const Iterator&) = delete;

    bool Done() const { return node_ == nullptr; }
    // REQUIRES: !Done(). Valid until the iterator moves or changes the list.
    const unsigned char* entry() const { return p_; }
    void Next();
    // Deletes the current entry and moves to the following one in the
    // iteration direction.
    void Erase();
    // Inserts v before or after the current entry; the iterator is Done()
    // afterwards. REQUIRES: no Erase() happened on this iterator.
    void Insert(std::string_view v, bool after);

   private:
    void Enter(Node* n, bool at_front);
    void Leave();
    void Materialize();

    Quicklist* ql_;
    Node* node_ = nullptr;
    unsigned char* lp_ = nullptr;       // the raw listpack being read
    unsigned char* p_ = nullptr;        // current entry inside lp_
    unsigned char* scratch_ = nullptr;  // owned decompressed copy of a compressed node
    Node* anchor_ = nullptr;            // untouched neighbour behind the start node
    bool forward_;
    bool node_changed_ = false;
    bool dirty_ = false;
  };

 private:
  // PopFront / PopBack: up to n entries from one end, in pop order.
  size_t PopEnd(bool front, size_t n, FunctionRef<void(std::string_view)> fn);
  friend class Iterator;

  void FreeAll();
  bool Fits(const Node* n, size_t add_bytes, size_t add_count) const;
  bool CanMerge(const Node* a, const Node* b) const;
  Node* Locate(size_t index, size_t* local) const;

  Node* NewNode(unsigned char* lp, size_t count);
  void LinkAfter(Node* pos, Node* n);   // pos == nullptr: new head
  void LinkBefore(Node* pos, Node* n);  // pos == nullptr: new tail
  void RemoveNode(Node* n);             // unlinks and frees
  Node* SplitNode(Node* n, size_t index);
  Node* MergeNodes(Node* a, Node* b);  // b == a->next; returns the survivor
  void MergeRegion(Node* first, Node* last);
  void InsertAt(Node* n, unsigned char* p, const lp::Encoded& e, bool after);

  static void UpdateSize(Node* n) { n->sz = lp::Bytes(n->data); }
  // Makes an inner node raw in place for a change (remembers to recompress).
  void EnsureRaw(Node* n);
  // Re-settles a node after a change: compress again if it is inner.
  void AfterChange(Node* n);
  bool Compress(Node* n);
  static void Decompress(Node* n);
  // Position-aware: compress n if inner, make it raw otherwise.
  void SettleAt(Node* n);
  // Restores the compression invariant near both ends after nodes were
  // added (`added` of them, near one end) or removed.
  void FixEnds(size_t added = 0);

  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  uint64_t count_ = 0;  // elements
  uint32_t len_ = 0;    // nodes
  int16_t fill_;
  uint16_t depth_;
};

}  // namespace duet
