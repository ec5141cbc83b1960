#include <boost/test/unit_test.hpp>

#include "autodiff/custom_op.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/tensor_math.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

// A user's primitive, written only against the public API: y = x^3.
Value cube(const Value& x, double derivative_factor = 3.0) {
  const Tensor vx = x.value();
  Tensor y = detail::map(vx, [](auto v) { return v * v * v; });
  return record_op("cube", y, {x}, [vx, derivative_factor](const Tensor& g) {
    // y = x^3  =>  dx = 3 x^2 g (derivative_factor != 3 makes a deliberately wrong backward)
    const Tensor x2 = mul(vx, vx);
    return std::vector<Tensor>{scale(mul(g, x2), derivative_factor)};
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(custom_op_test)

BOOST_AUTO_TEST_CASE(a_user_op_passes_the_public_gradient_checker) {
  const Tensor x = testing::random_tensor({3, 4}, 21);
  const GradCheckResult result =
      check_gradients([](const std::vector<Value>& v) { return cube(v[0]) * v[0]; }, {x});
  BOOST_TEST_INFO(result.report());
  BOOST_TEST(result.passed);
  BOOST_TEST(result.max_error < 1e-7);
}

BOOST_AUTO_TEST_CASE(a_wrong_backward_is_caught_and_located) {
  const Tensor x = Tensor::from_values({3}, {0.1, -2.0, 0.5}, DType::float64);
  const GradCheckResult result =
      check_gradients([](const std::vector<Value>& v) { return cube(v[0], 2.0); }, {x});
  BOOST_TEST(!result.passed);
  // The largest error is where 3x^2 is largest: element 1.
  BOOST_TEST(result.input == 0u);
  BOOST_TEST(result.element == 1u);
  BOOST_TEST(std::abs(result.numeric / result.analytic - 1.5) < 1e-6);
  BOOST_TEST(result.report().find("FAILED") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_checker_insists_on_float64) {
  const Tensor x = Tensor::zeros({2}, DType::float32);
  testing::require_error<ValueError>(
      [&] { check_gradients([](const std::vector<Value>& v) { return v[0]; }, {x}); },
      {"check_gradients", "float64", "float32", "input 0"});
}

BOOST_AUTO_TEST_CASE(a_multi_output_user_op) {
  // (sum, difference) of two inputs as one op with two outputs.
  auto sum_and_difference = [](const Value& a, const Value& b) {
    return record_multi_op("sum_and_difference",
                           {add(a.value(), b.value()), sub(a.value(), b.value())}, {a, b},
                           [a_shape = a.shape()](const std::vector<Tensor>& g) {
                             // s = a + b, d = a - b  =>  da = gs + gd, db = gs - gd
                             const Tensor gs = grad_or_zeros(g[0], a_shape, DType::float64);
                             const Tensor gd = grad_or_zeros(g[1], a_shape, DType::float64);
                             return std::vector<Tensor>{add(gs, gd), sub(gs, gd)};
                           });
  };
  const Tensor a = testing::random_tensor({4}, 22), b = testing::random_tensor({4}, 23);
  testing::require_gradients(
      [&](const std::vector<Value>& v) {
        auto outputs = sum_and_difference(v[0], v[1]);
        return outputs[0] * outputs[1];
      },
      {a, b});
  testing::require_gradients(
      [&](const std::vector<Value>& v) { return sum_and_difference(v[0], v[1])[1]; }, {a, b});
}

BOOST_AUTO_TEST_SUITE_END()
