#pragma once
// The data side of fit() and evaluate(): labelled data read as rows (pre-batched input
// flattened, its batches kept), the validation split, each epoch's batches, one batch's rows.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "optim/data/dataset.hpp"
#include "optim/training/fit_options.hpp"

namespace grutape {

/// Labelled data with samples on axis 0.
struct RowData {
  /// x, y and the optional weights and mask, each with one row per sample.
  LabeledData rows;
  /// The batch size of pre-batched input, whose batches are consecutive runs of this many rows;
  /// 0 for input read as rows.
  std::size_t fixed_batch = 0;

  /// The number of samples.
  std::size_t count() const { return rows.x.shape()[0]; }
};

/// Whether `batching` reads `x` as (number of batches, batch, ...).
bool reads_as_batches(const Tensor& x, InputBatching batching);

/// `data` as rows: pre-batched tensors flattened (flatten_batches). A ShapeError naming `where`
/// when x lacks a sample axis, or when y, sample_weight or mask do not share x's leading axes
/// (and, for pre-batched input, its batch axes); a ValueError for an undefined x or y.
RowData to_rows(const LabeledData& data, InputBatching batching, const std::string& where);

/// The training and validation parts: the first floor(count * (1 - fraction)) rows (or whole
/// batches) and the rest, in order. A ValueError when the training part would be empty.
std::pair<RowData, RowData> split_validation(const RowData& data, double fraction);

/// The batches of one epoch: pre-batched data in its own batches, else consecutive runs of
/// `batch_size`; with `shuffle` the rows (or the batches) in epoch_permutation(.., seed, epoch)
/// order.
Batches epoch_batches(const RowData& data, std::size_t batch_size, bool shuffle, std::uint64_t seed,
                      std::size_t epoch);

/// The rows `indices` of every defined tensor of `rows`.
LabeledData take_batch(const LabeledData& rows, const std::vector<std::size_t>& indices);

}  // namespace grutape
