#pragma once
// DefaultInitAllocator: a std::allocator whose value-less construct() leaves
// trivial types uninitialized, so vector::resize() of a byte buffer does not
// zero it. Zeroing an I/O buffer would touch every page of it up front; a
// read buffer should only become resident as bytes actually arrive.

#include <memory>
#include <new>
#include <utility>

namespace duet {

template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;

  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

}  // namespace duet
