#include <boost/test/unit_test.hpp>

#include "optim/optimizers/clipping.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(clipping_test)

namespace {

Value with_grad(const std::vector<double>& grad, DType dtype) {
  Value p(Tensor::zeros({grad.size()}, dtype), true);
  p.set_grad(Tensor::from_values({grad.size()}, grad, dtype));
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(clip_by_value_clamps_each_element) {
  for (DType dtype : {DType::float32, DType::float64}) {
    Value p = with_grad({-3, -0.5, 0, 0.25, 2, 1}, dtype);
    Value no_grad(Tensor::zeros({2}, dtype), true);
    const Tensor before = p.grad();
    clip_by_value({p, no_grad}, 1.0);
    const std::vector<double> expected{-1, -0.5, 0, 0.25, 1, 1};
    BOOST_TEST(p.grad().to_vector() == expected, boost::test_tools::per_element());
    BOOST_TEST(!no_grad.has_grad());
    // The old gradient tensor was replaced, not written.
    BOOST_TEST(before.flat(0) == -3);
  }
  // Long enough for full batches and a tail.
  std::vector<double> many;
  for (int i = 0; i < 37; ++i) many.push_back(0.25 * (i - 18));
  Value p = with_grad(many, DType::float32);
  clip_by_value({p}, 2.0);
  for (std::size_t i = 0; i < many.size(); ++i) {
    BOOST_TEST(p.grad().flat(i) == std::max(-2.0, std::min(2.0, many[i])));
  }
}

BOOST_AUTO_TEST_CASE(clip_by_norm_scales_each_tensor_on_its_own) {
  Value big = with_grad({3, 4}, DType::float64);        // norm 5
  Value small = with_grad({0.6, 0.8}, DType::float64);  // norm 1
  Value none(Tensor::zeros({1}, DType::float64), true);
  const auto norms = clip_by_norm({big, small, none}, 2.0);
  BOOST_TEST(norms == (std::vector<double>{5, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(big.grad().flat(0) == 3 * 2.0 / 5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(big.grad().flat(1) == 4 * 2.0 / 5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(small.grad().flat(0) == 0.6);
  BOOST_TEST(small.grad().flat(1) == 0.8);
}

BOOST_AUTO_TEST_CASE(clip_by_global_norm_scales_all_tensors_together) {
  for (DType dtype : {DType::float32, DType::float64}) {
    Value a = with_grad({1, 2}, dtype), b = with_grad({2, 4}, dtype);  // global norm 5
    const double norm = clip_by_global_norm({a, b}, 1.0);
    BOOST_TEST(norm == 5.0, boost::test_tools::tolerance(1e-12));
    const double tolerance = dtype == DType::float64 ? 1e-15 : 1e-7;
    BOOST_TEST(a.grad().flat(0) == 0.2, boost::test_tools::tolerance(tolerance));
    BOOST_TEST(a.grad().flat(1) == 0.4, boost::test_tools::tolerance(tolerance));
    BOOST_TEST(b.grad().flat(0) == 0.4, boost::test_tools::tolerance(tolerance));
    BOOST_TEST(b.grad().flat(1) == 0.8, boost::test_tools::tolerance(tolerance));
    // Under the limit nothing changes, and the norm is still reported.
    BOOST_TEST(clip_by_global_norm({a, b}, 2.0) == 1.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(a.grad().flat(0) == 0.2, boost::test_tools::tolerance(tolerance));
  }
}

BOOST_AUTO_TEST_CASE(limits_must_be_positive) {
  require_error<ValueError>([] { clip_by_value({}, 0); },
                            {"clip_by_value", "limit > 0", "limit = 0"});
  require_error<ValueError>([] { clip_by_norm({}, -1.5); },
                            {"clip_by_norm", "max_norm > 0", "-1.5"});
  require_error<ValueError>([] { clip_by_global_norm({}, std::nan("")); },
                            {"clip_by_global_norm", "max_norm > 0", "nan"});
}

BOOST_AUTO_TEST_SUITE_END()
