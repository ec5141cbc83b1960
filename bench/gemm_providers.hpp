#pragma once
// The GEMM providers as gemm_bench calls them directly: OpenBLAS always, oneDNN and BLIS when the
// build found them (GRUTAPE_BENCH_DNNL, GRUTAPE_BENCH_BLIS). All row-major, C = op(A) op(B).

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <cblas.h>
#ifdef GRUTAPE_BENCH_DNNL
#include <dnnl.h>
#include <omp.h>
#endif
#ifdef GRUTAPE_BENCH_BLIS
#include <blis.h>
#endif

namespace grutape::bench {

struct GemmShape {
  std::size_t m, n, k;
  bool ta = false, tb = false;
  double flops() const { return 2.0 * m * n * k; }
  std::string op() const { return std::string(ta ? "T" : "N") + (tb ? "T" : "N"); }
  // Row strides of A and B as stored.
  std::size_t lda() const { return ta ? m : k; }
  std::size_t ldb() const { return tb ? k : n; }
};

/// Random operands of one shape, stored as op() requires, and room for the result.
template <class T>
struct Operands {
  std::vector<T> a, b, c;
  explicit Operands(const GemmShape& s) : a(s.m * s.k), b(s.k * s.n), c(s.m * s.n) {
    std::mt19937 engine(1);
    std::uniform_real_distribution<float> uniform(-1, 1);
    for (T& x : a) x = uniform(engine);
    for (T& x : b) x = uniform(engine);
  }
};

/// FNV-1a over the bytes: equal hashes stand for bitwise equal results.
template <class T>
std::uint64_t bits_hash(const std::vector<T>& x) {
  std::uint64_t hash = 14695981039346656037ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(x.data());
  for (std::size_t i = 0; i < x.size() * sizeof(T); ++i)
    hash = (hash ^ bytes[i]) * 1099511628211ull;
  return hash;
}

/// One provider's float32 GEMM and its own thread setting.
struct Provider {
  std::string name;
  std::function<void(int threads)> set_threads;
  std::function<void(const GemmShape&, const float* a, const float* b, float* c)> sgemm;
};

inline void openblas_sgemm(const GemmShape& s, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans,
              s.m, s.n, s.k, 1.0f, a, s.lda(), b, s.ldb(), 0.0f, c, s.n);
}

#ifdef GRUTAPE_BENCH_DNNL
inline void onednn_sgemm(const GemmShape& s, const float* a, const float* b, float* c) {
  dnnl_sgemm(s.ta ? 'T' : 'N', s.tb ? 'T' : 'N', s.m, s.n, s.k, 1.0f, a, s.lda(), b, s.ldb(), 0.0f,
             c, s.n);
}
#endif

inline std::vector<Provider> providers() {
  std::vector<Provider> list;
  list.push_back({"OpenBLAS", [](int t) { openblas_set_num_threads(t); }, openblas_sgemm});
#ifdef GRUTAPE_BENCH_DNNL
  // oneDNN's OpenMP runtime takes the calling thread's OpenMP setting.
  list.push_back({"oneDNN", [](int t) { omp_set_num_threads(t); }, onednn_sgemm});
#endif
#ifdef GRUTAPE_BENCH_BLIS
  list.push_back({"BLIS", [](int t) { bli_thread_set_num_threads(t); },
                  [](const GemmShape& s, const float* a, const float* b, float* c) {
                    float one = 1, zero = 0;
                    // Row-major: row stride ld, column stride 1.
                    bli_sgemm(s.ta ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
                              s.tb ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, s.m, s.n, s.k, &one,
                              const_cast<float*>(a), s.lda(), 1, const_cast<float*>(b), s.ldb(), 1,
                              &zero, c, s.n, 1);
                  }});
#endif
  return list;
}

/// The provider grutape::gemm calls for float32 (GRUTAPE_GEMM), called directly on the whole
/// product.
inline void direct_gemm(const GemmShape& s, const float* a, const float* b, float* c) {
#ifdef GRUTAPE_BENCH_GEMM_ONEDNN
  onednn_sgemm(s, a, b, c);
#else
  openblas_sgemm(s, a, b, c);
#endif
}

/// The provider grutape::gemm calls for float64 (OpenBLAS), called directly.
inline void direct_gemm(const GemmShape& s, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans,
              s.m, s.n, s.k, 1.0, a, s.lda(), b, s.ldb(), 0.0, c, s.n);
}

/// The own threads of the provider that direct_gemm calls for T.
template <class T>
void set_direct_threads(int threads) {
  // Process-wide and not free to change: set only when it differs.
  if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
#ifdef GRUTAPE_BENCH_GEMM_ONEDNN
  if (sizeof(T) == sizeof(float)) omp_set_num_threads(threads);
#endif
}

}  // namespace grutape::bench
