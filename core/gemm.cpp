#include "core/gemm.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "core/detail/gemm_provider.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace grutape {
namespace {

// How a call is cut for threads (measured by bench/gemm_bench, docs/gemm.md). Below
// kMinSplitWork multiply-adds it is one provider call: two threads gained nothing at 2^17 and
// 1.5x at 2^19.5. Above, it is cut in two halves, each one single-threaded provider call, so that
// two threads share it evenly: halves of C along its longer side, except for a row vector times
// B stored k x n, which is cut along k into halves of B's rows (halves of B's columns cut every
// row B is streamed by, 15% slower on one thread when B outgrows the caches); the second half's
// product is then added in a fixed order. More than two pieces would serve more threads, but
// every cut makes the provider pack the shared operand once more: with four pieces the GRU's
// shapes lost up to 31% on one thread, with two at most 5%. Column halves are rounded up to 16
// columns so that the second starts on a cache line.
constexpr double kMinSplitWork = 1 << 19;
constexpr std::size_t kColumnAlign = 16;

thread_local std::size_t thread_limit = std::numeric_limits<std::size_t>::max();

std::size_t ceil_div(std::size_t a, std::size_t b) {
  return (a + b - 1) / b;
}

enum class Split { none, rows, columns, inner };

// A function of the shape alone, never of the thread count.
Split choose_split(bool tb, std::size_t m, std::size_t n, std::size_t k) {
  const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  if (work < kMinSplitWork) return Split::none;
  if (m == 1 && !tb && k >= 2) return Split::inner;
  if (n >= m && n >= 2 * kColumnAlign) return Split::columns;
  if (m >= 2) return Split::rows;
  return Split::none;
}

void require_stride(const char* name, std::size_t stride, std::size_t row, const char* matrix,
                    std::size_t rows) {
  if (stride < row) {
    throw ShapeError("gemm",
                     std::string(name) + " >= " + std::to_string(row) + " (" + matrix + " stored " +
                         std::to_string(rows) + " x " + std::to_string(row) + ")",
                     std::string(name) + " " + std::to_string(stride));
  }
}

// One single-threaded provider call (core/detail/gemm_provider.hpp).
void provider_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                   const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                   float* c, std::size_t ldc) {
  detail::float32_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void provider_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                   const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
                   double* c, std::size_t ldc) {
  detail::openblas_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Runs piece(0) and piece(1), on two threads when gemm_threads() allows.
template <class Piece>
void run_halves(const Piece& piece) {
  const std::size_t threads = gemm_threads();
  if (threads == 1) {
    piece(0);
    piece(1);
    return;
  }
  auto parallel = [&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, 2, 1),
        [&](const tbb::blocked_range<int>& range) {
          for (int half = range.begin(); half < range.end(); ++half) piece(half);
        },
        tbb::simple_partitioner());
  };
  if (threads >= max_threads()) {
    parallel();
  } else {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute(parallel);
  }
}

template <class T>
void split_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  require_stride("lda", lda, ta ? m : k, "A", ta ? k : m);
  require_stride("ldb", ldb, tb ? k : n, "B", tb ? n : k);
  require_stride("ldc", ldc, n, "C", m);
  if (m == 0 || n == 0) return;
  if (k == 0) {
    // op(A) op(B) is an m x n matrix of zeros.
    for (std::size_t i = 0; i < m; ++i) {
      T* row = c + i * ldc;
      if (beta == T(0))
        std::fill(row, row + n, T(0));
      else
        for (std::size_t j = 0; j < n; ++j) row[j] *= beta;
    }
    return;
  }
  switch (choose_split(tb, m, n, k)) {
    case Split::none:
      provider_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    case Split::rows: {
      const std::size_t half = ceil_div(m, 2);
      run_halves([&](int h) {
        const std::size_t i = h * half;
        provider_gemm(ta, tb, h ? m - half : half, n, k, alpha, ta ? a + i : a + i * lda, lda, b,
                      ldb, beta, c + i * ldc, ldc);
      });
      return;
    }
    case Split::columns: {
      const std::size_t half = ceil_div(ceil_div(n, 2), kColumnAlign) * kColumnAlign;
      run_halves([&](int h) {
        const std::size_t j = h * half;
        provider_gemm(ta, tb, m, h ? n - half : half, k, alpha, a, lda, tb ? b + j * ldb : b + j,
                      ldb, beta, c + j, ldc);
      });
      return;
    }
    case Split::inner: {
      // c = (alpha a_1 B_1 + beta c) + alpha a_2 B_2 over the two halves of k, in that order.
      const std::size_t half = ceil_div(k, 2);
      std::vector<T> second(n);
      run_halves([&](int h) {
        if (h == 0) {
          provider_gemm(ta, false, 1, n, half, alpha, a, lda, b, ldb, beta, c, ldc);
        } else {
          provider_gemm(ta, false, 1, n, k - half, alpha, ta ? a + half * lda : a + half, lda,
                        b + half * ldb, ldb, T(0), second.data(), n);
        }
      });
      for (std::size_t j = 0; j < n; ++j) c[j] += second[j];
      return;
    }
  }
}

}  // namespace

void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          float alpha, const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
          float* c, std::size_t ldc) {
  split_gemm(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          double alpha, const double* a, std::size_t lda, const double* b, std::size_t ldb,
          double beta, double* c, std::size_t ldc) {
  split_gemm(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char* gemm_provider() {
  static const std::string name =
      detail::float32_provider() + " (float32), " + detail::openblas_provider() + " (float64)";
  return name.c_str();
}

std::size_t gemm_threads() {
  return std::min(max_threads(), thread_limit);
}

GemmThreads::GemmThreads(std::size_t threads) : previous_(thread_limit) {
  if (threads == 0) throw ValueError("GemmThreads", "at least 1 thread", "0");
  thread_limit = threads;
}

GemmThreads::~GemmThreads() {
  thread_limit = previous_;
}

}  // namespace grutape
