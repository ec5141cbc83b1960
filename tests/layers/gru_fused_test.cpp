#include <boost/test/unit_test.hpp>

#include <fstream>

#include "../golden_cases.hpp"
#include "../test_helpers.hpp"
#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "core/parallel.hpp"
#include "gru_fused_support.hpp"
#include "gru_reference.hpp"

using namespace grutape;
using testing::FusedProblem;
using testing::FusedProblemOptions;
using testing::max_abs_diff;
using testing::random_problem;
using testing::require_error;

namespace {

constexpr ResetGateMode kModes[] = {ResetGateMode::before_multiplication,
                                    ResetGateMode::after_multiplication,
                                    ResetGateMode::recurrent_bias_after_multiplication};

GruFusedConfig config_of(ResetGateMode mode, const std::string& gate = "sigmoid",
                         const std::string& state = "tanh", bool backwards = false) {
  GruFusedConfig c;
  c.reset_gate_mode = mode;
  c.recurrent_activation = gate;
  c.activation = state;
  c.go_backwards = backwards;
  return c;
}

// The golden fields golden_cases.hpp leaves out: the loss seeds and the input gradients.
struct GoldenSeeds {
  Tensor grad_sequence, grad_final, grad_input, grad_initial_state;
};

GoldenSeeds golden_seeds(const std::string& name) {
  std::ifstream file(std::string(GRUTAPE_TEST_DATA) + "/golden/" + name + ".json");
  const nlohmann::json json = nlohmann::json::parse(file);
  return {testing::tensor_from_json(json.at("grad_sequence_output")),
          testing::tensor_from_json(json.at("grad_final_state")),
          testing::tensor_from_json(json.at("grad_input")),
          testing::tensor_from_json(json.at("grad_initial_state"))};
}

// max |a - b| / max(1, max |b|): absolute for values up to 1, relative beyond.
double scaled_error(const Tensor& a, const Tensor& b) {
  double scale = 1;
  for (std::size_t i = 0; i < b.size(); ++i) scale = std::max(scale, std::abs(b.flat(i)));
  return max_abs_diff(a.to(DType::float64), b) / scale;
}

// Runs golden case `name` in `dtype`: forward and every gradient within `tolerance`. Logs the
// worst scaled error.
void check_golden(const std::string& name, DType dtype, double tolerance) {
  double worst = 0;
  const auto scaled_error = [&worst](const Tensor& a, const Tensor& b) {
    const double e = ::scaled_error(a, b);
    worst = std::max(worst, e);
    return e;
  };
  BOOST_TEST_CONTEXT("golden case " << name << ", " << dtype_name(dtype)) {
    const testing::GoldenCase c = testing::load_golden_case(name);
    const GoldenSeeds seeds = golden_seeds(name);
    const GruWeights w = testing::golden_to_internal(c, c.weights);
    const auto leaf = [dtype](const Tensor& t) {
      return t.defined() ? Value(t.to(dtype), true) : Value();
    };
    GruFusedInputs in;
    in.input = leaf(c.input);
    in.initial_state = leaf(c.initial_state);
    in.kernel = leaf(w.kernel);
    in.recurrent_kernel = leaf(w.recurrent_kernel);
    in.bias = leaf(w.bias);
    in.recurrent_bias = leaf(w.recurrent_bias);
    in.mask = c.mask;
    const std::vector<Value> out = gru_fused(in, gru_fused_config(c.options));
    BOOST_TEST(scaled_error(out[0].value(), c.sequence_output) <= tolerance);
    BOOST_TEST(scaled_error(out[1].value(), c.final_state) <= tolerance);
    Value loss = add(sum(mul(out[0], Value(seeds.grad_sequence.to(dtype)))),
                     sum(mul(out[1], Value(seeds.grad_final.to(dtype)))));
    loss.backward();
    BOOST_TEST(scaled_error(in.input.grad(), seeds.grad_input) <= tolerance);
    BOOST_TEST(scaled_error(in.initial_state.grad(), seeds.grad_initial_state) <= tolerance);
    const auto grad = [](const Value& v) {
      return v.defined() ? v.grad().to(DType::float64) : Tensor();
    };
    const GruWeights dw{grad(in.kernel), grad(in.recurrent_kernel), grad(in.bias),
                        grad(in.recurrent_bias)};
    const auto expected = c.grad_weights;
    const auto got = testing::internal_to_golden(c, dw);
    BOOST_TEST(got.size() == expected.size());
    for (const auto& [key, value] : expected) {
      BOOST_TEST_CONTEXT("gradient of " << key) {
        BOOST_REQUIRE(got.count(key) == 1);
        BOOST_TEST(scaled_error(got.at(key), value) <= tolerance);
      }
    }
  }
  BOOST_TEST_MESSAGE("golden " << name << " " << dtype_name(dtype) << ": worst error " << worst);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_fused_test)

BOOST_AUTO_TEST_CASE(golden_cases_float64_within_1e_10) {
  for (const std::string& name : testing::golden_case_names())
    check_golden(name, DType::float64, 1e-10);
}

BOOST_AUTO_TEST_CASE(golden_cases_float32_within_1e_5) {
  for (const std::string& name : testing::golden_case_names())
    check_golden(name, DType::float32, 1e-5);
}

BOOST_AUTO_TEST_CASE(forward_matches_the_reference_on_larger_random_cases) {
  // Units that are not a multiple of the batch width exercise the padded tail block; batch 11
  // uses full and partial row tiles.
  for (ResetGateMode mode : kModes) {
    for (std::size_t units : {37, 40}) {
      for (bool backwards : {false, true}) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)
                           << ", units " << units << ", backwards " << backwards) {
          FusedProblemOptions o;
          o.mask = true;
          const FusedProblem p = random_problem(config_of(mode, "sigmoid", "tanh", backwards), 11,
                                                9, 19, units, o, 40 + units);
          const std::vector<Value> out = testing::run_fused(p);
          const std::vector<Tensor> expected = testing::reference_fused_forward(p);
          BOOST_TEST(max_abs_diff(out[0].value(), expected[0]) <= 1e-12);
          BOOST_TEST(max_abs_diff(out[1].value(), expected[1]) <= 1e-12);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(forward_matches_the_plain_reference_of_the_layouts) {
  // The double loop of gru_reference.hpp, written before any engine, as a second witness.
  const FusedProblem p =
      random_problem(config_of(ResetGateMode::before_multiplication, "hard_sigmoid", "softsign"), 3,
                     6, 5, 21, FusedProblemOptions{true, true, true, false, false}, 3);
  GruOptions options(p.units);
  options.reset_gate_mode(ResetGateMode::before_multiplication)
      .recurrent_activation("hard_sigmoid")
      .activation("softsign");
  const GruWeights w{p.kernel, p.recurrent_kernel, p.bias, p.recurrent_bias};
  const testing::ReferenceGruOutput expected =
      testing::reference_gru_forward(w, options, p.x, p.h0, p.mask);
  const std::vector<Value> out = testing::run_fused(p);
  BOOST_TEST(max_abs_diff(out[0].value(), expected.sequence_output) <= 1e-12);
  BOOST_TEST(max_abs_diff(out[1].value(), expected.final_state) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(every_activation_pair_and_dropout_match_the_reference) {
  for (ResetGateMode mode : kModes) {
    for (const std::string& gate : gru_activation_names()) {
      for (const std::string& state : gru_activation_names()) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", " << gate << ", " << state) {
          FusedProblemOptions o;
          o.input_dropout = o.recurrent_dropout = true;
          const FusedProblem p = random_problem(config_of(mode, gate, state), 3, 4, 3, 5, o, 9);
          const std::vector<Value> out = testing::run_fused(p);
          const std::vector<Tensor> expected = testing::reference_fused_forward(p);
          // Unbounded gate activations (linear, relu, elu, ...) let the state grow: relative.
          BOOST_TEST(scaled_error(out[0].value(), expected[0]) <= 1e-12);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
