#include "optim/data/missing_values.hpp"

#include <cmath>

#include "core/error.hpp"

namespace grutape {
namespace {

std::string cell_place(std::size_t row, std::size_t column) {
  return "row " + std::to_string(row) + ", column " + std::to_string(column);
}

// Throws for the first infinite cell, and for the first NaN when `policy` is error.
template <class T>
void require_allowed(const T* data, std::size_t rows, std::size_t columns, MissingPolicy policy,
                     const std::string& where) {
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const T value = data[r * columns + c];
      if (std::isinf(value)) {
        throw ValueError(where, "a finite number at " + cell_place(r, c),
                         value > 0 ? "inf" : "-inf");
      }
      if (std::isnan(value) && policy == MissingPolicy::error) {
        throw ValueError(where,
                         "a value at " + cell_place(r, c) +
                             " (or data.missing: drop, interpolate or ffill)",
                         "a missing value");
      }
    }
  }
}

// Fills column `c` in place; rows whose cell stays NaN are marked in `unfilled`.
template <class T>
std::size_t fill_column(T* data, std::size_t rows, std::size_t columns, std::size_t c,
                        MissingPolicy policy, std::vector<bool>& unfilled) {
  std::size_t filled = 0;
  std::size_t last = rows;  // the last row above with a value; rows for none
  for (std::size_t r = 0; r < rows; ++r) {
    T& cell = data[r * columns + c];
    if (!std::isnan(cell)) {
      last = r;
      continue;
    }
    std::size_t next = r;
    while (next < rows && std::isnan(data[next * columns + c])) ++next;
    const bool has_above = last < rows, has_below = next < rows;
    const bool fillable = policy == MissingPolicy::ffill ? has_above : has_above && has_below;
    for (std::size_t g = r; g < next; ++g) {
      if (!fillable) {
        unfilled[g] = true;
        continue;
      }
      const T above = data[last * columns + c];
      if (policy == MissingPolicy::ffill) {
        data[g * columns + c] = above;
      } else {
        const T below = data[next * columns + c];
        const T fraction = static_cast<T>(g - last) / static_cast<T>(next - last);
        data[g * columns + c] = above + (below - above) * fraction;
      }
      ++filled;
    }
    r = next - 1;
  }
  return filled;
}

template <class T>
CleanTable clean(const Tensor::Array<T>& input, MissingPolicy policy, const std::string& where) {
  const std::size_t rows = input.shape()[0], columns = input.shape()[1];
  require_allowed(input.data(), rows, columns, policy, where);
  Tensor::Array<T> work = input;
  CleanTable result;
  std::vector<bool> dropped(rows, false);
  if (policy == MissingPolicy::drop) {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        dropped[r] = dropped[r] || std::isnan(work.data()[r * columns + c]);
      }
    }
  } else if (policy != MissingPolicy::error) {
    for (std::size_t c = 0; c < columns; ++c) {
      result.cells_filled += fill_column(work.data(), rows, columns, c, policy, dropped);
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (dropped[r]) continue;
    const bool continues = !result.source_rows.empty() && result.source_rows.back() + 1 == r;
    if (!continues) result.runs.emplace_back(result.source_rows.size(), result.source_rows.size());
    result.source_rows.push_back(r);
    result.runs.back().second = result.source_rows.size();
  }
  result.rows_dropped = rows - result.source_rows.size();
  Tensor::Array<T> kept = Tensor::Array<T>::from_shape({result.source_rows.size(), columns});
  for (std::size_t k = 0; k < result.source_rows.size(); ++k) {
    for (std::size_t c = 0; c < columns; ++c) {
      kept.data()[k * columns + c] = work.data()[result.source_rows[k] * columns + c];
    }
  }
  result.values = Tensor(std::move(kept));
  return result;
}

}  // namespace

MissingPolicy missing_policy_from_name(const std::string& name, const std::string& where) {
  for (MissingPolicy policy : {MissingPolicy::error, MissingPolicy::drop,
                               MissingPolicy::interpolate, MissingPolicy::ffill}) {
    if (missing_policy_name(policy) == name) return policy;
  }
  throw ValueError(where, "one of \"error\", \"drop\", \"interpolate\", \"ffill\"",
                   "\"" + name + "\"");
}

std::string missing_policy_name(MissingPolicy policy) {
  switch (policy) {
    case MissingPolicy::drop:
      return "drop";
    case MissingPolicy::interpolate:
      return "interpolate";
    case MissingPolicy::ffill:
      return "ffill";
    case MissingPolicy::error:
      break;
  }
  return "error";
}

CleanTable handle_missing(const Tensor& table, MissingPolicy policy, const std::string& where) {
  if (table.rank() != 2) {
    throw ShapeError(where, "a table of rank 2 (rows, columns)",
                     "shape " + shape_to_string(table.shape()));
  }
  CleanTable result;
  table.visit([&](const auto& array) { result = clean(array, policy, where); });
  return result;
}

}  // namespace grutape
