#include <boost/test/unit_test.hpp>

#include "optim/optimizers/rmsprop.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(rmsprop_test)

namespace {

// RMSprop's recurrence for one element, in all four variants.
struct RmspropReference {
  double lr, rho, momentum, eps;
  bool centered;
  std::vector<double> v = std::vector<double>(19), g_mean = std::vector<double>(19),
                      b = std::vector<double>(19);

  double operator()(double w, double g, std::size_t, std::size_t i) {
    v[i] = rho * v[i] + (1 - rho) * g * g;
    g_mean[i] = rho * g_mean[i] + (1 - rho) * g;
    const double variance = centered ? v[i] - g_mean[i] * g_mean[i] : v[i];
    const double scaled = g / (std::sqrt(variance) + eps);
    if (momentum == 0) return w - lr * scaled;
    b[i] = momentum * b[i] + scaled;
    return w - lr * b[i];
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_variant_matches_the_recurrence) {
  for (bool centered : {false, true}) {
    for (double momentum : {0.0, 0.6}) {
      for (DType dtype : both_dtypes()) {
        BOOST_TEST_CONTEXT("centered " << centered << ", momentum " << momentum << ", " << dtype) {
          Rmsprop rmsprop(
              RmspropOptions().learning_rate(0.01).rho(0.7).momentum(momentum).centered(centered));
          const auto got = run_quadratic(rmsprop, dtype, 5);
          const auto expected =
              reference_quadratic(5, RmspropReference{0.01, 0.7, momentum, 1e-7, centered});
          require_trajectory(got, expected, dtype);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(defaults_and_bad_options) {
  BOOST_TEST(RmspropOptions().rho() == 0.9);
  BOOST_TEST(RmspropOptions().learning_rate() == 1e-3);
  BOOST_TEST(!RmspropOptions().centered());
  BOOST_TEST(Rmsprop().type() == "rmsprop");
  require_error<ValueError>([] { Rmsprop(RmspropOptions().learning_rate(-0.5)); },
                            {"rmsprop", "learning_rate", "-0.5"});
  require_error<ValueError>([] { Rmsprop(RmspropOptions().rho(1)); },
                            {"rmsprop", "rho in [0, 1)", "got 1"});
  require_error<ValueError>([] { Rmsprop(RmspropOptions().momentum(-0.9)); },
                            {"rmsprop", "momentum", "-0.9"});
  require_error<ValueError>([] { Rmsprop(RmspropOptions().epsilon(-1)); },
                            {"rmsprop", "epsilon", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()
