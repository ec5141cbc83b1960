#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel.hpp"
#include "core/reduce.hpp"
#include "core/tensor_math.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using KernelAxes = std::vector<std::size_t>;

namespace {

// A reduction computed the plain way: every element visited in row-major order, in double.
struct Naive {
  Shape shape;
  std::vector<double> sum, abs_sum, max;
};

Naive naive_reduce(const Tensor& x, const KernelAxes& axes, bool keepdims) {
  const Shape shape = x.shape();
  const std::size_t rank = shape.size();
  auto reduced = [&](std::size_t a) {
    return std::find(axes.begin(), axes.end(), a) != axes.end();
  };
  Naive result;
  std::size_t outputs = 1;
  for (std::size_t a = 0; a < rank; ++a) {
    if (!reduced(a)) outputs *= shape[a];
    if (!reduced(a) || keepdims) result.shape.push_back(reduced(a) ? 1 : shape[a]);
  }
  result.sum.assign(outputs, 0.0);
  result.abs_sum.assign(outputs, 0.0);
  result.max.assign(outputs, -std::numeric_limits<double>::infinity());
  std::vector<std::size_t> index(rank, 0);
  for (std::size_t flat = 0; flat < x.size(); ++flat) {
    std::size_t rest = flat;
    for (std::size_t a = rank; a-- > 0;) {
      index[a] = rest % shape[a];
      rest /= shape[a];
    }
    std::size_t out = 0;
    for (std::size_t a = 0; a < rank; ++a) {
      if (!reduced(a)) out = out * shape[a] + index[a];
    }
    const double v = x.flat(flat);
    result.sum[out] += v;
    result.abs_sum[out] += std::abs(v);
    if (std::isnan(v) || std::isnan(result.max[out]))
      result.max[out] = std::numeric_limits<double>::quiet_NaN();
    else
      result.max[out] = std::max(result.max[out], v);
  }
  return result;
}

// Sum and max of x over `axes` against the plain loop: the sum within a rounding bound relative
// to the sum of magnitudes (float32 `sum_error`, float64 1e-13), the max exactly.
void require_matches_naive(const Tensor& x, const KernelAxes& axes, bool keepdims,
                           double sum_error = 2e-6) {
  BOOST_TEST_CONTEXT("shape " << shape_to_string(x.shape()) << ", axes " << shape_to_string(axes)
                              << ", keepdims " << keepdims << ", " << dtype_name(x.dtype())) {
    const Naive expected = naive_reduce(x, axes, keepdims);
    const Tensor sum = reduce_sum(x, axes, keepdims);
    BOOST_TEST(sum.shape() == expected.shape);
    BOOST_TEST((sum.dtype() == x.dtype()));
    const double relative = x.dtype() == DType::float64 ? 1e-13 : sum_error;
    for (std::size_t i = 0; i < expected.sum.size(); ++i) {
      BOOST_TEST_INFO("output " << i);
      if (std::isnan(expected.sum[i]))
        BOOST_TEST(std::isnan(sum.flat(i)));
      else
        BOOST_TEST(std::abs(sum.flat(i) - expected.sum[i]) <= relative * (1 + expected.abs_sum[i]));
    }
    if (x.size() == 0) return;
    const Tensor max = reduce_max(x, axes, keepdims);
    BOOST_TEST(max.shape() == expected.shape);
    for (std::size_t i = 0; i < expected.max.size(); ++i) {
      BOOST_TEST_INFO("output " << i);
      if (std::isnan(expected.max[i]))
        BOOST_TEST(std::isnan(max.flat(i)));
      else
        BOOST_TEST(max.flat(i) == expected.max[i]);
    }
  }
}

void require_matches_naive_all_ways(const Shape& shape, const KernelAxes& axes, std::uint64_t seed) {
  for (DType dtype : {DType::float32, DType::float64}) {
    const Tensor x = random_tensor(shape, seed, -1, 1, dtype);
    require_matches_naive(x, axes, false);
    require_matches_naive(x, axes, true);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reduce_kernel_test)

BOOST_AUTO_TEST_CASE(trailing_runs) {
  // Runs shorter than, equal to and longer than a SIMD batch, with scalar tails.
  require_matches_naive_all_ways({7, 33}, {1}, 1);
  require_matches_naive_all_ways({5, 4, 3}, {1, 2}, 2);
  require_matches_naive_all_ways({9, 1}, {1}, 3);
  require_matches_naive_all_ways({3, 16}, {1}, 4);
  // A trailing axis of extent 1 after the reduced one still reads contiguous runs.
  require_matches_naive_all_ways({4, 6, 1}, {1}, 5);
}

BOOST_AUTO_TEST_CASE(leading_runs_reduce_columns) {
  require_matches_naive_all_ways({33, 7}, {0}, 11);
  require_matches_naive_all_ways({2, 3, 2}, {0}, 12);
  // 600 columns: two column blocks of 512, the second with a scalar tail.
  require_matches_naive_all_ways({6, 5, 600}, {0, 1}, 13);
}

BOOST_AUTO_TEST_CASE(middle_runs) {
  require_matches_naive_all_ways({4, 9, 13}, {1}, 21);
  require_matches_naive_all_ways({3, 5, 7, 2}, {1, 2}, 22);
  require_matches_naive_all_ways({2, 700, 3}, {1}, 23);
}

BOOST_AUTO_TEST_CASE(non_consecutive_axes) {
  require_matches_naive_all_ways({3, 4, 5, 6}, {0, 2}, 31);
  require_matches_naive_all_ways({3, 4, 5, 6}, {1, 3}, 32);
  require_matches_naive_all_ways({3, 4, 5, 6}, {0, 3}, 33);
  require_matches_naive_all_ways({3, 4, 5, 6}, {0, 1, 3}, 34);
  require_matches_naive_all_ways({2, 3, 1, 4}, {1, 3}, 35);
}

BOOST_AUTO_TEST_CASE(long_single_runs_are_cut_into_fixed_blocks) {
  // One run over several 16384-element blocks; few long runs (blocks in parallel, combined in
  // order); many long runs (one task per run); one element past a block.
  require_matches_naive_all_ways({40000}, {0}, 41);
  require_matches_naive_all_ways({2, 40000}, {1}, 42);
  require_matches_naive_all_ways({5, 20000}, {1}, 43);
  require_matches_naive_all_ways({3, 16385}, {1}, 44);
}

BOOST_AUTO_TEST_CASE(long_columns_are_cut_into_fixed_row_blocks) {
  // More than 1024 rows: partial columns per row block, then reduced again; (2, 2500, 700) has
  // several row blocks and column blocks per outer index.
  require_matches_naive_all_ways({3000, 3}, {0}, 51);
  require_matches_naive_all_ways({2, 2500, 700}, {1}, 52);
  require_matches_naive_all_ways({1025, 9}, {0}, 53);
}

BOOST_AUTO_TEST_CASE(very_long_columns_keep_float32_precision) {
  // 1,050,000 rows: more than 1024 row blocks, so the partials are blocked once more. Summed row
  // after row in float32 the error grows with the number of rows (1.4e-5 relative for these
  // values); the blocked sum stays within a few float32 roundings of the exact sum.
  const Tensor x = random_tensor({1050000, 2}, 54, 0, 1, DType::float32);
  const Naive expected = naive_reduce(x, {0}, false);
  const Tensor sum = reduce_sum(x, {0}, false);
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_TEST(std::abs(sum.flat(i) - expected.sum[i]) <= 2e-6 * expected.sum[i]);
  }
  const Tensor max = reduce_max(x, {0}, false);
  for (std::size_t i = 0; i < 2; ++i) BOOST_TEST(max.flat(i) == expected.max[i]);
}

BOOST_AUTO_TEST_CASE(full_reductions) {
  require_matches_naive_all_ways({17, 19, 3}, {0, 1, 2}, 61);
  require_matches_naive_all_ways({1}, {0}, 62);
  const Tensor big = random_tensor({300000}, 63, 0, 1, DType::float32);
  require_matches_naive(big, {0}, false, 1e-6);
}

BOOST_AUTO_TEST_CASE(empty_axes_and_empty_extents) {
  // No axes: a copy of the input.
  const Tensor x = random_tensor({2, 3}, 71);
  const Tensor copy = reduce_sum(x, {}, false);
  BOOST_TEST(testing::bitwise_equal(copy, x));
  const Tensor scalar = Tensor::scalar(2.5, DType::float64);
  BOOST_TEST(reduce_sum(scalar, {}, false).item() == 2.5);
  // A sum over an axis of extent 0 is 0; an extent 0 elsewhere gives an empty result.
  for (const auto& [shape, axes, expected] :
       std::vector<std::tuple<Shape, KernelAxes, Shape>>{{{0, 3}, {0}, {3}},
                                                   {{3, 0}, {1}, {3}},
                                                   {{3, 0, 2}, {1}, {3, 2}},
                                                   {{3, 0, 2}, {0, 2}, {0}},
                                                   {{0, 3}, {1}, {0}},
                                                   {{2, 0, 4}, {0, 1, 2}, {}}}) {
    const Tensor empty = Tensor::zeros(shape, DType::float32);
    const Tensor sum = reduce_sum(empty, axes, false);
    BOOST_TEST(sum.shape() == expected);
    for (std::size_t i = 0; i < sum.size(); ++i) BOOST_TEST(sum.flat(i) == 0.0);
  }
  testing::require_error<ShapeError>(
      [] {
        reduce_max(Tensor::zeros({2, 0}), {1}, false);
      },
      {"reduce_max", "non-empty axis 1", "(2, 0)"});
  testing::require_error<ShapeError>(
      [] {
        reduce_max(Tensor::zeros({0, 3}), {0, 1}, true, "max");
      },
      {"max: expected", "non-empty axis 0", "(0, 3)"});
  // No reduced axis is empty: an empty result, no error.
  BOOST_TEST((reduce_max(Tensor::zeros({0, 3}), {1}, false).shape() == Shape{0}));
}

BOOST_AUTO_TEST_CASE(max_propagates_nan_on_every_path) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // NaN inside a SIMD batch and in the scalar tail of a trailing run, at the start of a column,
  // and in a non-consecutive reduction.
  Tensor x = random_tensor({4, 37}, 81);
  x.array<double>()(0, 3) = nan;
  x.array<double>()(1, 36) = nan;
  require_matches_naive(x, {1}, false);
  require_matches_naive(x, {0}, false);
  Tensor y = random_tensor({3, 4, 5}, 82, -1, 1, DType::float32);
  y.array<float>()(2, 1, 4) = static_cast<float>(nan);
  require_matches_naive(y, {0, 2}, true);
  const Tensor max = reduce_max(y, {0, 2}, false);
  BOOST_TEST(std::isnan(max.flat(1)));
  BOOST_TEST(!std::isnan(max.flat(0)));
}

BOOST_AUTO_TEST_CASE(axes_must_be_normalised) {
  const Tensor x = Tensor::zeros({2, 3});
  testing::require_error<ShapeError>(
      [&] {
        reduce_sum(x, {1, 0}, false);
      },
      {"reduce_sum", "sorted, unique axes below the rank 2", "axes (1, 0)"});
  testing::require_error<ShapeError>([&] { reduce_sum(x, {2}, false); },
                                     {"reduce_sum", "below the rank 2", "axes (2)"});
  testing::require_error<ShapeError>(
      [&] {
        reduce_max(x, {0, 0}, false, "max");
      },
      {"max", "unique", "axes (0, 0)"});
}

BOOST_AUTO_TEST_CASE(sum_to_shape_is_the_adjoint_of_broadcasting) {
  const Tensor g = random_tensor({2, 4, 3}, 91);
  auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return g.flat((i * 4 + j) * 3 + k);
  };
  const Tensor rows = sum_to_shape(g, {3});
  BOOST_TEST((rows.shape() == Shape{3}));
  for (std::size_t k = 0; k < 3; ++k) {
    double expected = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 4; ++j) expected += at(i, j, k);
    BOOST_TEST(rows.flat(k) == expected, boost::test_tools::tolerance(1e-12));
  }
  const Tensor kept = sum_to_shape(g, {4, 1});
  BOOST_TEST((kept.shape() == Shape{4, 1}));
  for (std::size_t j = 0; j < 4; ++j) {
    double expected = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t k = 0; k < 3; ++k) expected += at(i, j, k);
    BOOST_TEST(kept.flat(j) == expected, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(testing::bitwise_equal(sum_to_shape(g, {2, 4, 3}), g));
  // Broadcasting (1,) against (0,) gave (0,): the operand's gradient is a sum over nothing.
  BOOST_TEST(sum_to_shape(Tensor::zeros({0}), {1}).flat(0) == 0.0);
  testing::require_error<ShapeError>([&] { sum_to_shape(g, {5}); },
                                     {"sum_to_shape", "(2, 4, 3)", "(5)"});
  testing::require_error<ShapeError>(
      [&] {
        sum_to_shape(g, {1, 2, 4, 3});
      },
      {"sum_to_shape", "broadcasts to (2, 4, 3)", "(1, 2, 4, 3)"});
}

BOOST_AUTO_TEST_CASE(broadcast_to_repeats_values) {
  const Tensor x = random_tensor({4, 1}, 95);
  const Tensor y = broadcast_to(x, {2, 4, 3});
  BOOST_TEST((y.shape() == Shape{2, 4, 3}));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(y.flat((i * 4 + j) * 3 + k) == x.flat(j));
  const Tensor row = random_tensor({3}, 96, -1, 1, DType::float32);
  const Tensor rows = broadcast_to(row, {5, 3});
  for (std::size_t i = 0; i < 15; ++i) BOOST_TEST(rows.flat(i) == row.flat(i % 3));
  BOOST_TEST(broadcast_to(Tensor::scalar(7), {2, 2}).flat(3) == 7.0);
  BOOST_TEST((broadcast_to(Tensor::scalar(7), {0, 2}).shape() == Shape{0, 2}));
  testing::require_error<ShapeError>([&] { broadcast_to(x, {4, 2, 3}); }, {"broadcast_to"});
  testing::require_error<ShapeError>([&] { broadcast_to(x, {4}); },
                                     {"broadcast_to", "broadcasts to (4)", "(4, 1)"});
}

BOOST_AUTO_TEST_CASE(bitwise_identical_for_one_and_two_threads) {
  // 2,000,000 float32 values: every kernel below runs in parallel blocks.
  const Tensor x = random_tensor({2000, 1000}, 101, -1, 1, DType::float32);
  const Tensor columns = random_tensor({1000000, 2}, 102, -1, 1, DType::float32);
  const Tensor row = random_tensor({1000}, 103, -1, 1, DType::float32);
  const Tensor column = random_tensor({2000, 1}, 104, -1, 1, DType::float32);
  auto run_all = [&] {
    return std::vector<Tensor>{reduce_sum(x, {0, 1}, false),
                               reduce_sum(x, {0}, false),
                               reduce_sum(x, {1}, false),
                               reduce_max(x, {0, 1}, false),
                               reduce_sum(columns, {0}, false),
                               add(x, row),
                               add(column, row)};
  };
  std::vector<Tensor> one, two;
  {
    ThreadLimit limit(1);
    BOOST_TEST(max_threads() == 1u);
    one = run_all();
  }
  {
    ThreadLimit limit(2);
    two = run_all();
  }
  for (std::size_t k = 0; k < one.size(); ++k) {
    BOOST_TEST_INFO("result " << k);
    BOOST_TEST(testing::bitwise_equal(one[k], two[k]));
  }
  // The results are also right, not only repeatable.
  require_matches_naive(x, {0, 1}, false, 1e-6);
  require_matches_naive(x, {0}, false);
  require_matches_naive(x, {1}, false);
  for (std::size_t i = 0; i < 2000; i += 97) {
    for (std::size_t j = 0; j < 1000; j += 31) {
      BOOST_TEST(one[5].flat(i * 1000 + j) ==
                 static_cast<double>(static_cast<float>(x.flat(i * 1000 + j) + row.flat(j))));
      BOOST_TEST(one[6].flat(i * 1000 + j) ==
                 static_cast<double>(static_cast<float>(column.flat(i) + row.flat(j))));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
