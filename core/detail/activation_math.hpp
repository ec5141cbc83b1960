#pragma once
// The elementwise activations and their derivatives on xsimd batches, written once for the two
// places that compute them: the activation ops (autodiff/ops/activation.cpp, through the maps of
// core/detail/map_kernel.hpp) and the fused GRU kernel (layers/gru/fused/detail/activations.hpp).
// Both engines of the GRU thus evaluate the same instructions for f(x) and f'(x). Not a public
// header: it pulls in xsimd.
//
// batch_f(x) is f(x); batch_f_backward(g, .) is g f'(x), from the output y = f(x) for sigmoid,
// tanh and relu, from the input x for the others. The fused kernel keeps f'(x) itself for the
// latter, as batch_f_backward(1, x): multiplying by 1 is exact, so it is the same f'(x).
//
// Forms are chosen to stay finite for any finite input, in float32 too. Subgradients at kinks:
// relu'(0) = 0; hard sigmoid's slope strictly between the knots and 0 at and beyond them;
// elu'(0) and selu'(0) from the left (alpha, scale * alpha).
//
// Accuracy of batch_sigmoid and batch_tanh, float32 and float64 alike: at most 3 units in the
// last place of the exact value (measured worst: sigmoid 2.3, tanh 1.4), and where the exact
// value is below the smallest normal number (sigmoid's far negative tail, fading through
// subnormals to exactly 0) an absolute error of at most that number (2^-126, 2^-1022). Both
// saturate to exactly 0, 1 or -1 in the tails and give no NaN for any non-NaN input, infinities
// included. tests/layers/gru/fused/gru_fused_activations_test.cpp checks this over the whole
// float32 range (every 2039th bit pattern of either sign) and 256 values in every float64 binade.

#include <cmath>

#include "core/detail/simd.hpp"

namespace grutape::detail {

namespace activation_constants {
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;
constexpr double inv_sqrt2 = 0.70710678118654752440084436210485;
constexpr double inv_sqrt_2pi = 0.39894228040143267793994605993438;
constexpr double sqrt_2_over_pi = 0.79788456080286535587989211986876;
constexpr double gelu_cubic = 0.044715;
// Beyond |x| = 30 the tanh-form gelu's e^(-2|u|) is below the smallest float64 subnormal, so
// its sigmoid is exactly 0 or 1; u is computed from x clipped there, which changes no result
// and keeps x^3 from overflowing into inf * 0 = NaN.
constexpr double gelu_tail = 30;
}  // namespace activation_constants

/// 1 / (1 + e^-x) from e = e^-|x| <= 1: 1 / (1 + e) for x >= 0 and e / (1 + e) below, so e^-x
/// never overflows and the result reaches exactly 0 or 1 in the tails instead of NaN.
template <class B>
B batch_sigmoid(const B& x) {
  const B e = xsimd::exp(-xsimd::abs(x));
  const B one = splat<B>(1);
  return xsimd::select(x >= splat<B>(0), one, e) / (one + e);
}

template <class B>
B batch_sigmoid_backward(const B& g, const B& y) {
  // y = 1 / (1 + e^-x)  =>  dx = g y (1 - y)
  return g * y * (splat<B>(1) - y);
}

template <class B>
B batch_tanh(const B& x) {
  return xsimd::tanh(x);
}

template <class B>
B batch_tanh_backward(const B& g, const B& y) {
  // y = tanh(x)  =>  dx = g (1 - y^2)
  return g * (splat<B>(1) - y * y);
}

/// clip(slope x + 0.5, 0, 1) with knots at -+knot = -+0.5 / slope, computed as
/// (x + knot) / (2 knot): the knots then map exactly onto 0 and 1 (x / 6 + 0.5 at x = -3 would
/// leave 3e-17, as 1/6 is not a float).
template <class B>
B batch_hard_sigmoid(const B& x, double knot) {
  return xsimd::clip((x + splat<B>(knot)) / splat<B>(2 * knot), splat<B>(0), splat<B>(1));
}

template <class B>
B batch_hard_sigmoid_backward(const B& g, const B& x, double knot) {
  // y = clip(x / (2 knot) + 0.5, 0, 1)  =>  dx = g / (2 knot) for |x| < knot, 0 at and beyond
  return xsimd::select(xsimd::abs(x) < splat<B>(knot), g * splat<B>(1 / (2 * knot)), splat<B>(0));
}

template <class B>
B batch_softsign(const B& x) {
  return x / (splat<B>(1) + xsimd::abs(x));
}

template <class B>
B batch_softsign_backward(const B& g, const B& x) {
  // y = x / (1 + |x|)  =>  dx = g / (1 + |x|)^2, formed as a product of two quotients so that
  // (1 + |x|)^2 never overflows
  const B d = splat<B>(1) / (splat<B>(1) + xsimd::abs(x));
  return g * d * d;
}

template <class B>
B batch_relu(const B& x) {
  return xsimd::max(x, splat<B>(0));
}

template <class B>
B batch_relu_backward(const B& g, const B& y) {
  // y = max(x, 0)  =>  dx = g where y > 0 (x > 0), 0 elsewhere, so relu'(0) = 0
  return xsimd::select(y > splat<B>(0), g, splat<B>(0));
}

/// scale (x for x > 0, alpha (e^x - 1) otherwise); elu is scale 1, selu the self-normalising
/// constants. The exponential only ever sees min(x, 0): on the positive side it would overflow
/// for nothing.
template <class B>
B batch_elu(const B& x, double alpha, double scale) {
  const B negative = splat<B>(alpha) * xsimd::expm1(xsimd::min(x, splat<B>(0)));
  return splat<B>(scale) * xsimd::select(x > splat<B>(0), x, negative);
}

template <class B>
B batch_elu_backward(const B& g, const B& x, double alpha, double scale) {
  // y = scale x (x > 0), scale alpha (e^x - 1) (x <= 0)  =>  dx = scale g, scale alpha e^x g
  const B slope = xsimd::select(x > splat<B>(0), splat<B>(1),
                                splat<B>(alpha) * xsimd::exp(xsimd::min(x, splat<B>(0))));
  return g * splat<B>(scale) * slope;
}

/// ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|), which overflows for no x.
template <class B>
B batch_softplus(const B& x) {
  return xsimd::max(x, splat<B>(0)) + xsimd::log1p(xsimd::exp(-xsimd::abs(x)));
}

template <class B>
B batch_softplus_backward(const B& g, const B& x) {
  // y = ln(1 + e^x)  =>  dx = g sigmoid(x)
  return g * batch_sigmoid(x);
}

/// erfc(x) lane by lane with the C library's erfc: xsimd's is off by up to 35 units in the last
/// place in float32 and 3.5e4 in float64 (at erfc(2.2)), the C library's by at most 3.
template <class B>
B lanewise_erfc(const B& x) {
  using T = typename B::value_type;
  alignas(64) T lanes[B::size];
  x.store_aligned(lanes);
  for (T& lane : lanes) lane = std::erfc(lane);
  return B::load_aligned(lanes);
}

/// x Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: erfc keeps the negative tail accurate, where
/// 1 + erf(x / sqrt 2) would cancel.
template <class B>
B batch_gelu(const B& x) {
  namespace k = activation_constants;
  return splat<B>(0.5) * x * lanewise_erfc(-x * splat<B>(k::inv_sqrt2));
}

template <class B>
B batch_gelu_backward(const B& g, const B& x) {
  namespace k = activation_constants;
  // y = x Phi(x)  =>  dx = g (Phi(x) + x phi(x)), phi(x) = e^(-x^2/2) / sqrt(2 pi)
  const B cdf = splat<B>(0.5) * lanewise_erfc(-x * splat<B>(k::inv_sqrt2));
  const B pdf = splat<B>(k::inv_sqrt_2pi) * xsimd::exp(splat<B>(-0.5) * x * x);
  return g * (cdf + x * pdf);
}

/// u = sqrt(2/pi) (x + 0.044715 x^3) of the tanh-form gelu, with x clipped to +-gelu_tail.
template <class B>
B gelu_tanh_argument(const B& x) {
  namespace k = activation_constants;
  const B c = xsimd::clip(x, splat<B>(-k::gelu_tail), splat<B>(k::gelu_tail));
  return splat<B>(k::sqrt_2_over_pi) * (c + splat<B>(k::gelu_cubic) * c * c * c);
}

/// The tanh form 0.5 x (1 + tanh(u)) as x sigmoid(2u): the same function without 1 + tanh(u)
/// cancelling in the negative tail.
template <class B>
B batch_gelu_tanh(const B& x) {
  return x * batch_sigmoid(gelu_tanh_argument(x) * splat<B>(2));
}

template <class B>
B batch_gelu_tanh_backward(const B& g, const B& x) {
  namespace k = activation_constants;
  // y = x s, s = sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)
  //   =>  dx = g (s + x s (1 - s) 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2))
  // with s (1 - s) = e / (1 + e)^2, e = e^(-|2u|), which does not cancel when s is near 1;
  // x is clipped at gelu_tail in that term too, where s (1 - s) is already 0.
  const B one = splat<B>(1);
  const B t = gelu_tanh_argument(x) * splat<B>(2);
  const B e = xsimd::exp(-xsimd::abs(t));
  const B s = xsimd::select(t >= splat<B>(0), one, e) / (one + e);
  const B s_prime = e / ((one + e) * (one + e));
  const B c = xsimd::clip(x, splat<B>(-k::gelu_tail), splat<B>(k::gelu_tail));
  const B du = splat<B>(2 * k::sqrt_2_over_pi) * (one + splat<B>(3 * k::gelu_cubic) * c * c);
  return g * (s + c * s_prime * du);
}

}  // namespace grutape::detail
