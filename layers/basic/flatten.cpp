#include "layers/basic/flatten.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/json_reader.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

Flatten::Flatten() : Layer("flatten") {}

Value Flatten::forward(const Value& input) {
  const Shape shape = input.shape();
  if (shape.empty()) throw ShapeError(name(), "inputs with a batch axis (rank >= 1)", "()");
  const Shape rest(shape.begin() + 1, shape.end());
  return reshape(input, {shape[0], shape_size(rest)});
}

Tensor Flatten::output_mask(const Value&, const Tensor&) const {
  return Tensor();
}

nlohmann::json Flatten::to_json() const {
  return layer_json_header(*this);
}

std::shared_ptr<Flatten> Flatten::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Flatten::from_json");
  const LayerHeader header = read_layer_header(in, "flatten");
  in.finish();
  auto layer = std::make_shared<Flatten>();
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
