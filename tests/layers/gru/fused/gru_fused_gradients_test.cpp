// Float64 central-difference checks of the fused GRU's hand-written backward: every reset mode x
// gate activation x state activation, and each option on its own and together.

#include <boost/test/unit_test.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "tests/layers/gru/fused/gru_fused_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::FusedProblem;
using testing::FusedProblemOptions;
using testing::random_problem;

namespace {

// Checks the gradient of sum(seq * A) + sum(final * B) (fixed random A, B: both outputs carry
// gradient) with respect to every operand of the problem.
void check(const FusedProblem& p) {
  const Value seq_weights(testing::random_tensor({p.batch, p.steps, p.units}, 71));
  const Value final_weights(testing::random_tensor({p.batch, p.units}, 72));
  testing::require_gradients(
      [&](const std::vector<Value>& values) {
        const std::vector<Value> out = testing::run_fused(p, values);
        return add(sum(mul(out[0], seq_weights)), sum(mul(out[1], final_weights)));
      },
      testing::problem_operands(p));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_fused_gradients_test)

BOOST_AUTO_TEST_CASE(every_mode_and_activation_pair) {
  for (ResetGateMode mode : testing::kFusedModes) {
    for (const std::string& gate : gru_activation_names()) {
      for (const std::string& state : gru_activation_names()) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", gate " << gate << ", state " << state) {
          check(random_problem(testing::fused_config(mode, gate, state), 2, 3, 2, 3, {}, 11));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(each_option_in_every_mode) {
  struct Variant {
    const char* name;
    FusedProblemOptions options;
    bool backwards;
  };
  const Variant variants[] = {
      {"no bias", {false, true, false, false, false}, false},
      {"no initial state", {true, false, false, false, false}, false},
      {"mask", {true, true, true, false, false}, false},
      {"go_backwards", {true, true, false, false, false}, true},
      {"mask and go_backwards", {true, true, true, false, false}, true},
      {"input dropout", {true, true, false, true, false}, false},
      {"recurrent dropout", {true, true, false, false, true}, false},
      {"everything", {true, true, true, true, true}, true},
  };
  for (ResetGateMode mode : testing::kFusedModes) {
    for (const Variant& v : variants) {
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", " << v.name) {
        check(random_problem(testing::fused_config(mode, "sigmoid", "tanh", v.backwards), 3, 4, 2,
                             3, v.options, 23));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(several_unit_blocks_with_a_padded_tail_and_odd_batch) {
  // 17 units: three blocks of 8 float64 lanes (the last one padded), backward groups of two
  // blocks and one; batch 9 runs row tiles of 5 and 4, batch 8 one full tile.
  for (ResetGateMode mode : testing::kFusedModes) {
    for (std::size_t batch : {8, 9}) {
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", batch " << batch) {
        FusedProblemOptions o;
        o.mask = true;
        check(random_problem(testing::fused_config(mode), batch, 2, 2, 17, o, 31));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(dropout_on_some_gates_only) {
  for (ResetGateMode mode : testing::kFusedModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      FusedProblemOptions o;
      o.input_dropout = o.recurrent_dropout = true;
      FusedProblem p = random_problem(testing::fused_config(mode), 2, 3, 2, 3, o, 37);
      p.input_dropout[1] = Tensor();
      p.recurrent_dropout[0] = Tensor();
      check(p);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
