// grutape's two engines as gru_bench runners. The composite engine runs through the Gru layer.
// The fused engine runs through the Gru layer when this build's layer accepts engine fused; until
// then it calls gru_fused() directly with the same operands the layer passes it (its parameters
// as leaves, zero initial state, no mask, no dropout), which is what the layer runs.

#include <cstring>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/reduce.hpp"
#include "bench/gru_bench_engines.hpp"
#include "core/error.hpp"
#include "layers/gru/fused/node.hpp"
#include "layers/gru/gru.hpp"

namespace grutape::bench {
namespace {

std::vector<float> floats_of(const Tensor& tensor) {
  const auto& array = tensor.array<float>();
  return std::vector<float>(array.data(), array.data() + array.size());
}

GruOptions layer_options(const GruProblem& problem, GruEngine engine) {
  return GruOptions(problem.shape.units).return_sequences(true).engine(engine);
}

class LayerRunner : public GruRunner {
 public:
  LayerRunner(const GruProblem& problem, GruEngine engine)
      : engine_(engine), layer_(layer_options(problem, engine)), x_(problem.input.clone(), true) {
    layer_.set_weights(GruWeights{problem.kernel.clone(), problem.recurrent_kernel.clone(),
                                  problem.bias.clone(), problem.recurrent_bias.clone()});
  }

  void forward() override {
    layer_.set_training(false);
    output_ = layer_.run(x_).output.value();
    require_engine();
  }

  void training() override {
    layer_.set_training(true);
    x_.zero_grad();
    for (Value& parameter : layer_.parameters()) parameter.zero_grad();
    sum(layer_.run(x_).output).backward();
  }

  std::vector<float> sequence() override { return floats_of(output_); }
  std::string called_as() const override { return "the Gru layer"; }

 private:
  // The layer reports the engine that ran: the bench never times another one by mistake.
  void require_engine() const {
    if (layer_.engine_used() != engine_) {
      throw ValueError("gru_bench", std::string("the ") + engine_name(engine_) + " engine",
                       layer_.engine_used() ? engine_name(*layer_.engine_used()) : "none");
    }
  }

  GruEngine engine_;
  Gru layer_;
  Value x_;
  Tensor output_;
};

class FusedCallRunner : public GruRunner {
 public:
  explicit FusedCallRunner(const GruProblem& problem) {
    in_.input = Value(problem.input.clone(), true);
    in_.kernel = Value(problem.kernel.clone(), true);
    in_.recurrent_kernel = Value(problem.recurrent_kernel.clone(), true);
    in_.bias = Value(problem.bias.clone(), true);
    in_.recurrent_bias = Value(problem.recurrent_bias.clone(), true);
  }

  void forward() override {
    NoGradScope inference;
    output_ = gru_fused(in_, config_)[0].value();
  }

  void training() override {
    for (Value* leaf :
         {&in_.input, &in_.kernel, &in_.recurrent_kernel, &in_.bias, &in_.recurrent_bias})
      leaf->zero_grad();
    sum(gru_fused(in_, config_)[0]).backward();
  }

  std::vector<float> sequence() override { return floats_of(output_); }
  std::string called_as() const override {
    return "gru_fused() (layers/gru/fused/node.hpp) directly, as this build's Gru layer rejects "
           "engine fused";
  }

 private:
  GruFusedInputs in_;
  // The defaults are the layer's defaults: recurrent_bias_after_multiplication, tanh, sigmoid.
  const GruFusedConfig config_ = gru_fused_config(GruOptions(1));
  Tensor output_;
};

}  // namespace

std::unique_ptr<GruRunner> make_composite_runner(const GruProblem& problem) {
  return std::make_unique<LayerRunner>(problem, GruEngine::composite);
}

std::unique_ptr<GruRunner> make_fused_runner(const GruProblem& problem) {
  try {
    Gru probe(layer_options(problem, GruEngine::fused));
  } catch (const ValueError&) {
    return std::make_unique<FusedCallRunner>(problem);
  }
  return std::make_unique<LayerRunner>(problem, GruEngine::fused);
}

}  // namespace grutape::bench
