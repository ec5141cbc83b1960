// The fused GRU backward pass: the time loop of gru_fused_backward_step.cpp, then the weight
// and input gradients as single large products over all steps * batch rows (K = steps * batch),
// the bias gradients as column sums by a product with ones (fixed order: core/gemm.hpp tiles
// depend on the shape alone).

#include <algorithm>
#include <cstring>

#include "core/gemm.hpp"
#include "layers/gru_fused_backward_step.hpp"
#include "layers/gru_fused_kernel.hpp"
#include "layers/gru_fused_phases.hpp"

namespace grutape::detail {
namespace {

template <class T>
const T* data_of(const Tensor& tensor) {
  return tensor.defined() ? tensor.array<T>().data() : nullptr;
}

template <class T>
Tensor::Array<T> array_of(const Shape& shape) {
  return Tensor::Array<T>::from_shape(shape);
}

// out row (k, b) = x row (k, b) * mask row b (mask (batch, width)).
template <class T>
void mask_rows(const T* x, const T* mask, std::size_t rows, std::size_t batch, std::size_t width,
               std::size_t x_stride, T* out) {
  for (std::size_t row = 0; row < rows; ++row) {
    const T* m = mask + (row % batch) * width;
    for (std::size_t i = 0; i < width; ++i) out[row * width + i] = x[row * x_stride + i] * m[i];
  }
}

// The column sums of the first `width` columns of each gate block of `rows` (rows x stride)
// into out[g * units + j], gates [0, gates).
template <class T>
void gate_column_sums(const T* rows_data, std::size_t rows, std::size_t stride, const FusedDims& d,
                      std::size_t gates, T* out) {
  const Buffer<T> ones = [&] {
    Buffer<T> b(rows);
    std::fill(b.data(), b.data() + rows, T(1));
    return b;
  }();
  Buffer<T> sums(stride);
  gemm(false, false, 1, stride, rows, T(1), ones.data(), rows, rows_data, stride, T(0), sums.data(),
       stride);
  for (std::size_t g = 0; g < gates; ++g)
    std::copy_n(sums.data() + g * d.padded, d.units, out + g * d.units);
}

template <class T>
struct Loop {
  Buffer<T> dgates, dcarry, dstates;
};

// Runs the time loop; dstates slot 0 ends with dh0 when needed.
template <class T>
Loop<T> run_loop(const FusedRecord<T>& r, const Tensor& grad_sequence, const Tensor& grad_final,
                 bool initial) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, up = d.padded, room = d.batch * up;
  const bool after = r.settings.mode != ResetGateMode::before_multiplication;
  Loop<T> loop;
  loop.dgates = Buffer<T>(rows * d.gate_width());
  if (after) loop.dcarry = Buffer<T>(rows * up);
  loop.dstates = zero_buffer<T>(2 * room);
  Buffer<T> sequence;
  if (grad_sequence.defined()) {
    sequence = zero_buffer<T>(rows * up);
    to_reading_order(data_of<T>(grad_sequence), d, d.units, false, sequence.data(), up);
  }
  // dstate(steps) = d(final state) + d(sequence output of the last step read)
  T* last = loop.dstates.data() + (d.steps % 2) * room;
  const T* final_grad = data_of<T>(grad_final);
  for (std::size_t b = 0; b < d.batch; ++b) {
    for (std::size_t j = 0; j < d.units; ++j) {
      T value = final_grad ? final_grad[b * d.units + j] : T(0);
      if (sequence.data() && d.steps > 0) value += sequence.data()[(rows - d.batch + b) * up + j];
      last[b * up + j] = value;
    }
  }
  if (d.steps == 0 || d.batch == 0) return loop;

  const Buffer<T> panels = pack_backward(data_of<T>(r.tensors.recurrent_kernel), d);
  BackwardStep<T> step;
  step.dims = d;
  step.settings = r.settings;
  step.gates = r.gates.data();
  step.slopes = r.slopes.data();
  step.carry = r.carry.data();
  step.states = r.states.data();
  step.mask = r.mask.data();
  for (std::size_t g = 0; g < 3; ++g) step.recurrent_masks[g] = r.recurrent_masks[g].data();
  step.sequence_grad = sequence.data();
  step.dgates = loop.dgates.data();
  step.dcarry = loop.dcarry.data();
  step.dstates = {loop.dstates.data(), loop.dstates.data() + room};
  step.panels = panels.data();
  step.initial = initial;
  const double work = 3.0 * d.batch * d.units * d.units / (after ? 1 : 2);
  run_phases(step.phases(), d.groups(), work,
             [&step](std::size_t phase, std::size_t group) { step.run(phase, group); });
  return loop;
}

// The input rows in reading order (rows x input).
template <class T>
Buffer<T> reading_order_input(const FusedRecord<T>& r) {
  Buffer<T> x(r.dims.steps * r.dims.batch * r.dims.input);
  to_reading_order(data_of<T>(r.tensors.input), r.dims, r.dims.input, r.settings.go_backwards,
                   x.data(), r.dims.input);
  return x;
}

// dx = sum over gates of (dx_g W_g^T) m_g, back in (batch, steps, input) layout.
template <class T>
Tensor input_grad(const FusedRecord<T>& r, const T* dgates) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, G = d.gate_width(), n = 3 * d.units;
  const T* w = data_of<T>(r.tensors.kernel);
  const auto& masks = r.tensors.input_dropout;
  const bool dropout =
      std::any_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); });
  Buffer<T> dx(rows * d.input), term, masked;
  if (!dropout && d.padded == d.units) {
    gemm(false, true, rows, d.input, n, T(1), dgates, G, w, n, T(0), dx.data(), d.input);
  } else {
    std::fill(dx.data(), dx.data() + dx.size(), T(0));
    if (dropout) {
      term = Buffer<T>(rows * d.input);
      masked = Buffer<T>(rows * d.input);
    }
    for (std::size_t g = 0; g < 3; ++g) {
      // x_g = (x m_g) W_g  =>  dx += (dx_g W_g^T) m_g
      if (!masks[g].defined()) {
        gemm(false, true, rows, d.input, d.units, T(1), dgates + g * d.padded, G, w + g * d.units,
             n, T(1), dx.data(), d.input);
        continue;
      }
      gemm(false, true, rows, d.input, d.units, T(1), dgates + g * d.padded, G, w + g * d.units, n,
           T(0), term.data(), d.input);
      mask_rows(term.data(), data_of<T>(masks[g]), rows, d.batch, d.input, d.input, masked.data());
      for (std::size_t i = 0; i < dx.size(); ++i) dx.data()[i] += masked.data()[i];
    }
  }
  auto out = array_of<T>({d.batch, d.steps, d.input});
  from_reading_order(dx.data(), d.input, d, d.input, r.settings.go_backwards, out.data());
  return Tensor(std::move(out));
}

// dW_g = (x m_g)^T dx_g, K = steps * batch.
template <class T>
Tensor kernel_grad(const FusedRecord<T>& r, const T* dgates) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, G = d.gate_width(), n = 3 * d.units;
  const Buffer<T> x = reading_order_input(r);
  auto dw = array_of<T>({d.input, n});
  const auto& masks = r.tensors.input_dropout;
  const bool dropout =
      std::any_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); });
  if (!dropout && d.padded == d.units) {
    gemm(true, false, d.input, n, rows, T(1), x.data(), d.input, dgates, G, T(0), dw.data(), n);
    return Tensor(std::move(dw));
  }
  Buffer<T> masked(dropout ? rows * d.input : 0);
  for (std::size_t g = 0; g < 3; ++g) {
    const T* operand = x.data();
    if (masks[g].defined()) {
      mask_rows(x.data(), data_of<T>(masks[g]), rows, d.batch, d.input, d.input, masked.data());
      operand = masked.data();
    }
    gemm(true, false, d.input, d.units, rows, T(1), operand, d.input, dgates + g * d.padded, G,
         T(0), dw.data() + g * d.units, n);
  }
  return Tensor(std::move(dw));
}

// dU_g = H_g^T dy_g with H_g the operand of gate g's recurrent product at every step
// (h_{k-1} rm_g, or q for before_multiplication's candidate) and dy_g the gradient of that
// product (dx_z, dx_r, and da or dx_c).
template <class T>
Tensor recurrent_kernel_grad(const FusedRecord<T>& r, const Loop<T>& loop) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, G = d.gate_width(), up = d.padded, n = 3 * d.units;
  const bool after = r.settings.mode != ResetGateMode::before_multiplication;
  auto du = array_of<T>({d.units, n});
  Buffer<T> masked;
  // z and r share their operand without recurrent dropout: one product for both when their
  // columns are adjacent (no padding).
  const bool shared = r.recurrent_masks[0].empty() && r.recurrent_masks[1].empty();
  const bool merged = shared && up == d.units;
  for (std::size_t g = merged ? 1 : 0; g < 3; ++g) {
    const T* operand = r.states.data();
    if (g == 2 && !after) {
      operand = r.carry.data();
    } else if (!r.recurrent_masks[g].empty()) {
      if (masked.empty()) masked = Buffer<T>(rows * up);
      mask_rows(r.states.data(), r.recurrent_masks[g].data(), rows, d.batch, up, up, masked.data());
      operand = masked.data();
    }
    const bool carried = g == 2 && after;
    const std::size_t first = merged && g == 1 ? 0 : g;
    const std::size_t width = merged && g == 1 ? 2 * d.units : d.units;
    const T* dy = carried ? loop.dcarry.data() : loop.dgates.data() + first * up;
    gemm(true, false, d.units, width, rows, T(1), operand, up, dy, carried ? up : G, T(0),
         du.data() + first * d.units, n);
  }
  return Tensor(std::move(du));
}

}  // namespace

template <class T>
FusedGradients fused_backward(const FusedRecord<T>& r, const Tensor& grad_sequence,
                              const Tensor& grad_final, const FusedNeeds& needs) {
  const FusedDims& d = r.dims;
  const Loop<T> loop = run_loop(r, grad_sequence, grad_final, needs.initial_state);
  const std::size_t rows = d.steps * d.batch, G = d.gate_width(), n = 3 * d.units;
  FusedGradients out;
  if (needs.input) out.input = input_grad(r, loop.dgates.data());
  if (needs.kernel) out.kernel = kernel_grad(r, loop.dgates.data());
  if (needs.recurrent_kernel) out.recurrent_kernel = recurrent_kernel_grad(r, loop);
  if (needs.bias || needs.recurrent_bias) {
    // b and rb_z, rb_r enter with the same pre-activations: their gradients are the sums of
    // dx_g; rb_h enters with a, so its gradient is the sum of da.
    auto db = array_of<T>({n});
    gate_column_sums(loop.dgates.data(), rows, G, d, 3, db.data());
    if (needs.bias) out.bias = Tensor(db);
    if (needs.recurrent_bias) {
      auto drb = array_of<T>({n});
      std::copy_n(db.data(), 2 * d.units, drb.data());
      gate_column_sums(loop.dcarry.data(), rows, d.padded, d, 1, drb.data() + 2 * d.units);
      out.recurrent_bias = Tensor(std::move(drb));
    }
  }
  if (needs.initial_state) {
    auto dh0 = array_of<T>({d.batch, d.units});
    for (std::size_t b = 0; b < d.batch; ++b)
      std::copy_n(loop.dstates.data() + b * d.padded, d.units, dh0.data() + b * d.units);
    out.initial_state = Tensor(std::move(dh0));
  }
  return out;
}

template FusedGradients fused_backward<float>(const FusedRecord<float>&, const Tensor&,
                                              const Tensor&, const FusedNeeds&);
template FusedGradients fused_backward<double>(const FusedRecord<double>&, const Tensor&,
                                               const Tensor&, const FusedNeeds&);

}  // namespace grutape::detail
