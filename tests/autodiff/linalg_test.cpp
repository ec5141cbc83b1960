#include <boost/test/unit_test.hpp>

#include "autodiff/ops/linalg.hpp"
#include "core/linalg.hpp"
#include "core/parallel.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_gradients;
using Inputs = std::vector<Value>;

namespace {

// The stored shape of an operand whose last two axes hold (rows, cols) of op(X), before op.
Shape stored(Shape batch, std::size_t rows, std::size_t cols, bool transposed) {
  batch.push_back(transposed ? cols : rows);
  batch.push_back(transposed ? rows : cols);
  return batch;
}

// Gradient checks of matmul for every pair of transposition flags.
void check_all_flags(const Shape& batch_a, const Shape& batch_b, std::size_t m, std::size_t k,
                     std::size_t n) {
  std::uint64_t seed = 1;
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      BOOST_TEST_CONTEXT("ta " << ta << " tb " << tb << " batches " << shape_to_string(batch_a)
                               << " " << shape_to_string(batch_b)) {
        const Tensor a = random_tensor(stored(batch_a, m, k, ta), seed++);
        const Tensor b = random_tensor(stored(batch_b, k, n, tb), seed++);
        require_gradients([=](const Inputs& v) { return matmul(v[0], v[1], ta, tb); }, {a, b});
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(linalg_test)

BOOST_AUTO_TEST_CASE(values_match_closed_forms) {
  const Tensor a = Tensor::from_values({2, 2}, {1, 2, 3, 4}, DType::float64);
  const Tensor b = Tensor::from_values({2, 2}, {5, 6, 7, 8}, DType::float64);
  auto values = [](const Tensor& t) { return t.to_vector(); };
  using V = std::vector<double>;
  BOOST_TEST(values(matmul(a, b)) == (V{19, 22, 43, 50}), boost::test_tools::per_element());
  BOOST_TEST(values(matmul(a, b, true)) == (V{26, 30, 38, 44}), boost::test_tools::per_element());
  BOOST_TEST(values(matmul(a, b, false, true)) == (V{17, 23, 39, 53}),
             boost::test_tools::per_element());
  BOOST_TEST(values(matmul(a, b, true, true)) == (V{23, 31, 34, 46}),
             boost::test_tools::per_element());
  // A (2, 3) times B (3, 1) in float32; every product is exact.
  const Tensor c = Tensor::from_values({2, 3}, {1, -2, 3, 0.5, 4, -1});
  const Tensor d = Tensor::from_values({3, 1}, {2, 1, 0.25});
  const Tensor y = matmul(Value(c), Value(d)).value();
  BOOST_TEST(y.dtype() == DType::float32);
  BOOST_TEST((y.shape() == Shape{2, 1}));
  BOOST_TEST(values(y) == (V{0.75, 4.75}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gradients_two_dimensional_all_flags) {
  check_all_flags({}, {}, 3, 4, 5);
  check_all_flags({}, {}, 1, 7, 2);
}

BOOST_AUTO_TEST_CASE(gradients_batched_with_broadcasting_both_ways) {
  // a's batch (2, 1) and b's (3): each stretches along an axis of the other.
  check_all_flags({2, 1}, {3}, 2, 3, 4);
  // A single matrix against a batch, and a batch against a single matrix.
  check_all_flags({}, {2, 3}, 3, 2, 2);
  check_all_flags({3}, {}, 2, 4, 3);
  // b's batch axes all of extent 1, more of them than a has.
  check_all_flags({2}, {1, 1}, 3, 2, 2);
}

BOOST_AUTO_TEST_CASE(sequence_times_weight_is_one_gemm) {
  // (B, T, I) x (I, N): the input projection of a recurrent layer.
  check_all_flags({2, 3}, {}, 4, 5, 3);
  // Folding the batch into rows is exactly the 2-D product of the reshaped input.
  const Tensor x = random_tensor({4, 50, 32}, 3, -1, 1, DType::float32);
  const Tensor w = random_tensor({32, 96}, 4, -1, 1, DType::float32);
  const Tensor folded = matmul(x.reshaped({200, 32}), w).reshaped({4, 50, 96});
  BOOST_TEST(testing::bitwise_equal(matmul(x, w), folded));
  // So is the weight gradient: one product over all 200 rows.
  Value vx(x, true), vw(w, true);
  const Tensor g = random_tensor({4, 50, 96}, 5, -1, 1, DType::float32);
  matmul(vx, vw).backward(g);
  const Tensor dw = matmul(x.reshaped({200, 32}), g.reshaped({200, 96}), true, false);
  BOOST_TEST(testing::bitwise_equal(vw.grad(), dw));
}

BOOST_AUTO_TEST_CASE(size_zero_and_size_one_dimensions) {
  check_all_flags({}, {}, 1, 1, 1);
  check_all_flags({1}, {2}, 1, 3, 1);
  // Inner extent 0: the product is zeros, and the operands' gradients are empty.
  const Tensor empty_a = Tensor::zeros({3, 0}, DType::float64);
  const Tensor empty_b = Tensor::zeros({0, 2}, DType::float64);
  const Tensor zeros = matmul(empty_a, empty_b);
  BOOST_TEST((zeros.shape() == Shape{3, 2}));
  BOOST_TEST(zeros.to_vector() == std::vector<double>(6, 0.0), boost::test_tools::per_element());
  require_gradients([](const Inputs& v) { return matmul(v[0], v[1]); }, {empty_a, empty_b});
  // An empty batch or empty rows: empty result, and B's gradient is zeros of its shape.
  for (const Shape& shape_a : {Shape{0, 3, 4}, Shape{2, 0, 4}}) {
    Value a(Tensor::zeros(shape_a, DType::float64), true);
    Value b(random_tensor({4, 2}, 6), true);
    Value y = matmul(a, b);
    BOOST_TEST((y.shape() == Shape{shape_a[0], shape_a[1], 2}));
    y.backward(Tensor::zeros(y.shape(), DType::float64));
    BOOST_TEST((a.grad().shape() == shape_a));
    BOOST_TEST(b.grad().to_vector() == std::vector<double>(8, 0.0),
               boost::test_tools::per_element());
  }
  require_gradients([](const Inputs& v) { return matmul(v[0], v[1], false, true); },
                    {Tensor::zeros({2, 0, 3}, DType::float64), random_tensor({1, 4, 3}, 7)});
}

BOOST_AUTO_TEST_CASE(only_requested_gradients_are_computed) {
  Value a(random_tensor({3, 4}, 8), true), b(random_tensor({4, 2}, 9), false);
  matmul(a, b).backward(Tensor::ones({3, 2}, DType::float64));
  BOOST_TEST(a.has_grad());
  BOOST_TEST(!b.has_grad());
  // dA = G B^T with G = ones: every row of dA is the row sums of B.
  const Tensor bt = b.value();
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      BOOST_TEST(a.grad().flat(i * 4 + j) == bt.flat(j * 2) + bt.flat(j * 2 + 1),
                 boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(batched_results_do_not_depend_on_threads) {
  // Many small matrices (run in parallel over the batch) and a few large ones (run one after
  // another, each threaded over its two halves).
  for (const auto& [shape_a, shape_b] : {std::pair<Shape, Shape>{{500, 8, 16}, {500, 16, 8}},
                                         {{3, 256, 512}, {512, 768}},
                                         {{2, 256, 512}, {2, 768, 512}}}) {
    const Tensor a = random_tensor(shape_a, 10, -1, 1, DType::float32);
    const Tensor b = random_tensor(shape_b, 11, -1, 1, DType::float32);
    const bool tb = shape_b.back() == shape_a.back();
    Tensor one, two;
    {
      ThreadLimit limit(1);
      one = matmul(a, b, false, tb);
    }
    {
      ThreadLimit limit(2);
      two = matmul(a, b, false, tb);
    }
    BOOST_TEST(testing::bitwise_equal(one, two));
  }
}

BOOST_AUTO_TEST_CASE(contract_leading_axes_sums_outer_products) {
  // a (2, 2, 1) and b (4, 2): sum over the 4 rows of a_r^T b_r.
  const Tensor a = Tensor::from_values({2, 2, 1}, {1, 2, 3, 4}, DType::float64);
  const Tensor b = Tensor::from_values({4, 2}, {1, 0, 0, 1, 1, 1, 2, -1}, DType::float64);
  const Tensor c = contract_leading_axes(a, b);
  BOOST_TEST((c.shape() == Shape{1, 2}));
  BOOST_TEST(c.to_vector() == (std::vector<double>{1 + 3 + 8, 2 + 3 - 4}),
             boost::test_tools::per_element());
  testing::require_error<ShapeError>(
      [&] {
        contract_leading_axes(a, Tensor::zeros({3, 2}, DType::float64));
      },
      {"contract_leading_axes", "leading axes of equal size", "(2, 2, 1) and (3, 2)"});
  testing::require_error<ShapeError>(
      [&] { contract_leading_axes(Tensor::scalar(1, DType::float64), b); },
      {"contract_leading_axes", "rank >= 1", "() and (4, 2)"});
}

BOOST_AUTO_TEST_CASE(shape_errors_name_both_shapes) {
  Value a(Tensor::zeros({2, 3})), b(Tensor::zeros({4, 5}));
  testing::require_error<ShapeError>([&] { matmul(a, b); },
                                     {"matmul", "inner extents that agree", "(2, 3) and (4, 5)"});
  testing::require_error<ShapeError>([&] { matmul(a, b, true, true); },
                                     {"matmul", "2 vs 5 after transposition", "(2, 3) and (4, 5)"});
  Value vector(Tensor::zeros({3}));
  testing::require_error<ShapeError>([&] { matmul(vector, a); },
                                     {"matmul", "rank >= 2", "(3) and (2, 3)"});
  Value c(Tensor::zeros({2, 3, 4})), d(Tensor::zeros({3, 4, 5}));
  testing::require_error<ShapeError>(
      [&] { matmul(c, d); }, {"matmul", "batch axes that broadcast", "(2, 3, 4) and (3, 4, 5)"});
  Value e(Tensor::zeros({3, 2}, DType::float64));
  testing::require_error<ValueError>([&] { matmul(a, e); }, {"matmul", "float32", "float64"});
}

BOOST_AUTO_TEST_SUITE_END()
