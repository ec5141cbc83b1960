#include "optim/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/detail/option_checks.hpp"
#include "core/indexing.hpp"

namespace grutape {
namespace {

// The given columns, or all `width` of them when none are given; a ValueError naming `option`
// for one beyond the series.
std::vector<std::size_t> columns_or_all(const std::vector<std::size_t>& columns, std::size_t width,
                                        const char* option, const char* where = "make_windows") {
  if (columns.empty()) {
    std::vector<std::size_t> all(width);
    std::iota(all.begin(), all.end(), std::size_t{0});
    return all;
  }
  for (std::size_t column : columns) {
    if (column >= width) {
      throw ValueError(
          where, std::string(option) + " below the series' " + std::to_string(width) + " features",
          std::string(option) + " containing " + std::to_string(column));
    }
  }
  return columns;
}

void require_positive_count(std::size_t value, const char* name,
                            const char* where = "make_windows") {
  if (value == 0) {
    throw ValueError(where, std::string(name) + " >= 1", std::string(name) + " = 0");
  }
}

// A uniform integer in [0, n), n >= 1. Draws below 2^64 mod n are rejected so that the remaining
// range is a whole number of copies of [0, n) and every value is equally likely.
std::size_t draw_below(Random& random, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t draw = random.next_u64();
    if (draw >= threshold) return static_cast<std::size_t>(draw % n);
  }
}

// The SplitMix64 finaliser: a bijection that spreads every input bit over the whole word.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool valid_fraction(double value) {
  return value >= 0 && value <= 1;
}

}  // namespace

Windows make_windows(const Tensor& series, const WindowOptions& options) {
  if (series.rank() != 1 && series.rank() != 2) {
    throw ShapeError("make_windows", "a series of rank 1 (rows) or 2 (rows, features)",
                     "shape " + shape_to_string(series.shape()));
  }
  require_positive_count(options.window(), "window");
  require_positive_count(options.horizon(), "horizon");
  require_positive_count(options.stride(), "stride");
  const std::size_t rows = series.shape()[0];
  const std::size_t width = series.rank() == 2 ? series.shape()[1] : 1;
  const auto inputs = columns_or_all(options.input_columns(), width, "input_columns");
  const auto targets = columns_or_all(options.target_columns(), width, "target_columns");
  const std::size_t span = options.window() + options.horizon();
  if (rows < span) {
    throw ShapeError(
        "make_windows", "a series of at least window + horizon = " + std::to_string(span) + " rows",
        std::to_string(rows) + " rows (shape " + shape_to_string(series.shape()) + ")");
  }
  const std::size_t samples = (rows - span) / options.stride() + 1;
  const std::size_t window = options.window(), horizon = options.horizon();
  Windows result;
  series.visit([&](const auto& data) {
    using T = typename std::decay_t<decltype(data)>::value_type;
    Tensor::Array<T> x = Tensor::Array<T>::from_shape({samples, window, inputs.size()});
    Tensor::Array<T> y = Tensor::Array<T>::from_shape({samples, horizon * targets.size()});
    const T* s = data.data();
    T* xo = x.data();
    T* yo = y.data();
    for (std::size_t i = 0; i < samples; ++i) {
      const std::size_t start = i * options.stride();
      for (std::size_t t = 0; t < window; ++t) {
        for (std::size_t f : inputs) *xo++ = s[(start + t) * width + f];
      }
      for (std::size_t h = 0; h < horizon; ++h) {
        for (std::size_t f : targets) *yo++ = s[(start + window + h) * width + f];
      }
    }
    result.inputs = Tensor(std::move(x));
    result.targets = Tensor(std::move(y));
  });
  return result;
}

Tensor make_input_windows(const Tensor& series, const WindowOptions& options) {
  if (series.rank() != 1 && series.rank() != 2) {
    throw ShapeError("make_input_windows", "a series of rank 1 (rows) or 2 (rows, features)",
                     "shape " + shape_to_string(series.shape()));
  }
  require_positive_count(options.window(), "window", "make_input_windows");
  require_positive_count(options.stride(), "stride", "make_input_windows");
  const std::size_t rows = series.shape()[0];
  const std::size_t width = series.rank() == 2 ? series.shape()[1] : 1;
  const auto inputs =
      columns_or_all(options.input_columns(), width, "input_columns", "make_input_windows");
  const std::size_t window = options.window();
  if (rows < window) {
    throw ShapeError(
        "make_input_windows", "a series of at least window = " + std::to_string(window) + " rows",
        std::to_string(rows) + " rows (shape " + shape_to_string(series.shape()) + ")");
  }
  const std::size_t samples = (rows - window) / options.stride() + 1;
  Tensor result;
  series.visit([&](const auto& data) {
    using T = typename std::decay_t<decltype(data)>::value_type;
    Tensor::Array<T> x = Tensor::Array<T>::from_shape({samples, window, inputs.size()});
    const T* s = data.data();
    T* xo = x.data();
    for (std::size_t i = 0; i < samples; ++i) {
      for (std::size_t t = 0; t < window; ++t) {
        for (std::size_t f : inputs) *xo++ = s[(i * options.stride() + t) * width + f];
      }
    }
    result = Tensor(std::move(x));
  });
  return result;
}

Split split_indices(std::size_t count, const SplitOptions& options) {
  const double train = options.train(), validation = options.validation();
  detail::require_option(valid_fraction(train), "split_indices", "train", "in [0, 1]", train);
  detail::require_option(valid_fraction(validation), "split_indices", "validation", "in [0, 1]",
                         validation);
  // A little slack, so that fractions written as 0.7 and 0.3 are accepted.
  detail::require_option(train + validation <= 1 + 1e-12, "split_indices", "train + validation",
                         "<= 1", train + validation);
  // Cumulative boundaries, rounded once each: the three sizes always add up to count.
  const auto boundary = [&](double fraction) {
    return std::min(count, static_cast<std::size_t>(std::llround(fraction * count)));
  };
  const std::size_t train_end = boundary(train);
  const std::size_t validation_end = std::max(train_end, boundary(train + validation));
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (options.shuffle()) {
    Random random(options.seed());
    order = permutation(count, random);
  }
  Split split;
  split.train.assign(order.begin(), order.begin() + train_end);
  split.validation.assign(order.begin() + train_end, order.begin() + validation_end);
  split.test.assign(order.begin() + validation_end, order.end());
  return split;
}

std::vector<std::size_t> permutation(std::size_t count, Random& random) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = count; i > 1; --i) std::swap(order[i - 1], order[draw_below(random, i)]);
  return order;
}

std::vector<std::size_t> epoch_permutation(std::size_t count, std::uint64_t seed,
                                           std::uint64_t epoch) {
  // Two rounds of mixing, so that nearby seeds and nearby epochs give unrelated generators.
  Random random(mix(mix(seed) + 0x9e3779b97f4a7c15ULL * (epoch + 1)));
  return permutation(count, random);
}

Batches make_batches(const std::vector<std::size_t>& order, std::size_t batch_size,
                     bool drop_last) {
  if (batch_size == 0) throw ValueError("make_batches", "batch_size >= 1", "batch_size = 0");
  Batches batches;
  for (std::size_t start = 0; start < order.size(); start += batch_size) {
    const std::size_t end = std::min(order.size(), start + batch_size);
    if (drop_last && end - start < batch_size) break;
    batches.emplace_back(order.begin() + start, order.begin() + end);
  }
  return batches;
}

Tensor take_rows(const Tensor& x, const std::vector<std::size_t>& indices) {
  if (x.rank() == 0) {
    throw ShapeError("take_rows", "a tensor of rank >= 1 (rows, ...)", "a scalar");
  }
  const std::size_t rows = x.shape()[0];
  for (std::size_t j = 0; j < indices.size(); ++j) {
    if (indices[j] >= rows) {
      throw ValueError("take_rows",
                       "row indices below " + std::to_string(rows) + " (shape " +
                           shape_to_string(x.shape()) + ")",
                       "index " + std::to_string(indices[j]) + " at position " + std::to_string(j));
    }
  }
  return detail::index_tensor(x, 0, indices);
}

FlatBatches flatten_batches(const Tensor& x) {
  if (x.rank() < 2) {
    throw ShapeError("flatten_batches", "a tensor of rank >= 2 (number of batches, batch, ...)",
                     "shape " + shape_to_string(x.shape()));
  }
  Shape shape = x.shape();
  const std::size_t batch_count = shape[0], batch = shape[1];
  shape.erase(shape.begin());
  shape[0] = batch_count * batch;
  FlatBatches flat;
  flat.data = x.reshaped(shape);
  for (std::size_t b = 0; b < batch_count; ++b) {
    flat.batches.emplace_back(batch);
    std::iota(flat.batches.back().begin(), flat.batches.back().end(), b * batch);
  }
  return flat;
}

Tensor unflatten_batches(const Tensor& rows, std::size_t batch_count) {
  if (rows.rank() < 1 || batch_count == 0 || rows.shape()[0] % batch_count != 0) {
    throw ShapeError("unflatten_batches",
                     "rows that divide into " + std::to_string(batch_count) + " equal batches",
                     "shape " + shape_to_string(rows.shape()));
  }
  Shape shape = rows.shape();
  shape.insert(shape.begin(), batch_count);
  shape[1] /= batch_count;
  return rows.reshaped(shape);
}

}  // namespace grutape
