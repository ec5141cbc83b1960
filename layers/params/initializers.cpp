#include "layers/params/initializers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/params/detail/orthogonal.hpp"

namespace grutape {
namespace {

// The stddev of a unit normal truncated to [-2, 2]; dividing by it restores the intended stddev.
constexpr double truncated_unit_stddev = 0.87962566103423978;

struct Builtin {
  std::string name;
  std::vector<std::string> parameters;
};

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> list = {
      {"glorot_uniform", {}},
      {"glorot_normal", {}},
      {"he_uniform", {}},
      {"he_normal", {}},
      {"lecun_uniform", {}},
      {"lecun_normal", {}},
      {"orthogonal", {"gain"}},
      {"narrow_normal", {}},
      {"normal", {"mean", "stddev"}},
      {"truncated_normal", {"mean", "stddev"}},
      {"uniform", {"minval", "maxval"}},
      {"zeros", {}},
      {"ones", {}},
      {"constant", {"value"}},
  };
  return list;
}

const Builtin* find_builtin(const std::string& name) {
  for (const auto& builtin : builtins())
    if (builtin.name == name) return &builtin;
  return nullptr;
}

// Registered user initializers; guarded because registration may happen from any thread.
std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<std::string, InitializerFunction>& initializer_registry() {
  static std::map<std::string, InitializerFunction> functions;
  return functions;
}

InitializerFunction find_registered(const std::string& name) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  const auto found = initializer_registry().find(name);
  return found == initializer_registry().end() ? InitializerFunction() : found->second;
}

// Keras' variance scaling: the uniform bound or the normal stddev for scale / n.
Tensor variance_scaling(double scale, double n, bool normal, const Shape& shape, DType dtype,
                        Random& random) {
  const double variance = scale / std::max(1.0, n);
  if (normal) {
    return random.truncated_normal(shape, 0.0, std::sqrt(variance) / truncated_unit_stddev, dtype);
  }
  const double limit = std::sqrt(3.0 * variance);
  return random.uniform(shape, -limit, limit, dtype);
}

Tensor orthogonal(double gain, const Shape& shape, DType dtype, Random& random) {
  if (shape.size() < 2) {
    throw ShapeError("initialize: orthogonal", "a shape of rank >= 2",
                     "shape " + shape_to_string(shape));
  }
  const std::size_t cols = shape.back();
  const std::size_t rows = cols == 0 ? 0 : shape_size(shape) / cols;
  std::vector<double> values = random_orthogonal(rows, cols, random);
  for (double& value : values) value *= gain;
  return Tensor::from_values(shape, values, dtype);
}

Tensor run_registered(const std::string& name, const InitializerFunction& function,
                      const Shape& shape, DType dtype, Random& random) {
  const std::string where = "initialize: registered initializer \"" + name + "\"";
  Tensor result = function(shape, dtype, random);
  if (!result.defined()) throw ValueError(where, "a defined tensor", "an undefined tensor");
  require_shape(result, shape, where);
  if (result.dtype() != dtype)
    throw ValueError(where, std::string("dtype ") + dtype_name(dtype), dtype_name(result.dtype()));
  return result;
}

}  // namespace

const std::vector<std::string>& builtin_initializer_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& builtin : builtins()) list.push_back(builtin.name);
    return list;
  }();
  return names;
}

void validate_initializer(const InitializerSpec& spec, const std::string& where) {
  const Builtin* builtin = find_builtin(spec.name);
  if (builtin == nullptr) {
    if (!find_registered(spec.name)) {
      throw ValueError(
          where,
          "an initializer among " + join(builtin_initializer_names()) + " or a registered one",
          "\"" + spec.name + "\"");
    }
    require_parameters(spec, {}, where);
    return;
  }
  require_parameters(spec, builtin->parameters, where);
  const std::string at = where + ": " + to_string(spec);
  if (spec.name == "uniform" && spec.parameter("minval", -1) > spec.parameter("maxval", 1))
    throw ValueError(at, "minval <= maxval", "minval greater than maxval");
  if ((spec.name == "normal" || spec.name == "truncated_normal") &&
      spec.parameter("stddev", 0.05) < 0) {
    throw ValueError(at, "stddev >= 0", format_number(spec.parameter("stddev", 0.05)));
  }
}

Fans compute_fans(const Shape& shape) {
  if (shape.empty()) return {1, 1};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive_field = 1;
  for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive_field *= double(shape[i]);
  return {double(shape[shape.size() - 2]) * receptive_field,
          double(shape.back()) * receptive_field};
}

Tensor initialize(const InitializerSpec& spec, const Shape& shape, DType dtype, Random& random) {
  validate_initializer(spec, "initialize");
  const std::string& name = spec.name;
  if (!find_builtin(name)) return run_registered(name, find_registered(name), shape, dtype, random);

  const Fans fans = compute_fans(shape);
  const double fan_avg = (fans.fan_in + fans.fan_out) / 2;
  if (name == "glorot_uniform") return variance_scaling(1, fan_avg, false, shape, dtype, random);
  if (name == "glorot_normal") return variance_scaling(1, fan_avg, true, shape, dtype, random);
  if (name == "he_uniform") return variance_scaling(2, fans.fan_in, false, shape, dtype, random);
  if (name == "he_normal") return variance_scaling(2, fans.fan_in, true, shape, dtype, random);
  if (name == "lecun_uniform") return variance_scaling(1, fans.fan_in, false, shape, dtype, random);
  if (name == "lecun_normal") return variance_scaling(1, fans.fan_in, true, shape, dtype, random);
  if (name == "orthogonal") return orthogonal(spec.parameter("gain", 1), shape, dtype, random);
  if (name == "narrow_normal") return random.normal(shape, 0.0, 0.01, dtype);
  if (name == "normal") {
    return random.normal(shape, spec.parameter("mean", 0), spec.parameter("stddev", 0.05), dtype);
  }
  if (name == "truncated_normal") {
    return random.truncated_normal(shape, spec.parameter("mean", 0), spec.parameter("stddev", 0.05),
                                   dtype);
  }
  if (name == "uniform") {
    return random.uniform(shape, spec.parameter("minval", -1), spec.parameter("maxval", 1), dtype);
  }
  if (name == "zeros") return Tensor::zeros(shape, dtype);
  if (name == "ones") return Tensor::ones(shape, dtype);
  return Tensor::full(shape, spec.parameter("value", 0), dtype);  // constant
}

void register_initializer(const std::string& name, InitializerFunction function) {
  const std::string where = "register_initializer";
  if (name.empty()) throw ValueError(where, "a non-empty name", "\"\"");
  if (!function)
    throw ValueError(where, "a callable function", "an empty one for \"" + name + "\"");
  if (find_builtin(name))
    throw ValueError(where, "a name that is not built in", "the built-in \"" + name + "\"");
  std::lock_guard<std::mutex> lock(registry_mutex());
  if (!initializer_registry().emplace(name, std::move(function)).second)
    throw ValueError(where, "a name not yet registered", "\"" + name + "\" again");
}

void unregister_initializer(const std::string& name) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  if (initializer_registry().erase(name) == 0)
    throw ValueError("unregister_initializer", "a registered name", "\"" + name + "\"");
}

const char* preset_name(InitializerPreset preset) {
  switch (preset) {
    case InitializerPreset::keras:
      return "keras";
    case InitializerPreset::pytorch:
      return "pytorch";
    default:
      return "matlab";
  }
}

InitializerPreset preset_from_name(const std::string& name) {
  for (auto preset :
       {InitializerPreset::keras, InitializerPreset::pytorch, InitializerPreset::matlab}) {
    if (name == preset_name(preset)) return preset;
  }
  throw ValueError("preset_from_name", "keras, pytorch or matlab", "\"" + name + "\"");
}

PresetInitializers preset_initializers(InitializerPreset preset, std::size_t units) {
  if (units == 0) throw ValueError("preset_initializers", "units >= 1", "0");
  if (preset == InitializerPreset::pytorch) {
    const double bound = 1.0 / std::sqrt(double(units));
    const InitializerSpec uniform("uniform", {{"minval", -bound}, {"maxval", bound}});
    return {uniform, uniform, uniform};
  }
  // keras and matlab agree: glorot for the kernel, orthogonal for the recurrent kernel, zeros.
  return {InitializerSpec("glorot_uniform"), InitializerSpec("orthogonal"),
          InitializerSpec("zeros")};
}

}  // namespace grutape
