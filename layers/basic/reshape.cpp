#include "layers/basic/reshape.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/layer_json.hpp"

namespace grutape {
namespace {

std::string target_to_string(const std::vector<long>& target) {
  std::vector<std::string> items;
  for (long extent : target) items.push_back(std::to_string(extent));
  return "(" + join(items) + ")";
}

}  // namespace

Reshape::Reshape(std::vector<long> target_shape)
    : Layer("reshape"), target_shape_(std::move(target_shape)) {
  const bool valid_extents = std::all_of(target_shape_.begin(), target_shape_.end(),
                                         [](long extent) { return extent >= -1; });
  if (!valid_extents || std::count(target_shape_.begin(), target_shape_.end(), -1L) > 1) {
    throw ValueError("Reshape", "a target shape of extents >= 0 with at most one -1",
                     target_to_string(target_shape_));
  }
}

Value Reshape::forward(const Value& input) {
  const Shape in = input.shape();
  if (in.empty()) throw ShapeError(name(), "inputs with a batch axis (rank >= 1)", "()");
  const std::size_t sample = shape_size(Shape(in.begin() + 1, in.end()));
  std::size_t known = 1;
  for (long extent : target_shape_) known *= extent == -1 ? 1 : static_cast<std::size_t>(extent);
  const bool inferred = std::count(target_shape_.begin(), target_shape_.end(), -1L) == 1;
  const bool fits = inferred ? known > 0 && sample % known == 0 : known == sample;
  if (!fits) {
    throw ShapeError(name(),
                     "inputs whose samples fit the target shape " + target_to_string(target_shape_),
                     shape_to_string(in));
  }
  Shape out{in[0]};
  for (long extent : target_shape_) {
    out.push_back(extent == -1 ? sample / known : static_cast<std::size_t>(extent));
  }
  return reshape(input, out);
}

Tensor Reshape::output_mask(const Value&, const Tensor&) const {
  return Tensor();
}

nlohmann::json Reshape::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["target_shape"] = target_shape_;
  return json;
}

std::shared_ptr<Reshape> Reshape::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Reshape::from_json");
  const LayerHeader header = read_layer_header(in, "reshape");
  const nlohmann::json& target = in.value("target_shape");
  std::vector<long> target_shape;
  const bool integers = target.is_array() &&
                        std::all_of(target.begin(), target.end(), [](const nlohmann::json& item) {
                          return item.is_number_integer();
                        });
  if (!integers) {
    throw ValueError(in.where("target_shape"), "an array of integers", json_type_name(target));
  }
  for (const auto& item : target) target_shape.push_back(item.get<long>());
  in.finish();
  auto layer = std::make_shared<Reshape>(std::move(target_shape));
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
