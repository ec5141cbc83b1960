// The GRU's states: stateful calls, the resets, stored initial states and explicit ones.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/reduce.hpp"
#include "layers/gru/gru.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::max_abs_diff;
using testing::random_tensor;
using testing::require_error;

namespace {

const Tensor x = random_tensor({2, 6, 3}, 1);

Tensor step_range(const Tensor& t, std::size_t begin, std::size_t count) {
  return narrow(Value(t), 1, begin, count).value();
}

GruOptions state_options(std::size_t depth = 1) {
  return GruOptions(4).return_sequences(true).depth(depth).seed(2);
}

// A non-stateful layer with the same weights as the stateful one (the same seed) started from
// `states` (zeros when empty).
GruResult fresh(const Tensor& input, const std::vector<Tensor>& states = {},
                std::size_t depth = 1) {
  Gru layer(state_options(depth));
  GruInputs inputs;
  for (const Tensor& state : states) inputs.initial_states.emplace_back(state);
  return layer.run(Value(input), inputs);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_state_test)

BOOST_AUTO_TEST_CASE(two_stateful_halves_equal_one_whole_call) {
  for (std::size_t depth : {1, 2}) {
    Gru layer(state_options(depth).stateful(true));
    const GruResult first = layer.run(Value(step_range(x, 0, 3)));
    BOOST_TEST(layer.states().size() == depth);
    const GruResult second = layer.run(Value(step_range(x, 3, 3)));
    const GruResult whole = fresh(x, {}, depth);
    BOOST_TEST(max_abs_diff(first.output.value(), step_range(whole.output.value(), 0, 3)) == 0.0);
    BOOST_TEST(max_abs_diff(second.output.value(), step_range(whole.output.value(), 3, 3)) <= 1e-15);
    for (std::size_t k = 0; k < depth; ++k) {
      BOOST_TEST(max_abs_diff(second.states[k].value(), whole.states[k].value()) <= 1e-15);
      BOOST_TEST(bitwise_equal(layer.states()[k], second.states[k].value()));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_layer_that_is_not_stateful_carries_nothing) {
  Gru layer(state_options());
  const GruResult a = layer.run(Value(x)), b = layer.run(Value(x));
  BOOST_TEST(layer.states().empty());
  BOOST_TEST(bitwise_equal(a.output.value(), b.output.value()));
}

BOOST_AUTO_TEST_CASE(a_stateful_batch_is_fixed_until_reset_states) {
  Gru layer(state_options().stateful(true).name("enc"));
  layer.run(Value(x));
  require_error<ShapeError>(
      [&] {
        layer.run(Value(random_tensor({3, 2, 3}, 4)));
      },
      {"enc: expected a batch of 2", "reset_states()", "got a batch of 3"});
  layer.reset_states();
  BOOST_TEST(layer.states().empty());
  const GruResult other = layer.run(Value(random_tensor({3, 2, 3}, 4)));
  BOOST_TEST(
      bitwise_equal(other.output.value(), fresh(random_tensor({3, 2, 3}, 4)).output.value()));
}

BOOST_AUTO_TEST_CASE(an_explicit_initial_state_overrides_the_carried_one) {
  Gru layer(state_options().stateful(true));
  layer.run(Value(x));
  const Tensor h0 = random_tensor({2, 4}, 5);
  GruInputs inputs;
  inputs.initial_states = {Value(h0)};
  BOOST_TEST(
      bitwise_equal(layer.run(Value(x), inputs).output.value(), fresh(x, {h0}).output.value()));
}

BOOST_AUTO_TEST_CASE(reset_states_to_zeros_and_to_given_values) {
  Gru layer(state_options().stateful(true));
  layer.run(Value(x));
  layer.reset_states({Tensor::zeros({2, 4}, DType::float64)});
  BOOST_TEST(layer.states().size() == 1u);
  BOOST_TEST(bitwise_equal(layer.states()[0], Tensor::zeros({2, 4}, DType::float64)));
  BOOST_TEST(bitwise_equal(layer.run(Value(x)).output.value(), fresh(x).output.value()));
  const Tensor h0 = random_tensor({2, 4}, 6);
  layer.reset_states({h0});
  BOOST_TEST(bitwise_equal(layer.run(Value(x)).output.value(), fresh(x, {h0}).output.value()));
}

BOOST_AUTO_TEST_CASE(a_per_sample_reset_restarts_only_the_marked_samples) {
  Gru reset(state_options().stateful(true)), running(state_options().stateful(true));
  const Tensor stored = random_tensor({4}, 7);
  reset.set_initial_states({stored});
  running.set_initial_states({stored});
  reset.run(Value(x));
  running.run(Value(x));
  reset.reset_samples(Tensor::from_values({2}, {1, 0}, DType::float64));
  const Tensor next = random_tensor({2, 6, 3}, 8);
  const Tensor restarted = reset.run(Value(next)).output.value();
  const Tensor continued = running.run(Value(next)).output.value();
  const Tensor started = fresh(next, {broadcast_to(stored, {2, 4})}).output.value();
  BOOST_TEST(
      bitwise_equal(select(Value(restarted), 0, 0).value(), select(Value(started), 0, 0).value()));
  BOOST_TEST(bitwise_equal(select(Value(restarted), 0, 1).value(),
                           select(Value(continued), 0, 1).value()));
}

BOOST_AUTO_TEST_CASE(stored_initial_states_per_unit_or_per_sample) {
  const Tensor per_unit = random_tensor({4}, 9), per_sample = random_tensor({2, 4}, 10);
  Gru layer(state_options());
  layer.set_initial_states({per_unit});
  BOOST_TEST(bitwise_equal(layer.run(Value(x)).output.value(),
                           fresh(x, {broadcast_to(per_unit, {2, 4})}).output.value()));
  layer.set_initial_states({per_sample});
  BOOST_TEST(
      bitwise_equal(layer.run(Value(x)).output.value(), fresh(x, {per_sample}).output.value()));
  layer.set_initial_states({});
  BOOST_TEST(bitwise_equal(layer.run(Value(x)).output.value(), fresh(x).output.value()));
}

// MATLAB's resetState: back to the stored initial state, not to zeros.
BOOST_AUTO_TEST_CASE(reset_states_returns_to_the_stored_initial_state) {
  const Tensor stored = random_tensor({4}, 11);
  Gru layer(state_options().stateful(true));
  layer.set_initial_states({stored});
  const Tensor first = layer.run(Value(x)).output.value();
  BOOST_TEST(!bitwise_equal(layer.run(Value(x)).output.value(), first));
  layer.reset_states();
  BOOST_TEST(bitwise_equal(layer.run(Value(x)).output.value(), first));
}

BOOST_AUTO_TEST_CASE(bad_states_name_the_layer_and_what_came) {
  Gru layer(state_options(2).stateful(true).name("enc"));
  require_error<ValueError>([&] { layer.set_initial_states({Tensor::zeros({4})}); },
                            {"enc: set_initial_states", "2 states (one per level)", "got 1"});
  require_error<ShapeError>(
      [&] {
        layer.set_initial_states({Tensor::zeros({4}), Tensor::zeros({3})});
      },
      {"enc: set_initial_states: state 2", "(4) or (batch, 4)", "got (3)"});
  require_error<ValueError>(
      [&] {
        layer.reset_states({Tensor::zeros({2, 4})});
      },
      {"enc: reset_states", "a built layer"});
  layer.run(Value(x));
  require_error<ValueError>(
      [&] {
        layer.reset_states({Tensor::zeros({2, 4})});
      },
      {"enc: reset_states", "2 states", "got 1"});
  require_error<ShapeError>(
      [&] {
        layer.reset_states({Tensor::zeros({2, 4}), Tensor::zeros({2, 5})});
      },
      {"enc: reset_states: state 2", "(2, 4)", "(2, 5)"});
  require_error<ShapeError>(
      [&] {
        layer.reset_states({Tensor::zeros({2, 4}), Tensor::zeros({3, 4})});
      },
      {"enc: reset_states: state 2", "the batch of state 1, 2", "(3, 4)"});
  require_error<ShapeError>([&] { layer.reset_samples(Tensor::ones({3})); },
                            {"enc: reset_samples: samples", "(2)", "(3)"});
  require_error<ValueError>(
      [&] {
        layer.reset_samples(Tensor::from_values({2}, {1, 0.5}));
      },
      {"enc: reset_samples: samples", "values 0 and 1", "got 0.5"});
  Gru stored(state_options().name("dec"));
  stored.set_initial_states({Tensor::zeros({3, 4})});
  require_error<ShapeError>([&] { stored.run(Value(x)); },
                            {"dec: stored initial state", "(2, 4) for this batch", "got (3, 4)"});
}

BOOST_AUTO_TEST_SUITE_END()
