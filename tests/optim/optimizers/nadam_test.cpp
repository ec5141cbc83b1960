#include <boost/test/unit_test.hpp>

#include "optim/optimizers/nadam.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(nadam_test)

BOOST_AUTO_TEST_CASE(nadam_matches_the_recurrence) {
  // A large momentum decay makes the schedule mu_t visibly change over five steps.
  const double lr = 0.1, beta1 = 0.8, beta2 = 0.9, eps = 1e-7, psi = 0.5;
  auto mu = [&](double t) { return beta1 * (1 - 0.5 * std::pow(0.96, t * psi)); };
  for (DType dtype : both_dtypes()) {
    Nadam nadam(NadamOptions().learning_rate(lr).beta1(beta1).beta2(beta2).momentum_decay(psi));
    const auto got = run_quadratic(nadam, dtype, 5);
    std::vector<double> m(19), v(19);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t t, std::size_t i) {
          // prod_{j <= t} mu_j, recomputed from scratch
          double product = 1;
          for (std::size_t j = 1; j <= t; ++j) product *= mu(static_cast<double>(j));
          const double mu_t = mu(static_cast<double>(t)), mu_next = mu(static_cast<double>(t + 1));
          m[i] = beta1 * m[i] + (1 - beta1) * g;
          v[i] = beta2 * v[i] + (1 - beta2) * g * g;
          const double m_hat =
              mu_next * m[i] / (1 - product * mu_next) + (1 - mu_t) * g / (1 - product);
          const double v_hat = v[i] / (1 - std::pow(beta2, t));
          return w - lr * m_hat / (std::sqrt(v_hat) + eps);
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(defaults_and_bad_options) {
  BOOST_TEST(NadamOptions().momentum_decay() == 0.004);
  BOOST_TEST(NadamOptions().beta2() == 0.999);
  BOOST_TEST(Nadam().type() == "nadam");
  require_error<ValueError>([] { Nadam(NadamOptions().learning_rate(-1e-4)); },
                            {"nadam", "learning_rate", "-0.0001"});
  require_error<ValueError>([] { Nadam(NadamOptions().beta1(1)); }, {"nadam", "beta1", "got 1"});
  require_error<ValueError>([] { Nadam(NadamOptions().beta2(1.25)); }, {"nadam", "beta2", "1.25"});
  require_error<ValueError>([] { Nadam(NadamOptions().momentum_decay(-0.004)); },
                            {"nadam", "momentum_decay", "-0.004"});
}

BOOST_AUTO_TEST_SUITE_END()
