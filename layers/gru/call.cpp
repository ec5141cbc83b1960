#include "layers/gru/call.hpp"

#include <cmath>

#include "layers/gru/detail/dropout.hpp"
#include "layers/gru/masks.hpp"
#include "layers/gru/weights.hpp"

namespace grutape {
namespace {

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
    const std::string what = gru_level_where(where, k, depth) + ": initial state";
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

}  // namespace

std::string gru_level_where(const std::string& where, std::size_t level, std::size_t depth) {
  return depth == 1 ? where : where + ": level " + std::to_string(level + 1);
}

void require_gru_input_rank(const Shape& shape, const std::string& where) {
  if (shape.size() != 3) {
    throw ShapeError(where, "input of rank 3 (batch, timesteps, features)",
                     "shape " + shape_to_string(shape));
  }
}

GruCall check_gru_call(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                       const Value& x, const GruInputs& inputs, const std::string& where) {
  if (!x.defined()) throw ValueError(where, "an input value", "none");
  require_gru_input_rank(x.shape(), where);
  GruCall call;
  call.batch = x.shape()[0];
  call.steps = x.shape()[1];
  call.features = x.shape()[2];
  call.dtype = x.dtype();
  const std::size_t depth = options.depth(), units = options.units();
  if (levels.size() != depth) {
    throw ValueError(where, std::to_string(depth) + " levels of weights (depth)",
                     std::to_string(levels.size()));
  }
  if (options.input_size() != 0 && options.input_size() != call.features) {
    throw ShapeError(where,
                     "input of " + std::to_string(options.input_size()) + " features (input_size)",
                     "shape " + shape_to_string(x.shape()));
  }
  const Value& kernel = levels[0].kernel;
  if (kernel.defined() && kernel.rank() == 2 && kernel.shape()[0] != call.features) {
    throw ShapeError(
        where,
        "input of " + std::to_string(kernel.shape()[0]) + " features (the kernel's input size)",
        "shape " + shape_to_string(x.shape()));
  }
  for (std::size_t k = 0; k < depth; ++k) {
    check_level_weights(options, levels[k], k == 0 ? call.features : units, call.dtype,
                        gru_level_where(where, k, depth));
  }
  if (options.check_nan()) require_no_nan(x.value(), where + ": input");
  call.initial_states = initial_states(options, inputs, call.batch, call.dtype, where);
  const bool dropout = !inputs.dropout_masks.empty();
  if (dropout && inputs.dropout_masks.size() != depth) {
    throw ValueError(where + ": dropout masks", std::to_string(depth) + " (one per level)",
                     std::to_string(inputs.dropout_masks.size()));
  }
  for (std::size_t k = 0; dropout && k < depth; ++k) {
    check_gru_dropout_masks(inputs.dropout_masks[k], call.batch, k == 0 ? call.features : units,
                            units, call.dtype, gru_level_where(where, k, depth));
  }
  call.mask = resolve_gru_mask(inputs, call.batch, call.steps, call.dtype, where);
  return call;
}

}  // namespace grutape
