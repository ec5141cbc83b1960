#pragma once
// Helpers for the shape-op suites: element access and iteration written out independently of the
// library, and inputs that come from non-contiguous xtensor views.

#include <functional>

#include <xtensor/xmanipulation.hpp>

#include "tests/test_helpers.hpp"

namespace grutape::testing {

using Index = std::vector<std::size_t>;

/// Row-major position of `index` in `shape`.
inline std::size_t position(const Shape& shape, const Index& index) {
  std::size_t flat = 0;
  for (std::size_t a = 0; a < shape.size(); ++a) flat = flat * shape[a] + index[a];
  return flat;
}

/// The element of t at `index`.
inline double at(const Tensor& t, const Index& index) {
  return t.flat(position(t.shape(), index));
}

/// Calls f(index) for every index of `shape` in row-major order.
inline void for_each_index(const Shape& shape, const std::function<void(const Index&)>& f) {
  const std::size_t size = shape_size(shape);
  Index index(shape.size(), 0);
  for (std::size_t flat = 0; flat < size; ++flat) {
    std::size_t rest = flat;
    for (std::size_t a = shape.size(); a-- > 0;) {
      index[a] = rest % shape[a];
      rest /= shape[a];
    }
    f(index);
  }
}

/// A dense float64 tensor made from a transposed view of a random array of `base_shape`: its
/// values follow the view, not the base's buffer.
inline Tensor from_transposed_view(const Shape& base_shape, std::uint64_t seed) {
  const Tensor base = random_tensor(base_shape, seed);
  return Tensor(xt::xarray<double>(xt::transpose(base.array<double>())));
}

}  // namespace grutape::testing
