#pragma once
// One time step of the fused GRU forward pass for one unit block: the recurrent product of the
// block's gate columns and the fused gate pass on it (layers/gru/fused/detail/step.cpp). Not a
// public header.

#include <array>
#include <cstddef>

#include "layers/gru/fused/detail/kernel.hpp"

namespace grutape::detail {

/// The forward time loop's phases and the buffers they read and write (layouts as in
/// layers/gru/fused/detail/kernel.hpp). Phase 0 packs U (each item a range of its rows). Then
/// after-multiplication modes take one phase per step (product of all three gates,
/// then the cell); before_multiplication takes two (z and r with q = (r * h) rm_h, then the
/// candidate's product q U_h and the cell), since q needs every unit's r.
template <class T>
struct ForwardStep {
  FusedDims dims;
  FusedSettings settings;
  /// Keep activations, slopes and carries of every step for backward (else carries use one
  /// step's room and only what later phases of the step read is written).
  bool save = false;
  /// (steps * batch, 3 padded): x W + b (+ rb for z and r) on entry; when saving the step
  /// overwrites its rows with z | r | c.
  T* gates = nullptr;
  /// (steps * batch, 3 padded) or null: slopes of activations not derived from their output.
  T* slopes = nullptr;
  /// a = h U_h + rb_h or q = (r * h) rm_h: (steps * batch, padded) when saving, else (batch,
  /// padded) room for before_multiplication's q and null for the other modes.
  T* carry = nullptr;
  /// (steps + 1, batch, padded); states[0] holds h0 on entry.
  T* states = nullptr;
  /// (steps * batch) 0/1 or null.
  const T* mask = nullptr;
  /// (padded) rb_h, zeros where absent.
  const T* recurrent_bias = nullptr;
  /// Per gate, (batch, padded) recurrent dropout masks or null.
  std::array<const T*, 3> recurrent_masks{};
  /// Per gate with a recurrent mask, (2, batch, padded): h * mask of the last two steps (the
  /// operand of that gate's product); slot 0 holds h0 * mask on entry.
  std::array<T*, 3> masked_states{};
  /// The recurrent kernel as the products read it; phase 0 packs it.
  ForwardPanels<T>* panels = nullptr;

  /// The number of phases of the whole sequence.
  std::size_t phases() const;
  /// Phase `phase` of unit block `block`.
  void run(std::size_t phase, std::size_t block) const;

 private:
  void after_step(std::size_t k, std::size_t block) const;
  void gate_step(std::size_t k, std::size_t block) const;
  void candidate_step(std::size_t k, std::size_t block) const;
  template <std::size_t NV, class Epilogue>
  void products(std::size_t block, std::size_t first, const std::array<const T*, NV>& operands,
                Epilogue&& epilogue) const;
  const T* recurrent_operand(std::size_t gate, std::size_t k) const;
  void prefetch(std::size_t k, std::size_t block, std::size_t first, std::size_t gates_read,
                bool writes_state) const;
  T* carry_row(std::size_t k, std::size_t b) const;
  // Inlined into the gate passes, whose loops it sits in: out of line it costs a call per row.
  [[gnu::always_inline]] inline std::array<Batch<T>, 2> update_and_reset(std::size_t row,
                                                                         std::size_t j0, const T* x,
                                                                         const T* p,
                                                                         bool keep_slopes) const;
  void finish(std::size_t k, std::size_t b, std::size_t block, const Batch<T>& z,
              const Batch<T>& c) const;
};

}  // namespace grutape::detail
