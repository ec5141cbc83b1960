#include <boost/test/unit_test.hpp>

#include <cmath>

#include "layers/gru/weights.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(gru_weights_test)

BOOST_AUTO_TEST_CASE(initial_weights_have_the_internal_shapes_of_each_mode) {
  for (auto mode : {ResetGateMode::before_multiplication, ResetGateMode::after_multiplication,
                    ResetGateMode::recurrent_bias_after_multiplication}) {
    for (bool use_bias : {true, false}) {
      const auto o = GruOptions(4).reset_gate_mode(mode).use_bias(use_bias);
      Random random(1);
      const GruWeights w = initialize_gru_weights(o, 3, DType::float64, random);
      BOOST_TEST((w.kernel.shape() == Shape{3, 12}));
      BOOST_TEST((w.recurrent_kernel.shape() == Shape{4, 12}));
      BOOST_TEST(w.bias.defined() == use_bias);
      BOOST_TEST(w.recurrent_bias.defined() == (use_bias && has_recurrent_bias(mode)));
      if (w.bias.defined()) BOOST_TEST((w.bias.shape() == Shape{12}));
      check_gru_weights(w, o, "test");
    }
  }
}

// Keras' defaults: a glorot_uniform kernel within sqrt(6 / (3 + 12)), an orthogonal recurrent
// kernel (rows orthonormal) and zero biases.
BOOST_AUTO_TEST_CASE(keras_preset_draws_glorot_orthogonal_zeros) {
  Random random(2);
  const GruWeights w = initialize_gru_weights(GruOptions(4), 3, DType::float64, random);
  const double limit = std::sqrt(6.0 / 15);
  for (double x : w.kernel.to_vector()) BOOST_TEST(std::abs(x) <= limit);
  const std::vector<double> u = w.recurrent_kernel.to_vector();
  for (std::size_t p = 0; p < 4; ++p)
    for (std::size_t q = 0; q < 4; ++q) {
      double dot = 0;
      for (std::size_t i = 0; i < 12; ++i) dot += u[p * 12 + i] * u[q * 12 + i];
      BOOST_TEST(std::abs(dot - (p == q ? 1.0 : 0.0)) <= 1e-12);
    }
  for (const Tensor& b : {w.bias, w.recurrent_bias})
    for (double x : b.to_vector()) BOOST_TEST(x == 0.0);
}

BOOST_AUTO_TEST_CASE(pytorch_preset_bounds_every_tensor_by_one_over_sqrt_units) {
  Random random(3);
  const auto o = GruOptions(16).preset(InitializerPreset::pytorch);
  const GruWeights w = initialize_gru_weights(o, 5, DType::float64, random);
  for (const Tensor& t : {w.kernel, w.recurrent_kernel, w.bias, w.recurrent_bias})
    for (double x : t.to_vector()) BOOST_TEST(std::abs(x) <= 0.25);
  BOOST_TEST(w.bias.to_vector() != w.recurrent_bias.to_vector());
}

// A power-of-two scaling is exact, so the scaled draw is exactly twice the unscaled one.
BOOST_AUTO_TEST_CASE(weight_scaling_multiplies_kernels_not_biases) {
  const auto o = GruOptions(3).bias_initializer(InitializerSpec("ones"));
  Random a(4), b(4);
  const GruWeights plain = initialize_gru_weights(o, 2, DType::float64, a);
  const GruWeights doubled =
      initialize_gru_weights(GruOptions(o).weight_scaling(2), 2, DType::float64, b);
  for (std::size_t i = 0; i < plain.kernel.size(); ++i)
    BOOST_TEST(doubled.kernel.flat(i) == 2 * plain.kernel.flat(i));
  for (std::size_t i = 0; i < plain.recurrent_kernel.size(); ++i)
    BOOST_TEST(doubled.recurrent_kernel.flat(i) == 2 * plain.recurrent_kernel.flat(i));
  BOOST_TEST(testing::bitwise_equal(doubled.bias, plain.bias));
}

BOOST_AUTO_TEST_CASE(the_seed_option_reproduces_the_weights) {
  const auto o = GruOptions(3).seed(99);
  const GruWeights a = initialize_gru_weights(o, 2), b = initialize_gru_weights(o, 2);
  BOOST_TEST(testing::bitwise_equal(a.kernel, b.kernel));
  BOOST_TEST(testing::bitwise_equal(a.recurrent_kernel, b.recurrent_kernel));
  Random explicit_source(99);
  const GruWeights c = initialize_gru_weights(o, 2, DType::float32, explicit_source);
  BOOST_TEST(testing::bitwise_equal(a.kernel, c.kernel));
  const GruWeights other = initialize_gru_weights(GruOptions(3).seed(100), 2);
  BOOST_TEST(!testing::bitwise_equal(a.kernel, other.kernel));
  BOOST_TEST((a.kernel.dtype() == DType::float32));
}

BOOST_AUTO_TEST_CASE(initialization_errors_name_the_problem) {
  Random random(5);
  require_error<ValueError>(
      [&] { initialize_gru_weights(GruOptions(3), 0, DType::float32, random); },
      {"initialize_gru_weights", "input_size >= 1", "got 0"});
  require_error<ValueError>(
      [&] { initialize_gru_weights(GruOptions(3).input_size(4), 5, DType::float32, random); },
      {"initialize_gru_weights", "input_size 4 (options)", "got 5"});
  require_error<ValueError>(
      [&] { initialize_gru_weights(GruOptions(3).dropout(2), 5, DType::float32, random); },
      {"GruOptions: dropout", "got 2"});
}

BOOST_AUTO_TEST_CASE(check_names_the_tensor_that_does_not_fit) {
  Random random(6);
  const auto o = GruOptions(2);
  const GruWeights good = initialize_gru_weights(o, 3, DType::float64, random);
  GruWeights w = good;
  w.kernel = Tensor::zeros({3, 5}, DType::float64);
  require_error<ShapeError>([&] { check_gru_weights(w, o, "load"); },
                            {"load: kernel", "expected shape (3, 6)", "got (3, 5)"});
  w = good;
  w.kernel = Tensor::zeros({6}, DType::float64);
  require_error<ShapeError>([&] { check_gru_weights(w, o, "load"); },
                            {"load: kernel", "a matrix (input, 3 * units)", "shape (6)"});
  require_error<ShapeError>([&] { check_gru_weights(good, GruOptions(2).input_size(4), "load"); },
                            {"load: kernel", "input extent 4 (input_size)", "shape (3, 6)"});
  w = good;
  w.recurrent_bias = Tensor();
  require_error<ValueError>(
      [&] { check_gru_weights(w, o, "load"); },
      {"load: recurrent_bias", "a tensor (reset_gate_mode recurrent_bias_after_multiplication)",
       "got none"});
  require_error<ValueError>(
      [&] { check_gru_weights(good, GruOptions(2).reset_after(false), "load"); },
      {"load: recurrent_bias", "none (reset_gate_mode before_multiplication)",
       "a tensor of shape (6)"});
  require_error<ValueError>([&] { check_gru_weights(good, GruOptions(2).use_bias(false), "load"); },
                            {"load: bias", "none (use_bias false)"});
  w = good;
  w.bias = w.bias.to(DType::float32);
  require_error<ValueError>([&] { check_gru_weights(w, o, "load"); },
                            {"load", "one dtype", "float64 and float32"});
  w = good;
  w.recurrent_bias = Tensor::zeros({2, 3}, DType::float64);
  require_error<ShapeError>([&] { check_gru_weights(w, o, "load"); },
                            {"load: recurrent_bias", "expected shape (6)", "got (2, 3)"});
}

BOOST_AUTO_TEST_SUITE_END()
