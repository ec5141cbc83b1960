#include <boost/test/unit_test.hpp>

#include "optim/optimizers/adagrad.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(adagrad_test)

BOOST_AUTO_TEST_CASE(adagrad_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Adagrad adagrad(AdagradOptions().learning_rate(0.3).initial_accumulator_value(0.5));
    const auto got = run_quadratic(adagrad, dtype, 5);
    std::vector<double> sum(19, 0.5);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t, std::size_t i) {
          sum[i] += g * g;
          return w - 0.3 * g / (std::sqrt(sum[i]) + 1e-7);
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(defaults_and_bad_options) {
  BOOST_TEST(AdagradOptions().initial_accumulator_value() == 0.1);
  BOOST_TEST(AdagradOptions().learning_rate() == 1e-3);
  BOOST_TEST(Adagrad().type() == "adagrad");
  require_error<ValueError>([] { Adagrad(AdagradOptions().learning_rate(-0.01)); },
                            {"adagrad", "learning_rate", "-0.01"});
  require_error<ValueError>([] { Adagrad(AdagradOptions().initial_accumulator_value(-0.1)); },
                            {"adagrad", "initial_accumulator_value", "-0.1"});
  require_error<ValueError>([] { Adagrad(AdagradOptions().epsilon(-0.1)); },
                            {"adagrad", "epsilon", "-0.1"});
}

BOOST_AUTO_TEST_SUITE_END()
