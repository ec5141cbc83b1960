// Shape ops that take one value: reshape, permute, ranges and indexing (joins are in join.cpp).
#include "autodiff/ops/shape.hpp"

#include <memory>

#include "autodiff/custom_op.hpp"
#include "core/indexing.hpp"

namespace grutape {
namespace {

using Grads = std::vector<Tensor>;

// The elements start .. start+length-1 of an already checked range on `axis`.
Value take_range(const char* name, const Value& x, std::size_t axis, std::size_t start,
                 std::size_t length) {
  const Shape shape = x.shape();
  return record_op(name, detail::narrow_tensor(x.value(), axis, start, length), {x},
                   [shape, axis, start](const Tensor& g) {
                     // y = x[start : start + length] on axis  =>  dx = g there, 0 elsewhere
                     return Grads{detail::embed_tensor(g, shape, axis, start)};
                   });
}

std::string permutation_expected(const Shape& shape) {
  if (shape.empty()) return "an empty permutation for shape ()";
  return "a permutation of 0.." + std::to_string(shape.size() - 1) + " for shape " +
         shape_to_string(shape);
}

}  // namespace

Value reshape(const Value& x, const Shape& shape) {
  const Shape from = x.shape();
  if (shape_size(shape) != shape_size(from)) {
    throw ShapeError(
        "reshape",
        "a shape of " + std::to_string(shape_size(from)) + " elements, like " +
            shape_to_string(from),
        shape_to_string(shape) + " with " + std::to_string(shape_size(shape)) + " elements");
  }
  return record_op("reshape", x.value().reshaped(shape), {x}, [from](const Tensor& g) {
    // y = x under another shape  =>  dx = g under x's shape
    return Grads{g.reshaped(from)};
  });
}

Value permute(const Value& x, const std::vector<std::size_t>& axes) {
  const Shape shape = x.shape();
  const std::size_t rank = shape.size();
  std::vector<bool> seen(rank, false);
  bool valid = axes.size() == rank;
  for (std::size_t k = 0; valid && k < axes.size(); ++k) {
    valid = axes[k] < rank && !seen[axes[k]];
    if (valid) seen[axes[k]] = true;
  }
  if (!valid) throw ShapeError("permute", permutation_expected(shape), shape_to_string(axes));
  std::vector<std::size_t> inverse(rank);
  for (std::size_t k = 0; k < rank; ++k) inverse[axes[k]] = k;
  return record_op("permute", detail::permute_tensor(x.value(), axes), {x},
                   [inverse](const Tensor& g) {
                     // y axis k = x axis axes[k]  =>  dx axis axes[k] = g axis k
                     return Grads{detail::permute_tensor(g, inverse)};
                   });
}

Value transpose(const Value& x) {
  const std::size_t rank = x.rank();
  if (rank < 2) {
    throw ShapeError("transpose", "a value of rank 2 or more",
                     "shape " + shape_to_string(x.shape()));
  }
  std::vector<std::size_t> axes(rank);
  for (std::size_t k = 0; k < rank; ++k) axes[k] = k;
  std::swap(axes[rank - 2], axes[rank - 1]);
  return permute(x, axes);
}

Value narrow(const Value& x, long axis, std::size_t start, std::size_t length) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "narrow");
  if (start > shape[a] || length > shape[a] - start) {
    throw ShapeError(
        "narrow",
        "start + length <= " + std::to_string(shape[a]) + " on " + axis_to_string(shape, a),
        "start " + std::to_string(start) + ", length " + std::to_string(length));
  }
  return take_range("narrow", x, a, start, length);
}

Value slice(const Value& x, long axis, std::size_t begin, std::size_t end) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "slice");
  if (begin > end || end > shape[a]) {
    throw ShapeError(
        "slice", "begin <= end <= " + std::to_string(shape[a]) + " on " + axis_to_string(shape, a),
        "begin " + std::to_string(begin) + ", end " + std::to_string(end));
  }
  return take_range("slice", x, a, begin, end - begin);
}

Value select(const Value& x, long axis, std::size_t index) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "select");
  if (index >= shape[a]) {
    throw ShapeError(
        "select", "an index below " + std::to_string(shape[a]) + " on " + axis_to_string(shape, a),
        "index " + std::to_string(index));
  }
  return record_op("select", detail::select_tensor(x.value(), a, index), {x},
                   [shape, a, index](const Tensor& g) {
                     // y = x[index] on axis (axis removed)  =>  dx = g at index, 0 elsewhere
                     return Grads{detail::embed_tensor(g, shape, a, index)};
                   });
}

Value index_select(const Value& x, long axis, const std::vector<std::size_t>& indices) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "index_select");
  for (std::size_t j = 0; j < indices.size(); ++j) {
    if (indices[j] >= shape[a]) {
      throw ShapeError(
          "index_select",
          "indices below " + std::to_string(shape[a]) + " on " + axis_to_string(shape, a),
          "index " + std::to_string(indices[j]) + " at position " + std::to_string(j));
    }
  }
  return record_op("index_select", detail::index_tensor(x.value(), a, indices), {x},
                   [shape, a, indices](const Tensor& g) {
                     // y[j] = x[indices[j]] on axis  =>  dx[i] = sum of g[j] over j with indices[j]
                     // = i
                     return Grads{detail::index_add_tensor(g, shape, a, indices)};
                   });
}

Value gather(const Value& x, long axis, const xt::xarray<std::size_t>& index) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "gather");
  const Shape index_shape(index.shape().begin(), index.shape().end());
  if (index_shape.size() != shape.size()) {
    throw ShapeError("gather",
                     "an index of rank " + std::to_string(shape.size()) + ", the rank of x " +
                         shape_to_string(shape),
                     "an index of shape " + shape_to_string(index_shape));
  }
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (d != a && index_shape[d] > shape[d]) {
      throw ShapeError("gather",
                       "index extents no larger than those of x " + shape_to_string(shape) +
                           " off axis " + std::to_string(a),
                       "an index of shape " + shape_to_string(index_shape));
    }
  }
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (index.data()[i] >= shape[a]) {
      throw ShapeError(
          "gather",
          "index values below " + std::to_string(shape[a]) + " on " + axis_to_string(shape, a),
          "value " + std::to_string(index.data()[i]) + " at element " + std::to_string(i) +
              " of the index");
    }
  }
  // The index is the caller's: keep one copy of it for backward, only when backward can run.
  std::shared_ptr<const xt::xarray<std::size_t>> saved;
  if (should_record({x})) saved = std::make_shared<const xt::xarray<std::size_t>>(index);
  return record_op("gather", detail::gather_tensor(x.value(), a, index), {x},
                   [shape, a, saved](const Tensor& g) {
                     // y[i] = x[i with i_axis = index[i]]  =>  dx at that position += g[i]
                     return Grads{detail::scatter_add_tensor(g, shape, a, *saved)};
                   });
}

}  // namespace grutape
