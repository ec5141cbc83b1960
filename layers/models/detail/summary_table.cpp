#include "layers/models/detail/summary_table.hpp"

#include <algorithm>
#include <sstream>

#include "core/text.hpp"

namespace grutape::detail {

std::string summary_table(const std::string& model, const std::array<SummaryColumn, 3>& columns,
                          const std::vector<SummaryRow>& rows, std::size_t total,
                          std::size_t trainable) {
  std::array<std::size_t, 3> widths;
  for (std::size_t c = 0; c < 3; ++c) {
    widths[c] = columns[c].width;
    if (columns[c].fixed) continue;
    // A space separates a column from the next; the last needs none.
    const std::size_t gap = c < 2 ? 1 : 0;
    for (const SummaryRow& row : rows)
      for (const auto& line : row) widths[c] = std::max(widths[c], line[c].size() + gap);
  }
  const auto line = [&](const std::array<std::string, 3>& cells) {
    std::string text = cells[0] + std::string(widths[0] - cells[0].size(), ' ') + cells[1] +
                       std::string(widths[1] - cells[1].size(), ' ') + cells[2];
    text.erase(text.find_last_not_of(' ') + 1);
    return text + "\n";
  };
  const std::string rule(widths[0] + widths[1] + widths[2], '_');
  const std::string double_rule(rule.size(), '=');
  std::ostringstream out;
  out << "Model: \"" << model << "\"\n" << rule << "\n";
  out << line({columns[0].header, columns[1].header, columns[2].header}) << double_rule << "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out << rule << "\n";
    for (const auto& cells : rows[i]) out << line(cells);
  }
  out << double_rule << "\n";
  out << "Total params: " << with_thousands(total) << "\n";
  out << "Trainable params: " << with_thousands(trainable) << "\n";
  out << "Non-trainable params: " << with_thousands(total - trainable) << "\n";
  out << rule << "\n";
  return out.str();
}

}  // namespace grutape::detail
