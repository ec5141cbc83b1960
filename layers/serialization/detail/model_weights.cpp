#include "layers/serialization/detail/model_weights.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <type_traits>

#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/gru/gates.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_registry.hpp"

namespace grutape {
namespace {

// The product of the input's extents is bounded so that a damaged extent cannot make the build
// allocate gigabytes before the weights are compared: 2^28 elements is 1 GiB of float32.
constexpr std::uint64_t kMaxInputElements = std::uint64_t(1) << 28;
constexpr std::size_t kMaxRank = 32;
constexpr const char* kLayout = "internal";
constexpr const char* kGateAxis = "last";

std::string sublayer_path(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Gru or const Gru, as L is Layer or const Layer.
template <class L>
using GruOf = std::conditional_t<std::is_const_v<L>, const Gru, Gru>;

template <class L>
void collect_grus(L& layer, const std::string& path,
                  std::vector<std::pair<std::string, GruOf<L>*>>& found) {
  if (auto* gru = dynamic_cast<GruOf<L>*>(&layer)) found.emplace_back(path, gru);
  for (const auto& [name, sublayer] : layer.sublayers()) {
    collect_grus(static_cast<L&>(*sublayer), sublayer_path(path, name), found);
  }
}

// The index and value of the first NaN or infinity in `tensor`, if any.
std::optional<std::pair<std::size_t, double>> first_non_finite(const Tensor& tensor) {
  return tensor.visit([](const auto& array) -> std::optional<std::pair<std::size_t, double>> {
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (!std::isfinite(array.data()[i])) return std::make_pair(i, double(array.data()[i]));
    }
    return std::nullopt;
  });
}

nlohmann::json gate_order_json() {
  nlohmann::json order = nlohmann::json::array();
  for (const GruGate gate : gru_gate_order) order.push_back(gate_name(gate));
  return order;
}

std::vector<std::string> gru_parameter_names(const Gru& gru, const std::string& path) {
  std::vector<std::string> names;
  for (const auto& [name, _] : gru.named_parameters()) names.push_back(sublayer_path(path, name));
  return names;
}

const nlohmann::json& required(const nlohmann::json& object, const std::string& key,
                               const std::string& where) {
  if (!object.is_object()) throw IoError(where, "an object", json_type_name(object));
  if (!object.contains(key)) throw IoError(where, "the key \"" + key + "\"", "none");
  return object.at(key);
}

const nlohmann::json& required_array(const nlohmann::json& object, const std::string& key,
                                     const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_array()) {
    throw IoError(where + ": \"" + key + "\"", "an array", json_type_name(value));
  }
  return value;
}

std::string required_string(const nlohmann::json& object, const std::string& key,
                            const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_string()) {
    throw IoError(where + ": \"" + key + "\"", "a string", json_type_name(value));
  }
  return value.get<std::string>();
}

// The "input" key: the shape and dtype to build for.
std::pair<Shape, DType> read_input(const nlohmann::json& header, const std::string& where) {
  const std::string at = where + ": \"input\"";
  const nlohmann::json& input = required(header, "input", where);
  const nlohmann::json& shape_json = required_array(input, "shape", at);
  if (shape_json.empty() || shape_json.size() > kMaxRank) {
    throw IoError(at + ": \"shape\"", "1 to " + std::to_string(kMaxRank) + " extents",
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

std::vector<std::pair<Gru*, std::vector<Tensor>>> read_gru_layers(const nlohmann::json& header,
                                                                  TensorReader& reader,
                                                                  Layer& model,
                                                                  const std::string& where) {
  const std::vector<std::pair<std::string, Gru*>> grus = find_grus(model);
  const nlohmann::json& entries = required_array(header, "gru_layers", where);
  std::map<std::string, const nlohmann::json*> by_path;
  for (const nlohmann::json& entry : entries) {
    const std::string path = required_string(entry, "path", where + ": \"gru_layers\"");
    if (!by_path.emplace(path, &entry).second) {
      throw IoError(where + ": \"gru_layers\"", "one entry per GRU", "two for \"" + path + "\"");
    }
  }
  std::vector<std::pair<Gru*, std::vector<Tensor>>> result;
  for (const auto& [path, gru] : grus) {
    const std::string at = where + ": \"gru_layers\" \"" + path + "\"";
    const auto found = by_path.find(path);
    if (found == by_path.end()) {
      throw IoError(where + ": \"gru_layers\"", "an entry for the GRU at \"" + path + "\"", "none");
    }
    const nlohmann::json& entry = *found->second;
    by_path.erase(found);
    const std::string mode = required_string(entry, "reset_gate_mode", at);
    const std::string expected_mode = reset_gate_mode_name(gru->options().reset_gate_mode());
    if (mode != expected_mode) {
      throw IoError(at + ": \"reset_gate_mode\"", "\"" + expected_mode + "\" (the architecture's)",
                    "\"" + mode + "\"");
    }
    const std::string layout = required_string(entry, "layout", at);
    if (layout != kLayout) {
      throw IoError(at + ": \"layout\"", "\"internal\" (the layout model files store)",
                    "\"" + layout + "\"");
    }
    if (required(entry, "gate_order", at) != gate_order_json()) {
      throw IoError(at + ": \"gate_order\"", gate_order_json().dump(),
                    entry.at("gate_order").dump());
    }
    const std::string axis = required_string(entry, "gate_axis", at);
    if (axis != kGateAxis) throw IoError(at + ": \"gate_axis\"", "\"last\"", "\"" + axis + "\"");
    const nlohmann::json names = gru_parameter_names(*gru, path);
    if (required(entry, "parameters", at) != names) {
      throw IoError(at + ": \"parameters\"", names.dump(), entry.at("parameters").dump());
    }
    std::vector<Tensor> initial_states;
    const nlohmann::json& states = required_array(entry, "initial_states", at);
    for (std::size_t k = 0; k < states.size(); ++k) {
      initial_states.push_back(reader.read(
          states[k], "\"gru_layers\" \"" + path + "\" initial state " + std::to_string(k + 1)));
    }
    result.emplace_back(gru, std::move(initial_states));
  }
  if (!by_path.empty()) {
    throw IoError(where + ": \"gru_layers\"", "entries only for the model's GRUs",
                  "one for \"" + by_path.begin()->first + "\"");
  }
  return result;
}

// Reads every weight and checks it against the parameter of its name; assigns nothing.
std::vector<std::pair<Value, Tensor>> read_weights(const nlohmann::json& header,
                                                   TensorReader& reader, const Layer& model,
                                                   const std::string& where) {
  const nlohmann::json& entries = required_array(header, "weights", where);
  std::map<std::string, const nlohmann::json*> by_name;
  for (const nlohmann::json& entry : entries) {
    const std::string name = required_string(entry, "name", where + ": \"weights\"");
    if (!by_name.emplace(name, &entry).second) {
      throw IoError(where + ": \"weights\"", "one entry per parameter", "two for \"" + name + "\"");
    }
  }
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

std::vector<std::pair<std::string, Gru*>> find_grus(Layer& model) {
  std::vector<std::pair<std::string, Gru*>> found;
  collect_grus(model, "", found);
  return found;
}

std::vector<std::pair<std::string, const Gru*>> find_grus(const Layer& model) {
  std::vector<std::pair<std::string, const Gru*>> found;
  collect_grus(model, "", found);
  return found;
}

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
  const std::vector<std::pair<std::string, const Gru*>> grus = find_grus(model);
  nlohmann::json gru_layers = nlohmann::json::array();
  for (const auto& [path, gru] : grus) {
    nlohmann::json states = nlohmann::json::array();
    for (const Tensor& state : gru->initial_states()) states.push_back(writer.add(state));
    gru_layers.push_back(
        {{"path", path},
         {"name", gru->name()},
         {"reset_gate_mode", reset_gate_mode_name(gru->options().reset_gate_mode())},
         {"layout", kLayout},
         {"gate_order", gate_order_json()},
         {"gate_axis", kGateAxis},
         {"parameters", gru_parameter_names(*gru, path)},
         {"initial_states", states}});
  }
  section["gru_layers"] = gru_layers;
  return section;
}

void ModelWeights::assign(const std::string& where) const {
  // The layer checks initial states; trying them all first keeps the model unchanged when one
  // does not fit.
  std::vector<std::vector<Tensor>> previous;
  for (const auto& [gru, states] : gru_initial_states) {
    previous.push_back(gru->initial_states());
    try {
      gru->set_initial_states(states);
    } catch (const Error& error) {
      for (std::size_t k = 0; k < previous.size(); ++k) {
        gru_initial_states[k].first->set_initial_states(previous[k]);
      }
      throw IoError(where + ": \"gru_layers\": " + error.what());
    }
  }
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
  weights.gru_initial_states = read_gru_layers(header, reader, model, where);
  return weights;
}

}  // namespace grutape
