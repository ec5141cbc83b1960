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
// The formulas are those of the activation ops, from core/detail/activation_math.hpp (its
// forms, subgradients and accuracy bounds hold here): the composite and the fused engine compute
// every activation and derivative with the same instructions.

#include <string>

#include "core/detail/activation_math.hpp"

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

/// f(x) and, when `slope` is not null, *slope = f'(x) for the activations whose f'(x) is not
/// a function of y (elu, selu, softplus and gelu): out of line, so that the exponentials and erfc
/// stay out of the kernel's loops where the common activations run (activations.cpp).
template <class B>
B rare_activate(FusedActivation f, const B& x, B* slope);

/// f(x); when `slope` is not null and !slope_from_output(f), also *slope = f'(x).
template <class B>
inline B activate(FusedActivation f, const B& x, B* slope) {
  const B one = splat<B>(1);
  switch (f) {
    case FusedActivation::sigmoid:
      return batch_sigmoid(x);
    case FusedActivation::tanh:
      return batch_tanh(x);
    case FusedActivation::hard_sigmoid:
    case FusedActivation::hard_sigmoid_keras3: {
      const double knot = f == FusedActivation::hard_sigmoid ? 2.5 : 3.0;
      if (slope) *slope = batch_hard_sigmoid_backward(one, x, knot);
      return batch_hard_sigmoid(x, knot);
    }
    case FusedActivation::softsign:
      if (slope) *slope = batch_softsign_backward(one, x);
      return batch_softsign(x);
    case FusedActivation::relu:
      return batch_relu(x);
    case FusedActivation::linear:
      return x;
    default:
      return rare_activate(f, x, slope);
  }
}

/// g f'(x), with f'(x) from y = f(x) when slope_from_output(f), else from `slope` (what
/// activate() returned; only read then).
template <class B>
inline B scale_by_slope(FusedActivation f, const B& g, const B& y,
                        const typename B::value_type* slope) {
  switch (f) {
    case FusedActivation::sigmoid:
      return batch_sigmoid_backward(g, y);
    case FusedActivation::tanh:
      return batch_tanh_backward(g, y);
    case FusedActivation::relu:
      return batch_relu_backward(g, y);
    case FusedActivation::linear:
      // y = x  =>  dx = g
      return g;
    default:
      // dx = g f'(x), f'(x) kept by activate()
      return g * B::load_unaligned(slope);
  }
}

}  // namespace grutape::detail
