// What a layer records for model files and checkpoints: the input it was built for, the states
// it and its sublayers register (by name and kind), and the states of the generators they own.
#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_json.hpp"
#include "layers/models/sequential.hpp"
#include "tests/layers/running_sum_layer.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::RunningSum;

namespace {

// A Sequential "m" of a RunningSum "sum" and a stateful GRU "gru" (2 units), built for (2, 3, 2).
struct StatefulModel {
  std::shared_ptr<RunningSum> sum = std::make_shared<RunningSum>();
  std::shared_ptr<Gru> gru = std::make_shared<Gru>(GruOptions(2).stateful(true).seed(1));
  Sequential model;

  StatefulModel() {
    model.set_name("m");
    sum->set_name("sum");
    gru->set_name("gru");
    model.add(sum).add(gru);
    model.build({2, 3, 2}, DType::float64);
  }
};

std::vector<std::string> state_names(const Layer& layer, StateKind kind) {
  std::vector<std::string> names;
  for (const auto& [name, _] : layer.named_states(kind)) names.push_back(name);
  return names;
}

// A layer whose states break the registration rules, as `variant` says.
class BadlyRegistered : public Layer {
 public:
  explicit BadlyRegistered(int variant) : Layer("badly_registered") {
    set_name("bad");
    register_state("a", StateKind::stored, &tensor_);
    if (variant == 0) register_state("a", StateKind::carried, &tensor_);
    if (variant == 1) register_state("b", StateKind::carried, StateAccess{});
  }
  Value forward(const Value& x) override { return x; }
  nlohmann::json to_json() const override { return layer_json_header(*this); }

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  Tensor tensor_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_state_test)

BOOST_AUTO_TEST_CASE(the_built_input_is_recorded) {
  Dense dense(DenseOptions(2));
  BOOST_TEST(dense.built_input_shape().empty());
  dense(Value(Tensor::zeros({5, 3}, DType::float64)));
  BOOST_TEST((dense.built_input_shape() == Shape{5, 3}));
  BOOST_TEST(dense.built_dtype() == DType::float64);
  // Once built, later inputs do not change it.
  dense(Value(Tensor::zeros({7, 3}, DType::float64)));
  BOOST_TEST((dense.built_input_shape() == Shape{5, 3}));
}

BOOST_AUTO_TEST_CASE(seeded_layers_list_their_generators_by_path) {
  auto seeded = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  auto unseeded = std::make_shared<Dropout>(DropoutOptions(0.5));
  auto gru = std::make_shared<Gru>(GruOptions(2).dropout(0.5).seed(2));
  Sequential model;
  model.add(seeded).add(unseeded).add(gru);
  const auto states = model.random_states();
  // An unseeded dropout draws from default_random(), which is not the layer's to list.
  BOOST_TEST(states.size() == 2u);
  BOOST_TEST(states.at(seeded->name() + ".masks") == Random(1).state());
  BOOST_TEST(states.at(gru->name() + ".dropout_masks") ==
             Random(2 ^ 0x9E3779B97F4A7C15ull).state());
  BOOST_TEST(Dense(DenseOptions(1).seed(3)).random_states().empty());
}

BOOST_AUTO_TEST_CASE(restored_states_repeat_the_draws) {
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  Sequential model;
  model.add(dropout);
  const Value x(Tensor::ones({4, 8}));
  model(x);
  const auto saved = model.random_states();
  const Tensor first = model(x).value();
  model(x);
  model.set_random_states(saved);
  BOOST_TEST(testing::bitwise_equal(model(x).value(), first));
}

BOOST_AUTO_TEST_CASE(restoring_checks_names_and_states_first) {
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  Sequential model;
  model.set_name("m");
  model.add(dropout);
  const std::string key = dropout->name() + ".masks";
  require_error<ValueError>([&] { model.set_random_states({}); },
                            {"m: set_random_states", "a state for \"" + key + "\"", "none"});
  auto states = model.random_states();
  states["other.masks"] = Random(3).state();
  require_error<ValueError>([&] { model.set_random_states(states); },
                            {"m: set_random_states", "\"other.masks\""});
  const std::string before = model.random_states().at(key);
  require_error<ValueError>(
      [&] {
        model.set_random_states({{key, "not a state"}});
      },
      {"m: set_random_states: \"" + key + "\"", "Random::set_state"});
  BOOST_TEST(model.random_states().at(key) == before);
}

BOOST_AUTO_TEST_CASE(states_are_listed_by_kind_and_path) {
  StatefulModel m;
  // Registered before the layers were built, listed before anything is held (as none).
  BOOST_TEST(state_names(m.model, StateKind::stored) ==
                 (std::vector<std::string>{"sum.offset", "gru.initial_states"}),
             boost::test_tools::per_element());
  BOOST_TEST(state_names(m.model, StateKind::carried) ==
                 (std::vector<std::string>{"sum.total", "gru.states"}),
             boost::test_tools::per_element());
  for (const auto& [name, tensors] : m.model.named_states(StateKind::carried))
    BOOST_TEST(tensors.empty(), name);
  const Tensor offset = Tensor::from_values({2}, {0.5, -1}, DType::float64);
  m.sum->set_offset(offset);
  m.model(Value(testing::random_tensor({2, 3, 2}, 1)));
  // The GRU carries one state per level; the sum, the rows of its one input so far.
  BOOST_REQUIRE_EQUAL(m.model.state("gru.states").size(), 1u);
  BOOST_TEST(bitwise_equal(m.model.state("gru.states")[0], m.gru->states()[0]));
  BOOST_REQUIRE_EQUAL(m.model.state("sum.total").size(), 1u);
  BOOST_TEST(bitwise_equal(m.model.state("sum.total")[0], m.sum->total()));
  BOOST_TEST(bitwise_equal(m.model.state("sum.offset")[0], offset));
  // A layer's own states are those it registered, by their own names.
  const auto own = m.sum->own_states(StateKind::stored);
  BOOST_REQUIRE_EQUAL(own.size(), 1u);
  BOOST_TEST(own[0].first == "offset");
  BOOST_TEST(m.model.own_states(StateKind::stored).empty());
}

BOOST_AUTO_TEST_CASE(set_state_goes_through_the_owning_layer) {
  StatefulModel m;
  const Tensor h0 = testing::random_tensor({4, 2}, 2);
  m.model.set_state("gru.states", {h0});
  BOOST_REQUIRE_EQUAL(m.gru->states().size(), 1u);
  BOOST_TEST(bitwise_equal(m.gru->states()[0], h0));
  m.model.set_state("gru.initial_states", {Tensor::from_values({2}, {1, 2}, DType::float64)});
  BOOST_TEST(m.gru->initial_states().size() == 1u);
  m.model.set_state("gru.initial_states", {});
  BOOST_TEST(m.gru->initial_states().empty());
  // The owner's checks apply, and a refused state stays as it was.
  require_error<ShapeError>(
      [&] {
        m.model.set_state("gru.states", {Tensor::zeros({4, 3}, DType::float64)});
      },
      {"gru: reset_states: state 1", "(4, 2)", "(4, 3)"});
  BOOST_TEST(bitwise_equal(m.gru->states()[0], h0));
  require_error<ShapeError>(
      [&] { m.model.set_state("sum.total", {Tensor::zeros({3}, DType::float64)}); },
      {"sum: total", "(3, 2)", "(3)"});
  require_error<ValueError>(
      [&] {
        m.model.set_state("sum.offset", {Tensor::zeros({2}), Tensor::zeros({2})});
      },
      {"sum: state \"offset\"", "at most one tensor", "got 2"});
  BOOST_TEST(!m.sum->offset().defined());
}

BOOST_AUTO_TEST_CASE(reset_states_drops_the_carried_states_only) {
  StatefulModel m;
  m.sum->set_offset(Tensor::from_values({2}, {1, 1}, DType::float64));
  m.model(Value(testing::random_tensor({2, 3, 2}, 3)));
  BOOST_TEST(m.sum->total().defined());
  BOOST_TEST(!m.gru->states().empty());
  m.model.reset_states();
  BOOST_TEST(!m.sum->total().defined());
  BOOST_TEST(m.gru->states().empty());
  BOOST_TEST(m.sum->offset().defined());
  // Without carried states the next call may have any batch size.
  m.model(Value(testing::random_tensor({5, 3, 2}, 4)));
  BOOST_TEST((m.gru->states()[0].shape() == Shape{5, 2}));
}

BOOST_AUTO_TEST_CASE(state_errors_name_the_layer_and_the_state) {
  StatefulModel m;
  require_error<ValueError>(
      [&] { m.model.state("gru.state"); },
      {"m: state", "one of [sum.offset, gru.initial_states, sum.total, gru.states]",
       "\"gru.state\""});
  require_error<ValueError>([&] { m.model.set_state("offset", {}); }, {"m: state", "\"offset\""});
  require_error<ValueError>([] { BadlyRegistered(0); },
                            {"bad: register_state", "a new name", "\"a\" twice"});
  require_error<ValueError>(
      [] { BadlyRegistered(1); },
      {"bad: register_state \"b\"", "a function to read the state and one to replace it"});
}

BOOST_AUTO_TEST_SUITE_END()
