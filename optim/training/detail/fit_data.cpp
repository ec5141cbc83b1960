#include "optim/training/detail/fit_data.hpp"

#include <cmath>

#include "core/text.hpp"

namespace grutape {
namespace {

// A ShapeError unless `tensor` (when defined) starts with the `axes` leading extents of x.
void require_leading(const Tensor& tensor, const Shape& x_shape, std::size_t axes,
                     const std::string& name, const std::string& where) {
  if (!tensor.defined()) return;
  const Shape shape = tensor.shape();
  const Shape leading(x_shape.begin(), x_shape.begin() + axes);
  if (shape.size() < axes || !std::equal(leading.begin(), leading.end(), shape.begin())) {
    throw ShapeError(where, name + " whose leading extents are x's " + shape_to_string(leading),
                     name + " of shape " + shape_to_string(shape));
  }
}

Tensor flattened(const Tensor& tensor) {
  return tensor.defined() ? flatten_batches(tensor).data : tensor;
}

Tensor rows_of(const Tensor& tensor, const std::vector<std::size_t>& indices) {
  return tensor.defined() ? take_rows(tensor, indices) : tensor;
}

std::vector<std::size_t> range(std::size_t begin, std::size_t end) {
  std::vector<std::size_t> indices;
  for (std::size_t i = begin; i < end; ++i) indices.push_back(i);
  return indices;
}

RowData part(const RowData& data, std::size_t begin, std::size_t end) {
  return RowData{take_batch(data.rows, range(begin, end)), data.fixed_batch};
}

}  // namespace

bool reads_as_batches(const Tensor& x, InputBatching batching) {
  return batching == InputBatching::batches ||
         (batching == InputBatching::automatic && x.rank() == 4);
}

RowData to_rows(const LabeledData& data, InputBatching batching, const std::string& where) {
  if (!data.x.defined()) throw ValueError(where, "inputs x", "an undefined tensor");
  if (!data.y.defined()) throw ValueError(where, "targets y", "an undefined tensor");
  const bool batched = reads_as_batches(data.x, batching);
  const std::size_t axes = batched ? 2 : 1;
  if (data.x.rank() < axes) {
    throw ShapeError(
        where, batched ? "inputs x (number of batches, batch, ...)" : "inputs x (samples, ...)",
        "x of shape " + shape_to_string(data.x.shape()));
  }
  require_leading(data.y, data.x.shape(), axes, "targets y", where);
  require_leading(data.sample_weight, data.x.shape(), axes, "sample_weight", where);
  require_leading(data.mask, data.x.shape(), axes, "mask", where);
  if (!batched) return RowData{data, 0};
  if (data.x.shape()[1] == 0) {
    throw ShapeError(where, "batches of at least one row",
                     "x of shape " + shape_to_string(data.x.shape()));
  }
  const LabeledData rows{flattened(data.x), flattened(data.y), flattened(data.sample_weight),
                         flattened(data.mask)};
  return RowData{rows, data.x.shape()[1]};
}

std::pair<RowData, RowData> split_validation(const RowData& data, double fraction) {
  const std::size_t unit = data.fixed_batch == 0 ? 1 : data.fixed_batch;
  const std::size_t units = data.fixed_batch == 0 ? data.count() : data.count() / unit;
  const auto kept = static_cast<std::size_t>(std::floor(units * (1.0 - fraction)));
  if (kept == 0) {
    throw ValueError(
        "fit: validation_split",
        std::string("a split that leaves training ") + (data.fixed_batch ? "batches" : "rows"),
        "none of " + std::to_string(units) +
            " left by validation_split = " + format_number(fraction));
  }
  return {part(data, 0, kept * unit), part(data, kept * unit, data.count())};
}

Batches epoch_batches(const RowData& data, std::size_t batch_size, bool shuffle, std::uint64_t seed,
                      std::size_t epoch) {
  if (data.fixed_batch == 0) {
    const std::vector<std::size_t> order =
        shuffle ? epoch_permutation(data.count(), seed, epoch) : range(0, data.count());
    return make_batches(order, batch_size);
  }
  const std::size_t count = data.count() / data.fixed_batch;
  const std::vector<std::size_t> order =
      shuffle ? epoch_permutation(count, seed, epoch) : range(0, count);
  Batches batches;
  for (std::size_t b : order) {
    batches.push_back(range(b * data.fixed_batch, (b + 1) * data.fixed_batch));
  }
  return batches;
}

LabeledData take_batch(const LabeledData& rows, const std::vector<std::size_t>& indices) {
  return LabeledData{rows_of(rows.x, indices), rows_of(rows.y, indices),
                     rows_of(rows.sample_weight, indices), rows_of(rows.mask, indices)};
}

}  // namespace grutape
