// The fused GRU's activations: the accuracy bound of the batched sigmoid and tanh documented in
// core/detail/activation_math.hpp over the whole float32 range, and every activation's
// value and derivative (kept slope or from the output) against closed forms.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "layers/gru/fused/detail/activations.hpp"
#include "tests/layers/gru/fused/gru_fused_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using namespace grutape::detail;

namespace {

// Units in the last place of T at the magnitude of `exact` (normal range).
template <class T>
long double ulp(long double exact) {
  int exponent;
  std::frexp(static_cast<double>(std::abs(exact)), &exponent);
  return std::ldexp(1.0L, exponent - std::numeric_limits<T>::digits);
}

struct Accuracy {
  long double worst_ulps = 0;      // where the exact value is normal
  long double worst_absolute = 0;  // where it is below the smallest normal
  bool finite = true;
};

// The batched f over xs against the long double `exact`.
template <class T, class F, class Exact>
Accuracy accuracy(const std::vector<T>& xs, F f, Exact exact) {
  using B = xsimd::batch<T>;
  std::vector<T> padded = xs;
  while (padded.size() % B::size) padded.push_back(T(0));
  std::vector<T> ys(padded.size());
  for (std::size_t i = 0; i < padded.size(); i += B::size)
    f(B::load_unaligned(padded.data() + i)).store_unaligned(ys.data() + i);
  Accuracy a;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const long double e = exact(static_cast<long double>(xs[i]));
    const long double error = std::abs(static_cast<long double>(ys[i]) - e);
    a.finite = a.finite && !std::isnan(ys[i]);
    if (std::abs(e) < std::numeric_limits<T>::min())
      a.worst_absolute = std::max(a.worst_absolute, error);
    else
      a.worst_ulps = std::max(a.worst_ulps, error / ulp<T>(e));
  }
  return a;
}

// Every 2039th float32 bit pattern below infinity, of either sign, and the infinities.
std::vector<float> float_range() {
  std::vector<float> xs;
  for (std::uint64_t bits = 0; bits < 0x7f800000u; bits += 2039) {
    const std::uint32_t pattern = static_cast<std::uint32_t>(bits);
    float x;
    std::memcpy(&x, &pattern, sizeof x);
    xs.push_back(x);
    xs.push_back(-x);
  }
  xs.push_back(std::numeric_limits<float>::infinity());
  xs.push_back(-std::numeric_limits<float>::infinity());
  return xs;
}

// 2^8 values in each binade of float64 below infinity, of either sign.
std::vector<double> double_range() {
  std::vector<double> xs;
  const std::uint64_t step = std::uint64_t{1} << 44;  // 2^52 mantissas / 2^8 per binade
  for (std::uint64_t bits = 0; bits < 0x7ff0000000000000u; bits += step) {
    double x;
    std::memcpy(&x, &bits, sizeof x);
    xs.push_back(x);
    xs.push_back(-x);
  }
  return xs;
}

// activate() then scale_by_slope() with g = 1 over n values: {f(x), f'(x)}.
std::pair<std::vector<double>, std::vector<double>> value_and_derivative(
    FusedActivation f, const std::vector<double>& xs) {
  using B = xsimd::batch<double>;
  std::vector<double> padded = xs;
  while (padded.size() % B::size) padded.push_back(0);
  std::vector<double> y(padded.size()), d(padded.size());
  for (std::size_t i = 0; i < padded.size(); i += B::size) {
    B slope(0.0);
    const B v = activate(f, B::load_unaligned(padded.data() + i), &slope);
    alignas(64) double kept[B::size];
    slope.store_aligned(kept);
    v.store_unaligned(y.data() + i);
    scale_by_slope(f, B(1.0), v, kept).store_unaligned(d.data() + i);
  }
  y.resize(xs.size());
  d.resize(xs.size());
  return {y, d};
}

long double exact_sigmoid(long double x) {
  return 1 / (1 + std::exp(-x));
}

long double exact_tanh(long double x) {
  return std::tanh(x);
}

template <class T>
void check_bound(const std::vector<T>& xs) {
  using B = xsimd::batch<T>;
  const Accuracy s = accuracy<T>(
      xs, [](const B& x) { return batch_sigmoid(x); }, exact_sigmoid);
  const Accuracy t = accuracy<T>(
      xs, [](const B& x) { return batch_tanh(x); }, exact_tanh);
  BOOST_TEST_MESSAGE("sigmoid: " << static_cast<double>(s.worst_ulps)
                                 << " ulp, tanh: " << static_cast<double>(t.worst_ulps)
                                 << " ulp over " << xs.size() << " values");
  BOOST_TEST(s.worst_ulps <= 3.0L);
  BOOST_TEST(t.worst_ulps <= 3.0L);
  BOOST_TEST(s.worst_absolute <= static_cast<long double>(std::numeric_limits<T>::min()));
  BOOST_TEST(t.worst_absolute <= static_cast<long double>(std::numeric_limits<T>::min()));
  BOOST_TEST(s.finite);
  BOOST_TEST(t.finite);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_fused_activations_test)

BOOST_AUTO_TEST_CASE(sigmoid_and_tanh_within_3_ulp_over_the_float32_range) {
  check_bound(float_range());
}

BOOST_AUTO_TEST_CASE(sigmoid_and_tanh_within_3_ulp_over_float64_binades) {
  check_bound(double_range());
}

BOOST_AUTO_TEST_CASE(tails_saturate_exactly) {
  using B = xsimd::batch<float>;
  const float inf = std::numeric_limits<float>::infinity();
  for (float x : {-inf, -1e30f, -200.0f}) {
    BOOST_TEST(batch_sigmoid(B(x)).get(0) == 0.0f);
    BOOST_TEST(batch_tanh(B(x)).get(0) == -1.0f);
  }
  for (float x : {inf, 1e30f, 200.0f}) {
    BOOST_TEST(batch_sigmoid(B(x)).get(0) == 1.0f);
    BOOST_TEST(batch_tanh(B(x)).get(0) == 1.0f);
  }
  BOOST_TEST(batch_sigmoid(B(0.0f)).get(0) == 0.5f);
  BOOST_TEST(batch_tanh(B(0.0f)).get(0) == 0.0f);
}

BOOST_AUTO_TEST_CASE(every_activation_value_and_derivative) {
  // Values on a grid away from the kinks (0, +-2.5, +-3), derivatives against central
  // differences of the closed form, through activate() then scale_by_slope() with d = 1.
  constexpr std::size_t n = 64;
  std::vector<double> xs(n);
  for (std::size_t i = 0; i < n; ++i) xs[i] = -6.1 + 12.2 * static_cast<double>(i) / (n - 1);
  for (const std::string& name : gru_activation_names()) {
    BOOST_TEST_CONTEXT(name) {
      const auto [y, d] = value_and_derivative(fused_activation(name, "test"), xs);
      for (std::size_t i = 0; i < n; ++i) {
        const double x = xs[i], h = 1e-6;
        const auto exact = [&](double v) { return testing::fused_reference_activation(name, v); };
        BOOST_TEST(std::abs(y[i] - exact(x)) <= 1e-15 * std::max(1.0, std::abs(exact(x))));
        const double numeric = (exact(x + h) - exact(x - h)) / (2 * h);
        BOOST_TEST(std::abs(d[i] - numeric) <= 1e-8, "at x = " << x);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(subgradients_at_the_kinks) {
  // relu'(0) = 0; hard sigmoid slopes 0 at their knots and their slope just inside.
  const auto derivative = [](const std::string& name, double x) {
    return value_and_derivative(fused_activation(name, "test"), {x}).second[0];
  };
  BOOST_TEST(derivative("relu", 0.0) == 0.0);
  BOOST_TEST(derivative("hard_sigmoid", 2.5) == 0.0);
  BOOST_TEST(derivative("hard_sigmoid", -2.5) == 0.0);
  BOOST_TEST(derivative("hard_sigmoid", 2.4999999) == 0.2);
  BOOST_TEST(derivative("hard_sigmoid_keras3", 3.0) == 0.0);
  BOOST_TEST(derivative("hard_sigmoid_keras3", -2.9999999) == 1.0 / 6);
}

BOOST_AUTO_TEST_CASE(unknown_names_are_rejected) {
  testing::require_error<ValueError>([] { fused_activation("softmax", "where"); },
                                     {"where", "one of sigmoid, tanh", "'softmax'"});
}

BOOST_AUTO_TEST_SUITE_END()
