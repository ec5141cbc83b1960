#include "layers/basic/embedding.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/json_reader.hpp"
#include "layers/detail/ids.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

void EmbeddingOptions::validate() const {
  check_fields(*this, "EmbeddingOptions");
}

Embedding::Embedding(EmbeddingOptions options) : Layer("embedding"), options_(std::move(options)) {
  options_.validate();
}

void Embedding::build_parameters(const Shape&, DType dtype) {
  Random seeded(options_.seed().value_or(0));
  Random& random = options_.seed() ? seeded : default_random();
  const Shape table{options_.input_dim(), options_.output_dim()};
  embeddings_ = register_parameter(
      "embeddings", initialize(options_.embeddings_initializer(), table, dtype, random));
}

Value Embedding::forward(const Value& input) {
  const Tensor& ids = input.value();
  Shape shape = ids.shape();
  shape.push_back(options_.output_dim());
  return reshape(index_select(embeddings_, 0, read_ids(ids, options_.input_dim(), name())), shape);
}

Tensor Embedding::output_mask(const Value& input, const Tensor&) const {
  if (!options_.mask_zero()) return Tensor();
  return detail::map(input.value(), [](auto id) {
    using B = decltype(id);
    return xsimd::select(id != B(0), B(1), B(0));
  });
}

nlohmann::json Embedding::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json.update(fields_to_json(options_));
  return json;
}

std::shared_ptr<Embedding> Embedding::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Embedding::from_json");
  const LayerHeader header = read_layer_header(in, "embedding");
  EmbeddingOptions options(in.size("input_dim"), in.size("output_dim"));
  fields_from_json(options, in);
  in.finish();
  auto layer = std::make_shared<Embedding>(options);
  apply_layer_header(header, *layer);
  return layer;
}

ParameterSettings Embedding::parameter_settings(const std::string& name) const {
  require_own_parameter(name, "parameter_settings");
  ParameterSettings settings;
  settings.regularizer = options_.embeddings_regularizer();
  settings.constraint = options_.embeddings_constraint();
  return settings;
}

}  // namespace grutape
