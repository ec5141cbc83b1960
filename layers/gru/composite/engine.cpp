#include "layers/gru/composite/engine.hpp"

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/indexing.hpp"
#include "layers/gru/composite/cell.hpp"
#include "layers/gru/masks.hpp"

namespace grutape {
namespace {

// The steps' input projections x W + b, cut into gate blocks, in time order.
struct LevelProjection {
  std::vector<Value> update_reset;
  std::vector<Value> candidate;
};

// `rows` holds the level's input as (steps * batch, features), time-major.
LevelProjection project_inputs(const GruOptions& options, const GruLevelWeights& w,
                               const Value& rows, std::size_t steps, std::size_t batch,
                               const Tensor& input_masks) {
  const std::size_t u = options.units(), features = rows.shape()[1];
  Value update_reset, candidate;
  if (options.implementation() == 2 && !input_masks.defined()) {
    // x W + b of every step and gate: one GEMM of steps * batch rows.
    Value all = matmul(rows, w.kernel);
    if (w.bias.defined()) all = all + w.bias;
    const std::vector<Value> parts = split(all, {2 * u, u}, 1);
    update_reset = parts[0];
    candidate = parts[1];
  } else {
    // One product per gate; under input dropout each gate reads the input through its own mask,
    // the same for every step (broadcast over the time axis of (steps, batch, features)).
    const std::vector<Value> kernels = chunk(w.kernel, gru_gate_count, 1);
    const std::vector<Value> biases =
        w.bias.defined() ? chunk(w.bias, gru_gate_count, 0) : std::vector<Value>();
    const Value sequence =
        input_masks.defined() ? reshape(rows, {steps, batch, features}) : Value();
    std::vector<Value> gates;
    for (GruGate gate : gru_gate_order) {
      const std::size_t g = gate_index(gate);
      Value seen = rows;
      if (input_masks.defined()) {
        seen = reshape(sequence * Value(detail::select_tensor(input_masks, 0, g)),
                       {steps * batch, features});
      }
      Value projected = matmul(seen, kernels[g]);
      if (!biases.empty()) projected = projected + biases[g];
      gates.push_back(projected);
    }
    update_reset =
        concat({gates[gate_index(GruGate::update)], gates[gate_index(GruGate::reset)]}, 1);
    candidate = gates[gate_index(GruGate::candidate)];
  }
  const std::vector<std::size_t> step_rows(steps, batch);
  return {split(update_reset, step_rows, 0), split(candidate, step_rows, 0)};
}

// The state after each reading step of one level, from `state`.
std::vector<Value> run_level(const GruCell& cell, const LevelProjection& projection, Value state,
                             const std::vector<GruStepMask>& masks, bool reverse) {
  const std::size_t steps = masks.size();
  std::vector<Value> states;
  states.reserve(steps);
  for (std::size_t s = 0; s < steps; ++s) {
    const std::size_t t = reverse ? steps - 1 - s : s;
    if (masks[s].kind != GruStepMask::Kind::none) {
      Value next = cell.step(state, {projection.update_reset[t], projection.candidate[t]});
      // h_t = valid ? cell(h) : h
      if (masks[s].kind == GruStepMask::Kind::some) next = where(masks[s].valid, next, state);
      state = next;
    }
    states.push_back(state);
  }
  return states;
}

}  // namespace

GruResult run_gru_composite(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                            const Value& x, const GruInputs& inputs, const std::string& where) {
  const GruCall call = check_gru_call(options, levels, x, inputs, where);
  const std::size_t batch = call.batch, steps = call.steps, features = call.features;
  const std::size_t depth = options.depth(), units = options.units();
  const DType dtype = call.dtype;
  const std::vector<Value>& first_states = call.initial_states;
  const bool dropout = !inputs.dropout_masks.empty();
  const Tensor& mask = call.mask;

  GruResult result;
  result.return_state = options.return_state();
  if (steps == 0) {
    // Nothing to read: each level ends where it started.
    result.states = first_states;
    result.output = options.return_sequences() ? Value(Tensor::zeros({batch, 0, units}, dtype))
                                               : first_states.back();
    return result;
  }
  const std::vector<GruStepMask> step_masks = gru_step_masks(mask, steps, options.go_backwards());
  Value rows = reshape(permute(x, {1, 0, 2}), {steps * batch, features});
  bool reverse = options.go_backwards();
  for (std::size_t k = 0; k < depth; ++k) {
    const GruDropoutMasks masks = dropout ? inputs.dropout_masks[k] : GruDropoutMasks();
    const LevelProjection projection =
        project_inputs(options, levels[k], rows, steps, batch, masks.input);
    const GruCell cell(options, levels[k].recurrent_kernel, levels[k].recurrent_bias,
                       masks.recurrent);
    const std::vector<Value> states =
        run_level(cell, projection, first_states[k], step_masks, reverse);
    result.states.push_back(states.back());
    if (k + 1 < depth) {
      // The next level reads these states as its rows, already in reading order.
      rows = concat(states, 0);
      reverse = false;
    } else {
      result.output = options.return_sequences() ? stack(states, 1) : states.back();
    }
  }
  return result;
}

}  // namespace grutape
