#include <boost/test/unit_test.hpp>

#include "core/tensor.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(tensor_test)

BOOST_AUTO_TEST_CASE(holds_either_dtype) {
  const Tensor a = Tensor::from_values({2, 2}, {1, 2, 3, 4}, DType::float32);
  const Tensor b = Tensor::from_values({2, 2}, {1, 2, 3, 4}, DType::float64);
  BOOST_TEST(a.dtype() == DType::float32);
  BOOST_TEST(b.dtype() == DType::float64);
  BOOST_TEST(a.flat(3) == 4.0);
  BOOST_TEST((b.shape() == Shape{2, 2}));
  BOOST_TEST(a.to(DType::float64).array<double>()(1, 0) == 3.0);
}

BOOST_AUTO_TEST_CASE(copies_share_and_clones_do_not) {
  Tensor a = Tensor::zeros({3});
  Tensor shared = a;
  Tensor cloned = a.clone();
  a.array<float>()(0) = 5;
  BOOST_TEST(shared.flat(0) == 5.0);
  BOOST_TEST(cloned.flat(0) == 0.0);
}

BOOST_AUTO_TEST_CASE(wrong_dtype_access_names_both) {
  const Tensor a = Tensor::zeros({2}, DType::float32);
  testing::require_error<ValueError>([&] { a.array<double>(); }, {"float64", "float32"});
}

BOOST_AUTO_TEST_CASE(reshape_and_item_check_sizes) {
  const Tensor a = Tensor::from_values({2, 3}, {1, 2, 3, 4, 5, 6});
  BOOST_TEST((a.reshaped({3, 2}).shape() == Shape{3, 2}));
  testing::require_error<ShapeError>([&] { a.reshaped({4, 2}); }, {"(4, 2)", "(2, 3)"});
  testing::require_error<ShapeError>([&] { a.item(); }, {"one-element", "(2, 3)"});
  BOOST_TEST(Tensor::scalar(2.5).item() == 2.5);
}

BOOST_AUTO_TEST_CASE(size_zero_tensors_are_valid) {
  const Tensor a = Tensor::zeros({0, 3});
  BOOST_TEST(a.size() == 0u);
  BOOST_TEST(a.rank() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
