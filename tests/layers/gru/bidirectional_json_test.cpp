// Bidirectional read back from JSON and from model files: the same copies (options, names,
// directions), the same merge, and predictions equal bit for bit; inconsistent copies refused.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/basic/dense.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;

namespace {

// (batch, 5 steps, 3 features) -> bidirectional GRU(4), summed -> dense(2).
std::shared_ptr<Sequential> bidirectional_model(MergeMode merge) {
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(3, 5));
  model->add(std::make_shared<Bidirectional>(
      GruOptions(4).reset_gate_mode(ResetGateMode::before_multiplication).seed(7), merge));
  model->add(std::make_shared<Dense>(DenseOptions(2).seed(8)));
  model->build();
  return model;
}

Tensor predicted(Layer& model, const Tensor& x) {
  model.set_training(false);
  return model(Value(x)).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bidirectional_json_test)

BOOST_AUTO_TEST_CASE(a_model_file_gives_back_the_same_layer_and_predictions) {
  for (MergeMode merge : {MergeMode::concat, MergeMode::sum, MergeMode::ave}) {
    BOOST_TEST_CONTEXT("merge " << merge_mode_name(merge)) {
      auto model = bidirectional_model(merge);
      const Tensor x = testing::random_tensor({2, 5, 3}, 3, -1, 1, DType::float32);
      const std::shared_ptr<Layer> loaded = parse_model(format_model(*model));
      BOOST_TEST(loaded->to_json() == model->to_json());
      BOOST_TEST(bitwise_equal(predicted(*loaded, x), predicted(*model, x)));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_registry_reads_the_layer_with_its_copies) {
  Bidirectional layer(GruOptions(3).go_backwards(true).seed(1), MergeMode::mul);
  const nlohmann::json json = layer.to_json();
  const std::shared_ptr<Layer> back = layer_from_json(json);
  auto* bidirectional = dynamic_cast<Bidirectional*>(back.get());
  BOOST_REQUIRE(bidirectional != nullptr);
  BOOST_TEST(merge_mode_name(bidirectional->merge_mode()) == std::string("mul"));
  BOOST_TEST(bidirectional->forward_layer().options().go_backwards());
  BOOST_TEST(!bidirectional->backward_layer().options().go_backwards());
  BOOST_TEST(bidirectional->forward_layer().name() == layer.forward_layer().name());
  BOOST_TEST(back->to_json() == json);
}

BOOST_AUTO_TEST_CASE(copies_reading_the_same_way_are_refused) {
  nlohmann::json json = Bidirectional(GruOptions(3), MergeMode::concat).to_json();
  json["backward"]["options"]["go_backwards"] = false;
  require_error<ValueError>(
      [&] { Bidirectional::from_json(json); },
      {"Bidirectional::from_json", "backward", "3 units reading backwards", "reading forwards"});
  json = Bidirectional(GruOptions(3), MergeMode::concat).to_json();
  json["merge_mode"] = "max";
  require_error<ValueError>([&] { Bidirectional::from_json(json); },
                            {"concat, sum, mul, ave, none", "max"});
}

BOOST_AUTO_TEST_SUITE_END()
