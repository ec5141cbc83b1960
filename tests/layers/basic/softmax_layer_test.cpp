#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/softmax_layer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(softmax_layer_test)

BOOST_AUTO_TEST_CASE(normalises_along_the_axis) {
  const Tensor x = random_tensor({2, 3, 4}, 1, -3, 3);
  // Last axis: each run of 4 sums to 1, e^x_i / sum e^x.
  const Tensor last = Softmax()(Value(x)).value();
  for (std::size_t row = 0; row < 6; ++row) {
    double total = 0;
    for (std::size_t j = 0; j < 4; ++j) total += std::exp(x.flat(row * 4 + j));
    for (std::size_t j = 0; j < 4; ++j) {
      BOOST_TEST(last.flat(row * 4 + j) == std::exp(x.flat(row * 4 + j)) / total,
                 boost::test_tools::tolerance(1e-14));
    }
  }
  // Axis 1: the 3 elements x[b, :, j].
  Softmax middle(1);
  const Tensor y = middle(Value(x)).value();
  for (std::size_t b = 0; b < 2; ++b) {
    for (std::size_t j = 0; j < 4; ++j) {
      double total = 0;
      for (std::size_t t = 0; t < 3; ++t) total += std::exp(x.flat(b * 12 + t * 4 + j));
      for (std::size_t t = 0; t < 3; ++t) {
        BOOST_TEST(y.flat(b * 12 + t * 4 + j) == std::exp(x.flat(b * 12 + t * 4 + j)) / total,
                   boost::test_tools::tolerance(1e-14));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gradients) {
  for (long axis : {-1L, 0L, 1L}) {
    Softmax layer(axis);
    testing::require_gradients([&](const std::vector<Value>& v) { return layer(v[0]); },
                               {random_tensor({2, 3, 4}, 2, -2, 2)});
  }
}

BOOST_AUTO_TEST_CASE(axis_errors_and_json) {
  Softmax layer(3);
  layer.set_name("probs");
  require_error<ShapeError>(
      [&] {
        layer(Value(Tensor::zeros({2, 3})));
      },
      {"probs", "an axis in [-2, 2)", "got 3 for rank 2"});
  const nlohmann::json json = layer.to_json();
  BOOST_TEST(json.at("axis") == 3);
  BOOST_TEST(Softmax::from_json(json)->axis() == 3);
  BOOST_TEST(Softmax::from_json(json)->to_json() == json);
  BOOST_TEST(Softmax::from_json({{"type", "softmax"}})->axis() == -1);
  require_error<ValueError>(
      [] {
        Softmax::from_json({{"type", "softmax"}, {"axis", 1.5}});
      },
      {"key \"axis\"", "an integer", "got the number 1.5"});
}

BOOST_AUTO_TEST_SUITE_END()
