#include "autodiff/ops/gradient.hpp"

#include <cmath>

#include "autodiff/custom_op.hpp"
#include "core/tensor_math.hpp"

namespace grutape {

Value gradient_scale(const Value& x, double c) {
  if (!std::isfinite(c)) {
    throw ValueError("gradient_scale", "a finite factor", std::to_string(c));
  }
  const Shape shape = x.shape();
  const DType dtype = x.dtype();
  return record_op("gradient_scale", x.value(), {x}, [c, shape, dtype](const Tensor& g) {
    // y = x, with the gradient scaled by c on the way back  =>  dx = c g
    return std::vector<Tensor>{c == 0 ? Tensor::zeros(shape, dtype) : scale(g, c)};
  });
}

Value stop_gradient(const Value& x) {
  return Value(x.value());
}

}  // namespace grutape
