// The fused engine against the composite engine on the golden cases of tests/data/golden (every
// case's weights, input, initial state and mask, in float64 and float32) and on the mask cases of
// gru_mask_test: a fully masked sample, lengths 0 and T, a mask of another dtype. Results and
// every gradient within 1e-10 (float64) and 1e-5 relative (float32).
#include <boost/test/unit_test.hpp>

#include "tests/golden_cases.hpp"
#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::engine_options;
using testing::EngineRun;
using testing::random_tensor;
using testing::require_engines_agree_in_both_dtypes;

BOOST_AUTO_TEST_SUITE(gru_engines_golden_test)

BOOST_AUTO_TEST_CASE(every_golden_case) {
  for (const std::string& name : testing::golden_case_names()) {
    const testing::GoldenCase c = testing::load_golden_case(name);
    require_engines_agree_in_both_dtypes(
        "golden " + name, c.options, [&c](Gru& layer, EngineRun& run) {
          const GruWeights w = testing::golden_to_internal(c, c.weights);
          layer.set_weights(
              {run.constant(w.kernel), run.constant(w.recurrent_kernel),
               w.bias.defined() ? run.constant(w.bias) : Tensor(),
               w.recurrent_bias.defined() ? run.constant(w.recurrent_bias) : Tensor()});
          GruInputs inputs;
          inputs.initial_states = {run.leaf("initial state", c.initial_state)};
          if (c.mask.defined()) inputs.mask = c.mask;
          run.result("call", layer.run(run.leaf("input", c.input), inputs));
        });
  }
}

// A sample masked at every step, one with length 0 and one with length T, a float32 mask on a
// float64 layer and the other way round.
BOOST_AUTO_TEST_CASE(the_mask_cases) {
  const Tensor mask =
      Tensor::from_values({3, 4}, {1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0}, DType::float64);
  for (DType mask_dtype : {DType::float32, DType::float64}) {
    for (bool backwards : {false, true}) {
      require_engines_agree_in_both_dtypes(
          std::string("fully masked sample, mask ") + dtype_name(mask_dtype) + ", go_backwards " +
              std::to_string(backwards),
          engine_options().go_backwards(backwards).depth(2).return_state(true),
          [&](Gru& layer, EngineRun& run) {
            GruInputs inputs;
            inputs.mask = mask.to(mask_dtype);
            inputs.initial_states = {run.leaf("h0 1", random_tensor({3, 4}, 3)),
                                     run.leaf("h0 2", random_tensor({3, 4}, 4))};
            run.result("call", layer.run(run.leaf("input", random_tensor({3, 4, 3}, 5)), inputs));
          });
    }
  }
  require_engines_agree_in_both_dtypes(
      "lengths 0 and T", engine_options(), [](Gru& layer, EngineRun& run) {
        GruInputs inputs;
        inputs.lengths = {0, 4};
        inputs.initial_states = {run.leaf("h0", random_tensor({2, 4}, 6))};
        run.result("call", layer.run(run.leaf("input", random_tensor({2, 4, 3}, 7)), inputs));
      });
}

BOOST_AUTO_TEST_CASE(worst_differences) {
  testing::report_engine_differences("gru_engines_golden_test");
}

BOOST_AUTO_TEST_SUITE_END()
