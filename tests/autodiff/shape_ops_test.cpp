#include <boost/test/unit_test.hpp>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/shape.hpp"
#include "autodiff/tape.hpp"
#include "core/parallel.hpp"
#include "tests/autodiff/shape_test_helpers.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::at;
using testing::for_each_index;
using testing::from_transposed_view;
using testing::Index;
using testing::position;
using testing::random_tensor;
using testing::require_error;
using testing::require_gradients;
using Inputs = std::vector<Value>;

BOOST_AUTO_TEST_SUITE(shape_ops_test)

BOOST_AUTO_TEST_CASE(reshape_keeps_row_major_order) {
  const Tensor x = random_tensor({2, 3, 4}, 1);
  const Tensor y = reshape(Value(x), {4, 6}).value();
  BOOST_TEST((y.shape() == Shape{4, 6}));
  for (std::size_t i = 0; i < 24; ++i) BOOST_TEST(y.flat(i) == x.flat(i));
  require_gradients([](const Inputs& v) { return reshape(v[0], {6, 1, 4}); }, {x});
  require_gradients([](const Inputs& v) { return reshape(v[0], {}); }, {random_tensor({1, 1}, 2)});
  require_gradients(
      [](const Inputs& v) {
        return reshape(v[0], {3, 0});
      },
      {Tensor::zeros({0, 3}, DType::float64)});
  require_error<ShapeError>(
      [&] {
        reshape(Value(x), {5, 5});
      },
      {"reshape", "24 elements, like (2, 3, 4)", "(5, 5) with 25 elements"});
}

BOOST_AUTO_TEST_CASE(permute_moves_axes) {
  const Tensor x = random_tensor({2, 3, 4}, 3);
  const Tensor y = permute(Value(x), {2, 0, 1}).value();
  BOOST_TEST((y.shape() == Shape{4, 2, 3}));
  for_each_index(x.shape(), [&](const Index& i) {
    BOOST_TEST(at(y, {i[2], i[0], i[1]}) == at(x, i));
  });
  for (const Index& axes : {Index{2, 0, 1}, Index{1, 0, 2}, Index{0, 1, 2}, Index{2, 1, 0}}) {
    require_gradients([&](const Inputs& v) { return permute(v[0], axes); }, {x});
  }
  // Size-1 and size-0 axes, a rank-0 value and a source that was a transposed view.
  require_gradients(
      [](const Inputs& v) {
        return permute(v[0], {3, 1, 0, 2});
      },
      {random_tensor({2, 1, 3, 1}, 4)});
  require_gradients(
      [](const Inputs& v) {
        return permute(v[0], {1, 0});
      },
      {Tensor::zeros({0, 3}, DType::float64)});
  BOOST_TEST(permute(Value(Tensor::scalar(3)), {}).value().item() == 3.0);
  const Tensor viewed = from_transposed_view({4, 3, 2}, 5);
  require_gradients([](const Inputs& v) { return permute(v[0], {1, 2, 0}); }, {viewed});
  const Tensor moved = permute(Value(viewed), {1, 2, 0}).value();
  for_each_index(viewed.shape(), [&](const Index& i) {
    BOOST_TEST(at(moved, {i[1], i[2], i[0]}) == at(viewed, i));
  });
}

BOOST_AUTO_TEST_CASE(permute_rejects_what_is_not_a_permutation) {
  Value x(Tensor::zeros({2, 3, 4}));
  for (const Index& axes : {Index{0, 1}, Index{0, 0, 1}, Index{0, 1, 3}, Index{0, 1, 2, 3}}) {
    require_error<ShapeError>([&] { permute(x, axes); },
                              {"permute: expected a permutation of 0..2 for shape (2, 3, 4)",
                               "got " + shape_to_string(axes)});
  }
  require_error<ShapeError>([] { permute(Value(Tensor::scalar(1)), {0}); },
                            {"permute", "an empty permutation for shape ()", "got (0)"});
}

BOOST_AUTO_TEST_CASE(transpose_swaps_the_last_two_axes) {
  const Tensor x = random_tensor({2, 3, 4}, 6);
  const Tensor y = transpose(Value(x)).value();
  BOOST_TEST((y.shape() == Shape{2, 4, 3}));
  for_each_index(x.shape(), [&](const Index& i) {
    BOOST_TEST(at(y, {i[0], i[2], i[1]}) == at(x, i));
  });
  require_gradients([](const Inputs& v) { return transpose(v[0]); }, {x});
  require_gradients([](const Inputs& v) { return transpose(v[0]); }, {random_tensor({5, 1}, 7)});
  require_error<ShapeError>([] { transpose(Value(Tensor::zeros({3}))); },
                            {"transpose", "rank 2 or more", "shape (3)"});
}

BOOST_AUTO_TEST_CASE(narrow_and_slice_take_ranges) {
  const Tensor x = random_tensor({3, 5, 2}, 8);
  const Tensor y = narrow(Value(x), 1, 1, 3).value();
  BOOST_TEST((y.shape() == Shape{3, 3, 2}));
  for_each_index(y.shape(), [&](const Index& i) {
    BOOST_TEST(at(y, i) == at(x, {i[0], i[1] + 1, i[2]}));
  });
  const Tensor z = slice(Value(x), -3, 1, 3).value();
  BOOST_TEST((z.shape() == Shape{2, 5, 2}));
  for_each_index(z.shape(), [&](const Index& i) {
    BOOST_TEST(at(z, i) == at(x, {i[0] + 1, i[1], i[2]}));
  });
  BOOST_TEST((narrow(Value(x), -1, 2, 0).value().shape() == Shape{3, 5, 0}));
  require_gradients([](const Inputs& v) { return narrow(v[0], 1, 1, 3); }, {x});
  require_gradients([](const Inputs& v) { return narrow(v[0], -1, 1, 1); }, {x});
  require_gradients([](const Inputs& v) { return narrow(v[0], 0, 0, 3); }, {x});
  require_gradients([](const Inputs& v) { return slice(v[0], 1, 4, 5); }, {x});
  require_gradients([](const Inputs& v) { return slice(v[0], -2, 2, 2); }, {x});
  require_gradients([](const Inputs& v) { return slice(v[0], 1, 0, 2); },
                    {Tensor::zeros({0, 3}, DType::float64)});
  require_gradients([](const Inputs& v) { return narrow(v[0], 0, 1, 2); },
                    {from_transposed_view({4, 3}, 9)});
  // The gradient is g inside the range and 0 outside it.
  Value leaf(x, true);
  narrow(leaf, 1, 1, 3).backward(Tensor::ones({3, 3, 2}, DType::float64));
  for_each_index(x.shape(), [&](const Index& i) {
    BOOST_TEST(at(leaf.grad(), i) == (i[1] >= 1 && i[1] < 4 ? 1.0 : 0.0));
  });
}

BOOST_AUTO_TEST_CASE(range_errors_name_the_op_and_the_range) {
  Value x(Tensor::zeros({3, 5, 2}));
  require_error<ShapeError>(
      [&] { narrow(x, 1, 3, 3); },
      {"narrow", "start + length <= 5 on axis 1 (extent 5) of shape (3, 5, 2)",
       "got start 3, length 3"});
  require_error<ShapeError>([&] { narrow(x, 1, 6, 0); }, {"narrow", "got start 6, length 0"});
  require_error<ShapeError>([&] { narrow(x, 3, 0, 1); },
                            {"narrow", "an axis in [-3, 3)", "3 for rank 3"});
  require_error<ShapeError>(
      [&] { slice(x, -1, 2, 1); },
      {"slice", "begin <= end <= 2 on axis 2 (extent 2) of shape (3, 5, 2)", "got begin 2, end 1"});
  require_error<ShapeError>([&] { slice(x, 0, 1, 4); }, {"slice", "<= 3", "got begin 1, end 4"});
  require_error<ShapeError>([&] { slice(x, -4, 0, 1); }, {"slice", "an axis in [-3, 3)", "-4"});
}

BOOST_AUTO_TEST_CASE(select_reads_one_index_and_removes_the_axis) {
  // (batch, time, features): time step t, as the GRU reads its input.
  const Tensor x = random_tensor({4, 6, 3}, 10);
  for (std::size_t t : {0, 2, 5}) {
    const Tensor step = select(Value(x), 1, t).value();
    BOOST_TEST((step.shape() == Shape{4, 3}));
    for_each_index(step.shape(), [&](const Index& i) {
      BOOST_TEST(at(step, i) == at(x, {i[0], t, i[1]}));
    });
  }
  const Tensor last = select(Value(x), -1, 2).value();
  BOOST_TEST((last.shape() == Shape{4, 6}));
  for_each_index(last.shape(), [&](const Index& i) {
    BOOST_TEST(at(last, i) == at(x, {i[0], i[1], 2}));
  });
  BOOST_TEST(select(Value(random_tensor({3}, 11)), 0, 1).value().rank() == 0u);
  require_gradients([](const Inputs& v) { return select(v[0], 1, 4); }, {x});
  require_gradients([](const Inputs& v) { return select(v[0], 0, 3); }, {x});
  require_gradients([](const Inputs& v) { return select(v[0], -1, 0); }, {x});
  require_gradients([](const Inputs& v) { return select(v[0], 1, 2); },
                    {Tensor::zeros({0, 3}, DType::float64)});
  require_gradients([](const Inputs& v) { return select(v[0], 0, 1); },
                    {from_transposed_view({3, 2, 4}, 12)});
  Value leaf(x, true);
  select(leaf, 1, 2).backward(Tensor::ones({4, 3}, DType::float64));
  for_each_index(x.shape(), [&](const Index& i) {
    BOOST_TEST(at(leaf.grad(), i) == (i[1] == 2 ? 1.0 : 0.0));
  });
  require_error<ShapeError>(
      [&] { select(Value(x), 1, 6); },
      {"select", "an index below 6 on axis 1 (extent 6) of shape (4, 6, 3)", "got index 6"});
  require_error<ShapeError>([] { select(Value(Tensor::scalar(1)), 0, 0); },
                            {"select", "an axis in [0, 0)", "0 for rank 0"});
}

BOOST_AUTO_TEST_CASE(index_select_picks_rows_and_scatter_adds_back) {
  const Tensor table = random_tensor({5, 3}, 32);
  const Index ids = {4, 0, 4, 2, 4};
  const Tensor rows = index_select(Value(table), 0, ids).value();
  BOOST_TEST((rows.shape() == Shape{5, 3}));
  for_each_index(rows.shape(), [&](const Index& i) {
    BOOST_TEST(at(rows, i) == at(table, {ids[i[0]], i[1]}));
  });
  require_gradients([&](const Inputs& v) { return index_select(v[0], 0, ids); }, {table});
  // Row 4 is used three times: its gradient is the sum of the three output gradients.
  Value leaf(table, true);
  const Tensor seed = random_tensor({5, 3}, 33);
  index_select(leaf, 0, ids).backward(seed);
  for (std::size_t c = 0; c < 3; ++c) {
    BOOST_TEST(at(leaf.grad(), {4, c}) == at(seed, {0, c}) + at(seed, {2, c}) + at(seed, {4, c}),
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(at(leaf.grad(), {0, c}) == at(seed, {1, c}));
    BOOST_TEST(at(leaf.grad(), {1, c}) == 0.0);
    BOOST_TEST(at(leaf.grad(), {3, c}) == 0.0);
  }
  const Tensor x = random_tensor({2, 4, 3}, 34);
  const Tensor cols = index_select(Value(x), -1, {2, 2, 0}).value();
  for_each_index(cols.shape(), [&](const Index& i) {
    BOOST_TEST(at(cols, i) == at(x, {i[0], i[1], Index{2, 2, 0}[i[2]]}));
  });
  require_gradients([](const Inputs& v) { return index_select(v[0], 1, {3, 1, 3}); }, {x});
  require_gradients([](const Inputs& v) { return index_select(v[0], -1, {2, 2, 0}); }, {x});
  require_gradients([](const Inputs& v) { return index_select(v[0], 1, {}); }, {x});
  require_gradients(
      [](const Inputs& v) {
        return index_select(v[0], 0, {1, 1});
      },
      {from_transposed_view({3, 2}, 35)});
  require_error<ShapeError>(
      [&] {
        index_select(Value(table), 0, {1, 5});
      },
      {"index_select", "indices below 5 on axis 0 (extent 5) of shape (5, 3)",
       "got index 5 at position 1"});
  require_error<ShapeError>([&] { index_select(Value(table), 2, {0}); },
                            {"index_select", "an axis in [-2, 2)", "2 for rank 2"});
}

BOOST_AUTO_TEST_CASE(gather_follows_torch_semantics) {
  const Tensor x = random_tensor({2, 4, 3}, 36);
  const xt::xarray<std::size_t> index = {{{3, 0, 1}, {3, 3, 2}}, {{0, 1, 2}, {1, 1, 1}}};
  const Tensor y = gather(Value(x), 1, index).value();
  BOOST_TEST((y.shape() == Shape{2, 2, 3}));
  for_each_index(y.shape(), [&](const Index& i) {
    BOOST_TEST(at(y, i) == at(x, {i[0], index(i[0], i[1], i[2]), i[2]}));
  });
  require_gradients([&](const Inputs& v) { return gather(v[0], 1, index); }, {x});
  require_gradients([&](const Inputs& v) { return gather(v[0], -2, index); }, {x});
  // Along the first and the last axis, with an index smaller than x off the axis.
  const xt::xarray<std::size_t> first = {{{1, 0}, {1, 1}}};
  const Tensor y0 = gather(Value(x), 0, first).value();
  for_each_index(y0.shape(), [&](const Index& i) {
    BOOST_TEST(at(y0, i) == at(x, {first(i[0], i[1], i[2]), i[1], i[2]}));
  });
  require_gradients([&](const Inputs& v) { return gather(v[0], 0, first); }, {x});
  const xt::xarray<std::size_t> last = {{{2, 2, 2, 0}}, {{1, 0, 0, 0}}};
  const Tensor y2 = gather(Value(x), -1, last).value();
  BOOST_TEST((y2.shape() == Shape{2, 1, 4}));
  for_each_index(y2.shape(), [&](const Index& i) {
    BOOST_TEST(at(y2, i) == at(x, {i[0], i[1], last(i[0], i[1], i[2])}));
  });
  require_gradients([&](const Inputs& v) { return gather(v[0], 2, last); }, {x});
  // Class scores picked per row, as a loss does: (batch, classes) along axis 1.
  xt::xarray<std::size_t> labels = {2, 0, 2};
  labels.reshape({3, 1});
  require_gradients([&](const Inputs& v) { return gather(v[0], 1, labels); },
                    {from_transposed_view({3, 3}, 37)});
  // Repeated positions accumulate: x[0][3][0] is read twice above.
  Value leaf(x, true);
  gather(leaf, 1, index).backward(Tensor::ones({2, 2, 3}, DType::float64));
  BOOST_TEST(at(leaf.grad(), {0, 3, 0}) == 2.0);
  BOOST_TEST(at(leaf.grad(), {1, 1, 1}) == 2.0);
  BOOST_TEST(at(leaf.grad(), {0, 2, 0}) == 0.0);
  const xt::xarray<std::size_t> empty = xt::xarray<std::size_t>::from_shape({2, 0, 3});
  require_gradients([&](const Inputs& v) { return gather(v[0], 1, empty); }, {x});
}

BOOST_AUTO_TEST_CASE(gather_errors) {
  Value x(Tensor::zeros({2, 4, 3}));
  require_error<ShapeError>(
      [&] {
        gather(x, 1, xt::xarray<std::size_t>{{0, 1}, {1, 0}});
      },
      {"gather", "an index of rank 3, the rank of x (2, 4, 3)", "got an index of shape (2, 2)"});
  require_error<ShapeError>(
      [&] {
        gather(x, 1, xt::xarray<std::size_t>::from_shape({3, 1, 3}));
      },
      {"gather", "index extents no larger than those of x (2, 4, 3) off axis 1",
       "got an index of shape (3, 1, 3)"});
  xt::xarray<std::size_t> index = xt::zeros<std::size_t>({2, 2, 3});
  index(0, 1, 2) = 4;
  require_error<ShapeError>(
      [&] { gather(x, 1, index); },
      {"gather", "index values below 4 on axis 1 (extent 4) of shape (2, 4, 3)",
       "got value 4 at element 5 of the index"});
  require_error<ShapeError>([&] { gather(x, -4, index); }, {"gather", "an axis in [-3, 3)"});
}

BOOST_AUTO_TEST_CASE(float32_values_keep_their_dtype) {
  const Tensor x = random_tensor({3, 4}, 38, -1, 1, DType::float32);
  const Value v(x);
  for (const Value& y :
       {reshape(v, {4, 3}), permute(v, {1, 0}), narrow(v, 1, 1, 2), select(v, 0, 2),
        concat({v, v}, 0), stack({v, v}, 0), index_select(v, 1, {0, 0}), split(v, {1, 2}, 0)[1]}) {
    BOOST_TEST((y.dtype() == DType::float32));
  }
  const Tensor t = transpose(v).value();
  for_each_index(x.shape(), [&](const Index& i) { BOOST_TEST(at(t, {i[1], i[0]}) == at(x, i)); });
}

BOOST_AUTO_TEST_CASE(nothing_is_recorded_without_grad) {
  current_tape().clear();
  const Value constant(random_tensor({3, 4}, 39));
  select(constant, 0, 1);
  split(constant, {2, 2}, 1);
  Value leaf(random_tensor({3, 4}, 40), true);
  {
    NoGradScope no_grad;
    const Value y = concat({leaf, leaf}, 0);
    BOOST_TEST(!y.requires_grad());
    gather(leaf, 0, xt::xarray<std::size_t>{{0, 1, 2, 0}});
  }
  BOOST_TEST(current_tape().size() == 0u);
}

BOOST_AUTO_TEST_CASE(large_copies_and_scatter_adds_are_bitwise_deterministic) {
  // Big enough for every kernel to run in parallel blocks; the scatter-adds have repeats.
  const Tensor x = random_tensor({64, 50, 128}, 41, -1, 1, DType::float32);
  Index ids;
  for (std::size_t j = 0; j < 400; ++j) ids.push_back((j * 7) % 50);
  xt::xarray<std::size_t> index = xt::xarray<std::size_t>::from_shape({64, 80, 128});
  for (std::size_t i = 0; i < index.size(); ++i) index.data()[i] = (i * 13) % 50;
  auto run = [&] {
    Value leaf(x, true);
    const Value picked = index_select(leaf, 1, ids);
    const Value gathered = gather(leaf, 1, index);
    const Value moved = permute(leaf, {2, 0, 1});
    const Value steps = stack({select(leaf, 1, 3), select(leaf, 1, 7)}, 1);
    Value total = concat({reshape(picked, {64 * 400 * 128}), reshape(gathered, {64 * 80 * 128}),
                          reshape(moved, {64 * 50 * 128}), reshape(steps, {64 * 2 * 128})},
                         0);
    total.backward(Tensor::full(total.shape(), 0.1, DType::float32));
    return std::vector<Tensor>{total.value(), leaf.grad()};
  };
  std::vector<Tensor> one, two;
  {
    ThreadLimit limit(1);
    one = run();
  }
  {
    ThreadLimit limit(2);
    two = run();
  }
  BOOST_TEST(testing::bitwise_equal(one[0], two[0]));
  BOOST_TEST(testing::bitwise_equal(one[1], two[1]));
  // Spot values: picked rows and gathered elements come from where they should.
  BOOST_TEST(one[0].flat(position({64, 400, 128}, {5, 9, 17})) == at(x, {5, ids[9], 17}));
  const std::size_t gather_start = 64 * 400 * 128;
  const std::size_t g = position({64, 80, 128}, {7, 3, 100});
  BOOST_TEST(one[0].flat(gather_start + g) == at(x, {7, index.data()[g], 100}));
}

BOOST_AUTO_TEST_SUITE_END()
