// TrainConfig::from_json and make_callback: values read, defaults, the key paths in messages, and
// docs/config.md listing exactly the fields the parser accepts (read from the parser's own
// "only the keys ..." message for each section, so a field added to the code without its line
// in the reference, or documented but not accepted, fails here).

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "optim/callbacks/callback_config.hpp"
#include "optim/callbacks/early_stopping.hpp"
#include "optim/training/train_config.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using testing::require_error;

namespace {

nlohmann::json minimal_config() {
  return nlohmann::json::parse(R"({
    "model": {"type": "sequential", "layers": [{"type": "dense", "units": 1}]},
    "data": {"file": "table.csv", "target_columns": ["y"]}
  })");
}

// The keys the parser lists as accepted when `break_it` adds an unknown key to a section.
std::set<std::string> accepted_keys(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const ValueError& error) {
    const std::string message = error.what();
    const std::string start = "expected only the keys ", end = ", got the unknown key";
    const std::size_t from = message.find(start), to = message.find(end);
    BOOST_REQUIRE_MESSAGE(from != std::string::npos && to != std::string::npos, message);
    std::set<std::string> keys;
    std::stringstream list(message.substr(from + start.size(), to - from - start.size()));
    for (std::string key; std::getline(list, key, ',');) {
      keys.insert(key.substr(key.find_first_not_of(' ')));
    }
    return keys;
  }
  BOOST_FAIL("no error for an unknown key");
  return {};
}

std::set<std::string> with_prefix(const std::string& prefix, const std::set<std::string>& keys) {
  std::set<std::string> paths;
  for (const std::string& key : keys) paths.insert(prefix + key);
  return paths;
}

// Every `path` in the first cell of a table row of docs/config.md.
std::set<std::string> documented_fields() {
  std::ifstream file(GRUTAPE_SOURCE_DIR "/docs/config.md");
  BOOST_REQUIRE(file);
  const std::regex row(R"(^\| `([a-z_.\[\]]+)` \|)");
  std::set<std::string> fields;
  for (std::string line; std::getline(file, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row)) fields.insert(match[1]);
  }
  return fields;
}

ModelSaver no_saver() {
  return [](const std::string&) {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(train_config_test)

BOOST_AUTO_TEST_CASE(defaults_of_a_minimal_config) {
  const TrainConfig config = TrainConfig::from_json(minimal_config(), "c.json", "/base");
  BOOST_TEST(config.loss.name() == "mean_squared_error");
  BOOST_TEST(config.metrics.empty());
  BOOST_TEST(config.optimizer.at("name") == "adam");
  BOOST_TEST(config.data.file == "/base/table.csv");
  BOOST_TEST(!config.data.window.has_value());
  BOOST_TEST(!config.data.normalize.has_value());
  BOOST_TEST(config.data.split.train() == 0.8);
  BOOST_TEST(config.data.split.validation() == 0.1);
  BOOST_TEST(config.training.epochs == 1u);
  BOOST_TEST(config.training.batch_sizes == std::vector<std::size_t>{32});
  BOOST_TEST(config.training.shuffle);
  BOOST_TEST(config.output.directory == "/base");
  BOOST_TEST(config.output.path(*config.output.model) == "/base/model.grutape");
  BOOST_TEST(*config.output.log == "history.csv");
  BOOST_TEST(*config.output.plot == "loss.svg");
}

BOOST_AUTO_TEST_CASE(values_are_read_and_paths_resolved) {
  nlohmann::json json = minimal_config();
  json["loss"] = {{"name", "huber"}, {"delta", 2.0}};
  json["metrics"] = {"mae", "rmse"};
  json["optimizer"] = {{"name", "sgd"}, {"parameters", {{"learning_rate", 0.5}}}};
  json["data"]["window"] = {{"size", 6}, {"horizon", 2}};
  json["data"]["normalize"] = "min_max";
  json["data"]["split"] = {{"train", 0.5}, {"validation", 0.25}, {"shuffle", true}, {"seed", 9}};
  json["data"]["dtype"] = "float64";
  json["training"] = {
      {"epochs", 7}, {"batch_size", {4, 8}}, {"shuffle", false}, {"seed", 3}, {"clip_norm", 1.5}};
  json["output"] = {{"directory", "/out"}, {"model", "m.grutape"}, {"log", nullptr}};
  const TrainConfig config = TrainConfig::from_json(json, "c.json", "/base");
  BOOST_TEST(config.loss.name() == "huber");
  BOOST_TEST(config.loss.delta() == 2.0);
  BOOST_TEST((config.metrics == std::vector<std::string>{"mae", "rmse"}));
  BOOST_TEST(config.data.window->window() == 6u);
  BOOST_TEST(config.data.window->horizon() == 2u);
  BOOST_TEST(config.data.window->stride() == 1u);
  BOOST_TEST((*config.data.normalize == NormalizerKind::min_max));
  BOOST_TEST(config.data.split.train() == 0.5);
  BOOST_TEST(config.data.split.shuffle());
  BOOST_TEST(config.data.split.seed() == 9u);
  BOOST_TEST((config.data.dtype == DType::float64));
  BOOST_TEST(config.training.epochs == 7u);
  BOOST_TEST((config.training.batch_sizes == std::vector<std::size_t>{4, 8}));
  BOOST_TEST(!config.training.shuffle);
  BOOST_TEST(*config.training.clip_norm == 1.5);
  BOOST_TEST(!config.training.clip_value.has_value());
  BOOST_TEST(config.output.path(*config.output.model) == "/out/m.grutape");
  BOOST_TEST(!config.output.log.has_value());
  const FitOptions options = config.fit_options(no_saver());
  BOOST_TEST(options.epochs() == 7u);
  BOOST_TEST(options.optimizer()->learning_rate() == 0.5);
  BOOST_TEST(options.loss().delta() == 2.0);
}

BOOST_AUTO_TEST_CASE(errors_name_the_key_path) {
  nlohmann::json json = minimal_config();
  json["training"] = {{"epochs", "ten"}};
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"c.json: key \"training\": key \"epochs\"", "the string \"ten\""});
  json = minimal_config();
  json["data"]["window"] = {{"size", 3}, {"horizon", 1}, {"stide", 1}};
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"c.json: key \"data\": key \"window\"", "unknown key \"stide\""});
  json = minimal_config();
  json["training"] = {{"batch_size", {4, 0}}};
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"key \"batch_size\"[1]", "an integer >= 1"});
  json = minimal_config();
  json["optimizer"] = {{"name", "adam"}, {"parameters", {{"learning_rat", 0.1}}}};
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"c.json: key \"optimizer\": make_optimizer", "learning_rat"});
  json = minimal_config();
  json["loss"] = "hinge";
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"c.json: key \"loss\"", "hinge"});
  json = minimal_config();
  json["data"].erase("target_columns");
  require_error<ValueError>([&] { TrainConfig::from_json(json, "c.json", ""); },
                            {"c.json: key \"data\"", "\"target_columns\" for a table"});
  json = minimal_config();
  json["data"]["inputs"] = "x.npy";
  require_error<ValueError>(
      [&] { TrainConfig::from_json(json, "c.json", ""); },
      {"either \"file\" or both \"inputs\" and \"targets\"", "both kinds of source"});
  json = minimal_config();
  json["model"] = {{"type", "dense"}, {"units", 1}, {"activation", 3}};
  const TrainConfig config = TrainConfig::from_json(json, "c.json", "");
  require_error<ValueError>([&] { config.build_model(); },
                            {"c.json: key \"model\": Dense::from_json: key \"activation\""});
}

BOOST_AUTO_TEST_CASE(callbacks_from_json) {
  const auto callback = make_callback(
      {{"type", "early_stopping"}, {"patience", 4}, {"monitor", "loss"}, {"baseline", 0.5}}, "cb",
      "", no_saver());
  const auto* stopping = dynamic_cast<const EarlyStopping*>(callback.get());
  BOOST_REQUIRE(stopping);
  BOOST_TEST(stopping->options().patience() == 4u);
  BOOST_TEST(stopping->options().monitor() == "loss");
  BOOST_TEST(*stopping->options().baseline() == 0.5);
  require_error<ValueError>(
      [] {
        make_callback({{"type", "early_stopping"}, {"mode", "up"}}, "cb", "", no_saver());
      },
      {"cb: key \"mode\"", "auto, min or max", "\"up\""});
  require_error<ValueError>(
      [] {
        make_callback({{"type", "early_stopping"}, {"min_delta", -1}}, "cb", "", no_saver());
      },
      {"cb: EarlyStopping", "-1"});
  require_error<ValueError>(
      [] {
        make_callback({{"type", "stop"}}, "cb", "", no_saver());
      },
      {"cb: key \"type\"", "early_stopping, model_checkpoint", "\"stop\""});
  require_error<ValueError>(
      [] {
        make_callback({{"type", "learning_rate_scheduler"}, {"schedule", {{"name", "x"}}}}, "cb",
                      "", no_saver());
      },
      {"cb: key \"schedule\": schedule_from_json"});
}

// A program's own callback: counts the epochs it sees, starting from "start".
class EpochCounter : public Callback {
 public:
  explicit EpochCounter(std::size_t start) : count(start) {}
  void on_epoch_end(TrainingRun&, std::size_t, Logs&) override { ++count; }
  std::size_t count;
};

std::shared_ptr<Callback> counter_factory(const nlohmann::json& config,
                                          const CallbackContext& context) {
  JsonReader in(config, context.where);
  in.has("type");
  const std::size_t start = in.size("start", 0);
  in.finish();
  return std::make_shared<EpochCounter>(start);
}

BOOST_AUTO_TEST_CASE(a_registered_callback_type_is_named_in_configs_like_a_builtin) {
  register_callback_type("test_epoch_counter", counter_factory);
  nlohmann::json json = minimal_config();
  json["training"] = {{"callbacks", {{{"type", "test_epoch_counter"}, {"start", 5}}}}};
  const TrainConfig config = TrainConfig::from_json(json, "c.json", "");
  const FitOptions options = config.fit_options(no_saver());
  BOOST_REQUIRE(options.callbacks().size() == 1u);
  const auto* counter = dynamic_cast<const EpochCounter*>(options.callbacks()[0].get());
  BOOST_REQUIRE(counter);
  BOOST_TEST(counter->count == 5u);
  json["training"]["callbacks"][0]["begin"] = 1;
  require_error<ValueError>(
      [&] { TrainConfig::from_json(json, "c.json", "").fit_options(no_saver()); },
      {"c.json: key \"training\": key \"callbacks\"[0]", "the unknown key \"begin\""});

  const testing::RegistryKind<CallbackFactory> kind{
      "register_callback_type",
      "unregister_callback_type",
      register_callback_type,
      unregister_callback_type,
      callback_type_names,
      [](const std::string& type) {
        make_callback({{"type", type}}, "cb", "", no_saver());
      },
      "cb: key \"type\""};
  testing::check_registry_rules(kind, "test_epoch_counter", "csv_logger",
                                CallbackFactory(counter_factory));
}

BOOST_AUTO_TEST_CASE(docs_list_every_accepted_field_and_no_other) {
  std::set<std::string> accepted;
  const auto section = [&](const std::string& prefix, const std::function<void()>& parse) {
    for (const std::string& path : with_prefix(prefix, accepted_keys(parse))) accepted.insert(path);
  };
  const auto parse_with = [](const std::function<void(nlohmann::json&)>& edit) {
    return [edit] {
      nlohmann::json json = minimal_config();
      edit(json);
      TrainConfig::from_json(json, "c.json", "");
    };
  };
  section("", parse_with([](nlohmann::json& j) { j["zz"] = 1; }));
  section("data.", parse_with([](nlohmann::json& j) { j["data"]["zz"] = 1; }));
  section("data.window.", parse_with([](nlohmann::json& j) {
            j["data"]["window"] = {{"size", 2}, {"zz", 1}};
          }));
  section("data.split.", parse_with([](nlohmann::json& j) { j["data"]["split"] = {{"zz", 1}}; }));
  section("training.", parse_with([](nlohmann::json& j) { j["training"] = {{"zz", 1}}; }));
  section("output.", parse_with([](nlohmann::json& j) { j["output"] = {{"zz", 1}}; }));
  const nlohmann::json required_of = {
      {"early_stopping", nlohmann::json::object()},
      {"model_checkpoint", {{"path", "m"}}},
      {"csv_logger", {{"path", "l.csv"}}},
      {"learning_rate_scheduler", {{"schedule", nlohmann::json::object()}}},
      {"reduce_lr_on_plateau", nlohmann::json::object()}};
  for (const std::string& type : callback_type_names()) {
    nlohmann::json callback = required_of.at(type);
    callback["type"] = type;
    callback["zz"] = 1;
    for (const std::string& key :
         accepted_keys([&] { make_callback(callback, "", "", no_saver()); })) {
      accepted.insert(key == "type" ? "training.callbacks[].type" : type + "." + key);
    }
  }
  const std::set<std::string> documented = documented_fields();
  for (const std::string& field : accepted) {
    BOOST_TEST(documented.count(field) == 1u, "docs/config.md lacks the field " << field);
  }
  for (const std::string& field : documented) {
    BOOST_TEST(accepted.count(field) == 1u,
               "docs/config.md lists " << field << ", which the parser does not accept");
  }
}

BOOST_AUTO_TEST_SUITE_END()
