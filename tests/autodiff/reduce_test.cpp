#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "autodiff/ops/reduce.hpp"
#include "tests/autodiff/shape_test_helpers.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::from_transposed_view;
using testing::random_tensor;
using testing::require_error;
using testing::require_gradients;
using Inputs = std::vector<Value>;
using Axes = std::vector<long>;

namespace {

// x of shape (2, 3, 4) at (i, j, k), by hand.
double at3(const Tensor& x, std::size_t i, std::size_t j, std::size_t k) {
  return x.flat((i * 3 + j) * 4 + k);
}

const auto tolerance = boost::test_tools::tolerance(1e-12);

}  // namespace

BOOST_AUTO_TEST_SUITE(reduce_test)

BOOST_AUTO_TEST_CASE(sum_mean_max_values_against_loops) {
  const Tensor x = random_tensor({2, 3, 4}, 1);
  // Over everything.
  double total = 0, largest = -INFINITY;
  for (std::size_t i = 0; i < 24; ++i) {
    total += x.flat(i);
    largest = std::max(largest, x.flat(i));
  }
  BOOST_TEST(sum(Value(x)).value().item() == total, tolerance);
  BOOST_TEST(mean(Value(x)).value().item() == total / 24, tolerance);
  BOOST_TEST(max(Value(x)).value().item() == largest);
  BOOST_TEST(sum(Value(x)).value().rank() == 0u);
  // Over the middle axis, named from the front and from the back.
  for (long axis : {1L, -2L}) {
    const Tensor s = sum(Value(x), {axis}).value();
    const Tensor m = mean(Value(x), {axis}).value();
    const Tensor top = max(Value(x), {axis}).value();
    BOOST_TEST((s.shape() == Shape{2, 4}));
    for (std::size_t i = 0; i < 2; ++i) {
      for (std::size_t k = 0; k < 4; ++k) {
        double expected = 0, biggest = -INFINITY;
        for (std::size_t j = 0; j < 3; ++j) {
          expected += at3(x, i, j, k);
          biggest = std::max(biggest, at3(x, i, j, k));
        }
        BOOST_TEST(s.flat(i * 4 + k) == expected, tolerance);
        BOOST_TEST(m.flat(i * 4 + k) == expected / 3, tolerance);
        BOOST_TEST(top.flat(i * 4 + k) == biggest);
      }
    }
  }
  // Over the first and last axes, with keepdims; a repeated axis counts once.
  const Tensor s = sum(Value(x), {0, -1, 2}, true).value();
  BOOST_TEST((s.shape() == Shape{1, 3, 1}));
  for (std::size_t j = 0; j < 3; ++j) {
    double expected = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t k = 0; k < 4; ++k) expected += at3(x, i, j, k);
    BOOST_TEST(s.flat(j) == expected, tolerance);
    BOOST_TEST(mean(Value(x), {0, 2}, true).value().flat(j) == expected / 8, tolerance);
  }
  BOOST_TEST((max(Value(x), {}, true).value().shape() == Shape{1, 1, 1}));
  BOOST_TEST((mean(Value(x), {-1}, true).value().shape() == Shape{2, 3, 1}));
}

BOOST_AUTO_TEST_CASE(gradients_over_several_axes) {
  const Tensor x = random_tensor({2, 3, 4}, 2);
  for (const Axes& axes : {Axes{}, Axes{0}, Axes{1}, Axes{-1}, Axes{0, 2}, Axes{-3, -2}}) {
    for (bool keepdims : {false, true}) {
      BOOST_TEST_CONTEXT("axes " << axes.size() << " keepdims " << keepdims) {
        require_gradients([&](const Inputs& v) { return sum(v[0], axes, keepdims); }, {x});
        require_gradients([&](const Inputs& v) { return mean(v[0], axes, keepdims); }, {x});
        require_gradients([&](const Inputs& v) { return max(v[0], axes, keepdims); }, {x});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(size_one_dimensions_and_scalars) {
  const Tensor x = random_tensor({3, 1, 2}, 3);
  for (bool keepdims : {false, true}) {
    require_gradients([&](const Inputs& v) { return sum(v[0], {1}, keepdims); }, {x});
    require_gradients([&](const Inputs& v) { return mean(v[0], {1, 2}, keepdims); }, {x});
    require_gradients([&](const Inputs& v) { return max(v[0], {-2}, keepdims); }, {x});
  }
  const Tensor reduced = sum(Value(x), {1}).value();
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(reduced.flat(i) == x.flat(i));
  const Tensor scalar = random_tensor({}, 4);
  require_gradients([](const Inputs& v) { return sum(v[0]); }, {scalar});
  require_gradients([](const Inputs& v) { return mean(v[0]); }, {scalar});
  require_gradients([](const Inputs& v) { return max(v[0]); }, {scalar});
  BOOST_TEST(max(Value(scalar)).value().item() == scalar.item());
}

BOOST_AUTO_TEST_CASE(size_zero_dimensions) {
  const Tensor empty = Tensor::zeros({2, 0, 3}, DType::float64);
  // A sum over no elements is 0; reducing other axes keeps the empty one.
  const Tensor s = sum(Value(empty), {1}).value();
  BOOST_TEST((s.shape() == Shape{2, 3}));
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(s.flat(i) == 0.0);
  BOOST_TEST((sum(Value(empty), {0, 2}).value().shape() == Shape{0}));
  BOOST_TEST((mean(Value(empty), {-1}, true).value().shape() == Shape{2, 0, 1}));
  BOOST_TEST((max(Value(empty), {0}).value().shape() == Shape{0, 3}));
  for (bool keepdims : {false, true}) {
    require_gradients([&](const Inputs& v) { return sum(v[0], {1}, keepdims); }, {empty});
    require_gradients([&](const Inputs& v) { return mean(v[0], {2}, keepdims); }, {empty});
    require_gradients([&](const Inputs& v) { return max(v[0], {0, 2}, keepdims); }, {empty});
  }
  Value leaf(empty, true);
  sum(leaf).backward();
  BOOST_TEST((leaf.grad().shape() == Shape{2, 0, 3}));
}

BOOST_AUTO_TEST_CASE(mean_over_an_empty_axis_is_nan) {
  // Like numpy and PyTorch: 0 / 0. The gradient reaches no element: x has none.
  Value leaf(Tensor::zeros({2, 0}, DType::float64), true);
  Value m = mean(leaf, {1});
  BOOST_TEST((m.shape() == Shape{2}));
  BOOST_TEST(std::isnan(m.value().flat(0)));
  BOOST_TEST(std::isnan(m.value().flat(1)));
  BOOST_TEST(std::isnan(mean(Value(Tensor::zeros({0}))).value().item()));
  BOOST_TEST((mean(Value(Tensor::zeros({0}))).value().dtype() == DType::float32));
  m.backward(Tensor::ones({2}, DType::float64));
  BOOST_TEST((leaf.grad().shape() == Shape{2, 0}));
}

BOOST_AUTO_TEST_CASE(max_splits_the_gradient_among_ties) {
  const Tensor x = Tensor::from_values({2, 3}, {1, 3, 3, 2, 2, 2}, DType::float64);
  Value leaf(x, true);
  max(leaf, {1}).backward(Tensor::from_values({2}, {1, 6}, DType::float64));
  const std::vector<double> expected = {0, 0.5, 0.5, 2, 2, 2};
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(leaf.grad().flat(i) == expected[i]);
  // Over everything: the two 3s share; with keepdims the same.
  Value all(x, true);
  max(all, {}, true).backward(Tensor::ones({1, 1}, DType::float64));
  const std::vector<double> shared = {0, 0.5, 0.5, 0, 0, 0};
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(all.grad().flat(i) == shared[i]);
  // Over axis 0: column 0 has a single maximum, columns 1 and 2 none tied.
  Value column(x, true);
  max(column, {0}).backward(Tensor::ones({3}, DType::float64));
  const std::vector<double> by_column = {0, 1, 1, 1, 0, 0};
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(column.grad().flat(i) == by_column[i]);
}

BOOST_AUTO_TEST_CASE(max_of_nan_is_nan_and_its_gradient_goes_there) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Value leaf(Tensor::from_values({2, 2}, {1, nan, 4, 3}, DType::float64), true);
  Value top = max(leaf, {1});
  BOOST_TEST(std::isnan(top.value().flat(0)));
  BOOST_TEST(top.value().flat(1) == 4.0);
  top.backward(Tensor::ones({2}, DType::float64));
  const std::vector<double> expected = {0, 1, 1, 0};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(leaf.grad().flat(i) == expected[i]);
}

BOOST_AUTO_TEST_CASE(non_contiguous_sources) {
  const Tensor x = from_transposed_view({4, 3, 2}, 5);  // (2, 3, 4)
  const Tensor s = sum(Value(x), {0}).value();
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t k = 0; k < 4; ++k) {
      BOOST_TEST(s.flat(j * 4 + k) == at3(x, 0, j, k) + at3(x, 1, j, k), tolerance);
    }
  }
  require_gradients([](const Inputs& v) { return sum(v[0], {0, -1}); }, {x});
  require_gradients([](const Inputs& v) { return mean(v[0], {1}, true); }, {x});
  require_gradients([](const Inputs& v) { return max(v[0], {2}); }, {x});
}

BOOST_AUTO_TEST_CASE(float32_reductions) {
  const Tensor x = random_tensor({5, 7}, 6, -1, 1, DType::float32);
  const Tensor m = mean(Value(x), {1}).value();
  BOOST_TEST((m.dtype() == DType::float32));
  for (std::size_t i = 0; i < 5; ++i) {
    double expected = 0;
    for (std::size_t j = 0; j < 7; ++j) expected += x.flat(i * 7 + j);
    BOOST_TEST(m.flat(i) == expected / 7, boost::test_tools::tolerance(1e-6));
  }
  Value leaf(x, true);
  mean(leaf).backward();
  for (std::size_t i = 0; i < 35; ++i) {
    BOOST_TEST(leaf.grad().flat(i) == 1.0 / 35, boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_op) {
  Value x(Tensor::zeros({2, 3}));
  require_error<ShapeError>([&] { sum(x, {2}); }, {"sum", "an axis in [-2, 2)", "2 for rank 2"});
  require_error<ShapeError>([&] { mean(x, {0, -3}); }, {"mean", "an axis in [-2, 2)", "-3"});
  require_error<ShapeError>([&] { max(x, {5}, true); }, {"max", "an axis in [-2, 2)", "5"});
  Value empty(Tensor::zeros({2, 0}));
  require_error<ShapeError>([&] { max(empty, {1}); },
                            {"max: expected a non-empty axis 1", "got shape (2, 0)"});
  require_error<ShapeError>([&] { max(empty); }, {"max", "non-empty axis 1", "(2, 0)"});
}

BOOST_AUTO_TEST_SUITE_END()
