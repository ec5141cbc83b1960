#pragma once
// Activation functions on values, elementwise (softmax and log_softmax, which normalise along an
// axis, live in softmax.hpp and are included here). Each computes its result eagerly and records a
// hand-written derivative. Forms are chosen to stay finite for any finite input, in float32 too.
//
// Subgradients at kinks: relu'(0) = 0; hard_sigmoid' is its slope strictly between the knots and 0
// at and beyond them; elu'(0) and selu'(0) take the left-hand derivative (alpha, scale * alpha).

#include <string>
#include <vector>

#include "autodiff/ops/softmax.hpp"
#include "autodiff/value.hpp"

namespace grutape {

/// 1 / (1 + e^-x), computed from e^-|x| so neither tail overflows.
Value sigmoid(const Value& x);
/// tanh(x).
Value tanh(const Value& x);
/// clip(0.2 x + 0.5, 0, 1), knots at -2.5 and 2.5 (Keras 2, MATLAB).
Value hard_sigmoid(const Value& x);
/// clip(x / 6 + 0.5, 0, 1), knots at -3 and 3 (Keras 3, relu6(x + 3) / 6).
Value hard_sigmoid_keras3(const Value& x);
/// x / (1 + |x|).
Value softsign(const Value& x);
/// max(x, 0).
Value relu(const Value& x);
/// x for x > 0, alpha (e^x - 1) otherwise.
Value elu(const Value& x, double alpha = 1.0);
/// scale * elu(x, alpha) with the self-normalising constants of Keras and PyTorch.
Value selu(const Value& x);
/// ln(1 + e^x), computed as max(x, 0) + ln(1 + e^-|x|).
Value softplus(const Value& x);
/// x Phi(x) with Phi the standard normal CDF (erf form); with `approximate`, the tanh form
/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
Value gelu(const Value& x, bool approximate = false);
/// x itself, recorded so that gradients flow through it like through any activation.
Value linear(const Value& x);

/// The activation called `name` (one of activation_names()) with its default parameters
/// (elu alpha 1, exact gelu, softmax/log_softmax over the last axis); a ValueError names an
/// unknown name and lists the known ones.
Value activation(const std::string& name, const Value& x);

/// The names activation() accepts, in a fixed order.
std::vector<std::string> activation_names();

}  // namespace grutape
