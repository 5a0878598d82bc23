#pragma once
// Sorted-set operations on a Database, shared by the Z* command handlers.
//
// Reads stream their results into a ZRangeSink instead of building lists, so
// a handler can write the reply as entries come (no per-call allocation) and
// the same walk can fill a new key instead (ZRANGESTORE), as Redis's zrange
// result handler does. A sink is told the exact number of entries before the
// first one, because replies carry their length up front.
//
// Writes keep the keyspace rules: a set emptied by a removal is deleted as a
// key, an in-place change stamps a new version (WATCH), and a stored result
// replaces whatever the destination held and drops its TTL.

#include <cstdint>
#include <span>
#include <string_view>

#include "storage/collection_limits.h"
#include "storage/database.h"
#include "storage/op_status.h"
#include "storage/score_bounds.h"
#include "storage/set_value.h"
#include "storage/zset_value.h"

namespace duet {

// Receives the result of a range query or a pop, in order: Begin(n) once,
// then exactly n Emit calls. `member` is valid only during the call.
class ZRangeSink {
 public:
  virtual void Begin(uint64_t count) = 0;
  virtual void Emit(std::string_view member, double score) = 0;

 protected:
  ~ZRangeSink() = default;
};

// What a ZRANGE-family command asks for. Ranks follow Redis's clamping
// (negative counts from the end); score and lex ranges are already oriented
// min..max whatever the direction. offset/limit apply to score and lex
// queries only: offset < 0 gives nothing, limit < 0 means no limit.
struct ZRangeSpec {
  enum class By { kRank, kScore, kLex };
  By by = By::kRank;
  bool reverse = false;
  int64_t start = 0;
  int64_t stop = -1;
  ScoreRange score;
  LexRange lex;
  int64_t offset = 0;
  int64_t limit = -1;
};

// --- Lookups -----------------------------------------------------------------------

// The sorted set at key: kKeyNotFound or kWrongType otherwise.
OpResult<const ZSetValue*> ZSetFind(Database& db, std::string_view key, int64_t now_ms);

// --- Adding and removing members ----------------------------------------------------

struct ZAddItem {
  double score;
  std::string_view member;
};

struct ZAddResult {
  uint64_t added = 0;      // new members
  uint64_t updated = 0;    // existing members whose score changed
  uint64_t processed = 0;  // members NX/XX/GT/LT did not refuse
  double score = 0;        // the last member's score afterwards (ZINCRBY's reply)
  bool nan = false;        // an increment gave NaN; that member and the rest were left alone
};

// ZADD / ZINCRBY. `flags` are ZSetValue::AddFlag bits. A missing key is
// created unless kAddXX is set (then nothing happens).
OpResult<ZAddResult> ZSetAdd(Database& db, std::string_view key, std::span<const ZAddItem> items,
                             unsigned flags, const CollectionLimits& limits, int64_t now_ms);

// ZREM: how many of `members` were removed (kKeyNotFound when the key is absent).
OpResult<uint64_t> ZSetRemove(Database& db, std::string_view key,
                              std::span<const std::string_view> members, int64_t now_ms);

// ZREMRANGEBYRANK / BYSCORE / BYLEX: `spec.reverse`, offset and limit are
// ignored. Returns how many were removed.
OpResult<uint64_t> ZSetRemoveRange(Database& db, std::string_view key, const ZRangeSpec& spec,
                                   int64_t now_ms);

// ZPOPMIN / ZPOPMAX / ZMPOP: removes min(count, size) entries from the lowest
// (or highest) end, passing them to `sink` in pop order.
OpResult<uint64_t> ZSetPop(Database& db, std::string_view key, uint64_t count, bool from_max,
                           ZRangeSink& sink, int64_t now_ms);

// --- Ranges --------------------------------------------------------------------------

// How many entries `spec` selects in z (what ZSetRange will emit).
uint64_t ZSetRangeCount(const ZSetValue& z, const ZRangeSpec& spec);
// The one range walk behind ZRANGE, ZREVRANGE, ZRANGEBYSCORE, ZRANGEBYLEX (and
// their REV forms) and ZRANGESTORE. Returns the number of entries emitted.
uint64_t ZSetRange(const ZSetValue& z, const ZRangeSpec& spec, ZRangeSink& sink);

// ZRANGESTORE: stores the entries `spec` selects in `src` (null = missing
// key, an empty result) at `dst`; an empty result deletes dst. *changed tells
// whether the keyspace changed. Returns the number stored.
uint64_t ZSetRangeStore(Database& db, std::string_view dst, const ZSetValue* src,
                        const ZRangeSpec& spec, const CollectionLimits& limits, int64_t now_ms,
                        bool* changed);

// Stores `value` at key, replacing any value of any type and its TTL, in the
// encoding Redis would pick; an empty value deletes the key instead. Returns
// whether the keyspace changed.
bool ZSetStore(Database& db, std::string_view key, ZSetValue value, const CollectionLimits& limits,
               int64_t now_ms);

// --- Set algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD) ------------

// One input: a sorted set, a plain set (each member scores 1), or neither (a
// missing key, an empty input).
struct ZSetSource {
  const ZSetValue* zset = nullptr;
  const SetValue* set = nullptr;
  double weight = 1;

  bool exists() const { return zset != nullptr || set != nullptr; }
  size_t Size() const;
  // The member's (unweighted) score, if present.
  bool Find(std::string_view member, double* score) const;
  void ForEach(ZSetValue::EntryFn fn) const;
};

// The input at key: kWrongType unless a sorted set, a set or absent.
OpResult<ZSetSource> ZSetSourceAt(Database& db, std::string_view key, int64_t now_ms);

enum class ZSetOp { kUnion, kInter, kDiff };
enum class ZAggregate { kSum, kMin, kMax };

// The combination of `sources` with Redis's rules: each score is multiplied
// by its source's weight (NaN from 0 * inf counts as 0), equal members are
// combined with `agg` (a NaN sum counts as 0), and union and intersection
// visit the inputs from the smallest up. ZDIFF keeps the first input's scores
// and ignores weights. Reorders `sources`. The result is a skiplist; ZSetStore
// picks the final encoding.
ZSetValue ZSetCombine(std::span<ZSetSource> sources, ZSetOp op, ZAggregate agg);

// ZINTERCARD: the size of the intersection, counting stops at `limit`
// (0 = no limit). Reorders `sources`.
uint64_t ZSetInterCard(std::span<ZSetSource> sources, uint64_t limit);

// --- Formatting ---------------------------------------------------------------------

// A score as ZSCAN shows it: the text a listpack stores (an integer when the
// score is integral within [-2^62, 2^62]), or Redis's %.17g form for a
// skiplist. buf needs kMaxDoubleChars bytes. Returns the length.
size_t FormatZScanScore(double score, bool listpack, char* buf);

}  // namespace duet
