#pragma once
// Data movement along axes: permutations, ranges, joins, index lists and gathers, each with its
// adjoint. The results are new dense tensors.
//
// Around an axis a row-major tensor is a (outer, extent, inner) block: a range of the axis is
// `outer` contiguous runs of length * inner elements, so most of these are block copies. Copies
// need no fixed order; the scatter-adds run every output element's additions in index order, so
// they are bitwise the same for any thread count.
//
// These are the kernels behind autodiff/ops/shape.hpp, which checks the arguments and names the
// calling op in its errors; here the preconditions are only documented.

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace grutape {

/// "axis 1 (extent 5) of shape (2, 5)": how the shape ops name an axis in their errors.
std::string axis_to_string(const Shape& shape, std::size_t axis);

namespace detail {

/// x with its axes reordered: result axis i is x's axis `axes[i]` (a permutation of 0..rank-1).
Tensor permute_tensor(const Tensor& x, const std::vector<std::size_t>& axes);

/// The elements with index start .. start+length-1 on `axis` (start + length <= extent).
Tensor narrow_tensor(const Tensor& x, std::size_t axis, std::size_t start, std::size_t length);

/// The elements with index `index` on `axis` (< extent), with that axis removed.
Tensor select_tensor(const Tensor& x, std::size_t axis, std::size_t index);

/// Zeros of `shape` with `part` placed at indices start.. on `axis`: the adjoint of
/// narrow_tensor (and of select_tensor when `part` lacks the axis but has the same size).
Tensor embed_tensor(const Tensor& part, const Shape& shape, std::size_t axis, std::size_t start);

/// The parts joined along `axis`: one dtype, equal extents off `axis`, at least one part.
Tensor concat_tensors(const std::vector<Tensor>& parts, std::size_t axis);

/// The parts (one dtype, one shape, at least one) stacked along a new axis `axis` <= rank.
Tensor stack_tensors(const std::vector<Tensor>& parts, std::size_t axis);

/// x[..., indices[j], ...] along `axis` for j = 0, 1, ...; every index below the extent.
Tensor index_tensor(const Tensor& x, std::size_t axis, const std::vector<std::size_t>& indices);

/// Zeros of `shape` where g[..., j, ...] is added at indices[j] on `axis`, in the order of j: the
/// adjoint of index_tensor (repeated indices accumulate).
Tensor index_add_tensor(const Tensor& g, const Shape& shape, std::size_t axis,
                        const std::vector<std::size_t>& indices);

/// torch.gather: out[i] = x[i with i_axis replaced by index[i]]. The index has x's rank, extents
/// no larger than x's off `axis`, and values below x's extent on `axis`; out has its shape.
Tensor gather_tensor(const Tensor& x, std::size_t axis, const xt::xarray<std::size_t>& index);

/// Zeros of `shape` where g[i] is added at the position gather_tensor read out[i] from, in
/// row-major order of i: the adjoint of gather_tensor.
Tensor scatter_add_tensor(const Tensor& g, const Shape& shape, std::size_t axis,
                          const xt::xarray<std::size_t>& index);

}  // namespace detail
}  // namespace grutape
