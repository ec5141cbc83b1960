#include "core/indexing.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace grutape {
namespace {

// Elements one task copies, and columns one scatter-add task owns.
constexpr std::size_t kCopyBlock = 16384;
constexpr std::size_t kColumnBlock = 1024;

template <class T>
using Array = Tensor::Array<T>;

// A row-major shape seen as (outer, extent, inner) around one axis.
struct AxisLayout {
  std::size_t outer = 1;
  std::size_t extent = 1;
  std::size_t inner = 1;
};

AxisLayout axis_layout(const Shape& shape, std::size_t axis) {
  AxisLayout layout;
  for (std::size_t a = 0; a < axis; ++a) layout.outer *= shape[a];
  layout.extent = shape[axis];
  for (std::size_t a = axis + 1; a < shape.size(); ++a) layout.inner *= shape[a];
  return layout;
}

template <class T>
Shape shape_of(const Array<T>& x) {
  return Shape(x.shape().begin(), x.shape().end());
}

std::vector<std::size_t> row_major_strides(const Shape& shape) {
  std::vector<std::size_t> strides(shape.size(), 1);
  for (std::size_t a = shape.size(); a-- > 1;) strides[a - 1] = strides[a] * shape[a];
  return strides;
}

// Copies rows [src_start, src_start + length) of src, seen as (outer, src_extent, inner), to rows
// [dst_start, dst_start + length) of dst, seen as (outer, dst_extent, inner): `outer` contiguous
// blocks of length * inner elements.
template <class T>
void copy_rows(const T* src, std::size_t src_extent, std::size_t src_start, T* dst,
               std::size_t dst_extent, std::size_t dst_start, std::size_t length, std::size_t outer,
               std::size_t inner) {
  const std::size_t block = length * inner;
  if (block == 0) return;
  parallel_blocks(
      outer, std::max<std::size_t>(1, kCopyBlock / block),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
          const T* from = src + (o * src_extent + src_start) * inner;
          std::copy(from, from + block, dst + (o * dst_extent + dst_start) * inner);
        }
      },
      block);
}

// Joins parts seen as (outer, extents[k], inner) into out, seen as (outer, sum of extents, inner).
template <class T>
void join_rows(const std::vector<const T*>& parts, const std::vector<std::size_t>& extents, T* out,
               std::size_t outer, std::size_t inner) {
  const std::size_t count = parts.size();
  std::vector<std::size_t> offsets(count + 1, 0);
  for (std::size_t k = 0; k < count; ++k) offsets[k + 1] = offsets[k] + extents[k];
  const std::size_t total = offsets[count];
  // One item is one part's block within one outer index.
  const std::size_t items = outer * count;
  if (items == 0 || total * inner == 0) return;
  const std::size_t average = std::max<std::size_t>(1, total * inner / count);
  parallel_blocks(
      items, std::max<std::size_t>(1, kCopyBlock / average),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t item = begin; item < end; ++item) {
          const std::size_t o = item / count, k = item % count;
          const std::size_t block = extents[k] * inner;
          const T* from = parts[k] + o * block;
          std::copy(from, from + block, out + (o * total + offsets[k]) * inner);
        }
      },
      average);
}

template <class T>
Array<T> permute_array(const Array<T>& x, const std::vector<std::size_t>& axes) {
  const Shape in_shape = shape_of(x);
  const std::size_t rank = in_shape.size();
  const std::vector<std::size_t> in_strides = row_major_strides(in_shape);
  Shape out_shape(rank);
  std::vector<std::size_t> strides(rank);  // x's stride along each result axis
  for (std::size_t i = 0; i < rank; ++i) {
    out_shape[i] = in_shape[axes[i]];
    strides[i] = in_strides[axes[i]];
  }
  auto out = Array<T>::from_shape(out_shape);
  if (out.size() == 0) return out;
  if (rank == 0) {
    out.data()[0] = x.data()[0];
    return out;
  }
  // Each result row reads x with one stride; only the row start needs index arithmetic.
  const std::size_t row_length = out_shape.back(), step = strides.back();
  const T* src = x.data();
  T* dst = out.data();
  parallel_blocks(
      out.size() / row_length, std::max<std::size_t>(1, kCopyBlock / row_length),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t row = begin; row < end; ++row) {
          std::size_t offset = 0, rest = row;
          for (std::size_t a = rank - 1; a-- > 0;) {
            offset += (rest % out_shape[a]) * strides[a];
            rest /= out_shape[a];
          }
          T* target = dst + row * row_length;
          if (step == 1) {
            std::copy(src + offset, src + offset + row_length, target);
          } else {
            for (std::size_t j = 0; j < row_length; ++j) target[j] = src[offset + j * step];
          }
        }
      },
      row_length);
  return out;
}

// Calls f(i, offset) for the index elements i of rows [row_begin, row_end) of `index` (rows run
// over its last axis), in order, with `offset` the row-major position in x that gather reads.
template <class F>
void for_gathered(const xt::xarray<std::size_t>& index, const std::vector<std::size_t>& x_strides,
                  std::size_t axis, std::size_t row_begin, std::size_t row_end, F f) {
  const std::size_t rank = index.dimension();
  const std::size_t last = index.shape()[rank - 1];
  const std::size_t* values = index.data();
  for (std::size_t row = row_begin; row < row_end; ++row) {
    std::size_t base = 0, rest = row;
    for (std::size_t a = rank - 1; a-- > 0;) {
      const std::size_t i = rest % index.shape()[a];
      rest /= index.shape()[a];
      if (a != axis) base += i * x_strides[a];
    }
    const std::size_t along_last = axis == rank - 1 ? 0 : 1;  // x's last stride is 1
    for (std::size_t j = 0; j < last; ++j) {
      const std::size_t i = row * last + j;
      f(i, base + j * along_last + values[i] * x_strides[axis]);
    }
  }
}

template <class F>
decltype(auto) with_array(const Tensor& x, F f) {
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return Tensor(f(a, T{}));
  });
}

}  // namespace

std::string axis_to_string(const Shape& shape, std::size_t axis) {
  return "axis " + std::to_string(axis) + " (extent " + std::to_string(shape[axis]) +
         ") of shape " + shape_to_string(shape);
}

namespace detail {

Tensor permute_tensor(const Tensor& x, const std::vector<std::size_t>& axes) {
  return with_array(x, [&](const auto& a, auto) { return permute_array(a, axes); });
}

Tensor narrow_tensor(const Tensor& x, std::size_t axis, std::size_t start, std::size_t length) {
  Shape shape = x.shape();
  const AxisLayout layout = axis_layout(shape, axis);
  shape[axis] = length;
  return with_array(x, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    copy_rows(a.data(), layout.extent, start, out.data(), length, 0, length, layout.outer,
              layout.inner);
    return out;
  });
}

Tensor select_tensor(const Tensor& x, std::size_t axis, std::size_t index) {
  Shape shape = x.shape();
  const AxisLayout layout = axis_layout(shape, axis);
  shape.erase(shape.begin() + static_cast<long>(axis));
  return with_array(x, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    copy_rows(a.data(), layout.extent, index, out.data(), 1, 0, 1, layout.outer, layout.inner);
    return out;
  });
}

Tensor embed_tensor(const Tensor& part, const Shape& shape, std::size_t axis, std::size_t start) {
  const AxisLayout layout = axis_layout(shape, axis);
  // A part without the axis (the gradient of select) covers one index of it.
  const std::size_t length = part.rank() == shape.size() ? part.shape()[axis] : 1;
  return with_array(part, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    out.fill(T(0));
    copy_rows(a.data(), length, 0, out.data(), layout.extent, start, length, layout.outer,
              layout.inner);
    return out;
  });
}

Tensor concat_tensors(const std::vector<Tensor>& parts, std::size_t axis) {
  Shape shape = parts[0].shape();
  const AxisLayout layout = axis_layout(shape, axis);
  std::vector<std::size_t> extents;
  for (const Tensor& part : parts) extents.push_back(part.shape()[axis]);
  shape[axis] = 0;
  for (std::size_t extent : extents) shape[axis] += extent;
  return with_array(parts[0], [&](const auto&, auto zero) {
    using T = decltype(zero);
    std::vector<const T*> data;
    for (const Tensor& part : parts) data.push_back(part.array<T>().data());
    auto out = Array<T>::from_shape(shape);
    join_rows(data, extents, out.data(), layout.outer, layout.inner);
    return out;
  });
}

Tensor stack_tensors(const std::vector<Tensor>& parts, std::size_t axis) {
  Shape shape = parts[0].shape();
  shape.insert(shape.begin() + static_cast<long>(axis), parts.size());
  const AxisLayout layout = axis_layout(shape, axis);
  const std::vector<std::size_t> extents(parts.size(), 1);
  return with_array(parts[0], [&](const auto&, auto zero) {
    using T = decltype(zero);
    std::vector<const T*> data;
    for (const Tensor& part : parts) data.push_back(part.array<T>().data());
    auto out = Array<T>::from_shape(shape);
    join_rows(data, extents, out.data(), layout.outer, layout.inner);
    return out;
  });
}

Tensor index_tensor(const Tensor& x, std::size_t axis, const std::vector<std::size_t>& indices) {
  Shape shape = x.shape();
  const AxisLayout layout = axis_layout(shape, axis);
  const std::size_t count = indices.size(), inner = layout.inner;
  shape[axis] = count;
  return with_array(x, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    if (out.size() == 0) return out;
    const T* src = a.data();
    T* dst = out.data();
    // Row r = o * count + j of the result is row indices[j] of x's block o.
    parallel_blocks(
        layout.outer * count, std::max<std::size_t>(1, kCopyBlock / inner),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t row = begin; row < end; ++row) {
            const std::size_t o = row / count, j = row % count;
            const T* from = src + (o * layout.extent + indices[j]) * inner;
            std::copy(from, from + inner, dst + row * inner);
          }
        },
        inner);
    return out;
  });
}

Tensor index_add_tensor(const Tensor& g, const Shape& shape, std::size_t axis,
                        const std::vector<std::size_t>& indices) {
  const AxisLayout layout = axis_layout(shape, axis);
  const std::size_t count = indices.size(), inner = layout.inner;
  return with_array(g, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    out.fill(T(0));
    if (a.size() == 0) return out;
    const T* src = a.data();
    T* dst = out.data();
    // A task owns a block of columns of one outer index and adds every j into it in order, so
    // repeated indices accumulate in the same order for any number of threads.
    const std::size_t column_blocks = (inner + kColumnBlock - 1) / kColumnBlock;
    parallel_blocks(
        layout.outer * column_blocks, 1,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t task = begin; task < end; ++task) {
            const std::size_t o = task / column_blocks;
            const std::size_t first = (task % column_blocks) * kColumnBlock;
            const std::size_t last = std::min(inner, first + kColumnBlock);
            for (std::size_t j = 0; j < count; ++j) {
              const T* from = src + (o * count + j) * inner;
              T* to = dst + (o * layout.extent + indices[j]) * inner;
              for (std::size_t c = first; c < last; ++c) to[c] += from[c];
            }
          }
        },
        count * kColumnBlock);
    return out;
  });
}

Tensor gather_tensor(const Tensor& x, std::size_t axis, const xt::xarray<std::size_t>& index) {
  const std::vector<std::size_t> x_strides = row_major_strides(x.shape());
  const Shape shape(index.shape().begin(), index.shape().end());
  return with_array(x, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    if (out.size() == 0) return out;
    const std::size_t last = shape.back();
    const T* src = a.data();
    T* dst = out.data();
    parallel_blocks(
        out.size() / last, std::max<std::size_t>(1, kCopyBlock / last),
        [&](std::size_t begin, std::size_t end) {
          for_gathered(index, x_strides, axis, begin, end,
                       [&](std::size_t i, std::size_t offset) { dst[i] = src[offset]; });
        },
        last);
    return out;
  });
}

Tensor scatter_add_tensor(const Tensor& g, const Shape& shape, std::size_t axis,
                          const xt::xarray<std::size_t>& index) {
  const std::vector<std::size_t> x_strides = row_major_strides(shape);
  return with_array(g, [&](const auto& a, auto zero) {
    using T = decltype(zero);
    auto out = Array<T>::from_shape(shape);
    out.fill(T(0));
    if (a.size() == 0) return out;
    const std::size_t last = index.shape()[index.dimension() - 1];
    const std::size_t rows = index.size() / last;
    // Index elements that agree on the axes before `axis` write into one slab of the result and
    // no other: slabs run in parallel, each in row-major order.
    std::size_t slabs = 1;
    for (std::size_t d = 0; d < axis; ++d) slabs *= index.shape()[d];
    const std::size_t rows_per_slab = rows / slabs;
    const T* src = a.data();
    T* dst = out.data();
    parallel_blocks(
        slabs, std::max<std::size_t>(1, kCopyBlock / (rows_per_slab * last)),
        [&](std::size_t begin, std::size_t end) {
          for_gathered(index, x_strides, axis, begin * rows_per_slab, end * rows_per_slab,
                       [&](std::size_t i, std::size_t offset) { dst[offset] += src[i]; });
        },
        rows_per_slab * last);
    return out;
  });
}

}  // namespace detail
}  // namespace grutape
