#pragma once
// The engine-equality check of the gru_engines_* suites: one scenario (a layer, its inputs, the
// calls it makes) run once with the composite engine, the reference, and once with the fused
// engine, then every output, returned state and gradient (input, initial states, every weight
// and bias) compared. float64 must agree within 1e-10 absolute, float32 within 1e-5 relative to
// the largest magnitude of the composite engine's tensor. The worst differences are kept per
// dtype and printed by each suite's last case (run with --log_level=message).

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "layers/gru/gru.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// The bounds every engine comparison must meet.
constexpr double kFloat64Absolute = 1e-10;
constexpr double kFloat32Relative = 1e-5;

/// The largest difference seen per dtype, and where.
struct EngineDifferences {
  double float64_absolute = 0;
  std::string float64_where;
  double float32_relative = 0;
  std::string float32_where;
  /// Tensors compared, per dtype.
  std::size_t float64_tensors = 0, float32_tensors = 0;
};

inline EngineDifferences& engine_differences() {
  static EngineDifferences differences;
  return differences;
}

/// What a scenario creates and returns in one engine's run.
class EngineRun {
 public:
  explicit EngineRun(DType dtype) : dtype_(dtype) {}
  DType dtype() const { return dtype_; }

  /// A leaf that requires a gradient: `value` in the run's dtype. Its gradient is compared.
  Value leaf(const std::string& name, const Tensor& value) {
    Value v(value.to(dtype_), true);
    leaves_.emplace_back(name, v);
    return v;
  }
  /// `value` in the run's dtype, no gradient.
  Tensor constant(const Tensor& value) const { return value.to(dtype_); }
  /// A result to compare; it takes part in the loss when it requires a gradient.
  void result(const std::string& name, const Value& value) { results_.emplace_back(name, value); }
  /// The output and every returned state of a call.
  void result(const std::string& name, const GruResult& result) {
    this->result(name + " output", result.output);
    for (std::size_t k = 0; k < result.states.size(); ++k)
      this->result(name + " state " + std::to_string(k + 1), result.states[k]);
  }

  const std::vector<std::pair<std::string, Value>>& leaves() const { return leaves_; }
  const std::vector<std::pair<std::string, Value>>& results() const { return results_; }

 private:
  DType dtype_;
  std::vector<std::pair<std::string, Value>> leaves_;
  std::vector<std::pair<std::string, Value>> results_;
};

/// Makes the calls of one case on `layer` (a fresh layer of the case's options and engine).
using EngineScenario = std::function<void(Gru& layer, EngineRun& run)>;

/// Options with biases drawn in [-0.5, 0.5) (not the zeros of the default), so that they take
/// part in every result, and a seed, so that both engines start from the same weights.
inline GruOptions engine_options(std::size_t units = 4) {
  return GruOptions(units).return_sequences(true).seed(3).bias_initializer(
      InitializerSpec("uniform", {{"minval", -0.5}, {"maxval", 0.5}}));
}

/// Runs `scenario` with `engine`: the results, then the backward pass of sum_k sum(w_k * result_k)
/// with fixed random w_k, and returns every result and gradient by name.
inline std::map<std::string, Tensor> run_engine(GruEngine engine, const GruOptions& options,
                                                DType dtype, const EngineScenario& scenario) {
  Gru layer(GruOptions(options).engine(engine));
  EngineRun run(dtype);
  scenario(layer, run);
  if (layer.engine_used()) BOOST_TEST((*layer.engine_used() == engine));
  std::map<std::string, Tensor> outcome;
  Value loss;
  for (std::size_t k = 0; k < run.results().size(); ++k) {
    const auto& [name, value] = run.results()[k];
    outcome["result " + name] = value.value();
    if (!value.requires_grad()) continue;
    const Value weights(random_tensor(value.shape(), 100 + k, 0.5, 1.5, dtype));
    const Value term = sum(value * weights);
    loss = loss.defined() ? loss + term : term;
  }
  if (loss.defined()) loss.backward();
  for (const auto& [name, leaf] : run.leaves())
    if (leaf.has_grad()) outcome["grad " + name] = leaf.grad();
  for (const auto& [name, parameter] : layer.named_parameters())
    if (parameter.has_grad()) outcome["grad " + name] = parameter.grad();
  return outcome;
}

/// The difference of `got` from `expected` as the bounds measure it: max |a - b| in float64,
/// that over max |expected| in float32 (0 when both are 0).
inline double engine_difference(const Tensor& got, const Tensor& expected) {
  const double absolute = max_abs_diff(got.to(DType::float64), expected.to(DType::float64));
  if (expected.dtype() == DType::float64) return absolute;
  double scale = 0;
  for (double v : expected.to_vector()) scale = std::max(scale, std::abs(v));
  return absolute == 0 ? 0 : absolute / scale;
}

/// Adds a zero gradient to `outcome` for each gradient `other` has and it lacks: a tensor that
/// does not reach the loss has no gradient on the composite engine's tape (with no steps to
/// read, the weights), where the fused engine's node gives it zeros.
inline void zero_missing_gradients(std::map<std::string, Tensor>& outcome,
                                   const std::map<std::string, Tensor>& other) {
  for (const auto& [name, tensor] : other) {
    if (name.rfind("grad ", 0) == 0 && outcome.count(name) == 0)
      outcome[name] = Tensor::zeros(tensor.shape(), tensor.dtype());
  }
}

/// Runs `scenario` with both engines and requires the same results and gradients within the
/// bounds; `what` names the case in messages. Returns the number of tensors compared.
inline std::size_t require_engines_agree(const std::string& what, const GruOptions& options,
                                         DType dtype, const EngineScenario& scenario) {
  auto composite = run_engine(GruEngine::composite, options, dtype, scenario);
  auto fused = run_engine(GruEngine::fused, options, dtype, scenario);
  zero_missing_gradients(composite, fused);
  zero_missing_gradients(fused, composite);
  std::vector<std::string> composite_names, fused_names;
  for (const auto& entry : composite) composite_names.push_back(entry.first);
  for (const auto& entry : fused) fused_names.push_back(entry.first);
  BOOST_TEST(composite_names == fused_names, what << ": the engines return different tensors");
  EngineDifferences& worst = engine_differences();
  for (const auto& [name, expected] : composite) {
    const auto found = fused.find(name);
    if (found == fused.end()) continue;
    const Tensor& got = found->second;
    BOOST_TEST_CONTEXT(what << ", " << name) {
      BOOST_TEST((got.dtype() == expected.dtype()));
      BOOST_REQUIRE(got.shape() == expected.shape());
      const double difference = engine_difference(got, expected);
      const std::string where = what + ", " + name;
      if (dtype == DType::float64) {
        BOOST_TEST(difference <= kFloat64Absolute);
        ++worst.float64_tensors;
        if (difference > worst.float64_absolute) {
          worst.float64_absolute = difference;
          worst.float64_where = where;
        }
      } else {
        BOOST_TEST(difference <= kFloat32Relative);
        ++worst.float32_tensors;
        if (difference > worst.float32_relative) {
          worst.float32_relative = difference;
          worst.float32_where = where;
        }
      }
    }
  }
  return composite.size();
}

/// require_engines_agree in float64 and in float32.
inline void require_engines_agree_in_both_dtypes(const std::string& what, const GruOptions& options,
                                                 const EngineScenario& scenario) {
  for (DType dtype : {DType::float64, DType::float32})
    require_engines_agree(what + " " + dtype_name(dtype), options, dtype, scenario);
}

/// The scenario of one call on x (batch, steps, features) with an initial state per level as
/// leaves, and `extra` (a mask, lengths, dropout masks) with its tensors in the run's dtype.
inline EngineScenario one_call(const Shape& input_shape, const GruInputs& extra = {},
                               std::uint64_t seed = 1) {
  return [=](Gru& layer, EngineRun& run) {
    GruInputs inputs = extra;
    for (GruDropoutMasks& masks : inputs.dropout_masks) {
      if (masks.input.defined()) masks.input = run.constant(masks.input);
      if (masks.recurrent.defined()) masks.recurrent = run.constant(masks.recurrent);
    }
    const std::size_t units = layer.options().units();
    for (std::size_t k = 0; k < layer.options().depth(); ++k) {
      inputs.initial_states.push_back(
          run.leaf("initial state " + std::to_string(k + 1),
                   random_tensor({input_shape[0], units}, seed + 10 + k, -0.5, 0.5)));
    }
    const Value x = run.leaf("input", random_tensor(input_shape, seed));
    run.result("call", layer.run(x, inputs));
  };
}

/// Prints the worst differences of the suite and requires that it compared something.
inline void report_engine_differences(const std::string& suite) {
  const EngineDifferences& worst = engine_differences();
  BOOST_TEST_MESSAGE(suite << ": " << worst.float64_tensors << " float64 tensors, worst absolute "
                           << worst.float64_absolute << " (" << worst.float64_where << "); "
                           << worst.float32_tensors << " float32 tensors, worst relative "
                           << worst.float32_relative << " (" << worst.float32_where << ")");
  BOOST_TEST(worst.float64_tensors + worst.float32_tensors > 0u);
}

}  // namespace grutape::testing
