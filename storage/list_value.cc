#include "storage/list_value.h"

#include <limits>

namespace duet {

void ListValue::PushFront(const std::string_view* values, size_t n) {
  for (size_t i = 0; i < n; ++i) ql_.PushFront(values[i]);
}

void ListValue::PushBack(const std::string_view* values, size_t n) { ql_.PushBack(values, n); }

bool ListValue::Normalize(int64_t index, size_t* out) const {
  int64_t len = static_cast<int64_t>(ql_.Count());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return false;
  *out = static_cast<size_t>(index);
  return true;
}

bool ListValue::Index(int64_t index, FunctionRef<void(std::string_view)> fn) const {
  size_t i;
  return Normalize(index, &i) && ql_.Index(i, fn);
}

OpStatus ListValue::Set(int64_t index, std::string_view v) {
  size_t i;
  if (!Normalize(index, &i)) return OpStatus::kOutOfRange;
  ql_.Replace(i, v);
  return OpStatus::kOk;
}

int64_t ListValue::Insert(std::string_view pivot, std::string_view v, bool before) {
  lp::Needle needle(pivot);
  Quicklist::Iterator it(&ql_, 0, /*forward=*/true);
  for (; !it.Done(); it.Next()) {
    if (needle.Matches(it.entry())) {
      it.Insert(v, /*after=*/!before);
      return static_cast<int64_t>(ql_.Count());
    }
  }
  return -1;
}

size_t ListValue::Remove(int64_t count, std::string_view v) {
  if (ql_.Count() == 0) return 0;
  const bool forward = count >= 0;
  // |INT64_MIN| does not fit; any limit above the length means "all".
  const uint64_t limit = count == 0  ? std::numeric_limits<uint64_t>::max()
                         : count > 0 ? static_cast<uint64_t>(count)
                                     : 0 - static_cast<uint64_t>(count);
  lp::Needle needle(v);
  size_t removed = 0;
  Quicklist::Iterator it(&ql_, forward ? 0 : ql_.Count() - 1, forward);
  while (!it.Done() && removed < limit) {
    if (needle.Matches(it.entry())) {
      it.Erase();
      ++removed;
    } else {
      it.Next();
    }
  }
  return removed;
}

void ListValue::Trim(int64_t start, int64_t stop) {
  int64_t len = static_cast<int64_t>(ql_.Count());
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  int64_t ltrim, rtrim;
  if (start > stop || start >= len) {
    ltrim = len;  // empty range: everything goes
    rtrim = 0;
  } else {
    if (stop >= len) stop = len - 1;
    ltrim = start;
    rtrim = len - stop - 1;
  }
  ql_.DeleteRange(0, static_cast<size_t>(ltrim));
  ql_.DeleteRange(static_cast<size_t>(len - ltrim - rtrim), static_cast<size_t>(rtrim));
}

size_t ListValue::RangeLength(int64_t start, int64_t stop) const {
  int64_t len = static_cast<int64_t>(ql_.Count());
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start >= len || start > stop) return 0;
  if (stop >= len) stop = len - 1;
  return static_cast<size_t>(stop - start + 1);
}

size_t ListValue::Range(int64_t start, int64_t stop, FunctionRef<void(std::string_view)> fn) const {
  size_t n = RangeLength(start, stop);
  if (n == 0) return 0;
  if (start < 0) start += static_cast<int64_t>(ql_.Count());
  if (start < 0) start = 0;
  size_t left = n;
  char buf[lp::kIntBufSize];
  ql_.ForEach(static_cast<size_t>(start), /*forward=*/true, [&](const unsigned char* p) {
    fn(lp::GetView(p, buf));
    return --left > 0;
  });
  return n;
}

size_t ListValue::Pos(std::string_view v, int64_t rank, int64_t count, int64_t maxlen,
                      FunctionRef<void(int64_t)> fn) const {
  const size_t len = ql_.Count();
  if (len == 0 || rank == 0) return 0;
  const bool forward = rank > 0;
  const uint64_t skip_to = forward ? static_cast<uint64_t>(rank) : 0 - static_cast<uint64_t>(rank);
  const uint64_t max_report =
      count <= 0 ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(count);
  const uint64_t max_scan =
      maxlen <= 0 ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(maxlen);
  lp::Needle needle(v);
  uint64_t scanned = 0, matches = 0;
  size_t reported = 0;
  ql_.ForEach(forward ? 0 : len - 1, forward, [&](const unsigned char* p) {
    if (scanned >= max_scan) return false;
    int64_t index =
        forward ? static_cast<int64_t>(scanned) : static_cast<int64_t>(len - 1 - scanned);
    ++scanned;
    if (!needle.Matches(p)) return true;
    if (++matches < skip_to) return true;
    fn(index);
    return ++reported < max_report;
  });
  return reported;
}

}  // namespace duet
