#pragma once
// Sum and max over axes. Each output is accumulated in a fixed order over fixed blocks, so results
// are bitwise the same for any thread count.

#include <vector>

#include "core/tensor.hpp"

namespace grutape {

/// Sum over `axes` (normalised: sorted, unique, in range; empty = nothing reduced).
Tensor reduce_sum(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims);

/// Maximum over `axes`; a ShapeError naming `where` when a reduced axis has extent 0.
Tensor reduce_max(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims);

/// The sum of a broadcast gradient back onto the operand's `shape` (the adjoint of broadcasting).
Tensor sum_to_shape(const Tensor& x, const Shape& shape);

}  // namespace grutape
