#pragma once
// OpStatus / OpResult<T>: what a storage operation returns. Storage never
// builds replies; the command handler maps a status to the client's error.

#include <cassert>
#include <utility>

namespace duet {

enum class OpStatus {
  kOk,
  kKeyNotFound,
  kWrongType,     // key holds a value of another type
  kNotAnInteger,  // stored value (or argument) is not an integer / out of range
  kNotAFloat,     // stored value is not a valid float
  kOverflow,      // increment or decrement would overflow
  kOutOfRange,    // index / offset out of range
  kSkipped,       // condition (NX/XX/...) not met: nothing done
  kTooBig,        // result would exceed proto-max-bulk-len / string size limit
  kSyntaxError,
  kNanOrInfinity,  // float result would be NaN or Infinity
};

template <typename T>
class OpResult {
 public:
  OpResult(T value) : status_(OpStatus::kOk), value_(std::move(value)) {}           // NOLINT
  OpResult(OpStatus status) : status_(status) { assert(status != OpStatus::kOk); }  // NOLINT

  bool ok() const { return status_ == OpStatus::kOk; }
  OpStatus status() const { return status_; }
  const T& value() const { return value_; }
  T& value() { return value_; }
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }

 private:
  OpStatus status_;
  T value_{};
};

}  // namespace duet
