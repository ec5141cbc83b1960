#include <boost/test/unit_test.hpp>

#include "core/batch_shard.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(batch_shard_test)

// The values of `tensor` (d0, d1, d2) at rows [begin, begin + rows) of axis 1.
std::vector<double> axis1_rows(const Tensor& tensor, std::size_t begin, std::size_t rows) {
  const Shape shape = tensor.shape();
  std::vector<double> values;
  for (std::size_t i = 0; i < shape[0]; ++i) {
    for (std::size_t r = begin; r < begin + rows; ++r) {
      for (std::size_t k = 0; k < shape[2]; ++k) {
        values.push_back(tensor.flat((i * shape[1] + r) * shape[2] + k));
      }
    }
  }
  return values;
}

BOOST_AUTO_TEST_CASE(outside_a_step_the_draws_are_bernoullis) {
  Random a(5), b(5);
  BOOST_TEST(!current_batch_shard());
  BOOST_TEST(testing::bitwise_equal(bernoulli_rows(a, {3, 4, 2}, 1, 0.5, DType::float64),
                                    b.bernoulli({3, 4, 2}, 0.5, DType::float64)));
}

BOOST_AUTO_TEST_CASE(a_shard_keeps_its_rows_of_the_global_draws) {
  for (std::size_t offset : {0u, 2u, 3u}) {
    Random global_source(9), shard_source(9);
    const Tensor global = global_source.bernoulli({3, 5, 4}, 0.4, DType::float64);
    Tensor shard;
    {
      const BatchShardScope scope({offset, 5});
      shard = bernoulli_rows(shard_source, {3, 2, 4}, 1, 0.4, DType::float64);
    }
    BOOST_TEST(shard.shape() == (Shape{3, 2, 4}));
    BOOST_TEST(shard.to_vector() == axis1_rows(global, offset, 2), boost::test_tools::per_element());
    // Both generators made the same draws, so every process stays in step.
    BOOST_TEST(global_source.state() == shard_source.state());
  }
}

BOOST_AUTO_TEST_CASE(rows_on_axis_0_and_a_scope_that_ends) {
  Random global_source(3), shard_source(3);
  const Tensor global = global_source.bernoulli({6, 2}, 0.5, DType::float32);
  {
    const BatchShardScope outer({4, 6});
    {
      const BatchShardScope inner({1, 6});
      BOOST_TEST(current_batch_shard()->offset == 1u);
    }
    BOOST_TEST(current_batch_shard()->offset == 4u);
    const Tensor shard = bernoulli_rows(shard_source, {2, 2}, 0, 0.5, DType::float32);
    const std::vector<double> all = global.to_vector();
    BOOST_TEST(shard.to_vector() == std::vector<double>(all.begin() + 8, all.end()),
               boost::test_tools::per_element());
  }
  BOOST_TEST(!current_batch_shard());
  // Rows that do not fit the shard (a broadcast noise shape of extent 1 on a bigger shard are
  // drawn as they are.
  const BatchShardScope scope({3, 4});
  Random a(1), b(1);
  BOOST_TEST(testing::bitwise_equal(bernoulli_rows(a, {2, 3}, 0, 0.5, DType::float64),
                                    b.bernoulli({2, 3}, 0.5, DType::float64)));
}

BOOST_AUTO_TEST_SUITE_END()
