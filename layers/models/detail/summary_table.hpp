#pragma once
// The Keras-style summary table that Sequential::summary and Graph::summary print (not a public
// header): a title, a header row between rules, the rows separated by rules, and the parameter
// totals.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace grutape::detail {

/// A column of the table: its header and Keras' width in characters, widened to fit its
/// longest cell (plus a space before the next column) unless `fixed`.
struct SummaryColumn {
  std::string header;
  std::size_t width;
  bool fixed = false;
};

/// One entry of the table: its lines of three cells (more than one when the last column
/// lists several items, as a graph node's inputs).
using SummaryRow = std::vector<std::array<std::string, 3>>;

/// The table of model `model` with these columns and rows, then "Total params", "Trainable
/// params" and "Non-trainable params" from `total` and `trainable`.
std::string summary_table(const std::string& model, const std::array<SummaryColumn, 3>& columns,
                          const std::vector<SummaryRow>& rows, std::size_t total,
                          std::size_t trainable);

}  // namespace grutape::detail
