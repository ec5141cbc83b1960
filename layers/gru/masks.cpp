#include "layers/gru/masks.hpp"

#include "core/indexing.hpp"
#include "core/text.hpp"

namespace grutape {

Tensor gru_mask_from_lengths(const std::vector<std::size_t>& lengths, std::size_t steps,
                             GruPadding padding, DType dtype, const std::string& where) {
  const std::size_t batch = lengths.size();
  std::vector<double> values(batch * steps, 0.0);
  for (std::size_t i = 0; i < batch; ++i) {
    if (lengths[i] > steps) {
      throw ShapeError(where + ": lengths",
                       "lengths of at most " + std::to_string(steps) + " (the input's timesteps)",
                       std::to_string(lengths[i]) + " for sample " + std::to_string(i));
    }
    const std::size_t first = padding == GruPadding::right ? 0 : steps - lengths[i];
    for (std::size_t t = first; t < first + lengths[i]; ++t) values[i * steps + t] = 1.0;
  }
  return Tensor::from_values({batch, steps}, values, dtype);
}

Tensor resolve_gru_mask(const GruInputs& inputs, std::size_t batch, std::size_t steps, DType dtype,
                        const std::string& where) {
  if (inputs.mask.defined() && !inputs.lengths.empty()) {
    throw ValueError(where, "a mask or lengths", "both");
  }
  if (!inputs.lengths.empty()) {
    if (inputs.lengths.size() != batch) {
      throw ShapeError(where + ": lengths",
                       std::to_string(batch) + " lengths (one per sample of the input)",
                       std::to_string(inputs.lengths.size()));
    }
    return gru_mask_from_lengths(inputs.lengths, steps, inputs.padding, dtype, where);
  }
  if (!inputs.mask.defined()) return Tensor();
  require_shape(inputs.mask, {batch, steps}, where + ": mask");
  const std::vector<double> values = inputs.mask.to_vector();
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (values[k] != 0.0 && values[k] != 1.0) {
      throw ValueError(where + ": mask", "values 0 and 1",
                       format_number(values[k]) + " at (" + std::to_string(k / steps) + ", " +
                           std::to_string(k % steps) + ")");
    }
  }
  return inputs.mask.dtype() == dtype ? inputs.mask : inputs.mask.to(dtype);
}

std::vector<GruStepMask> gru_step_masks(const Tensor& mask, std::size_t steps, bool reverse) {
  std::vector<GruStepMask> result(steps);
  if (!mask.defined()) return result;
  const std::size_t batch = mask.shape()[0];
  const std::vector<double> values = mask.to_vector();
  for (std::size_t s = 0; s < steps; ++s) {
    const std::size_t t = reverse ? steps - 1 - s : s;
    std::size_t valid = 0;
    for (std::size_t i = 0; i < batch; ++i) valid += values[i * steps + t] != 0.0;
    if (valid == batch) continue;
    if (valid == 0) {
      result[s].kind = GruStepMask::Kind::none;
      continue;
    }
    result[s].kind = GruStepMask::Kind::some;
    result[s].valid = detail::select_tensor(mask, 1, t).reshaped({batch, 1});
  }
  return result;
}

}  // namespace grutape
