#pragma once
// Shape ops on values: reshaping, permuting, taking ranges, joining, splitting and indexing. Each
// op copies its result into a new dense tensor and records a backward that moves the gradient
// back: into zeros of the input's shape for the ops that take part of the input, split up for
// the ops that join several inputs.
//
// Axes may be negative (counted from the end, as in numpy). Every bad argument is a ShapeError
// (a ValueError for an empty list of values) naming the op, what it expected and what came.

#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// x with the same elements in row-major order under `shape`, of the same size.
Value reshape(const Value& x, const Shape& shape);

/// x with its axes reordered: result axis i is x's axis axes[i]; `axes` is a permutation of
/// 0..rank-1.
Value permute(const Value& x, const std::vector<std::size_t>& axes);

/// x with its last two axes swapped (rank >= 2).
Value transpose(const Value& x);

/// The `length` elements from index `start` on `axis` (torch.narrow); start + length <= extent.
Value narrow(const Value& x, long axis, std::size_t start, std::size_t length);

/// The elements with index in [begin, end) on `axis`; begin <= end <= extent.
Value slice(const Value& x, long axis, std::size_t begin, std::size_t end);

/// The elements with index `index` on `axis`, with the axis removed (torch.select): a copy of
/// contiguous blocks, e.g. time step t of (batch, time, features) is `batch` block copies.
Value select(const Value& x, long axis, std::size_t index);

/// The values joined along `axis`: at least one, one dtype, one rank, equal extents off `axis`.
Value concat(const std::vector<Value>& xs, long axis);

/// The values (at least one, one dtype, one shape) stacked along a new axis; `axis` may be
/// -(rank+1)..rank, where rank is the rank of each value.
Value stack(const std::vector<Value>& xs, long axis);

/// x cut along `axis` into pieces of the given extents, which sum to the axis's extent (at least
/// one piece). All pieces come from one tape entry.
std::vector<Value> split(const Value& x, const std::vector<std::size_t>& sizes, long axis);

/// x cut along `axis` into `chunks` pieces of equal extent; `chunks` must divide the extent.
std::vector<Value> chunk(const Value& x, std::size_t chunks, long axis);

/// x[..., indices[j], ...] along `axis` for each j; indices may repeat (embedding lookups), and
/// the gradient of a repeated row is the sum over its uses.
Value index_select(const Value& x, long axis, const std::vector<std::size_t>& indices);

/// torch.gather: out[i] = x[i with i_axis replaced by index[i]], e.g. out[i][j][k] =
/// x[i][index[i][j][k]][k] for axis 1. The index has x's rank and extents no larger than x's off
/// `axis`; the result has the index's shape. Repeated positions accumulate in the gradient.
Value gather(const Value& x, long axis, const xt::xarray<std::size_t>& index);

}  // namespace grutape
