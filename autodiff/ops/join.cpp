// Shape ops that join several values into one or cut one into several.
#include "autodiff/custom_op.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/indexing.hpp"

namespace grutape {
namespace {

using Grads = std::vector<Tensor>;

// A ValueError naming `where` for an empty list, or one whose values differ in dtype.
void require_joinable(const std::vector<Value>& xs, const std::string& where) {
  if (xs.empty()) throw ValueError(where, "at least one value", "none");
  for (std::size_t k = 1; k < xs.size(); ++k) {
    if (xs[k].dtype() != xs[0].dtype()) {
      throw ValueError(
          where,
          std::string("values of one dtype (") + dtype_name(xs[0].dtype()) + ", that of value 0)",
          std::string(dtype_name(xs[k].dtype())) + " for value " + std::to_string(k));
    }
  }
}

std::vector<Tensor> values_of(const std::vector<Value>& xs) {
  std::vector<Tensor> tensors;
  for (const Value& x : xs) tensors.push_back(x.value());
  return tensors;
}

std::vector<bool> needs_grad(const std::vector<Value>& xs) {
  std::vector<bool> needs;
  for (const Value& x : xs) needs.push_back(x.requires_grad());
  return needs;
}

}  // namespace

Value concat(const std::vector<Value>& xs, long axis) {
  require_joinable(xs, "concat");
  const Shape first = xs[0].shape();
  const std::size_t a = normalize_axis(axis, first.size(), "concat");
  std::vector<std::size_t> extents;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    Shape shape = xs[k].shape();
    bool fits = shape.size() == first.size();
    for (std::size_t d = 0; fits && d < shape.size(); ++d) fits = d == a || shape[d] == first[d];
    if (!fits) {
      throw ShapeError("concat",
                       "shapes equal to " + shape_to_string(first) +
                           " (that of value 0) except on axis " + std::to_string(a),
                       shape_to_string(shape) + " for value " + std::to_string(k));
    }
    extents.push_back(shape[a]);
  }
  const std::vector<bool> needs = needs_grad(xs);
  return record_op("concat", detail::concat_tensors(values_of(xs), a), xs,
                   [a, extents, needs](const Tensor& g) {
                     // y = [x_0, x_1, ...] along axis  =>  dx_k = g[offset_k : offset_k + extent_k]
                     Grads grads(extents.size());
                     std::size_t offset = 0;
                     for (std::size_t k = 0; k < extents.size(); ++k) {
                       if (needs[k]) grads[k] = detail::narrow_tensor(g, a, offset, extents[k]);
                       offset += extents[k];
                     }
                     return grads;
                   });
}

Value stack(const std::vector<Value>& xs, long axis) {
  require_joinable(xs, "stack");
  const Shape first = xs[0].shape();
  const std::size_t a = normalize_axis(axis, first.size() + 1, "stack");
  for (std::size_t k = 1; k < xs.size(); ++k) {
    if (xs[k].shape() != first) {
      throw ShapeError("stack", "shapes equal to " + shape_to_string(first) + " (that of value 0)",
                       shape_to_string(xs[k].shape()) + " for value " + std::to_string(k));
    }
  }
  const std::vector<bool> needs = needs_grad(xs);
  return record_op("stack", detail::stack_tensors(values_of(xs), a), xs,
                   [a, needs](const Tensor& g) {
                     // y[k] = x_k on the new axis  =>  dx_k = g[k] on it
                     Grads grads(needs.size());
                     for (std::size_t k = 0; k < needs.size(); ++k) {
                       if (needs[k]) grads[k] = detail::select_tensor(g, a, k);
                     }
                     return grads;
                   });
}

std::vector<Value> split(const Value& x, const std::vector<std::size_t>& sizes, long axis) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "split");
  std::size_t total = 0;
  for (std::size_t size : sizes) total += size;
  if (sizes.empty() || total != shape[a]) {
    throw ShapeError("split",
                     "one or more sizes summing to " + std::to_string(shape[a]) +
                         ", the extent of " + axis_to_string(shape, a),
                     "sizes " + shape_to_string(sizes));
  }
  std::vector<Tensor> pieces;
  std::size_t offset = 0;
  for (std::size_t size : sizes) {
    pieces.push_back(detail::narrow_tensor(x.value(), a, offset, size));
    offset += size;
  }
  const DType dtype = x.dtype();
  return record_multi_op("split", std::move(pieces), {x},
                         [shape, a, sizes, dtype](const std::vector<Tensor>& grads) {
                           // y_k = x[offset_k : offset_k + size_k] on axis  =>  dx = [g_0, g_1,
                           // ...] along axis
                           std::vector<Tensor> parts;
                           for (std::size_t k = 0; k < sizes.size(); ++k) {
                             Shape piece = shape;
                             piece[a] = sizes[k];
                             parts.push_back(grad_or_zeros(grads[k], piece, dtype));
                           }
                           return Grads{detail::concat_tensors(parts, a)};
                         });
}

std::vector<Value> chunk(const Value& x, std::size_t chunks, long axis) {
  const Shape shape = x.shape();
  const std::size_t a = normalize_axis(axis, shape.size(), "chunk");
  if (chunks == 0 || shape[a] % chunks != 0) {
    throw ShapeError("chunk",
                     "a number of chunks that divides the extent of " + axis_to_string(shape, a),
                     std::to_string(chunks) + " chunks");
  }
  return split(x, std::vector<std::size_t>(chunks, shape[a] / chunks), axis);
}

}  // namespace grutape
