#pragma once
// The test problem of the optimizer suites: f(w) = 0.5 * sum(a * w^2), gradient a * w, set by
// hand on the parameter before each step. Each suite writes the optimizer's recurrence out in
// double and compares the run against it.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "core/tensor_math.hpp"
#include "optim/optimizers/optimizer.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// 19 curvatures: a full AVX-512 float32 batch of 16 and a tail of 3 (2 full float64 batches + 3).
inline std::vector<double> quadratic_a() {
  std::vector<double> a;
  for (std::size_t i = 0; i < 19; ++i) a.push_back(0.25 + 0.3 * static_cast<double>(i));
  return a;
}

/// The starting point: values of both signs, none near 0.
inline std::vector<double> quadratic_w0() {
  std::vector<double> w;
  for (std::size_t i = 0; i < 19; ++i) {
    w.push_back((i % 2 == 0 ? 1.0 : -1.0) * (0.5 + 0.1 * static_cast<double>(i)));
  }
  return w;
}

/// Sets the gradient a * w at the parameter's current value, in its dtype.
inline void set_quadratic_grad(Value& w, const std::vector<double>& a) {
  w.set_grad(mul(w.value(), Tensor::from_values(w.shape(), a, w.dtype())));
}

/// Runs `steps` steps of `optimizer` on f from quadratic_w0() in `dtype`; the parameter is
/// registered as "w" with `options`. Returns the parameter after each step.
inline std::vector<std::vector<double>> run_quadratic(Optimizer& optimizer, DType dtype,
                                                      std::size_t steps,
                                                      ParamOptions options = {}) {
  const auto a = quadratic_a(), w0 = quadratic_w0();
  Value w(Tensor::from_values({w0.size()}, w0, dtype), true);
  optimizer.add_parameter("w", w, options);
  std::vector<std::vector<double>> trajectory;
  for (std::size_t t = 0; t < steps; ++t) {
    set_quadratic_grad(w, a);
    optimizer.step();
    trajectory.push_back(w.value().to_vector());
  }
  return trajectory;
}

/// The reference: `update(w, g, t, i)` returns element i's new value at step t = 1, 2, ...
/// (it keeps its own per-element state), starting from quadratic_w0() with g = a w in double.
inline std::vector<std::vector<double>> reference_quadratic(
    std::size_t steps,
    const std::function<double(double w, double g, std::size_t t, std::size_t i)>& update) {
  const auto a = quadratic_a();
  auto w = quadratic_w0();
  std::vector<std::vector<double>> trajectory;
  for (std::size_t t = 1; t <= steps; ++t) {
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = update(w[i], a[i] * w[i], t, i);
    trajectory.push_back(w);
  }
  return trajectory;
}

/// |got - expected| <= tolerance * max(1, |expected|) element by element, step by step; the
/// tolerance is 1e-12 for float64 and 2e-5 for float32 (whose rounding the recurrence compounds).
inline void require_trajectory(const std::vector<std::vector<double>>& got,
                               const std::vector<std::vector<double>>& expected, DType dtype) {
  const double tolerance = dtype == DType::float64 ? 1e-12 : 2e-5;
  BOOST_REQUIRE_EQUAL(got.size(), expected.size());
  for (std::size_t t = 0; t < got.size(); ++t) {
    BOOST_REQUIRE_EQUAL(got[t].size(), expected[t].size());
    for (std::size_t i = 0; i < got[t].size(); ++i) {
      const double error = std::abs(got[t][i] - expected[t][i]);
      BOOST_TEST_INFO("step " << t + 1 << ", element " << i << ": got " << got[t][i]
                              << ", expected " << expected[t][i]);
      BOOST_TEST(error <= tolerance * std::max(1.0, std::abs(expected[t][i])));
    }
  }
}

/// Both dtypes, for the suites' loops.
inline const std::vector<DType>& both_dtypes() {
  static const std::vector<DType> dtypes{DType::float64, DType::float32};
  return dtypes;
}

}  // namespace grutape::testing
