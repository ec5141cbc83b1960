// The fused engine against the composite engine for the layer's states (the cases of
// gru_state_test): stateful calls T/2 + T/2, explicit, carried and stored initial states, the
// resets, per-sample resets, and the "hidden" graph port; results and gradients within 1e-10
// (float64) and 1e-5 relative (float32).
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/reduce.hpp"
#include "core/tensor_math.hpp"
#include "layers/gru/ports.hpp"
#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::engine_options;
using testing::EngineRun;
using testing::random_tensor;
using testing::require_engines_agree_in_both_dtypes;

namespace {

const Tensor state_input = random_tensor({2, 6, 3}, 1);

Tensor steps(const Tensor& t, std::size_t begin, std::size_t count) {
  return narrow(Value(t), 1, begin, count).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_engines_state_test)

// Two calls of T/2 steps carry the state; each call's input gets its gradient (truncated
// backpropagation: the second call does not reach into the first).
BOOST_AUTO_TEST_CASE(stateful_halves) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    for (std::size_t depth : {1, 2}) {
      for (bool backwards : {false, true}) {
        require_engines_agree_in_both_dtypes(
            std::string(reset_gate_mode_name(mode)) + ", stateful, depth " + std::to_string(depth) +
                ", go_backwards " + std::to_string(backwards),
            engine_options().reset_gate_mode(mode).depth(depth).go_backwards(backwards).stateful(
                true),
            [](Gru& layer, EngineRun& run) {
              run.result("first", layer.run(run.leaf("first input", steps(state_input, 0, 3))));
              run.result("second", layer.run(run.leaf("second input", steps(state_input, 3, 3))));
              for (std::size_t k = 0; k < layer.states().size(); ++k)
                run.result("carried " + std::to_string(k + 1), Value(layer.states()[k]));
            });
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(an_explicit_state_overrides_the_carried_one) {
  require_engines_agree_in_both_dtypes(
      "explicit over carried", engine_options().stateful(true), [](Gru& layer, EngineRun& run) {
        layer.run(Value(run.constant(state_input)));
        GruInputs inputs;
        inputs.initial_states = {run.leaf("h0", random_tensor({2, 4}, 5))};
        run.result("call", layer.run(run.leaf("input", state_input), inputs));
      });
}

BOOST_AUTO_TEST_CASE(reset_states_to_zeros_to_values_and_per_sample) {
  require_engines_agree_in_both_dtypes(
      "resets", engine_options().stateful(true).depth(2), [](Gru& layer, EngineRun& run) {
        const Tensor stored = random_tensor({4}, 7);
        layer.set_initial_states({stored, scale(stored, -1.0)});
        run.result("first", layer.run(run.leaf("input 1", state_input)));
        layer.reset_samples(Tensor::from_values({2}, {1, 0}, DType::float64));
        run.result("after per-sample reset", layer.run(run.leaf("input 2", state_input)));
        layer.reset_states({Tensor::zeros({2, 4}), Tensor::zeros({2, 4})});
        run.result("after reset to zeros", layer.run(run.leaf("input 3", state_input)));
        layer.reset_states({random_tensor({2, 4}, 8), random_tensor({2, 4}, 9)});
        run.result("after reset to values", layer.run(run.leaf("input 4", state_input)));
        layer.reset_states();
        run.result("after reset_states", layer.run(run.leaf("input 5", state_input)));
      });
}

BOOST_AUTO_TEST_CASE(stored_initial_states_per_unit_and_per_sample) {
  require_engines_agree_in_both_dtypes(
      "stored states", engine_options(), [](Gru& layer, EngineRun& run) {
        layer.set_initial_states({random_tensor({4}, 9)});
        run.result("per unit", layer.run(run.leaf("input 1", state_input)));
        layer.set_initial_states({random_tensor({2, 4}, 10)});
        run.result("per sample", layer.run(run.leaf("input 2", state_input)));
      });
}

// The graph ports: "hidden" in (depth, batch, units) as the initial states, "hidden" out.
BOOST_AUTO_TEST_CASE(the_hidden_port_in_and_out) {
  for (bool sequences : {true, false}) {
    require_engines_agree_in_both_dtypes(
        "hidden port, return_sequences " + std::to_string(sequences),
        engine_options().depth(2).return_sequences(sequences), [](Gru& layer, EngineRun& run) {
          const Value hidden = run.leaf("hidden", random_tensor({2, 2, 4}, 11, -0.5, 0.5));
          const auto out =
              layer.forward_ports({{"in", run.leaf("input", state_input)}, {"hidden", hidden}});
          run.result("out", out.at("out"));
          run.result("hidden", out.at("hidden"));
        });
  }
}

BOOST_AUTO_TEST_CASE(worst_differences) {
  testing::report_engine_differences("gru_engines_state_test");
}

BOOST_AUTO_TEST_SUITE_END()
