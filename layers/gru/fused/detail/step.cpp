/*
 * The fused GRU cell, one step k for one block of units j, for every sample (x: input row of the
 * step, h = h_{k-1}, g: gate activation, s: state activation, m_g / rm_g: input / recurrent
 * dropout masks of gate g, 1 where absent):
 *
 *   z   = g(xW_z + b_z + (h rm_z) U_z + rb_z)        xW_g = (x m_g) W_g, with b_g + rb_g for
 *   r   = g(xW_r + b_r + (h rm_r) U_r + rb_r)        z and r and b_h for h, is computed for all
 *                                                    steps before the loop (gru_fused_forward)
 *   after_multiplication:                 a = (h rm_h) U_h          c = s(xW_h + b_h + r a)
 *   recurrent_bias_after_multiplication:  a = (h rm_h) U_h + rb_h   c = s(xW_h + b_h + r a)
 *   before_multiplication:                q = (r h) rm_h            c = s(xW_h + b_h + q U_h)
 *   h_k = z h + (1 - z) c            (= h where the step is masked out)
 *
 * Saved for backward (when asked): z, r, c (over xW in place), a or q, h_k, and f'(x) of
 * activations whose derivative is not a function of their output.
 * layers/gru/fused/detail/backward_step.cpp differentiates it.
 */

#include "layers/gru/fused/detail/step.hpp"

#include "core/detail/tile_products.hpp"

namespace grutape::detail {

template <class T>
std::size_t ForwardStep<T>::phases() const {
  return 1 + (settings.mode == ResetGateMode::before_multiplication ? 2 : 1) * dims.steps;
}

template <class T>
void ForwardStep<T>::run(std::size_t phase, std::size_t block) const {
  // Phase 0: the items share the packing of U, a range of its rows each.
  if (phase == 0)
    return panels->pack(block * dims.units / dims.blocks, (block + 1) * dims.units / dims.blocks);
  --phase;
  if (settings.mode != ResetGateMode::before_multiplication)
    after_step(phase, block);
  else if (phase % 2 == 0)
    gate_step(phase / 2, block);
  else
    candidate_step(phase / 2, block);
}

template <class T>
const T* ForwardStep<T>::recurrent_operand(std::size_t gate, std::size_t k) const {
  const std::size_t room = dims.batch * dims.padded;
  return masked_states[gate] ? masked_states[gate] + (k % 2) * room : states + k * room;
}

template <class T>
T* ForwardStep<T>::carry_row(std::size_t k, std::size_t b) const {
  return carry + ((save ? k * dims.batch : 0) + b) * dims.padded;
}

// The products of gates [first, first + NV) of `block` with their operands, tile by tile.
template <class T>
template <std::size_t NV, class Epilogue>
void ForwardStep<T>::products(std::size_t block, std::size_t first,
                              const std::array<const T*, NV>& operands, Epilogue&& epilogue) const {
  gate_products<T, NV>(dims.batch, operands, dims.padded,
                       panels->panel(block) + first * panels->vstride(),
                       PanelLayout{panels->ldb(), panels->vstride()}, dims.units, epilogue);
}

// Fetches into L2 the rows that the epilogues of `block` read at step k + 1 (x W of gates
// [first, first + gates_read)): the input projection wrote them long before, so they come from
// memory, line by line (a step ahead they arrive in time; they cost the forward 1-2% when
// read cold). Also asks for the lines this step writes (carries, next state) in exclusive state.
template <class T>
void ForwardStep<T>::prefetch(std::size_t k, std::size_t block, std::size_t first,
                              std::size_t gates_read, bool writes_state) const {
  const std::size_t up = dims.padded, G = dims.gate_width(), j0 = block * dims.lanes;
  for (std::size_t b = 0; b < dims.batch; ++b) {
    const std::size_t row = k * dims.batch + b;
    if (k + 1 < dims.steps) {
      for (std::size_t g = first; g < first + gates_read; ++g)
        __builtin_prefetch(gates + (row + dims.batch) * G + g * up + j0, 0, 2);
    }
    if (carry) __builtin_prefetch(carry_row(k, b) + j0, 1, 2);
    if (writes_state) __builtin_prefetch(states + (row + dims.batch) * up + j0, 1, 2);
  }
}

// h_k = z h + (1 - z) c, or h where masked; padded lanes stay 0. Also the masked states.
template <class T>
void ForwardStep<T>::finish(std::size_t k, std::size_t b, std::size_t block, const Batch<T>& z,
                            const Batch<T>& c) const {
  const std::size_t up = dims.padded, j0 = block * dims.lanes, row = k * dims.batch + b;
  const T* h = states + row * up + j0;
  T* next = states + (row + dims.batch) * up + j0;
  const Batch<T> hv = load(h);
  // h_k = z h + (1 - z) c = c + z (h - c)
  Batch<T> result = xsimd::fma(z, hv - c, c);
  if (mask && mask[row] == T(0)) result = hv;
  result.store_unaligned(next);
  if (j0 + dims.lanes > dims.units) std::fill(next + (dims.units - j0), next + dims.lanes, T(0));
  for (std::size_t g = 0; g < 3; ++g) {
    if (!masked_states[g]) continue;
    const std::size_t slot = ((k + 1) % 2) * dims.batch * up + b * up + j0;
    (load(next) * load(recurrent_masks[g] + b * up + j0)).store_unaligned(masked_states[g] + slot);
  }
}

// z and r of row `row` from x (its x W row at the block) and p (their products, batches of
// stride L); keeps their slopes when `keep_slopes`.
template <class T>
inline std::array<Batch<T>, 2> ForwardStep<T>::update_and_reset(std::size_t row, std::size_t j0,
                                                                const T* x, const T* p,
                                                                bool keep_slopes) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width();
  Batch<T> slope_z, slope_r;
  const Batch<T> z = activate(settings.gate, load(x) + load(p), keep_slopes ? &slope_z : nullptr);
  const Batch<T> r =
      activate(settings.gate, load(x + up) + load(p + L), keep_slopes ? &slope_r : nullptr);
  if (keep_slopes) {
    slope_z.store_unaligned(slopes + row * G + j0);
    slope_r.store_unaligned(slopes + row * G + up + j0);
  }
  return {z, r};
}

template <class T>
void ForwardStep<T>::after_step(std::size_t k, std::size_t block) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), j0 = block * L;
  const bool gate_slopes = slopes && !slope_from_output(settings.gate);
  const bool state_slopes = slopes && !slope_from_output(settings.state);
  const std::array<const T*, 3> operands = {recurrent_operand(0, k), recurrent_operand(1, k),
                                            recurrent_operand(2, k)};
  prefetch(k, block, 0, 3, true);
  products<3>(block, 0, operands, [&](std::size_t row0, std::size_t rows, const T* hu) {
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t b = row0 + i, row = k * dims.batch + b;
      T* x = gates + row * G + j0;
      const T* p = hu + i * 3 * L;
      const auto [z, r] = update_and_reset(row, j0, x, p, gate_slopes);
      Batch<T> slope_c;
      const Batch<T> a = load(p + 2 * L) + load(recurrent_bias + j0);
      const Batch<T> c = activate(settings.state, xsimd::fma(r, a, load(x + 2 * up)),
                                  state_slopes ? &slope_c : nullptr);
      finish(k, b, block, z, c);
      if (save) {
        z.store_unaligned(x);
        r.store_unaligned(x + up);
        c.store_unaligned(x + 2 * up);
      }
      if (carry) a.store_unaligned(carry_row(k, b) + j0);
      if (state_slopes) slope_c.store_unaligned(slopes + row * G + 2 * up + j0);
    }
  });
}

template <class T>
void ForwardStep<T>::gate_step(std::size_t k, std::size_t block) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), j0 = block * L;
  const bool gate_slopes = slopes && !slope_from_output(settings.gate);
  const std::array<const T*, 2> operands = {recurrent_operand(0, k), recurrent_operand(1, k)};
  prefetch(k, block, 0, 2, false);
  products<2>(block, 0, operands, [&](std::size_t row0, std::size_t rows, const T* hu) {
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t b = row0 + i, row = k * dims.batch + b;
      T* x = gates + row * G + j0;
      const auto [z, r] = update_and_reset(row, j0, x, hu + i * 2 * L, gate_slopes);
      // The candidate phase reads z back; r and c only backward.
      z.store_unaligned(x);
      if (save) r.store_unaligned(x + up);
      // q = (r h) rm_h
      Batch<T> q = r * load(states + row * up + j0);
      if (recurrent_masks[2]) q = q * load(recurrent_masks[2] + b * up + j0);
      q.store_unaligned(carry_row(k, b) + j0);
    }
  });
}

template <class T>
void ForwardStep<T>::candidate_step(std::size_t k, std::size_t block) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), j0 = block * L;
  const bool state_slopes = slopes && !slope_from_output(settings.state);
  const std::array<const T*, 1> operands = {carry_row(k, 0)};
  prefetch(k, block, 2, 1, true);
  products<1>(block, 2, operands, [&](std::size_t row0, std::size_t rows, const T* qu) {
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t b = row0 + i, row = k * dims.batch + b;
      T* x = gates + row * G + j0;
      Batch<T> slope_c;
      const Batch<T> c = activate(settings.state, load(x + 2 * up) + load(qu + i * L),
                                  state_slopes ? &slope_c : nullptr);
      finish(k, b, block, load(x), c);
      if (save) c.store_unaligned(x + 2 * up);
      if (state_slopes) slope_c.store_unaligned(slopes + row * G + 2 * up + j0);
    }
  });
}

template struct ForwardStep<float>;
template struct ForwardStep<double>;

}  // namespace grutape::detail
