#pragma once
// Elementwise kernels for library sources (not a public header: it pulls in xsimd).
//
// map(x..., op) applies `op` to xsimd batches of the operands, broadcast numpy-style, and returns
// a new tensor. `op` is a generic callable over xsimd::batch<T>; the tail of each row is padded to
// a full batch, so every element goes through the same instructions wherever it lies. Rows run in
// parallel blocks (core/parallel.hpp): results are bitwise the same for any thread count.

#include <array>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "core/parallel.hpp"
#include "core/tensor.hpp"

namespace grutape::detail {

/// Elements per parallel work item of map: a multiple of every xsimd batch width.
constexpr std::size_t kMapBlock = 16384;

/// Operand strides laid over the output shape (0 on broadcast axes), with adjacent axes merged
/// wherever every operand is contiguous across them.
template <std::size_t N>
struct BroadcastLayout {
  Shape extents;                                    // merged output extents
  std::array<std::vector<std::size_t>, N> strides;  // per operand, per merged axis
};

template <std::size_t N>
BroadcastLayout<N> broadcast_layout(const Shape& out, const std::array<Shape, N>& in) {
  const std::size_t rank = out.size();
  std::array<std::vector<std::size_t>, N> full;
  for (std::size_t k = 0; k < N; ++k) {
    full[k].assign(rank, 0);
    std::size_t stride = 1;
    for (std::size_t i = 0; i < in[k].size(); ++i) {
      const std::size_t axis = rank - 1 - i;
      const std::size_t extent = in[k][in[k].size() - 1 - i];
      full[k][axis] = extent == 1 ? 0 : stride;
      stride *= extent;
    }
  }
  BroadcastLayout<N> layout;
  for (std::size_t axis = 0; axis < rank; ++axis) {
    if (out[axis] == 1) continue;
    bool merge = !layout.extents.empty();
    for (std::size_t k = 0; k < N && merge; ++k) {
      merge = layout.strides[k].back() == full[k][axis] * out[axis];
    }
    if (merge) {
      layout.extents.back() *= out[axis];
      for (std::size_t k = 0; k < N; ++k) layout.strides[k].back() = full[k][axis];
    } else {
      layout.extents.push_back(out[axis]);
      for (std::size_t k = 0; k < N; ++k) layout.strides[k].push_back(full[k][axis]);
    }
  }
  if (layout.extents.empty()) {
    layout.extents.push_back(1);
    for (std::size_t k = 0; k < N; ++k) layout.strides[k].push_back(0);
  }
  return layout;
}

template <class Batch, std::size_t N, class Op, std::size_t... K>
Batch apply_op(Op& op, const std::array<Batch, N>& operands, std::index_sequence<K...>) {
  return op(operands[K]...);
}

/// One row: `length` outputs, operand k read with unit stride or broadcast (inner stride 0).
template <class T, std::size_t N, class Op>
void map_row(const std::array<const T*, N>& in, const std::array<bool, N>& unit, T* out,
             std::size_t length, Op& op) {
  using Batch = xsimd::batch<T>;
  constexpr std::size_t width = Batch::size;
  std::array<Batch, N> operands;
  auto apply = [&](const std::array<const T*, N>& from, std::size_t i) {
    for (std::size_t k = 0; k < N; ++k) {
      operands[k] = unit[k] ? Batch::load_unaligned(from[k] + i) : Batch(from[k][0]);
    }
    return apply_op<Batch, N>(op, operands, std::make_index_sequence<N>{});
  };
  std::size_t i = 0;
  for (; i + width <= length; i += width) apply(in, i).store_unaligned(out + i);
  if (i == length) return;
  // Tail: copy into a zero-padded full batch so it runs the same instructions.
  alignas(64) std::array<std::array<T, width>, N> padded{};
  std::array<const T*, N> padded_in;
  for (std::size_t k = 0; k < N; ++k) {
    if (unit[k]) std::copy(in[k] + i, in[k] + length, padded[k].begin());
    padded_in[k] = unit[k] ? padded[k].data() : in[k];
  }
  alignas(64) std::array<T, width> result;
  apply(padded_in, 0).store_unaligned(result.data());
  std::copy(result.begin(), result.begin() + (length - i), out + i);
}

template <class T, std::size_t N, class Op>
Tensor::Array<T> map_arrays(const std::array<const Tensor::Array<T>*, N>& in, Op op,
                            const std::string& where) {
  Shape out_shape;
  std::array<Shape, N> shapes;
  for (std::size_t k = 0; k < N; ++k) {
    shapes[k] = Shape(in[k]->shape().begin(), in[k]->shape().end());
    out_shape = k == 0 ? shapes[0] : broadcast_shapes(out_shape, shapes[k], where);
  }
  auto result = Tensor::Array<T>::from_shape(out_shape);
  if (result.size() == 0) return result;
  const BroadcastLayout<N> layout = broadcast_layout<N>(out_shape, shapes);
  const std::size_t axes = layout.extents.size();
  const std::size_t row_length = layout.extents.back();
  const std::size_t rows = result.size() / row_length;
  std::array<bool, N> unit;
  for (std::size_t k = 0; k < N; ++k) unit[k] = layout.strides[k].back() == 1;
  // Work items are pieces of rows: a long row (a contiguous tensor is one row) is cut into pieces
  // of kMapBlock elements, so that it can run on several threads; short rows are grouped into
  // blocks of about kMapBlock elements. kMapBlock is a whole number of batches, so every element
  // runs in the same batch as in one pass, and the pieces depend on the shape alone.
  const std::size_t piece = std::min(row_length, kMapBlock);
  const std::size_t pieces_per_row = (row_length + piece - 1) / piece;
  parallel_blocks(
      rows * pieces_per_row, std::max<std::size_t>(1, kMapBlock / row_length),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t item = begin; item < end; ++item) {
          const std::size_t row = item / pieces_per_row;
          const std::size_t offset = (item % pieces_per_row) * piece;
          // Unravel the row index over the outer merged axes into operand offsets.
          std::array<const T*, N> row_in;
          for (std::size_t k = 0; k < N; ++k) row_in[k] = in[k]->data() + (unit[k] ? offset : 0);
          std::size_t rest = row;
          for (std::size_t a = axes - 1; a-- > 0;) {
            const std::size_t index = rest % layout.extents[a];
            rest /= layout.extents[a];
            for (std::size_t k = 0; k < N; ++k) row_in[k] += index * layout.strides[k][a];
          }
          map_row<T, N>(row_in, unit, result.data() + row * row_length + offset,
                        std::min(piece, row_length - offset), op);
        }
      },
      piece);
  return result;
}

/// op(batch) over every element of x.
template <class Op>
Tensor map(const Tensor& x, Op op) {
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return Tensor(map_arrays<T, 1>({&a}, op, "map"));
  });
}

/// op(batch_a, batch_b) over the broadcast of a and b; `where` names the caller in errors.
template <class Op>
Tensor map(const Tensor& a, const Tensor& b, Op op, const std::string& where) {
  require_same_dtype(a, b, where);
  return a.visit([&](const auto& xa) -> Tensor {
    using T = typename std::decay_t<decltype(xa)>::value_type;
    return Tensor(map_arrays<T, 2>({&xa, &b.array<T>()}, op, where));
  });
}

/// op(batch_a, batch_b, batch_c) over the broadcast of a, b and c.
template <class Op>
Tensor map(const Tensor& a, const Tensor& b, const Tensor& c, Op op, const std::string& where) {
  require_same_dtype(a, b, where);
  require_same_dtype(a, c, where);
  return a.visit([&](const auto& xa) -> Tensor {
    using T = typename std::decay_t<decltype(xa)>::value_type;
    return Tensor(map_arrays<T, 3>({&xa, &b.array<T>(), &c.array<T>()}, op, where));
  });
}

}  // namespace grutape::detail
