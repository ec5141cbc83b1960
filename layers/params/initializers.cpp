#include "layers/params/initializers.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/registry.hpp"
#include "core/text.hpp"
#include "layers/params/detail/orthogonal.hpp"

namespace grutape {
namespace {

// The stddev of a unit normal truncated to [-2, 2]; dividing by it restores the intended stddev.
constexpr double truncated_unit_stddev = 0.87962566103423978;

// Which of Keras' fans a variance-scaling initializer divides by.
enum class Fan { in, average };

// Keras' variance scaling: U(-l, l) with l = sqrt(3 scale / n), or a truncated normal with
// stddev sqrt(scale / n), for n the chosen fan of the shape.
InitializerFactory variance_scaling_initializer(double scale, Fan fan, bool normal) {
  return [=](const InitializerSpec& spec, const std::string& where) -> InitializerFunction {
    require_parameters(spec, {}, where);
    return [=](const Shape& shape, DType dtype, Random& random) {
      const Fans fans = compute_fans(shape);
      const double n = fan == Fan::in ? fans.fan_in : (fans.fan_in + fans.fan_out) / 2;
      const double variance = scale / std::max(1.0, n);
      if (normal) {
        return random.truncated_normal(shape, 0.0, std::sqrt(variance) / truncated_unit_stddev,
                                       dtype);
      }
      const double limit = std::sqrt(3.0 * variance);
      return random.uniform(shape, -limit, limit, dtype);
    };
  };
}

InitializerFunction orthogonal_from_spec(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {"gain"}, where);
  const double gain = spec.parameter("gain", 1);
  return [gain](const Shape& shape, DType dtype, Random& random) {
    if (shape.size() < 2) {
      throw ShapeError("initialize: orthogonal", "a shape of rank >= 2",
                       "shape " + shape_to_string(shape));
    }
    const std::size_t cols = shape.back();
    const std::size_t rows = cols == 0 ? 0 : shape_size(shape) / cols;
    std::vector<double> values = random_orthogonal(rows, cols, random);
    for (double& value : values) value *= gain;
    return Tensor::from_values(shape, values, dtype);
  };
}

// normal and truncated_normal: [mean = 0, stddev = 0.05].
template <bool Truncated>
InitializerFunction normal_from_spec(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {"mean", "stddev"}, where);
  const double mean = spec.parameter("mean", 0), stddev = spec.parameter("stddev", 0.05);
  if (stddev < 0) {
    throw ValueError(where + ": " + to_string(spec), "stddev >= 0", format_number(stddev));
  }
  return [=](const Shape& shape, DType dtype, Random& random) {
    return Truncated ? random.truncated_normal(shape, mean, stddev, dtype)
                     : random.normal(shape, mean, stddev, dtype);
  };
}

InitializerFunction narrow_normal_from_spec(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {}, where);
  return [](const Shape& shape, DType dtype, Random& random) {
    return random.normal(shape, 0.0, 0.01, dtype);
  };
}

InitializerFunction uniform_from_spec(const InitializerSpec& spec, const std::string& where) {
  require_parameters(spec, {"minval", "maxval"}, where);
  const double low = spec.parameter("minval", -1), high = spec.parameter("maxval", 1);
  if (low > high) {
    throw ValueError(where + ": " + to_string(spec), "minval <= maxval",
                     "minval greater than maxval");
  }
  return [=](const Shape& shape, DType dtype, Random& random) {
    return random.uniform(shape, low, high, dtype);
  };
}

// zeros, ones and constant [value = 0]: one value everywhere.
InitializerFactory filled_initializer(double fixed, bool takes_value) {
  return [=](const InitializerSpec& spec, const std::string& where) -> InitializerFunction {
    std::vector<std::string> allowed;
    if (takes_value) allowed = {"value"};
    require_parameters(spec, allowed, where);
    const double value = takes_value ? spec.parameter("value", fixed) : fixed;
    return [value](const Shape& shape, DType dtype, Random&) {
      return Tensor::full(shape, value, dtype);
    };
  };
}

// A registered initializer's draw, checked: the layer relies on the shape and dtype it asked for.
InitializerFunction checked_draws(const std::string& name, InitializerFunction function) {
  return [name, function](const Shape& shape, DType dtype, Random& random) {
    const std::string where = "initialize: registered initializer \"" + name + "\"";
    Tensor result = function(shape, dtype, random);
    if (!result.defined()) throw ValueError(where, "a defined tensor", "an undefined tensor");
    require_shape(result, shape, where);
    if (result.dtype() != dtype) {
      throw ValueError(where, std::string("dtype ") + dtype_name(dtype),
                       dtype_name(result.dtype()));
    }
    return result;
  };
}

Registry<InitializerFactory>& initializer_registry() {
  static Registry<InitializerFactory> registry(
      {"name", "an initializer", "register_initializer", "unregister_initializer"},
      {
          {"glorot_uniform", variance_scaling_initializer(1, Fan::average, false)},
          {"glorot_normal", variance_scaling_initializer(1, Fan::average, true)},
          {"he_uniform", variance_scaling_initializer(2, Fan::in, false)},
          {"he_normal", variance_scaling_initializer(2, Fan::in, true)},
          {"lecun_uniform", variance_scaling_initializer(1, Fan::in, false)},
          {"lecun_normal", variance_scaling_initializer(1, Fan::in, true)},
          {"orthogonal", orthogonal_from_spec},
          {"narrow_normal", narrow_normal_from_spec},
          {"normal", normal_from_spec<false>},
          {"truncated_normal", normal_from_spec<true>},
          {"uniform", uniform_from_spec},
          {"zeros", filled_initializer(0, false)},
          {"ones", filled_initializer(1, false)},
          {"constant", filled_initializer(0, true)},
      });
  return registry;
}

// The draw `spec` names, its parameters checked.
InitializerFunction initializer_for(const InitializerSpec& spec, const std::string& where) {
  return initializer_registry().find(spec.name, where)(spec, where);
}

}  // namespace

const std::vector<std::string>& builtin_initializer_names() {
  static const std::vector<std::string> names = initializer_registry().builtin_names();
  return names;
}

std::vector<std::string> initializer_names() {
  return initializer_registry().names();
}

void validate_initializer(const InitializerSpec& spec, const std::string& where) {
  initializer_for(spec, where);
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
  return initializer_for(spec, "initialize")(shape, dtype, random);
}

void register_initializer(const std::string& name, InitializerFactory factory) {
  InitializerFactory draws_checked;  // stays empty for an empty factory, which add() reports
  if (factory) {
    draws_checked = [name, factory](const InitializerSpec& spec, const std::string& where) {
      return checked_draws(name, factory(spec, where));
    };
  }
  initializer_registry().add(name, std::move(draws_checked));
}

void register_initializer(const std::string& name, InitializerFunction function) {
  InitializerFactory without_parameters;
  if (function) {
    without_parameters = [function](const InitializerSpec& spec, const std::string& where) {
      require_parameters(spec, {}, where);
      return function;
    };
  }
  register_initializer(name, std::move(without_parameters));
}

void unregister_initializer(const std::string& name) {
  initializer_registry().remove(name);
}

const char* preset_name(InitializerPreset preset) {
  return enum_name(preset);
}

InitializerPreset preset_from_name(const std::string& name) {
  return enum_from_name<InitializerPreset>(name, "preset_from_name");
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
