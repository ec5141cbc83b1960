#include <boost/test/unit_test.hpp>

#include <cmath>

#include "core/detail/map_kernel.hpp"
#include "core/parallel.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;

BOOST_AUTO_TEST_SUITE(map_kernel_test)

BOOST_AUTO_TEST_CASE(long_rows_are_cut_into_pieces_with_every_element_right) {
  // Contiguous operands merge into one row of 2.5 pieces; a broadcast row and a broadcast scalar
  // keep rows of 40000 elements, each cut into pieces too.
  const std::size_t n = 2 * detail::kMapBlock + detail::kMapBlock / 2 + 37;
  const Tensor a = random_tensor({n}, 1), b = random_tensor({n}, 2);
  const Tensor sum = detail::map(
      a, b, [](auto x, auto y) { return x * y + x; }, "test");
  for (std::size_t i = 0; i < n; ++i) {
    BOOST_TEST_REQUIRE(sum.flat(i) == a.flat(i) * b.flat(i) + a.flat(i),
                       boost::test_tools::tolerance(1e-12));
  }
  const Tensor rows = random_tensor({3, 40000}, 3), row = random_tensor({40000}, 4);
  const Tensor scalar = Tensor::from_values({1, 1}, {2.0}, DType::float64);
  const Tensor y = detail::map(
      rows, row, scalar, [](auto x, auto r, auto s) { return x - r * s; }, "test");
  BOOST_TEST((y.shape() == Shape{3, 40000}));
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 40000; j += 997) {
      BOOST_TEST(y.flat(i * 40000 + j) == rows.flat(i * 40000 + j) - 2.0 * row.flat(j),
                 boost::test_tools::tolerance(1e-12));
    }
  }
}

BOOST_AUTO_TEST_CASE(bitwise_identical_for_one_and_two_threads) {
  const Tensor a = random_tensor({300001}, 5, -3, 3, DType::float32);
  const Tensor b = random_tensor({7, 1}, 6, -3, 3, DType::float32);
  const Tensor c = random_tensor({7, 50000}, 7, -3, 3, DType::float32);
  auto run = [&] {
    return std::make_pair(detail::map(a, [](auto x) { return xsimd::exp(x) * x; }),
                          detail::map(
                              b, c, [](auto x, auto y) { return xsimd::tanh(x + y); }, "test"));
  };
  std::pair<Tensor, Tensor> one, two;
  {
    ThreadLimit limit(1);
    one = run();
  }
  {
    ThreadLimit limit(2);
    two = run();
  }
  BOOST_TEST(testing::bitwise_equal(one.first, two.first));
  BOOST_TEST(testing::bitwise_equal(one.second, two.second));
  BOOST_TEST(one.first.flat(123456) == std::exp(a.flat(123456)) * a.flat(123456),
             boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_SUITE_END()
