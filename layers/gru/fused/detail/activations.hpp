#pragma once
// The activations of the fused GRU kernel, one xsimd batch at a time, with their derivatives for
// the backward pass. Not a public header: it pulls in xsimd.
//
// Forward: activate(f, x, slope) returns f(x). Backward needs f'(x): for sigmoid, tanh, relu and
// linear it is a function of the output y alone (y (1 - y), 1 - y^2, y > 0, 1), so nothing more
// is kept; for the others activate() also returns f'(x) in `slope` while x is at hand, and the
// backward pass reads it back. scale_by_slope(f, g, y, slope) then forms g * f'(x) either way,
// so backward recomputes no exponential. Both switch on f per batch: inside the kernel's loops
// f is fixed, so the branch is always predicted.
//
// The common activations (sigmoid, tanh, the hard sigmoids, softsign, relu, linear) are xsimd
// operations; elu, selu, softplus and gelu are a scalar loop over the batch's lanes (still
// fused: the kernel never leaves its tile). Forms and subgradients are those of
// autodiff/ops/activation:
// relu'(0) = 0, hard sigmoid slopes strictly between the knots and 0 at and beyond them,
// elu'(0) and selu'(0) from the left.
//
// Accuracy of the batched sigmoid and tanh, float32 and float64 alike: at most 3 units in the
// last place of the exact value (measured worst: sigmoid 2.3, tanh 1.4), and where the exact
// value is below the smallest normal number (sigmoid's far negative tail, fading through
// subnormals to exactly 0) an absolute error of at most that number (2^-126, 2^-1022). Both
// saturate to exactly 0, 1 or -1 in the tails and give no NaN for any non-NaN input, infinities
// included. tests/layers/gru/fused/gru_fused_activations_test.cpp checks this over the whole
// float32 range (every 2039th bit pattern of either sign) and 256 values in every float64 binade.

#include <cmath>
#include <cstddef>
#include <string>

#include <xsimd/xsimd.hpp>

#include "core/error.hpp"

namespace grutape::detail {

/// The activations the GRU accepts (gru_activation_names()), as the kernel switches on them.
enum class FusedActivation {
  sigmoid,
  tanh,
  hard_sigmoid,
  hard_sigmoid_keras3,
  softsign,
  relu,
  elu,
  selu,
  softplus,
  gelu,
  linear
};

/// The activation called `name`; a ValueError naming `where` and the name otherwise.
FusedActivation fused_activation(const std::string& name, const std::string& where);

/// Whether f'(x) is a function of y = f(x) (then activate() writes no slope).
constexpr bool slope_from_output(FusedActivation f) {
  return f == FusedActivation::sigmoid || f == FusedActivation::tanh ||
         f == FusedActivation::relu || f == FusedActivation::linear;
}

namespace activation_constants {
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;
constexpr double inv_sqrt2 = 0.70710678118654752440084436210485;
constexpr double inv_sqrt_2pi = 0.39894228040143267793994605993438;
}  // namespace activation_constants

/// 1 / (1 + e^-x) from e = e^-|x| <= 1, so e^-x never overflows: 1 / (1 + e) for x >= 0 and
/// e / (1 + e) below.
template <class B>
B batch_sigmoid(const B& x) {
  using T = typename B::value_type;
  const B e = xsimd::exp(-xsimd::abs(x));
  return xsimd::select(x >= B(T(0)), B(T(1)), e) / (B(T(1)) + e);
}

/// tanh(x).
template <class B>
B batch_tanh(const B& x) {
  return xsimd::tanh(x);
}

// clip((x + knot) / (2 knot), 0, 1): the knots map exactly onto 0 and 1.
template <class B>
B batch_hard_sigmoid(const B& x, double knot) {
  using T = typename B::value_type;
  return xsimd::clip((x + B(T(knot))) / B(T(2 * knot)), B(T(0)), B(T(1)));
}

// The scalar activations over the lanes of a batch: f(x), and f'(x) into *slope when given.
template <class B>
__attribute__((noinline)) B scalar_activate(FusedActivation f, const B& x, B* slope) {
  namespace k = activation_constants;
  using T = typename B::value_type;
  alignas(64) T v[B::size], y[B::size], d[B::size];
  x.store_aligned(v);
  for (std::size_t i = 0; i < B::size; ++i) {
    switch (f) {
      case FusedActivation::elu:
      case FusedActivation::selu: {
        // y = scale (x > 0 ? x : alpha (e^x - 1))  =>  y' = scale (x > 0 ? 1 : alpha e^x)
        const bool selu = f == FusedActivation::selu;
        const T alpha = selu ? T(k::selu_alpha) : T(1), scale = selu ? T(k::selu_scale) : T(1);
        const T negative = std::min(v[i], T(0));
        y[i] = scale * (v[i] > 0 ? v[i] : alpha * std::expm1(negative));
        d[i] = scale * (v[i] > 0 ? T(1) : alpha * std::exp(negative));
        break;
      }
      case FusedActivation::softplus: {
        // y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|)  =>  y' = sigmoid(x)
        const T e = std::exp(-std::abs(v[i]));
        y[i] = std::max(v[i], T(0)) + std::log1p(e);
        d[i] = (v[i] >= 0 ? T(1) : e) / (T(1) + e);
        break;
      }
      default: {
        // gelu: y = x Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2  =>  y' = Phi(x) + x phi(x)
        const T cdf = T(0.5) * std::erfc(-v[i] * T(k::inv_sqrt2));
        y[i] = v[i] * cdf;
        d[i] = cdf + v[i] * T(k::inv_sqrt_2pi) * std::exp(T(-0.5) * v[i] * v[i]);
        break;
      }
    }
  }
  if (slope) *slope = B::load_aligned(d);
  return B::load_aligned(y);
}

/// f(x); when `slope` is not null and !slope_from_output(f), also *slope = f'(x).
template <class B>
inline B activate(FusedActivation f, const B& x, B* slope) {
  using T = typename B::value_type;
  const B one(T(1)), zero(T(0));
  switch (f) {
    case FusedActivation::sigmoid:
      return batch_sigmoid(x);
    case FusedActivation::tanh:
      return batch_tanh(x);
    case FusedActivation::hard_sigmoid:
    case FusedActivation::hard_sigmoid_keras3: {
      const double knot = f == FusedActivation::hard_sigmoid ? 2.5 : 3.0;
      // y = clip(x / (2 knot) + 0.5, 0, 1)  =>  y' = 1 / (2 knot) for |x| < knot, else 0
      if (slope) *slope = xsimd::select(xsimd::abs(x) < B(T(knot)), B(T(1 / (2 * knot))), zero);
      return batch_hard_sigmoid(x, knot);
    }
    case FusedActivation::softsign: {
      // y = x / (1 + |x|)  =>  y' = 1 / (1 + |x|)^2, a product of two quotients (no overflow)
      const B d = one + xsimd::abs(x);
      if (slope) *slope = (one / d) * (one / d);
      return x / d;
    }
    case FusedActivation::relu:
      return xsimd::max(x, zero);
    case FusedActivation::linear:
      return x;
    default:
      return scalar_activate(f, x, slope);
  }
}

/// g f'(x), with f'(x) from y = f(x) when slope_from_output(f), else from `slope` (what
/// activate() returned; only read then).
template <class B>
inline B scale_by_slope(FusedActivation f, const B& g, const B& y,
                        const typename B::value_type* slope) {
  using T = typename B::value_type;
  const B one(T(1)), zero(T(0));
  switch (f) {
    case FusedActivation::sigmoid:
      // y = 1 / (1 + e^-x)  =>  y' = y (1 - y)
      return g * y * (one - y);
    case FusedActivation::tanh:
      // y = tanh(x)  =>  y' = 1 - y^2
      return g * (one - y * y);
    case FusedActivation::relu:
      // y = max(x, 0)  =>  y' = 1 where y > 0 (x > 0), else 0
      return xsimd::select(y > zero, g, zero);
    case FusedActivation::linear:
      // y = x  =>  y' = 1
      return g;
    default:
      return g * B::load_unaligned(slope);
  }
}

}  // namespace grutape::detail
