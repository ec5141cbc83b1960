// Float64 central-difference checks of the composite GRU's gradients with respect to the input,
// the initial states and every weight, over the reset gate modes, activations and options.
// Small shapes (batch 2, 3 steps, 3 features, 4 units) keep the suite fast.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/shape.hpp"
#include "layers/gru/detail/dropout.hpp"
#include "layers/gru/gru.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::kResetGateModes;
using testing::random_tensor;

namespace {

constexpr std::size_t kGradientBatch = 2, kGradientSteps = 3, kGradientFeatures = 3,
                      kGradientUnits = 4;

// Every output of a call flattened into one value: the output and each level's final state.
Value flat_outputs(const GruResult& result) {
  std::vector<Value> parts{reshape(result.output, {result.output.value().size()})};
  for (const Value& state : result.states)
    parts.push_back(reshape(state, {kGradientBatch * kGradientUnits}));
  return concat(parts, 0);
}

// Checks d/d(x, initial states, weights) of every output of run_gru_composite for `options`,
// with `extra` supplying a mask or dropout masks. Weights in [-1, 1) reach the saturated parts
// of the hard sigmoids; a fixed seed keeps the points away from the knots.
void check_composite(const GruOptions& options, const GruInputs& extra = {}) {
  const std::size_t depth = options.depth();
  const bool bias = options.use_bias();
  const bool recurrent_bias = bias && has_recurrent_bias(options.reset_gate_mode());
  std::vector<Tensor> inputs{random_tensor({kGradientBatch, kGradientSteps, kGradientFeatures}, 1)};
  for (std::size_t k = 0; k < depth; ++k)
    inputs.push_back(random_tensor({kGradientBatch, kGradientUnits}, 10 + k, -0.5, 0.5));
  for (std::size_t k = 0; k < depth; ++k) {
    const std::size_t features = k == 0 ? kGradientFeatures : kGradientUnits, seed = 20 + 10 * k;
    inputs.push_back(random_tensor({features, 3 * kGradientUnits}, seed));
    inputs.push_back(random_tensor({kGradientUnits, 3 * kGradientUnits}, seed + 1));
    if (bias) inputs.push_back(random_tensor({3 * kGradientUnits}, seed + 2, -0.5, 0.5));
    if (recurrent_bias) inputs.push_back(random_tensor({3 * kGradientUnits}, seed + 3, -0.5, 0.5));
  }
  const auto f = [&](const std::vector<Value>& v) {
    GruInputs in = extra;
    in.initial_states.assign(v.begin() + 1, v.begin() + 1 + depth);
    std::vector<GruLevelWeights> levels(depth);
    std::size_t next = 1 + depth;
    for (GruLevelWeights& w : levels) {
      w.kernel = v[next++];
      w.recurrent_kernel = v[next++];
      if (bias) w.bias = v[next++];
      if (recurrent_bias) w.recurrent_bias = v[next++];
    }
    return flat_outputs(run_gru_composite(options, levels, v[0], in, "check"));
  };
  testing::require_gradients(f, inputs);
}

GruOptions small(ResetGateMode mode) {
  return GruOptions(kGradientUnits).reset_gate_mode(mode).return_sequences(true);
}

// A mask with a fully masked step (1), a mixed one (2) and a sample valid only at step 0.
Tensor test_mask() {
  return Tensor::from_values({kGradientBatch, kGradientSteps}, {1, 0, 1, 1, 0, 0}, DType::float64);
}

GruDropoutMasks seeded_masks(std::size_t features, std::uint64_t seed) {
  Random random(seed);
  return draw_gru_dropout_masks(0.3, 0.4, kGradientBatch, features, kGradientUnits, DType::float64,
                                random);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_gradient_test)

BOOST_AUTO_TEST_CASE(every_mode_and_activation_pair) {
  for (ResetGateMode mode : kResetGateModes) {
    for (const char* gate : {"sigmoid", "hard_sigmoid", "hard_sigmoid_keras3"}) {
      for (const char* state : {"tanh", "softsign", "relu"}) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", " << gate << ", " << state) {
          check_composite(small(mode).recurrent_activation(gate).activation(state));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(without_bias) {
  for (ResetGateMode mode : kResetGateModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      check_composite(small(mode).use_bias(false));
    }
  }
}

BOOST_AUTO_TEST_CASE(masked_steps_forwards_and_backwards) {
  GruInputs masked;
  masked.mask = test_mask();
  for (ResetGateMode mode : kResetGateModes) {
    for (bool backwards : {false, true}) {
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", go_backwards " << backwards) {
        check_composite(small(mode).go_backwards(backwards), masked);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(last_output_and_returned_state) {
  for (ResetGateMode mode : kResetGateModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      check_composite(small(mode).return_sequences(false).return_state(true));
    }
  }
}

BOOST_AUTO_TEST_CASE(two_levels_with_mask_and_go_backwards) {
  GruInputs masked;
  masked.mask = test_mask();
  for (ResetGateMode mode : kResetGateModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      check_composite(small(mode).depth(2).go_backwards(true), masked);
    }
  }
}

BOOST_AUTO_TEST_CASE(dropout_with_fixed_masks_in_both_implementations) {
  for (ResetGateMode mode : kResetGateModes) {
    for (int implementation : {1, 2}) {
      GruInputs dropped;
      dropped.dropout_masks = {seeded_masks(kGradientFeatures, 5), seeded_masks(kGradientUnits, 6)};
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", implementation " << implementation) {
        check_composite(small(mode).depth(2).implementation(implementation), dropped);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(only_recurrent_or_only_input_dropout) {
  for (ResetGateMode mode : kResetGateModes) {
    GruDropoutMasks recurrent = seeded_masks(kGradientFeatures, 7), input = recurrent;
    recurrent.input = Tensor();
    input.recurrent = Tensor();
    for (const GruDropoutMasks& masks : {recurrent, input}) {
      GruInputs dropped;
      dropped.dropout_masks = {masks};
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", input mask " << masks.input.defined()) {
        check_composite(small(mode), dropped);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(implementation_1) {
  for (ResetGateMode mode : kResetGateModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      check_composite(small(mode).implementation(1));
    }
  }
}

// Through the layer: the input and the initial state, with the layer's own weights, lengths with
// left padding and lda_coeff 1.
BOOST_AUTO_TEST_CASE(through_the_layer_with_lengths) {
  Gru layer(small(ResetGateMode::recurrent_bias_after_multiplication).seed(3));
  layer.build({kGradientBatch, kGradientSteps, kGradientFeatures}, DType::float64);
  const auto f = [&](const std::vector<Value>& v) {
    GruInputs in;
    in.initial_states = {v[1]};
    in.lengths = {2, 3};
    in.padding = GruPadding::left;
    return flat_outputs(layer.run(v[0], in));
  };
  testing::require_gradients(f,
                             {random_tensor({kGradientBatch, kGradientSteps, kGradientFeatures}, 2),
                              random_tensor({kGradientBatch, kGradientUnits}, 3)});
}

BOOST_AUTO_TEST_SUITE_END()
