#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "optim/data/dataset.hpp"
#include "optim/data/normalizer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

// Rows (1, 10), (2, 20), (3, 60): feature 0 has mean 2 and deviations -1, 0, 1; feature 1 has
// mean 30 and deviations -20, -10, 30.
Tensor three_rows(DType dtype = DType::float64) {
  return Tensor::from_values({3, 2}, {1, 10, 2, 20, 3, 60}, dtype);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(normalizer_test)

BOOST_AUTO_TEST_CASE(standard_statistics_match_hand_computation) {
  const Normalizer n = Normalizer::fit_standard(three_rows());
  BOOST_TEST((n.kind() == NormalizerKind::standard));
  BOOST_TEST(n.features() == 2u);
  BOOST_TEST((n.mean() == std::vector<double>{2, 30}));
  // Population std: sqrt((1 + 0 + 1) / 3) and sqrt((400 + 100 + 900) / 3).
  BOOST_TEST(n.stddev()[0] == std::sqrt(2.0 / 3.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(n.stddev()[1] == std::sqrt(1400.0 / 3.0), boost::test_tools::tolerance(1e-15));
  const std::vector<double> y = n.apply(three_rows()).to_vector();
  const double s0 = std::sqrt(2.0 / 3.0), s1 = std::sqrt(1400.0 / 3.0);
  const std::vector<double> expected{-1 / s0, -20 / s1, 0, -10 / s1, 1 / s0, 30 / s1};
  for (std::size_t i = 0; i < y.size(); ++i) {
    BOOST_TEST(y[i] == expected[i], boost::test_tools::tolerance(1e-14));
  }
}

BOOST_AUTO_TEST_CASE(statistics_run_over_every_axis_but_the_last) {
  // The same six values as (batch 1, timesteps 3, features 2) give the same statistics.
  const Tensor sequences = three_rows().reshaped({1, 3, 2});
  const Normalizer n = Normalizer::fit_standard(sequences);
  BOOST_TEST((n.mean() == std::vector<double>{2, 30}));
  const Tensor y = n.apply(sequences);
  BOOST_TEST((y.shape() == Shape{1, 3, 2}));
  BOOST_TEST(y.flat(4) * std::sqrt(2.0 / 3.0) == 1.0, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(min_max_maps_onto_the_range) {
  const Normalizer unit = Normalizer::fit_min_max(three_rows());
  BOOST_TEST((unit.minimum() == std::vector<double>{1, 10}));
  BOOST_TEST((unit.maximum() == std::vector<double>{3, 60}));
  // (x - 1) / 2 and (x - 10) / 50.
  BOOST_TEST((unit.apply(three_rows()).to_vector() == std::vector<double>{0, 0, 0.5, 0.2, 1, 1}));
  const Normalizer symmetric = Normalizer::fit_min_max(three_rows(), -1, 1);
  // -1 + 2 (x - min) / (max - min).
  const std::vector<double> y = symmetric.apply(three_rows()).to_vector();
  const std::vector<double> expected{-1, -1, 0, -0.6, 1, 1};
  for (std::size_t i = 0; i < y.size(); ++i) {
    BOOST_TEST(y[i] == expected[i], boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(a_constant_feature_maps_to_the_centre_of_the_scale) {
  const Tensor data = Tensor::from_values({2, 2}, {5, 1, 5, 3}, DType::float64);
  BOOST_TEST(
      (Normalizer::fit_standard(data).apply(data).to_vector() == std::vector<double>{0, -1, 0, 1}));
  BOOST_TEST((Normalizer::fit_min_max(data, 2, 4).apply(data).to_vector() ==
              std::vector<double>{2, 2, 2, 4}));
}

BOOST_AUTO_TEST_CASE(invert_undoes_apply_in_both_dtypes) {
  const Tensor data = testing::random_tensor({40, 3}, 3, -50, 200);
  for (const Normalizer& n :
       {Normalizer::fit_standard(data), Normalizer::fit_min_max(data, -1, 1)}) {
    BOOST_TEST(testing::max_abs_diff(n.invert(n.apply(data)), data) < 1e-12);
    const Tensor single = data.to(DType::float32);
    const Tensor y = n.apply(single);
    BOOST_TEST(y.dtype() == DType::float32);
    BOOST_TEST(testing::max_abs_diff(n.invert(y), single) < 1e-3);
  }
}

BOOST_AUTO_TEST_CASE(fitted_on_training_rows_only) {
  const Tensor data = Tensor::from_values({5, 1}, {1, 2, 3, 100, 200}, DType::float64);
  const Split split = split_indices(5, SplitOptions().train(0.6).validation(0.2));
  const Normalizer n = Normalizer::fit_standard(take_rows(data, split.train));
  BOOST_TEST((n.mean() == std::vector<double>{2}));
  // The test row is scaled by the training statistics: (200 - 2) / sqrt(2/3).
  const double y = n.apply(take_rows(data, split.test)).item();
  BOOST_TEST(y == 198 / std::sqrt(2.0 / 3.0), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(select_keeps_chosen_features_for_targets) {
  const Normalizer n = Normalizer::fit_standard(three_rows());
  const Normalizer target = n.select({1});
  BOOST_TEST((target.mean() == std::vector<double>{30}));
  BOOST_TEST(target.stddev()[0] == n.stddev()[1]);
  const Tensor prediction = Tensor::from_values({2, 1}, {0, 1}, DType::float64);
  const std::vector<double> back = target.invert(prediction).to_vector();
  BOOST_TEST(back[0] == 30);
  BOOST_TEST(back[1] == 30 + std::sqrt(1400.0 / 3.0), boost::test_tools::tolerance(1e-15));
  require_error<ValueError>([&] { n.select({2}); },
                            {"Normalizer::select: expected features below 2", "feature 2"});
}

BOOST_AUTO_TEST_CASE(json_round_trips_every_bit) {
  // Values whose shortest decimal forms need all 17 digits.
  const Tensor data =
      Tensor::from_values({3, 2}, {0.1, 1.0 / 3.0, 0.2, 2.0 / 3.0, 0.7, 1e-300}, DType::float64);
  for (const Normalizer& n :
       {Normalizer::fit_standard(data), Normalizer::fit_min_max(data, -1, 1)}) {
    const std::string text = n.to_json().dump();
    const Normalizer back = Normalizer::from_json(nlohmann::json::parse(text));
    BOOST_TEST((back.kind() == n.kind()));
    BOOST_TEST(back.low() == n.low());
    BOOST_TEST(back.high() == n.high());
    if (n.kind() == NormalizerKind::standard) {
      BOOST_TEST(same_bits(back.mean(), n.mean()));
      BOOST_TEST(same_bits(back.stddev(), n.stddev()));
    } else {
      BOOST_TEST(same_bits(back.minimum(), n.minimum()));
      BOOST_TEST(same_bits(back.maximum(), n.maximum()));
    }
    BOOST_TEST(testing::bitwise_equal(back.apply(data), n.apply(data)));
  }
  const auto json = Normalizer::fit_min_max(data).to_json();
  BOOST_TEST(json.at("kind") == "min_max");
  BOOST_TEST((json.at("range") == nlohmann::json{0.0, 1.0}));
}

BOOST_AUTO_TEST_CASE(damaged_json_is_an_error_naming_the_key) {
  using nlohmann::json;
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"mean", {1}}});
      },
      {"Normalizer::from_json: expected an object with a string \"kind\""});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"kind", "zscore"}});
      },
      {"\"standard\" or \"min_max\"", "\"zscore\""});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"kind", "standard"}, {"mean", {1}}});
      },
      {"an array \"std\""});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"kind", "standard"}, {"mean", {1, 2}}, {"std", {1}}});
      },
      {"two non-empty statistics of one length", "2 and 1 values"});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"kind", "standard"}, {"mean", {1}}, {"std", {-1}}});
      },
      {"std >= 0", "feature 0: 1, -1"});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(json{{"kind", "standard"}, {"mean", {"a"}}, {"std", {1}}});
      },
      {"finite numbers in \"mean\"", "\"a\""});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(
            json{{"kind", "min_max"}, {"min", {3}}, {"max", {1}}, {"range", {0, 1}}});
      },
      {"min <= max"});
  require_error<ValueError>(
      [] {
        Normalizer::from_json(
            json{{"kind", "min_max"}, {"min", {0}}, {"max", {1}}, {"range", {1, 1}}});
      },
      {"a finite range low < high", "low = 1, high = 1"});
}

BOOST_AUTO_TEST_CASE(misuse_is_an_error) {
  require_error<ShapeError>(
      [] {
        Normalizer::fit_standard(Tensor::from_values({3}, {1, 2, 3}));
      },
      {"Normalizer::fit_standard: expected data of rank >= 2", "shape (3)"});
  require_error<ShapeError>(
      [] {
        Normalizer::fit_min_max(Tensor::zeros({0, 2}));
      },
      {"at least one row", "shape (0, 2)"});
  require_error<ValueError>(
      [] {
        Normalizer::fit_standard(Tensor::from_values({2, 2}, {1, 2, 3, NAN}));
      },
      {"expected finite values", "nan in feature 1 of row 1"});
  require_error<ValueError>([] { Normalizer::fit_min_max(three_rows(), 1, 0); },
                            {"low < high", "low = 1, high = 0"});
  const Normalizer unfitted;
  BOOST_TEST(!unfitted.fitted());
  require_error<ValueError>([&] { unfitted.apply(three_rows()); },
                            {"Normalizer::apply: expected a fitted normalizer"});
  const Normalizer n = Normalizer::fit_standard(three_rows());
  require_error<ShapeError>(
      [&] {
        n.apply(Tensor::zeros({2, 3}));
      },
      {"Normalizer::apply: expected a last axis of 2 features", "(2, 3)"});
  require_error<ShapeError>([&] { n.invert(Tensor::zeros({2, 3})); }, {"Normalizer::invert"});
  require_error<ValueError>([&] { n.minimum(); }, {"a min_max normalizer", "a standard one"});
}

BOOST_AUTO_TEST_SUITE_END()
