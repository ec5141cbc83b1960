#include "layers/gru/layouts/detail/blocks.hpp"

namespace grutape::detail {

Values rows_to_columns(const Values& external, BlockOrder order, std::size_t u, std::size_t n) {
  Values internal(n * 3 * u);
  for (std::size_t g = 0; g < gru_gate_count; ++g)
    for (std::size_t j = 0; j < u; ++j)
      for (std::size_t i = 0; i < n; ++i)
        internal[i * 3 * u + g * u + j] = external[(order[g] * u + j) * n + i];
  return internal;
}

Values columns_to_rows(const Values& internal, BlockOrder order, std::size_t u, std::size_t n) {
  Values external(n * 3 * u);
  for (std::size_t g = 0; g < gru_gate_count; ++g)
    for (std::size_t j = 0; j < u; ++j)
      for (std::size_t i = 0; i < n; ++i)
        external[(order[g] * u + j) * n + i] = internal[i * 3 * u + g * u + j];
  return external;
}

Values blocks_to_internal(const Values& external, BlockOrder order, std::size_t u,
                          std::size_t offset) {
  Values internal(3 * u);
  for (std::size_t g = 0; g < gru_gate_count; ++g)
    for (std::size_t j = 0; j < u; ++j) internal[g * u + j] = external[offset + order[g] * u + j];
  return internal;
}

void append_blocks(Values& external, const Values& internal, BlockOrder order, std::size_t u) {
  Values blocks(3 * u);
  for (std::size_t g = 0; g < gru_gate_count; ++g)
    for (std::size_t j = 0; j < u; ++j) blocks[order[g] * u + j] = internal[g * u + j];
  external.insert(external.end(), blocks.begin(), blocks.end());
}

void require_defined(const Tensor& tensor, const std::string& where) {
  if (!tensor.defined()) throw ValueError(where, "a tensor", "none");
}

void require_bias_presence(const Tensor& bias, const GruOptions& options,
                           const std::string& where) {
  if (bias.defined() == options.use_bias()) return;
  if (options.use_bias()) throw ValueError(where, "a tensor (use_bias true)", "none");
  throw ValueError(where, "none (use_bias false)",
                   "a tensor of shape " + shape_to_string(bias.shape()));
}

std::size_t input_extent(const Tensor& weights, std::size_t axis, std::size_t rank,
                         const GruOptions& options, const std::string& where) {
  require_defined(weights, where);
  if (weights.rank() != rank) {
    throw ShapeError(where, "a tensor of rank " + std::to_string(rank),
                     "shape " + shape_to_string(weights.shape()));
  }
  const std::size_t input = weights.shape()[axis];
  if (options.input_size() != 0 && input != options.input_size()) {
    throw ShapeError(where,
                     "input extent " + std::to_string(options.input_size()) +
                         " (input_size) on axis " + std::to_string(axis),
                     "shape " + shape_to_string(weights.shape()));
  }
  return input;
}

namespace {

// lead followed by `extents`.
Shape with_lead(const Shape& lead, std::initializer_list<std::size_t> extents) {
  Shape shape = lead;
  shape.insert(shape.end(), extents);
  return shape;
}

}  // namespace

std::size_t check_gate_rows(const Tensor& w, const std::string& w_name, const Tensor& r,
                            const std::string& r_name, const Shape& lead, const GruOptions& options,
                            const std::string& where) {
  const std::size_t u = options.units(), axis = lead.size() + 1;
  const std::size_t input = input_extent(w, axis, axis + 1, options, where + ": " + w_name);
  require_shape(w, with_lead(lead, {3 * u, input}), where + ": " + w_name);
  require_defined(r, where + ": " + r_name);
  require_shape(r, with_lead(lead, {3 * u, u}), where + ": " + r_name);
  return input;
}

GruWeights kernels_from_gate_rows(const Tensor& w, const Tensor& r, BlockOrder order,
                                  std::size_t input, std::size_t u, DType dtype) {
  GruWeights weights;
  weights.kernel = make({input, 3 * u}, rows_to_columns(w.to_vector(), order, u, input), dtype);
  weights.recurrent_kernel = make({u, 3 * u}, rows_to_columns(r.to_vector(), order, u, u), dtype);
  return weights;
}

std::pair<Tensor, Tensor> kernels_to_gate_rows(const GruWeights& weights, const GruOptions& options,
                                               BlockOrder order, const Shape& lead,
                                               const std::string& where) {
  check_gru_weights(weights, options, where);
  const std::size_t u = options.units(), input = gru_input_size(weights, where);
  const DType dtype = weights.kernel.dtype();
  return {make(with_lead(lead, {3 * u, input}),
               columns_to_rows(weights.kernel.to_vector(), order, u, input), dtype),
          make(with_lead(lead, {3 * u, u}),
               columns_to_rows(weights.recurrent_kernel.to_vector(), order, u, u), dtype)};
}

DType common_dtype(std::initializer_list<Tensor> tensors, const std::string& where) {
  const Tensor& first = *tensors.begin();
  for (const Tensor& tensor : tensors)
    if (tensor.defined()) require_same_dtype(first, tensor, where);
  return first.dtype();
}

}  // namespace grutape::detail
