#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/basic/flatten.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(flatten_test)

BOOST_AUTO_TEST_CASE(keeps_the_batch_axis_and_row_major_order) {
  Flatten flatten;
  const Tensor x = random_tensor({2, 3, 4}, 1);
  const Tensor y = flatten(Value(x)).value();
  BOOST_TEST((y.shape() == Shape{2, 12}));
  BOOST_TEST(y.to_vector() == x.to_vector());
  BOOST_TEST((flatten(Value(Tensor::zeros({5}))).shape() == Shape{5, 1}));
  BOOST_TEST((flatten(Value(Tensor::zeros({0, 3}))).shape() == Shape{0, 3}));
  BOOST_TEST(!flatten.output_mask(Value(x), Tensor::ones({2, 3})).defined());
}

BOOST_AUTO_TEST_CASE(gradients) {
  Flatten flatten;
  testing::require_gradients([&](const std::vector<Value>& v) { return flatten(v[0]); },
                             {random_tensor({2, 3, 2, 2}, 2)});
}

BOOST_AUTO_TEST_CASE(errors_and_json) {
  Flatten flatten;
  flatten.set_name("flat");
  require_error<ShapeError>([&] { flatten(Value(Tensor::scalar(1.0))); },
                            {"flat", "a batch axis", "got ()"});
  const nlohmann::json json = flatten.to_json();
  BOOST_TEST(json.at("type") == "flatten");
  BOOST_TEST(Flatten::from_json(json)->to_json() == json);
  require_error<ValueError>(
      [] {
        Flatten::from_json({{"type", "flatten"}, {"x", 1}});
      },
      {"Flatten::from_json", "unknown key \"x\""});
}

BOOST_AUTO_TEST_SUITE_END()
