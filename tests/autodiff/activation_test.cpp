#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>

#include "autodiff/ops/activation.hpp"
#include "core/parallel.hpp"
#include "core/tensor_math.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_gradients;
using Inputs = std::vector<Value>;

namespace {

constexpr long double kSeluAlpha = 1.6732632423543772848170429916717L;
constexpr long double kSeluScale = 1.0507009873554804934193349852946L;

// Random float64 values in [-4, 4), each at least 0.05 from the kinks at 0, +-2.5 and +-3, so
// that central differences with step 1e-6 never straddle one.
Tensor away_from_kinks(const Shape& shape, std::uint64_t seed) {
  std::vector<double> values = random_tensor(shape, seed, -4, 4).to_vector();
  for (double& v : values) {
    for (double kink : {0.0, -2.5, 2.5, -3.0, 3.0}) {
      if (std::abs(v - kink) < 0.05) v = kink + 0.1;
    }
  }
  return Tensor::from_values(shape, values, DType::float64);
}

// n values evenly spaced over [low, high].
Tensor grid(std::size_t n, double low, double high, DType dtype) {
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = low + (high - low) * i / (n - 1);
  return Tensor::from_values({n}, values, dtype);
}

long double clamp01(long double v) {
  return std::min(1.0L, std::max(0.0L, v));
}

struct ClosedForm {
  const char* name;
  std::function<Value(const Value&)> apply;
  std::function<long double(long double)> expected;
};

// Each activation beside its textbook formula, evaluated in long double.
std::vector<ClosedForm> closed_forms() {
  const long double sqrt_2_over_pi = std::sqrt(2.0L / 3.14159265358979323846264338327950L);
  return {
      {"sigmoid", sigmoid, [](long double x) { return 1 / (1 + std::exp(-x)); }},
      {"tanh", [](const Value& x) { return grutape::tanh(x); },
       [](long double x) { return std::tanh(x); }},
      {"hard_sigmoid", hard_sigmoid, [](long double x) { return clamp01(0.2L * x + 0.5L); }},
      {"hard_sigmoid_keras3", hard_sigmoid_keras3,
       [](long double x) { return clamp01(x / 6 + 0.5L); }},
      {"softsign", softsign, [](long double x) { return x / (1 + std::abs(x)); }},
      {"relu", relu, [](long double x) { return std::max(x, 0.0L); }},
      {"elu", [](const Value& x) { return elu(x); },
       [](long double x) { return x > 0 ? x : std::expm1(x); }},
      {"elu(0.5)", [](const Value& x) { return elu(x, 0.5); },
       [](long double x) { return x > 0 ? x : 0.5L * std::expm1(x); }},
      {"selu", selu,
       [](long double x) { return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x)); }},
      {"softplus", softplus, [](long double x) { return std::log1p(std::exp(x)); }},
      {"gelu", [](const Value& x) { return gelu(x); },
       [](long double x) { return 0.5L * x * (1 + std::erf(x / std::sqrt(2.0L))); }},
      {"gelu(tanh)", [](const Value& x) { return gelu(x, true); },
       [=](long double x) {
         return 0.5L * x * (1 + std::tanh(sqrt_2_over_pi * (x + 0.044715L * x * x * x)));
       }},
      {"linear", linear, [](long double x) { return x; }},
  };
}

// Every activation_names() entry whose result does not depend on the rest of its row.
std::vector<std::string> elementwise_names() {
  std::vector<std::string> names;
  for (const std::string& name : activation_names()) {
    if (name != "softmax" && name != "log_softmax") names.push_back(name);
  }
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(activation_test)

BOOST_AUTO_TEST_CASE(every_elementwise_activation_passes_the_gradient_check) {
  const Tensor x = away_from_kinks({3, 4, 5}, 1);
  for (const ClosedForm& form : closed_forms()) {
    BOOST_TEST_CONTEXT(form.name) {
      require_gradients([&](const Inputs& v) { return form.apply(v[0]); }, {x});
    }
  }
  // Through the dispatcher as well, and over a size-1 axis.
  for (const std::string& name : elementwise_names()) {
    BOOST_TEST_CONTEXT(name) {
      require_gradients([&](const Inputs& v) { return activation(name, v[0]); },
                        {away_from_kinks({1, 7}, 2)});
    }
  }
}

BOOST_AUTO_TEST_CASE(softmax_and_log_softmax_gradients_along_every_axis) {
  const Tensor x = random_tensor({3, 4, 5}, 3, -3, 3);
  for (long axis : {0L, 1L, 2L, -1L, -3L}) {
    BOOST_TEST_CONTEXT("axis " << axis) {
      require_gradients([&](const Inputs& v) { return softmax(v[0], axis); }, {x});
      require_gradients([&](const Inputs& v) { return log_softmax(v[0], axis); }, {x});
    }
  }
  // A size-1 axis: softmax is constantly 1, log_softmax constantly 0.
  const Tensor column = random_tensor({4, 1}, 4);
  require_gradients([](const Inputs& v) { return softmax(v[0], 1); }, {column});
  require_gradients([](const Inputs& v) { return log_softmax(v[0], 1); }, {column});
  const Tensor ones = softmax(Value(column), 1).value();
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(ones.flat(i) == 1.0);
}

BOOST_AUTO_TEST_CASE(values_match_closed_forms_in_both_precisions) {
  // 1003 elements: full batches and a padded tail for both float32 and float64 batch widths.
  for (DType dtype : {DType::float32, DType::float64}) {
    const double tolerance = dtype == DType::float32 ? 2e-6 : 1e-13;
    const Tensor x = grid(1003, -6, 6, dtype);
    for (const ClosedForm& form : closed_forms()) {
      const Tensor y = form.apply(Value(x)).value();
      BOOST_REQUIRE(y.dtype() == dtype);
      double worst = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const long double expected = form.expected(x.flat(i));
        const long double error =
            std::abs(y.flat(i) - expected) / std::max(1.0L, std::abs(expected));
        worst = std::max(worst, static_cast<double>(error));
      }
      BOOST_TEST_CONTEXT(form.name << " " << dtype) {
        BOOST_TEST(worst <= tolerance);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(exact_points_and_knots) {
  for (DType dtype : {DType::float32, DType::float64}) {
    const Tensor x = Tensor::from_values({7}, {-3, -2.5, -1, 0, 1, 2.5, 3}, dtype);
    const Value v(x);
    const Tensor s = sigmoid(v).value();
    BOOST_TEST(s.flat(3) == 0.5);
    const Tensor h2 = hard_sigmoid(v).value();
    const std::vector<double> keras2 = {0, 0, 0.3, 0.5, 0.7, 1, 1};
    for (std::size_t i = 0; i < 7; ++i) {
      BOOST_TEST(h2.flat(i) == keras2[i], boost::test_tools::tolerance(1e-6));
    }
    const Tensor h3 = hard_sigmoid_keras3(v).value();
    const std::vector<double> keras3 = {0, 1.0 / 12, 1.0 / 3, 0.5, 2.0 / 3, 11.0 / 12, 1};
    for (std::size_t i = 0; i < 7; ++i) {
      BOOST_TEST(h3.flat(i) == keras3[i], boost::test_tools::tolerance(1e-6));
    }
    // The knots themselves are exact.
    BOOST_TEST(h2.flat(1) == 0.0);
    BOOST_TEST(h2.flat(5) == 1.0);
    BOOST_TEST(h3.flat(0) == 0.0);
    BOOST_TEST(h3.flat(6) == 1.0);
    BOOST_TEST(softsign(v).value().flat(4) == 0.5);
    BOOST_TEST(relu(v).value().flat(2) == 0.0);
    BOOST_TEST(gelu(v).value().flat(3) == 0.0);
    BOOST_TEST(softplus(v).value().flat(3) == std::log(2.0), boost::test_tools::tolerance(1e-7));
  }
}

BOOST_AUTO_TEST_CASE(subgradients_at_the_kinks_follow_the_documented_convention) {
  Value x(Tensor::from_values({5}, {-3, -2.5, 0, 2.5, 3}, DType::float64), true);
  relu(x).backward(Tensor::ones({5}, DType::float64));
  BOOST_TEST(x.grad().flat(2) == 0.0);  // relu'(0) = 0
  x.zero_grad();
  hard_sigmoid(x).backward(Tensor::ones({5}, DType::float64));
  const std::vector<double> keras2 = {0, 0, 0.2, 0, 0};  // 0 at the knots +-2.5
  for (std::size_t i = 0; i < 5; ++i) BOOST_TEST(x.grad().flat(i) == keras2[i]);
  x.zero_grad();
  hard_sigmoid_keras3(x).backward(Tensor::ones({5}, DType::float64));
  const std::vector<double> keras3 = {0, 1.0 / 6, 1.0 / 6, 1.0 / 6, 0};  // 0 at the knots +-3
  for (std::size_t i = 0; i < 5; ++i) BOOST_TEST(x.grad().flat(i) == keras3[i]);
}

BOOST_AUTO_TEST_CASE(extreme_inputs_stay_finite_with_the_right_limits) {
  const std::vector<double> xs = {-1e30, -1000, -100, 0, 100, 1000, 1e30};
  for (DType dtype : {DType::float32, DType::float64}) {
    BOOST_TEST_CONTEXT(dtype) {
      for (const std::string& name : elementwise_names()) {
        Value x(Tensor::from_values({7}, xs, dtype), true);
        Value y = activation(name, x);
        y.backward(Tensor::ones({7}, dtype));
        BOOST_TEST_CONTEXT(name) {
          BOOST_TEST(all_finite(y.value()));
          BOOST_TEST(all_finite(x.grad()));
        }
      }
      const Value x(Tensor::from_values({7}, xs, dtype));
      auto values = [&](const Value& y) { return y.value().to_vector(); };
      // sigmoid(-100) = e^-100 (3.7e-44) is a float32 subnormal that the float32 exp flushes to
      // 0, hence an absolute bound (which is still exact equality at 0.5 and 1).
      const std::vector<double> sigmoid_expected = {0, 0, std::exp(-100.0), 0.5, 1, 1, 1};
      const std::vector<double> sigmoid_got = values(sigmoid(x));
      for (std::size_t i = 0; i < 7; ++i) {
        BOOST_TEST(std::abs(sigmoid_got[i] - sigmoid_expected[i]) <= 1e-40);
      }
      BOOST_TEST(values(grutape::tanh(x)) == std::vector<double>({-1, -1, -1, 0, 1, 1, 1}),
                 boost::test_tools::per_element());
      const std::vector<double> softplus_expected = {0, 0, 0, std::log(2.0), 100, 1000, 1e30};
      const std::vector<double> softplus_got = values(softplus(x));
      for (std::size_t i = 0; i < 7; ++i) {
        BOOST_TEST(softplus_got[i] == softplus_expected[i], boost::test_tools::tolerance(1e-6));
      }
      BOOST_TEST(softplus_got[0] == 0.0);
      BOOST_TEST(softplus_got[1] == 0.0);
      BOOST_TEST(softplus_got[5] == 1000.0);
      BOOST_TEST(values(softsign(x))[0] == -1.0);
      BOOST_TEST(values(softsign(x))[6] == 1.0);
      BOOST_TEST(values(elu(x))[1] == -1.0);
      BOOST_TEST(values(selu(x))[1] == static_cast<double>(-kSeluScale * kSeluAlpha),
                 boost::test_tools::tolerance(1e-6));
      for (bool approximate : {false, true}) {
        const std::vector<double> g = values(gelu(x, approximate));
        BOOST_TEST(g[0] == 0.0);
        BOOST_TEST(g[1] == 0.0);
        BOOST_TEST(g[5] == 1000.0);
        BOOST_TEST(g[6] == xs[6], boost::test_tools::tolerance(1e-6));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(derivatives_reach_their_limits_in_the_tails) {
  for (DType dtype : {DType::float32, DType::float64}) {
    auto slope = [&](const std::function<Value(const Value&)>& f, double at) {
      Value x(Tensor::from_values({1}, {at}, dtype), true);
      f(x).backward(Tensor::ones({1}, dtype));
      return x.grad().flat(0);
    };
    for (double at : {-1000.0, 1000.0}) {
      const double step = at > 0 ? 1 : 0;
      BOOST_TEST(slope(sigmoid, at) == 0.0);
      BOOST_TEST(slope([](const Value& x) { return grutape::tanh(x); }, at) == 0.0);
      BOOST_TEST(slope(softplus, at) == step);
      BOOST_TEST(slope([](const Value& x) { return gelu(x); }, at) == step);
      BOOST_TEST(slope([](const Value& x) { return gelu(x, true); }, at) == step);
      BOOST_TEST(slope(relu, at) == step);
    }
  }
}

BOOST_AUTO_TEST_CASE(softmax_of_extreme_rows) {
  for (DType dtype : {DType::float32, DType::float64}) {
    BOOST_TEST_CONTEXT(dtype) {
      Value x(Tensor::from_values({3, 2}, {1000, 0, -1000, -1000, 1e30, 0}, dtype), true);
      const Tensor log_y = log_softmax(x).value();
      BOOST_TEST(log_y.to_vector() ==
                     std::vector<double>({0, -1000, -std::log(2.0), -std::log(2.0), 0, -1e30}),
                 boost::test_tools::tolerance(1e-6) << boost::test_tools::per_element());
      BOOST_TEST(log_y.flat(0) == 0.0);
      BOOST_TEST(log_y.flat(1) == -1000.0);
      Value y = softmax(x);
      BOOST_TEST(y.value().to_vector() == std::vector<double>({1, 0, 0.5, 0.5, 1, 0}),
                 boost::test_tools::per_element());
      y.backward(Tensor::from_values({3, 2}, {1, 2, 3, 4, 5, 6}, dtype));
      BOOST_TEST(all_finite(x.grad()));
      x.zero_grad();
      log_softmax(x).backward(Tensor::ones({3, 2}, dtype));
      BOOST_TEST(all_finite(x.grad()));
    }
  }
}

BOOST_AUTO_TEST_CASE(softmax_matches_its_definition_and_rows_sum_to_one) {
  for (DType dtype : {DType::float32, DType::float64}) {
    const double tolerance = dtype == DType::float32 ? 1e-6 : 1e-14;
    const Tensor x = random_tensor({7, 33}, 5, -20, 20, dtype);
    for (std::size_t axis : {0, 1}) {
      const Tensor y = softmax(Value(x), static_cast<long>(axis)).value();
      const Tensor log_y = log_softmax(Value(x), static_cast<long>(axis)).value();
      const std::size_t slices = axis == 0 ? 33 : 7, length = axis == 0 ? 7 : 33;
      auto at = [&](std::size_t slice, std::size_t k) {
        return axis == 0 ? k * 33 + slice : slice * 33 + k;
      };
      for (std::size_t slice = 0; slice < slices; ++slice) {
        long double denominator = 0, total = 0;
        for (std::size_t k = 0; k < length; ++k)
          denominator += std::exp(static_cast<long double>(x.flat(at(slice, k))));
        for (std::size_t k = 0; k < length; ++k) {
          const long double expected =
              std::exp(static_cast<long double>(x.flat(at(slice, k)))) / denominator;
          BOOST_TEST(std::abs(y.flat(at(slice, k)) - expected) <= tolerance);
          BOOST_TEST(std::abs(log_y.flat(at(slice, k)) - std::log(expected)) <=
                     tolerance * std::max(1.0L, std::abs(std::log(expected))));
          total += y.flat(at(slice, k));
        }
        BOOST_TEST(std::abs(total - 1) <= 10 * tolerance);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(softmax_of_a_non_contiguous_source_and_of_empty_axes) {
  xt::xarray<double> base = {{1, 2, 3}, {4, 5, 9}};
  const Tensor transposed(xt::xarray<double>(xt::transpose(base)));  // rows (1,4) (2,5) (3,9)
  const Tensor y = softmax(Value(transposed), -1).value();
  BOOST_TEST(y.flat(0) == 1 / (1 + std::exp(3.0)), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(y.flat(5) == 1 / (1 + std::exp(-6.0)), boost::test_tools::tolerance(1e-14));
  require_gradients([](const Inputs& v) { return log_softmax(v[0], 0); }, {transposed});

  for (const Shape& shape : {Shape{0, 3}, Shape{3, 0}}) {
    Value empty(Tensor::zeros(shape, DType::float64), true);
    Value s = softmax(empty, 1), l = log_softmax(empty, 0);
    BOOST_TEST((s.shape() == shape));
    BOOST_TEST((l.shape() == shape));
    s.backward(Tensor::zeros(shape, DType::float64));
    BOOST_TEST((empty.grad().shape() == shape));
  }
}

BOOST_AUTO_TEST_CASE(sigmoid_and_tanh_backward_use_the_output_not_the_input) {
  // Overwriting the input after the forward pass must not change the gradient.
  for (const char* name : {"sigmoid", "tanh", "relu"}) {
    Value x(Tensor::from_values({2}, {0.5, -1.0}, DType::float64), true);
    Value y = activation(name, x);
    const std::vector<double> out = y.value().to_vector();
    x.mutable_value().array<double>().fill(7.0);
    y.backward(Tensor::ones({2}, DType::float64));
    const std::string which = name;
    for (std::size_t i = 0; i < 2; ++i) {
      const double expected = which == "sigmoid" ? out[i] * (1 - out[i])
                              : which == "tanh"  ? 1 - out[i] * out[i]
                                                 : (out[i] > 0 ? 1.0 : 0.0);
      BOOST_TEST(x.grad().flat(i) == expected, boost::test_tools::tolerance(1e-15));
    }
  }
}

BOOST_AUTO_TEST_CASE(dispatcher_by_name) {
  const std::vector<std::string> expected = {
      "sigmoid",    "tanh", "hard_sigmoid", "hard_sigmoid_keras3",
      "softsign",   "relu", "elu",          "selu",
      "softplus",   "gelu", "linear",       "softmax",
      "log_softmax"};
  BOOST_TEST(activation_names() == expected, boost::test_tools::per_element());
  const Value x(random_tensor({3, 4}, 6, -3, 3));
  BOOST_TEST(testing::bitwise_equal(activation("gelu", x).value(), gelu(x).value()));
  BOOST_TEST(testing::bitwise_equal(activation("elu", x).value(), elu(x, 1.0).value()));
  BOOST_TEST(testing::bitwise_equal(activation("softmax", x).value(), softmax(x, 1).value()));
  BOOST_TEST(
      testing::bitwise_equal(activation("log_softmax", x).value(), log_softmax(x, -1).value()));
  BOOST_TEST(testing::bitwise_equal(activation("linear", x).value(), x.value()));
  testing::require_error<ValueError>(
      [&] { activation("swish", x); },
      {"activation", "'swish'", "one of sigmoid, tanh,", "hard_sigmoid_keras3", "log_softmax"});
}

BOOST_AUTO_TEST_CASE(errors_name_the_op_and_the_bad_value) {
  const Value x(random_tensor({2, 3}, 7));
  testing::require_error<ShapeError>([&] { softmax(x, 2); },
                                     {"softmax", "[-2, 2)", "2 for rank 2"});
  testing::require_error<ShapeError>([&] { log_softmax(x, -3); },
                                     {"log_softmax", "[-2, 2)", "-3 for rank 2"});
  testing::require_error<ShapeError>([&] { softmax(Value(Tensor::scalar(1.0)), -1); },
                                     {"softmax", "-1 for rank 0"});
  testing::require_error<ValueError>([&] { elu(x, INFINITY); }, {"elu", "finite alpha", "inf"});
}

BOOST_AUTO_TEST_CASE(results_are_bitwise_identical_for_one_and_two_threads) {
  // 200,000 elements: above the parallel threshold, so two threads really split the work.
  const Tensor x = random_tensor({400, 500}, 8, -5, 5, DType::float32);
  const Tensor seed = random_tensor({400, 500}, 9, -1, 1, DType::float32);
  auto run = [&](std::size_t threads, const std::function<Value(const Value&)>& f) {
    ThreadLimit limit(threads);
    Value v(x, true);
    Value y = f(v);
    y.backward(seed);
    return std::make_pair(y.value(), v.grad());
  };
  std::vector<std::pair<std::string, std::function<Value(const Value&)>>> cases;
  for (const std::string& name : activation_names()) {
    cases.emplace_back(name, [name](const Value& v) { return activation(name, v); });
  }
  cases.emplace_back("softmax axis 0", [](const Value& v) { return softmax(v, 0); });
  cases.emplace_back("log_softmax axis 0", [](const Value& v) { return log_softmax(v, 0); });
  cases.emplace_back("gelu tanh", [](const Value& v) { return gelu(v, true); });
  for (const auto& [name, f] : cases) {
    const auto one = run(1, f), two = run(2, f);
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(testing::bitwise_equal(one.first, two.first));
      BOOST_TEST(testing::bitwise_equal(one.second, two.second));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
