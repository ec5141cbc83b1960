#include <boost/test/unit_test.hpp>

#include <cmath>

#include "core/detail/option_checks.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(option_checks_test)

BOOST_AUTO_TEST_CASE(numbers_print_short_and_exact) {
  BOOST_TEST(detail::number_to_string(0.1) == "0.1");
  BOOST_TEST(detail::number_to_string(-2) == "-2");
  BOOST_TEST(detail::number_to_string(1e-9) == "1e-09");
  BOOST_TEST(detail::number_to_string(1.0 / 3) == "0.3333333333333333");
  BOOST_TEST(detail::number_to_string(std::nan("")) == "nan");
  BOOST_TEST(detail::number_to_string(-INFINITY) == "-inf");
}

BOOST_AUTO_TEST_CASE(option_checks) {
  detail::require_option(true, "adam", "beta1", "in [0, 1)", 0.5);
  require_error<ValueError>(
      [] { detail::require_option(false, "adam", "beta1", "in [0, 1)", 1.5); },
      {"adam: expected beta1 in [0, 1), got beta1 = 1.5"});
  BOOST_TEST(detail::finite_non_negative(0));
  BOOST_TEST(!detail::finite_non_negative(-1e-300));
  BOOST_TEST(!detail::finite_non_negative(INFINITY));
  BOOST_TEST(!detail::finite_non_negative(std::nan("")));
  BOOST_TEST(detail::in_unit_interval_open(0));
  BOOST_TEST(!detail::in_unit_interval_open(1));
  BOOST_TEST(!detail::in_unit_interval_open(std::nan("")));
}

BOOST_AUTO_TEST_SUITE_END()
