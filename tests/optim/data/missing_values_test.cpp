// handle_missing: each policy on a table with gaps at the start, in the middle (one cell and a
// run of rows) and at the end, the kept rows and their values worked out by hand; runs of
// consecutive rows for windows; errors for infinite cells, NaN under "error" and unknown names.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "optim/data/missing_values.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// 8 rows, 2 columns: column 0 = 10 r with gaps at rows 0, 3, 4, 5 (a run) and 7 (the end);
// column 1 = r, with one gap at row 1.
Tensor gapped_table() {
  Tensor::Array<double> a = Tensor::Array<double>::from_shape({8, 2});
  for (std::size_t r = 0; r < 8; ++r) {
    a(r, 0) = 10.0 * r;
    a(r, 1) = static_cast<double>(r);
  }
  for (std::size_t r : {0, 3, 4, 5, 7}) a(r, 0) = kMissing;
  a(1, 1) = kMissing;
  return Tensor(std::move(a));
}

void check_rows(const CleanTable& clean, const std::vector<std::vector<double>>& expected) {
  BOOST_TEST_REQUIRE(clean.values.shape()[0] == expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    for (std::size_t c = 0; c < 2; ++c) {
      BOOST_TEST_INFO("row " << r << " column " << c);
      BOOST_TEST(clean.values.flat(r * 2 + c) == expected[r][c]);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(missing_values_test)

BOOST_AUTO_TEST_CASE(drop_leaves_out_every_row_with_a_gap_and_splits_the_runs) {
  const CleanTable clean = handle_missing(gapped_table(), MissingPolicy::drop, "data");
  check_rows(clean, {{20, 2}, {60, 6}});
  BOOST_TEST(clean.source_rows == std::vector<std::size_t>({2, 6}));
  BOOST_TEST(clean.runs.size() == 2u);  // rows 2 and 6 were not neighbours
  BOOST_TEST(clean.rows_dropped == 6u);
  BOOST_TEST(clean.cells_filled == 0u);
}

BOOST_AUTO_TEST_CASE(ffill_repeats_the_value_above_and_drops_a_leading_gap) {
  const CleanTable clean = handle_missing(gapped_table(), MissingPolicy::ffill, "data");
  // Row 0 has nothing above in column 0; rows 3-5 take row 2's 20, row 7 takes row 6's 60;
  // row 1's column 1 takes row 0's 0.
  check_rows(clean, {{10, 0}, {20, 2}, {20, 3}, {20, 4}, {20, 5}, {60, 6}, {60, 7}});
  BOOST_TEST(clean.source_rows == std::vector<std::size_t>({1, 2, 3, 4, 5, 6, 7}));
  BOOST_TEST(clean.runs.size() == 1u);
  BOOST_TEST(clean.cells_filled == 5u);
  BOOST_TEST(clean.rows_dropped == 1u);
}

BOOST_AUTO_TEST_CASE(interpolate_is_linear_in_the_row_and_drops_open_ends) {
  const CleanTable clean = handle_missing(gapped_table(), MissingPolicy::interpolate, "data");
  // Rows 3-5 lie between 20 (row 2) and 60 (row 6): 30, 40, 50. Rows 0 and 7 have a value on
  // one side only; row 1's column 1 lies between 0 and 2.
  check_rows(clean, {{10, 1}, {20, 2}, {30, 3}, {40, 4}, {50, 5}, {60, 6}});
  BOOST_TEST(clean.source_rows == std::vector<std::size_t>({1, 2, 3, 4, 5, 6}));
  BOOST_TEST(clean.runs.size() == 1u);
  BOOST_TEST(clean.cells_filled == 4u);
  BOOST_TEST(clean.rows_dropped == 2u);
}

BOOST_AUTO_TEST_CASE(drop_runs_are_the_consecutive_stretches) {
  Tensor::Array<double> a = Tensor::Array<double>::from_shape({6, 1});
  for (std::size_t r = 0; r < 6; ++r) a(r, 0) = static_cast<double>(r);
  a(2, 0) = kMissing;
  const CleanTable clean = handle_missing(Tensor(std::move(a)), MissingPolicy::drop, "data");
  using Run = std::pair<std::size_t, std::size_t>;
  BOOST_TEST_REQUIRE(clean.runs.size() == 2u);
  BOOST_TEST((clean.runs[0] == Run{0, 2}));
  BOOST_TEST((clean.runs[1] == Run{2, 5}));
}

BOOST_AUTO_TEST_CASE(error_names_the_first_missing_cell) {
  require_error<ValueError>(
      [] { handle_missing(gapped_table(), MissingPolicy::error, "data: file \"s.csv\""); },
      {"data: file \"s.csv\"", "row 0, column 0", "data.missing", "a missing value"});
}

BOOST_AUTO_TEST_CASE(an_infinite_cell_is_an_error_under_every_policy) {
  Tensor::Array<double> a = Tensor::Array<double>::from_shape({3, 1});
  a(0, 0) = 1;
  a(1, 0) = -std::numeric_limits<double>::infinity();
  a(2, 0) = 2;
  const Tensor table(std::move(a));
  for (MissingPolicy policy : {MissingPolicy::error, MissingPolicy::drop,
                               MissingPolicy::interpolate, MissingPolicy::ffill}) {
    require_error<ValueError>([&] { handle_missing(table, policy, "data"); },
                              {"a finite number at row 1, column 0", "-inf"});
  }
}

BOOST_AUTO_TEST_CASE(policy_names_read_back_and_unknown_names_are_errors) {
  for (const char* name : {"error", "drop", "interpolate", "ffill"}) {
    BOOST_TEST(missing_policy_name(missing_policy_from_name(name, "data: key \"missing\"")) == name);
  }
  require_error<ValueError>(
      [] { missing_policy_from_name("zero", "data: key \"missing\""); },
      {"data: key \"missing\"", "\"error\", \"drop\", \"interpolate\", \"ffill\"", "\"zero\""});
}

BOOST_AUTO_TEST_SUITE_END()
