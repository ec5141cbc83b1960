#include <boost/test/unit_test.hpp>

#include "core/shape.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(shape_test)

BOOST_AUTO_TEST_CASE(prints_like_python_tuples) {
  BOOST_TEST(shape_to_string({4, 7}) == "(4, 7)");
  BOOST_TEST(shape_to_string({}) == "()");
}

BOOST_AUTO_TEST_CASE(broadcasts_numpy_style) {
  BOOST_TEST((broadcast_shapes({4, 1, 3}, {5, 1}, "t") == Shape{4, 5, 3}));
  BOOST_TEST((broadcast_shapes({}, {2, 3}, "t") == Shape{2, 3}));
  BOOST_TEST((broadcast_shapes({0, 3}, {1, 3}, "t") == Shape{0, 3}));
  BOOST_TEST((broadcast_shapes({2, 3}, {2, 3}, "t") == Shape{2, 3}));
}

BOOST_AUTO_TEST_CASE(mismatch_names_both_shapes) {
  testing::require_error<ShapeError>(
      [] {
        broadcast_shapes({4, 3}, {2, 3}, "add");
      },
      {"add", "(4, 3)", "(2, 3)"});
}

BOOST_AUTO_TEST_CASE(normalizes_negative_axes) {
  BOOST_TEST(normalize_axis(-1, 3, "t") == 2u);
  BOOST_TEST((normalize_axes({-1, 0, 2}, 3, "t") == std::vector<std::size_t>{0, 2}));
  testing::require_error<ShapeError>([] { normalize_axis(3, 3, "sum"); }, {"sum", "[-3, 3)", "3"});
}

BOOST_AUTO_TEST_SUITE_END()
