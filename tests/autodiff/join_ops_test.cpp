#include <boost/test/unit_test.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/shape.hpp"
#include "autodiff/tape.hpp"
#include "tests/autodiff/shape_test_helpers.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::at;
using testing::for_each_index;
using testing::from_transposed_view;
using testing::Index;
using testing::random_tensor;
using testing::require_error;
using testing::require_gradients;
using Inputs = std::vector<Value>;

BOOST_AUTO_TEST_SUITE(join_ops_test)

BOOST_AUTO_TEST_CASE(concat_joins_along_an_axis) {
  const Tensor a = random_tensor({2, 1, 3}, 13), b = random_tensor({2, 4, 3}, 14);
  const Tensor c = Tensor::zeros({2, 0, 3}, DType::float64);
  const Tensor y = concat({Value(a), Value(b), Value(c)}, -2).value();
  BOOST_TEST((y.shape() == Shape{2, 5, 3}));
  for_each_index(y.shape(), [&](const Index& i) {
    const double expected = i[1] < 1 ? at(a, i) : at(b, {i[0], i[1] - 1, i[2]});
    BOOST_TEST(at(y, i) == expected);
  });
  require_gradients([](const Inputs& v) { return concat(v, 1); }, {a, b, c});
  require_gradients([](const Inputs& v) { return concat(v, 0); },
                    {random_tensor({1, 3}, 15), random_tensor({3, 3}, 16)});
  require_gradients([](const Inputs& v) { return concat(v, -1); },
                    {random_tensor({2, 2}, 17), from_transposed_view({3, 2}, 18)});
  require_gradients([](const Inputs& v) { return concat(v, 0); }, {random_tensor({2}, 19)});
  // An input that needs no gradient gets none; the others get theirs.
  Value constant(a), leaf(b, true);
  concat({constant, leaf}, 1).backward(Tensor::ones({2, 5, 3}, DType::float64));
  BOOST_TEST(!constant.has_grad());
  BOOST_TEST(testing::max_abs_diff(leaf.grad(), Tensor::ones({2, 4, 3}, DType::float64)) == 0.0);
}

BOOST_AUTO_TEST_CASE(concat_errors) {
  require_error<ValueError>([] { concat({}, 0); },
                            {"concat: expected at least one value, got none"});
  Value a(Tensor::zeros({2, 1, 3})), b(Tensor::zeros({3, 4, 3}));
  require_error<ShapeError>(
      [&] {
        concat({a, b}, 1);
      },
      {"concat", "shapes equal to (2, 1, 3) (that of value 0) except on axis 1",
       "got (3, 4, 3) for value 1"});
  require_error<ShapeError>(
      [&] {
        concat({a, a, Value(Tensor::zeros({2, 3}))}, 1);
      },
      {"concat", "except on axis 1", "got (2, 3) for value 2"});
  require_error<ValueError>(
      [&] {
        concat({a, Value(Tensor::zeros({2, 1, 3}, DType::float64))}, 0);
      },
      {"concat", "values of one dtype (float32", "got float64 for value 1"});
  require_error<ShapeError>([&] { concat({a}, 3); }, {"concat", "an axis in [-3, 3)", "3"});
}

BOOST_AUTO_TEST_CASE(stack_adds_an_axis) {
  const std::vector<Tensor> xs = {random_tensor({2, 3}, 20), random_tensor({2, 3}, 21),
                                  random_tensor({2, 3}, 22)};
  const std::vector<Value> values = {Value(xs[0]), Value(xs[1]), Value(xs[2])};
  const Tensor first = stack(values, 0).value();
  BOOST_TEST((first.shape() == Shape{3, 2, 3}));
  for_each_index(first.shape(), [&](const Index& i) {
    BOOST_TEST(at(first, i) == at(xs[i[0]], {i[1], i[2]}));
  });
  // Per-step GRU outputs (batch, units) stacked along time: (batch, time, units).
  const Tensor middle = stack(values, 1).value();
  BOOST_TEST((middle.shape() == Shape{2, 3, 3}));
  for_each_index(middle.shape(), [&](const Index& i) {
    BOOST_TEST(at(middle, i) == at(xs[i[1]], {i[0], i[2]}));
  });
  const Tensor last = stack(values, -1).value();
  BOOST_TEST((last.shape() == Shape{2, 3, 3}));
  for_each_index(last.shape(), [&](const Index& i) {
    BOOST_TEST(at(last, i) == at(xs[i[2]], {i[0], i[1]}));
  });
  for (long axis : {0L, 1L, 2L, -1L, -3L}) {
    require_gradients([&](const Inputs& v) { return stack(v, axis); }, xs);
  }
  require_gradients([](const Inputs& v) { return stack(v, 0); },
                    {random_tensor({}, 23), random_tensor({}, 24)});
  require_gradients([](const Inputs& v) { return stack(v, 1); },
                    {Tensor::zeros({0, 2}, DType::float64), Tensor::zeros({0, 2}, DType::float64)});
  require_gradients([](const Inputs& v) { return stack(v, 1); },
                    {from_transposed_view({3, 2}, 25), random_tensor({2, 3}, 26)});
  require_error<ValueError>([] { stack({}, 0); }, {"stack: expected at least one value, got none"});
  require_error<ShapeError>(
      [&] {
        stack({values[0], Value(Tensor::zeros({3, 2}, DType::float64))}, 0);
      },
      {"stack", "shapes equal to (2, 3) (that of value 0)", "got (3, 2) for value 1"});
  require_error<ShapeError>([&] { stack(values, 3); },
                            {"stack", "an axis in [-3, 3)", "3 for rank 3"});
  require_error<ValueError>(
      [&] {
        stack({values[0], Value(Tensor::zeros({2, 3}))}, 0);
      },
      {"stack", "values of one dtype (float64", "got float32 for value 1"});
}

BOOST_AUTO_TEST_CASE(select_then_stack_is_the_identity) {
  // The GRU's walk over time: read step t with select, stack the steps back along time.
  const Tensor x = random_tensor({3, 5, 4}, 27, -1, 1, DType::float32);
  std::vector<Value> steps;
  for (std::size_t t = 0; t < 5; ++t) steps.push_back(select(Value(x), 1, t));
  BOOST_TEST(testing::bitwise_equal(stack(steps, 1).value(), x));
  require_gradients(
      [](const Inputs& v) {
        std::vector<Value> steps;
        for (std::size_t t = 0; t < 5; ++t) steps.push_back(select(v[0], 1, 4 - t) * double(t));
        return stack(steps, 1);
      },
      {random_tensor({3, 5, 4}, 28)});
}

BOOST_AUTO_TEST_CASE(split_cuts_into_pieces_with_one_tape_entry) {
  const Tensor x = random_tensor({2, 7, 3}, 29);
  const std::vector<Value> pieces = split(Value(x), {2, 0, 5}, -2);
  BOOST_REQUIRE(pieces.size() == 3u);
  BOOST_TEST((pieces[0].shape() == Shape{2, 2, 3}));
  BOOST_TEST((pieces[1].shape() == Shape{2, 0, 3}));
  BOOST_TEST((pieces[2].shape() == Shape{2, 5, 3}));
  for_each_index(pieces[2].shape(), [&](const Index& i) {
    BOOST_TEST(at(pieces[2].value(), i) == at(x, {i[0], i[1] + 2, i[2]}));
  });
  for_each_index(pieces[0].shape(),
                 [&](const Index& i) { BOOST_TEST(at(pieces[0].value(), i) == at(x, i)); });
  Value leaf(x, true);
  const std::size_t before = current_tape().size();
  const std::vector<Value> recorded = split(leaf, {3, 4}, 1);
  BOOST_TEST(current_tape().size() == before + 1);
  BOOST_TEST(recorded[0].requires_grad());
  current_tape().clear();
  // Pieces used in another order, one not at all: its part of the gradient is zero.
  require_gradients(
      [](const Inputs& v) {
        const std::vector<Value> p = split(v[0], {2, 3, 2}, 1);
        return concat({p[2] * 3.0, p[0]}, 1);
      },
      {x});
  require_gradients([](const Inputs& v) { return split(v[0], {1, 1}, 0)[1]; }, {x});
  require_gradients([](const Inputs& v) { return split(v[0], {3}, -1)[0]; },
                    {from_transposed_view({3, 2}, 30)});
  require_error<ShapeError>(
      [&] {
        split(Value(x), {2, 2}, 1);
      },
      {"split",
       "one or more sizes summing to 7, the extent of axis 1 (extent 7) of "
       "shape (2, 7, 3)",
       "got sizes (2, 2)"});
  require_error<ShapeError>([&] { split(Value(x), {}, 1); }, {"split", "got sizes ()"});
  require_error<ShapeError>([&] { split(Value(x), {2}, 5); }, {"split", "an axis in [-3, 3)"});
}

BOOST_AUTO_TEST_CASE(chunk_cuts_into_equal_pieces) {
  const Tensor x = random_tensor({2, 6}, 31);
  const std::vector<Value> pieces = chunk(Value(x), 3, -1);
  BOOST_REQUIRE(pieces.size() == 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    BOOST_TEST((pieces[k].shape() == Shape{2, 2}));
    for_each_index({2, 2}, [&](const Index& i) {
      BOOST_TEST(at(pieces[k].value(), i) == at(x, {i[0], 2 * k + i[1]}));
    });
  }
  require_gradients([](const Inputs& v) { return stack(chunk(v[0], 3, 1), 0); }, {x});
  require_gradients([](const Inputs& v) { return chunk(v[0], 2, 0)[1] * 2.0; }, {x});
  BOOST_TEST(chunk(Value(Tensor::zeros({0, 2})), 2, 0).size() == 2u);
  require_error<ShapeError>(
      [&] { chunk(Value(x), 4, 1); },
      {"chunk", "a number of chunks that divides the extent of axis 1 (extent 6) of shape (2, 6)",
       "got 4 chunks"});
  require_error<ShapeError>([&] { chunk(Value(x), 0, 0); }, {"chunk", "got 0 chunks"});
}

BOOST_AUTO_TEST_SUITE_END()
