#include <boost/test/unit_test.hpp>

#include <cmath>

#include "core/random.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(random_test)

BOOST_AUTO_TEST_CASE(a_seed_reproduces_the_numbers) {
  Random a(42), b(42), c(43);
  const Tensor x = a.normal({100}, 0, 1), y = b.normal({100}, 0, 1), z = c.normal({100}, 0, 1);
  BOOST_TEST(testing::bitwise_equal(x, y));
  BOOST_TEST(!testing::bitwise_equal(x, z));
}

BOOST_AUTO_TEST_CASE(the_state_round_trips) {
  Random a(7);
  a.uniform();
  const std::string state = a.state();
  const double next = a.uniform();
  Random b(0);
  b.set_state(state);
  BOOST_TEST(b.uniform() == next);
  testing::require_error<ValueError>([&] { b.set_state("garbage"); }, {"Random::set_state"});
}

BOOST_AUTO_TEST_CASE(moments_within_three_sigma) {
  Random random(1);
  const std::size_t n = 200000;
  const Tensor u = random.uniform({n}, -1, 3, DType::float64);
  const Tensor g = random.normal({n}, 2, 0.5, DType::float64);
  const Tensor t = random.truncated_normal({n}, 0, 1, DType::float64);
  const Tensor bern = random.bernoulli({n}, 0.3, DType::float64);
  auto mean = [](const Tensor& x) {
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) s += x.flat(i);
    return s / x.size();
  };
  // Uniform(-1, 3): mean 1, sd 4/sqrt(12).
  BOOST_TEST(std::abs(mean(u) - 1.0) < 3 * (4 / std::sqrt(12.0)) / std::sqrt(double(n)));
  BOOST_TEST(std::abs(mean(g) - 2.0) < 3 * 0.5 / std::sqrt(double(n)));
  BOOST_TEST(std::abs(mean(bern) - 0.3) < 3 * std::sqrt(0.3 * 0.7 / n));
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(t.flat(i)));
  BOOST_TEST(worst <= 2.0);
  for (std::size_t i = 0; i < n; ++i) {
    BOOST_TEST_REQUIRE((u.flat(i) >= -1 && u.flat(i) < 3));
  }
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_named) {
  Random random(1);
  testing::require_error<ValueError>([&] { random.uniform({2}, 1, 0); },
                                     {"Random::uniform", "low <= high"});
  testing::require_error<ValueError>([&] { random.bernoulli({2}, 1.5); }, {"bernoulli", "1.5"});
}

BOOST_AUTO_TEST_SUITE_END()
