#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/basic/masking.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

// (2, 3, 2): step [0, 1] and step [1, 2] are padding (-1, -1); step [1, 0] has one -1 only.
Tensor padded_batch() {
  return Tensor::from_values({2, 3, 2}, {0.5, 2, -1, -1, 3, 0, -1, 4, 1, 1, -1, -1},
                             DType::float64);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(masking_test)

BOOST_AUTO_TEST_CASE(mask_and_output) {
  Masking masking(-1.0);
  const Value x(padded_batch());
  const Tensor y = masking(x).value();
  const Tensor mask = masking.output_mask(x, Tensor());
  BOOST_TEST((mask.shape() == Shape{2, 3}));
  BOOST_TEST(mask.to_vector() == (std::vector<double>{1, 0, 1, 1, 1, 0}));
  BOOST_TEST(y.to_vector() == (std::vector<double>{0.5, 2, 0, 0, 3, 0, -1, 4, 1, 1, 0, 0}));
  // The mask comes from the values alone: an incoming mask is replaced.
  BOOST_TEST(masking.output_mask(x, Tensor::zeros({2, 3}, DType::float64)).to_vector() ==
             mask.to_vector());
}

BOOST_AUTO_TEST_CASE(default_mask_value_is_zero) {
  Masking masking;
  const Value x(Tensor::from_values({1, 3, 2}, {0, 0, 0, 1, 2, 0}));
  BOOST_TEST(masking.output_mask(x, Tensor()).to_vector() == (std::vector<double>{0, 1, 1}));
}

BOOST_AUTO_TEST_CASE(gradients) {
  Masking masking(-1.0);
  // Away from the mask value the layer is the identity in a neighbourhood of every input.
  testing::require_gradients([&](const std::vector<Value>& v) { return masking(v[0]); },
                             {testing::random_tensor({2, 3, 4}, 1, 0, 1)});
  // Masked steps get no gradient, valid steps all of it.
  Value x(padded_batch(), true);
  masking(x).backward(Tensor::full({2, 3, 2}, 2.0, DType::float64));
  BOOST_TEST(x.grad().to_vector() == (std::vector<double>{2, 2, 0, 0, 2, 2, 2, 2, 2, 2, 0, 0}));
}

BOOST_AUTO_TEST_CASE(errors_and_json) {
  Masking masking(2.5);
  masking.set_name("pad");
  require_error<ShapeError>([&] { masking(Value(Tensor::zeros({4}))); },
                            {"pad", "rank >= 2", "got (4)"});
  const nlohmann::json json = masking.to_json();
  BOOST_TEST(json.at("mask_value") == 2.5);
  auto back = Masking::from_json(json);
  BOOST_TEST(back->mask_value() == 2.5);
  BOOST_TEST(back->to_json() == json);
  require_error<ValueError>(
      [] {
        Masking::from_json({{"type", "masking"}, {"mask_value", "zero"}});
      },
      {"key \"mask_value\"", "a number"});
}

BOOST_AUTO_TEST_SUITE_END()
