#pragma once
// Sum and max over axes. Each output is accumulated in a fixed order over fixed blocks, so results
// are bitwise the same for any thread count.

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace grutape {

/// Sum over `axes` (normalised: sorted, unique, in range, else a ShapeError; empty = nothing
/// reduced). A sum over an empty axis is 0.
Tensor reduce_sum(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims);

/// Maximum over `axes` (normalised as for reduce_sum); NaN wins. A ShapeError naming `where` when
/// a reduced axis has extent 0.
Tensor reduce_max(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims,
                  const std::string& where = "reduce_max");

/// The sum of a broadcast gradient back onto the operand's `shape` (the adjoint of broadcasting).
Tensor sum_to_shape(const Tensor& x, const Shape& shape);

/// x repeated numpy-style over `shape` (the adjoint of sum_to_shape); a ShapeError names both
/// shapes when x does not broadcast to `shape`.
Tensor broadcast_to(const Tensor& x, const Shape& shape);

}  // namespace grutape
