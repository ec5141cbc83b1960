// The layers' entries in model files: a user's layer keeps its stored states and its statement
// through a file, whatever its type; bad entries and bad hooks are errors that say what is wrong.
#include <boost/test/unit_test.hpp>

#include <functional>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_json.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/layers/running_sum_layer.hpp"
#include "tests/layers/serialization/model_file_bytes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::RunningSum;

namespace {

const std::string kEntriesWhere = "model file \"entries.grutape\"";

// A user's layer with a statement about its weights and a list of its own, or, as `variant`
// says, hooks that break the rules: 1 a section the header uses, 2 a statement that is not an
// object, 3 a statement key that is also a state's name.
class Oriented : public Layer {
 public:
  static constexpr const char* kType = "oriented";

  explicit Oriented(std::string orientation = "rows", int variant = 0)
      : Layer(kType), orientation_(std::move(orientation)), variant_(variant) {
    register_state("scale", StateKind::stored, &scale_);
  }
  Value forward(const Value& x) override { return x; }
  FileSection file_section() const override {
    return {variant_ == 1 ? "weights" : "oriented_layers", "oriented layer"};
  }
  nlohmann::json file_statement(const std::string&) const override {
    if (variant_ == 2) return "rows";
    if (variant_ == 3) return {{"scale", 1}};
    return {{"orientation", orientation_}};
  }
  nlohmann::json to_json() const override {
    nlohmann::json json = layer_json_header(*this);
    json["orientation"] = orientation_;
    return json;
  }
  static std::shared_ptr<Layer> from_json(const nlohmann::json& json) {
    JsonReader in(json, "Oriented::from_json");
    const LayerHeader header = read_layer_header(in, kType);
    auto layer = std::make_shared<Oriented>(in.string("orientation"));
    in.finish();
    apply_layer_header(header, *layer);
    return layer;
  }

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  std::string orientation_;
  int variant_;
  Tensor scale_;
};

// Both user types known to the registry while it lives.
struct UserTypes {
  testing::RunningSumType running_sum;
  UserTypes() { register_layer_type(Oriented::kType, Oriented::from_json); }
  ~UserTypes() { unregister_layer_type(Oriented::kType); }
};

// (batch, 3) -> RunningSum "sum" -> Oriented "turn" -> Dense "head" (2), float64.
std::shared_ptr<Sequential> user_model(std::shared_ptr<Layer> middle) {
  auto model = std::make_shared<Sequential>();
  model->set_name("model");
  auto input = std::make_shared<InputLayer>(ShapePattern{3}, DType::float64);
  input->set_name("in");
  auto sum = std::make_shared<RunningSum>();
  sum->set_name("sum");
  middle->set_name("turn");
  auto head = std::make_shared<Dense>(DenseOptions(2).seed(1));
  head->set_name("head");
  model->add(input).add(sum).add(middle).add(head);
  model->build();
  return model;
}

RunningSum& running_sum(const Layer& model) {
  return dynamic_cast<RunningSum&>(*model.sublayers()[1].second);
}

std::string edited_entries(const std::string& bytes,
                           const std::function<void(nlohmann::json&)>& edit) {
  testing::ModelFileParts parts = testing::split_model_file(bytes);
  edit(parts.header);
  return testing::join_model_file(parts.header, parts.data);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_entries_test)

BOOST_AUTO_TEST_CASE(a_users_stored_states_and_statement_round_trip) {
  UserTypes types;
  auto model = user_model(std::make_shared<Oriented>("columns"));
  const Tensor offset = Tensor::from_values({3}, {0.5, -0.25, 1e-300}, DType::float64);
  running_sum(*model).set_offset(offset);
  model->set_state("turn.scale", {Tensor::from_values({1}, {2}, DType::float64)});
  const Tensor x = testing::random_tensor({2, 3}, 2);
  model->set_training(false);
  (*model)(Value(x));  // the sum now carries a total, which model files leave out
  const std::string bytes = format_model(*model);

  const nlohmann::json header = testing::split_model_file(bytes).header;
  BOOST_TEST(!header.contains("gru_layers"));
  const nlohmann::json& states = header.at("layer_states");
  BOOST_REQUIRE_EQUAL(states.size(), 1u);
  BOOST_TEST(states[0].at("path") == "sum");
  BOOST_TEST(states[0].at("name") == "sum");
  BOOST_TEST(states[0].at("offset").size() == 1u);
  BOOST_TEST(!states[0].contains("total"));
  const nlohmann::json& oriented = header.at("oriented_layers");
  BOOST_REQUIRE_EQUAL(oriented.size(), 1u);
  BOOST_TEST(oriented[0].at("orientation") == "columns");
  BOOST_TEST(oriented[0].at("scale").size() == 1u);

  const std::shared_ptr<Layer> loaded = parse_model(bytes, "entries.grutape");
  BOOST_TEST(bitwise_equal(running_sum(*loaded).offset(), offset));
  BOOST_TEST(!running_sum(*loaded).total().defined());
  BOOST_TEST(bitwise_equal(loaded->state("turn.scale")[0], model->state("turn.scale")[0]));
  // The loaded model computes what the saved one did from no carried total.
  model->reset_states();
  loaded->set_training(false);
  BOOST_TEST(bitwise_equal((*loaded)(Value(x)).value(), (*model)(Value(x)).value()));
  BOOST_TEST(format_model(*loaded) == format_model(*model));
  // Without a stored state a layer's entry holds an empty list, which loads as none.
  running_sum(*model).set_offset(Tensor());
  const std::shared_ptr<Layer> cleared = parse_model(format_model(*model));
  BOOST_TEST(
      testing::split_model_file(format_model(*model)).header.at("layer_states")[0].at("offset") ==
      nlohmann::json::array());
  BOOST_TEST(!running_sum(*cleared).offset().defined());
}

BOOST_AUTO_TEST_CASE(entries_that_do_not_fit_the_model_are_named) {
  UserTypes types;
  auto model = user_model(std::make_shared<Oriented>());
  running_sum(*model).set_offset(Tensor::from_values({3}, {1, 2, 3}, DType::float64));
  const std::string good = format_model(*model);
  auto parse = [](const std::string& bytes) { parse_model(bytes, "entries.grutape"); };
  require_error<IoError>(
      [&] { parse(edited_entries(good, [](nlohmann::json& h) { h.erase("layer_states"); })); },
      {kEntriesWhere, "the key \"layer_states\"", "none"});
  require_error<IoError>(
      [&] {
        parse(
            edited_entries(good, [](nlohmann::json& h) { h["layer_states"][0].erase("offset"); }));
      },
      {kEntriesWhere + ": \"layer_states\" \"sum\"", "the key \"offset\"", "none"});
  require_error<IoError>(
      [&] {
        parse(edited_entries(good, [](nlohmann::json& h) {
          h["layer_states"].push_back(h["layer_states"][0]);
          h["layer_states"][1]["path"] = "head";
        }));
      },
      {kEntriesWhere + ": \"layer_states\"", "entries only for the model's layers", "\"head\""});
  require_error<IoError>(
      [&] {
        parse(
            edited_entries(good, [](nlohmann::json& h) { h["oriented_layers"][0]["path"] = "x"; }));
      },
      {kEntriesWhere + ": \"oriented_layers\"", "an entry for the oriented layer at \"turn\""});
  require_error<IoError>(
      [&] {
        parse(edited_entries(
            good, [](nlohmann::json& h) { h["oriented_layers"][0]["orientation"] = "columns"; }));
      },
      {kEntriesWhere + ": \"oriented_layers\" \"turn\": \"orientation\"",
       "expected \"rows\" (the architecture's)", "got \"columns\""});
  require_error<IoError>(
      [&] {
        parse(edited_entries(good, [](nlohmann::json& h) {
          h["layer_states"][0]["offset"][0]["offset"] = 1u << 20;
        }));
      },
      {kEntriesWhere + ": \"layer_states\" \"sum\" \"offset\" tensor 1",
       "bytes within the data section"});
}

BOOST_AUTO_TEST_CASE(hooks_that_break_the_rules_are_refused_when_saving) {
  require_error<ValueError>(
      [] { format_model(*user_model(std::make_shared<Oriented>("rows", 1))); },
      {"format_model: layer \"turn\": file_section", "a key the header does not use otherwise",
       "\"weights\""});
  require_error<ValueError>(
      [] { format_model(*user_model(std::make_shared<Oriented>("rows", 2))); },
      {"format_model: layer \"turn\": file_statement", "an object or null", "the string \"rows\""});
  require_error<ValueError>(
      [] { format_model(*user_model(std::make_shared<Oriented>("rows", 3))); },
      {"format_model: layer \"turn\"", "apart from each other", "\"scale\" twice"});
}

BOOST_AUTO_TEST_CASE(a_gru_inside_a_user_model_keeps_its_own_list) {
  UserTypes types;
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(2, std::nullopt, DType::float64));
  auto sum = std::make_shared<RunningSum>();
  auto gru = std::make_shared<Gru>(GruOptions(3).seed(4));
  model->add(sum).add(gru);
  model->build();
  sum->set_offset(Tensor::from_values({1, 2}, {0.5, 0.25}, DType::float64));
  gru->set_initial_states({Tensor::from_values({3}, {0.1, 0.2, 0.3}, DType::float64)});
  const nlohmann::json header = testing::split_model_file(format_model(*model)).header;
  BOOST_TEST(header.at("layer_states").size() == 1u);
  BOOST_TEST(header.at("gru_layers").size() == 1u);
  BOOST_TEST(header.at("gru_layers")[0].at("initial_states").size() == 1u);
  const std::shared_ptr<Layer> loaded = parse_model(format_model(*model));
  BOOST_TEST(
      bitwise_equal(loaded->state(gru->name() + ".initial_states")[0], gru->initial_states()[0]));
  BOOST_TEST(bitwise_equal(loaded->state(sum->name() + ".offset")[0], sum->offset()));
}

BOOST_AUTO_TEST_SUITE_END()
