#include "layers/params/detail/orthogonal.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace grutape {
namespace {

// Applies H = I - 2 v v^T / v2 to columns [first, n) of rows [k, k + v.size()) of the row-major
// matrix a (n columns): column j gets a_j -= (2 (v . a_j) / v2) v. The loops run along rows, so
// both passes read memory in order; each column's dot product still sums over i in increasing
// order, so the result is the same, bit for bit, as one column at a time.
void reflect_columns(const std::vector<double>& v, double v2, std::size_t k, std::size_t first,
                     std::size_t n, std::vector<double>& a) {
  std::vector<double> dot(n - first, 0.0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double* row = &a[(k + i) * n + first];
    for (std::size_t j = 0; j < dot.size(); ++j) dot[j] += v[i] * row[j];
  }
  for (double& d : dot) d = 2 * d / v2;
  for (std::size_t i = 0; i < v.size(); ++i) {
    double* row = &a[(k + i) * n + first];
    for (std::size_t j = 0; j < dot.size(); ++j) row[j] -= dot[j] * v[i];
  }
}

}  // namespace

std::vector<double> householder_q(std::vector<double> a, std::size_t m, std::size_t n) {
  if (m < n || a.size() != m * n) {
    throw ShapeError("householder_q", "a tall matrix (m >= n) of m * n values",
                     std::to_string(m) + " x " + std::to_string(n) + " with " +
                         std::to_string(a.size()) + " values");
  }
  auto at = [n](std::vector<double>& matrix, std::size_t i, std::size_t j) -> double& {
    return matrix[i * n + j];
  };
  // Reflector k is H_k = I - 2 v v^T / (v^T v) acting on rows k..m-1; it zeroes column k of A
  // below the diagonal and leaves R_kk = alpha.
  std::vector<std::vector<double>> reflectors(n);
  std::vector<double> sign_of_r(n, 1.0);
  for (std::size_t k = 0; k < n; ++k) {
    double norm2 = 0;
    for (std::size_t i = k; i < m; ++i) norm2 += at(a, i, k) * at(a, i, k);
    const double norm = std::sqrt(norm2);
    // alpha takes the sign opposite to the pivot so that v = x - alpha e1 does not cancel.
    const double alpha = at(a, k, k) >= 0 ? -norm : norm;
    std::vector<double>& v = reflectors[k];
    v.resize(m - k);
    for (std::size_t i = k; i < m; ++i) v[i - k] = at(a, i, k);
    v[0] -= alpha;
    double v2 = 0;
    for (double x : v) v2 += x * x;
    if (v2 > 0) {
      reflect_columns(v, v2, k, k, n, a);
    } else {
      v.clear();
    }
    sign_of_r[k] = alpha < 0 ? -1.0 : 1.0;
  }
  // Q = H_0 H_1 ... H_{n-1} [I_n; 0], applied from the last reflector to the first.
  std::vector<double> q(m * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) at(q, i, i) = 1;
  for (std::size_t k = n; k-- > 0;) {
    const std::vector<double>& v = reflectors[k];
    if (v.empty()) continue;
    double v2 = 0;
    for (double x : v) v2 += x * x;
    reflect_columns(v, v2, k, 0, n, q);
  }
  // A = Q R = (Q S)(S R) with S = diag(sign R_kk): the signed Q goes with a positive diagonal.
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) at(q, i, j) *= sign_of_r[j];
  return q;
}

std::vector<double> random_orthogonal(std::size_t rows, std::size_t cols, Random& random) {
  const std::size_t m = std::max(rows, cols), n = std::min(rows, cols);
  std::vector<double> a(m * n);
  for (double& x : a) x = random.normal();
  const std::vector<double> q = householder_q(std::move(a), m, n);
  if (rows >= cols) return q;
  // rows < cols: Q is (cols x rows) with orthonormal columns; its transpose has orthonormal rows.
  std::vector<double> transposed(rows * cols);
  for (std::size_t i = 0; i < cols; ++i)
    for (std::size_t j = 0; j < rows; ++j) transposed[j * cols + i] = q[i * rows + j];
  return transposed;
}

}  // namespace grutape
