#include "autodiff/ops/reduce.hpp"

#include <algorithm>
#include <limits>

#include "autodiff/custom_op.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/reduce.hpp"

namespace grutape {
namespace {

using Grads = std::vector<Tensor>;

// One reduction of a shape: the normalised axes, the result's shape with the reduced axes kept
// as 1 (what backward broadcasts from), the result's shape, and the elements per result.
struct Plan {
  std::vector<std::size_t> axes;
  Shape kept;
  Shape out;
  std::size_t count = 1;
};

Plan plan(const Shape& shape, const std::vector<long>& axes, bool keepdims,
          const std::string& where) {
  Plan p;
  p.axes = normalize_axes(axes, shape.size(), where);
  p.kept = shape;
  for (std::size_t a : p.axes) {
    p.count *= shape[a];
    p.kept[a] = 1;
  }
  for (std::size_t a = 0; a < shape.size(); ++a) {
    const bool reduced = std::find(p.axes.begin(), p.axes.end(), a) != p.axes.end();
    if (keepdims || !reduced) p.out.push_back(p.kept[a]);
  }
  return p;
}

// g (of the result's shape) under the kept shape; a copy only when the shapes differ.
Tensor as_kept(const Tensor& g, const Shape& kept) {
  return g.shape() == kept ? g : g.reshaped(kept);
}

// x / n elementwise in x's precision.
Tensor divide_by(const Tensor& x, std::size_t n) {
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    const T d = static_cast<T>(n);
    return detail::map(x, [d](auto v) { return v / decltype(v)(d); });
  });
}

}  // namespace

Value sum(const Value& x, const std::vector<long>& axes, bool keepdims) {
  const Shape shape = x.shape();
  const Plan p = plan(shape, axes, keepdims, "sum");
  return record_op("sum", reduce_sum(x.value(), p.axes, keepdims), {x},
                   [shape, kept = p.kept](const Tensor& g) {
                     // y = sum of x over axes  =>  dx = g repeated over the reduced axes
                     return Grads{broadcast_to(as_kept(g, kept), shape)};
                   });
}

Value mean(const Value& x, const std::vector<long>& axes, bool keepdims) {
  const Shape shape = x.shape();
  const Plan p = plan(shape, axes, keepdims, "mean");
  const Tensor total = reduce_sum(x.value(), p.axes, keepdims);
  Tensor y = p.count == 0
                 ? Tensor::full(total.shape(), std::numeric_limits<double>::quiet_NaN(), x.dtype())
                 : divide_by(total, p.count);
  return record_op("mean", y, {x}, [shape, kept = p.kept, count = p.count](const Tensor& g) {
    // y = (sum of x over axes) / n  =>  dx = g / n repeated over the reduced axes
    return Grads{broadcast_to(divide_by(as_kept(g, kept), count), shape)};
  });
}

Value max(const Value& x, const std::vector<long>& axes, bool keepdims) {
  const Tensor vx = x.value();
  const Plan p = plan(vx.shape(), axes, keepdims, "max");
  const Tensor y_kept = reduce_max(vx, p.axes, true, "max");
  Tensor y = keepdims ? y_kept : y_kept.reshaped(p.out);
  return record_op("max", y, {x}, [vx, y_kept, reduced = p.axes](const Tensor& g) {
    // y = max of x over axes  =>  dx = g / k at each of the k elements equal to y, 0 elsewhere
    const Tensor ties = detail::map(
        vx, y_kept,
        [](auto v, auto m) {
          using B = decltype(v);
          const auto tie = v == m || (xsimd::isnan(v) && xsimd::isnan(m));
          return xsimd::select(tie, B(1), B(0));
        },
        "max");
    const Tensor counts = reduce_sum(ties, reduced, true);
    return Grads{detail::map(
        ties, as_kept(g, y_kept.shape()), counts,
        [](auto tie, auto g, auto k) {
          using B = decltype(tie);
          return xsimd::select(tie != B(0), g / k, B(0));
        },
        "max")};
  });
}

}  // namespace grutape
