#include "autodiff/ops/linalg.hpp"

#include "autodiff/custom_op.hpp"
#include "core/linalg.hpp"
#include "core/reduce.hpp"

namespace grutape {
namespace {

using Grads = std::vector<Tensor>;

// b holds one matrix (no batch axes, or all of extent 1).
bool single_matrix(const Shape& shape) {
  return shape_size(Shape(shape.begin(), shape.end() - 2)) == 1;
}

Tensor with_shape(const Tensor& x, const Shape& shape) {
  return x.shape() == shape ? x : x.reshaped(shape);
}

// Y = op(A) op(B), op(X) = X or X^T by its flag  =>  d op(A) = G op(B)^T, d op(B) = op(A)^T G.

Tensor grad_a(const Tensor& g, const Tensor& b, const Shape& shape_a, bool ta, bool tb) {
  // dA = G op(B)^T, or for A stored transposed dA = (G op(B)^T)^T = op(B) G^T.
  const Tensor d = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
  return sum_to_shape(d, shape_a);
}

Tensor grad_b(const Tensor& g, const Tensor& a, const Shape& shape_b, bool ta, bool tb) {
  if (single_matrix(shape_b) && !ta) {
    // B is shared by every matrix of A: dB = sum_i A_i^T G_i (or its transpose), one GEMM whose
    // inner extent runs over all rows of A.
    return with_shape(tb ? contract_leading_axes(g, a) : contract_leading_axes(a, g), shape_b);
  }
  // dB = op(A)^T G, or for B stored transposed dB = (op(A)^T G)^T = G^T op(A).
  const Tensor d = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
  return sum_to_shape(d, shape_b);
}

}  // namespace

Value matmul(const Value& a, const Value& b, bool transpose_a, bool transpose_b) {
  const bool na = a.requires_grad(), nb = b.requires_grad();
  // dA needs only B and dB only A: keep each only if the other's gradient is wanted.
  const Tensor saved_a = nb ? a.value() : Tensor(), saved_b = na ? b.value() : Tensor();
  const Shape shape_a = a.shape(), shape_b = b.shape();
  Tensor y = grutape::matmul(a.value(), b.value(), transpose_a, transpose_b);
  return record_op("matmul", std::move(y), {a, b}, [=](const Tensor& g) {
    // Y = op(A) op(B)
    return Grads{na ? grad_a(g, saved_b, shape_a, transpose_a, transpose_b) : Tensor(),
                 nb ? grad_b(g, saved_a, shape_b, transpose_a, transpose_b) : Tensor()};
  });
}

}  // namespace grutape
