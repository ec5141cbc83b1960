#pragma once
// One time step of the GRU, written from primitive ops only. The tape differentiates it, so it
// has no backward of its own: it is the reference every other engine is tested against.
//
// Every 3 * units axis holds the gate blocks [z | r | h] (the order is fixed in
// layers/gru/gates.hpp). With x the step's input, h the previous state, W (input, 3u), U (units,
// 3u), b and rb (3u):
//
//   z   = gate(x W_z + b_z + h U_z + rb_z)            update gate
//   r   = gate(x W_r + b_r + h U_r + rb_r)            reset gate
//   c   = state(x W_h + b_h + (r * h) U_h)            before_multiplication (Keras reset_after
//                                                     False)
//   c   = state(x W_h + b_h + r * (h U_h))            after_multiplication (MATLAB's default)
//   c   = state(x W_h + b_h + r * (h U_h + rb_h))     recurrent_bias_after_multiplication (Keras
//                                                     reset_after True, PyTorch, cuDNN)
//   h_t = z * h + (1 - z) * c,  computed as  c + z * (h - c)
//
// b is present with use_bias; rb only in recurrent_bias_after_multiplication (read 0 elsewhere).
//
// Variational recurrent dropout multiplies h by a fixed mask m_g per gate inside the recurrent
// products: h U_g becomes (h * m_g) U_g, and (r * h) U_h becomes (r * (h * m_h)) U_h; the update
// h_t reads the undropped h (Keras' GRUCell). Input dropout is applied in the input projection
// (layers/gru/composite/engine.cpp), which computes x W + b for all steps at once.
//
// A step costs about a dozen ops on (batch, 3u), (batch, 2u) and (batch, u) blocks: in the two
// after modes one product of h with all of U; z and r activated together as one (batch, 2u) block.

#include <array>
#include <string>

#include "autodiff/value.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

/// The input part of one step's pre-activations, x W + b, cut into its gate blocks.
struct GruStepProjection {
  /// (batch, 2 * units): x W_z + b_z | x W_r + b_r.
  Value update_reset;
  /// (batch, units): x W_h + b_h.
  Value candidate;
};

class GruCell {
 public:
  /// Prepares the recurrent kernel U (units, 3u) and recurrent bias rb (3u, or undefined) for
  /// every step of one sequence, cut into the blocks that `options`' reset gate mode reads.
  /// `recurrent_masks` is undefined (no recurrent dropout) or (3, batch, units), scaled masks.
  GruCell(const GruOptions& options, const Value& recurrent_kernel, const Value& recurrent_bias,
          const Tensor& recurrent_masks);

  /// The next state from `state` (batch, units) and the step's input projection.
  Value step(const Value& state, const GruStepProjection& projection) const;

 private:
  std::size_t units_;
  ResetGateMode mode_;
  std::string gate_activation_;
  std::string state_activation_;
  bool dropped_;
  /// Recurrent dropout masks per gate (batch, units), when dropped_.
  std::array<Value, gru_gate_count> masks_;
  /// U and rb whole: the after modes without recurrent dropout.
  Value kernel_;
  Value bias_;
  /// U_zr: before_multiplication without recurrent dropout.
  Value kernel_update_reset_;
  /// U_z, U_r and rb_zr, rb_h: with recurrent dropout, each gate reads its own dropped state.
  Value kernel_update_;
  Value kernel_reset_;
  Value bias_update_reset_;
  Value bias_candidate_;
  /// U_h: wherever the candidate's product is taken on its own.
  Value kernel_candidate_;
};

}  // namespace grutape
