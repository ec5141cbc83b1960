#include "layers/gru_composite.hpp"

#include <cmath>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/indexing.hpp"
#include "layers/gru_cell.hpp"
#include "layers/gru_dropout.hpp"
#include "layers/gru_masks.hpp"
#include "layers/gru_weights.hpp"

namespace grutape {
namespace {

std::string level_where(const std::string& where, std::size_t level, std::size_t depth) {
  return depth == 1 ? where : where + ": level " + std::to_string(level + 1);
}

void require_no_nan(const Tensor& tensor, const std::string& where) {
  tensor.visit([&](const auto& a) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::isnan(a.data()[i])) {
        throw ValueError(where, "no NaN (check_nan is on)", "NaN at element " + std::to_string(i));
      }
    }
  });
}

void check_level_weights(const GruOptions& options, const GruLevelWeights& w, std::size_t features,
                         DType dtype, const std::string& where) {
  for (const Value* value : {&w.kernel, &w.recurrent_kernel}) {
    if (!value->defined()) throw ValueError(where, "a kernel and a recurrent kernel", "none");
  }
  const auto tensor = [](const Value& v) { return v.defined() ? v.value() : Tensor(); };
  const GruWeights weights{tensor(w.kernel), tensor(w.recurrent_kernel), tensor(w.bias),
                           tensor(w.recurrent_bias)};
  check_gru_weights(weights, GruOptions(options).input_size(features), where);
  if (w.kernel.dtype() != dtype) {
    throw ValueError(where, std::string("weights of dtype ") + dtype_name(dtype) + " (the input's)",
                     dtype_name(w.kernel.dtype()));
  }
}

// The initial state of each level: the given ones (checked), else zeros.
std::vector<Value> initial_states(const GruOptions& options, const GruInputs& inputs,
                                  std::size_t batch, DType dtype, const std::string& where) {
  const std::size_t depth = options.depth(), units = options.units();
  if (inputs.initial_states.empty()) {
    return std::vector<Value>(depth, Value(Tensor::zeros({batch, units}, dtype)));
  }
  if (inputs.initial_states.size() != depth) {
    throw ValueError(
        where + ": initial states",
        std::to_string(depth) + " (one per level, depth " + std::to_string(depth) + ")",
        std::to_string(inputs.initial_states.size()));
  }
  for (std::size_t k = 0; k < depth; ++k) {
    const Value& state = inputs.initial_states[k];
    const std::string what = level_where(where, k, depth) + ": initial state";
    if (!state.defined()) throw ValueError(what, "a (batch, units) value", "none");
    require_shape(state.value(), {batch, units}, what);
    if (state.dtype() != dtype) {
      throw ValueError(what, std::string("dtype ") + dtype_name(dtype) + " (the input's)",
                       dtype_name(state.dtype()));
    }
    if (options.check_nan()) require_no_nan(state.value(), what);
  }
  return inputs.initial_states;
}

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

void require_gru_input_rank(const Shape& shape, const std::string& where) {
  if (shape.size() != 3) {
    throw ShapeError(where, "input of rank 3 (batch, timesteps, features)",
                     "shape " + shape_to_string(shape));
  }
}

GruResult run_gru_composite(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                            const Value& x, const GruInputs& inputs, const std::string& where) {
  if (!x.defined()) throw ValueError(where, "an input value", "none");
  require_gru_input_rank(x.shape(), where);
  const std::size_t batch = x.shape()[0], steps = x.shape()[1], features = x.shape()[2];
  const std::size_t depth = options.depth(), units = options.units();
  const DType dtype = x.dtype();
  if (levels.size() != depth) {
    throw ValueError(where, std::to_string(depth) + " levels of weights (depth)",
                     std::to_string(levels.size()));
  }
  if (options.input_size() != 0 && options.input_size() != features) {
    throw ShapeError(where,
                     "input of " + std::to_string(options.input_size()) + " features (input_size)",
                     "shape " + shape_to_string(x.shape()));
  }
  const Value& kernel = levels[0].kernel;
  if (kernel.defined() && kernel.rank() == 2 && kernel.shape()[0] != features) {
    throw ShapeError(
        where,
        "input of " + std::to_string(kernel.shape()[0]) + " features (the kernel's input size)",
        "shape " + shape_to_string(x.shape()));
  }
  for (std::size_t k = 0; k < depth; ++k) {
    check_level_weights(options, levels[k], k == 0 ? features : units, dtype,
                        level_where(where, k, depth));
  }
  if (options.check_nan()) require_no_nan(x.value(), where + ": input");
  const std::vector<Value> first_states = initial_states(options, inputs, batch, dtype, where);
  const bool dropout = !inputs.dropout_masks.empty();
  if (dropout && inputs.dropout_masks.size() != depth) {
    throw ValueError(where + ": dropout masks", std::to_string(depth) + " (one per level)",
                     std::to_string(inputs.dropout_masks.size()));
  }
  for (std::size_t k = 0; dropout && k < depth; ++k) {
    check_gru_dropout_masks(inputs.dropout_masks[k], batch, k == 0 ? features : units, units, dtype,
                            level_where(where, k, depth));
  }
  const Tensor mask = resolve_gru_mask(inputs, batch, steps, dtype, where);

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
