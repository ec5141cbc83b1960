#include "layers/losses/loss.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {
      "mean_squared_error",  "mean_absolute_error",      "huber",
      "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"};
  return names;
}

Loss::Loss(const std::string& name) : name_(name) {
  if (name == "mse") name_ = "mean_squared_error";
  if (name == "mae") name_ = "mean_absolute_error";
  const auto& names = loss_names();
  if (std::find(names.begin(), names.end(), name_) == names.end()) {
    throw ValueError("Loss", "one of " + join(names) + " (or mse, mae)", "\"" + name + "\"");
  }
}

bool Loss::takes_logits() const {
  return name_.find("crossentropy") != std::string::npos;
}

Loss& Loss::from_logits(bool from_logits) {
  if (from_logits && !takes_logits()) {
    throw ValueError("Loss " + name_ + ": from_logits", "a crossentropy loss", name_);
  }
  from_logits_ = from_logits;
  return *this;
}

Loss& Loss::delta(double delta) {
  if (name_ != "huber") throw ValueError("Loss " + name_ + ": delta", "the huber loss", name_);
  if (!(delta > 0 && std::isfinite(delta))) {
    throw ValueError("Loss huber: delta", "a finite delta > 0", format_number(delta));
  }
  delta_ = delta;
  return *this;
}

Loss& Loss::reduction(Reduction reduction) {
  reduction_ = reduction;
  return *this;
}

Value Loss::operator()(const Tensor& y_true, const Value& y_pred, const Tensor& sample_weight,
                       const Tensor& mask) const {
  const LossArgs args = LossArgs().reduction(reduction_).sample_weight(sample_weight).mask(mask);
  if (name_ == "mean_squared_error") return losses::mean_squared_error(y_true, y_pred, args);
  if (name_ == "mean_absolute_error") return losses::mean_absolute_error(y_true, y_pred, args);
  if (name_ == "huber") return losses::huber(y_true, y_pred, delta_, args);
  if (name_ == "binary_crossentropy") {
    return losses::binary_crossentropy(y_true, y_pred, from_logits_, args);
  }
  if (name_ == "categorical_crossentropy") {
    return losses::categorical_crossentropy(y_true, y_pred, from_logits_, args);
  }
  return losses::sparse_categorical_crossentropy(y_true, y_pred, from_logits_, args);
}

nlohmann::json Loss::to_json() const {
  nlohmann::json json = {{"name", name_}, {"reduction", reduction_name(reduction_)}};
  if (takes_logits()) json["from_logits"] = from_logits_;
  if (name_ == "huber") json["delta"] = delta_;
  return json;
}

Loss Loss::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Loss::from_json");
  // The options' own checks, rethrown under the key that carried the value.
  auto under = [&](const std::string& key, auto apply) {
    try {
      apply();
    } catch (const ValueError& error) {
      throw ValueError(in.where(key) + ": " + error.what());
    }
  };
  const std::string name = in.string("name");
  std::optional<Loss> loss;
  under("name", [&] { loss.emplace(name); });
  if (in.has("reduction")) {
    const std::string reduction = in.string("reduction");
    under("reduction", [&] { loss->reduction(reduction_from_name(reduction)); });
  }
  if (in.has("from_logits")) {
    const bool from_logits = in.boolean("from_logits");
    under("from_logits", [&] { loss->from_logits(from_logits); });
  }
  if (in.has("delta")) {
    const double delta = in.number("delta");
    under("delta", [&] { loss->delta(delta); });
  }
  in.finish();
  return *loss;
}

bool Loss::operator==(const Loss& other) const {
  return name_ == other.name_ && from_logits_ == other.from_logits_ && delta_ == other.delta_ &&
         reduction_ == other.reduction_;
}

}  // namespace grutape
