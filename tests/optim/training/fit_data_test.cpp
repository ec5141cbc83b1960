#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "optim/training/detail/fit_data.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

// A (count, 2, 3) input whose row r holds r everywhere, with targets r.
LabeledData numbered(std::size_t count) {
  std::vector<double> x, y;
  for (std::size_t r = 0; r < count; ++r) {
    for (int i = 0; i < 6; ++i) x.push_back(static_cast<double>(r));
    y.push_back(static_cast<double>(r));
  }
  return {Tensor::from_values({count, 2, 3}, x, DType::float64),
          Tensor::from_values({count, 1}, y, DType::float64), Tensor(), Tensor()};
}

std::vector<std::size_t> sorted_rows(const Batches& batches) {
  std::vector<std::size_t> rows;
  for (const auto& batch : batches) rows.insert(rows.end(), batch.begin(), batch.end());
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::size_t> iota(std::size_t count) {
  std::vector<std::size_t> rows(count);
  for (std::size_t i = 0; i < count; ++i) rows[i] = i;
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fit_data_test)

BOOST_AUTO_TEST_CASE(rank_four_input_reads_as_batches) {
  const LabeledData rows = numbered(6);
  const LabeledData batched{rows.x.reshaped({3, 2, 2, 3}), rows.y.reshaped({3, 2, 1}),
                            Tensor::ones({3, 2}, DType::float64), Tensor()};
  BOOST_TEST(reads_as_batches(batched.x, InputBatching::automatic));
  BOOST_TEST(!reads_as_batches(rows.x, InputBatching::automatic));
  BOOST_TEST(!reads_as_batches(batched.x, InputBatching::rows));
  BOOST_TEST(reads_as_batches(rows.x, InputBatching::batches));
  const RowData flat = to_rows(batched, InputBatching::automatic, "fit");
  BOOST_TEST(flat.fixed_batch == 2u);
  BOOST_TEST(flat.count() == 6u);
  BOOST_TEST(testing::bitwise_equal(flat.rows.x, rows.x));
  BOOST_TEST(testing::bitwise_equal(flat.rows.y, rows.y));
  BOOST_TEST((flat.rows.sample_weight.shape() == Shape{6}));
  BOOST_TEST(!flat.rows.mask.defined());
  const RowData plain = to_rows(rows, InputBatching::automatic, "fit");
  BOOST_TEST(plain.fixed_batch == 0u);
  BOOST_TEST(testing::bitwise_equal(plain.rows.x, rows.x));
}

BOOST_AUTO_TEST_CASE(validation_split_takes_the_last_rows_or_batches) {
  const RowData rows = to_rows(numbered(10), InputBatching::rows, "fit");
  // floor(10 * 0.75) = 7 rows stay for training.
  const auto [train, validation] = split_validation(rows, 0.25);
  BOOST_TEST(train.count() == 7u);
  BOOST_TEST(validation.count() == 3u);
  BOOST_TEST(validation.rows.y.to_vector() == (std::vector<double>{7, 8, 9}),
             boost::test_tools::per_element());
  // 5 batches of 2, split 0.3: floor(3.5) = 3 batches for training.
  const LabeledData data = numbered(10);
  const RowData batched =
      to_rows({data.x.reshaped({5, 2, 2, 3}), data.y.reshaped({5, 2, 1}), Tensor(), Tensor()},
              InputBatching::automatic, "fit");
  const auto [train_batches, validation_batches] = split_validation(batched, 0.3);
  BOOST_TEST(train_batches.count() == 6u);
  BOOST_TEST(validation_batches.count() == 4u);
  BOOST_TEST(validation_batches.fixed_batch == 2u);
  require_error<ValueError>(
      [&] { split_validation(to_rows(numbered(1), InputBatching::rows, "fit"), 0.5); },
      {"fit: validation_split", "training rows", "none of 1", "0.5"});
}

BOOST_AUTO_TEST_CASE(epoch_batches_in_order_or_shuffled_by_seed_and_epoch) {
  const RowData rows = to_rows(numbered(10), InputBatching::rows, "fit");
  const Batches ordered = epoch_batches(rows, 4, false, 0, 3);
  BOOST_REQUIRE(ordered.size() == 3u);
  BOOST_TEST(ordered[0] == (std::vector<std::size_t>{0, 1, 2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(ordered[2] == (std::vector<std::size_t>{8, 9}), boost::test_tools::per_element());
  const Batches first = epoch_batches(rows, 4, true, 7, 0);
  BOOST_TEST(first == epoch_batches(rows, 4, true, 7, 0));
  BOOST_TEST(first != epoch_batches(rows, 4, true, 7, 1));
  BOOST_TEST(first != epoch_batches(rows, 4, true, 8, 0));
  BOOST_TEST(sorted_rows(first) == iota(10), boost::test_tools::per_element());
  // The order is epoch_permutation's, cut into batches.
  const auto order = epoch_permutation(10, 7, 0);
  BOOST_TEST(first[0] == std::vector<std::size_t>(order.begin(), order.begin() + 4),
             boost::test_tools::per_element());

  // Pre-batched data shuffles whole batches.
  const LabeledData data = numbered(8);
  const RowData batched =
      to_rows({data.x.reshaped({4, 2, 2, 3}), data.y.reshaped({4, 2, 1}), Tensor(), Tensor()},
              InputBatching::automatic, "fit");
  const Batches shuffled = epoch_batches(batched, 3, true, 7, 0);
  BOOST_REQUIRE(shuffled.size() == 4u);
  const auto batch_order = epoch_permutation(4, 7, 0);
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t b = batch_order[i];
    BOOST_TEST(shuffled[i] == (std::vector<std::size_t>{2 * b, 2 * b + 1}),
               boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(batches_take_the_rows_of_every_tensor) {
  LabeledData data = numbered(5);
  data.mask = Tensor::ones({5, 2}, DType::float64);
  const LabeledData batch = take_batch(data, {4, 1});
  BOOST_TEST(batch.y.to_vector() == (std::vector<double>{4, 1}), boost::test_tools::per_element());
  BOOST_TEST((batch.x.shape() == Shape{2, 2, 3}));
  BOOST_TEST((batch.mask.shape() == Shape{2, 2}));
  BOOST_TEST(!batch.sample_weight.defined());
}

BOOST_AUTO_TEST_CASE(batch_size_lists_repeat_their_last_entry) {
  const FitOptions options = FitOptions().batch_sizes({2, 4, 8});
  std::vector<std::size_t> sizes;
  for (std::size_t epoch = 0; epoch < 5; ++epoch) sizes.push_back(options.epoch_batch_size(epoch));
  BOOST_TEST(sizes == (std::vector<std::size_t>{2, 4, 8, 8, 8}), boost::test_tools::per_element());
  BOOST_TEST(FitOptions().epoch_batch_size(3) == 32u);
  BOOST_TEST(FitOptions().batch_size(std::size_t(5)).batch_sizes().size() == 1u);
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_tensor) {
  const LabeledData data = numbered(4);
  require_error<ShapeError>(
      [&] {
        to_rows({data.x, Tensor::zeros({3, 1}), Tensor(), Tensor()}, InputBatching::rows, "fit");
      },
      {"fit", "targets y whose leading extents are x's (4)", "targets y of shape (3, 1)"});
  require_error<ShapeError>(
      [&] {
        to_rows({data.x.reshaped({2, 2, 2, 3}), Tensor::zeros({4, 1}), Tensor(), Tensor()},
                InputBatching::automatic, "fit");
      },
      {"fit", "(2, 2)", "targets y of shape (4, 1)"});
  require_error<ShapeError>(
      [&] {
        to_rows({data.x, data.y, Tensor(), Tensor::ones({3, 2})}, InputBatching::rows, "fit");
      },
      {"fit", "mask whose leading extents are x's (4)", "mask of shape (3, 2)"});
  require_error<ShapeError>(
      [&] {
        to_rows({data.x, data.y, Tensor::ones({5}), Tensor()}, InputBatching::rows, "fit");
      },
      {"fit", "sample_weight whose leading extents", "(5)"});
  require_error<ShapeError>(
      [&] {
        to_rows({Tensor::scalar(1), data.y, Tensor(), Tensor()}, InputBatching::rows, "evaluate");
      },
      {"evaluate", "inputs x (samples, ...)", "()"});
  require_error<ShapeError>(
      [&] {
        to_rows({Tensor::zeros({2, 0, 3}), Tensor::zeros({2, 0, 1}), Tensor(), Tensor()},
                InputBatching::batches, "fit");
      },
      {"fit", "batches of at least one row", "(2, 0, 3)"});
  require_error<ValueError>(
      [&] {
        to_rows({Tensor(), data.y, Tensor(), Tensor()}, InputBatching::rows, "fit");
      },
      {"fit", "inputs x", "an undefined tensor"});
  require_error<ValueError>(
      [&] {
        to_rows({data.x, Tensor(), Tensor(), Tensor()}, InputBatching::rows, "fit");
      },
      {"fit", "targets y", "an undefined tensor"});
}

BOOST_AUTO_TEST_SUITE_END()
