// The weight, bias and input gradients of the fused GRU, each one product (or sum) over all
// steps * batch rows (K = steps * batch) after the backward time loop: the register tiles of
// core/detail/tile_products.hpp in fixed blocks, so results are the same for any thread count.

#include "layers/gru/fused/detail/grads.hpp"

#include <algorithm>
#include <vector>

#include "core/detail/outer_products.hpp"
#include "core/detail/phases.hpp"
#include "core/detail/tile_products.hpp"

namespace grutape::detail {
namespace {

// out row = x row (rows of stride x_stride) times a row of mask (batch, width): row % group
// of the mask, or row / group when `outer` (rows (k, b) of the reading order take mask row b =
// row % batch; input rows (b, t) take row b = row / steps).
template <class T>
Buffer<T> masked_rows(const T* x, const T* mask, std::size_t rows, std::size_t group,
                      std::size_t width, std::size_t x_stride, bool outer = false) {
  Buffer<T> out(rows * width);
  for (std::size_t row = 0; row < rows; ++row) {
    const T* m = mask + (outer ? row / group : row % group) * width;
    for (std::size_t i = 0; i < width; ++i)
      out.data()[row * width + i] = x[row * x_stride + i] * m[i];
  }
  return out;
}

bool any_defined(const std::array<Tensor, 3>& tensors) {
  return std::any_of(tensors.begin(), tensors.end(), [](const Tensor& t) { return t.defined(); });
}

// dx for the input columns of group q of W^T, rows [first, first + count) in reading order,
// written to their places in (batch, steps, input).
template <class T, std::size_t NV>
void input_grad_group(const FusedRecord<T>& r, const LoopGradients<T>& loop,
                      const TransposedPanels<T>& panels, std::size_t q, std::size_t first,
                      std::size_t count, T* out) {
  const FusedDims& d = r.dims;
  const std::size_t L = d.lanes, up = d.padded, G = d.gate_width(), width = NV * L;
  const std::size_t j0 = panels.first(q), valid = std::min(width, d.input - j0);
  const T* grad = loop.dgates.data() + first * G;
  const T* panel = panels.panel(q);
  const std::array<Segment<T>, 3> segments = {
      Segment<T>{grad, G, panel, d.units}, Segment<T>{grad + up, G, panel + up * width, d.units},
      Segment<T>{grad + 2 * up, G, panel + 2 * up * width, d.units}};
  const auto write = [&](const T* mask, bool add) {
    return [&, mask, add](std::size_t row0, std::size_t height, const T* product) {
      for (std::size_t i = 0; i < height; ++i) {
        const std::size_t row = first + row0 + i, k = row / d.batch, b = row % d.batch;
        T* to = out + (b * d.steps + d.time(k, r.settings.go_backwards)) * d.input + j0;
        const T* from = product + i * width;
        const T* m = mask ? mask + b * d.input + j0 : nullptr;
        for (std::size_t c = 0; c < valid; ++c) {
          const T v = m ? from[c] * m[c] : from[c];
          to[c] = add ? to[c] + v : v;
        }
      }
    };
  };
  const PanelLayout layout{width, L};
  const auto& masks = r.tensors.input_dropout;
  if (!any_defined(masks))
    return product_rows<T, NV>(count, segments.data(), 3, layout, write(nullptr, false));
  // x_g = (x m_g) W_g  =>  dx = sum over g of (dx_g W_g^T) m_g, each gate under its mask
  for (std::size_t g = 0; g < 3; ++g)
    product_rows<T, NV>(count, &segments[g], 1, layout, write(data_of<T>(masks[g]), g > 0));
}

// sums[c] = sum over rows of x[row * stride + c] for c < width (a multiple of L): fixed chunks of
// rows summed in parallel, each read row by row, then the chunks' sums added in chunk order.
template <class T>
void column_sums(const T* x, std::size_t rows, std::size_t stride, std::size_t width, T* sums) {
  using B = xsimd::batch<T>;
  constexpr std::size_t kChunk = 64;
  const std::size_t chunks = std::max<std::size_t>(1, (rows + kChunk - 1) / kChunk);
  Buffer<T> partial = zero_buffer<T>(chunks * width);
  const double work = static_cast<double>(rows) * width;
  run_phases(1, chunks, work, [&](std::size_t, std::size_t chunk) {
    T* into = partial.data() + chunk * width;
    for (std::size_t row = chunk * kChunk; row < std::min(rows, (chunk + 1) * kChunk); ++row)
      for (std::size_t c = 0; c < width; c += B::size)
        (load(into + c) + load(x + row * stride + c)).store_unaligned(into + c);
  });
  for (std::size_t c = 0; c < width; c += B::size) {
    B sum = load(partial.data() + c);
    for (std::size_t chunk = 1; chunk < chunks; ++chunk)
      sum += load(partial.data() + chunk * width + c);
    sum.store_unaligned(sums + c);
  }
}

}  // namespace

template <class T>
Tensor input_grad(const FusedRecord<T>& r, const LoopGradients<T>& loop) {
  const FusedDims& d = r.dims;
  auto out = array_of<T>({d.batch, d.steps, d.input});
  const std::size_t rows = d.steps * d.batch;
  if (rows == 0 || d.input == 0) return Tensor(std::move(out));
  const TransposedPanels<T> panels(data_of<T>(r.tensors.kernel), d.input, d);
  const ProductBlocks blocks(rows, 3 * d.units, panels.groups(), sizeof(T));
  const double work = static_cast<double>(rows) * 3 * d.units * d.input;
  run_phases(1, blocks.items(), work, [&](std::size_t, std::size_t item) {
    const std::size_t first = blocks.row_begin(item), count = blocks.row_end(item) - first;
    for (std::size_t q = blocks.panel_begin(item); q < blocks.panel_end(item); ++q) {
      with_group_batches(panels, q, [&](auto nv) {
        input_grad_group<T, decltype(nv)::value>(r, loop, panels, q, first, count, out.data());
      });
    }
  });
  return Tensor(std::move(out));
}

template <class T>
Tensor kernel_grad(const FusedRecord<T>& r, const LoopGradients<T>& loop) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, G = d.gate_width();
  const T* x = data_of<T>(r.tensors.input);
  // The input's rows (b, t) stay where they are: row (k, b) of the gradients pairs with
  // input row b * steps + time(k).
  std::vector<std::size_t> input_rows(rows);
  for (std::size_t k = 0; k < d.steps; ++k)
    for (std::size_t b = 0; b < d.batch; ++b)
      input_rows[k * d.batch + b] = b * d.steps + d.time(k, r.settings.go_backwards);
  std::array<Buffer<T>, 3> masked;
  std::array<OuterOperands<T>, 3> operands;
  for (std::size_t g = 0; g < 3; ++g) {
    const Tensor& mask = r.tensors.input_dropout[g];
    // Input row (b, t) under mask row b.
    if (mask.defined())
      masked[g] = masked_rows(x, data_of<T>(mask), rows, d.steps, d.input, d.input, true);
    // x_g = (x m_g) W_g  =>  dW_g = (x m_g)^T dx_g
    operands[g] = {mask.defined() ? masked[g].data() : x, d.input,
                   loop.dgates.data() + g * d.padded, G, input_rows.data()};
  }
  auto dw = array_of<T>({d.input, 3 * d.units});
  outer_products(rows, d.input, d.units, operands, dw.data());
  return Tensor(std::move(dw));
}

template <class T>
Tensor recurrent_kernel_grad(const FusedRecord<T>& r, const LoopGradients<T>& loop) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, G = d.gate_width(), up = d.padded;
  const bool after = r.settings.mode != ResetGateMode::before_multiplication;
  std::array<Buffer<T>, 3> masked;
  std::array<OuterOperands<T>, 3> operands;
  for (std::size_t g = 0; g < 3; ++g) {
    // y_g = (h rm_g) U_g, or q U_h  =>  dU_g = (h rm_g)^T dy_g, or q^T dy_h
    const T* h = r.states.data();
    if (g == 2 && !after) {
      h = r.carry.data();
    } else if (!r.recurrent_masks[g].empty()) {
      masked[g] = masked_rows(h, r.recurrent_masks[g].data(), rows, d.batch, up, up);
      h = masked[g].data();
    }
    const bool carried = g == 2 && after;
    operands[g] = {h, up, carried ? loop.dcarry.data() : loop.dgates.data() + g * up,
                   carried ? up : G};
  }
  auto du = array_of<T>({d.units, 3 * d.units});
  outer_products(rows, d.units, d.units, operands, du.data());
  return Tensor(std::move(du));
}

template <class T>
void bias_grads(const FusedRecord<T>& r, const LoopGradients<T>& loop, bool bias,
                bool recurrent_bias, Tensor& db, Tensor& drb) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, n = 3 * d.units;
  // b and rb_z, rb_r enter with the same pre-activations: their gradients are the sums of dx_g;
  // rb_h enters with a, so its gradient is the sum of da.
  Buffer<T> sums(d.gate_width() + d.padded);
  column_sums(loop.dgates.data(), rows, d.gate_width(), d.gate_width(), sums.data());
  if (recurrent_bias)
    column_sums(loop.dcarry.data(), rows, d.padded, d.padded, sums.data() + d.gate_width());
  auto gates = array_of<T>({n});
  for (std::size_t g = 0; g < 3; ++g)
    std::copy_n(sums.data() + g * d.padded, d.units, gates.data() + g * d.units);
  if (recurrent_bias) {
    auto out = gates;
    std::copy_n(sums.data() + d.gate_width(), d.units, out.data() + 2 * d.units);
    drb = Tensor(std::move(out));
  }
  if (bias) db = Tensor(std::move(gates));
}

#define GRUTAPE_INSTANTIATE(T)                                                                     \
  template Tensor input_grad<T>(const FusedRecord<T>&, const LoopGradients<T>&);                   \
  template Tensor kernel_grad<T>(const FusedRecord<T>&, const LoopGradients<T>&);                  \
  template Tensor recurrent_kernel_grad<T>(const FusedRecord<T>&, const LoopGradients<T>&);        \
  template void bias_grads<T>(const FusedRecord<T>&, const LoopGradients<T>&, bool, bool, Tensor&, \
                              Tensor&);
GRUTAPE_INSTANTIATE(float)
GRUTAPE_INSTANTIATE(double)
#undef GRUTAPE_INSTANTIATE

}  // namespace grutape::detail
