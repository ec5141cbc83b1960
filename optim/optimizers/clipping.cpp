#include "optim/optimizers/clipping.hpp"

#include <cmath>

#include "core/detail/map_kernel.hpp"
#include "core/detail/option_checks.hpp"
#include "core/tensor_math.hpp"

namespace grutape {
namespace {

// sum of g^2 in double, element by element in order.
double squared_norm(const Tensor& g) {
  return g.visit([](const auto& array) {
    double sum = 0;
    for (auto v : array) sum += static_cast<double>(v) * static_cast<double>(v);
    return sum;
  });
}

void require_positive(double value, const std::string& where, const std::string& name) {
  detail::require_option(value > 0, where, name, "> 0", value);
}

}  // namespace

void clip_by_value(const std::vector<Value>& parameters, double limit) {
  require_positive(limit, "clip_by_value", "limit");
  for (Value p : parameters) {
    if (!p.has_grad()) continue;
    const Tensor& g = p.grad();
    Tensor clipped = g.visit([&](const auto& array) {
      using T = typename std::decay_t<decltype(array)>::value_type;
      const T high = static_cast<T>(limit), low = -high;
      return detail::map(g, [=](auto v) {
        using B = decltype(v);
        return xsimd::min(xsimd::max(v, B(low)), B(high));
      });
    });
    p.set_grad(std::move(clipped));
  }
}

std::vector<double> clip_by_norm(const std::vector<Value>& parameters, double max_norm) {
  require_positive(max_norm, "clip_by_norm", "max_norm");
  std::vector<double> norms;
  for (Value p : parameters) {
    if (!p.has_grad()) {
      norms.push_back(0);
      continue;
    }
    const double norm = std::sqrt(squared_norm(p.grad()));
    norms.push_back(norm);
    if (norm > max_norm) p.set_grad(scale(p.grad(), max_norm / norm));
  }
  return norms;
}

double clip_by_global_norm(const std::vector<Value>& parameters, double max_norm) {
  require_positive(max_norm, "clip_by_global_norm", "max_norm");
  double sum = 0;
  for (const Value& p : parameters) {
    if (p.has_grad()) sum += squared_norm(p.grad());
  }
  const double norm = std::sqrt(sum);
  if (norm > max_norm) {
    for (Value p : parameters) {
      if (p.has_grad()) p.set_grad(scale(p.grad(), max_norm / norm));
    }
  }
  return norm;
}

}  // namespace grutape
