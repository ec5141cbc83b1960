// The fused engine against the composite engine through the Gru layer, over the matrix of the
// composite engine's suites (gru_gradient_test, gru_layer_test): every reset gate mode with every
// gate and state activation, no bias, masks in both directions, the last output and returned
// states, depth 2, both implementations, edge shapes; outputs, states and every gradient equal
// within 1e-10 (float64) and 1e-5 relative (float32). gru_engines_support.hpp has the check.
#include <boost/test/unit_test.hpp>

#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::engine_options;
using testing::one_call;
using testing::require_engines_agree;
using testing::require_engines_agree_in_both_dtypes;

namespace {

const Shape kShape{2, 5, 3};

// A mask with a fully masked step (1), mixed ones and a sample valid only at steps 0 and 3.
GruInputs masked() {
  GruInputs inputs;
  inputs.mask = Tensor::from_values({2, 5}, {1, 0, 1, 1, 0, 1, 0, 0, 1, 0}, DType::float64);
  return inputs;
}

// A mask for any shape: about a quarter of the steps masked, in a pattern that differs per sample.
GruInputs masked_for(const Shape& shape) {
  std::vector<double> values;
  for (std::size_t b = 0; b < shape[0]; ++b)
    for (std::size_t t = 0; t < shape[1]; ++t) values.push_back((b * 7 + t * 3) % 4 != 0);
  GruInputs inputs;
  inputs.mask = Tensor::from_values({shape[0], shape[1]}, values, DType::float64);
  return inputs;
}

std::string reset_mode_text(ResetGateMode mode) {
  return reset_gate_mode_name(mode);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_engines_test)

BOOST_AUTO_TEST_CASE(every_mode_gate_and_state_activation) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (const std::string& gate : gru_activation_names()) {
      for (const std::string& state : gru_activation_names()) {
        const auto options =
            engine_options().reset_gate_mode(mode).recurrent_activation(gate).activation(state);
        require_engines_agree_in_both_dtypes(reset_mode_text(mode) + ", " + gate + "/" + state, options,
                                             one_call(kShape));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(without_bias) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    require_engines_agree_in_both_dtypes(reset_mode_text(mode) + ", no bias",
                                         engine_options().reset_gate_mode(mode).use_bias(false),
                                         one_call(kShape));
  }
}

BOOST_AUTO_TEST_CASE(masked_steps_forwards_and_backwards) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (bool backwards : {false, true}) {
      require_engines_agree_in_both_dtypes(
          reset_mode_text(mode) + ", mask, go_backwards " + std::to_string(backwards),
          engine_options().reset_gate_mode(mode).go_backwards(backwards),
          one_call(kShape, masked()));
    }
  }
}

BOOST_AUTO_TEST_CASE(lengths_with_left_and_right_padding) {
  for (GruPadding padding : {GruPadding::right, GruPadding::left}) {
    for (bool backwards : {false, true}) {
      GruInputs inputs;
      inputs.lengths = {3, 0, 5};
      inputs.padding = padding;
      require_engines_agree_in_both_dtypes(
          std::string("lengths, ") + (padding == GruPadding::left ? "left" : "right") +
              " padding, go_backwards " + std::to_string(backwards),
          engine_options().go_backwards(backwards).depth(2), one_call({3, 5, 3}, inputs));
    }
  }
}

BOOST_AUTO_TEST_CASE(last_output_and_returned_states) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (std::size_t depth : {1, 2}) {
      require_engines_agree_in_both_dtypes(
          reset_mode_text(mode) + ", last output, depth " + std::to_string(depth),
          engine_options().reset_gate_mode(mode).return_sequences(false).return_state(true).depth(
              depth),
          one_call(kShape, masked()));
    }
  }
}

BOOST_AUTO_TEST_CASE(two_and_three_levels_with_mask_and_go_backwards) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (bool backwards : {false, true}) {
      for (std::size_t depth : {2, 3}) {
        require_engines_agree_in_both_dtypes(
            reset_mode_text(mode) + ", depth " + std::to_string(depth) + ", go_backwards " +
                std::to_string(backwards),
            engine_options().reset_gate_mode(mode).depth(depth).go_backwards(backwards),
            one_call(kShape, masked()));
      }
    }
  }
}

// The fused kernel has one way to project the input; either implementation of the composite
// engine is its reference.
BOOST_AUTO_TEST_CASE(implementations_1_and_2) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (int implementation : {1, 2}) {
      require_engines_agree_in_both_dtypes(
          reset_mode_text(mode) + ", implementation " + std::to_string(implementation),
          engine_options().reset_gate_mode(mode).implementation(implementation).depth(2),
          one_call(kShape, masked()));
    }
  }
}

BOOST_AUTO_TEST_CASE(unroll_and_check_nan) {
  require_engines_agree_in_both_dtypes(
      "unroll, check_nan", engine_options().unroll(true).check_nan(true), one_call(kShape));
}

// Units beyond one register width (16 float32, 8 float64) and not a multiple of it, batches
// beyond the kernel's tiles, a long sequence, batch 1 (the matrix-vector path).
BOOST_AUTO_TEST_CASE(shapes_across_the_kernels_blockings) {
  const struct {
    Shape shape;
    std::size_t units;
  } cases[] = {{{1, 7, 3}, 4}, {{1, 4, 5}, 37}, {{7, 3, 6}, 17}, {{5, 40, 2}, 9}, {{3, 4, 20}, 33}};
  for (const auto& c : cases) {
    for (ResetGateMode mode : testing::kResetGateModes) {
      require_engines_agree_in_both_dtypes(reset_mode_text(mode) + ", shape " + shape_to_string(c.shape) +
                                               ", units " + std::to_string(c.units),
                                           engine_options(c.units).reset_gate_mode(mode).depth(2),
                                           one_call(c.shape, masked_for(c.shape)));
    }
  }
}

BOOST_AUTO_TEST_CASE(no_steps_and_one_step) {
  for (std::size_t steps : {0, 1}) {
    for (bool sequences : {true, false}) {
      require_engines_agree_in_both_dtypes(
          std::to_string(steps) + " steps, return_sequences " + std::to_string(sequences),
          engine_options().return_sequences(sequences).return_state(true).depth(2),
          one_call({2, steps, 3}));
    }
  }
}

// Only the weights require gradients (the input and the states are constants), and the default
// zero initial states.
BOOST_AUTO_TEST_CASE(gradients_of_the_weights_only) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (DType dtype : {DType::float64, DType::float32}) {
      require_engines_agree(
          reset_mode_text(mode) + ", weights only " + dtype_name(dtype),
          engine_options().reset_gate_mode(mode).depth(2), dtype,
          [](Gru& layer, testing::EngineRun& run) {
            run.result("call", layer.run(Value(run.constant(testing::random_tensor(kShape, 4)))));
          });
    }
  }
}

BOOST_AUTO_TEST_CASE(worst_differences) {
  testing::report_engine_differences("gru_engines_test");
}

BOOST_AUTO_TEST_SUITE_END()
