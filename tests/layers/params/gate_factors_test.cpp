// GateFactors: one factor for a tensor or one per gate block, in block order, with no gate names.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "layers/params/gate_factors.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(gate_factors_test)

BOOST_AUTO_TEST_CASE(one_factor_or_one_per_gate_in_block_order) {
  const GateFactors whole = 0.5;
  BOOST_TEST(whole.uniform());
  BOOST_TEST(whole.gates() == 1u);
  BOOST_TEST(whole[0] == 0.5);
  BOOST_TEST(whole[7] == 0.5);  // every block has the one factor
  BOOST_TEST(to_string(whole) == "0.5");
  const GateFactors four = GateFactors::per_gate(1, 2, 3, 0.25);
  BOOST_TEST(!four.uniform());
  BOOST_TEST(four.gates() == 4u);
  BOOST_TEST(four[1] == 2.0);
  BOOST_TEST(four[3] == 0.25);
  BOOST_TEST((four.values() == std::vector<double>{1, 2, 3, 0.25}));
  BOOST_TEST(to_string(four) == "(1, 2, 3, 0.25)");
  require_error<ValueError>([&] { four[4]; }, {"GateFactors", "a gate block below 4", "got 4"});
  require_error<ValueError>([] { GateFactors::from_values({}); },
                            {"GateFactors::from_values", "at least one factor", "got none"});
}

BOOST_AUTO_TEST_CASE(equal_factors_are_one_for_the_whole_tensor) {
  const GateFactors same = GateFactors::per_gate(2, 2, 2);
  BOOST_TEST(same.uniform());
  BOOST_TEST((same == GateFactors(2.0)));
  BOOST_TEST((GateFactors::per_gate(1, 2, 3) != GateFactors::per_gate(1, 2, 4)));
}

BOOST_AUTO_TEST_CASE(factors_are_finite_and_not_negative) {
  GateFactors::per_gate(0, 1, 2).validate("lr");
  require_error<ValueError>([] { GateFactors::per_gate(1, 1, -1).validate("lr"); },
                            {"lr", "finite factors >= 0", "(1, 1, -1)"});
  require_error<ValueError>([] { GateFactors(std::nan("")).validate("l2"); },
                            {"l2", "finite factors >= 0", "nan"});
}

BOOST_AUTO_TEST_CASE(per_gate_factors_need_a_last_axis_of_equal_blocks) {
  GateFactors(3).require_blocks({}, "w");  // one factor: any shape
  GateFactors::per_gate(1, 2).require_blocks({5, 4}, "w");
  require_error<ShapeError>(
      [] {
        GateFactors::per_gate(1, 2).require_blocks({4, 5}, "w");
      },
      {"w", "a last axis of 2 equal gate blocks", "shape (4, 5)"});
  require_error<ShapeError>([] { GateFactors::per_gate(1, 2, 3).require_blocks({}, "w"); },
                            {"w", "3 equal gate blocks", "shape ()"});
}

BOOST_AUTO_TEST_SUITE_END()
