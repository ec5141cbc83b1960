#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/losses/loss.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(loss_test)

BOOST_AUTO_TEST_CASE(calls_the_free_functions_with_its_options) {
  const Tensor y = random_tensor({3, 4}, 1, 0, 1), x = random_tensor({3, 4}, 2, -2, 2);
  const Tensor mask = Tensor::from_values({3}, {1, 0, 1}, DType::float64);
  const Tensor w = Tensor::from_values({3}, {2, 1, 0.5}, DType::float64);
  auto same = [](const Value& a, const Value& b) {
    return testing::bitwise_equal(a.value(), b.value());
  };
  BOOST_TEST(same(Loss("mse")(y, Value(x)), losses::mean_squared_error(y, Value(x))));
  BOOST_TEST(same(Loss("mae")(y, Value(x), w),
                  losses::mean_absolute_error(y, Value(x), LossArgs().sample_weight(w))));
  BOOST_TEST(
      same(Loss("huber").delta(0.3).reduction(Reduction::sum)(y, Value(x), Tensor(), mask),
           losses::huber(y, Value(x), 0.3, LossArgs().reduction(Reduction::sum).mask(mask))));
  BOOST_TEST(same(Loss("binary_crossentropy").from_logits(true)(y, Value(x)),
                  losses::binary_crossentropy(y, Value(x), true)));
  BOOST_TEST(same(Loss("categorical_crossentropy").from_logits(true)(y, Value(x)),
                  losses::categorical_crossentropy(y, Value(x), true)));
  const Tensor ids = Tensor::from_values({3}, {0, 3, 1}, DType::float64);
  BOOST_TEST(same(Loss("sparse_categorical_crossentropy").from_logits(true)(ids, Value(x)),
                  losses::sparse_categorical_crossentropy(ids, Value(x), true)));
  BOOST_TEST(Loss("mse").name() == "mean_squared_error");
  BOOST_TEST(Loss("mae").name() == "mean_absolute_error");
}

BOOST_AUTO_TEST_CASE(json_round_trips) {
  for (const Loss& loss : {Loss("mse"), Loss("huber").delta(2.5).reduction(Reduction::none),
                           Loss("binary_crossentropy").from_logits(true),
                           Loss("sparse_categorical_crossentropy").reduction(Reduction::sum)}) {
    const nlohmann::json json = loss.to_json();
    BOOST_TEST((Loss::from_json(json) == loss), json.dump());
    BOOST_TEST(Loss::from_json(json).to_json() == json);
  }
  const nlohmann::json huber = Loss("huber").to_json();
  BOOST_TEST(huber.dump() == R"({"delta":1.0,"name":"huber","reduction":"mean"})");
  BOOST_TEST(Loss("mse").to_json().dump() == R"({"name":"mean_squared_error","reduction":"mean"})");
  BOOST_TEST((Loss::from_json({{"name", "mae"}}) == Loss("mean_absolute_error")));
}

BOOST_AUTO_TEST_CASE(errors) {
  require_error<ValueError>([] { Loss("hinge"); },
                            {"Loss", "mean_squared_error", "huber", "got \"hinge\""});
  require_error<ValueError>([] { Loss("mse").from_logits(true); },
                            {"Loss mean_squared_error: from_logits", "a crossentropy loss"});
  require_error<ValueError>([] { Loss("binary_crossentropy").delta(1); },
                            {"delta", "the huber loss", "got binary_crossentropy"});
  require_error<ValueError>([] { Loss("huber").delta(-1); }, {"a finite delta > 0", "got -1"});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "huber"}, {"delta", 0}});
      },
      {"Loss::from_json: key \"delta\"", "a finite delta > 0", "got 0"});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "mse"}, {"from_logits", true}});
      },
      {"key \"from_logits\"", "a crossentropy loss"});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "mse"}, {"reduction", "avg"}});
      },
      {"key \"reduction\"", "\"avg\""});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "mse"}, {"reduction", 3}});
      },
      {"key \"reduction\"", "a string", "the number 3"});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "nope"}});
      },
      {"key \"name\"", "got \"nope\""});
  require_error<ValueError>(
      [] {
        Loss::from_json({{"name", "mse"}, {"weight", 1}});
      },
      {"unknown key \"weight\""});
  require_error<ValueError>([] { Loss::from_json(nlohmann::json::object()); },
                            {"the key \"name\""});
}

BOOST_AUTO_TEST_SUITE_END()
