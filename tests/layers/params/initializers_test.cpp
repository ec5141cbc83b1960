#include <boost/test/unit_test.hpp>

#include <cmath>

#include "layers/basic/dense.hpp"
#include "layers/layer_registry.hpp"
#include "layers/params/detail/orthogonal.hpp"
#include "layers/params/initializers.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using testing::require_error;

namespace {

const Shape big = {200, 300};  // fan_in 200, fan_out 300, 60000 draws

// Checks that the values of `t` lie in [low, high] and that their mean and variance are within
// three standard errors of `mean` and `stddev`^2 (the errors estimated from the sample).
void check_distribution(const Tensor& t, double mean, double stddev, double low, double high) {
  const std::vector<double> v = t.to_vector();
  const double n = double(v.size());
  double m = 0;
  for (double x : v) m += x;
  m /= n;
  double var = 0, m4 = 0;
  for (double x : v) {
    var += (x - m) * (x - m);
    m4 += std::pow(x - m, 4);
  }
  var /= n;
  m4 /= n;
  BOOST_TEST(*std::min_element(v.begin(), v.end()) >= low);
  BOOST_TEST(*std::max_element(v.begin(), v.end()) <= high);
  BOOST_TEST(std::abs(m - mean) <= 3 * stddev / std::sqrt(n));
  BOOST_TEST(std::abs(var - stddev * stddev) <= 3 * std::sqrt((m4 - var * var) / n));
}

Tensor draw(const InitializerSpec& spec, const Shape& shape = big, std::uint64_t seed = 11,
            DType dtype = DType::float64) {
  Random random(seed);
  return initialize(spec, shape, dtype, random);
}

// max |A^T A - gain^2 I| over a rows x cols matrix read from `t` (A = t as a matrix) when
// columns are orthonormal, or of A A^T when rows < cols.
double orthogonality_error(const Tensor& t, std::size_t rows, std::size_t cols, double gain) {
  const std::vector<double> a = t.to_vector();
  const bool by_rows = rows < cols;
  const std::size_t k = by_rows ? rows : cols, len = by_rows ? cols : rows;
  const auto at = [&](std::size_t vector, std::size_t i) {
    return by_rows ? a[vector * cols + i] : a[i * cols + vector];
  };
  double worst = 0;
  for (std::size_t p = 0; p < k; ++p)
    for (std::size_t q = 0; q < k; ++q) {
      double dot = 0;
      for (std::size_t i = 0; i < len; ++i) dot += at(p, i) * at(q, i);
      worst = std::max(worst, std::abs(dot - (p == q ? gain * gain : 0.0)));
    }
  return worst;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(initializers_test)

BOOST_AUTO_TEST_CASE(fans_follow_keras) {
  const auto fans = [](const Shape& s) {
    const Fans f = compute_fans(s);
    return std::vector<double>{f.fan_in, f.fan_out};
  };
  BOOST_TEST(fans({}) == std::vector<double>({1, 1}), boost::test_tools::per_element());
  BOOST_TEST(fans({5}) == std::vector<double>({5, 5}), boost::test_tools::per_element());
  BOOST_TEST(fans({3, 4}) == std::vector<double>({3, 4}), boost::test_tools::per_element());
  BOOST_TEST(fans({2, 3, 4, 5}) == std::vector<double>({24, 30}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(variance_scaling_uniforms_have_their_bounds_and_variance) {
  const double glorot = std::sqrt(6.0 / 500), he = std::sqrt(6.0 / 200),
               lecun = std::sqrt(3.0 / 200);
  check_distribution(draw({"glorot_uniform"}), 0, glorot / std::sqrt(3.0), -glorot, glorot);
  check_distribution(draw({"he_uniform"}), 0, he / std::sqrt(3.0), -he, he);
  check_distribution(draw({"lecun_uniform"}), 0, lecun / std::sqrt(3.0), -lecun, lecun);
}

// The *_normal draws are truncated at two (corrected) stddevs and have the intended stddev.
BOOST_AUTO_TEST_CASE(variance_scaling_normals_are_truncated_with_the_stddev_correction) {
  const double correction = 0.87962566103423978;
  for (const auto& [name, stddev] : {std::pair{"glorot_normal", std::sqrt(2.0 / 500)},
                                     std::pair{"he_normal", std::sqrt(2.0 / 200)},
                                     std::pair{"lecun_normal", std::sqrt(1.0 / 200)}}) {
    BOOST_TEST_CONTEXT(name) {
      const double bound = 2 * stddev / correction;
      check_distribution(draw({name}), 0, stddev, -bound, bound);
    }
  }
}

BOOST_AUTO_TEST_CASE(plain_distributions_have_their_parameters) {
  check_distribution(draw({"narrow_normal"}), 0, 0.01, -1, 1);
  check_distribution(draw({"normal", {{"mean", 1}, {"stddev", 2}}}), 1, 2, -20, 22);
  check_distribution(draw({"normal"}), 0, 0.05, -1, 1);
  // A unit normal truncated to [-2, 2] has stddev 0.87962566103423978.
  check_distribution(draw({"truncated_normal", {{"mean", 0.5}, {"stddev", 0.1}}}), 0.5,
                     0.1 * 0.87962566103423978, 0.3, 0.7);
  check_distribution(draw({"uniform", {{"minval", -3}, {"maxval", 5}}}), 1, 8 / std::sqrt(12.0), -3,
                     5);
  check_distribution(draw({"uniform"}), 0, 2 / std::sqrt(12.0), -1, 1);
}

BOOST_AUTO_TEST_CASE(constants_are_exact) {
  const auto all_equal = [](const Tensor& t, double value) {
    for (double x : t.to_vector())
      if (x != value) return false;
    return t.shape() == Shape{3, 4};
  };
  BOOST_TEST(all_equal(draw({"zeros"}, {3, 4}), 0));
  BOOST_TEST(all_equal(draw({"ones"}, {3, 4}), 1));
  BOOST_TEST(all_equal(draw({"constant", {{"value", 2.5}}}, {3, 4}), 2.5));
  BOOST_TEST(all_equal(draw({"constant"}, {3, 4}), 0));
}

BOOST_AUTO_TEST_CASE(orthogonal_is_orthonormal_for_square_wide_tall_and_stacked_shapes) {
  BOOST_TEST(orthogonality_error(draw({"orthogonal"}, {5, 5}), 5, 5, 1) <= 1e-10);
  // A GRU recurrent kernel (units, 3 * units): Keras orthogonalizes the whole matrix, so its
  // rows are orthonormal (its gate blocks on their own are not).
  BOOST_TEST(orthogonality_error(draw({"orthogonal"}, {4, 12}), 4, 12, 1) <= 1e-10);
  BOOST_TEST(orthogonality_error(draw({"orthogonal"}, {12, 4}), 12, 4, 1) <= 1e-10);
  BOOST_TEST(orthogonality_error(draw({"orthogonal"}, {3, 2, 6}), 6, 6, 1) <= 1e-10);
  BOOST_TEST(orthogonality_error(draw({"orthogonal", {{"gain", 2}}}, {7, 3}), 7, 3, 2) <= 1e-10);
  BOOST_TEST(draw({"orthogonal"}, {0, 4}).size() == 0u);
}

// Q from householder_q is A's QR factor: R = Q^T A is upper triangular with a positive diagonal
// and Q R reproduces A.
BOOST_AUTO_TEST_CASE(householder_q_is_the_qr_factor_with_positive_r_diagonal) {
  const std::size_t m = 7, n = 4;
  const std::vector<double> a = testing::random_tensor({m, n}, 3).to_vector();
  const std::vector<double> q = householder_q(a, m, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double r = 0;
      for (std::size_t k = 0; k < m; ++k) r += q[k * n + i] * a[k * n + j];
      if (i > j) BOOST_TEST(std::abs(r) <= 1e-12);
      if (i == j) BOOST_TEST(r > 0);
    }
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double qr = 0;  // (Q Q^T A)[i][j]: A lies in Q's column space
      for (std::size_t p = 0; p < n; ++p) {
        double r = 0;
        for (std::size_t k = 0; k < m; ++k) r += q[k * n + p] * a[k * n + j];
        qr += q[i * n + p] * r;
      }
      BOOST_TEST(std::abs(qr - a[i * n + j]) <= 1e-12);
    }
  require_error<ShapeError>([] { householder_q(std::vector<double>(6), 2, 3); },
                            {"householder_q", "m >= n", "2 x 3"});
}

BOOST_AUTO_TEST_CASE(draws_reproduce_from_the_seed_and_round_once_to_float32) {
  for (const std::string& name : builtin_initializer_names()) {
    BOOST_TEST_CONTEXT(name) {
      const Tensor a = draw({name}, {6, 9}, 5), b = draw({name}, {6, 9}, 5);
      BOOST_TEST(testing::bitwise_equal(a, b));
      const Tensor single = draw({name}, {6, 9}, 5, DType::float32);
      BOOST_TEST(testing::bitwise_equal(single, a.to(DType::float32)));
      if (name != "zeros" && name != "ones" && name != "constant")
        BOOST_TEST(!testing::bitwise_equal(a, draw({name}, {6, 9}, 6)));
    }
  }
}

BOOST_AUTO_TEST_CASE(user_callables_are_registered_by_name) {
  register_initializer("test_ramp", [](const Shape& shape, DType dtype, Random& random) {
    std::vector<double> v(shape_size(shape));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = double(i) + random.uniform();
    return Tensor::from_values(shape, v, dtype);
  });
  const Tensor t = draw({"test_ramp"}, {2, 3}, 9);
  Random expected_random(9);
  for (std::size_t i = 0; i < 6; ++i)
    BOOST_TEST(t.flat(i) == double(i) + expected_random.uniform());
  require_error<ValueError>(
      [] { register_initializer("test_ramp", [](auto&, auto, auto&) { return Tensor(); }); },
      {"register_initializer", "not yet registered", "\"test_ramp\" again"});
  require_error<ValueError>(
      [] {
        draw({"test_ramp", {{"scale", 2}}}, {2});
      },
      {"initialize: test_ramp", "no parameters", "\"scale\""});
  unregister_initializer("test_ramp");
  require_error<ValueError>([] { draw({"test_ramp"}, {2}); },
                            {"initialize", "or a registered one", "\"test_ramp\""});
  require_error<ValueError>([] { unregister_initializer("test_ramp"); },
                            {"unregister_initializer", "a registered name", "\"test_ramp\""});
}

BOOST_AUTO_TEST_CASE(bad_user_callables_are_reported) {
  register_initializer("test_wrong_shape", [](const Shape&, DType dtype, Random&) {
    return Tensor::zeros({1}, dtype);
  });
  register_initializer("test_wrong_dtype", [](const Shape& shape, DType, Random&) {
    return Tensor::zeros(shape, DType::float32);
  });
  require_error<ShapeError>(
      [] {
        draw({"test_wrong_shape"}, {2, 2});
      },
      {"registered initializer \"test_wrong_shape\"", "(2, 2)", "(1)"});
  require_error<ValueError>(
      [] {
        draw({"test_wrong_dtype"}, {2, 2});
      },
      {"registered initializer \"test_wrong_dtype\"", "dtype float64", "float32"});
  unregister_initializer("test_wrong_shape");
  unregister_initializer("test_wrong_dtype");
  require_error<ValueError>(
      [] { register_initializer("zeros", [](auto&, auto, auto&) { return Tensor(); }); },
      {"register_initializer", "not built in", "\"zeros\""});
  require_error<ValueError>(
      [] { register_initializer("", [](auto&, auto, auto&) { return Tensor(); }); },
      {"register_initializer", "a non-empty name"});
  require_error<ValueError>([] { register_initializer("x", InitializerFunction()); },
                            {"register_initializer", "a callable function", "\"x\""});
}

BOOST_AUTO_TEST_CASE(invalid_specs_name_the_problem) {
  require_error<ValueError>([] { draw({"glorot"}); },
                            {"initialize", "glorot_uniform, glorot_normal", "got \"glorot\""});
  require_error<ValueError>(
      [] {
        draw({"uniform", {{"low", 0}}});
      },
      {"initialize: uniform", "parameters among minval, maxval", "\"low\""});
  require_error<ValueError>(
      [] {
        draw({"uniform", {{"minval", 2}, {"maxval", 1}}});
      },
      {"uniform(maxval=1, minval=2)", "minval <= maxval"});
  require_error<ValueError>(
      [] {
        draw({"truncated_normal", {{"stddev", -0.5}}});
      },
      {"truncated_normal(stddev=-0.5)", "stddev >= 0", "-0.5"});
  require_error<ValueError>(
      [] {
        draw({"constant", {{"value", NAN}}});
      },
      {"initialize: constant", "finite parameters", "value=nan"});
  require_error<ShapeError>([] { draw({"orthogonal"}, {5}); },
                            {"orthogonal", "rank >= 2", "shape (5)"});
}

// A program's own initializer with a parameter: every element `step` times its flat index.
InitializerFunction ramp_factory(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {"step"}, where);
  const double step = spec.parameter("step", 1);
  return [step](const Shape& shape, DType dtype, Random&) {
    std::vector<double> values(shape_size(shape));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = step * static_cast<double>(i);
    return Tensor::from_values(shape, values, dtype);
  };
}

BOOST_AUTO_TEST_CASE(a_registered_factory_takes_parameters_and_works_in_model_files) {
  register_initializer("test_step_ramp", ramp_factory);
  BOOST_TEST(draw({"test_step_ramp", {{"step", 0.5}}}, {2, 2}).to_vector() ==
                 std::vector<double>({0, 0.5, 1, 1.5}),
             boost::test_tools::per_element());
  require_error<ValueError>(
      [] {
        draw({"test_step_ramp", {{"stride", 1}}}, {2});
      },
      {"initialize: test_step_ramp", "parameters among step", "\"stride\""});
  // A layer's JSON (as a model file holds it) names it like a built-in one.
  const nlohmann::json json = {
      {"type", "dense"},
      {"units", 2},
      {"kernel_initializer", {{"name", "test_step_ramp"}, {"parameters", {{"step", 2}}}}}};
  const auto layer = layer_from_json(json);
  layer->build({1, 3}, DType::float64);
  BOOST_TEST(
      layer->parameter("kernel").value().to_vector() == std::vector<double>({0, 2, 4, 6, 8, 10}),
      boost::test_tools::per_element());
  BOOST_TEST(layer->to_json().at("kernel_initializer") == json.at("kernel_initializer"));
  BOOST_TEST(testing::listed(initializer_names(), "test_step_ramp"));
  BOOST_TEST(!testing::listed(builtin_initializer_names(), "test_step_ramp"));

  const testing::RegistryKind<InitializerFactory> kind{
      "register_initializer",
      "unregister_initializer",
      [](const std::string& name, InitializerFactory f) { register_initializer(name, f); },
      unregister_initializer,
      initializer_names,
      [](const std::string& name) { validate_initializer({name}, "DenseOptions"); },
      "DenseOptions"};
  testing::check_registry_rules(kind, "test_step_ramp", "orthogonal",
                                InitializerFactory(ramp_factory));
}

BOOST_AUTO_TEST_CASE(presets_give_each_frameworks_initializers) {
  const PresetInitializers keras = preset_initializers(InitializerPreset::keras, 4);
  BOOST_TEST(keras.kernel == InitializerSpec("glorot_uniform"));
  BOOST_TEST(keras.recurrent_kernel == InitializerSpec("orthogonal"));
  BOOST_TEST(keras.bias == InitializerSpec("zeros"));
  const PresetInitializers matlab = preset_initializers(InitializerPreset::matlab, 4);
  BOOST_TEST((matlab.kernel == keras.kernel && matlab.recurrent_kernel == keras.recurrent_kernel &&
              matlab.bias == keras.bias));
  const PresetInitializers torch = preset_initializers(InitializerPreset::pytorch, 4);
  const InitializerSpec half("uniform", {{"minval", -0.5}, {"maxval", 0.5}});
  BOOST_TEST((torch.kernel == half && torch.recurrent_kernel == half && torch.bias == half));
  for (auto preset :
       {InitializerPreset::keras, InitializerPreset::pytorch, InitializerPreset::matlab})
    BOOST_TEST((preset_from_name(preset_name(preset)) == preset));
  require_error<ValueError>([] { preset_from_name("tf"); },
                            {"preset_from_name", "keras, pytorch or matlab", "\"tf\""});
  require_error<ValueError>([] { preset_initializers(InitializerPreset::pytorch, 0); },
                            {"preset_initializers", "units >= 1", "0"});
}

BOOST_AUTO_TEST_SUITE_END()
