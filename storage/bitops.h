#pragma once
// Pure bit operations over byte strings with the semantics of Redis 7.0's
// SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD / BITFIELD_RO. No key
// lookups and no replies: the command handler finds the value, calls these,
// and turns the results into replies.
//
// Bit numbering: bit 0 is the most significant bit of byte 0, bit 8 the most
// significant bit of byte 1, and so on. Bytes past the end of a string read
// as zero.
//
// Key-level behaviour the handlers must add themselves (all checked against
// Redis 7.0.15):
//   * BITCOUNT on a missing key replies 0 before its other arguments are even
//     parsed ("BITCOUNT nokey a b" -> 0). BITPOS parses the bit first
//     (kErrBitposBit), then a missing key replies -1 when looking for 1 and 0
//     when looking for 0, again without parsing the range ("BITPOS nokey 1 x"
//     -> -1). Wrong arity of the range part is "ERR syntax error".
//   * BITOP treats missing keys as empty strings; an empty result deletes the
//     destination instead of storing "". It replies the result length.
//   * BITFIELD grows (or creates) the string to BitfieldPlan::bytes_needed
//     before applying any operation, even if every write then fails under
//     OVERFLOW FAIL. A plan with only GETs never creates the key.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace duet {

// Error replies specific to the bit commands, word for word.
inline constexpr std::string_view kErrBitOffset =
    "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kErrBitValue = "ERR bit is not an integer or out of range";
inline constexpr std::string_view kErrBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
inline constexpr std::string_view kErrBitfieldOverflowType = "ERR Invalid OVERFLOW type specified";
inline constexpr std::string_view kErrBitfieldRoGetOnly =
    "ERR BITFIELD_RO only supports the GET subcommand";
inline constexpr std::string_view kErrBitposBit = "ERR The bit argument must be 1 or 0.";
inline constexpr std::string_view kErrBitopNotOneKey =
    "ERR BITOP NOT must be called with a single source key.";

// ---------------------------------------------------------------- arguments

// A bit offset argument: a Redis integer (ParseInt64 rules) >= 0 whose byte
// (offset / 8) is below proto_max_bulk_len. With width != 0 (BITFIELD) the
// form "#N" is also accepted and means N * width; the product wraps around
// 64 bits exactly as in Redis, so "#1152921504606846976" with i16 is offset 0.
// Fails with kErrBitOffset. Redis skips the size limit for commands from its
// master and from the AOF being loaded: pass UINT64_MAX there.
bool ParseBitOffset(std::string_view arg, uint64_t proto_max_bulk_len, uint32_t width,
                    uint64_t* out);

// SETBIT's value: exactly the integers 0 and 1. Fails with kErrBitValue.
bool ParseBitValue(std::string_view arg, bool* out);

// ------------------------------------------------------------ GETBIT/SETBIT

int GetBit(std::string_view s, uint64_t offset);

// Bytes a string needs so that SetBit(offset) fits.
inline uint64_t BytesForBit(uint64_t offset) { return (offset >> 3) + 1; }

// Sets or clears one bit and returns its previous value.
// REQUIRES: buf.size() >= BytesForBit(offset) (grow with zero bytes first).
int SetBit(std::span<char> buf, uint64_t offset, bool on);

// ------------------------------------------------------------------ BITCOUNT

enum class BitUnit : uint8_t { kByte, kBit };

// Number of set bits in the whole string.
int64_t BitCount(std::string_view s);

// BITCOUNT key start end [BYTE|BIT]. Negative indexes count from the end;
// indexes are clamped to the string; an empty range gives 0. As in Redis, a
// range with both ends negative and start > end is empty even when clamping
// would have made it non-empty.
int64_t BitCount(std::string_view s, int64_t start, int64_t end, BitUnit unit);

// -------------------------------------------------------------------- BITPOS

// BITPOS key bit (no range), for an existing key. Looking for 0 in a string
// of all ones answers the bit just past the end (8 * size), because the
// string is taken as followed by zeros; looking for 1 and finding none
// answers -1. An empty string answers -1 for both.
int64_t BitPos(std::string_view s, bool bit);

// BITPOS key bit start [end [BYTE|BIT]]. Same index rules as BitCount, except
// that there is no special case for negative start > end. When `end` is given
// the range is taken literally: not finding a 0 in it answers -1.
int64_t BitPos(std::string_view s, bool bit, int64_t start, std::optional<int64_t> end,
               BitUnit unit);

// --------------------------------------------------------------------- BITOP

enum class BitOpKind : uint8_t { kAnd, kOr, kXor, kNot };

// AND / OR / XOR / NOT, case-insensitive. Anything else is a syntax error.
bool ParseBitOpKind(std::string_view name, BitOpKind* out);

// Length of the result: the longest source (0 if there are none).
size_t BitOpResultSize(std::span<const std::string_view> srcs);

// Computes the operation into out, which must be BitOpResultSize(srcs) bytes.
// Shorter sources count as padded with zero bytes. NOT takes exactly one
// source (else kErrBitopNotOneKey, checked by the handler).
void BitOp(BitOpKind op, std::span<const std::string_view> srcs, std::span<char> out);
std::string BitOp(BitOpKind op, std::span<const std::string_view> srcs);

// ------------------------------------------------------------------ BITFIELD

struct BitfieldType {
  bool is_signed = false;
  uint8_t bits = 0;  // 1..64 signed, 1..63 unsigned
};

// "i1".."i64" or "u1".."u63" (lowercase prefix, width by ParseInt64 rules).
// Fails with kErrBitfieldType.
bool ParseBitfieldType(std::string_view arg, BitfieldType* out);

enum class BitfieldOverflow : uint8_t { kWrap, kSat, kFail };
enum class BitfieldOpKind : uint8_t { kGet, kSet, kIncrBy };

struct BitfieldOp {
  BitfieldOpKind kind = BitfieldOpKind::kGet;
  BitfieldType type;
  BitfieldOverflow overflow = BitfieldOverflow::kWrap;  // the OVERFLOW in force
  uint64_t offset = 0;                                  // in bits
  int64_t value = 0;                                    // SET value / INCRBY increment
};

struct BitfieldPlan {
  std::vector<BitfieldOp> ops;
  bool read_only = true;      // only GETs
  uint64_t bytes_needed = 0;  // string size the writes need (0 if read_only)
};

enum class BitfieldError : uint8_t {
  kNone,
  kSyntax,        // "ERR syntax error"
  kType,          // kErrBitfieldType
  kOffset,        // kErrBitOffset
  kNotInteger,    // "ERR value is not an integer or out of range"
  kOverflowType,  // kErrBitfieldOverflowType
  kRoGetOnly,     // kErrBitfieldRoGetOnly
};

// The full reply text for an error (the two generic ones included).
std::string_view BitfieldErrorText(BitfieldError e);

// Parses the arguments after the key, left to right, stopping at the first
// error as Redis does. ro_command is true for BITFIELD_RO: it accepts SET and
// INCRBY while parsing, then fails with kRoGetOnly if there was any.
BitfieldError ParseBitfield(std::span<const std::string_view> args, bool ro_command,
                            uint64_t proto_max_bulk_len, BitfieldPlan* plan);

// Reads a field; bytes past the end of s read as zero.
int64_t BitfieldGet(std::string_view s, uint64_t offset, BitfieldType type);

// One element of the BITFIELD reply: an integer, or nil when OVERFLOW FAIL
// refused a write.
struct BitfieldResult {
  bool is_nil = false;
  int64_t value = 0;
};

// Executes one operation. GET reads (zero past the end); SET writes the new
// value and returns the old one; INCRBY returns the new value. Overflow
// follows op.overflow: WRAP keeps the low bits (two's complement), SAT clamps
// to the type's range, FAIL writes nothing and returns nil. An unsigned SET
// of a negative value counts as too large (SAT gives the maximum). *changed
// says whether the stored bits changed.
// REQUIRES: for SET/INCRBY, buf.size() >= (op.offset + op.type.bits + 7) / 8.
BitfieldResult BitfieldApply(const BitfieldOp& op, std::span<char> buf, bool* changed);

}  // namespace duet
