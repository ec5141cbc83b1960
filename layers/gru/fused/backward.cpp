// The fused GRU backward pass: the time loop of layers/gru/fused/detail/backward_step.cpp, then the
// weight, bias and input gradients over all steps at once (layers/gru/fused/detail/grads.cpp).

#include <algorithm>

#include "core/detail/phases.hpp"
#include "layers/gru/fused/detail/backward_step.hpp"
#include "layers/gru/fused/detail/grads.hpp"

namespace grutape::detail {
namespace {

// Runs the time loop; dstates slot 0 ends with dh0 when needed.
template <class T>
LoopGradients<T> run_loop(const FusedRecord<T>& r, const Tensor& grad_sequence,
                          const Tensor& grad_final, bool initial) {
  const FusedDims& d = r.dims;
  const std::size_t rows = d.steps * d.batch, up = d.padded, room = d.batch * up;
  const bool after = r.settings.mode != ResetGateMode::before_multiplication;
  LoopGradients<T> loop;
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

  const TransposedPanels<T> panels(data_of<T>(r.tensors.recurrent_kernel), d.units, d);
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
  step.panels = &panels;
  step.initial = initial;
  const double work = 3.0 * d.batch * d.units * d.units / (after ? 1 : 2);
  run_phases(step.phases(), panels.groups(), work,
             [&step](std::size_t phase, std::size_t group) { step.run(phase, group); });
  return loop;
}

}  // namespace

template <class T>
FusedGradients fused_backward(const FusedRecord<T>& r, const Tensor& grad_sequence,
                              const Tensor& grad_final, const FusedNeeds& needs) {
  const FusedDims& d = r.dims;
  const LoopGradients<T> loop = run_loop(r, grad_sequence, grad_final, needs.initial_state);
  FusedGradients out;
  if (needs.input) out.input = input_grad(r, loop);
  if (needs.kernel) out.kernel = kernel_grad(r, loop);
  if (needs.recurrent_kernel) out.recurrent_kernel = recurrent_kernel_grad(r, loop);
  if (needs.bias || needs.recurrent_bias)
    bias_grads(r, loop, needs.bias, needs.recurrent_bias, out.bias, out.recurrent_bias);
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
