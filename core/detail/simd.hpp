#pragma once
// The small xsimd helpers every kernel of the library uses (not a public header: it pulls in
// xsimd): the elementwise maps, the optimizers' updates, the activation math and the fused GRU.

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

}  // namespace grutape::detail
