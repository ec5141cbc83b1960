// Variational dropout of the GRU: training only, one mask per sample and gate fixed over time,
// inverted scaling, seeded, and replaceable by fixed masks.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "autodiff/ops/shape.hpp"
#include "core/tensor_math.hpp"
#include "layers/gru/detail/dropout.hpp"
#include "layers/gru/gru.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::kResetGateModes;
using testing::max_abs_diff;
using testing::random_tensor;
using testing::require_error;

namespace {

GruOptions dropout_options(
    ResetGateMode mode = ResetGateMode::recurrent_bias_after_multiplication) {
  return GruOptions(4).return_sequences(true).reset_gate_mode(mode).seed(4).bias_initializer(
      InitializerSpec("uniform", {{"minval", -0.5}, {"maxval", 0.5}}));
}

// The number of kept elements of `mask`, each checked to be 0 or 1 / keep (to float32 rounding).
std::size_t kept(const Tensor& mask, double keep) {
  std::size_t count = 0;
  for (double v : mask.to_vector()) {
    BOOST_TEST((v == 0.0 || std::abs(v - 1 / keep) <= 1e-7));
    count += v != 0.0;
  }
  return count;
}

GruResult with_masks(Gru& layer, const Tensor& x, const GruDropoutMasks& masks) {
  GruInputs inputs;
  inputs.dropout_masks = {masks};
  return layer.run(Value(x), inputs);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_dropout_test)

BOOST_AUTO_TEST_CASE(no_effect_in_inference) {
  const Tensor x = random_tensor({3, 5, 2}, 1);
  Gru dropped(dropout_options().dropout(0.5).recurrent_dropout(0.5)), plain(dropout_options());
  dropped.set_training(false);
  BOOST_TEST(
      bitwise_equal(dropped.run(Value(x)).output.value(), plain.run(Value(x)).output.value()));
  BOOST_TEST(dropped.last_dropout_masks().empty());
  // Fixed masks are ignored in inference too.
  Random random(2);
  const GruDropoutMasks masks = draw_gru_dropout_masks(0.5, 0.5, 3, 2, 4, DType::float64, random);
  BOOST_TEST(bitwise_equal(with_masks(dropped, x, masks).output.value(),
                           plain.run(Value(x)).output.value()));
}

BOOST_AUTO_TEST_CASE(training_draws_masks_that_change_the_output) {
  const Tensor x = random_tensor({3, 5, 2}, 3);
  Gru dropped(dropout_options().dropout(0.3).recurrent_dropout(0.2)), plain(dropout_options());
  const Tensor y = dropped.run(Value(x)).output.value();
  BOOST_TEST(!bitwise_equal(y, plain.run(Value(x)).output.value()));
  BOOST_TEST(plain.last_dropout_masks().empty());
  const auto& masks = dropped.last_dropout_masks();
  BOOST_REQUIRE(masks.size() == 1u);
  BOOST_TEST((masks[0].input.shape() == Shape{3, 3, 2}));
  BOOST_TEST((masks[0].recurrent.shape() == Shape{3, 3, 4}));
  // One mask per gate: the gates' masks are drawn independently.
  const auto gate = [](const Tensor& mask, std::size_t g) {
    return select(Value(mask), 0, g).value();
  };
  BOOST_TEST(!bitwise_equal(gate(masks[0].recurrent, 0), gate(masks[0].recurrent, 1)));
  BOOST_TEST(!bitwise_equal(gate(masks[0].recurrent, 1), gate(masks[0].recurrent, 2)));
  // The next call draws new masks.
  const GruDropoutMasks first = masks[0];
  dropped.run(Value(x));
  BOOST_TEST(!bitwise_equal(dropped.last_dropout_masks()[0].input, first.input));
}

BOOST_AUTO_TEST_CASE(keep_rates_within_three_sigma) {
  Gru layer(GruOptions(50).dropout(0.3).recurrent_dropout(0.6).seed(5));
  layer.run(Value(Tensor::zeros({200, 1, 20})));
  const GruDropoutMasks& masks = layer.last_dropout_masks().at(0);
  for (const auto& [mask, rate] : {std::pair{masks.input, 0.3}, std::pair{masks.recurrent, 0.6}}) {
    const double n = mask.size(), keep = 1 - rate;
    const double count = kept(mask, keep);
    BOOST_TEST(std::abs(count - n * keep) <= 3 * std::sqrt(n * keep * rate), "rate " << rate);
  }
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_masks_and_result) {
  const Tensor x = random_tensor({3, 5, 2}, 6);
  Gru a(dropout_options().dropout(0.4).recurrent_dropout(0.4)),
      b(dropout_options().dropout(0.4).recurrent_dropout(0.4));
  BOOST_TEST(bitwise_equal(a.run(Value(x)).output.value(), b.run(Value(x)).output.value()));
  BOOST_TEST(
      bitwise_equal(a.last_dropout_masks()[0].recurrent, b.last_dropout_masks()[0].recurrent));
  Gru other(dropout_options().seed(99).dropout(0.4).recurrent_dropout(0.4));
  other.run(Value(x));
  BOOST_TEST(!bitwise_equal(a.last_dropout_masks()[0].input, other.last_dropout_masks()[0].input));
}

BOOST_AUTO_TEST_CASE(given_masks_replace_the_drawn_ones) {
  const Tensor x = random_tensor({3, 5, 2}, 7);
  Gru drawn(dropout_options().dropout(0.4).recurrent_dropout(0.4)), given(dropout_options());
  const Tensor y = drawn.run(Value(x)).output.value();
  BOOST_TEST(bitwise_equal(with_masks(given, x, drawn.last_dropout_masks()[0]).output.value(), y));
  BOOST_TEST(
      bitwise_equal(given.last_dropout_masks()[0].input, drawn.last_dropout_masks()[0].input));
}

// Input masks equal for the three gates act as x * m at every step: fixed over time.
BOOST_AUTO_TEST_CASE(an_input_mask_shared_by_the_gates_is_the_masked_input) {
  const Tensor x = random_tensor({3, 5, 2}, 8);
  Random random(9);
  const Tensor m = draw_gru_dropout_masks(0.5, 0, 3, 2, 4, DType::float64, random).input;
  const Tensor shared = Tensor::from_values(
      {3, 3, 2},
      [&] {
        std::vector<double> v;
        for (std::size_t g = 0; g < 3; ++g)
          for (std::size_t i = 0; i < 6; ++i) v.push_back(m.flat(i));
        return v;
      }(),
      DType::float64);
  const Tensor sample_mask = Tensor::from_values(
      {3, 1, 2},
      [&] {
        std::vector<double> v;
        for (std::size_t i = 0; i < 6; ++i) v.push_back(m.flat(i));
        return v;
      }(),
      DType::float64);
  for (ResetGateMode mode : kResetGateModes) {
    for (int implementation : {1, 2}) {
      Gru dropped(dropout_options(mode).implementation(implementation)),
          plain(dropout_options(mode));
      const Tensor y = with_masks(dropped, x, {shared, Tensor()}).output.value();
      BOOST_TEST(max_abs_diff(y, plain.run(Value(mul(x, sample_mask))).output.value()) <= 1e-14);
    }
  }
}

// A recurrent mask of one constant c everywhere is h * c in every product: U scaled by c.
BOOST_AUTO_TEST_CASE(a_constant_recurrent_mask_scales_the_recurrent_kernel) {
  const Tensor x = random_tensor({3, 5, 2}, 10);
  const double c = 1 / 0.75;
  for (ResetGateMode mode : kResetGateModes) {
    Gru dropped(dropout_options(mode)), scaled(dropout_options(mode));
    scaled.build(x.shape(), DType::float64);
    GruWeights w = scaled.weights();
    w.recurrent_kernel = scale(w.recurrent_kernel, c);
    scaled.set_weights(w);
    const Tensor y = with_masks(dropped, x, {Tensor(), Tensor::full({3, 3, 4}, c, DType::float64)})
                         .output.value();
    BOOST_TEST(max_abs_diff(y, scaled.run(Value(x)).output.value()) <= 1e-14);
  }
}

BOOST_AUTO_TEST_CASE(bad_masks_name_the_layer_and_level) {
  Gru layer(dropout_options().depth(2).name("enc"));
  const Tensor x = random_tensor({3, 5, 2}, 11);
  GruInputs inputs;
  inputs.dropout_masks = {GruDropoutMasks()};
  require_error<ValueError>([&] { layer.run(Value(x), inputs); },
                            {"enc: dropout masks", "2 (one per level)", "got 1"});
  inputs.dropout_masks = {GruDropoutMasks(), {Tensor::ones({3, 3, 2}, DType::float64), Tensor()}};
  require_error<ShapeError>([&] { layer.run(Value(x), inputs); },
                            {"enc: level 2: input mask", "(3, 3, 4)", "got (3, 3, 2)"});
  inputs.dropout_masks = {{Tensor(), Tensor::ones({3, 3, 4}, DType::float32)}, GruDropoutMasks()};
  require_error<ValueError>([&] { layer.run(Value(x), inputs); },
                            {"enc: level 1: recurrent mask", "dtype float64", "got float32"});
}

BOOST_AUTO_TEST_SUITE_END()
