#pragma once
// The lookup table of Keras' Embedding: integer ids in, one row of the (input_dim, output_dim)
// table out per id. The ids come as a float tensor of any shape, (batch, timesteps) for
// sequences, and must hold whole numbers in [0, input_dim); the output has their shape plus
// output_dim. With mask_zero, id 0 is padding: output_mask is ids != 0, the mask the layers after
// it (the GRU) honour. The table's gradient sums over repeated ids; the ids get none.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/fields.hpp"
#include "core/option_arg.hpp"
#include "layers/layer.hpp"
#include "layers/params/initializers.hpp"
#include "layers/params/parameter_specs.hpp"

namespace grutape {

class EmbeddingOptions {
 public:
  EmbeddingOptions(std::size_t input_dim, std::size_t output_dim)
      : input_dim_(input_dim), output_dim_(output_dim) {}

  /// The number of ids (vocabulary size), > 0; no default.
  GRUTAPE_ARG(std::size_t, input_dim);
  /// The length of each row, > 0; no default.
  GRUTAPE_ARG(std::size_t, output_dim);
  /// Initializer of the table; default uniform in [-0.05, 0.05) (Keras').
  GRUTAPE_ARG_DEFAULT(InitializerSpec, embeddings_initializer, "uniform",
                      {{"minval", -0.05}, {"maxval", 0.05}});
  /// Regularizer of the table, for the optimizer; default none.
  GRUTAPE_ARG(RegularizerSpec, embeddings_regularizer);
  /// Constraint on the table, for the optimizer; default none.
  GRUTAPE_ARG(ConstraintSpec, embeddings_constraint);
  /// Id 0 is padding and masked out; default false.
  GRUTAPE_ARG_DEFAULT(bool, mask_zero, false);
  /// Seed of the initializer; default none: the process-wide source.
  GRUTAPE_ARG(std::optional<std::uint64_t>, seed);

 public:
  /// A ValueError naming the first invalid option and its value.
  void validate() const;

  /// Every option as its JSON key with its check (core/fields.hpp): to_json, from_json and
  /// validate.
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    static constexpr Range positive_count{"> 0", [](double v) { return v > 0; }};
    visit("input_dim", self.input_dim_, positive_count);
    visit("output_dim", self.output_dim_, positive_count);
    visit("embeddings_initializer", self.embeddings_initializer_, &validate_initializer);
    visit("embeddings_regularizer", self.embeddings_regularizer_, &validate_regularizer);
    visit("embeddings_constraint", self.embeddings_constraint_, &validate_constraint);
    visit("mask_zero", self.mask_zero_);
    visit("seed", self.seed_);
  }
};

class Embedding : public Layer {
 public:
  /// The options are validated here.
  explicit Embedding(EmbeddingOptions options);

  /// The options, as validated.
  const EmbeddingOptions& options() const { return options_; }

  /// The rows of the ids: shape ids.shape + (output_dim), in the table's dtype. A ValueError
  /// names the first id that is not a whole number in [0, input_dim) and its position.
  Value forward(const Value& input) override;
  /// ids != 0 (1 valid, 0 padding, ids' shape and dtype) with mask_zero; else no mask.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;
  /// embeddings: embeddings_regularizer and embeddings_constraint; factors 1.
  ParameterSettings parameter_settings(const std::string& name) const override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "input_dim" and "output_dim" are required.
  static std::shared_ptr<Embedding> from_json(const nlohmann::json& json);

 protected:
  /// The table "embeddings" (input_dim, output_dim) in the dtype of the ids.
  void build_parameters(const Shape& input_shape, DType dtype) override;

 private:
  EmbeddingOptions options_;
  Value embeddings_;
};

}  // namespace grutape
