#include "core/reduce.hpp"

#include <algorithm>
#include <limits>

#include <xsimd/xsimd.hpp>
#include <xtensor/xmanipulation.hpp>

#include "core/detail/map_kernel.hpp"
#include "core/parallel.hpp"

namespace grutape {
namespace {

// Reduced elements per block when one output sums a long contiguous run: partial results of
// fixed blocks are combined in block order.
constexpr std::size_t kRunBlock = 16384;
// Output columns per task when reducing over a leading axis.
constexpr std::size_t kReduceColumnBlock = 512;
// Rows folded one after another when reducing over a leading axis (see reduce_columns).
constexpr std::size_t kRowBlock = 1024;

template <class T>
struct SumReducer {
  static T identity() { return T(0); }
  static T combine(T a, T b) { return a + b; }
  template <class B>
  static B combine_batch(const B& a, const B& b) {
    return a + b;
  }
  template <class B>
  static T fold(const B& b) {
    return xsimd::hadd(b);
  }
};

template <class T>
struct MaxReducer {
  static T identity() { return -std::numeric_limits<T>::infinity(); }
  static T combine(T a, T b) { return a < b || b != b ? b : a; }  // propagates NaN
  template <class B>
  static B combine_batch(const B& a, const B& b) {
    return xsimd::select(a < b || xsimd::isnan(b), b, a);
  }
  template <class B>
  static T fold(const B& b) {
    alignas(64) T lanes[B::size];
    b.store_aligned(lanes);
    T result = identity();
    for (T lane : lanes) result = combine(result, lane);
    return result;
  }
};

// Reduces a contiguous run of `length` values in a fixed order.
template <class T, class R>
T reduce_run(const T* x, std::size_t length) {
  using Batch = xsimd::batch<T>;
  constexpr std::size_t width = Batch::size;
  Batch acc(R::identity());
  std::size_t i = 0;
  for (; i + width <= length; i += width) acc = R::combine_batch(acc, Batch::load_unaligned(x + i));
  T result = R::template fold<Batch>(acc);
  for (; i < length; ++i) result = R::combine(result, x[i]);
  return result;
}

// out[o] = reduce over r of x[o, r] for x of shape (outer, run).
template <class T, class R>
void reduce_runs(const T* x, T* out, std::size_t outer, std::size_t run) {
  if (outer >= 4 || run <= kRunBlock) {
    // Outputs per task: enough short runs to outweigh the cost of a task.
    const std::size_t outputs_per_block =
        std::max<std::size_t>(1, kRunBlock / std::max<std::size_t>(run, 1));
    parallel_blocks(
        outer, outputs_per_block,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t o = b; o < e; ++o) {
            T result = R::identity();
            for (std::size_t start = 0; start < run; start += kRunBlock) {
              result = R::combine(
                  result, reduce_run<T, R>(x + o * run + start, std::min(kRunBlock, run - start)));
            }
            out[o] = result;
          }
        },
        run);
    return;
  }
  // Few long runs: reduce fixed blocks in parallel, then combine them in order.
  const std::size_t blocks = (run + kRunBlock - 1) / kRunBlock;
  std::vector<T> partial(outer * blocks);
  parallel_blocks(
      outer * blocks, 1,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) {
          const std::size_t o = p / blocks, start = (p % blocks) * kRunBlock;
          partial[p] = reduce_run<T, R>(x + o * run + start, std::min(kRunBlock, run - start));
        }
      },
      kRunBlock);
  for (std::size_t o = 0; o < outer; ++o) {
    T result = R::identity();
    for (std::size_t p = 0; p < blocks; ++p) result = R::combine(result, partial[o * blocks + p]);
    out[o] = result;
  }
}

// dst[i] = reduce over r < rows of src[r * inner + i], for i in [begin, end).
template <class T, class R>
void fold_rows(const T* src, std::size_t rows, std::size_t inner, T* dst, std::size_t begin,
               std::size_t end) {
  using Batch = xsimd::batch<T>;
  constexpr std::size_t width = Batch::size;
  std::fill(dst + begin, dst + end, R::identity());
  for (std::size_t r = 0; r < rows; ++r) {
    const T* row = src + r * inner;
    std::size_t i = begin;
    for (; i + width <= end; i += width) {
      R::combine_batch(Batch::load_unaligned(dst + i), Batch::load_unaligned(row + i))
          .store_unaligned(dst + i);
    }
    for (; i < end; ++i) dst[i] = R::combine(dst[i], row[i]);
  }
}

// out[o, i] = reduce over r of x[o, r, i] for x of shape (outer, run, inner), inner > 1.
// A long run is cut into fixed blocks of kRowBlock rows, each reduced on its own; the partial
// results, of shape (outer, blocks, inner), are then reduced the same way. Folding a million rows
// one after another would lose float32 precision (errors grow with the run) and leave few columns
// on one thread.
template <class T, class R>
void reduce_columns(const T* x, T* out, std::size_t outer, std::size_t run, std::size_t inner) {
  const std::size_t column_blocks = (inner + kReduceColumnBlock - 1) / kReduceColumnBlock;
  if (run <= kRowBlock) {
    parallel_blocks(
        outer * column_blocks, 1,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t task = b; task < e; ++task) {
            const std::size_t o = task / column_blocks;
            const std::size_t begin = (task % column_blocks) * kReduceColumnBlock;
            fold_rows<T, R>(x + o * run * inner, run, inner, out + o * inner, begin,
                            std::min(inner, begin + kReduceColumnBlock));
          }
        },
        run * kReduceColumnBlock);
    return;
  }
  const std::size_t row_blocks = (run + kRowBlock - 1) / kRowBlock;
  std::vector<T> partial(outer * row_blocks * inner);
  parallel_blocks(
      outer * row_blocks * column_blocks, 1,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t task = b; task < e; ++task) {
          const std::size_t slab = task / column_blocks;  // o * row_blocks + row block
          const std::size_t o = slab / row_blocks, first = (slab % row_blocks) * kRowBlock;
          const std::size_t begin = (task % column_blocks) * kReduceColumnBlock;
          fold_rows<T, R>(x + (o * run + first) * inner, std::min(kRowBlock, run - first), inner,
                          partial.data() + slab * inner, begin,
                          std::min(inner, begin + kReduceColumnBlock));
        }
      },
      kRowBlock * kReduceColumnBlock);
  reduce_columns<T, R>(partial.data(), out, outer, row_blocks, inner);
}

Shape reduced_shape(const Shape& shape, const std::vector<std::size_t>& axes, bool keepdims) {
  Shape result;
  for (std::size_t a = 0; a < shape.size(); ++a) {
    const bool reduced = std::find(axes.begin(), axes.end(), a) != axes.end();
    if (!reduced)
      result.push_back(shape[a]);
    else if (keepdims)
      result.push_back(1);
  }
  return result;
}

template <class T, class R>
Tensor::Array<T> reduce_array(const Tensor::Array<T>& x, const std::vector<std::size_t>& axes,
                              bool keepdims) {
  const Shape shape(x.shape().begin(), x.shape().end());
  auto out = Tensor::Array<T>::from_shape(reduced_shape(shape, axes, keepdims));
  if (axes.empty()) {
    std::copy(x.begin(), x.end(), out.begin());
    return out;
  }
  const bool consecutive = axes.back() - axes.front() + 1 == axes.size();
  if (!consecutive) {
    // Move the reduced axes last, then reduce trailing runs of the contiguous copy.
    std::vector<std::size_t> order;
    for (std::size_t a = 0; a < shape.size(); ++a) {
      if (std::find(axes.begin(), axes.end(), a) == axes.end()) order.push_back(a);
    }
    std::size_t run = 1;
    for (std::size_t a : axes) {
      order.push_back(a);
      run *= shape[a];
    }
    const Tensor::Array<T> moved = xt::transpose(x, order);
    reduce_runs<T, R>(moved.data(), out.data(), out.size(), run);
    return out;
  }
  std::size_t outer = 1, run = 1, inner = 1;
  for (std::size_t a = 0; a < shape.size(); ++a) {
    if (a < axes.front())
      outer *= shape[a];
    else if (a <= axes.back())
      run *= shape[a];
    else
      inner *= shape[a];
  }
  if (inner == 1)
    reduce_runs<T, R>(x.data(), out.data(), outer, run);
  else
    reduce_columns<T, R>(x.data(), out.data(), outer, run, inner);
  return out;
}

// A ShapeError naming `where` unless `axes` are sorted, unique and below `rank`: the kernels rely
// on it, and a wrong list would read out of bounds.
void require_normalized_axes(const std::vector<std::size_t>& axes, std::size_t rank,
                             const std::string& where) {
  for (std::size_t k = 0; k < axes.size(); ++k) {
    if (axes[k] >= rank || (k > 0 && axes[k] <= axes[k - 1])) {
      throw ShapeError(
          where,
          "sorted, unique axes below the rank " + std::to_string(rank) + " (use normalize_axes)",
          "axes " + shape_to_string(axes));
    }
  }
}

}  // namespace

Tensor reduce_sum(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims) {
  require_normalized_axes(axes, x.rank(), "reduce_sum");
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return Tensor(reduce_array<T, SumReducer<T>>(a, axes, keepdims));
  });
}

Tensor reduce_max(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims,
                  const std::string& where) {
  const Shape shape = x.shape();
  require_normalized_axes(axes, shape.size(), where);
  for (std::size_t a : axes) {
    if (shape[a] == 0) {
      throw ShapeError(where, "a non-empty axis " + std::to_string(a) + " to take the maximum over",
                       "shape " + shape_to_string(shape));
    }
  }
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return Tensor(reduce_array<T, MaxReducer<T>>(a, axes, keepdims));
  });
}

Tensor sum_to_shape(const Tensor& x, const Shape& shape) {
  const Shape from = x.shape();
  if (from == shape) return x;
  if (from.size() < shape.size() || broadcast_shapes(from, shape, "sum_to_shape") != from) {
    throw ShapeError("sum_to_shape", "a shape that broadcasts to " + shape_to_string(from),
                     shape_to_string(shape));
  }
  // Leading axes that broadcasting added, then axes stretched from extent 1.
  const std::size_t extra = from.size() - shape.size();
  std::vector<std::size_t> axes;
  for (std::size_t a = 0; a < from.size(); ++a) {
    if (a < extra || (shape[a - extra] == 1 && from[a] != 1)) axes.push_back(a);
  }
  // The sum is a new tensor of the right size: reshape it in place rather than copy it again.
  Tensor result = reduce_sum(x, axes, false);
  result.visit([&](auto& a) { a.reshape(shape); });
  return result;
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  const Shape from = x.shape();
  if (from.size() > shape.size() || broadcast_shapes(from, shape, "broadcast_to") != shape) {
    throw ShapeError("broadcast_to", "a tensor that broadcasts to " + shape_to_string(shape),
                     "shape " + shape_to_string(from));
  }
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    auto out = Tensor::Array<T>::from_shape(shape);
    if (out.size() == 0) return Tensor(std::move(out));
    // Rows of the merged output layout either copy a contiguous source row or repeat one value.
    const auto layout = detail::broadcast_layout<1>(shape, {from});
    const std::vector<std::size_t>& strides = layout.strides[0];
    const std::size_t axes = layout.extents.size();
    const std::size_t row_length = layout.extents.back();
    const bool unit = strides.back() == 1;
    const T* src = a.data();
    T* dst = out.data();
    parallel_blocks(
        out.size() / row_length, std::max<std::size_t>(1, kRunBlock / row_length),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t row = begin; row < end; ++row) {
            std::size_t offset = 0, rest = row;
            for (std::size_t k = axes - 1; k-- > 0;) {
              offset += (rest % layout.extents[k]) * strides[k];
              rest /= layout.extents[k];
            }
            T* target = dst + row * row_length;
            if (unit)
              std::copy(src + offset, src + offset + row_length, target);
            else
              std::fill(target, target + row_length, src[offset]);
          }
        },
        row_length);
    return Tensor(std::move(out));
  });
}

}  // namespace grutape
