#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/basic/reshape.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(reshape_test)

BOOST_AUTO_TEST_CASE(target_shapes_with_and_without_inference) {
  const Tensor x = random_tensor({2, 12}, 1);
  Reshape explicit_shape({3, 4}), inferred({-1, 2}), middle({2, -1, 3});
  const Tensor a = explicit_shape(Value(x)).value();
  BOOST_TEST((a.shape() == Shape{2, 3, 4}));
  BOOST_TEST(a.to_vector() == x.to_vector());
  BOOST_TEST((inferred(Value(x)).shape() == Shape{2, 6, 2}));
  BOOST_TEST((middle(Value(x)).shape() == Shape{2, 2, 2, 3}));
  BOOST_TEST(!middle.output_mask(Value(x), Tensor::ones({2, 12})).defined());
}

BOOST_AUTO_TEST_CASE(gradients) {
  Reshape reshape({-1});
  testing::require_gradients([&](const std::vector<Value>& v) { return reshape(v[0]); },
                             {random_tensor({3, 2, 2}, 2)});
}

BOOST_AUTO_TEST_CASE(errors) {
  require_error<ValueError>(
      [] {
        Reshape({-1, -1});
      },
      {"Reshape", "at most one -1", "got (-1, -1)"});
  require_error<ValueError>([] { Reshape({2, -3}); }, {"Reshape", "got (2, -3)"});
  Reshape reshape({5, -1});
  reshape.set_name("r");
  require_error<ShapeError>(
      [&] {
        reshape(Value(Tensor::zeros({2, 12})));
      },
      {"r", "fit the target shape (5, -1)", "got (2, 12)"});
  Reshape exact({3, 3});
  require_error<ShapeError>(
      [&] {
        exact(Value(Tensor::zeros({2, 12})));
      },
      {"(3, 3)", "got (2, 12)"});
  Reshape zero({0, -1});
  require_error<ShapeError>([&] { zero(Value(Tensor::zeros({2, 0}))); }, {"(0, -1)"});
  require_error<ShapeError>([&] { exact(Value(Tensor::scalar(1.0))); }, {"a batch axis", "got ()"});
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  Reshape reshape({4, -1, 2});
  const nlohmann::json json = reshape.to_json();
  BOOST_TEST(json.at("target_shape").dump() == "[4,-1,2]");
  auto back = Reshape::from_json(json);
  BOOST_TEST(back->target_shape() == (std::vector<long>{4, -1, 2}));
  BOOST_TEST(back->to_json() == json);
  require_error<ValueError>(
      [] {
        Reshape::from_json({{"type", "reshape"}, {"target_shape", {1, "a"}}});
      },
      {"key \"target_shape\"", "an array of integers"});
  require_error<ValueError>(
      [] {
        Reshape::from_json({{"type", "reshape"}});
      },
      {"the key \"target_shape\""});
}

BOOST_AUTO_TEST_SUITE_END()
