#include "layers/gru/fused/node.hpp"

#include "autodiff/custom_op.hpp"
#include "layers/gru/fused/detail/kernel.hpp"

namespace grutape {
namespace {

constexpr const char* kFusedWhere = "gru_fused";

void require_shape_of(const Tensor& tensor, const Shape& expected, const std::string& what) {
  if (tensor.shape() != expected) {
    throw ShapeError(kFusedWhere, what + " of shape " + shape_to_string(expected),
                     shape_to_string(tensor.shape()));
  }
}

void require_dtype_of(const Tensor& tensor, DType dtype, const std::string& what) {
  if (tensor.dtype() != dtype) {
    throw ValueError(kFusedWhere, what + " of dtype " + dtype_name(dtype),
                     dtype_name(tensor.dtype()));
  }
}

// Checks every operand against the input and the recurrent kernel; returns the tensors.
detail::FusedTensors validated(const GruFusedInputs& in, const GruFusedConfig& config) {
  if (!in.input.defined() || !in.kernel.defined() || !in.recurrent_kernel.defined()) {
    throw ValueError(kFusedWhere, "an input, a kernel and a recurrent kernel", "an undefined one");
  }
  detail::FusedTensors t;
  t.input = in.input.value();
  const Shape shape = t.input.shape();
  if (shape.size() != 3) {
    throw ShapeError(kFusedWhere, "input of rank 3 (batch, timesteps, features)",
                     shape_to_string(shape));
  }
  const DType dtype = t.input.dtype();
  t.recurrent_kernel = in.recurrent_kernel.value();
  const Shape recurrent = t.recurrent_kernel.shape();
  if (recurrent.size() != 2 || recurrent[0] == 0 || recurrent[1] != 3 * recurrent[0]) {
    throw ShapeError(kFusedWhere, "recurrent kernel of shape (units, 3 * units), units >= 1",
                     shape_to_string(recurrent));
  }
  const std::size_t batch = shape[0], steps = shape[1], features = shape[2], units = recurrent[0];
  t.kernel = in.kernel.value();
  require_shape_of(t.kernel, {features, 3 * units}, "kernel");
  require_dtype_of(t.kernel, dtype, "kernel");
  require_dtype_of(t.recurrent_kernel, dtype, "recurrent kernel");
  if (in.initial_state.defined()) {
    t.initial_state = in.initial_state.value();
    require_shape_of(t.initial_state, {batch, units}, "initial state");
    require_dtype_of(t.initial_state, dtype, "initial state");
  }
  if (in.bias.defined()) {
    t.bias = in.bias.value();
    require_shape_of(t.bias, {3 * units}, "bias");
    require_dtype_of(t.bias, dtype, "bias");
  }
  if (in.recurrent_bias.defined()) {
    if (config.reset_gate_mode != ResetGateMode::recurrent_bias_after_multiplication) {
      throw ValueError(
          kFusedWhere,
          "no recurrent bias unless reset_gate_mode is "
          "recurrent_bias_after_multiplication",
          std::string("a recurrent bias with ") + reset_gate_mode_name(config.reset_gate_mode));
    }
    t.recurrent_bias = in.recurrent_bias.value();
    require_shape_of(t.recurrent_bias, {3 * units}, "recurrent bias");
    require_dtype_of(t.recurrent_bias, dtype, "recurrent bias");
  }
  if (in.mask.defined()) {
    t.mask = in.mask;
    require_shape_of(t.mask, {batch, steps}, "mask");
  }
  for (std::size_t g = 0; g < 3; ++g) {
    const std::string gate = gate_name(gru_gate_order[g]);
    if (in.input_dropout[g].defined()) {
      t.input_dropout[g] = in.input_dropout[g];
      require_shape_of(t.input_dropout[g], {batch, features}, gate + " input dropout mask");
      require_dtype_of(t.input_dropout[g], dtype, gate + " input dropout mask");
    }
    if (in.recurrent_dropout[g].defined()) {
      t.recurrent_dropout[g] = in.recurrent_dropout[g];
      require_shape_of(t.recurrent_dropout[g], {batch, units}, gate + " recurrent dropout mask");
      require_dtype_of(t.recurrent_dropout[g], dtype, gate + " recurrent dropout mask");
    }
  }
  return t;
}

template <class T>
std::vector<Value> run(const GruFusedInputs& in, const detail::FusedTensors& tensors,
                       const detail::FusedSettings& settings) {
  // The differentiable operands in a fixed order; gradients come back in the same order.
  const std::vector<Value> operands = {in.input, in.initial_state, in.kernel, in.recurrent_kernel,
                                       in.bias,  in.recurrent_bias};
  std::vector<Value> recorded;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    if (!operands[i].defined()) continue;
    recorded.push_back(operands[i]);
    positions.push_back(i);
  }
  const bool save = should_record(recorded);
  std::vector<Tensor> results(2);
  auto record = detail::fused_forward<T>(tensors, settings, save, results[0], results[1]);
  if (!save) return record_multi_op(kFusedWhere, std::move(results), recorded, nullptr);

  detail::FusedNeeds needs;
  bool* flags[] = {&needs.input, &needs.initial_state, &needs.kernel, &needs.recurrent_kernel,
                   &needs.bias,  &needs.recurrent_bias};
  for (std::size_t k = 0; k < recorded.size(); ++k)
    *flags[positions[k]] = recorded[k].requires_grad();
  MultiBackward backward = [record, needs, positions](const std::vector<Tensor>& grads) {
    const detail::FusedGradients g = detail::fused_backward<T>(*record, grads[0], grads[1], needs);
    const Tensor all[] = {g.input, g.initial_state, g.kernel, g.recurrent_kernel,
                          g.bias,  g.recurrent_bias};
    std::vector<Tensor> out;
    for (std::size_t position : positions) out.push_back(all[position]);
    return out;
  };
  return record_multi_op(kFusedWhere, std::move(results), recorded, std::move(backward));
}

}  // namespace

GruFusedConfig gru_fused_config(const GruOptions& options) {
  GruFusedConfig config;
  config.reset_gate_mode = options.reset_gate_mode();
  config.activation = options.activation();
  config.recurrent_activation = options.recurrent_activation();
  config.go_backwards = options.go_backwards();
  return config;
}

std::vector<Value> gru_fused(const GruFusedInputs& inputs, const GruFusedConfig& config) {
  detail::FusedSettings settings;
  settings.mode = config.reset_gate_mode;
  settings.state = detail::fused_activation(config.activation, "gru_fused: activation");
  settings.gate =
      detail::fused_activation(config.recurrent_activation, "gru_fused: recurrent_activation");
  settings.go_backwards = config.go_backwards;
  const detail::FusedTensors tensors = validated(inputs, config);
  if (tensors.input.dtype() == DType::float32) return run<float>(inputs, tensors, settings);
  return run<double>(inputs, tensors, settings);
}

}  // namespace grutape
