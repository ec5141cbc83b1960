#pragma once
// The gradients of the fused GRU that the backward time loop leaves for afterwards: products and
// sums over all steps * batch rows at once (layers/gru/fused/detail/grads.cpp). Not a public
// header.

#include "layers/gru/fused/detail/kernel.hpp"

namespace grutape::detail {

/// What the backward time loop produced (layouts as in layers/gru/fused/detail/kernel.hpp).
template <class T>
struct LoopGradients {
  /// (steps * batch, 3 padded): dL/dx_g, the gradient of every gate's pre-activation.
  Buffer<T> dgates;
  /// (steps * batch, padded): dL/da (after modes; empty for before_multiplication).
  Buffer<T> dcarry;
  /// The ring of two (batch, padded) state gradients; slot 0 ends with dL/dh0.
  Buffer<T> dstates;
};

/// dx (batch, steps, input) = sum over gates of (dx_g W_g^T) m_g, back in the input's layout.
template <class T>
Tensor input_grad(const FusedRecord<T>& record, const LoopGradients<T>& loop);

/// dW (input, 3 units): gate block g = (x m_g)^T dx_g.
template <class T>
Tensor kernel_grad(const FusedRecord<T>& record, const LoopGradients<T>& loop);

/// dU (units, 3 units): gate block g = H_g^T dy_g, H_g the operand of gate g's recurrent
/// product at every step (h_{k-1} rm_g, or q for before_multiplication's candidate), dy_g the
/// gradient of that product (dx_z, dx_r, then da or dx_c).
template <class T>
Tensor recurrent_kernel_grad(const FusedRecord<T>& record, const LoopGradients<T>& loop);

/// db (3 units) = column sums of dx_g; drb (3 units) = those of dx_z, dx_r and da. Either may be
/// skipped (left undefined).
template <class T>
void bias_grads(const FusedRecord<T>& record, const LoopGradients<T>& loop, bool bias,
                bool recurrent_bias, Tensor& db, Tensor& drb);

}  // namespace grutape::detail
