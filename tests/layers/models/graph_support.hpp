#pragma once
// Small layers for the graph and bidirectional suites (the library's Dense lives elsewhere), and
// a gradient check of a layer's parameters, which check_gradients cannot vary.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "layers/layer.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// y = x W + b on the last axis, W (features, units) and b (units) uniform in [-1, 1) from a seed.
class AffineLayer : public Layer {
 public:
  AffineLayer(std::size_t units, std::uint64_t seed)
      : Layer("affine"), units_(units), seed_(seed) {}
  Value forward(const Value& x) override {
    return matmul(x, parameter("kernel")) + parameter("bias");
  }
  nlohmann::json to_json() const override { return {{"type", "affine"}, {"units", units_}}; }

 protected:
  void build_parameters(const Shape& input_shape, DType dtype) override {
    register_parameter("kernel", random_tensor({input_shape.back(), units_}, seed_, -1, 1, dtype));
    register_parameter("bias", random_tensor({units_}, seed_ + 1, -1, 1, dtype));
  }

 private:
  std::size_t units_;
  std::uint64_t seed_;
};

/// Ports "a", "b" -> "out": a + b. No port "in": called through its ports only.
class AddLayer : public Layer {
 public:
  AddLayer() : Layer("add") {}
  Value forward(const Value&) override {
    throw ValueError(name() + ": forward", "ports a and b", "one input");
  }
  std::vector<InputPort> input_ports() const override { return {{"a", true}, {"b", true}}; }
  nlohmann::json to_json() const override { return {{"type", "add"}}; }

 protected:
  void build_parameters(const Shape&, DType) override {}
  std::map<std::string, Value> compute_ports(const std::map<std::string, Value>& inputs,
                                             const Tensor&) override {
    return {{"out", inputs.at("a") + inputs.at("b")}};
  }
};

/// Float64 central differences of sum(w * run()) with respect to every element of every
/// parameter of `layer`, against the tape's gradients (max relative error `tolerance`). Each
/// shifted value replaces the parameter's tensor, which is restored afterwards.
inline void require_layer_parameter_gradients(Layer& layer, const std::function<Value()>& run,
                                              double tolerance = 1e-7) {
  const double step = 1e-6;
  Value out = run();
  auto parameters = layer.named_parameters();
  BOOST_REQUIRE(!parameters.empty());
  for (auto& [_, parameter] : parameters) parameter.zero_grad();
  out = run();
  const Tensor weights = random_tensor(out.shape(), 7, 0.5, 1.5);
  out.backward(weights);
  const auto loss = [&] {
    NoGradScope no_grad;
    const Tensor y = run().value();
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y.flat(i) * weights.flat(i);
    return total;
  };
  for (auto& [name, parameter] : parameters) {
    BOOST_REQUIRE_MESSAGE(parameter.has_grad(), name << " received no gradient");
    const Tensor grad = parameter.grad().clone();
    const Tensor original = parameter.value();
    double worst = 0;
    for (std::size_t j = 0; j < grad.size(); ++j) {
      const auto loss_at = [&](double delta) {
        Tensor shifted = original.clone();
        shifted.array<double>().data()[j] += delta;
        parameter.mutable_value() = shifted;
        const double value = loss();
        parameter.mutable_value() = original;
        return value;
      };
      const double numeric = (loss_at(step) - loss_at(-step)) / (2 * step);
      const double analytic = grad.flat(j);
      const double scale = std::max({1.0, std::abs(analytic), std::abs(numeric)});
      worst = std::max(worst, std::abs(analytic - numeric) / scale);
    }
    BOOST_TEST(worst <= tolerance, name << ": worst relative error " << worst);
  }
}

}  // namespace grutape::testing
