#include "layers/serialization/detail/model_weights.hpp"

#include <cmath>
#include <map>
#include <optional>

#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/layer_registry.hpp"
#include "layers/serialization/detail/header_fields.hpp"

namespace grutape {
namespace {

// The product of the input's extents is bounded so that a damaged extent cannot make the build
// allocate gigabytes before the weights are compared: 2^28 elements is 1 GiB of float32.
constexpr std::uint64_t kMaxInputElements = std::uint64_t(1) << 28;
constexpr std::size_t kMaxInputRank = 32;

// The index and value of the first NaN or infinity in `tensor`, if any.
std::optional<std::pair<std::size_t, double>> first_non_finite(const Tensor& tensor) {
  return tensor.visit([](const auto& array) -> std::optional<std::pair<std::size_t, double>> {
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (!std::isfinite(array.data()[i])) return std::make_pair(i, double(array.data()[i]));
    }
    return std::nullopt;
  });
}

// The "input" key: the shape and dtype to build for.
std::pair<Shape, DType> read_input(const nlohmann::json& header, const std::string& where) {
  const std::string at = where + ": \"input\"";
  const nlohmann::json& input = required(header, "input", where);
  const nlohmann::json& shape_json = required_array(input, "shape", at);
  if (shape_json.empty() || shape_json.size() > kMaxInputRank) {
    throw IoError(at + ": \"shape\"", "1 to " + std::to_string(kMaxInputRank) + " extents",
                  std::to_string(shape_json.size()));
  }
  Shape shape;
  std::uint64_t elements = 1;
  for (const nlohmann::json& extent : shape_json) {
    if (!extent.is_number_unsigned()) {
      throw IoError(at + ": \"shape\"", "non-negative integer extents", json_type_name(extent));
    }
    const std::uint64_t value = extent.get<std::uint64_t>();
    if (value > 0 && elements > kMaxInputElements / value) {
      throw IoError(at + ": \"shape\"", "at most 2^28 elements in a sample", shape_json.dump());
    }
    if (value > 0) elements *= value;
    shape.push_back(static_cast<std::size_t>(value));
  }
  const std::string dtype = required_string(input, "dtype", at);
  if (dtype != "float32" && dtype != "float64") {
    throw IoError(at + ": \"dtype\"", "\"float32\" or \"float64\"", "\"" + dtype + "\"");
  }
  return {shape, dtype_from_name(dtype)};
}

// Reads every weight and checks it against the parameter of its name; assigns nothing.
std::vector<std::pair<Value, Tensor>> read_weights(const nlohmann::json& header,
                                                   TensorReader& reader, const Layer& model,
                                                   const std::string& where) {
  std::map<std::string, const nlohmann::json*> by_name = entries_by(
      required_array(header, "weights", where), "name", where + ": \"weights\"", "parameter");
  std::vector<std::pair<Value, Tensor>> weights;
  std::vector<std::string> names;
  for (const auto& [name, parameter] : model.named_parameters()) {
    names.push_back(name);
    const std::string what = "weights \"" + name + "\"";
    const auto found = by_name.find(name);
    if (found == by_name.end()) {
      throw IoError(where + ": \"weights\"", "an entry for parameter \"" + name + "\"", "none");
    }
    Tensor tensor = reader.read(*found->second, what);
    by_name.erase(found);
    if (tensor.shape() != parameter.shape()) {
      throw IoError(where + ": " + what,
                    "shape " + shape_to_string(parameter.shape()) + " (the architecture's)",
                    shape_to_string(tensor.shape()));
    }
    if (tensor.dtype() != parameter.dtype()) {
      throw IoError(where + ": " + what,
                    std::string(dtype_name(parameter.dtype())) + " (the built model's)",
                    dtype_name(tensor.dtype()));
    }
    if (const auto bad = first_non_finite(tensor)) {
      throw IoError(where + ": " + what, "finite values",
                    format_number(bad->second) + " at element " + std::to_string(bad->first));
    }
    weights.emplace_back(parameter, tensor);
  }
  if (!by_name.empty()) {
    throw IoError(where + ": \"weights\"",
                  "names among the model's parameters [" + join(names) + "]",
                  "\"" + by_name.begin()->first + "\"");
  }
  return weights;
}

}  // namespace

nlohmann::json write_model_section(const Layer& model, TensorWriter& writer,
                                   const std::string& where) {
  if (!model.built()) {
    throw ValueError(where, "a built model (call it once, or build it)",
                     "\"" + model.name() + "\", not built");
  }
  nlohmann::json section;
  section["model"] = model.to_json();
  Shape input = model.built_input_shape();
  if (!input.empty()) input[0] = 1;
  section["input"] = {{"shape", input}, {"dtype", dtype_name(model.built_dtype())}};
  nlohmann::json weights = nlohmann::json::array();
  for (const auto& [name, parameter] : model.named_parameters()) {
    const Tensor& value = parameter.value();
    if (const auto bad = first_non_finite(value)) {
      throw ValueError(where + ": weights \"" + name + "\"", "finite values",
                       format_number(bad->second) + " at element " + std::to_string(bad->first));
    }
    nlohmann::json entry = {{"name", name}};
    entry.update(writer.add(value));
    weights.push_back(entry);
  }
  section["weights"] = weights;
  write_stored_entries(model, writer, section, where);
  return section;
}

void ModelWeights::assign(Layer& model, const std::string& where) const {
  // States first: a layer may refuse one (assign_states then sets the others back), while
  // parameters checked against the architecture always fit.
  assign_states(model, states, where);
  for (const auto& [parameter, tensor] : parameters) {
    Value handle = parameter;
    handle.mutable_value() = tensor;
  }
}

std::shared_ptr<Layer> rebuild_model(const nlohmann::json& header, const std::string& where) {
  const nlohmann::json& architecture = required(header, "model", where);
  const auto [shape, dtype] = read_input(header, where);
  std::shared_ptr<Layer> model;
  try {
    model = layer_from_json(architecture);
  } catch (const IoError&) {
    throw;
  } catch (const Error& error) {
    throw IoError(where + ": \"model\": " + error.what());
  }
  try {
    model->build(shape, dtype);
  } catch (const Error& error) {
    throw IoError(where + ": building the model for input " + shape_to_string(shape) + " " +
                  dtype_name(dtype) + ": " + error.what());
  }
  return model;
}

ModelWeights read_model_weights(const nlohmann::json& header, TensorReader& reader, Layer& model,
                                const std::string& where) {
  if (!model.built()) {
    const auto [shape, dtype] = read_input(header, where);
    try {
      model.build(shape, dtype);
    } catch (const Error& error) {
      throw IoError(where + ": building \"" + model.name() + "\" for input " +
                    shape_to_string(shape) + " " + dtype_name(dtype) + ": " + error.what());
    }
  }
  ModelWeights weights;
  weights.parameters = read_weights(header, reader, model, where);
  weights.states = read_stored_entries(header, reader, model, where);
  return weights;
}

}  // namespace grutape
