#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/input_layer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(input_layer_test)

BOOST_AUTO_TEST_CASE(sequence_input_takes_any_number_of_timesteps) {
  auto input = sequence_input(3);
  BOOST_TEST(input->name().rfind("input_", 0) == 0u);
  BOOST_TEST(shape_pattern_to_string(input->batch_shape()) == "(None, None, 3)");
  for (std::size_t timesteps : {1, 5, 9}) {
    const Tensor x = testing::random_tensor({2, timesteps, 3}, timesteps, -1, 1, DType::float32);
    const Value y = (*input)(Value(x));
    BOOST_TEST(testing::bitwise_equal(y.value(), x));
  }
  const Tensor mask = Tensor::ones({2, 4});
  BOOST_TEST(input->output_mask(Value(Tensor::zeros({2, 4, 3})), mask).defined());
}

BOOST_AUTO_TEST_CASE(the_gradient_passes_unchanged) {
  auto input = std::make_shared<InputLayer>(ShapePattern{4}, DType::float64);
  testing::require_gradients([&](const std::vector<Value>& v) { return (*input)(v[0]); },
                             {testing::random_tensor({3, 4}, 1)});
}

BOOST_AUTO_TEST_CASE(wrong_shapes_and_dtypes_are_named) {
  auto input = sequence_input(3);
  input->set_name("tokens");
  require_error<ShapeError>(
      [&] {
        (*input)(Value(Tensor::zeros({2, 5, 4})));
      },
      {"tokens", "inputs of shape (batch, None, 3)", "got (2, 5, 4)"});
  require_error<ShapeError>(
      [&] {
        (*input)(Value(Tensor::zeros({2, 3})));
      },
      {"tokens", "(batch, None, 3)", "got (2, 3)"});
  require_error<ValueError>(
      [&] {
        (*input)(Value(Tensor::zeros({2, 5, 3}, DType::float64)));
      },
      {"tokens", "float32 inputs", "got float64"});
  auto fixed = sequence_input(3, 5, DType::float64);
  require_error<ShapeError>(
      [&] {
        (*fixed)(Value(Tensor::zeros({1, 6, 3}, DType::float64)));
      },
      {"(batch, 5, 3)", "got (1, 6, 3)"});
  auto scalar = std::make_shared<InputLayer>(ShapePattern{});
  BOOST_TEST(((*scalar)(Value(Tensor::zeros({4}))).shape() == Shape{4}));
  require_error<ShapeError>(
      [&] {
        (*scalar)(Value(Tensor::zeros({4, 1})));
      },
      {"inputs of shape (batch)", "got (4, 1)"});
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  auto input = sequence_input(8, std::nullopt, DType::float64);
  input->set_name("seq");
  const nlohmann::json json = input->to_json();
  BOOST_TEST(json.at("type") == "input");
  BOOST_TEST(json.at("shape").dump() == "[null,8]");
  BOOST_TEST(json.at("dtype") == "float64");
  auto back = InputLayer::from_json(json);
  BOOST_TEST(back->name() == "seq");
  BOOST_TEST(back->dtype() == DType::float64);
  BOOST_TEST(back->to_json() == json);
  // The flags that belong to a model travel with it.
  input->set_lda_coeff(-0.5);
  input->set_update(false);
  auto flagged = InputLayer::from_json(input->to_json());
  BOOST_TEST(flagged->flags().lda_coeff == -0.5);
  BOOST_TEST(!flagged->flags().update);
}

BOOST_AUTO_TEST_CASE(json_errors_name_the_key) {
  const nlohmann::json good = sequence_input(2)->to_json();
  auto with = [&](const std::string& key, const nlohmann::json& value) {
    nlohmann::json json = good;
    json[key] = value;
    return json;
  };
  require_error<ValueError>(
      [&] { InputLayer::from_json(with("shape", 3)); },
      {"key \"shape\"", "an array of non-negative integers and nulls", "the number 3"});
  require_error<ValueError>(
      [&] {
        InputLayer::from_json(with("shape", {2, -1}));
      },
      {"key \"shape\"", "an array holding the number -1"});
  require_error<ValueError>([&] { InputLayer::from_json(with("dtype", "int8")); },
                            {"key \"dtype\"", "\"int8\""});
  require_error<ValueError>([&] { InputLayer::from_json(with("type", "dense")); },
                            {"key \"type\"", "expected \"input\"", "got \"dense\""});
  require_error<ValueError>([&] { InputLayer::from_json(with("extra", 1)); },
                            {"InputLayer::from_json", "unknown key \"extra\""});
  require_error<ValueError>([&] { InputLayer::from_json(with("name", "")); },
                            {"key \"name\"", "non-empty"});
  require_error<ValueError>([&] { InputLayer::from_json(with("lda_coeff", NAN)); },
                            {"key \"lda_coeff\"", "a finite number", "got nan"});
  require_error<ValueError>([&] { InputLayer::from_json(with("lda_coeff", "x")); },
                            {"key \"lda_coeff\"", "a number"});
}

BOOST_AUTO_TEST_SUITE_END()
