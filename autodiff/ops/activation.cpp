#include "autodiff/ops/activation.hpp"

#include <array>
#include <cmath>

#include "autodiff/custom_op.hpp"
#include "core/detail/map_kernel.hpp"

namespace grutape {
namespace {

using detail::map;
using Grads = std::vector<Tensor>;

// A batch filled with the constant c in the batch's precision.
template <class B>
B splat(double c) {
  return B(static_cast<typename B::value_type>(c));
}

// 1 / (1 + e^-x) from e = e^-|x| <= 1: 1 / (1 + e) for x >= 0 and e / (1 + e) below, so e^-x
// never overflows and the result reaches exactly 0 or 1 in the tails instead of NaN.
template <class B>
B stable_sigmoid(const B& x) {
  const B e = xsimd::exp(-xsimd::abs(x));
  const B one = splat<B>(1);
  return xsimd::select(x >= splat<B>(0), one, e) / (one + e);
}

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

// clip(slope x + 0.5, 0, 1) with knots at -+knot = -+0.5 / slope, computed as
// (x + knot) / (2 knot): the knots then map exactly onto 0 and 1 (x / 6 + 0.5 at x = -3 would
// leave 3e-17, as 1/6 is not a float).
Value hard_sigmoid_with(const char* name, const Value& x, double knot) {
  const double slope = 1 / (2 * knot);
  return with_input_derivative(
      name, x,
      [knot](auto v) {
        using B = decltype(v);
        return xsimd::clip((v + splat<B>(knot)) / splat<B>(2 * knot), splat<B>(0), splat<B>(1));
      },
      // y = clip(slope x + 0.5, 0, 1)  =>  dx = slope g for |x| < knot, 0 at and beyond the knots
      [slope, knot](auto g, auto x) {
        using B = decltype(x);
        return xsimd::select(xsimd::abs(x) < splat<B>(knot), g * splat<B>(slope), splat<B>(0));
      });
}

// scale * (x for x > 0, alpha (e^x - 1) otherwise). The exponential only ever sees min(x, 0):
// on the positive side it would overflow for nothing.
Value elu_with(const char* name, const Value& x, double alpha, double scale) {
  if (!std::isfinite(alpha)) throw ValueError(name, "a finite alpha", std::to_string(alpha));
  return with_input_derivative(
      name, x,
      [alpha, scale](auto v) {
        using B = decltype(v);
        const B negative = splat<B>(alpha) * xsimd::expm1(xsimd::min(v, splat<B>(0)));
        return splat<B>(scale) * xsimd::select(v > splat<B>(0), v, negative);
      },
      // y = scale x (x > 0), scale alpha (e^x - 1) (x <= 0)  =>  dx = scale g, scale alpha e^x g
      [alpha, scale](auto g, auto x) {
        using B = decltype(x);
        const B slope = xsimd::select(x > splat<B>(0), splat<B>(1),
                                      splat<B>(alpha) * xsimd::exp(xsimd::min(x, splat<B>(0))));
        return g * splat<B>(scale) * slope;
      });
}

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kInvSqrt2 = 0.70710678118654752440084436210485;
constexpr double kInvSqrt2Pi = 0.39894228040143267793994605993438;
constexpr double kSqrt2OverPi = 0.79788456080286535587989211986876;
constexpr double kGeluCubic = 0.044715;
// Beyond |x| = 30 the tanh-form gelu's e^(-2|u|) is below the smallest float64 subnormal, so
// its sigmoid is exactly 0 or 1; u is computed from x clipped there, which changes no result
// and keeps x^3 from overflowing into inf * 0 = NaN.
constexpr double kGeluTail = 30;

// u = sqrt(2/pi) (x + 0.044715 x^3) of the tanh form, with x clipped to +-kGeluTail.
template <class B>
B gelu_tanh_argument(const B& x) {
  const B c = xsimd::clip(x, splat<B>(-kGeluTail), splat<B>(kGeluTail));
  return splat<B>(kSqrt2OverPi) * (c + splat<B>(kGeluCubic) * c * c * c);
}

Value gelu_exact(const Value& x) {
  return with_input_derivative(
      "gelu", x,
      // x Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: erfc keeps the negative tail accurate,
      // where 1 + erf(x / sqrt 2) would cancel.
      [](auto v) {
        using B = decltype(v);
        return splat<B>(0.5) * v * xsimd::erfc(-v * splat<B>(kInvSqrt2));
      },
      // y = x Phi(x)  =>  dx = g (Phi(x) + x phi(x)), phi(x) = e^(-x^2/2) / sqrt(2 pi)
      [](auto g, auto x) {
        using B = decltype(x);
        const B cdf = splat<B>(0.5) * xsimd::erfc(-x * splat<B>(kInvSqrt2));
        const B pdf = splat<B>(kInvSqrt2Pi) * xsimd::exp(splat<B>(-0.5) * x * x);
        return g * (cdf + x * pdf);
      });
}

Value gelu_tanh(const Value& x) {
  return with_input_derivative(
      "gelu", x,
      // 0.5 x (1 + tanh(u)) = x sigmoid(2u): the same function without 1 + tanh(u) cancelling
      // in the negative tail.
      [](auto v) { return v * stable_sigmoid(gelu_tanh_argument(v) * splat<decltype(v)>(2)); },
      // y = x s, s = sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)
      //   =>  dx = g (s + x s (1 - s) 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2))
      // with s (1 - s) = e / (1 + e)^2, e = e^(-|2u|), which does not cancel when s is near 1;
      // x is clipped at kGeluTail in that term too, where s (1 - s) is already 0.
      [](auto g, auto x) {
        using B = decltype(x);
        const B one = splat<B>(1);
        const B t = gelu_tanh_argument(x) * splat<B>(2);
        const B e = xsimd::exp(-xsimd::abs(t));
        const B s = xsimd::select(t >= splat<B>(0), one, e) / (one + e);
        const B s_prime = e / ((one + e) * (one + e));
        const B c = xsimd::clip(x, splat<B>(-kGeluTail), splat<B>(kGeluTail));
        const B du = splat<B>(2 * kSqrt2OverPi) * (one + splat<B>(3 * kGeluCubic) * c * c);
        return g * (s + c * s_prime * du);
      });
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
      "sigmoid", x, [](auto v) { return stable_sigmoid(v); },
      // y = 1 / (1 + e^-x)  =>  dx = g y (1 - y)
      [](auto g, auto y) { return g * y * (splat<decltype(y)>(1) - y); });
}

Value tanh(const Value& x) {
  return with_output_derivative(
      "tanh", x, [](auto v) { return xsimd::tanh(v); },
      // y = tanh(x)  =>  dx = g (1 - y^2)
      [](auto g, auto y) { return g * (splat<decltype(y)>(1) - y * y); });
}

Value hard_sigmoid(const Value& x) {
  return hard_sigmoid_with("hard_sigmoid", x, 2.5);
}

Value hard_sigmoid_keras3(const Value& x) {
  return hard_sigmoid_with("hard_sigmoid_keras3", x, 3.0);
}

Value softsign(const Value& x) {
  return with_input_derivative(
      "softsign", x, [](auto v) { return v / (splat<decltype(v)>(1) + xsimd::abs(v)); },
      // y = x / (1 + |x|)  =>  dx = g / (1 + |x|)^2, formed as a product of two quotients so
      // that (1 + |x|)^2 never overflows
      [](auto g, auto x) {
        const auto d = splat<decltype(x)>(1) / (splat<decltype(x)>(1) + xsimd::abs(x));
        return g * d * d;
      });
}

Value relu(const Value& x) {
  return with_output_derivative(
      "relu", x, [](auto v) { return xsimd::max(v, splat<decltype(v)>(0)); },
      // y = max(x, 0)  =>  dx = g where y > 0 (x > 0), 0 elsewhere, so relu'(0) = 0
      [](auto g, auto y) {
        using B = decltype(y);
        return xsimd::select(y > splat<B>(0), g, splat<B>(0));
      });
}

Value elu(const Value& x, double alpha) {
  return elu_with("elu", x, alpha, 1.0);
}

Value selu(const Value& x) {
  return elu_with("selu", x, kSeluAlpha, kSeluScale);
}

Value softplus(const Value& x) {
  return with_input_derivative(
      "softplus", x,
      [](auto v) {
        using B = decltype(v);
        return xsimd::max(v, splat<B>(0)) + xsimd::log1p(xsimd::exp(-xsimd::abs(v)));
      },
      // y = ln(1 + e^x)  =>  dx = g sigmoid(x)
      [](auto g, auto x) { return g * stable_sigmoid(x); });
}

Value gelu(const Value& x, bool approximate) {
  return approximate ? gelu_tanh(x) : gelu_exact(x);
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
