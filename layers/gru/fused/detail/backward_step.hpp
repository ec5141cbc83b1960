#pragma once
// One time step of the fused GRU backward pass for one group of unit blocks
// (layers/gru/fused/detail/backward_step.cpp). Not a public header.

#include <array>
#include <cstddef>

#include "layers/gru/fused/detail/kernel.hpp"

namespace grutape::detail {

/// The backward time loop's phases, last step first, and the buffers they read and write.
/// dstate(k) is the gradient of states[k], the state before the k-th step read; the kernel keeps
/// it in a ring of two (batch, padded) slots, slot k % 2.
///
/// After-multiplication modes: phase 0 is the gate pass G(T-1); phase p then runs, per group,
/// the recurrent product R(T-p) that completes dstate(T-p) and the gate pass G(T-1-p) that
/// reads it: one barrier per step. before_multiplication also needs q's gradient, a product of
/// every unit's dc, before r's: P1(k) (z and c), P2(k) (r via dq), P3(k) (the recurrent product
/// of z and r) fused with P1(k-1): two barriers per step. A last R(0) / P3(0) forms dh0.
template <class T>
struct BackwardStep {
  FusedDims dims;
  FusedSettings settings;
  /// The record's z | r | c, slopes (or null), carries a or q, states and mask (or null).
  const T* gates = nullptr;
  const T* slopes = nullptr;
  const T* carry = nullptr;
  const T* states = nullptr;
  const T* mask = nullptr;
  /// Per gate, (batch, padded) recurrent dropout masks or null.
  std::array<const T*, 3> recurrent_masks{};
  /// (steps * batch, padded) gradient of the sequence output in reading order, or null.
  const T* sequence_grad = nullptr;
  /// (steps * batch, 3 padded): dL/d(pre-activation) of z | r | c, i.e. of x W_g per gate.
  T* dgates = nullptr;
  /// (steps * batch, padded): dL/da (after modes; null for before_multiplication).
  T* dcarry = nullptr;
  /// The ring of state gradients; slot steps % 2 holds dstate(steps) on entry, slot 0 holds
  /// dh0 on exit when `initial`.
  std::array<T*, 2> dstates{};
  /// U^T as the products read it (its groups are the items of every phase).
  const TransposedPanels<T>* panels = nullptr;
  /// Whether to run the last recurrent product, which only dh0 needs.
  bool initial = false;

  /// The number of phases of the whole sequence (steps >= 1).
  std::size_t phases() const;
  /// Phase `phase` of unit group `group`.
  void run(std::size_t phase, std::size_t group) const;

 private:
  template <std::size_t NV>
  void run_group(std::size_t phase, std::size_t group) const;
  void gate_grad(std::size_t k, std::size_t group) const;
  template <std::size_t NV>
  void reset_grad(std::size_t k, std::size_t group) const;
  template <std::size_t NV>
  void recurrent_grad(std::size_t k, std::size_t group) const;
  T* dstate(std::size_t k, std::size_t b, std::size_t j0) const;
};

}  // namespace grutape::detail
