/*
 * The fused GRU cell, one step k for one block of units j, for every sample (x: input row of the
 * step, h = h_{k-1}, g: gate activation, s: state activation, m_g / rm_g: input / recurrent
 * dropout masks of gate g, 1 where absent):
 *
 *   z   = g(xW_z + b_z + (h rm_z) U_z + rb_z)        xW_g = (x m_g) W_g, computed for all steps
 *   r   = g(xW_r + b_r + (h rm_r) U_r + rb_r)        before the loop as one product
 *   after_multiplication:                 a = (h rm_h) U_h          c = s(xW_h + b_h + r a)
 *   recurrent_bias_after_multiplication:  a = (h rm_h) U_h + rb_h   c = s(xW_h + b_h + r a)
 *   before_multiplication:                q = (r h) rm_h            c = s(xW_h + b_h + q U_h)
 *   h_k = z h + (1 - z) c            (= h where the step is masked out)
 *
 * Saved for backward: z, r, c (over xW in place), a or q, h_k, and f'(x) of activations whose
 * derivative is not a function of their output. gru_fused_backward_step.cpp differentiates it.
 */

#include "layers/gru_fused_step.hpp"

#include <cstring>

#include "layers/gru_fused_gemm.hpp"

namespace grutape::detail {
namespace {

template <class T>
using Batch = xsimd::batch<T>;

template <class T>
Batch<T> load(const T* p) {
  return Batch<T>::load_unaligned(p);
}

}  // namespace

template <class T>
std::size_t ForwardStep<T>::phases() const {
  return settings.mode == ResetGateMode::before_multiplication ? 2 * dims.steps : dims.steps;
}

template <class T>
void ForwardStep<T>::run(std::size_t phase, std::size_t block) const {
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
  const std::size_t L = dims.lanes, ldb = 3 * L;
  const T* panel = panels + block * dims.units * ldb + first * L;
  bool shared = true;
  for (const T* operand : operands) shared = shared && operand == operands[0];
  if (shared) {
    const Segment<T> segment{operands[0], dims.padded, panel, dims.units};
    product_rows<T, NV>(dims.batch, &segment, 1, ldb, epilogue);
    return;
  }
  // Recurrent dropout: each gate multiplies its own masked state.
  alignas(64) T buffer[kTileRows * NV * Batch<T>::size];
  for (std::size_t row0 = 0; row0 < dims.batch; row0 += kTileRows) {
    const std::size_t rows = std::min(kTileRows, dims.batch - row0);
    for (std::size_t v = 0; v < NV; ++v) {
      const Segment<T> segment{operands[v], dims.padded, panel + v * L, dims.units};
      tile_rows<T, 1>(rows, &segment, 1, row0, ldb, buffer + v * L, NV * L);
    }
    epilogue(row0, rows, static_cast<const T*>(buffer));
  }
}

template <class T>
void ForwardStep<T>::store_slopes(std::size_t row, std::size_t gate, std::size_t block,
                                  const T* slope, std::size_t count) const {
  std::memcpy(slopes + row * dims.gate_width() + gate * dims.padded + block * dims.lanes, slope,
              count * sizeof(T));
}

// h_k = z h + (1 - z) c, or h where masked; padded lanes stay 0. Also the masked states.
template <class T>
void ForwardStep<T>::finish(std::size_t k, std::size_t b, std::size_t block, const T* z,
                            const T* c) const {
  const std::size_t up = dims.padded, j0 = block * dims.lanes, row = k * dims.batch + b;
  const T* h = states + row * up + j0;
  T* next = states + (row + dims.batch) * up + j0;
  const Batch<T> hv = load(h), cv = load(c);
  // h_k = z h + (1 - z) c = c + z (h - c)
  Batch<T> result = xsimd::fma(load(z), hv - cv, cv);
  if (mask && mask[row] == T(0)) result = hv;
  result.store_unaligned(next);
  if (j0 + dims.lanes > dims.units) std::fill(next + (dims.units - j0), next + dims.lanes, T(0));
  for (std::size_t g = 0; g < 3; ++g) {
    if (!masked_states[g]) continue;
    const std::size_t slot = ((k + 1) % 2) * dims.batch * up + b * up + j0;
    (load(next) * load(recurrent_masks[g] + b * up + j0)).store_unaligned(masked_states[g] + slot);
  }
}

template <class T>
void ForwardStep<T>::after_step(std::size_t k, std::size_t block) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), j0 = block * L;
  const bool gate_slopes = slopes && !slope_from_output(settings.gate);
  const bool state_slopes = slopes && !slope_from_output(settings.state);
  const std::array<const T*, 3> operands = {recurrent_operand(0, k), recurrent_operand(1, k),
                                            recurrent_operand(2, k)};
  products<3>(block, 0, operands, [&](std::size_t row0, std::size_t rows, const T* hu) {
    alignas(64) T zr[kTileRows * 2 * Batch<T>::size], zr_slope[kTileRows * 2 * Batch<T>::size];
    alignas(64) T c[kTileRows * Batch<T>::size], c_slope[kTileRows * Batch<T>::size];
    for (std::size_t i = 0; i < rows; ++i) {
      const T* x = gates + ((k * dims.batch) + row0 + i) * G + j0;
      for (std::size_t g = 0; g < 2; ++g)
        (load(x + g * up) + load(hu + i * 3 * L + g * L) + load(biases + g * up + j0))
            .store_aligned(zr + (2 * i + g) * L);
    }
    activate(settings.gate, zr, rows * 2 * L, gate_slopes ? zr_slope : nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t row = k * dims.batch + row0 + i;
      const T* x = gates + row * G + j0;
      const Batch<T> a = load(hu + i * 3 * L + 2 * L) + load(biases + 3 * up + j0);
      if (carry) a.store_unaligned(carry_row(k, row0 + i) + j0);
      const Batch<T> r = load(zr + (2 * i + 1) * L);
      xsimd::fma(r, a, load(x + 2 * up) + load(biases + 2 * up + j0)).store_aligned(c + i * L);
    }
    activate(settings.state, c, rows * L, state_slopes ? c_slope : nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t row = k * dims.batch + row0 + i;
      finish(k, row0 + i, block, zr + 2 * i * L, c + i * L);
      T* saved = gates + row * G + j0;
      std::memcpy(saved, zr + 2 * i * L, L * sizeof(T));
      std::memcpy(saved + up, zr + (2 * i + 1) * L, L * sizeof(T));
      std::memcpy(saved + 2 * up, c + i * L, L * sizeof(T));
      if (gate_slopes) store_slopes(row, 0, block, zr_slope + 2 * i * L, 2 * L);
      if (state_slopes) store_slopes(row, 2, block, c_slope + i * L, L);
    }
  });
}

template <class T>
void ForwardStep<T>::gate_step(std::size_t k, std::size_t block) const {
  const std::size_t L = dims.lanes, up = dims.padded, G = dims.gate_width(), j0 = block * L;
  const bool gate_slopes = slopes && !slope_from_output(settings.gate);
  const std::array<const T*, 2> operands = {recurrent_operand(0, k), recurrent_operand(1, k)};
  products<2>(block, 0, operands, [&](std::size_t row0, std::size_t rows, const T* hu) {
    alignas(64) T zr[kTileRows * 2 * Batch<T>::size], zr_slope[kTileRows * 2 * Batch<T>::size];
    for (std::size_t i = 0; i < rows; ++i) {
      const T* x = gates + ((k * dims.batch) + row0 + i) * G + j0;
      for (std::size_t g = 0; g < 2; ++g)
        (load(x + g * up) + load(hu + i * 2 * L + g * L) + load(biases + g * up + j0))
            .store_aligned(zr + (2 * i + g) * L);
    }
    activate(settings.gate, zr, rows * 2 * L, gate_slopes ? zr_slope : nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t b = row0 + i, row = k * dims.batch + b;
      T* saved = gates + row * G + j0;
      std::memcpy(saved, zr + 2 * i * L, L * sizeof(T));
      std::memcpy(saved + up, zr + (2 * i + 1) * L, L * sizeof(T));
      if (gate_slopes) store_slopes(row, 0, block, zr_slope + 2 * i * L, 2 * L);
      // q = (r h) rm_h
      Batch<T> q = load(zr + (2 * i + 1) * L) * load(states + row * up + j0);
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
  products<1>(block, 2, operands, [&](std::size_t row0, std::size_t rows, const T* qu) {
    alignas(64) T c[kTileRows * Batch<T>::size], c_slope[kTileRows * Batch<T>::size];
    for (std::size_t i = 0; i < rows; ++i) {
      const T* x = gates + ((k * dims.batch) + row0 + i) * G + j0;
      (load(x + 2 * up) + load(biases + 2 * up + j0) + load(qu + i * L)).store_aligned(c + i * L);
    }
    activate(settings.state, c, rows * L, state_slopes ? c_slope : nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t row = k * dims.batch + row0 + i;
      T* saved = gates + row * G + j0;
      finish(k, row0 + i, block, saved, c + i * L);
      std::memcpy(saved + 2 * up, c + i * L, L * sizeof(T));
      if (state_slopes) store_slopes(row, 2, block, c_slope + i * L, L);
    }
  });
}

template struct ForwardStep<float>;
template struct ForwardStep<double>;

}  // namespace grutape::detail
