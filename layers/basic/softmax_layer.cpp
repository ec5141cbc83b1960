#include "layers/basic/softmax_layer.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/ops/softmax.hpp"
#include "core/json_reader.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

Softmax::Softmax(long axis) : Layer("softmax"), axis_(axis) {}

Value Softmax::forward(const Value& input) {
  return softmax(input, static_cast<long>(normalize_axis(axis_, input.rank(), name())));
}

nlohmann::json Softmax::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["axis"] = axis_;
  return json;
}

std::shared_ptr<Softmax> Softmax::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Softmax::from_json");
  const LayerHeader header = read_layer_header(in, "softmax");
  long axis = -1;
  if (in.has("axis")) {
    const nlohmann::json& value = in.value("axis");
    if (!value.is_number_integer()) {
      throw ValueError(in.where("axis"), "an integer", json_type_name(value));
    }
    axis = value.get<long>();
  }
  in.finish();
  auto layer = std::make_shared<Softmax>(axis);
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
