#pragma once
// The internals shared by the fused GRU's forward and backward passes (layers/gru/fused/node.hpp is
// the public entry). Not a public header.
//
// Layout. The kernel works in reading order and time-major: row (k, b) = k * batch + b is sample
// b at the k-th step read (time t = k, or steps - 1 - k with go_backwards). Units are padded to
// `padded`, a multiple of the xsimd batch width L, so that every unit block of L lanes is whole;
// a matrix with a 3 * units axis holds the gate blocks z | r | h at columns g * padded + j. The
// padded lanes of states are kept at zero and never feed a product (inner extents are `units`).

#include <array>
#include <cstddef>
#include <memory>
#include <type_traits>

#include "core/detail/workspace.hpp"
#include "core/tensor.hpp"
#include "layers/gru/fused/detail/activations.hpp"
#include "layers/gru/options.hpp"

namespace grutape::detail {

/// The elements of a defined tensor of element type T; null for an undefined one (an absent
/// input of the kernel).
template <class T>
const T* data_of(const Tensor& tensor) {
  return tensor.defined() ? tensor.array<T>().data() : nullptr;
}

/// An uninitialised array of `shape`, for the kernel's outputs.
template <class T>
Tensor::Array<T> array_of(const Shape& shape) {
  return Tensor::Array<T>::from_shape(shape);
}

/// The extents of one call.
struct FusedDims {
  std::size_t batch = 0, steps = 0, input = 0, units = 0;
  /// L, the xsimd batch width of the element type.
  std::size_t lanes = 0;
  /// units rounded up to a multiple of L, and the number of unit blocks (padded / L).
  std::size_t padded = 0, blocks = 0;

  std::size_t gate_width() const { return 3 * padded; }
  /// Original time of the k-th step read.
  std::size_t time(std::size_t k, bool backwards) const { return backwards ? steps - 1 - k : k; }

  /// Batches of columns per backward item (TransposedPanels): two per row keep 16 accumulators
  /// busy.
  static constexpr std::size_t kGroupBlocks = 2;
};

/// The extents for element type T.
template <class T>
FusedDims fused_dims(std::size_t batch, std::size_t steps, std::size_t input, std::size_t units);

/// Everything that selects the cell's arithmetic.
struct FusedSettings {
  ResetGateMode mode = ResetGateMode::recurrent_bias_after_multiplication;
  FusedActivation gate = FusedActivation::sigmoid;
  FusedActivation state = FusedActivation::tanh;
  bool go_backwards = false;
};

/// The validated tensors of one call (undefined where absent), all of one dtype.
struct FusedTensors {
  Tensor input, initial_state, kernel, recurrent_kernel, bias, recurrent_bias, mask;
  std::array<Tensor, 3> input_dropout, recurrent_dropout;
};

/// What the forward pass leaves for the backward pass (and its own workspace).
template <class T>
struct FusedRecord {
  FusedDims dims;
  FusedSettings settings;
  FusedTensors tensors;
  /// (steps * batch, 3 padded): x W during the forward, then the activations z | r | c.
  Buffer<T> gates;
  /// (steps * batch, 3 padded): f'(x) of the activations whose slope is not a function of
  /// their output; empty when neither needs it.
  Buffer<T> slopes;
  /// (steps * batch, padded): a = h U_h + rb_h (after modes) or q = (r * h) rm_h (before).
  Buffer<T> carry;
  /// (steps + 1, batch, padded): states[0] = h0, states[k + 1] = state after the k-th step.
  Buffer<T> states;
  /// (steps, batch) 0/1, empty without a mask.
  Buffer<T> mask;
  /// Per gate, (batch, padded) recurrent dropout masks; empty where the gate has none.
  std::array<Buffer<T>, 3> recurrent_masks;
};

/// Runs the forward pass on `tensors`; `save` keeps what backward needs. Writes the sequence
/// (batch, steps, units) and the final state (batch, units).
template <class T>
std::shared_ptr<FusedRecord<T>> fused_forward(const FusedTensors& tensors,
                                              const FusedSettings& settings, bool save,
                                              Tensor& sequence, Tensor& final_state);

/// Which gradients backward forms.
struct FusedNeeds {
  bool input = false, initial_state = false, kernel = false, recurrent_kernel = false, bias = false,
       recurrent_bias = false;
};

/// The gradients, undefined where not needed.
struct FusedGradients {
  Tensor input, initial_state, kernel, recurrent_kernel, bias, recurrent_bias;
};

/// The backward pass from the gradients of the sequence and final state (either undefined).
template <class T>
FusedGradients fused_backward(const FusedRecord<T>& record, const Tensor& grad_sequence,
                              const Tensor& grad_final, const FusedNeeds& needs);

// Packing and reordering (layers/gru/fused/pack.cpp).

/// A (rows, 3 units) matrix with gate blocks (the kernel W, rows = input; the recurrent kernel
/// U, rows = units) packed as the forward products read it: for unit block jb a panel of `rows`
/// rows of 3 L values [M_z | M_r | M_h] at the block's columns, zero beyond units, the panels
/// one after the other. (Read in place instead, the matrix's power-of-two row strides make a
/// panel's lines collide in a few cache sets: measured 3x slower.) The constructor only makes
/// room; pack() fills it a range of rows at a time, so that threads can share the work.
template <class T>
class ForwardPanels {
 public:
  ForwardPanels(const T* matrix, std::size_t rows, const FusedDims& dims);
  /// Packs rows [first, end) of every panel.
  void pack(std::size_t first, std::size_t end) {
    pack_blocks(matrix_, rows_, dims_, 0, dims_.blocks, first, end, packed_.data());
  }
  /// Packs rows [first, end) of the panels of blocks [block, block + count) of `matrix` into
  /// `out` (count panels of rows * 3 L values), reading the matrix row by row (block by block,
  /// its rows come from memory at a stride the prefetchers miss: measured 2.5x slower).
  static void pack_blocks(const T* matrix, std::size_t rows, const FusedDims& dims,
                          std::size_t block, std::size_t count, std::size_t first, std::size_t end,
                          T* out);
  /// The first weight of unit block `block`.
  const T* panel(std::size_t block) const { return packed_.data() + block * stride(); }
  /// Row stride and batch stride of a panel (core/detail/tile_products.hpp's PanelLayout).
  std::size_t ldb() const { return 3 * dims_.lanes; }
  std::size_t vstride() const { return dims_.lanes; }

 private:
  std::size_t stride() const { return rows_ * 3 * dims_.lanes; }

  const T* matrix_;
  std::size_t rows_;
  FusedDims dims_;
  Buffer<T> packed_;
};

/// M^T for a (columns, 3 units) matrix M with gate blocks (the recurrent kernel: columns =
/// units; the kernel: columns = input) as the backward products read it: the columns j of M^T
/// (rows of M) in groups of up to FusedDims::kGroupBlocks batches of L; group q's panel has
/// 3 padded rows of width(q) values, row g * padded + i holding M(j, g * units + i) for the
/// group's j, zero beyond.
template <class T>
class TransposedPanels {
 public:
  /// Values per group: kGroupBlocks batches.
  static constexpr std::size_t kGroup = FusedDims::kGroupBlocks * xsimd::batch<T>::size;

  TransposedPanels(const T* matrix, std::size_t columns, const FusedDims& dims);
  std::size_t groups() const { return groups_; }
  /// The first column j of group q and the group's width in values (a multiple of L).
  std::size_t first(std::size_t q) const { return q * kGroup; }
  std::size_t width(std::size_t q) const { return std::min(kGroup, padded_columns_ - first(q)); }
  /// Group q's panel (3 padded rows of width(q) values).
  const T* panel(std::size_t q) const { return packed_.data() + first(q) * rows_; }

 private:
  Buffer<T> packed_;
  std::size_t padded_columns_, groups_, rows_;
};

/// body(std::integral_constant<std::size_t, NV>()) for the NV batches of group q of `panels`
/// (kGroupBlocks, or 1 for a last group of one batch): the products over a group keep NV
/// batches of accumulators per row, a compile-time count.
template <class T, class Body>
void with_group_batches(const TransposedPanels<T>& panels, std::size_t q, Body&& body) {
  constexpr std::size_t L = xsimd::batch<T>::size;
  static_assert(FusedDims::kGroupBlocks == 2, "a group is one or two batches");
  if (panels.width(q) == 2 * L)
    body(std::integral_constant<std::size_t, 2>());
  else
    body(std::integral_constant<std::size_t, 1>());
}

/// Rows of x (batch, steps, width) in reading order: out row (k, b), row stride out_stride,
/// holds x[b, time(k)]; columns beyond width are left alone.
template <class T>
void to_reading_order(const T* x, const FusedDims& dims, std::size_t width, bool backwards, T* out,
                      std::size_t out_stride);

/// The inverse: x[b, time(k)] (batch, steps, width) = first width values of row (k, b) of
/// `rows` (row stride rows_stride); x rows of samples or steps not covered are left alone.
template <class T>
void from_reading_order(const T* rows, std::size_t rows_stride, const FusedDims& dims,
                        std::size_t width, bool backwards, T* x);

}  // namespace grutape::detail
