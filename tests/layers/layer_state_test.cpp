// What a layer records for model files and checkpoints: the input it was built for, and the
// states of the generators it and its sublayers own.
#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(layer_state_test)

BOOST_AUTO_TEST_CASE(the_built_input_is_recorded) {
  Dense dense(DenseOptions(2));
  BOOST_TEST(dense.built_input_shape().empty());
  dense(Value(Tensor::zeros({5, 3}, DType::float64)));
  BOOST_TEST((dense.built_input_shape() == Shape{5, 3}));
  BOOST_TEST(dense.built_dtype() == DType::float64);
  // Once built, later inputs do not change it.
  dense(Value(Tensor::zeros({7, 3}, DType::float64)));
  BOOST_TEST((dense.built_input_shape() == Shape{5, 3}));
}

BOOST_AUTO_TEST_CASE(seeded_layers_list_their_generators_by_path) {
  auto seeded = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  auto unseeded = std::make_shared<Dropout>(DropoutOptions(0.5));
  auto gru = std::make_shared<Gru>(GruOptions(2).dropout(0.5).seed(2));
  Sequential model;
  model.add(seeded).add(unseeded).add(gru);
  const auto states = model.random_states();
  // An unseeded dropout draws from default_random(), which is not the layer's to list.
  BOOST_TEST(states.size() == 2u);
  BOOST_TEST(states.at(seeded->name() + ".masks") == Random(1).state());
  BOOST_TEST(states.at(gru->name() + ".dropout_masks") ==
             Random(2 ^ 0x9E3779B97F4A7C15ull).state());
  BOOST_TEST(Dense(DenseOptions(1).seed(3)).random_states().empty());
}

BOOST_AUTO_TEST_CASE(restored_states_repeat_the_draws) {
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  Sequential model;
  model.add(dropout);
  const Value x(Tensor::ones({4, 8}));
  model(x);
  const auto saved = model.random_states();
  const Tensor first = model(x).value();
  model(x);
  model.set_random_states(saved);
  BOOST_TEST(testing::bitwise_equal(model(x).value(), first));
}

BOOST_AUTO_TEST_CASE(restoring_checks_names_and_states_first) {
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  Sequential model;
  model.set_name("m");
  model.add(dropout);
  const std::string key = dropout->name() + ".masks";
  require_error<ValueError>([&] { model.set_random_states({}); },
                            {"m: set_random_states", "a state for \"" + key + "\"", "none"});
  auto states = model.random_states();
  states["other.masks"] = Random(3).state();
  require_error<ValueError>([&] { model.set_random_states(states); },
                            {"m: set_random_states", "\"other.masks\""});
  const std::string before = model.random_states().at(key);
  require_error<ValueError>(
      [&] {
        model.set_random_states({{key, "not a state"}});
      },
      {"m: set_random_states: \"" + key + "\"", "Random::set_state"});
  BOOST_TEST(model.random_states().at(key) == before);
}

BOOST_AUTO_TEST_SUITE_END()
