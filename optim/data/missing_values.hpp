#pragma once
// Missing values in a table of a series: NaN cells (an empty CSV cell read as missing) handled by
// a policy before windows are cut. Infinite cells are always an error. docs/data.md shows them.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace grutape {

/// What becomes of a row with a missing (NaN) cell.
enum class MissingPolicy {
  error,        ///< a ValueError naming the first missing cell (the default)
  drop,         ///< the row is left out; windows never span the gap it leaves
  interpolate,  ///< linear in the row index between the nearest values above and below
  ffill         ///< the last value above in the same column
};

/// The policy named `name` ("error", "drop", "interpolate", "ffill"); a ValueError naming
/// `where`, the names expected and the name given otherwise.
MissingPolicy missing_policy_from_name(const std::string& name, const std::string& where);
/// The name of `policy`, as missing_policy_from_name reads it.
std::string missing_policy_name(MissingPolicy policy);

/// A table after its missing values were handled.
struct CleanTable {
  /// (kept rows, columns), same dtype as the input, no NaN left.
  Tensor values;
  /// The input row of each kept row, ascending.
  std::vector<std::size_t> source_rows;
  /// Runs of kept rows that were consecutive in the input: [begin, end) in kept-row indices.
  /// Windows are cut within a run, never across two.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  /// Cells given a value (interpolate, ffill) and rows left out (drop; and, for interpolate and
  /// ffill, the rows at the start or end whose gap has no value on the side it needs).
  std::size_t cells_filled = 0;
  std::size_t rows_dropped = 0;
};

/// `table` (rows, columns) with its NaN cells handled by `policy`. A ValueError naming `where`,
/// the row and the column for an infinite cell, and for a NaN cell under MissingPolicy::error.
/// interpolate and ffill never invent a value beyond the data: leading NaNs (ffill, interpolate)
/// and trailing NaNs (interpolate) leave their rows out. A ShapeError for a rank other than 2.
CleanTable handle_missing(const Tensor& table, MissingPolicy policy, const std::string& where);

}  // namespace grutape
