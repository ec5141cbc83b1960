// The backward pass of the cell of layers/gru/fused/detail/step.cpp, one step k for one group of
// units j. With dh = dL/dh_k (the state written by step k, sequence gradient included), per sample:
// masked steps pass dh on to h_{k-1} and have no gate gradients.

#include "layers/gru/fused/detail/backward_step.hpp"

#include <algorithm>

#include "core/detail/tile_products.hpp"

namespace grutape::detail {
namespace {

// p + n, or null for a null p (the slopes of activations that keep none).
template <class T>
const T* offset(const T* p, std::size_t n) {
  return p ? p + n : nullptr;
}

}  // namespace

template <class T>
std::size_t BackwardStep<T>::phases() const {
  const std::size_t per_step = settings.mode == ResetGateMode::before_multiplication ? 2 : 1;
  return per_step * dims.steps + (initial ? 1 : 0);
}

template <class T>
void BackwardStep<T>::run(std::size_t phase, std::size_t group) const {
  with_group_batches(*panels, group,
                     [&](auto nv) { this->run_group<decltype(nv)::value>(phase, group); });
}

// The products of the group keep NV batches of accumulators per row.
template <class T>
template <std::size_t NV>
void BackwardStep<T>::run_group(std::size_t phase, std::size_t group) const {
  const std::size_t steps = dims.steps;
  if (settings.mode != ResetGateMode::before_multiplication) {
    if (phase > 0) recurrent_grad<NV>(steps - phase, group);
    if (phase < steps) gate_grad(steps - 1 - phase, group);
    return;
  }
  const std::size_t m = phase / 2;
  if (phase == 2 * steps) {
    recurrent_grad<NV>(0, group);
  } else if (phase % 2 == 1) {
    reset_grad<NV>(steps - 1 - m, group);
  } else {
    if (m > 0) recurrent_grad<NV>(steps - m, group);
    gate_grad(steps - 1 - m, group);
  }
}

template <class T>
T* BackwardStep<T>::dstate(std::size_t k, std::size_t b, std::size_t j0) const {
  return dstates[k % 2] + b * dims.padded + j0;
}

// The elementwise part of step k: dz, dc (and, after multiplication, dr and da) from dh; the
// direct part of dh_{k-1} plus the sequence gradient of the step before.
template <class T>
void BackwardStep<T>::gate_grad(std::size_t k, std::size_t group) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width();
  const std::size_t j0 = panels->first(group), width = panels->width(group);
  const bool after = settings.mode != ResetGateMode::before_multiplication;
  for (std::size_t b = 0; b < dims.batch; ++b) {
    const std::size_t row = k * dims.batch + b;
    const T* dh = dstate(k + 1, b, j0);
    T* previous = dstate(k, b, j0);
    const T* earlier =
        k > 0 && sequence_grad ? sequence_grad + (row - dims.batch) * up + j0 : nullptr;
    const T* act = gates + row * G + j0;
    T* d = dgates + row * G + j0;
    if (mask && mask[row] == T(0)) {
      // h_k = h_{k-1}
      for (std::size_t v = 0; v < width; v += L) {
        const Batch<T> carried = earlier ? load(dh + v) + load(earlier + v) : load(dh + v);
        carried.store_unaligned(previous + v);
      }
      for (std::size_t g = 0; g < 3; ++g) std::fill(d + g * up, d + g * up + width, T(0));
      if (after) std::fill(dcarry + row * up + j0, dcarry + row * up + j0 + width, T(0));
      continue;
    }
    const T* h = states + row * up + j0;
    const T* slope = offset(slopes, row * G + j0);
    for (std::size_t v = 0; v < width; v += L) {
      const Batch<T> g = load(dh + v), z = load(act + v), c = load(act + 2 * up + v);
      // h_k = z h + (1 - z) c  =>  dz = dh (h - c), dc = dh (1 - z), dh_{k-1} = dh z
      const Batch<T> dz = g * (load(h + v) - c), dc = g - g * z, direct = g * z;
      (earlier ? direct + load(earlier + v) : direct).store_unaligned(previous + v);
      // z = g(x_z)  =>  dx_z = dz g'(x_z)
      scale_by_slope(settings.gate, dz, z, offset(slope, v)).store_unaligned(d + v);
      // c = s(x_c)  =>  dx_c = dc s'(x_c)
      const Batch<T> dx = scale_by_slope(settings.state, dc, c, offset(slope, 2 * up + v));
      dx.store_unaligned(d + 2 * up + v);
      if (!after) continue;
      // x_c = xW_h + b_h + r a  =>  dr = dx_c a, da = dx_c r
      const Batch<T> r = load(act + up + v);
      (dx * r).store_unaligned(dcarry + row * up + j0 + v);
      // r = g(x_r)  =>  dx_r = dr g'(x_r)
      scale_by_slope(settings.gate, dx * load(carry + row * up + j0 + v), r, offset(slope, up + v))
          .store_unaligned(d + up + v);
    }
  }
}

// before_multiplication: dq = dx_c U_h^T for the group's units, then r's gradient from it.
template <class T>
template <std::size_t NV>
void BackwardStep<T>::reset_grad(std::size_t k, std::size_t group) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), width = NV * L;
  const std::size_t j0 = panels->first(group);
  const T* panel = panels->panel(group);
  const Segment<T> segment{dgates + k * dims.batch * G + 2 * up, G, panel + 2 * up * width,
                           dims.units};
  const T* rm = recurrent_masks[2];
  product_rows<T, NV>(dims.batch, &segment, 1, PanelLayout{width, L},
                      [&](std::size_t row0, std::size_t rows, const T* dq) {
                        for (std::size_t i = 0; i < rows; ++i) {
                          const std::size_t b = row0 + i, row = k * dims.batch + b;
                          const T* act = gates + row * G + j0;
                          const T* h = states + row * up + j0;
                          T* dr = dgates + row * G + up + j0;
                          T* previous = dstate(k, b, j0);
                          const T* slope = offset(slopes, row * G + up + j0);
                          for (std::size_t v = 0; v < width; v += L) {
                            // q = (r h) rm_h  =>  d(r h) = dq rm_h
                            Batch<T> drh = load(dq + i * width + v);
                            if (rm) drh = drh * load(rm + b * up + j0 + v);
                            // r h  =>  dr = d(r h) h, dh_{k-1} += d(r h) r
                            const Batch<T> r = load(act + up + v);
                            xsimd::fma(drh, r, load(previous + v)).store_unaligned(previous + v);
                            // r = g(x_r)  =>  dx_r = dr g'(x_r)
                            scale_by_slope(settings.gate, drh * load(h + v), r, offset(slope, v))
                                .store_unaligned(dr + v);
                          }
                        }
                      });
}

// dh_{k-1} += sum over gates of (dx_g U_g^T) rm_g: x_z and x_r hold h_{k-1} U (after
// multiplication also a); each product is masked by its gate's recurrent dropout mask.
template <class T>
template <std::size_t NV>
void BackwardStep<T>::recurrent_grad(std::size_t k, std::size_t group) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), width = NV * L;
  const std::size_t j0 = panels->first(group);
  const T* panel = panels->panel(group);
  const T* rows_grad = dgates + k * dims.batch * G;
  const bool after = settings.mode != ResetGateMode::before_multiplication;
  std::array<Segment<T>, 3> segments = {
      Segment<T>{rows_grad, G, panel, dims.units},
      Segment<T>{rows_grad + up, G, panel + up * width, dims.units},
      Segment<T>{after ? dcarry + k * dims.batch * up : nullptr, up, panel + 2 * up * width,
                 dims.units}};
  const std::size_t count = after ? 3 : 2;
  const auto accumulate = [&](const Segment<T>* first, std::size_t n, const T* rm) {
    product_rows<T, NV>(dims.batch, first, n, PanelLayout{width, L},
                        [&](std::size_t row0, std::size_t rows, const T* product) {
                          for (std::size_t i = 0; i < rows; ++i) {
                            const std::size_t b = row0 + i;
                            T* previous = dstate(k, b, j0);
                            for (std::size_t v = 0; v < width; v += L) {
                              Batch<T> p = load(product + i * width + v);
                              if (rm) p = p * load(rm + b * up + j0 + v);
                              (load(previous + v) + p).store_unaligned(previous + v);
                            }
                          }
                        });
  };
  const bool dropout = std::any_of(recurrent_masks.begin(), recurrent_masks.begin() + count,
                                   [](const T* m) { return m != nullptr; });
  if (!dropout) return accumulate(segments.data(), count, nullptr);
  for (std::size_t g = 0; g < count; ++g) accumulate(&segments[g], 1, recurrent_masks[g]);
}

template struct BackwardStep<float>;
template struct BackwardStep<double>;

}  // namespace grutape::detail
