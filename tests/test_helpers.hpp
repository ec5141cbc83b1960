#pragma once
// Helpers shared by the suites: random inputs, gradient-check assertions, error-message checks.

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <functional>
#include <string>

#include "autodiff/grad_check.hpp"
#include "core/random.hpp"

namespace grutape::testing {

/// Uniform float64 values in [low, high) from a fixed seed.
inline Tensor random_tensor(const Shape& shape, std::uint64_t seed, double low = -1,
                            double high = 1, DType dtype = DType::float64) {
  Random random(seed);
  return random.uniform(shape, low, high, dtype);
}

/// Asserts that the float64 gradient check of f at `inputs` passes (max relative error 1e-7).
inline void require_gradients(const std::function<Value(const std::vector<Value>&)>& f,
                              const std::vector<Tensor>& inputs, double tolerance = 1e-7) {
  GradCheckOptions options;
  options.tolerance = tolerance;
  const GradCheckResult result = check_gradients(f, inputs, options);
  BOOST_TEST_INFO(result.report());
  BOOST_TEST(result.passed);
}

/// Asserts that `action` throws E whose message contains every one of `fragments`.
template <class E>
void require_error(const std::function<void()>& action, const std::vector<std::string>& fragments) {
  try {
    action();
  } catch (const E& error) {
    const std::string message = error.what();
    for (const auto& fragment : fragments) {
      BOOST_TEST_INFO("message: " << message);
      BOOST_TEST(message.find(fragment) != std::string::npos, "missing \"" << fragment << "\"");
    }
    return;
  } catch (const std::exception& other) {
    BOOST_FAIL("wrong exception type: " << other.what());
  }
  BOOST_FAIL("no exception thrown");
}

/// Max |a - b| over all elements (shapes must match).
inline double max_abs_diff(const Tensor& a, const Tensor& b) {
  BOOST_REQUIRE(a.shape() == b.shape());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a.flat(i) - b.flat(i)));
  return worst;
}

/// True when both tensors hold bitwise the same values of the same dtype and shape.
inline bool bitwise_equal(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  if (a.size() == 0) return true;  // memcmp of (possibly null) empty buffers is undefined
  return a.visit([&](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::value_type;
    return std::memcmp(x.data(), b.array<T>().data(), x.size() * sizeof(T)) == 0;
  });
}

}  // namespace grutape::testing
