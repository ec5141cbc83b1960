#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "autodiff/tape.hpp"
#include "layers/basic/dropout.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(dropout_test)

BOOST_AUTO_TEST_CASE(inference_is_the_identity) {
  Dropout dropout(DropoutOptions(0.5).seed(1));
  dropout.set_training(false);
  Value x(random_tensor({8, 16}, 1), true);
  const std::size_t before = current_tape().size();
  const Value y = dropout(x);
  BOOST_TEST(current_tape().size() == before);
  BOOST_TEST(testing::bitwise_equal(y.value(), x.value()));
  // A rate of 0 drops nothing while training either.
  Dropout none(DropoutOptions(0.0));
  BOOST_TEST(testing::bitwise_equal(none(x).value(), x.value()));
}

BOOST_AUTO_TEST_CASE(keep_rate_within_three_sigma_and_inverted_scaling) {
  const double rate = 0.3, keep = 1 - rate;
  Dropout dropout(DropoutOptions(rate).seed(2));
  const std::size_t n = 200 * 500;
  const Tensor y = dropout(Value(Tensor::ones({200, 500}, DType::float64))).value();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = y.flat(i);
    BOOST_TEST((v == 0.0 || v == 1.0 / keep));
    kept += v != 0.0;
  }
  const double expected = n * keep, sigma = std::sqrt(n * keep * rate);
  BOOST_TEST(std::abs(static_cast<double>(kept) - expected) <= 3 * sigma);
}

BOOST_AUTO_TEST_CASE(same_seed_same_masks_call_for_call) {
  Dropout a(DropoutOptions(0.5).seed(11)), b(DropoutOptions(0.5).seed(11)),
      c(DropoutOptions(0.5).seed(12));
  const Value x(Tensor::ones({4, 50}, DType::float64));
  for (int call = 0; call < 3; ++call) {
    const Tensor ya = a(x).value();
    BOOST_TEST(testing::bitwise_equal(ya, b(x).value()));
    BOOST_TEST(!testing::bitwise_equal(ya, c(x).value()));
  }
  // Successive calls draw new masks.
  Dropout d(DropoutOptions(0.5).seed(11));
  BOOST_TEST(!testing::bitwise_equal(d(x).value(), d(x).value()));
}

BOOST_AUTO_TEST_CASE(noise_shape_shares_decisions_along_axes_of_extent_one) {
  Dropout dropout(DropoutOptions(0.5).noise_shape(ShapePattern{std::nullopt, 1, 5}).seed(3));
  const Tensor y = dropout(Value(Tensor::ones({4, 6, 5}, DType::float64))).value();
  std::size_t dropped = 0;
  for (std::size_t b = 0; b < 4; ++b) {
    for (std::size_t f = 0; f < 5; ++f) {
      const double first = y.flat(b * 30 + f);
      dropped += first == 0;
      for (std::size_t t = 1; t < 6; ++t) BOOST_TEST(y.flat(b * 30 + t * 5 + f) == first);
    }
  }
  BOOST_TEST(dropped > 0u);
  BOOST_TEST(dropped < 20u);
}

BOOST_AUTO_TEST_CASE(gradient_with_a_fixed_seed) {
  const Tensor x = random_tensor({3, 4, 5}, 4);
  auto f = [](const std::vector<Value>& v) {
    Dropout dropout(DropoutOptions(0.4).seed(5));
    return dropout(v[0]);
  };
  testing::require_gradients(f, {x});
  // The gradient is the scaled keep mask itself: y = x m / keep.
  Value leaf(Tensor::ones({3, 4, 5}, DType::float64), true);
  Dropout dropout(DropoutOptions(0.4).seed(5));
  Value y = dropout(leaf);
  y.backward(Tensor::ones({3, 4, 5}, DType::float64));
  // With x = 1 the output is m / keep too.
  BOOST_TEST(testing::bitwise_equal(leaf.grad(), y.value()));
}

BOOST_AUTO_TEST_CASE(errors_name_rate_and_noise_shape) {
  require_error<ValueError>([] { Dropout{DropoutOptions(1.0)}; },
                            {"DropoutOptions: rate", "[0, 1)", "got 1"});
  require_error<ValueError>([] { Dropout{DropoutOptions(-0.1)}; }, {"rate", "got -0.1"});
  Dropout dropout(DropoutOptions(0.5).noise_shape(ShapePattern{std::nullopt, 2, 5}));
  dropout.set_name("drop");
  require_error<ShapeError>(
      [&] {
        dropout(Value(Tensor::ones({4, 6, 5})));
      },
      {"drop: noise_shape (None, 2, 5)", "broadcasts", "got (4, 6, 5)"});
  require_error<ShapeError>(
      [&] {
        dropout(Value(Tensor::ones({4, 5})));
      },
      {"noise_shape", "got (4, 5)"});
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  Dropout dropout(DropoutOptions(0.25).noise_shape(ShapePattern{std::nullopt, 1, 8}).seed(7));
  const nlohmann::json json = dropout.to_json();
  BOOST_TEST(json.at("noise_shape").dump() == "[null,1,8]");
  auto back = Dropout::from_json(json);
  BOOST_TEST(back->options().rate() == 0.25);
  BOOST_TEST(back->to_json() == json);
  auto plain = Dropout::from_json({{"type", "dropout"}, {"rate", 0.5}});
  BOOST_TEST(!plain->options().noise_shape().has_value());
  BOOST_TEST(plain->to_json().at("seed").is_null());
  require_error<ValueError>(
      [] {
        Dropout::from_json({{"type", "dropout"}, {"rate", 2}});
      },
      {"rate", "[0, 1)", "got 2"});
  require_error<ValueError>(
      [] {
        Dropout::from_json({{"type", "dropout"}, {"rate", 0.1}, {"noise_shape", "x"}});
      },
      {"key \"noise_shape\"", "an array"});
}

BOOST_AUTO_TEST_SUITE_END()
