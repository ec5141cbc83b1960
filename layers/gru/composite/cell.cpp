#include "layers/gru/composite/cell.hpp"

#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/indexing.hpp"

namespace grutape {

// The cell cuts the update and reset blocks off as one: they must be the first two.
static_assert(gate_index(GruGate::update) == 0 && gate_index(GruGate::reset) == 1 &&
                  gate_index(GruGate::candidate) == 2,
              "the cell reads the 3u axis as [z | r] then h");

GruCell::GruCell(const GruOptions& options, const Value& recurrent_kernel,
                 const Value& recurrent_bias, const Tensor& recurrent_masks)
    : units_(options.units()),
      mode_(options.reset_gate_mode()),
      gate_activation_(options.recurrent_activation()),
      state_activation_(options.activation()),
      dropped_(recurrent_masks.defined()) {
  const std::size_t u = units_;
  if (dropped_) {
    for (GruGate gate : gru_gate_order) {
      const std::size_t g = gate_index(gate);
      masks_[g] = Value(detail::select_tensor(recurrent_masks, 0, g));
    }
    const std::vector<Value> blocks = chunk(recurrent_kernel, gru_gate_count, 1);
    kernel_update_ = blocks[gate_index(GruGate::update)];
    kernel_reset_ = blocks[gate_index(GruGate::reset)];
    kernel_candidate_ = blocks[gate_index(GruGate::candidate)];
    if (recurrent_bias.defined()) {
      const std::vector<Value> biases = split(recurrent_bias, {2 * u, u}, 0);
      bias_update_reset_ = biases[0];
      bias_candidate_ = biases[1];
    }
  } else if (mode_ == ResetGateMode::before_multiplication) {
    // The candidate's product needs r, which needs the z | r product first: two products.
    const std::vector<Value> blocks = split(recurrent_kernel, {2 * u, u}, 1);
    kernel_update_reset_ = blocks[0];
    kernel_candidate_ = blocks[1];
  } else {
    kernel_ = recurrent_kernel;
    bias_ = recurrent_bias;
  }
}

Value GruCell::step(const Value& h, const GruStepProjection& projection) const {
  const std::size_t u = units_;
  const bool before = mode_ == ResetGateMode::before_multiplication;
  // The recurrent parts of the pre-activations: of z | r, and (after multiplication) of c.
  Value recurrent_update_reset, recurrent_candidate;
  if (dropped_) {
    recurrent_update_reset =
        concat({matmul(h * masks_[gate_index(GruGate::update)], kernel_update_),
                matmul(h * masks_[gate_index(GruGate::reset)], kernel_reset_)},
               1);
    if (bias_update_reset_.defined())
      recurrent_update_reset = recurrent_update_reset + bias_update_reset_;
    if (!before) {
      recurrent_candidate = matmul(h * masks_[gate_index(GruGate::candidate)], kernel_candidate_);
      if (bias_candidate_.defined()) recurrent_candidate = recurrent_candidate + bias_candidate_;
    }
  } else if (before) {
    recurrent_update_reset = matmul(h, kernel_update_reset_);
  } else {
    Value all = matmul(h, kernel_);
    if (bias_.defined()) all = all + bias_;
    const std::vector<Value> parts = split(all, {2 * u, u}, 1);
    recurrent_update_reset = parts[0];
    recurrent_candidate = parts[1];
  }
  const std::vector<Value> gates = split(
      activation(gate_activation_, projection.update_reset + recurrent_update_reset), {u, u}, 1);
  const Value& z = gates[gate_index(GruGate::update)];
  const Value& r = gates[gate_index(GruGate::reset)];
  Value reset_recurrent;
  if (before) {
    const Value seen = dropped_ ? h * masks_[gate_index(GruGate::candidate)] : h;
    reset_recurrent = matmul(r * seen, kernel_candidate_);
  } else {
    reset_recurrent = r * recurrent_candidate;
  }
  const Value c = activation(state_activation_, projection.candidate + reset_recurrent);
  return c + z * (h - c);
}

}  // namespace grutape
