#pragma once
// The fully connected layer (Keras' Dense): y = activation(x W + b) on the last axis, so that on
// (batch, timesteps, features) it applies to every time step with one matrix product. The kernel
// W is (features, units), the bias b (units); masks pass through.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "autodiff/ops/activation.hpp"
#include "core/fields.hpp"
#include "core/option_arg.hpp"
#include "layers/layer.hpp"
#include "layers/params/initializers.hpp"
#include "layers/params/parameter_specs.hpp"

namespace grutape {

class DenseOptions {
 public:
  explicit DenseOptions(std::size_t units) : units_(units) {}

  /// Output features, > 0; no default.
  GRUTAPE_ARG(std::size_t, units);
  /// Applied to x W + b, one of activation_names(); default "linear".
  GRUTAPE_ARG_DEFAULT(std::string, activation, "linear");
  /// Whether the layer adds a bias; default true.
  GRUTAPE_ARG_DEFAULT(bool, use_bias, true);
  /// Initializer of the kernel; default glorot_uniform.
  GRUTAPE_ARG_DEFAULT(InitializerSpec, kernel_initializer, "glorot_uniform");
  /// Initializer of the bias; default zeros.
  GRUTAPE_ARG_DEFAULT(InitializerSpec, bias_initializer, "zeros");
  /// Regularizer of the kernel, for the optimizer; default none.
  GRUTAPE_ARG(RegularizerSpec, kernel_regularizer);
  /// Regularizer of the bias, for the optimizer; default none.
  GRUTAPE_ARG(RegularizerSpec, bias_regularizer);
  /// Regularizer of the output, a loss term per call (layers/params/regularizers.hpp); default
  /// none.
  GRUTAPE_ARG(RegularizerSpec, activity_regularizer);
  /// Constraint on the kernel, for the optimizer; default none.
  GRUTAPE_ARG(ConstraintSpec, kernel_constraint);
  /// Constraint on the bias, for the optimizer; default none.
  GRUTAPE_ARG(ConstraintSpec, bias_constraint);
  /// Seed of the initializers; default none: the process-wide source.
  GRUTAPE_ARG(std::optional<std::uint64_t>, seed);

 public:
  /// A ValueError naming the first invalid option and its value.
  void validate() const;

  /// Every option as its JSON key with its check (core/fields.hpp): to_json, from_json and
  /// validate.
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    static constexpr Range positive_count{"> 0", [](double v) { return v > 0; }};
    static constexpr OneOf activations{activation_names};
    visit("units", self.units_, positive_count);
    visit("activation", self.activation_, activations);
    visit("use_bias", self.use_bias_);
    visit("kernel_initializer", self.kernel_initializer_, &validate_initializer);
    visit("bias_initializer", self.bias_initializer_, &validate_initializer);
    visit("kernel_regularizer", self.kernel_regularizer_, &validate_regularizer);
    visit("bias_regularizer", self.bias_regularizer_, &validate_regularizer);
    visit("activity_regularizer", self.activity_regularizer_, &validate_regularizer);
    visit("kernel_constraint", self.kernel_constraint_, &validate_constraint);
    visit("bias_constraint", self.bias_constraint_, &validate_constraint);
    visit("seed", self.seed_);
  }
};

class Dense : public Layer {
 public:
  /// The options are validated here.
  explicit Dense(DenseOptions options);

  /// The options, as validated.
  const DenseOptions& options() const { return options_; }

  /// activation(x W + b) for x of shape (batch, ..., features) with the features it was built
  /// for; a ShapeError or ValueError names the expected and the given shape or dtype.
  Value forward(const Value& input) override;
  /// kernel: kernel_regularizer and kernel_constraint; bias: bias_regularizer and
  /// bias_constraint; factors 1.
  ParameterSettings parameter_settings(const std::string& name) const override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "units" is required, absent options keep their defaults.
  static std::shared_ptr<Dense> from_json(const nlohmann::json& json);

 protected:
  /// kernel (features, units) and bias (units), features the last extent of the input.
  void build_parameters(const Shape& input_shape, DType dtype) override;

 private:
  DenseOptions options_;
  Value kernel_;
  Value bias_;
};

}  // namespace grutape
