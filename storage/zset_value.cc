#include "storage/zset_value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/malloc_size.h"
#include "storage/random.h"
#include "storage/skiplist.h"
#include "storage/zset_listpack.h"

namespace duet {
namespace {

struct ZIndexTraits {
  using Node = ZSkipNode;
  static std::string_view KeyOf(const ZSkipNode* n) { return n->member(); }
};

// Redis's clamping of ZRANGE-style rank arguments. False when empty.
bool NormalizeRanks(int64_t start, int64_t stop, size_t size, uint64_t* first, uint64_t* last) {
  const auto len = static_cast<int64_t>(size);
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start > stop || start >= len) return false;
  if (stop >= len) stop = len - 1;
  *first = static_cast<uint64_t>(start);
  *last = static_cast<uint64_t>(stop);
  return true;
}

size_t ClampLimit(int64_t v) { return v < 0 ? 0 : static_cast<size_t>(v); }

}  // namespace

struct ZSetValue::Big {
  ZSkipList zsl;
  Dict<ZIndexTraits> index;

  ZSkipNode* Insert(std::string_view member, double score, uint64_t hash) {
    ZSkipNode* n = zsl.Insert(score, member);
    index.Insert(n, hash);
    return n;
  }
  void Erase(ZSkipNode* n) {
    index.Unlink(n->member());
    zsl.Delete(n);
  }
};

// A position in either encoding, walkable in both directions.
class ZSetValue::Walker {
 public:
  Walker() = default;
  Walker(const unsigned char* lp, const unsigned char* p) : lp_(lp), p_(p) {}
  explicit Walker(const ZSkipNode* n) : node_(n) {}

  bool valid() const { return lp_ != nullptr ? p_ != nullptr : node_ != nullptr; }
  void Step(bool reverse) {
    if (lp_ != nullptr) {
      p_ = reverse ? zlp::PrevPair(lp_, p_) : zlp::NextPair(lp_, p_);
    } else {
      node_ = reverse ? node_->backward : node_->forward(0);
    }
  }
  std::string_view member() {
    return lp_ != nullptr ? zlp::PairMember(p_, scratch_) : node_->member();
  }
  double score() const { return lp_ != nullptr ? zlp::PairScore(lp_, p_) : node_->score; }
  const unsigned char* pos() const { return p_; }

 private:
  const unsigned char* lp_ = nullptr;
  const unsigned char* p_ = nullptr;
  const ZSkipNode* node_ = nullptr;
  char scratch_[lp::kIntBufSize];
};

namespace {

// Passes entries to fn from w on while `in_range(score, member)` holds, at
// most `limit` of them (limit < 0: no limit).
template <typename Walker, typename InRange>
uint64_t EmitRun(Walker& w, bool reverse, int64_t limit, InRange in_range, ZSetValue::EntryFn fn) {
  uint64_t emitted = 0;
  while (w.valid() && limit != 0) {
    const double score = w.score();
    const std::string_view member = w.member();
    if (!in_range(score, member)) break;
    fn(member, score);
    ++emitted;
    if (limit > 0) --limit;
    w.Step(reverse);
  }
  return emitted;
}

}  // namespace

// --- Construction and encodings ----------------------------------------------------

ZSetValue::ZSetValue() : repr_(reinterpret_cast<uintptr_t>(lp::New())) {}

ZSetValue::~ZSetValue() { Reset(); }

ZSetValue& ZSetValue::operator=(ZSetValue&& other) noexcept {
  if (this != &other) {
    Reset();
    repr_ = other.Take();
  }
  return *this;
}

uintptr_t ZSetValue::Take() {
  if (lp_slot::IsEmbedded(repr_)) OwnLp();
  return std::exchange(repr_, 0);
}

void ZSetValue::Reset() {
  if (IsListpack()) {
    lp_slot::Release(repr_);
  } else {
    delete big();
  }
  repr_ = 0;
}

ZSetValue ZSetValue::Clone() const {
  ZSetValue copy;
  if (IsListpack()) {
    lp_slot::Release(copy.repr_);
    copy.set_lp(lp::Clone(lp()));
    return copy;
  }
  copy.ConvertToSkiplist();
  for (const ZSkipNode* n = big()->zsl.first(); n != nullptr; n = n->forward(0)) {
    copy.big()->Insert(n->member(), n->score, HashBytes(n->member()));
  }
  return copy;
}

ZSetValue ZSetValue::EmptySkiplist() {
  ZSetValue z;
  z.ConvertToSkiplist();
  return z;
}

ZSetValue ZSetValue::ForNewKey(std::string_view first_member, const CollectionLimits& limits) {
  ZSetValue z;
  if (limits.zset_max_listpack_entries <= 0 ||
      first_member.size() > ClampLimit(limits.zset_max_listpack_value)) {
    z.ConvertToSkiplist();
  }
  return z;
}

ZSetValue ZSetValue::ForSize(size_t size, const CollectionLimits& limits) {
  ZSetValue z;
  if (size > ClampLimit(limits.zset_max_listpack_entries)) z.ConvertToSkiplist();
  return z;
}

std::optional<ZSetValue> ZSetValue::FromListpack(std::string_view blob, bool deep,
                                                 const CollectionLimits& limits) {
  size_t pairs = 0;
  if (!zlp::Validate(blob, deep, &pairs)) return std::nullopt;
  auto* copy = static_cast<unsigned char*>(std::malloc(blob.size()));
  if (copy == nullptr) std::abort();
  std::memcpy(copy, blob.data(), blob.size());
  ZSetValue z;
  lp_slot::Release(z.repr_);
  z.set_lp(copy);
  if (pairs > ClampLimit(limits.zset_max_listpack_entries)) z.ConvertToSkiplist();
  return z;
}

void ZSetValue::ConvertToSkiplist() {
  if (!IsListpack()) return;
  auto fresh = std::make_unique<Big>();
  char scratch[lp::kIntBufSize];
  for (const unsigned char* p = lp::First(lp()); p != nullptr; p = zlp::NextPair(lp(), p)) {
    const std::string_view m = zlp::PairMember(p, scratch);
    fresh->Insert(m, zlp::PairScore(lp(), p), HashBytes(m));
  }
  lp_slot::Release(repr_);
  repr_ = reinterpret_cast<uintptr_t>(fresh.release()) | 1;
}

void ZSetValue::ConvertToListpackIfFits(const CollectionLimits& limits) {
  if (IsListpack() || Size() > ClampLimit(limits.zset_max_listpack_entries)) return;
  const size_t max_value = ClampLimit(limits.zset_max_listpack_value);
  size_t total = 0;
  for (const ZSkipNode* n = big()->zsl.first(); n != nullptr; n = n->forward(0)) {
    if (n->member().size() > max_value) return;
    total += n->member().size();
  }
  if (total > lp::kMaxSafeSize) return;
  unsigned char* lp = lp::New();
  for (const ZSkipNode* n = big()->zsl.first(); n != nullptr; n = n->forward(0)) {
    lp = zlp::Append(lp, n->member(), n->score);
  }
  delete big();
  set_lp(lp);
}

size_t ZSetValue::MaxEntries(const CollectionLimits& limits) const {
  return ClampLimit(limits.zset_max_listpack_entries);
}

std::string_view ZSetValue::ListpackBlob() const {
  return {reinterpret_cast<const char*>(lp()), lp::Bytes(lp())};
}

size_t ZSetValue::Size() const { return IsListpack() ? lp::Length(lp()) / 2 : big()->zsl.length(); }

size_t ZSetValue::MemoryUsage() const {
  if (IsListpack()) {
    // An embedded listpack is counted with the entry that holds it.
    if (lp_slot::IsEmbedded(repr_)) return lp::Bytes(lp());
    return MallocChunkBytes(lp::Bytes(lp()));
  }
  return MallocChunkBytes(sizeof(Big)) + big()->zsl.NodeBytes() + big()->index.MemoryUsage() -
         sizeof(big()->index);
}

// --- Single members ------------------------------------------------------------------

ZSetValue::AddResult ZSetValue::Add(std::string_view member, double score, unsigned flags,
                                    const CollectionLimits& limits) {
  const bool nx = flags & kAddNX, xx = flags & kAddXX, gt = flags & kAddGT, lt = flags & kAddLT;
  const bool incr = flags & kAddIncr;

  // The decision for a member that exists with score `cur`.
  auto decide = [&](double cur, double* out) -> AddOutcome {
    if (nx) return AddOutcome::kNotPerformed;
    double next = score;
    if (incr) {
      next += cur;
      if (std::isnan(next)) return AddOutcome::kNaN;
    }
    if ((lt && next >= cur) || (gt && next <= cur)) return AddOutcome::kNotPerformed;
    *out = next;
    return next == cur ? AddOutcome::kUnchanged : AddOutcome::kUpdated;
  };

  if (IsListpack()) {
    double cur;
    if (const unsigned char* p = zlp::Find(lp(), member, &cur)) {
      double next = cur;
      const AddOutcome o = decide(cur, &next);
      if (o == AddOutcome::kUpdated) {
        unsigned char* own = OwnLp(&p);  // p now points into `own`
        set_lp(zlp::DeletePair(own, p));
        set_lp(zlp::Insert(OwnLp(), member, next));
      }
      return {o, next};
    }
    if (xx) return {AddOutcome::kNotPerformed, 0};
    if (Size() + 1 <= MaxEntries(limits) &&
        member.size() <= ClampLimit(limits.zset_max_listpack_value) &&
        lp::Bytes(lp()) + member.size() <= lp::kMaxSafeSize) {
      set_lp(zlp::Insert(OwnLp(), member, score));
      return {AddOutcome::kAdded, score};
    }
    ConvertToSkiplist();
  }

  const uint64_t hash = HashBytes(member);
  if (ZSkipNode* node = big()->index.Find(member, hash)) {
    double next = node->score;
    const AddOutcome o = decide(node->score, &next);
    if (o == AddOutcome::kUpdated) big()->zsl.UpdateScore(node, next);
    return {o, next};
  }
  if (xx) return {AddOutcome::kNotPerformed, 0};
  big()->Insert(member, score, hash);
  return {AddOutcome::kAdded, score};
}

bool ZSetValue::Remove(std::string_view member) {
  if (IsListpack()) {
    const unsigned char* p = zlp::Find(lp(), member, nullptr);
    if (p == nullptr) return false;
    unsigned char* own = OwnLp(&p);  // p now points into `own`
    set_lp(zlp::DeletePair(own, p));
    return true;
  }
  ZSkipNode* n = big()->index.Unlink(member);
  if (n == nullptr) return false;
  big()->zsl.Delete(n);
  return true;
}

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (IsListpack()) {
    double score;
    if (zlp::Find(lp(), member, &score) == nullptr) return std::nullopt;
    return score;
  }
  const ZSkipNode* n = big()->index.Peek(member);
  if (n == nullptr) return std::nullopt;
  return n->score;
}

std::optional<uint64_t> ZSetValue::Rank(std::string_view member, bool reverse) const {
  const uint64_t size = Size();
  uint64_t rank = 0;  // 0-based from the bottom
  if (IsListpack()) {
    const lp::Needle needle(member);
    const unsigned char* p = lp::First(lp());
    while (p != nullptr && !needle.Matches(p)) {
      p = zlp::NextPair(lp(), p);
      ++rank;
    }
    if (p == nullptr) return std::nullopt;
  } else {
    const ZSkipNode* n = big()->index.Peek(member);
    if (n == nullptr) return std::nullopt;
    rank = big()->zsl.Rank(n->score, member) - 1;
  }
  return reverse ? size - 1 - rank : rank;
}

// --- Locating ranges ---------------------------------------------------------------

ZSetValue::Walker ZSetValue::AtRank(uint64_t rank) const {
  if (IsListpack()) return Walker(lp(), lp::Seek(lp(), static_cast<int64_t>(rank * 2)));
  return Walker(big()->zsl.ByRank(rank + 1));
}

// First entry of the range in walking order (the lowest, or the highest when
// reverse); *rank receives its 0-based rank from the bottom.
ZSetValue::Walker ZSetValue::FirstInScore(const ScoreRange& range, bool reverse,
                                          uint64_t* rank) const {
  if (range.Empty()) return Walker();
  if (!IsListpack()) {
    uint64_t r = 0;
    const ZSkipNode* n =
        reverse ? big()->zsl.LastInRange(range, &r) : big()->zsl.FirstInRange(range, &r);
    *rank = r - 1;
    return Walker(n);
  }
  uint64_t r = 0;
  if (!reverse) {
    const unsigned char* p = lp::First(lp());
    while (p != nullptr && !range.AboveMin(zlp::PairScore(lp(), p))) {
      p = zlp::NextPair(lp(), p);
      ++r;
    }
    if (p == nullptr || !range.BelowMax(zlp::PairScore(lp(), p))) return Walker();
    *rank = r;
    return Walker(lp(), p);
  }
  r = Size();
  const unsigned char* p = zlp::LastPair(lp());
  while (p != nullptr && !range.BelowMax(zlp::PairScore(lp(), p))) {
    p = zlp::PrevPair(lp(), p);
    --r;
  }
  if (p == nullptr || !range.AboveMin(zlp::PairScore(lp(), p))) return Walker();
  *rank = r - 1;
  return Walker(lp(), p);
}

ZSetValue::Walker ZSetValue::FirstInLex(const LexRange& range, bool reverse, uint64_t* rank) const {
  if (range.Empty()) return Walker();
  if (!IsListpack()) {
    uint64_t r = 0;
    const ZSkipNode* n =
        reverse ? big()->zsl.LastInLexRange(range, &r) : big()->zsl.FirstInLexRange(range, &r);
    *rank = r - 1;
    return Walker(n);
  }
  char scratch[lp::kIntBufSize];
  uint64_t r = 0;
  if (!reverse) {
    const unsigned char* p = lp::First(lp());
    while (p != nullptr && !range.AboveMin(zlp::PairMember(p, scratch))) {
      p = zlp::NextPair(lp(), p);
      ++r;
    }
    if (p == nullptr || !range.BelowMax(zlp::PairMember(p, scratch))) return Walker();
    *rank = r;
    return Walker(lp(), p);
  }
  r = Size();
  const unsigned char* p = zlp::LastPair(lp());
  while (p != nullptr && !range.BelowMax(zlp::PairMember(p, scratch))) {
    p = zlp::PrevPair(lp(), p);
    --r;
  }
  if (p == nullptr || !range.AboveMin(zlp::PairMember(p, scratch))) return Walker();
  *rank = r - 1;
  return Walker(lp(), p);
}

// Moves `offset` entries on from w (at 0-based `rank`): a rank jump in a
// skiplist, a walk in a listpack.
ZSetValue::Walker ZSetValue::Skip(Walker w, uint64_t rank, bool reverse, int64_t offset) const {
  if (offset <= 0 || !w.valid()) return w;
  const auto off = static_cast<uint64_t>(offset);
  if (!IsListpack()) {
    if (reverse) return off > rank ? Walker() : AtRank(rank - off);
    return off >= Size() - rank ? Walker() : AtRank(rank + off);
  }
  for (uint64_t i = 0; i < off && w.valid(); ++i) w.Step(reverse);
  return w;
}

// --- Ranges ------------------------------------------------------------------------

uint64_t ZSetValue::RangeByRank(int64_t start, int64_t stop, bool reverse, EntryFn fn) const {
  uint64_t first, last;
  if (!NormalizeRanks(start, stop, Size(), &first, &last)) return 0;
  // In reverse, rank i from the top is rank size-1-i from the bottom.
  Walker w = AtRank(reverse ? Size() - 1 - first : first);
  return EmitRun(
      w, reverse, static_cast<int64_t>(last - first + 1),
      [](double, std::string_view) { return true; }, fn);
}

uint64_t ZSetValue::RangeByScore(const ScoreRange& range, bool reverse, int64_t offset,
                                 int64_t limit, EntryFn fn) const {
  if (offset < 0) return 0;
  uint64_t rank = 0;
  Walker first = FirstInScore(range, reverse, &rank);  // sets rank: call it first
  Walker w = Skip(first, rank, reverse, offset);
  return EmitRun(
      w, reverse, limit, [&](double s, std::string_view) { return range.Contains(s); }, fn);
}

uint64_t ZSetValue::RangeByLex(const LexRange& range, bool reverse, int64_t offset, int64_t limit,
                               EntryFn fn) const {
  if (offset < 0) return 0;
  uint64_t rank = 0;
  Walker first = FirstInLex(range, reverse, &rank);  // sets rank: call it first
  Walker w = Skip(first, rank, reverse, offset);
  return EmitRun(
      w, reverse, limit, [&](double, std::string_view m) { return range.Contains(m); }, fn);
}

uint64_t ZSetValue::CountByScore(const ScoreRange& range) const {
  uint64_t first = 0, last = 0;
  if (!FirstInScore(range, false, &first).valid()) return 0;
  if (!IsListpack()) {
    FirstInScore(range, true, &last);
    return last - first + 1;
  }
  return RangeByScore(range, false, 0, -1, [](std::string_view, double) {});
}

uint64_t ZSetValue::CountByLex(const LexRange& range) const {
  uint64_t first = 0, last = 0;
  if (!FirstInLex(range, false, &first).valid()) return 0;
  if (!IsListpack()) {
    FirstInLex(range, true, &last);
    return last - first + 1;
  }
  return RangeByLex(range, false, 0, -1, [](std::string_view, double) {});
}

uint64_t ZSetValue::RemoveRangeByRank(int64_t start, int64_t stop) {
  uint64_t first, last;
  if (!NormalizeRanks(start, stop, Size(), &first, &last)) return 0;
  const uint64_t n = last - first + 1;
  if (IsListpack()) {
    set_lp(lp::DeleteRange(OwnLp(), static_cast<int64_t>(first * 2), n * 2));
    return n;
  }
  Big& b = *big();
  return b.zsl.DeleteRangeByRank(first + 1, last + 1,
                                 [&](ZSkipNode* node) { b.index.Unlink(node->member()); });
}

uint64_t ZSetValue::RemoveRangeByScore(const ScoreRange& range) {
  if (!IsListpack()) {
    Big& b = *big();
    return b.zsl.DeleteRangeByScore(range,
                                    [&](ZSkipNode* node) { b.index.Unlink(node->member()); });
  }
  uint64_t rank = 0;
  Walker w = FirstInScore(range, false, &rank);
  if (!w.valid()) return 0;
  const uint64_t n = CountByScore(range);
  set_lp(lp::DeleteRange(OwnLp(), static_cast<int64_t>(rank * 2), n * 2));
  return n;
}

uint64_t ZSetValue::RemoveRangeByLex(const LexRange& range) {
  if (!IsListpack()) {
    Big& b = *big();
    return b.zsl.DeleteRangeByLex(range, [&](ZSkipNode* node) { b.index.Unlink(node->member()); });
  }
  uint64_t rank = 0;
  Walker w = FirstInLex(range, false, &rank);
  if (!w.valid()) return 0;
  const uint64_t n = CountByLex(range);
  set_lp(lp::DeleteRange(OwnLp(), static_cast<int64_t>(rank * 2), n * 2));
  return n;
}

uint64_t ZSetValue::Pop(uint64_t count, bool from_max, EntryFn fn) {
  const uint64_t n = std::min<uint64_t>(count, Size());
  if (n == 0) return 0;
  if (IsListpack()) {
    // Report first, then cut the whole run out in one move.
    Walker w(lp(), from_max ? zlp::LastPair(lp()) : lp::First(lp()));
    EmitRun(
        w, from_max, static_cast<int64_t>(n), [](double, std::string_view) { return true; }, fn);
    const int64_t at = from_max ? -static_cast<int64_t>(n * 2) : 0;
    set_lp(lp::DeleteRange(OwnLp(), at, n * 2));
    return n;
  }
  // Report the run from its end, then cut it out by rank in one pass: no
  // predecessor search per node.
  const ZSkipNode* node = from_max ? big()->zsl.tail() : big()->zsl.first();
  for (uint64_t i = 0; i < n; ++i) {
    fn(node->member(), node->score);
    node = from_max ? node->backward : node->forward(0);
  }
  Big& b = *big();
  const uint64_t first = from_max ? b.zsl.length() - n + 1 : 1;
  b.zsl.DeleteRangeByRank(first, first + n - 1,
                          [&](ZSkipNode* dead) { b.index.Unlink(dead->member()); });
  return n;
}

void ZSetValue::Random(int64_t count, EntryFn fn) const {
  const uint64_t size = Size();
  if (count == 0 || size == 0) return;
  auto emit = [&](Walker w) { fn(w.member(), w.score()); };
  // Listpack pair positions, indexed once so each pick is O(1).
  std::vector<const unsigned char*> pairs;
  if (IsListpack()) {
    pairs.reserve(size);
    for (const unsigned char* p = lp::First(lp()); p != nullptr; p = zlp::NextPair(lp(), p)) {
      pairs.push_back(p);
    }
  }
  auto at = [&](uint64_t rank) {
    return IsListpack() ? Walker(lp(), pairs[rank]) : Walker(big()->zsl.ByRank(rank + 1));
  };

  if (count < 0) {
    const uint64_t n = count == INT64_MIN ? uint64_t{1} << 63 : static_cast<uint64_t>(-count);
    for (uint64_t i = 0; i < n; ++i) emit(at(RandomBelow(size)));
    return;
  }
  const auto n = static_cast<uint64_t>(count);
  if (n >= size) {
    ForEach(fn);
    return;
  }
  if (n * 3 > size) {
    // A large share: shuffle the first n ranks (partial Fisher-Yates).
    std::vector<uint64_t> ranks(size);
    for (uint64_t i = 0; i < size; ++i) ranks[i] = i;
    for (uint64_t i = 0; i < n; ++i) {
      std::swap(ranks[i], ranks[i + RandomBelow(size - i)]);
      emit(at(ranks[i]));
    }
    return;
  }
  std::unordered_set<uint64_t> seen;
  seen.reserve(n);
  while (seen.size() < n) {
    const uint64_t r = RandomBelow(size);
    if (seen.insert(r).second) emit(at(r));
  }
}

void ZSetValue::ForEach(EntryFn fn) const { RangeByRank(0, -1, false, fn); }

uint64_t ZSetValue::Scan(uint64_t cursor, EntryFn fn) const {
  if (IsListpack()) {
    ForEach(fn);
    return 0;
  }
  return big()->index.Scan(cursor, [&](const ZSkipNode* n) { fn(n->member(), n->score); });
}

bool ZSetValue::CheckInvariants(std::string* why) const {
  if (IsListpack()) {
    size_t pairs = 0;
    if (Size() == 0) return true;
    if (!zlp::Validate(ListpackBlob(), true, &pairs)) {
      *why = "listpack fails deep validation";
      return false;
    }
    return true;
  }
  if (!big()->zsl.CheckInvariants(why)) return false;
  if (big()->index.size() != big()->zsl.length()) {
    *why = "index and list sizes differ";
    return false;
  }
  for (const ZSkipNode* n = big()->zsl.first(); n != nullptr; n = n->forward(0)) {
    if (big()->index.Peek(n->member()) != n) {
      *why = "index misses a node";
      return false;
    }
  }
  return true;
}

}  // namespace duet
