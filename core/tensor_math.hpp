#pragma once
// Plain (non-differentiable) elementwise arithmetic on tensors, with numpy broadcasting. The
// backward closures of autodiff ops are written with these.

#include "core/tensor.hpp"

namespace grutape {

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);
/// x * factor
Tensor scale(const Tensor& x, double factor);

/// target += addition, in place; shapes and dtypes must match exactly.
void accumulate(Tensor& target, const Tensor& addition, const std::string& where);

/// True when every element is finite (no NaN, no infinity).
bool all_finite(const Tensor& x);

}  // namespace grutape
