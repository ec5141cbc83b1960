#include "autodiff/ops/softmax.hpp"

#include "autodiff/custom_op.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/reduce.hpp"

namespace grutape {
namespace {

using detail::map;
using Grads = std::vector<Tensor>;

// e^(x - max(x)) along the axis: every exponent is <= 0, so nothing overflows, and the largest
// element of each slice contributes exactly 1, so its sum is at least 1.
Tensor shifted_exp(const Tensor& x, const Tensor& max, const char* name) {
  return map(
      x, max, [](auto x, auto m) { return xsimd::exp(x - m); }, name);
}

// An empty input has nothing to normalise: its result and its gradient are empty too.
Value empty_result(const char* name, const Value& x) {
  return record_op(name, Tensor::zeros(x.shape(), x.dtype()), {x},
                   [](const Tensor& g) { return Grads{g}; });
}

}  // namespace

Value softmax(const Value& x, long axis) {
  const std::vector<std::size_t> axes{normalize_axis(axis, x.rank(), "softmax")};
  const Tensor vx = x.value();
  if (vx.size() == 0) return empty_result("softmax", x);
  const Tensor e = shifted_exp(vx, reduce_max(vx, axes, true), "softmax");
  Tensor y = map(
      e, reduce_sum(e, axes, true), [](auto e, auto s) { return e / s; }, "softmax");
  return record_op("softmax", y, {x}, [y, axes](const Tensor& g) {
    // y = e^x / sum(e^x)  =>  dx = y (g - sum(g y))
    const Tensor gy = map(
        g, y, [](auto g, auto y) { return g * y; }, "softmax");
    return Grads{map(
        g, y, reduce_sum(gy, axes, true), [](auto g, auto y, auto s) { return y * (g - s); },
        "softmax")};
  });
}

Value log_softmax(const Value& x, long axis) {
  const std::vector<std::size_t> axes{normalize_axis(axis, x.rank(), "log_softmax")};
  const Tensor vx = x.value();
  if (vx.size() == 0) return empty_result("log_softmax", x);
  const Tensor max = reduce_max(vx, axes, true);
  const Tensor sum = reduce_sum(shifted_exp(vx, max, "log_softmax"), axes, true);
  Tensor y = map(
      vx, max, sum, [](auto x, auto m, auto s) { return (x - m) - xsimd::log(s); }, "log_softmax");
  return record_op("log_softmax", y, {x}, [y, axes](const Tensor& g) {
    // y = x - ln(sum(e^x))  =>  dx = g - e^y sum(g)
    return Grads{map(
        g, y, reduce_sum(g, axes, true),
        [](auto g, auto y, auto s) { return g - xsimd::exp(y) * s; }, "log_softmax")};
  });
}

}  // namespace grutape
