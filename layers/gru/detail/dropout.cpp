#include "layers/gru/detail/dropout.hpp"

#include "core/batch_shard.hpp"
#include "core/tensor_math.hpp"
#include "layers/gru/gates.hpp"

namespace grutape {
namespace {

// A (gates, batch, width) mask; in a data-parallel step, this process's rows of the mask of the
// whole global batch (core/batch_shard.hpp).
Tensor draw_mask(double rate, const Shape& shape, DType dtype, Random& random) {
  if (rate == 0) return Tensor();
  const double keep = 1 - rate;
  return scale(bernoulli_rows(random, shape, 1, keep, dtype), 1 / keep);
}

void check_mask(const Tensor& mask, const Shape& shape, DType dtype, const std::string& where) {
  if (!mask.defined()) return;
  require_shape(mask, shape, where);
  if (mask.dtype() != dtype) {
    throw ValueError(where, std::string("a mask of dtype ") + dtype_name(dtype) + " (the input's)",
                     dtype_name(mask.dtype()));
  }
}

}  // namespace

GruDropoutMasks draw_gru_dropout_masks(double rate, double recurrent_rate, std::size_t batch,
                                       std::size_t features, std::size_t units, DType dtype,
                                       Random& random) {
  GruDropoutMasks masks;
  masks.input = draw_mask(rate, {gru_gate_count, batch, features}, dtype, random);
  masks.recurrent = draw_mask(recurrent_rate, {gru_gate_count, batch, units}, dtype, random);
  return masks;
}

void check_gru_dropout_masks(const GruDropoutMasks& masks, std::size_t batch, std::size_t features,
                             std::size_t units, DType dtype, const std::string& where) {
  check_mask(masks.input, {gru_gate_count, batch, features}, dtype, where + ": input mask");
  check_mask(masks.recurrent, {gru_gate_count, batch, units}, dtype, where + ": recurrent mask");
}

}  // namespace grutape
