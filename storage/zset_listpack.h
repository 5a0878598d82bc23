#pragma once
// A small sorted set as a listpack, in Redis 7.0's layout: entries alternate
// member, score, and pairs are sorted by score, then by member bytes.
//
// A score is stored the way Redis 7.0 prints it before appending: an integral
// score in [-2^62, 2^62] as an integer entry (so -0.0 is stored as 0),
// infinities as "inf"/"-inf", anything else as its %.17g text. Reading
// accepts any text strtod accepts, as Redis does with RDB input.
//
// Positions point at a pair's member entry. Calls that change the listpack
// return the (possibly moved) blob.

#include <cstddef>
#include <string_view>

#include "storage/listpack.h"

namespace duet::zlp {

// The score stored in the entry at `score_entry`.
double ScoreAt(const unsigned char* score_entry);
// Score of the pair whose member entry is at `p`.
inline double PairScore(const unsigned char* lp, const unsigned char* p) {
  return ScoreAt(lp::Next(lp, p));
}
// Member of the pair at `p`; integer members are printed into scratch.
inline std::string_view PairMember(const unsigned char* p, char* scratch) {
  return lp::GetView(p, scratch);
}
// The next / previous pair, or null.
const unsigned char* NextPair(const unsigned char* lp, const unsigned char* p);
const unsigned char* PrevPair(const unsigned char* lp, const unsigned char* p);
inline const unsigned char* LastPair(const unsigned char* lp) {
  const unsigned char* score = lp::Last(lp);
  return score == nullptr ? nullptr : lp::Prev(lp, score);
}

// The pair holding `member`, or null; *score receives its score.
const unsigned char* Find(const unsigned char* lp, std::string_view member, double* score);

// Inserts (member, score) at its sorted place. REQUIRES: member absent.
unsigned char* Insert(unsigned char* lp, std::string_view member, double score);
// Appends a pair. REQUIRES: it sorts after every pair already present.
unsigned char* Append(unsigned char* lp, std::string_view member, double score);
// Deletes the pair at p.
unsigned char* DeletePair(unsigned char* lp, const unsigned char* p);

// Bytes a score entry takes (for the 1 GB safety limit).
size_t ScoreEntryBytes(double score);

// Checks an untrusted blob: a valid listpack with an even, non-zero number
// of entries, every score a number (not NaN). Deep: also no repeated member
// and pairs in sorted order. On success stores the number of pairs.
bool Validate(std::string_view blob, bool deep, size_t* pairs);

}  // namespace duet::zlp
