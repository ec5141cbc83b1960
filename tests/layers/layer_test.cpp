#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/tape.hpp"
#include "layers/layer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

// y = x * w with w of shape (features): the smallest layer that has a parameter.
class ScaleLayer : public Layer {
 public:
  ScaleLayer() : Layer("scale") {}
  Value forward(const Value& input) override { return input * parameter("w"); }
  nlohmann::json to_json() const override { return {{"type", "scale"}}; }

 protected:
  void build_parameters(const Shape& input_shape, DType dtype) override {
    register_parameter("w", Tensor::full({input_shape.back()}, 3.0, dtype));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_test)

BOOST_AUTO_TEST_CASE(names_are_prefix_and_unique_index) {
  ScaleLayer a, b;
  BOOST_TEST(a.name().rfind("scale_", 0) == 0u);
  BOOST_TEST(a.name() != b.name());
  a.set_name("mine");
  BOOST_TEST(a.name() == "mine");
  testing::require_error<ValueError>([&] { a.set_name(""); }, {"set_name", "non-empty"});
}

BOOST_AUTO_TEST_CASE(a_prefix_can_be_set) {
  ScaleLayer a;
  BOOST_TEST(a.type() == "scale");
  a.set_prefix("encoder");
  BOOST_TEST(a.prefix() == "encoder");
  BOOST_TEST(a.name().rfind("encoder_", 0) == 0u);
  ScaleLayer b;
  b.set_prefix("encoder");
  BOOST_TEST(a.name() != b.name());
  // The kind stays, and an explicit name is kept.
  BOOST_TEST(a.type() == "scale");
  BOOST_TEST(a.describe().find(" (scale): ") != std::string::npos);
  b.set_name("fixed");
  b.set_prefix("decoder");
  BOOST_TEST(b.name() == "fixed");
  BOOST_TEST(b.prefix() == "decoder");
  testing::require_error<ValueError>([&] { a.set_prefix(""); }, {"set_prefix", "non-empty"});
}

BOOST_AUTO_TEST_CASE(builds_from_the_first_input) {
  ScaleLayer layer;
  BOOST_TEST(!layer.built());
  Value y = layer(Value(Tensor::ones({2, 4}, DType::float64)));
  BOOST_TEST(layer.built());
  BOOST_TEST((layer.parameter("w").shape() == Shape{4}));
  BOOST_TEST(layer.parameter_count() == 4u);
  BOOST_TEST(y.value().flat(0) == 3.0);
  testing::require_error<ValueError>([&] { layer.parameter("v"); }, {"parameter", "[w]", "\"v\""});
}

BOOST_AUTO_TEST_CASE(store_keeps_the_last_gradient) {
  ScaleLayer layer;
  layer.set_store(true);
  const Tensor x = Tensor::from_values({1, 2}, {2, 5}, DType::float64);
  layer(Value(x)).backward(Tensor::ones({1, 2}, DType::float64));
  const auto stored = layer.stored_gradients();
  BOOST_TEST(stored.count("w") == 1u);
  BOOST_TEST(stored.at("w").flat(1) == 5.0);
  BOOST_TEST(testing::bitwise_equal(stored.at("w"), layer.parameter("w").grad()));
}

BOOST_AUTO_TEST_CASE(without_store_nothing_is_kept) {
  ScaleLayer layer;
  layer(Value(Tensor::ones({1, 2}, DType::float64))).backward(Tensor::ones({1, 2}, DType::float64));
  BOOST_TEST(layer.stored_gradients().empty());
}

BOOST_AUTO_TEST_CASE(lda_coeff_scales_the_gradient_to_the_input) {
  ScaleLayer layer;
  layer.set_lda_coeff(0.5);
  Value x(Tensor::from_values({1, 2}, {2, 5}, DType::float64), true);
  layer(x).backward(Tensor::ones({1, 2}, DType::float64));
  // dy/dx = w = 3, halved; the parameter's own gradient is not scaled.
  BOOST_TEST(x.grad().flat(0) == 1.5);
  BOOST_TEST(layer.parameter("w").grad().flat(1) == 5.0);
}

BOOST_AUTO_TEST_CASE(training_off_records_nothing) {
  ScaleLayer layer;
  layer.set_training(false);
  Value x(Tensor::ones({1, 2}, DType::float64), true);
  const std::size_t before = current_tape().size();
  Value y = layer(x);
  BOOST_TEST(current_tape().size() == before);
  BOOST_TEST(!y.requires_grad());
}

BOOST_AUTO_TEST_SUITE_END()
