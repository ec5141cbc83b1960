#pragma once
// Weight initializers by name, with Keras' semantics: fan_in and fan_out of a (rows, cols) shape
// are rows and cols (grutape stores kernels as (inputs, outputs), like Keras); the *_normal
// variance-scaling initializers draw a normal truncated at two standard deviations and divide its
// stddev by 0.87962566103423978, the stddev of a unit normal truncated there, so that the values
// have the intended stddev.
//
// Built in (parameters in brackets, with defaults):
//   glorot_uniform  U(-l, l), l = sqrt(6 / (fan_in + fan_out))
//   glorot_normal   truncated normal, stddev sqrt(2 / (fan_in + fan_out))
//   he_uniform      U(-l, l), l = sqrt(6 / fan_in)
//   he_normal       truncated normal, stddev sqrt(2 / fan_in)
//   lecun_uniform   U(-l, l), l = sqrt(3 / fan_in)
//   lecun_normal    truncated normal, stddev sqrt(1 / fan_in)
//   orthogonal      [gain = 1] gain * (semi-)orthogonal matrix, see orthogonal.hpp; a shape of
//                   rank > 2 is treated as a (prod(shape[:-1]), shape[-1]) matrix. Like Keras,
//                   the whole matrix is orthogonalized: a GRU recurrent kernel (units, 3 * units)
//                   gets orthonormal rows; its three gate blocks on their own are not orthogonal.
//   narrow_normal   normal with mean 0 and stddev 0.01 (MATLAB 'narrow-normal')
//   normal          [mean = 0, stddev = 0.05] normal
//   truncated_normal [mean = 0, stddev = 0.05] normal redrawn outside mean +- 2 stddev
//   uniform         [minval = -1, maxval = 1] uniform in [minval, maxval)
//   zeros, ones, constant [value = 0]
// and every initializer a program registers (register_initializer), which specs in options,
// model files and configs then name like a built-in one. The names are a registry
// (core/registry.hpp).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "layers/params/named_spec.hpp"

namespace grutape {

/// An initializer's name and parameters, e.g. {"uniform", {{"minval", -0.1}, {"maxval", 0.1}}}.
using InitializerSpec = NamedSpec;

/// The names of the built-in initializers, in the order of the list above.
const std::vector<std::string>& builtin_initializer_names();
/// The built-in names, then the registered ones, sorted.
std::vector<std::string> initializer_names();

/// A ValueError naming `where` unless `spec` names a built-in or registered initializer and its
/// parameters are ones that initializer takes, with valid values.
void validate_initializer(const InitializerSpec& spec, const std::string& where = "initializer");

/// Keras' fans: (rows, cols) for a matrix, (n, n) for a vector, (1, 1) for a scalar, and for
/// rank > 2 both times the receptive field prod(shape[:-2]).
struct Fans {
  double fan_in;
  double fan_out;
};
Fans compute_fans(const Shape& shape);

/// A new tensor of `shape` and `dtype` drawn from `random` as `spec` says; the spec is validated
/// first. Values are computed in double and rounded once to `dtype`.
Tensor initialize(const InitializerSpec& spec, const Shape& shape, DType dtype, Random& random);

/// An initializer's draw: returns a tensor of exactly the given shape and dtype.
using InitializerFunction = std::function<Tensor(const Shape&, DType, Random&)>;

/// Builds the draw of a spec that names the initializer, from its parameters; a ValueError naming
/// `where` for a parameter it does not take or a value out of range (require_parameters helps).
using InitializerFactory =
    std::function<InitializerFunction(const InitializerSpec& spec, const std::string& where)>;

/// Makes specs naming `name` use `factory`; every draw it makes is checked for the shape and
/// dtype asked for. A ValueError for an empty name or factory, a built-in name or one registered
/// already.
void register_initializer(const std::string& name, InitializerFactory factory);
/// The same for an initializer without parameters: `function` draws for specs naming `name`.
void register_initializer(const std::string& name, InitializerFunction function);
/// Removes a registered initializer; a ValueError for a built-in name or one not registered.
void unregister_initializer(const std::string& name);

/// Initializer presets of the GRU's three tensors, after the frameworks they are named for.
enum class InitializerPreset { keras, pytorch, matlab };

template <>
struct EnumNames<InitializerPreset> {
  static constexpr NamedValue<InitializerPreset> values[] = {
      {InitializerPreset::keras, "keras"},
      {InitializerPreset::pytorch, "pytorch"},
      {InitializerPreset::matlab, "matlab"}};
};

/// "keras", "pytorch", "matlab".
const char* preset_name(InitializerPreset preset);
/// The inverse of preset_name; a ValueError names the unknown string.
InitializerPreset preset_from_name(const std::string& name);

/// The initializers a preset gives the kernel, the recurrent kernel and the bias (input and
/// recurrent bias alike).
struct PresetInitializers {
  InitializerSpec kernel;
  InitializerSpec recurrent_kernel;
  InitializerSpec bias;
};

/// keras: glorot_uniform, orthogonal, zeros (Keras GRU defaults).
/// pytorch: uniform(-1/sqrt(units), 1/sqrt(units)) for all three (torch.nn.GRU).
/// matlab: glorot_uniform, orthogonal, zeros (gruLayer's 'glorot', 'orthogonal', 'zeros'; MATLAB's
/// glorot bound sqrt(6 / (InputSize + 3 * NumHiddenUnits)) is the one glorot_uniform computes for
/// the (input, 3 * units) kernel). A ValueError when units is 0.
PresetInitializers preset_initializers(InitializerPreset preset, std::size_t units);

}  // namespace grutape
