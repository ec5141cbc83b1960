#include "layers/detail/ids.hpp"

#include <cmath>

#include "core/text.hpp"

namespace grutape {
namespace {

// "[1, 3]": the position of element `flat` of a row-major tensor of `shape`.
std::string position_to_string(std::size_t flat, const Shape& shape) {
  std::vector<std::string> indices(shape.size());
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    indices[axis] = std::to_string(flat % shape[axis]);
    flat /= shape[axis];
  }
  return "[" + join(indices) + "]";
}

}  // namespace

std::vector<std::size_t> read_ids(const Tensor& ids, std::size_t limit, const std::string& where) {
  std::vector<std::size_t> result(ids.size());
  for (std::size_t i = 0; i < result.size(); ++i) {
    const double id = ids.flat(i);
    if (!(id >= 0 && id < static_cast<double>(limit) && id == std::floor(id))) {
      throw ValueError(where, "ids that are whole numbers in [0, " + std::to_string(limit) + ")",
                       format_number(id) + " at " + position_to_string(i, ids.shape()));
    }
    result[i] = static_cast<std::size_t>(id);
  }
  return result;
}

}  // namespace grutape
