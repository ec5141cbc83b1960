#include "core/reduce.hpp"

#include <limits>

#include <xsimd/xsimd.hpp>
#include <xtensor/xmanipulation.hpp>

#include "core/parallel.hpp"

namespace grutape {
namespace {

// Reduced elements per block when one output sums a long contiguous run: partial results of
// fixed blocks are combined in block order.
constexpr std::size_t kRunBlock = 16384;
// Output columns per task when reducing over a leading axis.
constexpr std::size_t kColumnBlock = 512;

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
    parallel_blocks(
        outer, 1,
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

// out[o, i] = reduce over r of x[o, r, i] for x of shape (outer, run, inner), inner > 1.
template <class T, class R>
void reduce_columns(const T* x, T* out, std::size_t outer, std::size_t run, std::size_t inner) {
  using Batch = xsimd::batch<T>;
  constexpr std::size_t width = Batch::size;
  const std::size_t column_blocks = (inner + kColumnBlock - 1) / kColumnBlock;
  parallel_blocks(
      outer * column_blocks, 1,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t task = b; task < e; ++task) {
          const std::size_t o = task / column_blocks;
          const std::size_t begin = (task % column_blocks) * kColumnBlock;
          const std::size_t end = std::min(inner, begin + kColumnBlock);
          T* dst = out + o * inner;
          std::fill(dst + begin, dst + end, R::identity());
          for (std::size_t r = 0; r < run; ++r) {
            const T* src = x + (o * run + r) * inner;
            std::size_t i = begin;
            for (; i + width <= end; i += width) {
              R::combine_batch(Batch::load_unaligned(dst + i), Batch::load_unaligned(src + i))
                  .store_unaligned(dst + i);
            }
            for (; i < end; ++i) dst[i] = R::combine(dst[i], src[i]);
          }
        }
      },
      run * kColumnBlock);
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

}  // namespace

Tensor reduce_sum(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims) {
  return x.visit([&](const auto& a) -> Tensor {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return Tensor(reduce_array<T, SumReducer<T>>(a, axes, keepdims));
  });
}

Tensor reduce_max(const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims) {
  const Shape shape = x.shape();
  for (std::size_t a : axes) {
    if (shape[a] == 0) {
      throw ShapeError("reduce_max", "a non-empty axis " + std::to_string(a),
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
  return reduce_sum(x, axes, false).reshaped(shape);
}

}  // namespace grutape
