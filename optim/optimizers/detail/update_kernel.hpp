#pragma once
// The fused in-place update kernel of the optimizers (not a public header: it pulls in xsimd).
//
// update_in_place(parameter, {&slot...}, grad, blocks, op) runs one pass over the elements:
// op(s, g, r) gets xsimd batches s[0] = parameter, s[1..] = the slots, the gradient g and the
// block's rates r, and updates s in place; the kernel stores s back. The tail of each run is
// padded to a full batch as in core/detail/map_kernel.hpp, so every element goes through the same
// instructions wherever it lies, and the work splits into fixed chunks: results are bitwise the
// same for any thread count.

#include <algorithm>
#include <array>

#include <xsimd/xsimd.hpp>

#include "core/detail/simd.hpp"
#include "core/parallel.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape::detail {

/// A block's rates as batches of the element type.
template <class B>
struct BatchRates {
  B learning_rate;
  B l2;
  B l2_factor;
};

/// One run of `length` elements sharing one set of rates.
template <class T, std::size_t M, class Op>
void update_run(const std::array<T*, M>& state, const T* grad, std::size_t length,
                const BatchRates<xsimd::batch<T>>& rates, Op& op) {
  using B = xsimd::batch<T>;
  constexpr std::size_t width = B::size;
  std::array<B, M> s;
  std::size_t i = 0;
  for (; i + width <= length; i += width) {
    for (std::size_t k = 0; k < M; ++k) s[k] = B::load_unaligned(state[k] + i);
    op(s, B::load_unaligned(grad + i), rates);
    for (std::size_t k = 0; k < M; ++k) s[k].store_unaligned(state[k] + i);
  }
  if (i == length) return;
  // Tail: zero-padded full batches; only the real lanes are written back.
  alignas(64) std::array<std::array<T, width>, M> padded{};
  alignas(64) std::array<T, width> padded_grad{};
  const std::size_t rest = length - i;
  for (std::size_t k = 0; k < M; ++k) {
    std::copy(state[k] + i, state[k] + length, padded[k].begin());
    s[k] = B::load_aligned(padded[k].data());
  }
  std::copy(grad + i, grad + length, padded_grad.begin());
  op(s, B::load_aligned(padded_grad.data()), rates);
  for (std::size_t k = 0; k < M; ++k) {
    s[k].store_aligned(padded[k].data());
    std::copy(padded[k].begin(), padded[k].begin() + rest, state[k] + i);
  }
}

/// Updates `parameter` and `slots` (same shape and dtype) in place from `grad`; see above.
template <std::size_t S, class Op>
void update_in_place(Tensor& parameter, const std::array<Tensor*, S>& slots, const Tensor& grad,
                     const UpdateBlocks& blocks, Op op) {
  constexpr std::size_t M = S + 1;
  // Elements per parallel chunk: large enough to amortise a task, fixed so results do not
  // depend on the thread count.
  constexpr std::size_t chunk = 8192;
  parameter.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    using B = xsimd::batch<T>;
    const std::size_t size = array.size();
    if (size == 0) return;
    std::array<T*, M> state;
    state[0] = array.data();
    for (std::size_t k = 1; k < M; ++k) state[k] = slots[k - 1]->template array<T>().data();
    const T* g = grad.array<T>().data();
    std::vector<BatchRates<B>> rates;
    for (const auto& r : blocks.rates) {
      rates.push_back({splat<B>(r.learning_rate), splat<B>(r.l2), splat<B>(r.l2_factor)});
    }
    const std::size_t run = blocks.run_length;
    parallel_blocks(
        size, chunk,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end;) {
            const std::size_t block = i / run;
            const std::size_t stop = std::min(end, (block + 1) * run);
            std::array<T*, M> at;
            for (std::size_t k = 0; k < M; ++k) at[k] = state[k] + i;
            update_run<T, M>(at, g + i, stop - i, rates[block % rates.size()], op);
            i = stop;
          }
        },
        8);
  });
}

}  // namespace grutape::detail
