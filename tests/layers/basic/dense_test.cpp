#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/dense.hpp"
#include "tests/layers/layer_gradients.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

std::shared_ptr<Dense> make_dense(std::size_t units, const std::string& activation,
                                  std::uint64_t seed = 1) {
  return std::make_shared<Dense>(DenseOptions(units)
                                     .activation(activation)
                                     .bias_initializer({"uniform", {{"minval", -1}, {"maxval", 1}}})
                                     .seed(seed));
}

// activation(x W + b) for one row x, written out: the reference for the layer.
std::vector<double> reference_row(const std::vector<double>& x, const Tensor& kernel,
                                  const Tensor& bias, double (*activation)(double)) {
  const std::size_t in = kernel.shape()[0], units = kernel.shape()[1];
  std::vector<double> y(units);
  for (std::size_t u = 0; u < units; ++u) {
    double z = bias.flat(u);
    for (std::size_t i = 0; i < in; ++i) z += x[i] * kernel.flat(i * units + u);
    y[u] = activation(z);
  }
  return y;
}

double identity(double z) {
  return z;
}
double tanh_of(double z) {
  return std::tanh(z);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dense_test)

BOOST_AUTO_TEST_CASE(values_match_the_written_out_product) {
  auto dense = make_dense(2, "tanh");
  const Tensor x = random_tensor({4, 3}, 2);
  const Tensor y = (*dense)(Value(x)).value();
  BOOST_TEST((y.shape() == Shape{4, 2}));
  const Tensor kernel = dense->parameter("kernel").value(), bias = dense->parameter("bias").value();
  BOOST_TEST((kernel.shape() == Shape{3, 2}));
  for (std::size_t b = 0; b < 4; ++b) {
    const std::vector<double> row{x.flat(b * 3), x.flat(b * 3 + 1), x.flat(b * 3 + 2)};
    const std::vector<double> expected = reference_row(row, kernel, bias, tanh_of);
    for (std::size_t u = 0; u < 2; ++u) {
      BOOST_TEST(y.flat(b * 2 + u) == expected[u], boost::test_tools::tolerance(1e-14));
    }
  }
}

BOOST_AUTO_TEST_CASE(applies_to_every_time_step) {
  auto dense = make_dense(5, "linear");
  const Tensor x = random_tensor({2, 4, 3}, 3);
  const Tensor y = (*dense)(Value(x)).value();
  BOOST_TEST((y.shape() == Shape{2, 4, 5}));
  const Tensor kernel = dense->parameter("kernel").value(), bias = dense->parameter("bias").value();
  for (std::size_t step = 0; step < 8; ++step) {
    const std::vector<double> row{x.flat(step * 3), x.flat(step * 3 + 1), x.flat(step * 3 + 2)};
    const std::vector<double> expected = reference_row(row, kernel, bias, identity);
    for (std::size_t u = 0; u < 5; ++u) {
      BOOST_TEST(y.flat(step * 5 + u) == expected[u], boost::test_tools::tolerance(1e-14));
    }
  }
  // Masks pass through a layer applied per step.
  const Tensor mask = Tensor::ones({2, 4}, DType::float64);
  BOOST_TEST(testing::bitwise_equal(dense->output_mask(Value(x), mask), mask));
}

BOOST_AUTO_TEST_CASE(initializers_seed_and_use_bias) {
  auto a = std::make_shared<Dense>(DenseOptions(4).seed(9));
  auto b = std::make_shared<Dense>(DenseOptions(4).seed(9));
  (*a)(Value(Tensor::zeros({1, 6})));
  (*b)(Value(Tensor::zeros({1, 6})));
  BOOST_TEST(
      testing::bitwise_equal(a->parameter("kernel").value(), b->parameter("kernel").value()));
  // glorot_uniform: |w| <= sqrt(6 / (fan_in + fan_out)); the bias starts at zero.
  const Tensor kernel = a->parameter("kernel").value();
  for (std::size_t i = 0; i < kernel.size(); ++i) {
    BOOST_TEST(std::abs(kernel.flat(i)) <= std::sqrt(6.0 / 10.0));
  }
  BOOST_TEST(a->parameter("bias").value().to_vector() == std::vector<double>(4, 0.0));
  BOOST_TEST(a->parameter("kernel").dtype() == DType::float32);

  auto no_bias = std::make_shared<Dense>(DenseOptions(2).use_bias(false));
  (*no_bias)(Value(Tensor::zeros({1, 3})));
  BOOST_TEST(no_bias->parameter_count() == 6u);
  BOOST_TEST(no_bias->named_parameters().size() == 1u);
}

BOOST_AUTO_TEST_CASE(gradients_of_inputs_and_parameters) {
  for (const std::string activation : {"linear", "tanh", "sigmoid", "softmax"}) {
    BOOST_TEST_CONTEXT(activation) {
      auto dense = make_dense(3, activation);
      const Tensor x = random_tensor({2, 4, 5}, 4);
      testing::require_gradients([&](const std::vector<Value>& v) { return (*dense)(v[0]); }, {x});
      testing::require_parameter_gradients(*dense, [&] { return (*dense)(Value(x)); });
    }
  }
  auto no_bias = std::make_shared<Dense>(DenseOptions(2).use_bias(false).seed(3));
  const Tensor x = random_tensor({3, 4}, 5);
  testing::require_parameter_gradients(*no_bias, [&] { return (*no_bias)(Value(x)); });
}

BOOST_AUTO_TEST_CASE(option_errors) {
  require_error<ValueError>([] { Dense{DenseOptions(0)}; }, {"DenseOptions", "units > 0", "0"});
  require_error<ValueError>([] { Dense{DenseOptions(2).activation("bogus")}; },
                            {"activation", "one of", "tanh", "got \"bogus\""});
  require_error<ValueError>([] { Dense{DenseOptions(2).kernel_initializer({"nope"})}; },
                            {"kernel_initializer", "nope"});
  require_error<ValueError>([] { Dense{DenseOptions(2).bias_regularizer({"l3"})}; },
                            {"bias_regularizer", "l1, l2, l1_l2", "\"l3\""});
  require_error<ValueError>(
      [] {
        Dense{DenseOptions(2).kernel_constraint({"max_norm", {{"max_value", -1}}})};
      },
      {"kernel_constraint", "max_value > 0"});
}

BOOST_AUTO_TEST_CASE(input_errors) {
  auto dense = make_dense(2, "linear");
  dense->set_name("head");
  require_error<ShapeError>([&] { (*dense)(Value(Tensor::zeros({3}, DType::float64))); },
                            {"head", "rank >= 2", "got (3)"});
  (*dense)(Value(Tensor::zeros({1, 3}, DType::float64)));
  require_error<ShapeError>(
      [&] {
        (*dense)(Value(Tensor::zeros({2, 4}, DType::float64)));
      },
      {"head", "3 features", "got (2, 4)"});
  require_error<ValueError>(
      [&] {
        (*dense)(Value(Tensor::zeros({2, 3}, DType::float32)));
      },
      {"head", "float64 inputs", "got float32"});
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  Dense dense(DenseOptions(7)
                  .activation("relu")
                  .use_bias(false)
                  .kernel_initializer({"he_normal"})
                  .kernel_regularizer({"l2", {{"l2", 0.001}}})
                  .bias_constraint({"non_neg"})
                  .seed(42));
  dense.set_name("out");
  dense.set_update(false);
  const nlohmann::json json = dense.to_json();
  BOOST_TEST(json.at("type") == "dense");
  BOOST_TEST(json.at("units") == 7);
  BOOST_TEST(json.at("update") == false);
  auto back = Dense::from_json(json);
  BOOST_TEST(back->name() == "out");
  BOOST_TEST(!back->flags().update);
  BOOST_TEST(back->options().kernel_regularizer() == RegularizerSpec("l2", {{"l2", 0.001}}));
  BOOST_TEST(back->options().bias_constraint() == ConstraintSpec("non_neg"));
  BOOST_TEST(back->to_json() == json);
  // Absent keys keep their defaults.
  auto minimal = Dense::from_json({{"type", "dense"}, {"units", 3}});
  BOOST_TEST(minimal->options().activation() == "linear");
  BOOST_TEST(minimal->options().kernel_initializer() == InitializerSpec("glorot_uniform"));
  BOOST_TEST(!minimal->options().seed().has_value());
}

BOOST_AUTO_TEST_CASE(json_errors) {
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}});
      },
      {"Dense::from_json", "the key \"units\""});
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}, {"units", -2}});
      },
      {"key \"units\"", "a non-negative integer"});
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}, {"units", 2}, {"seed", "x"}});
      },
      {"key \"seed\"", "a non-negative integer"});
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}, {"units", 2}, {"kernel_initializer", 1}});
      },
      {"key \"kernel_initializer\"", "a JSON object"});
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}, {"units", 2}, {"activation", "nope"}});
      },
      {"activation", "\"nope\""});
  require_error<ValueError>(
      [] {
        Dense::from_json({{"type", "dense"}, {"units", 2}, {"k", 1}});
      },
      {"unknown key \"k\""});
}

BOOST_AUTO_TEST_SUITE_END()
