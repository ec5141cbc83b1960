#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/activation_layer.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/flatten.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/basic/masking.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/sequential.hpp"
#include "tests/layers/layer_gradients.hpp"
#include "tests/layers/recording_layers.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::MaskRecorder;
using testing::random_tensor;
using testing::require_error;

namespace {

template <class L>
std::shared_ptr<L> named(std::shared_ptr<L> layer, const std::string& name) {
  layer->set_name(name);
  return layer;
}

std::shared_ptr<Dense> dense(std::size_t units, const std::string& activation = "linear") {
  return std::make_shared<Dense>(DenseOptions(units).activation(activation).seed(units));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sequential_test)

BOOST_AUTO_TEST_CASE(forward_is_the_composition_of_the_layers) {
  auto first = dense(4), second = dense(2);
  auto act = std::make_shared<Activation>("tanh");
  Sequential model;
  model.add(first).add(act).add(second);
  BOOST_TEST(model.layers().size() == 3u);
  const Tensor x = random_tensor({3, 5}, 1);
  const Tensor y = model(Value(x)).value();
  const Tensor expected = (*second)((*act)((*first)(Value(x)))).value();
  BOOST_TEST(testing::bitwise_equal(y, expected));
  // Parameters carry the layer names.
  const auto parameters = model.named_parameters();
  BOOST_TEST(parameters.size() == 4u);
  BOOST_TEST(parameters[0].first == first->name() + ".kernel");
  BOOST_TEST(model.parameter(second->name() + ".bias").shape() == Shape{2});
  BOOST_TEST(model.layer(act->name()) == act);
}

BOOST_AUTO_TEST_CASE(gradients_through_the_model) {
  Sequential model;
  model.add(dense(4, "tanh")).add(dense(3, "sigmoid"));
  const Tensor x = random_tensor({2, 3, 5}, 2);
  testing::require_gradients([&](const std::vector<Value>& v) { return model(v[0]); }, {x});
  testing::require_parameter_gradients(model, [&] { return model(Value(x)); });
}

BOOST_AUTO_TEST_CASE(empty_batches_and_sequences) {
  Sequential model;
  model.add(std::make_shared<Embedding>(EmbeddingOptions(10, 3).mask_zero(true))).add(dense(2));
  const Value no_samples(Tensor::zeros({0, 4}));
  BOOST_TEST((model(no_samples).shape() == Shape{0, 4, 2}));
  BOOST_TEST((model.output_mask(no_samples, Tensor()).shape() == Shape{0, 4}));
  const Value no_steps(Tensor::zeros({2, 0}));
  BOOST_TEST((model(no_steps).shape() == Shape{2, 0, 2}));
}

BOOST_AUTO_TEST_CASE(embedding_mask_flows_to_later_layers) {
  auto recorder = std::make_shared<MaskRecorder>();
  Sequential model;
  model.add(std::make_shared<Embedding>(EmbeddingOptions(10, 3).mask_zero(true)))
      .add(dense(2))
      .add(recorder);
  const Value ids(Tensor::from_values({2, 4}, {4, 2, 0, 0, 9, 0, 0, 0}));
  const Value y = model(ids);
  BOOST_TEST((y.shape() == Shape{2, 4, 2}));
  const std::vector<double> expected{1, 1, 0, 0, 1, 0, 0, 0};
  BOOST_REQUIRE(recorder->received.defined());
  BOOST_TEST(recorder->received.to_vector() == expected);
  BOOST_TEST(model.output_mask(ids, Tensor()).to_vector() == expected);
}

BOOST_AUTO_TEST_CASE(masks_change_where_layers_change_them) {
  auto before = std::make_shared<MaskRecorder>(), after = std::make_shared<MaskRecorder>(),
       flat = std::make_shared<MaskRecorder>();
  Sequential model;
  model.add(before).add(std::make_shared<Masking>(-1.0)).add(after);
  model.add(std::make_shared<Flatten>()).add(flat);
  const Tensor x = Tensor::from_values({1, 3, 2}, {1, 2, -1, -1, 3, -1});
  const Tensor given = Tensor::from_values({1, 3}, {1, 1, 0});
  model(Value(x), given);
  BOOST_TEST(before->received.to_vector() == given.to_vector());
  BOOST_TEST(after->received.to_vector() == (std::vector<double>{1, 0, 1}));
  BOOST_TEST(!flat->received.defined());
  // Without a mask the first layers get none.
  model(Value(x));
  BOOST_TEST(!before->received.defined());
}

BOOST_AUTO_TEST_CASE(nested_models_pass_their_output_mask_on) {
  auto inner = std::make_shared<Sequential>();
  inner->add(dense(3));
  auto recorder = std::make_shared<MaskRecorder>();
  Sequential outer;
  outer.add(std::make_shared<Embedding>(EmbeddingOptions(5, 2).mask_zero(true)))
      .add(inner)
      .add(recorder);
  const Value ids(Tensor::from_values({1, 3}, {0, 3, 1}));
  outer(ids);
  BOOST_TEST(recorder->received.to_vector() == (std::vector<double>{0, 1, 1}));
  require_error<ValueError>(
      [&] {
        inner->output_mask(Value(Tensor::zeros({1, 3, 2})), Tensor());
      },
      {"output_mask", "the input and mask of the last forward call"});
}

BOOST_AUTO_TEST_CASE(training_flag_reaches_the_layers_and_the_build_sample_leaves_no_trace) {
  auto drop = std::make_shared<Dropout>(DropoutOptions(0.5).seed(21));
  Sequential model;
  model.add(drop);
  Dropout standalone(DropoutOptions(0.5).seed(21));
  const Value x(Tensor::ones({4, 10}, DType::float64));
  // The zero sample of the build ran with training off: the first mask is the seed's first.
  BOOST_TEST(testing::bitwise_equal(model(x).value(), standalone(x).value()));
  model.set_training(false);
  BOOST_TEST(!drop->flags().training);
  BOOST_TEST(testing::bitwise_equal(model(x).value(), x.value()));
  model.set_training(true);
  BOOST_TEST(testing::bitwise_equal(model(x).value(), standalone(x).value()));
}

BOOST_AUTO_TEST_CASE(reset_states_reaches_every_layer) {
  auto counter = std::make_shared<testing::ResetCounter>();
  auto inner = std::make_shared<Sequential>();
  auto nested = std::make_shared<testing::ResetCounter>();
  inner->add(nested);
  Sequential model;
  model.add(counter).add(inner);
  model(Value(Tensor::zeros({2, 3})));
  // The build's zero sample leaves nothing behind: its states are dropped, once.
  BOOST_TEST(counter->resets == 1);
  const int nested_after_build = nested->resets;
  BOOST_TEST(nested_after_build >= 1);
  model.reset_states();
  BOOST_TEST(counter->resets == 2);
  BOOST_TEST(nested->resets == nested_after_build + 1);
}

BOOST_AUTO_TEST_CASE(a_stateful_gru_keeps_no_state_from_the_build) {
  auto gru = std::make_shared<Gru>(GruOptions(2).stateful(true).seed(1));
  Sequential model;
  model.add(gru);
  // The build probes with a batch of 1; the first real call has 3 samples.
  const Tensor x = random_tensor({3, 4, 2}, 30);
  const Tensor y = model(Value(x)).value();
  Gru fresh(GruOptions(2).stateful(true).seed(1));
  BOOST_TEST(testing::bitwise_equal(y, fresh(Value(x)).value()));
  BOOST_TEST((gru->states()[0].shape() == Shape{3, 2}));
}

BOOST_AUTO_TEST_CASE(add_errors_name_the_layer) {
  auto model = std::make_shared<Sequential>();
  model->set_name("m");
  model->add(named(dense(2), "same"));
  require_error<ValueError>([&] { model->add(named(dense(3), "same")); },
                            {"m: add", "unique", "a second layer named \"same\""});
  require_error<ValueError>([&] { model->add(nullptr); }, {"m: add", "a null pointer"});
  require_error<ValueError>([&] { model->add(model); }, {"m: add", "the model itself"});
  require_error<ValueError>([&] { model->add(named(sequence_input(2), "in")); },
                            {"an input layer only as the first layer", "\"in\" at position 1"});
  require_error<ValueError>([&] { model->layer("other"); }, {"m: layer", "[same]", "\"other\""});
  require_error<ValueError>([&] { model->build(); },
                            {"m: build", "first layer is an input layer", "first layer \"same\""});
  require_error<ValueError>([] { Sequential().build(); }, {"build", "an empty model"});
  Sequential unbatched;
  unbatched.set_name("u");
  unbatched.add(dense(2));
  require_error<ShapeError>([&] { unbatched(Value(Tensor::scalar(1.0))); },
                            {"u", "inputs with a batch axis", "got ()"});
}

BOOST_AUTO_TEST_CASE(json_round_trip_through_the_registry) {
  Sequential model;
  model.set_name("tagger");
  model.add(named(sequence_input(4), "tokens"))
      .add(named(std::make_shared<Masking>(0.0), "mask"))
      .add(named(dense(8, "relu"), "hidden"))
      .add(named(std::make_shared<Dropout>(DropoutOptions(0.2).seed(3)), "drop"))
      .add(named(dense(2), "out"));
  model.layer("out")->set_update(false);
  const nlohmann::json json = model.to_json();
  BOOST_TEST(json.at("type") == "sequential");
  BOOST_TEST(json.at("layers").size() == 5u);
  const auto back = Sequential::from_json(json);
  BOOST_TEST(back->name() == "tagger");
  BOOST_TEST(back->layers().size() == 5u);
  BOOST_TEST(back->layer("hidden")->type() == "dense");
  BOOST_TEST(!back->layer("out")->flags().update);
  BOOST_TEST(back->layer("hidden")->flags().update);
  BOOST_TEST(back->to_json() == json);
  const auto generic = layer_from_json(json);
  BOOST_TEST(generic->to_json() == json);
  // A rebuilt model runs like any other.
  BOOST_TEST(((*back)(Value(Tensor::ones({3, 5, 4}))).shape() == Shape{3, 5, 2}));
}

BOOST_AUTO_TEST_CASE(json_errors) {
  nlohmann::json json = Sequential().to_json();
  json["layers"] = {dense(2)->to_json(), dense(3)->to_json()};
  json["layers"][1]["name"] = json["layers"][0]["name"];
  const std::string duplicate = json["layers"][0]["name"];
  require_error<ValueError>([&] { Sequential::from_json(json); },
                            {"add", "a second layer named \"" + duplicate + "\""});
  json["layers"] = 3;
  require_error<ValueError>([&] { Sequential::from_json(json); },
                            {"key \"layers\"", "an array", "the number 3"});
  json["layers"] = {{{"type", "warp"}}};
  require_error<ValueError>([&] { Sequential::from_json(json); },
                            {"layer_from_json", "dense", "\"warp\""});
}

BOOST_AUTO_TEST_SUITE_END()
