// The GRU layer on either engine against the golden cases of tests/data/golden: forward and every
// gradient, in float64 (absolute error 1e-10) and float32 (1e-5 relative to the largest expected
// magnitude).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "autodiff/tape.hpp"
#include "layers/gru/gru.hpp"
#include "tests/golden_cases.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

struct Errors {
  double worst_absolute = 0;
  double worst_relative = 0;
};

// |a - b| at its largest, and that over the largest |b| (the tensor's scale).
void compare(Errors& errors, const std::string& what, const Tensor& got, const Tensor& expected) {
  BOOST_REQUIRE_MESSAGE(got.defined(), what << ": no value");
  BOOST_REQUIRE_MESSAGE(got.shape() == expected.shape(),
                        what << ": shape " << shape_to_string(got.shape()) << ", expected "
                             << shape_to_string(expected.shape()));
  double scale = 0;
  for (double v : expected.to_vector()) scale = std::max(scale, std::abs(v));
  const double absolute = testing::max_abs_diff(got.to(DType::float64), expected);
  const double relative = absolute / std::max(scale, 1e-30);
  BOOST_TEST_MESSAGE("  " << what << ": max abs error " << absolute << ", relative " << relative);
  errors.worst_absolute = std::max(errors.worst_absolute, absolute);
  errors.worst_relative = std::max(errors.worst_relative, relative);
}

GruWeights converted(const GruWeights& w, DType dtype) {
  const auto to = [dtype](const Tensor& t) { return t.defined() ? t.to(dtype) : Tensor(); };
  return {to(w.kernel), to(w.recurrent_kernel), to(w.bias), to(w.recurrent_bias)};
}

GruWeights parameter_grads(const Gru& layer) {
  const auto grad = [&](const char* name) {
    for (const auto& [existing, value] : layer.named_parameters())
      if (existing == name) return value.grad();
    return Tensor();
  };
  return {grad("kernel"), grad("recurrent_kernel"), grad("bias"), grad("recurrent_bias")};
}

constexpr GruEngine kEngines[] = {GruEngine::composite, GruEngine::fused};

// Runs case `c` through a Gru layer on `engine` in `dtype` and returns the worst forward and
// gradient errors.
std::pair<Errors, Errors> run_case(const testing::GoldenCase& c, GruEngine engine, DType dtype) {
  Gru layer(GruOptions(c.options).engine(engine));
  layer.set_weights(converted(testing::golden_to_internal(c, c.weights), dtype));
  const Value x(c.input.to(dtype), true), h0(c.initial_state.to(dtype), true);
  GruInputs inputs;
  inputs.initial_states = {h0};
  if (c.mask.defined()) inputs.mask = c.mask;
  GruResult result = layer.run(x, inputs);
  BOOST_TEST((layer.engine_used() == engine));

  Errors forward, backward;
  compare(forward, "sequence_output", result.output.value(), c.sequence_output);
  compare(forward, "final_state", result.states.at(0).value(), c.final_state);
  // loss = sum(sequence_output * g_seq) + sum(final_state * g_final): one seeded backward per term.
  result.output.backward(c.grad_sequence_output.to(dtype), true);
  result.states[0].backward(c.grad_final_state.to(dtype));
  compare(backward, "grad_input", x.grad(), c.grad_input);
  compare(backward, "grad_initial_state", h0.grad(), c.grad_initial_state);
  const auto grads = testing::internal_to_golden(c, parameter_grads(layer));
  BOOST_TEST(grads.size() == c.grad_weights.size());
  for (const auto& [name, expected] : c.grad_weights) {
    const auto found = grads.find(name);
    BOOST_REQUIRE_MESSAGE(found != grads.end(), "no gradient for " << name);
    compare(backward, "grad " + name, found->second, expected);
  }
  return {forward, backward};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_golden_test)

BOOST_AUTO_TEST_CASE(every_golden_case_on_both_engines_in_float64_within_1e_10) {
  for (GruEngine engine : kEngines) {
    for (const std::string& name : testing::golden_case_names()) {
      const std::string what = "golden " + name + " float64, " + engine_name(engine) + " engine";
      BOOST_TEST_MESSAGE(what);
      const auto [forward, backward] =
          run_case(testing::load_golden_case(name), engine, DType::float64);
      BOOST_TEST_MESSAGE(what << ": forward " << forward.worst_absolute << ", gradients "
                              << backward.worst_absolute);
      BOOST_TEST(forward.worst_absolute <= 1e-10, what);
      BOOST_TEST(backward.worst_absolute <= 1e-10, what);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_golden_case_on_both_engines_in_float32_within_1e_5_relative) {
  for (GruEngine engine : kEngines) {
    for (const std::string& name : testing::golden_case_names()) {
      const std::string what = "golden " + name + " float32, " + engine_name(engine) + " engine";
      BOOST_TEST_MESSAGE(what);
      const auto [forward, backward] =
          run_case(testing::load_golden_case(name), engine, DType::float32);
      BOOST_TEST_MESSAGE(what << ": forward " << forward.worst_relative << ", gradients "
                              << backward.worst_relative << " relative");
      BOOST_TEST(forward.worst_relative <= 1e-5, what);
      BOOST_TEST(backward.worst_relative <= 1e-5, what);
    }
  }
}

// Inference (training off) computes the same forward and records nothing on the tape.
BOOST_AUTO_TEST_CASE(inference_matches_and_records_nothing) {
  const testing::GoldenCase c = testing::load_golden_case("pytorch_basic");
  for (GruEngine engine : kEngines) {
    Gru layer(GruOptions(c.options).engine(engine));
    layer.set_weights(testing::golden_to_internal(c, c.weights));
    layer.set_training(false);
    const std::size_t before = current_tape().size();
    GruInputs inputs;
    inputs.initial_states = {Value(c.initial_state, true)};
    const GruResult result = layer.run(Value(c.input, true), inputs);
    BOOST_TEST(current_tape().size() == before);
    BOOST_TEST(!result.output.requires_grad());
    BOOST_TEST(testing::max_abs_diff(result.output.value(), c.sequence_output) <= 1e-10);
    const Value last = layer(Value(c.input));
    BOOST_TEST(current_tape().size() == before);
    BOOST_TEST((last.shape() == Shape{3, 5, 6}));
  }
}

BOOST_AUTO_TEST_SUITE_END()
