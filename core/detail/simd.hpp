#pragma once
// The small xsimd helpers every kernel of the library uses (not a public header: it pulls in
// xsimd): the elementwise maps, the optimizers' updates, the activation math and the fused GRU.

#include <algorithm>
#include <cstddef>

#include <xsimd/xsimd.hpp>

namespace grutape::detail {

/// The xsimd batch of T for the build's instruction set.
template <class T>
using Batch = xsimd::batch<T>;

/// The batch with every lane `value`, rounded once to the batch's element type.
template <class B>
B splat(double value) {
  return B(static_cast<typename B::value_type>(value));
}

/// The batch of the Batch<T>::size values at p, which need not be aligned.
template <class T>
Batch<T> load(const T* p) {
  return Batch<T>::load_unaligned(p);
}

/// dst[0, n) = src[0, valid), zeros beyond: whole batches when valid == n is a whole number of
/// them (a row of packed weights, a panel's lanes).
template <class T>
void copy_padded(const T* src, std::size_t valid, std::size_t n, T* dst) {
  constexpr std::size_t L = Batch<T>::size;
  if (valid == n && n % L == 0) {
    for (std::size_t i = 0; i < n; i += L) load(src + i).store_unaligned(dst + i);
    return;
  }
  std::copy(src, src + valid, dst);
  std::fill(dst + valid, dst + n, T(0));
}

}  // namespace grutape::detail
