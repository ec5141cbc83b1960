#include <boost/test/unit_test.hpp>

#include <cmath>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/gradient.hpp"
#include "core/tensor_math.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;

namespace {

// h(x) = tanh(x) x: a function with a non-trivial gradient to scale.
Value h(const Value& x) {
  return grutape::tanh(x) * x;
}

// d(sum(w * h(x)))/dx by central differences, element by element.
std::vector<double> numeric_gradient(const Tensor& x, const Tensor& w) {
  NoGradScope no_grad;
  auto loss = [&](const Tensor& at) {
    const Tensor y = h(Value(at)).value();
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += w.flat(i) * y.flat(i);
    return total;
  };
  const double step = 1e-6;
  std::vector<double> result;
  for (std::size_t j = 0; j < x.size(); ++j) {
    Tensor up = x.clone(), down = x.clone();
    up.array<double>().data()[j] += step;
    down.array<double>().data()[j] -= step;
    result.push_back((loss(up) - loss(down)) / (2 * step));
  }
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradient_test)

BOOST_AUTO_TEST_CASE(gradient_scale_multiplies_the_numeric_gradient_by_c) {
  const Tensor x = random_tensor({3, 4}, 1, -2, 2);
  const Tensor w = random_tensor({3, 4}, 2, 0.5, 1.5);
  const std::vector<double> numeric = numeric_gradient(x, w);
  for (double c : {1.0, 0.5, -1.0, 2.5}) {
    BOOST_TEST_CONTEXT("c = " << c) {
      Value v(x.clone(), true);
      Value y = gradient_scale(h(v), c);
      // The forward value is h(x) itself, bit for bit.
      BOOST_TEST(testing::bitwise_equal(y.value(), h(Value(x)).value()));
      y.backward(w);
      for (std::size_t j = 0; j < x.size(); ++j) {
        BOOST_TEST(v.grad().flat(j) == c * numeric[j], boost::test_tools::tolerance(1e-7));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(zero_factor_stops_the_gradient_with_exact_zeros) {
  Value x(random_tensor({5}, 3), true);
  Value y = gradient_scale(h(x), 0.0);
  // Even an infinite upstream gradient leaves exact zeros, not 0 * inf = NaN.
  y.backward(Tensor::full({5}, INFINITY, DType::float64));
  BOOST_REQUIRE(x.has_grad());
  for (std::size_t j = 0; j < 5; ++j) BOOST_TEST(x.grad().flat(j) == 0.0);
}

BOOST_AUTO_TEST_CASE(reversal_composes_with_other_paths) {
  // z = 3x + gradient_scale(x, -1) * 2: forward 5x, backward 3 - 2 = 1 per element.
  Value x(random_tensor({4}, 4), true);
  Value z = x * 3.0 + gradient_scale(x, -1.0) * 2.0;
  for (std::size_t j = 0; j < 4; ++j) {
    BOOST_TEST(z.value().flat(j) == 5 * x.value().flat(j), boost::test_tools::tolerance(1e-15));
  }
  z.backward(Tensor::ones({4}, DType::float64));
  for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(x.grad().flat(j) == 1.0);
}

BOOST_AUTO_TEST_CASE(gradient_scale_keeps_dtype_and_records_only_when_needed) {
  Value x(random_tensor({2, 3}, 5, -1, 1, DType::float32), true);
  Value y = gradient_scale(x, 0.5);
  BOOST_TEST(y.requires_grad());
  y.backward(Tensor::ones({2, 3}, DType::float32));
  BOOST_TEST(x.grad().dtype() == DType::float32);
  BOOST_TEST(x.grad().flat(4) == 0.5);
  BOOST_TEST(!gradient_scale(Value(x.value()), 0.5).requires_grad());
  NoGradScope no_grad;
  BOOST_TEST(!gradient_scale(x, 0.5).requires_grad());
}

BOOST_AUTO_TEST_CASE(non_finite_factor_is_an_error) {
  const Value x(random_tensor({2}, 6), true);
  testing::require_error<ValueError>([&] { gradient_scale(x, INFINITY); },
                                     {"gradient_scale", "finite factor", "inf"});
  testing::require_error<ValueError>([&] { gradient_scale(x, NAN); },
                                     {"gradient_scale", "finite factor", "nan"});
}

BOOST_AUTO_TEST_CASE(stop_gradient_passes_the_value_and_no_gradient) {
  Value x(random_tensor({3}, 7, 0.5, 2), true);
  Value s = stop_gradient(x);
  BOOST_TEST(testing::bitwise_equal(s.value(), x.value()));
  BOOST_TEST(!s.requires_grad());
  // z = x^2 + stop(x) x: the stopped factor counts as a constant, so dz/dx = 2x + x = 3x.
  Value z = x * x + s * x;
  z.backward(Tensor::ones({3}, DType::float64));
  for (std::size_t j = 0; j < 3; ++j) {
    BOOST_TEST(x.grad().flat(j) == 3 * x.value().flat(j), boost::test_tools::tolerance(1e-15));
  }
  // Through stop_gradient alone, nothing reaches x.
  Value y(random_tensor({3}, 8), true);
  Value w(random_tensor({3}, 9), true);
  (stop_gradient(y) * w).backward(Tensor::ones({3}, DType::float64));
  BOOST_TEST(!y.has_grad());
  BOOST_TEST(testing::bitwise_equal(w.grad(), y.value()));
  testing::require_error<ValueError>(
      [&] { stop_gradient(y).backward(Tensor::ones({3}, DType::float64)); },
      {"backward", "requires a gradient"});
}

BOOST_AUTO_TEST_SUITE_END()
