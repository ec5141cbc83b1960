#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#ifdef GRUTAPE_TEST_GEMM_ONEDNN
#include <omp.h>
#endif

#include "core/gemm.hpp"
#include "core/parallel.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

// A GEMM problem with random row-major operands; `pad` extra elements at the end of every row
// test strides longer than the rows. C's padding holds a sentinel that gemm must not touch.
template <class T>
struct Problem {
  bool ta = false, tb = false;
  std::size_t m = 0, n = 0, k = 0, lda = 0, ldb = 0, ldc = 0;
  T alpha = 1, beta = 0;
  std::vector<T> a, b, c;

  static constexpr T kSentinel = T(12345);

  Problem(bool ta_, bool tb_, std::size_t m_, std::size_t n_, std::size_t k_, std::size_t pad,
          T alpha_, T beta_, unsigned seed)
      : ta(ta_), tb(tb_), m(m_), n(n_), k(k_), alpha(alpha_), beta(beta_) {
    std::mt19937 engine(seed);
    std::uniform_real_distribution<double> uniform(-1, 1);
    auto fill = [&](std::vector<T>& x, std::size_t rows, std::size_t cols, std::size_t& ld) {
      ld = cols + pad;
      x.assign(rows * ld, kSentinel);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) x[i * ld + j] = static_cast<T>(uniform(engine));
    };
    fill(a, ta ? k : m, ta ? m : k, lda);
    fill(b, tb ? n : k, tb ? k : n, ldb);
    fill(c, m, n, ldc);
  }

  T op_a(std::size_t i, std::size_t p) const { return ta ? a[p * lda + i] : a[i * lda + p]; }
  T op_b(std::size_t p, std::size_t j) const { return tb ? b[j * ldb + p] : b[p * ldb + j]; }

  std::vector<T> run() const {
    std::vector<T> out = c;
    gemm(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, out.data(), ldc);
    return out;
  }
};

// Checks `out` against a naive triple loop in double, within the standard error bound of a
// k-term dot product in T: (k + 2) eps (|alpha| sum |a b| + |beta c|).
template <class T>
void require_naive_product(const Problem<T>& p, const std::vector<T>& out) {
  const double eps = std::numeric_limits<T>::epsilon();
  std::size_t wrong = 0;
  double worst = 0;
  for (std::size_t i = 0; i < p.m; ++i) {
    for (std::size_t j = 0; j < p.ldc; ++j) {
      const double got = out[i * p.ldc + j], before = p.c[i * p.ldc + j];
      if (j >= p.n) {
        wrong += got != before;  // padding
        continue;
      }
      double sum = 0, scale = 0;
      for (std::size_t q = 0; q < p.k; ++q) {
        const double term = double(p.op_a(i, q)) * double(p.op_b(q, j));
        sum += term;
        scale += std::abs(term);
      }
      const double expected = p.alpha * sum + (p.beta == T(0) ? 0.0 : p.beta * before);
      const double bound =
          (p.k + 2) * eps * (std::abs(p.alpha) * scale + std::abs(p.beta * before)) + 1e-300;
      worst = std::max(worst, std::abs(got - expected) / bound);
      wrong += std::abs(got - expected) > bound;
    }
  }
  BOOST_TEST_INFO("ta " << p.ta << " tb " << p.tb << " m " << p.m << " n " << p.n << " k " << p.k
                        << " lda " << p.lda << " beta " << p.beta << ": worst error / bound "
                        << worst);
  BOOST_TEST(wrong == 0u);
}

template <class T>
void check_sizes(const std::vector<std::array<std::size_t, 3>>& sizes, std::size_t pad) {
  unsigned seed = 1;
  for (const auto& [m, n, k] : sizes) {
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        for (T beta : {T(0), T(-0.5)}) {
          const Problem<T> p(ta, tb, m, n, k, pad, T(1.5), beta, seed++);
          require_naive_product(p, p.run());
        }
      }
    }
  }
}

template <class T>
bool bitwise_equal(const std::vector<T>& x, const std::vector<T>& y) {
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(T)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gemm_test)

BOOST_AUTO_TEST_CASE(matches_naive_product_for_all_transposes_and_odd_sizes) {
  const std::vector<std::array<std::size_t, 3>> sizes = {
      {1, 1, 1}, {7, 13, 5}, {3, 1, 17}, {1, 9, 4}, {33, 65, 129}};
  for (std::size_t pad : {0, 3}) {
    check_sizes<float>(sizes, pad);
    check_sizes<double>(sizes, pad);
  }
}

BOOST_AUTO_TEST_CASE(split_products_match_naive_product) {
  // Large enough to be cut in two: by columns (1030 x 1030, halves of 528 and 502; 40 x 300), by
  // rows (1031 x 1029; 3000 x 100), and a row vector by its inner extent (1001 = 501 + 500) when
  // B is not transposed. No cut may shift or drop a term under any transposition.
  const std::vector<std::array<std::size_t, 3>> sizes = {
      {1030, 1030, 3}, {1031, 1029, 3}, {3000, 100, 10}, {40, 300, 400}, {1, 700, 1001}};
  check_sizes<float>(sizes, 5);
  check_sizes<double>(sizes, 5);
}

BOOST_AUTO_TEST_CASE(k_zero_scales_c_and_empty_results_touch_nothing) {
  Problem<double> p(false, false, 3, 4, 0, 2, 1.0, 2.0, 7);
  require_naive_product(p, p.run());  // C = 2 C
  // beta == 0 overwrites C without reading it, NaN included (as BLAS does).
  p.beta = 0;
  std::fill(p.c.begin(), p.c.end(), std::numeric_limits<double>::quiet_NaN());
  const std::vector<double> zeroed = p.run();
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(zeroed[i * p.ldc + j] == 0.0);
  BOOST_TEST(std::isnan(zeroed[4]));  // padding stays
  for (auto [m, n] : {std::pair<std::size_t, std::size_t>{0, 4}, {3, 0}}) {
    std::vector<float> c(12, 5.0f);
    const std::vector<float> a(12, 1.0f), b(12, 1.0f);
    gemm(false, false, m, n, 2, 1.0f, a.data(), 2, b.data(), 4, 0.0f, c.data(), 4);
    BOOST_TEST(bitwise_equal(c, std::vector<float>(12, 5.0f)));
  }
}

BOOST_AUTO_TEST_CASE(beta_accumulates_into_c) {
  // C = A B + C twice over equals C + 2 A B (exact here: small integers).
  std::vector<double> a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = {1, 1, 1, 1};
  gemm(false, false, 2, 2, 2, 1.0, a.data(), 2, b.data(), 2, 1.0, c.data(), 2);
  gemm(false, false, 2, 2, 2, 1.0, a.data(), 2, b.data(), 2, 1.0, c.data(), 2);
  BOOST_TEST(c == (std::vector<double>{39, 45, 87, 101}), boost::test_tools::per_element());
  std::vector<float> af = {1, 2, 3, 4}, bf = {5, 6, 7, 8}, cf = {1, 1, 1, 1};
  gemm(true, true, 2, 2, 2, 0.5f, af.data(), 2, bf.data(), 2, -1.0f, cf.data(), 2);
  // A^T B^T = [[23, 31], [34, 46]]
  BOOST_TEST(cf == (std::vector<float>{10.5f, 14.5f, 16, 22}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bitwise_identical_for_one_and_two_threads) {
  auto check = [](auto zero, std::size_t m, std::size_t n, std::size_t k, bool ta, bool tb) {
    using T = decltype(zero);
    const Problem<T> p(ta, tb, m, n, k, 0, T(1), T(0.25), 11);
    std::vector<T> one, two, serial_scope, omp_two;
    {
      ThreadLimit limit(1);
      one = p.run();
    }
    {
      ThreadLimit limit(2);
      two = p.run();
      GemmThreads serial(1);
      serial_scope = p.run();
    }
#ifdef GRUTAPE_TEST_GEMM_ONEDNN
    // oneDNN's own thread setting (OpenMP) must change nothing either, and be left as the caller
    // set it.
    const int original = omp_get_max_threads();
    omp_set_num_threads(2);
    omp_two = p.run();
    BOOST_TEST(omp_get_max_threads() == 2);
    omp_set_num_threads(original);
#else
    omp_two = p.run();
#endif
    BOOST_TEST_INFO("m " << m << " n " << n << " k " << k << " ta " << ta << " tb " << tb);
    BOOST_TEST(bitwise_equal(one, two));
    BOOST_TEST(bitwise_equal(one, serial_scope));
    BOOST_TEST(bitwise_equal(one, omp_two));
    BOOST_TEST(bitwise_equal(one, p.run()));
  };
  // GRU shapes: a recurrent step (batch 64, 256 units), an input projection of 50 steps, a weight
  // gradient (inner extent over time * batch), and a single-row product.
  for (bool ta : {false, true}) {
    check(0.0f, 64, 768, 256, ta, false);
    check(0.0f, 3200, 768, 64, false, ta);
    check(0.0f, 256, 768, 3200, true, ta);
    check(0.0f, 1, 3072, 1024, false, ta);
    check(0.0, 64, 768, 256, ta, false);
    check(0.0, 1000, 300, 64, false, ta);
  }
}

BOOST_AUTO_TEST_CASE(thread_settings_nest_and_restore) {
  BOOST_TEST(gemm_threads() == max_threads());
  {
    GemmThreads serial(1);
    BOOST_TEST(gemm_threads() == 1u);
    {
      GemmThreads two(2);
      BOOST_TEST(gemm_threads() == std::min<std::size_t>(2, max_threads()));
    }
    BOOST_TEST(gemm_threads() == 1u);
  }
  BOOST_TEST(gemm_threads() == max_threads());
  {
    ThreadLimit limit(1);
    BOOST_TEST(gemm_threads() == 1u);
  }
  testing::require_error<ValueError>([] { GemmThreads none(0); },
                                     {"GemmThreads", "at least 1 thread", "0"});
}

BOOST_AUTO_TEST_CASE(short_strides_are_errors) {
  const std::vector<float> x(64, 1.0f);
  std::vector<float> c(64);
  // A is 3 x 5: lda must reach 5; transposed it is stored 5 x 3.
  testing::require_error<ShapeError>(
      [&] { gemm(false, false, 3, 2, 5, 1.0f, x.data(), 4, x.data(), 2, 0.0f, c.data(), 2); },
      {"gemm", "lda >= 5 (A stored 3 x 5)", "lda 4"});
  testing::require_error<ShapeError>(
      [&] { gemm(true, false, 3, 2, 5, 1.0f, x.data(), 2, x.data(), 2, 0.0f, c.data(), 2); },
      {"gemm", "lda >= 3 (A stored 5 x 3)", "lda 2"});
  testing::require_error<ShapeError>(
      [&] { gemm(false, true, 3, 2, 5, 1.0f, x.data(), 5, x.data(), 4, 0.0f, c.data(), 2); },
      {"gemm", "ldb >= 5 (B stored 2 x 5)", "ldb 4"});
  const std::vector<double> y(64, 1.0);
  std::vector<double> d(64);
  testing::require_error<ShapeError>(
      [&] { gemm(false, false, 3, 4, 2, 1.0, y.data(), 2, y.data(), 4, 0.0, d.data(), 3); },
      {"gemm", "ldc >= 4 (C stored 3 x 4)", "ldc 3"});
}

BOOST_AUTO_TEST_CASE(names_its_providers) {
  const std::string provider = gemm_provider();
  const std::string float64 = "OpenBLAS 0.";
#ifdef GRUTAPE_TEST_GEMM_ONEDNN
  const std::string float32 = "oneDNN ";
#else
  const std::string float32 = float64;
#endif
  BOOST_TEST_INFO("gemm_provider() is \"" << provider << "\"");
  BOOST_TEST(provider.rfind(float32, 0) == 0u);
  const std::size_t second = provider.find(" (float32), ");
  BOOST_TEST(second != std::string::npos);
  BOOST_TEST(provider.compare(second + 12, float64.size(), float64) == 0);
  BOOST_TEST(provider.substr(provider.size() - 10) == " (float64)");
}

BOOST_AUTO_TEST_SUITE_END()
