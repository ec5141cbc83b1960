#include "layers/basic/dropout.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "core/batch_shard.hpp"
#include "core/json_reader.hpp"
#include "core/tensor_math.hpp"
#include "core/text.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

void DropoutOptions::validate() const {
  if (!(rate_ >= 0 && rate_ < 1)) {
    throw ValueError("DropoutOptions: rate", "a rate in [0, 1)", format_number(rate_));
  }
}

Dropout::Dropout(DropoutOptions options)
    : Layer("dropout"), options_(std::move(options)), random_(options_.seed().value_or(0)) {
  options_.validate();
  // An unseeded layer draws from default_random(), which a checkpoint saves on its own.
  if (options_.seed()) register_random("masks", &random_);
}

Shape Dropout::noise_shape_for(const Shape& input_shape) const {
  if (!options_.noise_shape()) return input_shape;
  const ShapePattern& pattern = *options_.noise_shape();
  bool fits = pattern.size() == input_shape.size();
  Shape shape;
  for (std::size_t i = 0; fits && i < pattern.size(); ++i) {
    shape.push_back(pattern[i].value_or(input_shape[i]));
    fits = shape[i] == 1 || shape[i] == input_shape[i];
  }
  if (!fits) {
    throw ShapeError(name() + ": noise_shape " + shape_pattern_to_string(pattern),
                     "an input whose extents it matches or broadcasts over (extent 1)",
                     shape_to_string(input_shape));
  }
  return shape;
}

Value Dropout::forward(const Value& input) {
  const Shape noise_shape = noise_shape_for(input.shape());
  if (!flags().training || options_.rate() == 0) return input;
  Random& random = options_.seed() ? random_ : default_random();
  const double keep = 1.0 - options_.rate();
  // y = x * m / keep with m ~ Bernoulli(keep): the expectation of y is x.
  // Per row of the batch (axis 0), alike whatever the number of processes (core/batch_shard.hpp).
  const Tensor mask = scale(bernoulli_rows(random, noise_shape, 0, keep, input.dtype()), 1.0 / keep);
  return input * Value(mask);
}

nlohmann::json Dropout::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["rate"] = options_.rate();
  json["noise_shape"] = options_.noise_shape() ? shape_pattern_to_json(*options_.noise_shape())
                                               : nlohmann::json(nullptr);
  json["seed"] = seed_to_json(options_.seed());
  return json;
}

std::shared_ptr<Dropout> Dropout::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Dropout::from_json");
  const LayerHeader header = read_layer_header(in, "dropout");
  DropoutOptions options(in.number("rate"));
  if (in.has("noise_shape") && !in.value("noise_shape").is_null()) {
    options.noise_shape(shape_pattern_from_json(in.value("noise_shape"), in.where("noise_shape")));
  }
  options.seed(read_seed(in, "seed"));
  in.finish();
  auto layer = std::make_shared<Dropout>(options);
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
