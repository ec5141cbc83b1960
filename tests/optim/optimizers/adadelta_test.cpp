#include <boost/test/unit_test.hpp>

#include "optim/optimizers/adadelta.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(adadelta_test)

BOOST_AUTO_TEST_CASE(adadelta_matches_the_recurrence) {
  // A large epsilon keeps the first deltas (sqrt(eps) / sqrt(v + eps) g) well away from 0.
  const double lr = 0.5, rho = 0.6, eps = 1e-2;
  for (DType dtype : both_dtypes()) {
    Adadelta adadelta(
        AdadeltaOptions().learning_rate(lr).rho(rho).epsilon(eps).l2_regularization(0.1));
    const auto got = run_quadratic(adadelta, dtype, 5);
    std::vector<double> v(19), u(19);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t, std::size_t i) {
          const double d = g + 0.1 * w;
          v[i] = rho * v[i] + (1 - rho) * d * d;
          const double delta = std::sqrt(u[i] + eps) / std::sqrt(v[i] + eps) * d;
          u[i] = rho * u[i] + (1 - rho) * delta * delta;
          return w - lr * delta;
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(defaults_and_bad_options) {
  BOOST_TEST(AdadeltaOptions().rho() == 0.95);
  BOOST_TEST(AdadeltaOptions().learning_rate() == 1e-3);
  BOOST_TEST(Adadelta().type() == "adadelta");
  require_error<ValueError>([] { Adadelta(AdadeltaOptions().learning_rate(-1)); },
                            {"adadelta", "learning_rate", "-1"});
  require_error<ValueError>([] { Adadelta(AdadeltaOptions().rho(1.1)); },
                            {"adadelta", "rho", "1.1"});
  require_error<ValueError>([] { Adadelta(AdadeltaOptions().epsilon(0)); },
                            {"adadelta", "epsilon > 0", "got 0"});
}

BOOST_AUTO_TEST_SUITE_END()
