#include "autodiff/ops/activation.hpp"

#include <array>
#include <cmath>

#include "autodiff/custom_op.hpp"
#include "core/detail/activation_math.hpp"
#include "core/detail/map_kernel.hpp"

namespace grutape {
namespace {

using detail::map;
using Grads = std::vector<Tensor>;

// y = forward(x), recorded with dx = derivative(g, x): backward keeps the input.
template <class Forward, class Derivative>
Value with_input_derivative(const char* name, const Value& x, Forward forward,
                            Derivative derivative) {
  const Tensor vx = x.value();
  return record_op(name, map(vx, forward), {x}, [name, vx, derivative](const Tensor& g) {
    return Grads{map(g, vx, derivative, name)};
  });
}

// y = forward(x), recorded with dx = derivative(g, y): backward keeps only the output.
template <class Forward, class Derivative>
Value with_output_derivative(const char* name, const Value& x, Forward forward,
                             Derivative derivative) {
  Tensor y = map(x.value(), forward);
  return record_op(name, y, {x}, [name, y, derivative](const Tensor& g) {
    return Grads{map(g, y, derivative, name)};
  });
}

// The formulas and their derivatives are core/detail/activation_math.hpp's, shared with the
// fused GRU kernel.
Value hard_sigmoid_with(const char* name, const Value& x, double knot) {
  return with_input_derivative(
      name, x, [knot](auto v) { return detail::batch_hard_sigmoid(v, knot); },
      [knot](auto g, auto v) { return detail::batch_hard_sigmoid_backward(g, v, knot); });
}

Value elu_with(const char* name, const Value& x, double alpha, double scale) {
  if (!std::isfinite(alpha)) throw ValueError(name, "a finite alpha", std::to_string(alpha));
  return with_input_derivative(
      name, x, [alpha, scale](auto v) { return detail::batch_elu(v, alpha, scale); },
      [alpha, scale](auto g, auto v) { return detail::batch_elu_backward(g, v, alpha, scale); });
}

struct NamedActivation {
  const char* name;
  Value (*apply)(const Value&);
};

// Every activation by name, with its default parameters; the order is activation_names().
const std::array<NamedActivation, 13>& named_activations() {
  static const std::array<NamedActivation, 13> table = {{
      {"sigmoid", [](const Value& x) { return sigmoid(x); }},
      {"tanh", [](const Value& x) { return grutape::tanh(x); }},
      {"hard_sigmoid", [](const Value& x) { return hard_sigmoid(x); }},
      {"hard_sigmoid_keras3", [](const Value& x) { return hard_sigmoid_keras3(x); }},
      {"softsign", [](const Value& x) { return softsign(x); }},
      {"relu", [](const Value& x) { return relu(x); }},
      {"elu", [](const Value& x) { return elu(x); }},
      {"selu", [](const Value& x) { return selu(x); }},
      {"softplus", [](const Value& x) { return softplus(x); }},
      {"gelu", [](const Value& x) { return gelu(x); }},
      {"linear", [](const Value& x) { return linear(x); }},
      {"softmax", [](const Value& x) { return softmax(x); }},
      {"log_softmax", [](const Value& x) { return log_softmax(x); }},
  }};
  return table;
}

}  // namespace

Value sigmoid(const Value& x) {
  return with_output_derivative(
      "sigmoid", x, [](auto v) { return detail::batch_sigmoid(v); },
      [](auto g, auto y) { return detail::batch_sigmoid_backward(g, y); });
}

Value tanh(const Value& x) {
  return with_output_derivative(
      "tanh", x, [](auto v) { return detail::batch_tanh(v); },
      [](auto g, auto y) { return detail::batch_tanh_backward(g, y); });
}

Value hard_sigmoid(const Value& x) {
  return hard_sigmoid_with("hard_sigmoid", x, 2.5);
}

Value hard_sigmoid_keras3(const Value& x) {
  return hard_sigmoid_with("hard_sigmoid_keras3", x, 3.0);
}

Value softsign(const Value& x) {
  return with_input_derivative(
      "softsign", x, [](auto v) { return detail::batch_softsign(v); },
      [](auto g, auto v) { return detail::batch_softsign_backward(g, v); });
}

Value relu(const Value& x) {
  return with_output_derivative(
      "relu", x, [](auto v) { return detail::batch_relu(v); },
      [](auto g, auto y) { return detail::batch_relu_backward(g, y); });
}

Value elu(const Value& x, double alpha) {
  return elu_with("elu", x, alpha, 1.0);
}

Value selu(const Value& x) {
  namespace k = detail::activation_constants;
  return elu_with("selu", x, k::selu_alpha, k::selu_scale);
}

Value softplus(const Value& x) {
  return with_input_derivative(
      "softplus", x, [](auto v) { return detail::batch_softplus(v); },
      [](auto g, auto v) { return detail::batch_softplus_backward(g, v); });
}

Value gelu(const Value& x, bool approximate) {
  if (approximate) {
    return with_input_derivative(
        "gelu", x, [](auto v) { return detail::batch_gelu_tanh(v); },
        [](auto g, auto v) { return detail::batch_gelu_tanh_backward(g, v); });
  }
  return with_input_derivative(
      "gelu", x, [](auto v) { return detail::batch_gelu(v); },
      [](auto g, auto v) { return detail::batch_gelu_backward(g, v); });
}

Value linear(const Value& x) {
  // y = x  =>  dx = g
  return record_op("linear", x.value(), {x}, [](const Tensor& g) { return Grads{g}; });
}

Value activation(const std::string& name, const Value& x) {
  for (const NamedActivation& entry : named_activations()) {
    if (name == entry.name) return entry.apply(x);
  }
  std::string known;
  for (const NamedActivation& entry : named_activations()) {
    known += (known.empty() ? "one of " : ", ") + std::string(entry.name);
  }
  throw ValueError("activation", known, "'" + name + "'");
}

std::vector<std::string> activation_names() {
  std::vector<std::string> names;
  for (const NamedActivation& entry : named_activations()) names.push_back(entry.name);
  return names;
}

}  // namespace grutape
