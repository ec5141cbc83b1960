#pragma once
// The index work shared by the GRU layout converters (layers/gru/layouts/layouts.hpp): moving gate
// blocks between an external order and the internal [z | r | h] while transposing, and the checks
// every converter makes. Values travel as double, which holds float32 and float64 values exactly.

#include <array>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"
#include "layers/gru/gates.hpp"
#include "layers/gru/options.hpp"
#include "layers/gru/weights.hpp"

namespace grutape::detail {

/// For each internal gate (z, r, h), the block that holds it in an external 3 * units axis.
using BlockOrder = std::array<std::size_t, gru_gate_count>;
/// Keras and ONNX: [z | r | h].
constexpr BlockOrder zrh_blocks = {0, 1, 2};
/// PyTorch and MATLAB: [r | z | h], so z is the second block and r the first.
constexpr BlockOrder rzh_blocks = {1, 0, 2};

using Values = std::vector<double>;

/// External (3u, n) gate rows -> internal (n, 3u) gate columns: the transpose with gate blocks
/// moved, internal[i][g u + j] = external[order[g] u + j][i].
Values rows_to_columns(const Values& external, BlockOrder order, std::size_t u, std::size_t n);
/// The inverse of rows_to_columns.
Values columns_to_rows(const Values& internal, BlockOrder order, std::size_t u, std::size_t n);
/// The 3u external blocks starting at `offset` of `external`, in internal order.
Values blocks_to_internal(const Values& external, BlockOrder order, std::size_t u,
                          std::size_t offset = 0);
/// The inverse of blocks_to_internal, appended to `external`.
void append_blocks(Values& external, const Values& internal, BlockOrder order, std::size_t u);

/// A ValueError naming `where` when `tensor` is undefined.
void require_defined(const Tensor& tensor, const std::string& where);
/// A ValueError naming `where` unless `bias` is present exactly when options.use_bias().
void require_bias_presence(const Tensor& bias, const GruOptions& options, const std::string& where);
/// The input extent on `axis` of input weights of rank `rank`; a ShapeError naming `where` for
/// another rank or an extent other than a given options.input_size().
std::size_t input_extent(const Tensor& weights, std::size_t axis, std::size_t rank,
                         const GruOptions& options, const std::string& where);
/// The dtype of the first tensor; a ValueError naming `where` when a defined one differs.
DType common_dtype(std::initializer_list<Tensor> tensors, const std::string& where);

/// The input extent of external gate rows: input weights w (lead..., 3u, input) and recurrent
/// weights r (lead..., 3u, u), where `lead` is ONNX's direction axis {1} or empty (PyTorch,
/// MATLAB), after checking both; `w_name` and `r_name` name them in messages.
std::size_t check_gate_rows(const Tensor& w, const std::string& w_name, const Tensor& r,
                            const std::string& r_name, const Shape& lead, const GruOptions& options,
                            const std::string& where);
/// The internal kernel (input, 3u) and recurrent kernel (u, 3u) of checked gate rows w and r in
/// `order`, as `dtype`; no biases.
GruWeights kernels_from_gate_rows(const Tensor& w, const Tensor& r, BlockOrder order,
                                  std::size_t input, std::size_t u, DType dtype);
/// The kernel and recurrent kernel of `weights`, checked against `options`, as gate rows in
/// `order`: {w (lead..., 3u, input), r (lead..., 3u, u)}.
std::pair<Tensor, Tensor> kernels_to_gate_rows(const GruWeights& weights, const GruOptions& options,
                                               BlockOrder order, const Shape& lead,
                                               const std::string& where);

inline Tensor make(const Shape& shape, const Values& values, DType dtype) {
  return Tensor::from_values(shape, values, dtype);
}
inline Values slice(const Values& values, std::size_t begin, std::size_t count) {
  return Values(values.begin() + begin, values.begin() + begin + count);
}

}  // namespace grutape::detail
