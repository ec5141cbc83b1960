#include "layers/basic/masking.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/json_reader.hpp"
#include "core/reduce.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

Masking::Masking(double mask_value) : Layer("masking"), mask_value_(mask_value) {}

Tensor Masking::step_mask(const Tensor& input) const {
  if (input.rank() < 2) {
    throw ShapeError(name(), "inputs of rank >= 2 (batch, ..., features)",
                     shape_to_string(input.shape()));
  }
  const Tensor differs = input.visit([&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    const T value = static_cast<T>(mask_value_);
    return detail::map(input, [value](auto x) {
      using B = decltype(x);
      return xsimd::select(x != B(value), B(1), B(0));
    });
  });
  // The maximum of 0/1 flags over the features is exact: "any".
  return reduce_max(differs, {input.rank() - 1}, true, name());
}

Value Masking::forward(const Value& input) {
  return input * Value(step_mask(input.value()));
}

Tensor Masking::output_mask(const Value& input, const Tensor&) const {
  const Tensor mask = step_mask(input.value());
  Shape shape = mask.shape();
  shape.pop_back();
  return mask.reshaped(shape);
}

nlohmann::json Masking::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["mask_value"] = mask_value_;
  return json;
}

std::shared_ptr<Masking> Masking::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Masking::from_json");
  const LayerHeader header = read_layer_header(in, "masking");
  auto layer = std::make_shared<Masking>(in.number("mask_value", 0.0));
  in.finish();
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
