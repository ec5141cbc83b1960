// Extending grutape with your own op and your own layer.
//
// 1. A primitive op, swish(x) = x sigmoid(x), with its own forward (tensor code) and backward (a
//    closure recorded on the tape through the public custom-op API), checked against float64
//    central differences by the public gradient checker.
// 2. A layer composed from primitive ops, SwishDense: y = swish(x W + b). It has no backward of
//    its own (the tape differentiates the ops it is made of), registers its parameters by name,
//    writes its options as JSON and registers its type, so that model files can rebuild it.
// 3. SwishDense inside a Sequential model after a GRU, trained for a few epochs, saved to a model
//    file and loaded back: the loaded model predicts exactly what the trained one does.
//
//   custom_layer [epochs] [model file]   (defaults 20 and a file in the system's temp folder)
//
// Exits with 1 when the gradient check fails, the loss does not fall, or the loaded model
// predicts anything else.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <grutape/grutape.hpp>

using namespace grutape;

// --- 1. The primitive op ---------------------------------------------------------------------

// sigmoid(x) elementwise, in x's precision.
template <class A>
A sigmoid_of(const A& x) {
  using T = typename A::value_type;
  return T(1) / (T(1) + xt::exp(-x));
}

/// swish(x) = x sigmoid(x), elementwise.
Value swish(const Value& x) {
  // Forward: eager tensor code on x's array, float32 or float64 alike.
  const Tensor input = x.value();
  Tensor output = input.visit([](const auto& a) -> Tensor {
    using A = std::decay_t<decltype(a)>;
    return A(a * sigmoid_of(a));
  });
  // Backward: the closure keeps only the input, which is all the derivative needs.
  return record_op("swish", output, {x}, [input](const Tensor& grad) {
    Tensor dx = input.visit([&grad](const auto& a) -> Tensor {
      using A = std::decay_t<decltype(a)>;
      using T = typename A::value_type;
      const A s = sigmoid_of(a);
      // y = x s(x)  =>  dy/dx = s + x s (1 - s)
      return A(grad.array<T>() * (s + a * s * (T(1) - s)));
    });
    return std::vector<Tensor>{dx};
  });
}

// --- 2. The layer ----------------------------------------------------------------------------

/// y = swish(x W + b) on the last axis of x: (batch, ..., features) -> (batch, ..., units).
class SwishDense : public Layer {
 public:
  /// `units` outputs; the weights drawn from `seed`.
  SwishDense(std::size_t units, std::uint64_t seed)
      : Layer("swish_dense"), units_(units), seed_(seed) {}

  Value forward(const Value& x) override { return swish(matmul(x, kernel_) + bias_); }

  /// The common header (type, name, flags) and the options.
  nlohmann::json to_json() const override {
    nlohmann::json json = layer_json_header(*this);
    json["units"] = units_;
    json["seed"] = seed_;
    return json;
  }

  /// The inverse of to_json, the factory the layer registry calls.
  static std::shared_ptr<Layer> from_json(const nlohmann::json& json) {
    JsonReader in(json, "SwishDense::from_json");
    const LayerHeader header = read_layer_header(in, "swish_dense");
    auto layer = std::make_shared<SwishDense>(in.size("units"), in.unsigned_integer("seed"));
    in.finish();  // an unknown key is an error, not silently ignored
    apply_layer_header(header, *layer);
    return layer;
  }

 protected:
  // Called once, with the first input's shape: the weights need the input's feature count.
  void build_parameters(const Shape& input_shape, DType dtype) override {
    Random random(seed_);
    const double limit = std::sqrt(6.0 / static_cast<double>(input_shape.back() + units_));
    kernel_ = register_parameter(
        "kernel", random.uniform({input_shape.back(), units_}, -limit, limit, dtype));
    bias_ = register_parameter("bias", Tensor::zeros({units_}, dtype));
  }

 private:
  std::size_t units_;
  std::uint64_t seed_;
  Value kernel_, bias_;
};

// --- 3. Using them ---------------------------------------------------------------------------

int main(int argc, char** argv) {
  const std::size_t epochs = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20;
  const std::string path =
      argc > 2 ? argv[2]
               : (std::filesystem::temp_directory_path() / "grutape_custom_layer.model").string();
  if (epochs < 1) {
    std::fprintf(stderr, "usage: custom_layer [epochs >= 1] [model file]\n");
    return 2;
  }
  bool ok = true;

  // The op's backward against central differences, on float64 values spread over [-4, 4].
  Random random(7);
  const GradCheckResult op_check =
      check_gradients([](const std::vector<Value>& in) { return swish(in[0]); },
                      {random.uniform({3, 5}, -4, 4, DType::float64)});
  std::printf("swish gradient check: %s (%s)\n", op_check.passed ? "passed" : "FAILED",
              op_check.report().c_str());
  ok = ok && op_check.passed;
  // The layer as a whole, weights included: its parameters are inputs of the checked function.
  SwishDense probe(4, 1);
  probe.build({2, 3}, DType::float64);
  const GradCheckResult layer_check = check_gradients(
      [](const std::vector<Value>& in) { return swish(matmul(in[0], in[1]) + in[2]); },
      {random.uniform({2, 3}, -1, 1, DType::float64), probe.parameter("kernel").value(),
       probe.parameter("bias").value()});
  std::printf("SwishDense gradient check: %s (%s)\n", layer_check.passed ? "passed" : "FAILED",
              layer_check.report().c_str());
  ok = ok && layer_check.passed;

  // Model files rebuild layers by type: tell the registry how to rebuild a "swish_dense".
  register_layer_type("swish_dense", SwishDense::from_json);

  // A toy task: the mean of a sequence of 6 numbers in [-1, 1].
  const std::size_t samples = 256, steps = 6;
  const Tensor x = random.uniform({samples, steps, 1}, -1, 1);
  std::vector<double> means(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    for (std::size_t t = 0; t < steps; ++t) means[i] += x.flat(i * steps + t) / steps;
  }
  const Tensor y = Tensor::from_values({samples, 1}, means);

  Sequential model;
  model.add(std::make_shared<Gru>(GruOptions(8).seed(2)))
      .add(std::make_shared<SwishDense>(8, 3))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(4)));
  const History history =
      fit(model, x, y,
          FitOptions()
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.01)))
              .epochs(epochs)
              .batch_size(32)
              .verbosity(Verbosity::quiet));
  const double first = history["loss"].front(), last = history["loss"].back();
  std::printf("training: loss %.5f after epoch 1, %.5f after epoch %zu\n", first, last, epochs);
  ok = ok && last < first / 2;

  // Save, load through the registry, and compare the predictions bit for bit.
  save_model(path, model);
  const std::shared_ptr<Layer> loaded = load_model(path);
  const Tensor before = predict(model, x), after = predict(*loaded, x);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < before.size(); ++i) differing += before.flat(i) != after.flat(i);
  std::printf("saved to %s and loaded: %zu of %zu predictions differ\n", path.c_str(), differing,
              before.size());
  ok = ok && differing == 0 && loaded->describe() == model.describe();
  std::filesystem::remove(path);

  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
