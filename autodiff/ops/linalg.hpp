#pragma once
// Matrix products of values. The forward is core/linalg's matmul; the backward is two more
// matrix products, with gradients summed over the batch axes an operand was broadcast along.

#include "autodiff/value.hpp"

namespace grutape {

/// The differentiable torch.matmul of the last two axes: a (..., m, k) times b (..., k, n), batch
/// axes broadcast; transpose_a / transpose_b swap the last two axes of that operand first.
/// (B, T, I) x (I, N) runs as one GEMM forward and one per gradient.
Value matmul(const Value& a, const Value& b, bool transpose_a = false, bool transpose_b = false);

}  // namespace grutape
