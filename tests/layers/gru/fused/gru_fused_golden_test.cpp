// The fused GRU engine against the golden cases of tests/data/golden: forward and every gradient
// (input, initial state, each weight in the case's own layout via the layout converters).

#include <boost/test/unit_test.hpp>

#include <fstream>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "tests/golden_cases.hpp"
#include "tests/layers/gru/fused/gru_fused_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

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

// Runs golden case `name` in `dtype`: forward and every gradient within `tolerance`. Logs the
// worst scaled error.
void check_golden(const std::string& name, DType dtype, double tolerance) {
  double worst = 0;
  const auto scaled_error = [&worst](const Tensor& a, const Tensor& b) {
    const double e = testing::scaled_error(a, b);
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

BOOST_AUTO_TEST_SUITE(gru_fused_golden_test)

BOOST_AUTO_TEST_CASE(golden_cases_float64_within_1e_10) {
  for (const std::string& name : testing::golden_case_names())
    check_golden(name, DType::float64, 1e-10);
}

BOOST_AUTO_TEST_CASE(golden_cases_float32_within_1e_5) {
  for (const std::string& name : testing::golden_case_names())
    check_golden(name, DType::float32, 1e-5);
}

BOOST_AUTO_TEST_SUITE_END()
