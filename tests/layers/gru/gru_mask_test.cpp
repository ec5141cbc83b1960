// Masked GRU calls: masks and lengths, padding on either side, fully masked samples and steps,
// checked against the test-only reference forward and against unmasked calls.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/shape.hpp"
#include "layers/gru/gru.hpp"
#include "layers/gru/masks.hpp"
#include "tests/layers/gru/gru_reference.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::kResetGateModes;
using testing::max_abs_diff;
using testing::random_tensor;
using testing::require_error;

namespace {

// Biases away from zero, so that the recurrent bias takes part.
GruOptions mask_options() {
  return GruOptions(4).return_sequences(true).seed(3).bias_initializer(
      InitializerSpec("uniform", {{"minval", -0.5}, {"maxval", 0.5}}));
}

GruResult run(Gru& layer, const Tensor& x, const Tensor& mask, const Tensor& h0 = Tensor()) {
  GruInputs inputs;
  inputs.mask = mask;
  if (h0.defined()) inputs.initial_states = {Value(h0)};
  return layer.run(Value(x), inputs);
}

Tensor row(const Tensor& t, std::size_t sample) {
  return select(Value(t), 0, sample).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_mask_test)

BOOST_AUTO_TEST_CASE(masks_match_the_reference_in_every_mode_and_direction) {
  const Tensor mask =
      Tensor::from_values({3, 5}, {1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1}, DType::float64);
  const Tensor x = random_tensor({3, 5, 2}, 1), h0 = random_tensor({3, 4}, 2);
  for (ResetGateMode mode : kResetGateModes) {
    for (bool backwards : {false, true}) {
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", go_backwards " << backwards) {
        Gru layer(mask_options().reset_gate_mode(mode).go_backwards(backwards));
        const GruResult result = run(layer, x, mask, h0);
        const auto expected =
            testing::reference_gru_forward(layer.weights(), layer.options(), x, h0, mask);
        BOOST_TEST(max_abs_diff(result.output.value(), expected.sequence_output) <= 1e-14);
        BOOST_TEST(max_abs_diff(result.states[0].value(), expected.final_state) <= 1e-14);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_fully_masked_sample_returns_and_outputs_its_initial_state) {
  Gru layer(mask_options());
  const Tensor mask = Tensor::from_values({2, 4}, {1, 0, 1, 1, 0, 0, 0, 0}, DType::float64);
  const Tensor h0 = random_tensor({2, 4}, 3);
  const GruResult result = run(layer, random_tensor({2, 4, 3}, 4), mask, h0);
  BOOST_TEST(bitwise_equal(row(result.states[0].value(), 1), row(h0, 1)));
  for (std::size_t t = 0; t < 4; ++t) {
    const Tensor out = select(Value(result.output.value()), 1, t).value();
    BOOST_TEST(bitwise_equal(row(out, 1), row(h0, 1)));
  }
  // Sample 0 carries its state over its masked step 1.
  const Tensor seq = result.output.value();
  BOOST_TEST(bitwise_equal(select(select(Value(seq), 0, 0), 0, 1).value(),
                           select(select(Value(seq), 0, 0), 0, 0).value()));
}

BOOST_AUTO_TEST_CASE(lengths_0_and_t_are_all_masked_and_unmasked) {
  Gru layer(mask_options());
  const Tensor x = random_tensor({2, 4, 3}, 5), h0 = random_tensor({2, 4}, 6);
  GruInputs inputs;
  inputs.lengths = {0, 4};
  inputs.initial_states = {Value(h0)};
  const GruResult result = layer.run(Value(x), inputs);
  const GruResult unmasked = run(layer, x, Tensor(), h0);
  BOOST_TEST(bitwise_equal(row(result.states[0].value(), 0), row(h0, 0)));
  BOOST_TEST(bitwise_equal(row(result.output.value(), 1), row(unmasked.output.value(), 1)));
}

// The same samples padded on the right and on the left reach the same final states, and their
// valid outputs agree step for step.
BOOST_AUTO_TEST_CASE(left_and_right_padding_agree) {
  const std::size_t steps = 5;
  const std::vector<std::size_t> lengths = {3, 5, 1};
  const Tensor data = random_tensor({3, steps, 2}, 7);
  std::vector<double> right(data.size(), 0.0), left(data.size(), 0.0);
  for (std::size_t b = 0; b < 3; ++b)
    for (std::size_t t = 0; t < lengths[b]; ++t)
      for (std::size_t f = 0; f < 2; ++f) {
        const double v = data.flat((b * steps + t) * 2 + f);
        right[(b * steps + t) * 2 + f] = v;
        left[(b * steps + steps - lengths[b] + t) * 2 + f] = v;
      }
  Gru layer(mask_options());
  GruInputs r, l;
  r.lengths = l.lengths = lengths;
  l.padding = GruPadding::left;
  const GruResult a =
      layer.run(Value(Tensor::from_values({3, steps, 2}, right, DType::float64)), r);
  const GruResult b = layer.run(Value(Tensor::from_values({3, steps, 2}, left, DType::float64)), l);
  BOOST_TEST(max_abs_diff(a.states[0].value(), b.states[0].value()) <= 1e-14);
  for (std::size_t s = 0; s < 3; ++s)
    for (std::size_t t = 0; t < lengths[s]; ++t) {
      const Tensor ya = select(select(a.output, 0, s), 0, t).value();
      const Tensor yb = select(select(b.output, 0, s), 0, steps - lengths[s] + t).value();
      BOOST_TEST(max_abs_diff(ya, yb) <= 1e-14);
    }
}

BOOST_AUTO_TEST_CASE(lengths_build_the_mask_they_describe) {
  const Tensor right = gru_mask_from_lengths({2, 0, 3}, 3, GruPadding::right, DType::float32, "t");
  const Tensor left = gru_mask_from_lengths({2, 0, 3}, 3, GruPadding::left, DType::float32, "t");
  BOOST_TEST(right.to_vector() == (std::vector<double>{1, 1, 0, 0, 0, 0, 1, 1, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(left.to_vector() == (std::vector<double>{0, 1, 1, 0, 0, 0, 1, 1, 1}),
             boost::test_tools::per_element());
  Gru layer(mask_options());
  const Tensor x = random_tensor({3, 3, 2}, 8);
  GruInputs by_lengths;
  by_lengths.lengths = {2, 0, 3};
  BOOST_TEST(bitwise_equal(layer.run(Value(x), by_lengths).output.value(),
                           run(layer, x, right).output.value()));
}

// A masked step leaves no trace: the input there gets an exactly zero gradient.
BOOST_AUTO_TEST_CASE(masked_inputs_get_zero_gradient) {
  Gru layer(mask_options().return_sequences(false));
  const Tensor mask = Tensor::from_values({2, 3}, {1, 0, 1, 0, 0, 1}, DType::float64);
  const Value x(random_tensor({2, 3, 2}, 9), true);
  GruInputs inputs;
  inputs.mask = mask;
  sum(layer.run(x, inputs).output).backward();
  for (std::size_t b = 0; b < 2; ++b)
    for (std::size_t t = 0; t < 3; ++t)
      for (std::size_t f = 0; f < 2; ++f) {
        const double g = x.grad().flat((b * 3 + t) * 2 + f);
        if (mask.flat(b * 3 + t) == 0)
          BOOST_TEST(g == 0.0);
        else
          BOOST_TEST(g != 0.0);
      }
}

BOOST_AUTO_TEST_CASE(a_mask_of_another_dtype_is_converted) {
  Gru layer(mask_options());
  const Tensor x = random_tensor({2, 3, 2}, 10);
  const Tensor mask = Tensor::from_values({2, 3}, {1, 0, 1, 1, 1, 0}, DType::float64);
  BOOST_TEST(bitwise_equal(run(layer, x, mask.to(DType::float32)).output.value(),
                           run(layer, x, mask).output.value()));
}

BOOST_AUTO_TEST_CASE(bad_masks_and_lengths_name_the_layer) {
  Gru layer(mask_options().name("enc"));
  const Tensor x = random_tensor({2, 3, 2}, 11);
  require_error<ShapeError>(
      [&] {
        run(layer, x, Tensor::ones({2, 4}));
      },
      {"enc: mask", "expected shape (2, 3)", "got (2, 4)"});
  require_error<ValueError>(
      [&] {
        run(layer, x, Tensor::full({2, 3}, 0.5));
      },
      {"enc: mask", "values 0 and 1", "got 0.5 at (0, 0)"});
  GruInputs both;
  both.mask = Tensor::ones({2, 3});
  both.lengths = {1, 2};
  require_error<ValueError>([&] { layer.run(Value(x), both); },
                            {"enc", "a mask or lengths", "got both"});
  GruInputs count;
  count.lengths = {1, 2, 3};
  require_error<ShapeError>([&] { layer.run(Value(x), count); },
                            {"enc: lengths", "2 lengths (one per sample", "got 3"});
  GruInputs long_one;
  long_one.lengths = {1, 4};
  require_error<ShapeError>([&] { layer.run(Value(x), long_one); },
                            {"enc: lengths", "at most 3", "got 4 for sample 1"});
}

BOOST_AUTO_TEST_SUITE_END()
