#pragma once
// The training-data side: sliding windows over a series for forecasting, train / validation /
// test splits, seeded per-epoch orders, batches of row indices, and LabVIEW's rank-4 batched form
// (number of batches, batch, timesteps, features). Orders come from grutape::Random with its own
// integer draws, so a seed gives the same rows on every platform. docs/data.md shows them in use.

#include <cstdint>
#include <vector>

#include "core/option_arg.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"

namespace grutape {

/// How make_windows cuts a series into (input window, target) samples.
class WindowOptions {
 public:
  /// Windows of `window` time steps, the other options at their defaults.
  explicit WindowOptions(std::size_t window) : window_(window) {}

  /// Time steps in each input window; no default; at least 1.
  GRUTAPE_ARG(std::size_t, window);
  /// Steps after each window that form its target; default 1; at least 1.
  GRUTAPE_ARG_DEFAULT(std::size_t, horizon, 1);
  /// Steps between the starts of consecutive windows; default 1; at least 1.
  GRUTAPE_ARG_DEFAULT(std::size_t, stride, 1);
  /// The series columns that are input features, in this order; default all.
  GRUTAPE_ARG(std::vector<std::size_t>, input_columns);
  /// The series columns that are predicted, in this order; default all.
  GRUTAPE_ARG(std::vector<std::size_t>, target_columns);
};

/// Forecasting samples cut from a series.
struct Windows {
  /// (samples, window, input features): inputs[i, t, f] = series[i * stride + t, input f].
  Tensor inputs;
  /// (samples, horizon * target features), step-major:
  /// targets[i, h * targets + j] = series[i * stride + window + h, target j].
  Tensor targets;
};

/// The windows of `series` (rows, features), or (rows) for one feature: samples =
/// (rows - window - horizon) / stride + 1, each window followed by its horizon. With stride 1
/// that is rows - window - horizon + 1 samples. Keeps the dtype. A ShapeError for another rank or
/// too few rows, a ValueError for a zero option or a column out of range.
Windows make_windows(const Tensor& series, const WindowOptions& options);

/// The input windows of `series` alone, as make_windows cuts them but up to the series' end
/// (no target steps after the last window): samples = (rows - window) / stride + 1, to predict
/// from. horizon and target_columns are ignored. A ShapeError for another rank or fewer rows
/// than window, a ValueError for a zero window or stride or a column out of range.
Tensor make_input_windows(const Tensor& series, const WindowOptions& options);

/// How split_indices divides rows into training, validation and test sets.
class SplitOptions {
 public:
  /// Fraction of the rows for training; default 0.8.
  GRUTAPE_ARG_DEFAULT(double, train, 0.8);
  /// Fraction for validation; default 0.1. The test set takes the rest, 1 - train - validation.
  GRUTAPE_ARG_DEFAULT(double, validation, 0.1);
  /// Shuffle before splitting; default false: the sets are consecutive and the test rows are the
  /// last, as forecasting needs (overlapping windows would leak across a shuffled split).
  GRUTAPE_ARG_DEFAULT(bool, shuffle, false);
  /// The seed of the shuffle; default 0.
  GRUTAPE_ARG_DEFAULT(std::uint64_t, seed, 0);
};

/// Row indices of the three sets; together they hold each of 0..count-1 once.
struct Split {
  /// Rows for fitting the model (and the normaliser).
  std::vector<std::size_t> train;
  /// Rows for choosing options and early stopping.
  std::vector<std::size_t> validation;
  /// Rows held out for the final report.
  std::vector<std::size_t> test;
};

/// Splits 0..count-1: training takes round(count * train) rows, validation up to
/// round(count * (train + validation)), test the rest. Without shuffling each set is ascending
/// and consecutive; with it the rows are permuted by permutation(count, Random(seed)) first. A
/// ValueError for fractions outside [0, 1] or summing beyond 1.
Split split_indices(std::size_t count, const SplitOptions& options = {});

/// 0..count-1 shuffled by Fisher-Yates with draws from `random` (unbiased by rejection).
std::vector<std::size_t> permutation(std::size_t count, Random& random);

/// The order of 0..count-1 for epoch `epoch` of a run seeded with `seed`: the same (seed, epoch)
/// gives the same order anywhere, so a resumed run can recreate any epoch's order; each epoch's
/// generator is seeded with a SplitMix64 mix of seed and epoch.
std::vector<std::size_t> epoch_permutation(std::size_t count, std::uint64_t seed,
                                           std::uint64_t epoch);

/// Lists of row indices, one per batch.
using Batches = std::vector<std::vector<std::size_t>>;

/// `order` cut into consecutive batches of `batch_size` (>= 1, else a ValueError); the last batch
/// is shorter when the rows do not divide evenly, or left out with `drop_last`.
Batches make_batches(const std::vector<std::size_t>& order, std::size_t batch_size,
                     bool drop_last = false);

/// The rows `indices` of x (rank >= 1) along axis 0, in that order: x[indices[j], ...]. Any
/// rank: samples (rows, features), sequences (rows, timesteps, features), or more. A ShapeError
/// for a scalar, a ValueError naming an index beyond the rows.
Tensor take_rows(const Tensor& x, const std::vector<std::size_t>& indices);

/// Batched data flattened to rows, with the batch boundaries kept.
struct FlatBatches {
  /// x with its first two axes merged: (number of batches * batch, ...).
  Tensor data;
  /// batches[b] = the rows of batch b: b * batch .. (b + 1) * batch - 1.
  Batches batches;
};

/// LabVIEW's batched form (number of batches, batch, ...), e.g. inputs (number of batches, batch,
/// timesteps, features), as rows (number of batches * batch, ...) and the row lists of its
/// batches. A ShapeError below rank 2.
FlatBatches flatten_batches(const Tensor& x);

/// The inverse of flatten_batches: rows (number of batches * batch, ...) as (number of batches,
/// batch, ...). A ShapeError when the rows do not divide into `batch_count` batches.
Tensor unflatten_batches(const Tensor& rows, std::size_t batch_count);

}  // namespace grutape
