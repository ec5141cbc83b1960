#include "autodiff/grad_check.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "autodiff/grad_mode.hpp"
#include "core/random.hpp"

namespace grutape {
namespace {

double weighted_sum(const Tensor& out, const Tensor& weights) {
  const auto& y = out.array<double>();
  const auto& w = weights.array<double>();
  double total = 0;
  for (std::size_t i = 0; i < y.size(); ++i) total += y.data()[i] * w.data()[i];
  return total;
}

}  // namespace

std::string GradCheckResult::report() const {
  std::ostringstream out;
  out.precision(12);
  out << (passed ? "passed" : "FAILED") << ": worst error " << max_error << " at input " << input
      << ", element " << element << ": analytic " << analytic << ", numeric " << numeric;
  return out.str();
}

GradCheckResult check_gradients(const std::function<Value(const std::vector<Value>&)>& f,
                                const std::vector<Tensor>& inputs,
                                const GradCheckOptions& options) {
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].dtype() != DType::float64) {
      throw ValueError(
          "check_gradients", "float64 inputs",
          std::string(dtype_name(inputs[k].dtype())) + " for input " + std::to_string(k));
    }
  }
  std::vector<Value> leaves;
  for (const Tensor& input : inputs) leaves.emplace_back(input.clone(), true);
  Value out = f(leaves);
  Random random(options.seed);
  const Tensor weights = random.uniform(out.shape(), 0.5, 1.5, DType::float64);
  if (out.requires_grad()) out.backward(weights);

  auto loss_at = [&](std::size_t k, std::size_t element, double delta) {
    NoGradScope no_grad;
    std::vector<Value> shifted;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      Tensor copy = inputs[i].clone();
      if (i == k) copy.array<double>().data()[element] += delta;
      shifted.emplace_back(copy);
    }
    return weighted_sum(f(shifted).value(), weights);
  };

  GradCheckResult result;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Tensor grad =
        leaves[k].has_grad() ? leaves[k].grad() : Tensor::zeros(inputs[k].shape(), DType::float64);
    for (std::size_t j = 0; j < inputs[k].size(); ++j) {
      const double numeric =
          (loss_at(k, j, options.step) - loss_at(k, j, -options.step)) / (2 * options.step);
      const double analytic = grad.flat(j);
      const double scale = std::max({1.0, std::abs(analytic), std::abs(numeric)});
      const double error = std::abs(analytic - numeric) / scale;
      if (error > result.max_error || std::isnan(error)) {
        result =
            GradCheckResult{true, std::isnan(error) ? INFINITY : error, k, j, analytic, numeric};
      }
    }
  }
  result.passed = result.max_error <= options.tolerance;
  return result;
}

}  // namespace grutape
