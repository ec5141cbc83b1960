#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "optim/data/dataset.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

using Indices = std::vector<std::size_t>;

// A series whose value names its place: row r, feature f holds 10 r + f.
Tensor labelled_series(std::size_t rows, std::size_t features, DType dtype = DType::float64) {
  std::vector<double> values;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < features; ++f) values.push_back(10.0 * r + f);
  }
  return Tensor::from_values({rows, features}, values, dtype);
}

// The order Fisher-Yates gives with std::mt19937_64 seeded with `seed`, written out again here
// from the algorithm's definition: j uniform in [0, i] by rejecting draws below 2^64 mod (i + 1).
Indices reference_shuffle(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  Indices order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = count; i-- > 1;) {
    const std::uint64_t n = i + 1;
    const std::uint64_t skip = (std::numeric_limits<std::uint64_t>::max() % n + 1) % n;
    std::uint64_t draw = engine();
    while (draw < skip) draw = engine();
    std::swap(order[i], order[draw % n]);
  }
  return order;
}

bool is_permutation_of_range(Indices order) {
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] != i) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dataset_test)

BOOST_AUTO_TEST_CASE(windows_of_a_multivariate_series) {
  // 6 rows, window 3, horizon 1: 6 - 3 - 1 + 1 = 3 samples.
  const Windows w = make_windows(labelled_series(6, 2), WindowOptions(3));
  BOOST_TEST((w.inputs.shape() == Shape{3, 3, 2}));
  BOOST_TEST((w.targets.shape() == Shape{3, 2}));
  BOOST_TEST((w.inputs.to_vector() == std::vector<double>{0, 1, 10, 11, 20, 21,    //
                                                          10, 11, 20, 21, 30, 31,  //
                                                          20, 21, 30, 31, 40, 41}));
  BOOST_TEST((w.targets.to_vector() == std::vector<double>{30, 31, 40, 41, 50, 51}));
}

BOOST_AUTO_TEST_CASE(windows_with_a_horizon_chosen_columns_and_a_stride) {
  const Tensor series = labelled_series(7, 3, DType::float32);
  const Windows w =
      make_windows(series, WindowOptions(2).horizon(2).input_columns({2, 0}).target_columns({1}));
  // 7 - 2 - 2 + 1 = 4 samples; targets are the next two steps of feature 1.
  BOOST_TEST((w.inputs.shape() == Shape{4, 2, 2}));
  BOOST_TEST((w.targets.shape() == Shape{4, 2}));
  BOOST_TEST(w.inputs.dtype() == DType::float32);
  BOOST_TEST((w.inputs.to_vector() ==
              std::vector<double>{2, 0, 12, 10, 12, 10, 22, 20, 22, 20, 32, 30, 32, 30, 42, 40}));
  BOOST_TEST((w.targets.to_vector() == std::vector<double>{21, 31, 31, 41, 41, 51, 51, 61}));
  // Two target columns over a horizon of 2: step-major, [t+1: a, b, t+2: a, b].
  const Windows both = make_windows(series, WindowOptions(4).horizon(2).target_columns({0, 2}));
  BOOST_TEST((both.targets.shape() == Shape{2, 4}));
  BOOST_TEST((both.targets.to_vector() == std::vector<double>{40, 42, 50, 52, 50, 52, 60, 62}));
  // Stride 2 over 7 rows, window 2, horizon 1: starts 0, 2, 4 (6 would need rows 6..8).
  const Windows strided = make_windows(series, WindowOptions(2).stride(2).target_columns({0}));
  BOOST_TEST((strided.inputs.shape() == Shape{3, 2, 3}));
  BOOST_TEST((strided.targets.to_vector() == std::vector<double>{20, 40, 60}));
}

BOOST_AUTO_TEST_CASE(a_univariate_series_of_rank_1) {
  const Tensor series = Tensor::from_values({5}, {1, 2, 3, 4, 5});
  const Windows w = make_windows(series, WindowOptions(2).horizon(2));
  BOOST_TEST((w.inputs.shape() == Shape{2, 2, 1}));
  BOOST_TEST((w.inputs.to_vector() == std::vector<double>{1, 2, 2, 3}));
  BOOST_TEST((w.targets.to_vector() == std::vector<double>{3, 4, 4, 5}));
  // Exactly window + horizon rows give one sample.
  BOOST_TEST((make_windows(series, WindowOptions(4)).inputs.shape() == Shape{1, 4, 1}));
}

BOOST_AUTO_TEST_CASE(window_errors_say_what_is_wrong) {
  const Tensor series = labelled_series(5, 2);
  require_error<ShapeError>(
      [&] { make_windows(series, WindowOptions(4).horizon(2)); },
      {"make_windows: expected a series of at least window + horizon = 6 rows",
       "got 5 rows (shape (5, 2))"});
  require_error<ShapeError>(
      [] {
        make_windows(Tensor::zeros({2, 3, 4}), WindowOptions(1));
      },
      {"a series of rank 1 (rows) or 2 (rows, features)", "(2, 3, 4)"});
  require_error<ValueError>([&] { make_windows(series, WindowOptions(0)); },
                            {"expected window >= 1", "got window = 0"});
  require_error<ValueError>([&] { make_windows(series, WindowOptions(1).stride(0)); },
                            {"stride >= 1"});
  require_error<ValueError>(
      [&] { make_windows(series, WindowOptions(1).target_columns({2})); },
      {"target_columns below the series' 2 features", "target_columns containing 2"});
}

BOOST_AUTO_TEST_CASE(splits_keep_order_and_round_cumulative_boundaries) {
  const Split s = split_indices(10, SplitOptions().train(0.7).validation(0.2));
  BOOST_TEST((s.train == Indices{0, 1, 2, 3, 4, 5, 6}));
  BOOST_TEST((s.validation == Indices{7, 8}));
  BOOST_TEST((s.test == Indices{9}));
  // 3 rows at 0.5 / 0.5: round(1.5) = 2 for training, round(3) = 3 ends validation.
  const Split halves = split_indices(3, SplitOptions().train(0.5).validation(0.5));
  BOOST_TEST((halves.train == Indices{0, 1}));
  BOOST_TEST((halves.validation == Indices{2}));
  BOOST_TEST(halves.test.empty());
  // Default 0.8 / 0.1 / 0.1 of 309 sunspot years: 247, 278 - 247 = 31, 31.
  const Split years = split_indices(309);
  BOOST_TEST(years.train.size() == 247u);
  BOOST_TEST(years.validation.size() == 31u);
  BOOST_TEST(years.test.size() == 31u);
  BOOST_TEST(years.test.back() == 308u);
  BOOST_TEST(split_indices(0).train.empty());
}

BOOST_AUTO_TEST_CASE(seeded_shuffled_splits_are_reproducible) {
  const SplitOptions options = SplitOptions().train(0.6).validation(0.2).shuffle(true).seed(42);
  const Split a = split_indices(50, options);
  const Split b = split_indices(50, options);
  BOOST_TEST((a.train == b.train));
  BOOST_TEST((a.validation == b.validation));
  BOOST_TEST((a.test == b.test));
  BOOST_TEST(a.train.size() == 30u);
  BOOST_TEST(a.validation.size() == 10u);
  BOOST_TEST(a.test.size() == 10u);
  Indices all = a.train;
  all.insert(all.end(), a.validation.begin(), a.validation.end());
  all.insert(all.end(), a.test.begin(), a.test.end());
  BOOST_TEST((all == reference_shuffle(50, 42)));
  const Split other = split_indices(50, SplitOptions(options).seed(43));
  BOOST_TEST((other.train != a.train));
}

BOOST_AUTO_TEST_CASE(split_fractions_are_checked) {
  require_error<ValueError>([] { split_indices(10, SplitOptions().train(1.5)); },
                            {"split_indices: expected train in [0, 1]", "got train = 1.5"});
  require_error<ValueError>([] { split_indices(10, SplitOptions().validation(-0.1)); },
                            {"validation in [0, 1]", "validation = -0.1"});
  require_error<ValueError>([] { split_indices(10, SplitOptions().train(0.8).validation(0.3)); },
                            {"train + validation <= 1", "train + validation = 1.1"});
  BOOST_TEST(split_indices(10, SplitOptions().train(0.7).validation(0.3)).test.empty());
}

BOOST_AUTO_TEST_CASE(permutations_follow_fisher_yates_and_are_uniform) {
  Random random(7);
  BOOST_TEST((permutation(20, random) == reference_shuffle(20, 7)));
  BOOST_TEST(permutation(0, random).empty());
  // Each of the 6 orders of 3 items has probability 1/6: 60000 draws give 10000 each, with a
  // standard deviation of about 91.
  std::map<Indices, int> counts;
  for (int i = 0; i < 60000; ++i) ++counts[permutation(3, random)];
  BOOST_TEST(counts.size() == 6u);
  for (const auto& [order, count] : counts) BOOST_TEST(std::abs(count - 10000) < 500);
}

BOOST_AUTO_TEST_CASE(epoch_orders_depend_only_on_seed_and_epoch) {
  const Indices first = epoch_permutation(100, 5, 0);
  BOOST_TEST(is_permutation_of_range(first));
  BOOST_TEST((epoch_permutation(100, 5, 0) == first));
  BOOST_TEST((epoch_permutation(100, 5, 1) != first));
  BOOST_TEST((epoch_permutation(100, 6, 0) != first));
  BOOST_TEST((epoch_permutation(100, 5, 1) != epoch_permutation(100, 6, 0)));
}

BOOST_AUTO_TEST_CASE(batches_cut_an_order) {
  const Indices order{9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  const Batches batches = make_batches(order, 4);
  BOOST_TEST(batches.size() == 3u);
  BOOST_TEST((batches[0] == Indices{9, 8, 7, 6}));
  BOOST_TEST((batches[2] == Indices{1, 0}));
  BOOST_TEST(make_batches(order, 4, true).size() == 2u);
  BOOST_TEST(make_batches(order, 10, true).size() == 1u);
  BOOST_TEST(make_batches({}, 3).empty());
  require_error<ValueError>([&] { make_batches(order, 0); },
                            {"make_batches: expected batch_size >= 1", "batch_size = 0"});
}

BOOST_AUTO_TEST_CASE(take_rows_of_rank_2_3_and_4) {
  const Tensor x2 = labelled_series(4, 2);
  BOOST_TEST((take_rows(x2, {3, 0, 3}).to_vector() == std::vector<double>{30, 31, 0, 1, 30, 31}));
  std::vector<double> values(2 * 3 * 2);
  std::iota(values.begin(), values.end(), 0.0);
  const Tensor x3 = Tensor::from_values({2, 3, 2}, values, DType::float32);
  const Tensor rows3 = take_rows(x3, {1});
  BOOST_TEST((rows3.shape() == Shape{1, 3, 2}));
  BOOST_TEST(rows3.dtype() == DType::float32);
  BOOST_TEST((rows3.to_vector() == std::vector<double>{6, 7, 8, 9, 10, 11}));
  const Tensor x4 = Tensor::from_values({3, 1, 2, 1}, {0, 1, 2, 3, 4, 5});
  BOOST_TEST((take_rows(x4, {2, 1}).to_vector() == std::vector<double>{4, 5, 2, 3}));
  BOOST_TEST((take_rows(x4, {}).shape() == Shape{0, 1, 2, 1}));
  require_error<ValueError>(
      [&] {
        take_rows(x2, {1, 4});
      },
      {"take_rows: expected row indices below 4 (shape (4, 2))", "got index 4 at position 1"});
  require_error<ShapeError>([] { take_rows(Tensor::scalar(1), {0}); }, {"rank >= 1"});
}

BOOST_AUTO_TEST_CASE(labviews_rank_4_batches_flatten_to_rows_with_their_boundaries) {
  // (number of batches 2, batch 3, timesteps 2, features 1): element b, i, t = 100 b + 10 i + t.
  std::vector<double> values;
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < 3; ++i) {
      for (int t = 0; t < 2; ++t) values.push_back(100 * b + 10 * i + t);
    }
  }
  const Tensor x = Tensor::from_values({2, 3, 2, 1}, values);
  const FlatBatches flat = flatten_batches(x);
  BOOST_TEST((flat.data.shape() == Shape{6, 2, 1}));
  BOOST_TEST((flat.batches == Batches{{0, 1, 2}, {3, 4, 5}}));
  // Row 4 is batch 1, sample 1.
  BOOST_TEST((take_rows(flat.data, {4}).to_vector() == std::vector<double>{110, 111}));
  BOOST_TEST((take_rows(flat.data, flat.batches[1]).to_vector() ==
              std::vector<double>{100, 101, 110, 111, 120, 121}));
  // Targets in the same form, (number of batches, batch, outputs), and back.
  const Tensor targets = Tensor::from_values({2, 3, 1}, {0, 1, 2, 3, 4, 5});
  const FlatBatches flat_targets = flatten_batches(targets);
  BOOST_TEST((flat_targets.data.shape() == Shape{6, 1}));
  const Tensor back = unflatten_batches(flat.data, 2);
  BOOST_TEST(testing::bitwise_equal(back, x));
  require_error<ShapeError>([] { flatten_batches(Tensor::zeros({4})); },
                            {"flatten_batches: expected a tensor of rank >= 2", "shape (4)"});
  require_error<ShapeError>([&] { unflatten_batches(flat.data, 4); },
                            {"rows that divide into 4 equal batches", "shape (6, 2, 1)"});
}

BOOST_AUTO_TEST_CASE(input_windows_run_to_the_series_end) {
  // rows 7, window 3, stride 2: starts 0, 2, 4 -> 3 windows; the last reads rows 4 .. 6, which
  // make_windows (needing a target row after it) would leave out.
  const Tensor series = labelled_series(7, 2);
  const Tensor x = make_input_windows(series, WindowOptions(3).stride(2).input_columns({1}));
  BOOST_TEST(x.shape() == (Shape{3, 3, 1}));
  const std::vector<double> expected = {1, 11, 21, 21, 31, 41, 41, 51, 61};
  BOOST_TEST(x.to_vector() == expected, boost::test_tools::per_element());
  // Equal to make_windows' inputs where both exist.
  const Windows windows = make_windows(series, WindowOptions(3).stride(2).input_columns({1}));
  BOOST_TEST(windows.inputs.shape()[0] == 2u);
  const std::vector<double> first = windows.inputs.to_vector();
  BOOST_TEST(std::equal(first.begin(), first.end(), expected.begin()));
  require_error<ShapeError>([&] { make_input_windows(series, WindowOptions(8)); },
                            {"make_input_windows", "at least window = 8 rows", "7 rows"});
  require_error<ValueError>([&] { make_input_windows(series, WindowOptions(0)); }, {"window >= 1"});
}

BOOST_AUTO_TEST_SUITE_END()
