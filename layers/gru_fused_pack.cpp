// Packing the recurrent kernel for the step products, and moving rows between the caller's
// (batch, steps, ...) layout and the kernel's time-major reading order.

#include <algorithm>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "layers/gru_fused_kernel.hpp"

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
Buffer<T> pack_forward(const T* u, const FusedDims& d) {
  const std::size_t L = d.lanes, width = 3 * L, n = 3 * d.units;
  Buffer<T> packed(d.blocks * d.units * width);
  T* out = packed.data();
  for (std::size_t jb = 0; jb < d.blocks; ++jb) {
    for (std::size_t i = 0; i < d.units; ++i) {
      for (std::size_t g = 0; g < 3; ++g) {
        for (std::size_t l = 0; l < L; ++l) {
          const std::size_t j = jb * L + l;
          *out++ = j < d.units ? u[i * n + g * d.units + j] : T(0);
        }
      }
    }
  }
  return packed;
}

template <class T>
Buffer<T> pack_backward(const T* u, const FusedDims& d) {
  const std::size_t n = 3 * d.units;
  Buffer<T> packed(d.blocks * d.lanes * d.gate_width());
  T* out = packed.data();
  for (std::size_t q = 0; q < d.groups(); ++q) {
    const std::size_t first = d.group_first_block(q) * d.lanes;
    const std::size_t width = d.group_blocks(q) * d.lanes;
    for (std::size_t g = 0; g < 3; ++g) {
      for (std::size_t i = 0; i < d.padded; ++i) {
        for (std::size_t l = 0; l < width; ++l) {
          const std::size_t j = first + l;
          *out++ = i < d.units && j < d.units ? u[j * n + g * d.units + i] : T(0);
        }
      }
    }
  }
  return packed;
}

template <class T>
void to_reading_order(const T* x, const FusedDims& d, std::size_t width, bool backwards, T* out,
                      std::size_t out_stride) {
  for (std::size_t k = 0; k < d.steps; ++k) {
    const std::size_t t = d.time(k, backwards);
    for (std::size_t b = 0; b < d.batch; ++b) {
      std::memcpy(out + (k * d.batch + b) * out_stride, x + (b * d.steps + t) * width,
                  width * sizeof(T));
    }
  }
}

template <class T>
void from_reading_order(const T* rows, std::size_t rows_stride, const FusedDims& d,
                        std::size_t width, bool backwards, T* x) {
  for (std::size_t k = 0; k < d.steps; ++k) {
    const std::size_t t = d.time(k, backwards);
    for (std::size_t b = 0; b < d.batch; ++b) {
      std::memcpy(x + (b * d.steps + t) * width, rows + (k * d.batch + b) * rows_stride,
                  width * sizeof(T));
    }
  }
}

#define GRUTAPE_INSTANTIATE(T)                                                                    \
  template FusedDims fused_dims<T>(std::size_t, std::size_t, std::size_t, std::size_t);           \
  template Buffer<T> pack_forward<T>(const T*, const FusedDims&);                                 \
  template Buffer<T> pack_backward<T>(const T*, const FusedDims&);                                \
  template void to_reading_order<T>(const T*, const FusedDims&, std::size_t, bool, T*,            \
                                    std::size_t);                                                 \
  template void from_reading_order<T>(const T*, std::size_t, const FusedDims&, std::size_t, bool, \
                                      T*);
GRUTAPE_INSTANTIATE(float)
GRUTAPE_INSTANTIATE(double)
#undef GRUTAPE_INSTANTIATE

}  // namespace grutape::detail
