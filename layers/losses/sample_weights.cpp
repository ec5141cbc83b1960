#include "layers/losses/sample_weights.hpp"

#include "core/detail/map_kernel.hpp"

namespace grutape {

Tensor align_sample_weight(const Tensor& weight, const Shape& shape, DType dtype,
                           const std::string& where) {
  const Shape given = weight.shape();
  const bool leading = !given.empty() && given.size() <= shape.size() &&
                       std::equal(given.begin(), given.end(), shape.begin());
  if (!leading) {
    throw ShapeError(where, "sample weights of the leading axes of " + shape_to_string(shape),
                     shape_to_string(given));
  }
  Shape aligned = given;
  aligned.resize(shape.size(), 1);
  return (weight.dtype() == dtype ? weight : weight.to(dtype)).reshaped(aligned);
}

Tensor valid_steps(const Tensor& mask, const Shape& shape, DType dtype, const std::string& where) {
  if (mask.shape() != shape) {
    throw ShapeError(where, "a mask of shape " + shape_to_string(shape),
                     shape_to_string(mask.shape()));
  }
  return detail::map(mask.dtype() == dtype ? mask : mask.to(dtype), [](auto m) {
    using B = decltype(m);
    return xsimd::select(m != B(0), B(1), B(0));
  });
}

std::size_t count_valid(const Tensor& valid) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < valid.size(); ++i) count += valid.flat(i) != 0;
  return count;
}

}  // namespace grutape
