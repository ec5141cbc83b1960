#include <boost/test/unit_test.hpp>

#include "optim/optimizers/adamax.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(adamax_test)

BOOST_AUTO_TEST_CASE(adamax_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Adamax adamax(AdamaxOptions().learning_rate(0.1).beta1(0.7).beta2(0.8).l2_regularization(0.2));
    const auto got = run_quadratic(adamax, dtype, 5);
    std::vector<double> m(19), u(19);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t t, std::size_t i) {
          const double d = g + 0.2 * w;
          m[i] = 0.7 * m[i] + 0.3 * d;
          u[i] = std::max(0.8 * u[i], std::abs(d) + 1e-7);
          return w - 0.1 * m[i] / ((1 - std::pow(0.7, t)) * u[i]);
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(defaults_and_bad_options) {
  BOOST_TEST(AdamaxOptions().learning_rate() == 1e-3);
  BOOST_TEST(AdamaxOptions().epsilon() == 1e-7);
  BOOST_TEST(Adamax().type() == "adamax");
  require_error<ValueError>([] { Adamax(AdamaxOptions().learning_rate(-2)); },
                            {"adamax", "learning_rate", "-2"});
  require_error<ValueError>([] { Adamax(AdamaxOptions().beta1(-0.5)); },
                            {"adamax", "beta1", "-0.5"});
  require_error<ValueError>([] { Adamax(AdamaxOptions().beta2(2)); }, {"adamax", "beta2", "2"});
  require_error<ValueError>([] { Adamax(AdamaxOptions().epsilon(-3)); },
                            {"adamax", "epsilon", "-3"});
}

BOOST_AUTO_TEST_SUITE_END()
