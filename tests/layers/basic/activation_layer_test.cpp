#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/activation_layer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(activation_layer_test)

BOOST_AUTO_TEST_CASE(values_match_closed_forms) {
  const Tensor x = random_tensor({3, 4}, 1, -3, 3);
  const std::vector<std::pair<std::string, double (*)(double)>> cases = {
      {"tanh", [](double v) { return std::tanh(v); }},
      {"sigmoid", [](double v) { return 1 / (1 + std::exp(-v)); }},
      {"relu", [](double v) { return v > 0 ? v : 0.0; }},
      {"softplus", [](double v) { return std::log1p(std::exp(v)); }},
      {"linear", [](double v) { return v; }},
  };
  for (const auto& [name, reference] : cases) {
    Activation layer(name);
    const Tensor y = layer(Value(x)).value();
    BOOST_TEST_CONTEXT(name) {
      for (std::size_t i = 0; i < x.size(); ++i) {
        BOOST_TEST(y.flat(i) == reference(x.flat(i)), boost::test_tools::tolerance(1e-14));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gradients_and_masks) {
  for (const std::string name : {"tanh", "sigmoid", "elu", "selu", "gelu", "softsign", "softmax"}) {
    BOOST_TEST_CONTEXT(name) {
      Activation layer(name);
      testing::require_gradients([&](const std::vector<Value>& v) { return layer(v[0]); },
                                 {random_tensor({2, 3, 4}, 2, -2, 2)});
    }
  }
  Activation layer("tanh");
  const Tensor mask = Tensor::ones({2, 3});
  BOOST_TEST(
      testing::bitwise_equal(layer.output_mask(Value(Tensor::zeros({2, 3, 4})), mask), mask));
}

BOOST_AUTO_TEST_CASE(unknown_names_list_the_known_ones_and_json) {
  require_error<ValueError>([] { Activation{"swish2"}; },
                            {"Activation", "one of", "sigmoid", "tanh", "got \"swish2\""});
  Activation layer("relu");
  const nlohmann::json json = layer.to_json();
  BOOST_TEST(json.at("activation") == "relu");
  BOOST_TEST(Activation::from_json(json)->to_json() == json);
  require_error<ValueError>(
      [] {
        Activation::from_json({{"type", "activation"}});
      },
      {"the key \"activation\""});
  require_error<ValueError>(
      [] {
        Activation::from_json({{"type", "activation"}, {"activation", "nope"}});
      },
      {"Activation", "\"nope\""});
}

BOOST_AUTO_TEST_SUITE_END()
