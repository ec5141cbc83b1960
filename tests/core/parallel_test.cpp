#include <boost/test/unit_test.hpp>

#include <atomic>

#include "core/parallel.hpp"
#include "core/tensor_math.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(parallel_test)

BOOST_AUTO_TEST_CASE(blocks_cover_the_range_once) {
  std::vector<std::atomic<int>> hits(100003);
  parallel_blocks(hits.size(), 1000, [&](std::size_t begin, std::size_t end) {
    BOOST_REQUIRE(begin % 1000 == 0);
    for (std::size_t i = begin; i < end; ++i) hits[i]++;
  });
  for (auto& h : hits) BOOST_TEST_REQUIRE(h.load() == 1);
}

BOOST_AUTO_TEST_CASE(thread_limit_applies_and_restores) {
  const std::size_t before = max_threads();
  {
    ThreadLimit one(1);
    BOOST_TEST(max_threads() == 1u);
  }
  BOOST_TEST(max_threads() == before);
  testing::require_error<ValueError>([] { ThreadLimit zero(0); }, {"ThreadLimit", "at least 1"});
}

BOOST_AUTO_TEST_CASE(elementwise_results_do_not_depend_on_threads) {
  const Tensor a = testing::random_tensor({1000, 1001}, 3, -1, 1, DType::float32);
  const Tensor b = testing::random_tensor({1001}, 4, -1, 1, DType::float32);
  Tensor one, two;
  {
    ThreadLimit limit(1);
    one = div(mul(a, b), add(b, Tensor::scalar(3.0f)));
  }
  {
    ThreadLimit limit(2);
    two = div(mul(a, b), add(b, Tensor::scalar(3.0f)));
  }
  BOOST_TEST(testing::bitwise_equal(one, two));
  // And the values are right: checked against a plain loop.
  for (std::size_t i = 0; i < a.size(); i += 997) {
    const double bi = b.flat(i % 1001);
    BOOST_TEST(one.flat(i) == a.flat(i) * bi / (bi + 3.0), boost::test_tools::tolerance(1e-5));
  }
}

BOOST_AUTO_TEST_SUITE_END()
