#pragma once
// Sequence masks of the GRU: (batch, timesteps) tensors of 0 and 1 given directly or built from
// lengths, and their per-step reading. A masked step carries the state and outputs it.

#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "layers/gru/inputs.hpp"

namespace grutape {

/// The (batch, timesteps) mask of `lengths`: sample i valid on its first lengths[i] steps (right
/// padding) or its last (left padding). A ShapeError naming `where` when a length exceeds
/// `steps`.
Tensor gru_mask_from_lengths(const std::vector<std::size_t>& lengths, std::size_t steps,
                             GruPadding padding, DType dtype, const std::string& where);

/// The mask `inputs` describe for a (batch, steps) input in `dtype`: its mask converted to
/// `dtype`, the mask of its lengths, or undefined when it gives neither. A ValueError naming
/// `where` when it gives both or a mask value is not 0 or 1; a ShapeError for a mask not of shape
/// (batch, steps) or lengths not one per sample.
Tensor resolve_gru_mask(const GruInputs& inputs, std::size_t batch, std::size_t steps, DType dtype,
                        const std::string& where);

/// One reading step's mask: every sample valid (nothing to do), none (the step is skipped: the
/// state carries as it is), or some, with the (batch, 1) mask that selects them.
struct GruStepMask {
  enum class Kind { all, none, some };
  Kind kind = Kind::all;
  /// (batch, 1) of 0 and 1 when kind is some.
  Tensor valid;
};

/// The step masks of `mask` (batch, steps), or undefined, in reading order: step s reads time
/// steps - 1 - s when `reverse`, else s.
std::vector<GruStepMask> gru_step_masks(const Tensor& mask, std::size_t steps, bool reverse);

}  // namespace grutape
