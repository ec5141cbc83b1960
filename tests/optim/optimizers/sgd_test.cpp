#include <boost/test/unit_test.hpp>

#include "optim/optimizers/sgd.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(sgd_test)

BOOST_AUTO_TEST_CASE(plain_descent_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Sgd sgd(SgdOptions().learning_rate(0.1));
    const auto got = run_quadratic(sgd, dtype, 4);
    // w <- w - lr g
    const auto expected = reference_quadratic(
        4, [](double w, double g, std::size_t, std::size_t) { return w - 0.1 * g; });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(momentum_with_dampening_and_l2_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Sgd sgd(SgdOptions().learning_rate(0.05).momentum(0.9).dampening(0.25).l2_regularization(0.1));
    const auto got = run_quadratic(sgd, dtype, 5);
    std::vector<double> b(19);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t t, std::size_t i) {
          const double d = g + 0.1 * w;
          // The first buffer is the gradient itself, undamped.
          b[i] = t == 1 ? d : 0.9 * b[i] + 0.75 * d;
          return w - 0.05 * b[i];
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(nesterov_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Sgd sgd(SgdOptions().learning_rate(0.05).momentum(0.8).nesterov(true));
    const auto got = run_quadratic(sgd, dtype, 5);
    std::vector<double> b(19);
    const auto expected =
        reference_quadratic(5, [&](double w, double g, std::size_t t, std::size_t i) {
          b[i] = t == 1 ? g : 0.8 * b[i] + g;
          return w - 0.05 * (g + 0.8 * b[i]);
        });
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(defaults_are_keras) {
  const SgdOptions options;
  BOOST_TEST(options.learning_rate() == 0.01);
  BOOST_TEST(options.momentum() == 0.0);
  BOOST_TEST(!options.nesterov());
  BOOST_TEST(Sgd().learning_rate() == 0.01);
  BOOST_TEST(Sgd().type() == "sgd");
}

BOOST_AUTO_TEST_CASE(bad_options_are_errors_carrying_the_value) {
  require_error<ValueError>([] { Sgd(SgdOptions().learning_rate(-0.1)); },
                            {"sgd", "learning_rate >= 0", "-0.1"});
  require_error<ValueError>([] { Sgd(SgdOptions().momentum(-0.5)); }, {"sgd", "momentum", "-0.5"});
  require_error<ValueError>([] { Sgd(SgdOptions().dampening(1.5)); },
                            {"sgd", "dampening in [0, 1]", "1.5"});
  require_error<ValueError>([] { Sgd(SgdOptions().nesterov(true)); },
                            {"sgd", "momentum > 0 for Nesterov", "momentum = 0"});
  require_error<ValueError>([] { Sgd(SgdOptions().momentum(0.9).dampening(0.1).nesterov(true)); },
                            {"sgd", "dampening = 0 for Nesterov", "0.1"});
  require_error<ValueError>([] { Sgd(SgdOptions().l2_regularization(-1e-9)); },
                            {"sgd", "l2_regularization", "-1e-09"});
  require_error<ValueError>([] { Sgd(SgdOptions().learning_rate(std::nan(""))); },
                            {"sgd", "learning_rate", "nan"});
}

BOOST_AUTO_TEST_SUITE_END()
