#include "core/shape.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace grutape {

std::string shape_to_string(const Shape& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + ")";
}

std::size_t shape_size(const Shape& shape) {
  std::size_t size = 1;
  for (std::size_t extent : shape) size *= extent;
  return size;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const std::string& where) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape result(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    // Axis i counted from the right in both operands.
    const std::size_t ea = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::size_t eb = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (ea != eb && ea != 1 && eb != 1) {
      throw ShapeError(where, "shapes that broadcast",
                       shape_to_string(a) + " and " + shape_to_string(b));
    }
    result[rank - 1 - i] = ea == 1 ? eb : ea;
  }
  return result;
}

std::size_t normalize_axis(long axis, std::size_t rank, const std::string& where) {
  const long r = static_cast<long>(rank);
  if (axis < -r || axis >= r) {
    throw ShapeError(where, "an axis in [" + std::to_string(-r) + ", " + std::to_string(r) + ")",
                     std::to_string(axis) + " for rank " + std::to_string(rank));
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

std::vector<std::size_t> normalize_axes(const std::vector<long>& axes, std::size_t rank,
                                        const std::string& where) {
  std::vector<std::size_t> result;
  if (axes.empty()) {
    for (std::size_t i = 0; i < rank; ++i) result.push_back(i);
    return result;
  }
  for (long axis : axes) result.push_back(normalize_axis(axis, rank, where));
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

}  // namespace grutape
