// The fused engine against the composite engine under variational dropout (the cases of
// gru_dropout_test and the dropout cases of gru_gradient_test): masks drawn from the same seed
// are the same masks in both engines and give the same numbers; fixed masks on the input only,
// the state only, or both, in every reset gate mode, both implementations and depth 2; no
// dropout in inference.
#include <boost/test/unit_test.hpp>

#include "layers/gru/detail/dropout.hpp"
#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::engine_options;
using testing::EngineRun;
using testing::one_call;
using testing::random_tensor;
using testing::require_engines_agree_in_both_dtypes;

namespace {

const Shape kDropoutShape{3, 5, 2};

GruDropoutMasks fixed_masks(std::size_t features, std::uint64_t seed) {
  Random random(seed);
  return draw_gru_dropout_masks(0.3, 0.4, kDropoutShape[0], features, 4, DType::float64, random);
}

std::string mode_text(ResetGateMode mode) {
  return reset_gate_mode_name(mode);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_engines_dropout_test)

// The layer draws the masks (from the options' seed) before it picks the engine: the same
// masks, so the same numbers, whichever engine runs.
BOOST_AUTO_TEST_CASE(the_same_seed_draws_the_same_masks_in_both_engines) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (int implementation : {1, 2}) {
      for (std::size_t depth : {1, 2}) {
        const auto options = engine_options()
                                 .reset_gate_mode(mode)
                                 .implementation(implementation)
                                 .depth(depth)
                                 .dropout(0.3)
                                 .recurrent_dropout(0.4)
                                 .seed(17);
        for (DType dtype : {DType::float64, DType::float32}) {
          std::vector<GruDropoutMasks> drawn[2];
          for (GruEngine engine : {GruEngine::composite, GruEngine::fused}) {
            Gru layer(GruOptions(options).engine(engine));
            layer.run(Value(random_tensor(kDropoutShape, 1, -1, 1, dtype)));
            layer.run(Value(random_tensor(kDropoutShape, 1, -1, 1, dtype)));
            drawn[engine == GruEngine::fused] = layer.last_dropout_masks();
          }
          BOOST_REQUIRE(drawn[0].size() == depth);
          BOOST_REQUIRE(drawn[1].size() == depth);
          for (std::size_t k = 0; k < depth; ++k) {
            BOOST_TEST(testing::bitwise_equal(drawn[0][k].input, drawn[1][k].input));
            BOOST_TEST(testing::bitwise_equal(drawn[0][k].recurrent, drawn[1][k].recurrent));
          }
        }
        require_engines_agree_in_both_dtypes(
            mode_text(mode) + ", drawn masks, implementation " + std::to_string(implementation) +
                ", depth " + std::to_string(depth),
            options, [](Gru& layer, EngineRun& run) {
              // Two calls: the second draws new masks from the advanced source.
              run.result("first", layer.run(run.leaf("input 1", random_tensor(kDropoutShape, 2))));
              run.result("second", layer.run(run.leaf("input 2", random_tensor(kDropoutShape, 3))));
            });
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(fixed_masks_in_every_mode_and_implementation) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (int implementation : {1, 2}) {
      for (bool backwards : {false, true}) {
        GruInputs dropped;
        dropped.dropout_masks = {fixed_masks(kDropoutShape[2], 5), fixed_masks(4, 6)};
        require_engines_agree_in_both_dtypes(mode_text(mode) + ", fixed masks, implementation " +
                                                 std::to_string(implementation) +
                                                 ", go_backwards " + std::to_string(backwards),
                                             engine_options()
                                                 .reset_gate_mode(mode)
                                                 .implementation(implementation)
                                                 .depth(2)
                                                 .go_backwards(backwards),
                                             one_call(kDropoutShape, dropped));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(only_input_or_only_recurrent_masks_with_a_sequence_mask) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    GruDropoutMasks recurrent = fixed_masks(kDropoutShape[2], 7), input = recurrent;
    recurrent.input = Tensor();
    input.recurrent = Tensor();
    for (const GruDropoutMasks& masks : {recurrent, input}) {
      GruInputs dropped;
      dropped.dropout_masks = {masks};
      dropped.lengths = {5, 2, 4};
      dropped.padding = GruPadding::left;
      require_engines_agree_in_both_dtypes(
          mode_text(mode) + (masks.input.defined() ? ", input" : ", recurrent") + " mask only",
          engine_options().reset_gate_mode(mode), one_call(kDropoutShape, dropped));
    }
  }
}

// In inference there is no dropout and nothing to differentiate: the outputs agree.
BOOST_AUTO_TEST_CASE(no_dropout_in_inference) {
  require_engines_agree_in_both_dtypes(
      "inference with dropout rates", engine_options().dropout(0.5).recurrent_dropout(0.5),
      [](Gru& layer, EngineRun& run) {
        layer.set_training(false);
        run.result("call", layer.run(run.leaf("input", random_tensor(kDropoutShape, 8))));
        BOOST_TEST(layer.last_dropout_masks().empty());
      });
}

BOOST_AUTO_TEST_CASE(worst_differences) {
  testing::report_engine_differences("gru_engines_dropout_test");
}

BOOST_AUTO_TEST_SUITE_END()
