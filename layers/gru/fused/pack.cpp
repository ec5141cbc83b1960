// Packing the recurrent kernel for the step products, and moving rows between the caller's
// (batch, steps, ...) layout and the kernel's time-major reading order.

#include <algorithm>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "core/detail/phases.hpp"
#include "core/detail/simd.hpp"
#include "layers/gru/fused/detail/kernel.hpp"

namespace grutape::detail {

template <class T>
FusedDims fused_dims(std::size_t batch, std::size_t steps, std::size_t input, std::size_t units) {
  FusedDims dims;
  dims.batch = batch;
  dims.steps = steps;
  dims.input = input;
  dims.units = units;
  dims.lanes = xsimd::batch<T>::size;
  dims.blocks = (units + dims.lanes - 1) / dims.lanes;
  dims.padded = dims.blocks * dims.lanes;
  return dims;
}

template <class T>
void ForwardPanels<T>::pack_blocks(const T* m, std::size_t rows, const FusedDims& d,
                                   std::size_t block, std::size_t count, std::size_t first,
                                   std::size_t end, T* out) {
  const std::size_t L = d.lanes, n = 3 * d.units, stride = rows * 3 * L;
  for (std::size_t i = first; i < end; ++i) {
    for (std::size_t c = 0; c < count; ++c) {
      const std::size_t jb = block + c, valid = std::min(L, d.units - jb * L);
      T* to = out + c * stride + i * 3 * L;
      for (std::size_t g = 0; g < 3; ++g)
        copy_padded(m + i * n + g * d.units + jb * L, valid, L, to + g * L);
    }
  }
}

template <class T>
ForwardPanels<T>::ForwardPanels(const T* m, std::size_t rows, const FusedDims& d)
    : matrix_(m), rows_(rows), dims_(d), packed_(d.blocks * rows * 3 * d.lanes) {}

template <class T>
TransposedPanels<T>::TransposedPanels(const T* m, std::size_t columns, const FusedDims& d)
    : padded_columns_((columns + d.lanes - 1) / d.lanes * d.lanes),
      groups_((padded_columns_ + kGroup - 1) / kGroup),
      rows_(d.gate_width()) {
  // L x L tiles of M go through a buffer in L1: read along M's rows, written along the panel's
  // rows (both in whole batches), transposed in between. Column blocks run in parallel.
  using B = xsimd::batch<T>;
  constexpr std::size_t L = B::size;
  const std::size_t n = 3 * d.units, blocks = padded_columns_ / L;
  packed_ = Buffer<T>(padded_columns_ * rows_);
  run_phases(1, blocks, static_cast<double>(columns) * n, [&](std::size_t, std::size_t jb) {
    alignas(64) T tile[L][L];
    const std::size_t q = jb * L / kGroup, l0 = jb * L - first(q), w = width(q);
    T* out_panel = packed_.data() + first(q) * rows_;
    const std::size_t valid_rows = std::min(L, columns - jb * L);
    for (std::size_t g = 0; g < 3; ++g) {
      for (std::size_t i0 = 0; i0 < d.padded; i0 += L) {
        const std::size_t cols = i0 < d.units ? std::min(L, d.units - i0) : 0;
        for (std::size_t r = 0; r < L; ++r) {
          if (r < valid_rows && cols > 0)
            copy_padded(m + (jb * L + r) * n + g * d.units + i0, cols, L, tile[r]);
          else
            B(T(0)).store_aligned(tile[r]);
        }
        for (std::size_t c = 0; c < L; ++c) {
          T* out = out_panel + (g * d.padded + i0 + c) * w + l0;
          for (std::size_t r = 0; r < L; ++r) out[r] = tile[r][c];
        }
      }
    }
  });
}

namespace {

// move(k * batch + b, b * steps + time(k)) for every row (k, b) of the reading order and the
// row (b, t) of a (batch, steps, ...) tensor that it stands for; steps in parallel.
template <class Move>
void for_reading_rows(const FusedDims& d, std::size_t width, bool backwards, const Move& move) {
  const double work = static_cast<double>(d.steps) * d.batch * width;
  run_phases(1, d.steps, work, [&](std::size_t, std::size_t k) {
    const std::size_t t = d.time(k, backwards);
    for (std::size_t b = 0; b < d.batch; ++b) move(k * d.batch + b, b * d.steps + t);
  });
}

}  // namespace

template <class T>
void to_reading_order(const T* x, const FusedDims& d, std::size_t width, bool backwards, T* out,
                      std::size_t out_stride) {
  for_reading_rows(d, width, backwards, [&](std::size_t row, std::size_t at) {
    std::memcpy(out + row * out_stride, x + at * width, width * sizeof(T));
  });
}

template <class T>
void from_reading_order(const T* rows, std::size_t rows_stride, const FusedDims& d,
                        std::size_t width, bool backwards, T* x) {
  for_reading_rows(d, width, backwards, [&](std::size_t row, std::size_t at) {
    std::memcpy(x + at * width, rows + row * rows_stride, width * sizeof(T));
  });
}

#define GRUTAPE_INSTANTIATE(T)                                                                    \
  template FusedDims fused_dims<T>(std::size_t, std::size_t, std::size_t, std::size_t);           \
  template void to_reading_order<T>(const T*, const FusedDims&, std::size_t, bool, T*,            \
                                    std::size_t);                                                 \
  template void from_reading_order<T>(const T*, std::size_t, const FusedDims&, std::size_t, bool, \
                                      T*);
GRUTAPE_INSTANTIATE(float)
GRUTAPE_INSTANTIATE(double)
template class ForwardPanels<float>;
template class ForwardPanels<double>;
template class TransposedPanels<float>;
template class TransposedPanels<double>;
#undef GRUTAPE_INSTANTIATE

}  // namespace grutape::detail
