#include <boost/test/unit_test.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_gradients;
using Inputs = std::vector<Value>;

BOOST_AUTO_TEST_SUITE(elementwise_test)

BOOST_AUTO_TEST_CASE(binary_ops_gradients_with_broadcasting_both_ways) {
  // (3, 1, 4) against (5, 4): each operand is stretched along an axis of the other.
  const Tensor a = random_tensor({3, 1, 4}, 1), b = random_tensor({5, 4}, 2, 0.5, 2.0);
  require_gradients([](const Inputs& v) { return v[0] + v[1]; }, {a, b});
  require_gradients([](const Inputs& v) { return v[0] - v[1]; }, {a, b});
  require_gradients([](const Inputs& v) { return v[0] * v[1]; }, {a, b});
  require_gradients([](const Inputs& v) { return v[0] / v[1]; }, {a, b});
  require_gradients([](const Inputs& v) { return v[1] - v[0]; }, {a, b});
  require_gradients([](const Inputs& v) { return maximum(v[0], v[1]); }, {a, b});
  require_gradients([](const Inputs& v) { return minimum(v[0], v[1]); }, {a, b});
}

BOOST_AUTO_TEST_CASE(scalar_forms_gradients) {
  const Tensor x = random_tensor({2, 3}, 3, 0.5, 2.0);
  require_gradients([](const Inputs& v) { return v[0] + 2.0; }, {x});
  require_gradients([](const Inputs& v) { return 2.0 - v[0]; }, {x});
  require_gradients([](const Inputs& v) { return v[0] * -1.5; }, {x});
  require_gradients([](const Inputs& v) { return v[0] / 4.0; }, {x});
  require_gradients([](const Inputs& v) { return 3.0 / v[0]; }, {x});
  require_gradients([](const Inputs& v) { return -v[0]; }, {x});
}

BOOST_AUTO_TEST_CASE(math_gradients) {
  const Tensor positive = random_tensor({4, 3}, 4, 0.5, 3.0);
  const Tensor any = random_tensor({4, 3}, 5, -2.0, 2.0);
  require_gradients([](const Inputs& v) { return exp(v[0]); }, {any});
  require_gradients([](const Inputs& v) { return log(v[0]); }, {positive});
  require_gradients([](const Inputs& v) { return sqrt(v[0]); }, {positive});
  require_gradients([](const Inputs& v) { return abs(v[0]); }, {any});
  require_gradients([](const Inputs& v) { return square(v[0]); }, {any});
  require_gradients([](const Inputs& v) { return pow(v[0], 2.5); }, {positive});
  require_gradients([](const Inputs& v) { return pow(v[0], v[1]); }, {positive, any});
  require_gradients([](const Inputs& v) { return clip(v[0], -0.5, 0.7); }, {any});
}

BOOST_AUTO_TEST_CASE(where_routes_the_gradient) {
  const Tensor mask = Tensor::from_values({2, 3}, {1, 0, 1, 0, 0, 1}, DType::float64);
  const Tensor a = random_tensor({2, 3}, 6), b = random_tensor({3}, 7);
  require_gradients([&](const Inputs& v) { return where(mask, v[0], v[1]); }, {a, b});
  const Tensor y = where(mask, Value(a), Value(b)).value();
  BOOST_TEST(y.flat(0) == a.flat(0));
  BOOST_TEST(y.flat(1) == b.flat(1));
}

BOOST_AUTO_TEST_CASE(size_one_and_size_zero_dimensions) {
  require_gradients([](const Inputs& v) { return v[0] * v[1]; },
                    {random_tensor({1, 1}, 8), random_tensor({3, 1}, 9)});
  Value empty(Tensor::zeros({0, 3}, DType::float64), true);
  Value y = empty * 2.0;
  BOOST_TEST((y.shape() == Shape{0, 3}));
  y.backward(Tensor::zeros({0, 3}, DType::float64));
  BOOST_TEST((empty.grad().shape() == Shape{0, 3}));
}

BOOST_AUTO_TEST_CASE(non_contiguous_sources_are_handled) {
  // A transposed xtensor view becomes a dense tensor; values must follow the view, not the buffer.
  xt::xarray<double> base = {{1, 2, 3}, {4, 5, 6}};
  Tensor transposed(xt::xarray<double>(xt::transpose(base)));
  const Tensor y = (Value(transposed) * 10.0).value();
  BOOST_TEST((y.shape() == Shape{3, 2}));
  BOOST_TEST(y.flat(1) == 40.0);
  require_gradients([](const Inputs& v) { return v[0] * v[1]; },
                    {transposed, random_tensor({3, 2}, 10)});
}

BOOST_AUTO_TEST_CASE(values_match_closed_forms) {
  const Tensor x = Tensor::from_values({5}, {-2, -0.5, 0, 0.5, 2}, DType::float32);
  const Tensor y = clip(Value(x), -1, 1).value();
  BOOST_TEST(y.flat(0) == -1.0);
  BOOST_TEST(y.flat(3) == 0.5);
  const Tensor e = exp(Value(x)).value();
  for (std::size_t i = 0; i < 5; ++i)
    BOOST_TEST(e.flat(i) == std::exp(x.flat(i)), boost::test_tools::tolerance(1e-6));
  // Long enough for full batches and a padded tail.
  const Tensor big = random_tensor({1000}, 11, -3, 3, DType::float32);
  const Tensor s = sqrt(abs(Value(big))).value();
  for (std::size_t i = 0; i < 1000; ++i) {
    BOOST_TEST(s.flat(i) == std::sqrt(std::abs(big.flat(i))), boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(shape_mismatch_names_the_shapes) {
  Value a(Tensor::zeros({4, 3})), b(Tensor::zeros({2, 3}));
  testing::require_error<ShapeError>([&] { a + b; }, {"add", "(4, 3)", "(2, 3)"});
  Value c(Tensor::zeros({4, 3}, DType::float64));
  testing::require_error<ValueError>([&] { a* c; }, {"mul", "float32", "float64"});
}

BOOST_AUTO_TEST_SUITE_END()
