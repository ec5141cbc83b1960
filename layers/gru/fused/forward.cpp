// The fused GRU forward pass: the input projection of every step as one product, then the time
// loop of layers/gru/fused/detail/step.cpp on threads that live for the whole sequence.

#include <algorithm>
#include <cstring>

#include "core/detail/phases.hpp"
#include "core/detail/tile_products.hpp"
#include "layers/gru/fused/detail/kernel.hpp"
#include "layers/gru/fused/detail/step.hpp"

namespace grutape::detail {
namespace {

// x (batch, steps, input) times a (batch, input) mask, row (b, t) by mask row b.
template <class T>
void mask_rows(const T* x, const T* mask, const FusedDims& d, T* out) {
  for (std::size_t row = 0; row < d.batch * d.steps; ++row) {
    const T* m = mask + (row / d.steps) * d.input;
    for (std::size_t i = 0; i < d.input; ++i) out[row * d.input + i] = x[row * d.input + i] * m[i];
  }
}

// gates row (k, b) = (x m_g) W_g + bias_g for every step read, gate blocks padded: the
// product of all steps at once, over the input's own rows (b, t), each result written to its
// row in reading order. Each item packs the W panels of a few unit blocks into its own buffer
// (written to L2, not to memory, and read back from there) and multiplies them with all rows,
// a chunk of rows (kept in L2) at a time.
template <class T>
void project_inputs(const FusedTensors& in, const FusedDims& d, bool backwards, const T* biases,
                    T* gates) {
  const T* x = data_of<T>(in.input);
  const std::size_t rows = d.steps * d.batch, L = d.lanes, up = d.padded, G = d.gate_width();
  std::array<Buffer<T>, 3> masked;
  std::array<const T*, 3> operands = {x, x, x};
  for (std::size_t g = 0; g < 3; ++g) {
    if (!in.input_dropout[g].defined()) continue;
    masked[g] = Buffer<T>(rows * d.input);
    mask_rows(x, data_of<T>(in.input_dropout[g]), d, masked[g].data());
    operands[g] = masked[g].data();
  }
  const T* w = data_of<T>(in.kernel);
  const std::size_t per_item = d.blocks >= 8 ? 4 : 1, items = (d.blocks + per_item - 1) / per_item;
  // The rows of a chunk: ProductBlocks' choice for all blocks (only its row split is used).
  const ProductBlocks chunks(rows, d.input, 1, sizeof(T));
  const double work = static_cast<double>(rows) * d.input * 3 * up;
  run_phases(1, items, work, [&](std::size_t, std::size_t item) {
    const std::size_t first_block = item * per_item;
    const std::size_t count = std::min(per_item, d.blocks - first_block);
    Buffer<T> panels(count * d.input * 3 * L);
    ForwardPanels<T>::pack_blocks(w, d.input, d, first_block, count, 0, d.input, panels.data());
    for (std::size_t c = 0; c < chunks.items(); ++c) {
      const std::size_t first = chunks.row_begin(c), height = chunks.row_end(c) - first;
      std::array<const T*, 3> chunk;
      for (std::size_t g = 0; g < 3; ++g) chunk[g] = operands[g] + first * d.input;
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t j0 = (first_block + i) * L;
        gate_products<T, 3>(height, chunk, d.input, panels.data() + i * d.input * 3 * L,
                            PanelLayout{3 * L, L}, d.input,
                            [&](std::size_t row0, std::size_t tile, const T* product) {
                              for (std::size_t r = 0; r < tile; ++r) {
                                // Input row (b, t) is row (k, b) of the reading order.
                                const std::size_t row = first + row0 + r;
                                const std::size_t b = row / d.steps, t = row % d.steps;
                                T* out = gates + (d.time(t, backwards) * d.batch + b) * G + j0;
                                for (std::size_t g = 0; g < 3; ++g) {
                                  (load(product + (3 * r + g) * L) + load(biases + g * up + j0))
                                      .store_unaligned(out + g * up);
                                }
                              }
                            });
      }
    }
  });
}

// (rows, width) into (rows, padded) with zero padding.
template <class T>
void pad_rows(const T* from, std::size_t rows, std::size_t width, std::size_t padded, T* to) {
  for (std::size_t row = 0; row < rows; ++row) {
    std::copy(from + row * width, from + (row + 1) * width, to + row * padded);
    std::fill(to + row * padded + width, to + (row + 1) * padded, T(0));
  }
}

// b_z + rb_z | b_r + rb_r | b_h | rb_h, padded, zeros where absent.
template <class T>
Buffer<T> bias_rows(const FusedTensors& in, const FusedDims& d) {
  Buffer<T> biases = zero_buffer<T>(4 * d.padded);
  const T* b = data_of<T>(in.bias);
  const T* rb = data_of<T>(in.recurrent_bias);
  for (std::size_t g = 0; g < 3; ++g) {
    for (std::size_t j = 0; j < d.units; ++j) {
      T& into = biases.data()[g * d.padded + j];
      if (b) into = b[g * d.units + j];
      if (rb && g < 2) into += rb[g * d.units + j];
      if (rb && g == 2) biases.data()[3 * d.padded + j] = rb[g * d.units + j];
    }
  }
  return biases;
}

// The (batch, steps) mask of any dtype as 0/1 values in reading order.
template <class T>
Buffer<T> reading_order_mask(const Tensor& mask, const FusedDims& d, bool backwards) {
  Buffer<T> out(d.steps * d.batch);
  mask.visit([&](const auto& m) {
    for (std::size_t k = 0; k < d.steps; ++k)
      for (std::size_t b = 0; b < d.batch; ++b)
        out.data()[k * d.batch + b] = m.data()[b * d.steps + d.time(k, backwards)] != 0;
  });
  return out;
}

}  // namespace

template <class T>
std::shared_ptr<FusedRecord<T>> fused_forward(const FusedTensors& in, const FusedSettings& s,
                                              bool save, Tensor& sequence, Tensor& final_state) {
  const Shape shape = in.input.shape();
  auto record = std::make_shared<FusedRecord<T>>();
  FusedRecord<T>& r = *record;
  r.dims = fused_dims<T>(shape[0], shape[1], shape[2], in.recurrent_kernel.shape()[0]);
  r.settings = s;
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, up = d.padded, room = d.batch * up;
  const bool before = s.mode == ResetGateMode::before_multiplication;

  const Buffer<T> biases = bias_rows<T>(in, d);
  r.gates = Buffer<T>(rows * d.gate_width());
  project_inputs<T>(in, d, s.go_backwards, biases.data(), r.gates.data());
  r.states = Buffer<T>((d.steps + 1) * room);
  if (in.initial_state.defined())
    pad_rows(data_of<T>(in.initial_state), d.batch, d.units, up, r.states.data());
  else
    std::fill(r.states.data(), r.states.data() + room, T(0));
  if (in.mask.defined()) r.mask = reading_order_mask<T>(in.mask, d, s.go_backwards);
  if (save || before) r.carry = Buffer<T>(save ? rows * up : room);
  if (save && (!slope_from_output(s.gate) || !slope_from_output(s.state)))
    r.slopes = Buffer<T>(rows * d.gate_width());
  std::array<Buffer<T>, 3> masked_states;
  for (std::size_t g = 0; g < 3; ++g) {
    if (!in.recurrent_dropout[g].defined()) continue;
    r.recurrent_masks[g] = Buffer<T>(room);
    pad_rows(data_of<T>(in.recurrent_dropout[g]), d.batch, d.units, up,
             r.recurrent_masks[g].data());
    masked_states[g] = Buffer<T>(2 * room);
    for (std::size_t i = 0; i < room; ++i)
      masked_states[g].data()[i] = r.states.data()[i] * r.recurrent_masks[g].data()[i];
  }
  ForwardPanels<T> panels(data_of<T>(in.recurrent_kernel), d.units, d);

  ForwardStep<T> step;
  step.dims = d;
  step.settings = s;
  step.save = save;
  step.gates = r.gates.data();
  step.slopes = r.slopes.data();
  step.carry = r.carry.data();
  step.states = r.states.data();
  step.mask = r.mask.data();
  step.recurrent_bias = biases.data() + 3 * up;
  for (std::size_t g = 0; g < 3; ++g) {
    step.recurrent_masks[g] = r.recurrent_masks[g].data();
    step.masked_states[g] = masked_states[g].data();
  }
  step.panels = &panels;
  const double work = 3.0 * d.batch * d.units * d.units / (before ? 2 : 1);
  run_phases(step.phases(), d.blocks, work,
             [&step](std::size_t phase, std::size_t block) { step.run(phase, block); });

  // The sequence in reading order: output step k is the state after the k-th step read.
  auto out = Tensor::Array<T>::from_shape({d.batch, d.steps, d.units});
  from_reading_order(r.states.data() + room, up, d, d.units, false, out.data());
  auto last = Tensor::Array<T>::from_shape({d.batch, d.units});
  for (std::size_t b = 0; b < d.batch; ++b)
    std::copy_n(r.states.data() + d.steps * room + b * up, d.units, last.data() + b * d.units);
  sequence = Tensor(std::move(out));
  final_state = Tensor(std::move(last));
  if (save) r.tensors = in;
  return record;
}

template std::shared_ptr<FusedRecord<float>> fused_forward<float>(const FusedTensors&,
                                                                  const FusedSettings&, bool,
                                                                  Tensor&, Tensor&);
template std::shared_ptr<FusedRecord<double>> fused_forward<double>(const FusedTensors&,
                                                                    const FusedSettings&, bool,
                                                                    Tensor&, Tensor&);

}  // namespace grutape::detail
