// Your own optimizer, metric and initializer, named in a JSON training config like built-in ones.
//
// Optimizers, metrics, initializers, constraints, schedules, callback types and layer types are
// each a registry of names (core/registry.hpp). A program registers its own under a name; from
// then on configs and model files name it as they name a built-in one. Here:
//
// 1. An optimizer, sign_sgd: w <- w - lr sign(g), with an options struct whose one field list
//    gives its config's parameters, their reading and their range checks.
// 2. A metric, within_tolerance: the fraction of predictions within `tolerance` (default 0.1)
//    of their targets.
// 3. An initializer, fan_in_uniform: U(-l, l) with l = gain / sqrt(fan_in), "gain" a parameter.
// 4. A training config (JSON, below) that names all three, read by TrainConfig as `grutape train`
//    reads its configs: a GRU forecasts the next value of a sampled sine wave from the 8 before
//    it. The trained model is saved and loaded back: its file names fan_in_uniform, which the
//    registry rebuilds.
//
//   custom_registry [epochs] [min_within]   (defaults 40 and 0.95)
//
// Exits with 1 unless the loss falls to a third, the held-out windows' within_tolerance reaches
// min_within, and the loaded model predicts exactly what the trained one does.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include <grutape/grutape.hpp>

using namespace grutape;

// --- 1. The optimizer ------------------------------------------------------------------------

struct SignSgdOptions {
  /// Step size, >= 0; default 0.01.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 0.01);
  /// Coupled L2 coefficient added to the gradient before its sign is taken, >= 0; default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  // The one list of the fields: config keys, members and ranges (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class SignSgd : public OptimizerWith<SignSgdOptions> {
 public:
  // The type is the registered name, so that config() and checkpoints name it too.
  explicit SignSgd(SignSgdOptions options = {}) : OptimizerWith("sign_sgd", options) {}

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState&,
              const UpdateBlocks& blocks) override {
    parameter.visit([&](auto& w) {
      using T = typename std::decay_t<decltype(w)>::value_type;
      const T* g = grad.array<T>().data();
      for (std::size_t i = 0; i < w.size(); ++i) {
        // The rates of the block element i lies in (per-gate factors make three blocks).
        const BlockRates& r = blocks.rates[(i / blocks.run_length) % blocks.rates.size()];
        const double d = g[i] + r.l2 * w.data()[i];
        // w <- w - lr sign(d)
        w.data()[i] -= static_cast<T>(r.learning_rate * ((d > 0) - (d < 0)));
      }
    });
  }
  std::vector<std::string> slot_names() const override { return {}; }  // no state
};

// --- 2. The metric ---------------------------------------------------------------------------

MetricDefinition within_tolerance() {
  MetricDefinition metric;
  metric.parameters = {{"tolerance", 0.1}};
  // One score per row (sample or time step): the fraction of the row's outputs that are close.
  metric.scores = [](const Tensor& y_true, const Tensor& y_pred,
                     const std::map<std::string, double>& parameters) {
    if (y_true.shape() != y_pred.shape()) {
      throw ShapeError("within_tolerance", "targets of shape " + shape_to_string(y_pred.shape()),
                       shape_to_string(y_true.shape()));
    }
    const std::size_t width = y_pred.rank() > 1 ? y_pred.shape().back() : 1;
    MetricScores scores{std::vector<double>(y_pred.size() / width)};
    for (std::size_t i = 0; i < y_pred.size(); ++i) {
      const bool close = std::abs(y_pred.flat(i) - y_true.flat(i)) <= parameters.at("tolerance");
      scores.sums[i / width] += close ? 1.0 / static_cast<double>(width) : 0.0;
    }
    return scores;
  };
  return metric;
}

// --- 3. The initializer ----------------------------------------------------------------------

// Checks the spec's parameters once, when a layer's options are validated; draws at build time.
InitializerFunction fan_in_uniform(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {"gain"}, where);
  const double gain = spec.parameter("gain", 1.0);
  return [gain](const Shape& shape, DType dtype, Random& random) {
    const double limit = gain / std::sqrt(std::max(1.0, compute_fans(shape).fan_in));
    return random.uniform(shape, -limit, limit, dtype);
  };
}

// --- 4. A config that names them -------------------------------------------------------------

const char* const config_text = R"({
  "model": {"type": "sequential", "layers": [
    {"type": "input", "shape": [8, 1]},
    {"type": "gru", "options": {"units": 8, "seed": 1,
      "kernel_initializer": {"name": "fan_in_uniform", "parameters": {"gain": 1.5}}}},
    {"type": "dense", "units": 1, "seed": 2,
      "kernel_initializer": {"name": "fan_in_uniform", "parameters": {"gain": 1.0}}}
  ]},
  "optimizer": {"name": "sign_sgd", "parameters": {"learning_rate": 0.004}},
  "loss": "mean_squared_error",
  "metrics": ["within_tolerance"],
  "data": {"file": "wave.csv", "target_columns": ["y"], "window": {"size": 8},
           "split": {"train": 0.7, "validation": 0.15}},
  "training": {"epochs": 40, "batch_size": 16, "seed": 3}
})";

int main(int argc, char** argv) {
  const std::size_t epochs = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 40;
  const double min_within = argc > 2 ? std::atof(argv[2]) : 0.95;
  if (epochs < 1) {
    std::fprintf(stderr, "usage: custom_registry [epochs >= 1] [min_within]\n");
    return 2;
  }

  register_optimizer("sign_sgd", options_factory<SignSgd, SignSgdOptions>());
  register_metric("within_tolerance", within_tolerance());
  register_initializer("fan_in_uniform", fan_in_uniform);

  // The data file and the config side by side, as a run's folder holds them.
  const auto folder = std::filesystem::temp_directory_path() / "grutape_custom_registry";
  std::filesystem::create_directories(folder);
  {
    std::ofstream wave(folder / "wave.csv");
    wave << "y\n";
    for (int t = 0; t < 400; ++t) wave << 0.8 * std::sin(0.3 * t) << "\n";
    std::ofstream(folder / "config.json") << config_text;
  }
  TrainConfig config = TrainConfig::load((folder / "config.json").string());
  config.training.epochs = epochs;

  const PreparedData data = prepare_data(config.data);
  const std::shared_ptr<Layer> model = config.build_model();
  FitOptions options = config.fit_options([](const std::string&) {});
  options.validation_data(data.validation).verbosity(Verbosity::quiet);
  std::printf("optimizer from the config: %s\n", options.optimizer()->config().dump().c_str());
  const History history = fit(*model, data.train, options);
  const double first = history["loss"].front(), last = history["loss"].back();
  std::printf("loss %.5f after epoch 1, %.5f after epoch %zu\n", first, last, epochs);

  // The held-out windows, scored by the metrics the config names.
  const Logs test =
      evaluate(*model, data.test, EvaluateOptions().loss(config.loss).metrics(config.metrics));
  const double within = test.at("within_tolerance");
  std::printf("held-out windows within 0.1 of the truth: %.1f%% (required %.1f%%)\n", 100 * within,
              100 * min_within);

  // The model file names fan_in_uniform; loading rebuilds it through the registry.
  const std::string path = (folder / "model.grutape").string();
  save_model(path, *model);
  const std::shared_ptr<Layer> loaded = load_model(path);
  const Tensor before = predict(*model, data.test.x), after = predict(*loaded, data.test.x);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < before.size(); ++i) differing += before.flat(i) != after.flat(i);
  std::printf("saved and loaded: %zu of %zu predictions differ\n", differing, before.size());
  std::filesystem::remove_all(folder);

  const bool ok = options.optimizer()->type() == "sign_sgd" && last < first / 3 &&
                  within >= min_within && differing == 0;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
