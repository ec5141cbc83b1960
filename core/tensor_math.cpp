#include "core/tensor_math.hpp"

#include <cmath>

#include "core/detail/map_kernel.hpp"

namespace grutape {

Tensor add(const Tensor& a, const Tensor& b) {
  return detail::map(
      a, b, [](auto x, auto y) { return x + y; }, "add");
}
Tensor sub(const Tensor& a, const Tensor& b) {
  return detail::map(
      a, b, [](auto x, auto y) { return x - y; }, "sub");
}
Tensor mul(const Tensor& a, const Tensor& b) {
  return detail::map(
      a, b, [](auto x, auto y) { return x * y; }, "mul");
}
Tensor div(const Tensor& a, const Tensor& b) {
  return detail::map(
      a, b, [](auto x, auto y) { return x / y; }, "div");
}
Tensor neg(const Tensor& x) {
  return detail::map(x, [](auto v) { return -v; });
}

Tensor scale(const Tensor& x, double factor) {
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    const T f = static_cast<T>(factor);
    return detail::map(x, [f](auto v) { return v * f; });
  });
}

void accumulate(Tensor& target, const Tensor& addition, const std::string& where) {
  require_same_dtype(target, addition, where);
  require_shape(addition, target.shape(), where);
  target.visit([&](auto& t) {
    using T = typename std::decay_t<decltype(t)>::value_type;
    const T* src = addition.array<T>().data();
    T* dst = t.data();
    parallel_blocks(t.size(), 16384, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) dst[i] += src[i];
    });
  });
}

bool all_finite(const Tensor& x) {
  return x.visit([](const auto& a) {
    for (auto v : a) {
      if (!std::isfinite(v)) return false;
    }
    return true;
  });
}

}  // namespace grutape
