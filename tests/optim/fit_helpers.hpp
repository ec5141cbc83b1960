#pragma once
// What the training-loop suites share: a tiny model with an optimizer and a TrainingRun over
// them, for driving callbacks by hand, and linear-regression data.

#include <memory>

#include "layers/basic/dense.hpp"
#include "optim/callbacks/callback.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/training/fit_options.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// A built Dense(1) on 2 features, an SGD optimizer and a run of `epochs` over them.
struct TinyRun {
  explicit TinyRun(std::size_t epochs = 10)
      : model(DenseOptions(1).seed(1)), run(model, optimizer, history, epochs) {
    model(Value(Tensor::zeros({1, 2}, DType::float64)));
  }
  Dense model;
  Sgd optimizer;
  History history;
  TrainingRun run;
};

/// Options for fit() with plain SGD at `rate`, printing nothing.
inline FitOptions quiet_sgd(double rate) {
  return FitOptions()
      .optimizer(std::make_shared<Sgd>(SgdOptions().learning_rate(rate)))
      .verbosity(Verbosity::quiet);
}

/// Logs with one entry.
inline Logs logs_of(const std::string& key, double value) {
  Logs logs;
  logs.set(key, value);
  return logs;
}

/// y = x w + b + noise for x (rows, features) uniform in [-1, 1), float64.
struct Regression {
  Tensor x, y;
};

inline Regression regression(std::size_t rows, std::size_t features, std::uint64_t seed) {
  const Tensor x = random_tensor({rows, features}, seed);
  const Tensor noise = random_tensor({rows, 1}, seed + 1, -0.01, 0.01);
  std::vector<double> y(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    double value = 0.5 + noise.flat(r);
    for (std::size_t f = 0; f < features; ++f) value += (f + 1.0) * 0.3 * x.flat(r * features + f);
    y[r] = value;
  }
  return {x, Tensor::from_values({rows, 1}, y, DType::float64)};
}

}  // namespace grutape::testing
