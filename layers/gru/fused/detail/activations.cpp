#include "layers/gru/fused/detail/activations.hpp"

#include <array>
#include <utility>

#include "core/error.hpp"

namespace grutape::detail {

FusedActivation fused_activation(const std::string& name, const std::string& where) {
  static const std::array<std::pair<const char*, FusedActivation>, 11> table = {{
      {"sigmoid", FusedActivation::sigmoid},
      {"tanh", FusedActivation::tanh},
      {"hard_sigmoid", FusedActivation::hard_sigmoid},
      {"hard_sigmoid_keras3", FusedActivation::hard_sigmoid_keras3},
      {"softsign", FusedActivation::softsign},
      {"relu", FusedActivation::relu},
      {"elu", FusedActivation::elu},
      {"selu", FusedActivation::selu},
      {"softplus", FusedActivation::softplus},
      {"gelu", FusedActivation::gelu},
      {"linear", FusedActivation::linear},
  }};
  std::string known;
  for (const auto& [key, value] : table) {
    if (name == key) return value;
    known += (known.empty() ? "one of " : ", ") + std::string(key);
  }
  throw ValueError(where, "an activation " + known, "'" + name + "'");
}

// noinline: in a unity build this file may share its compiler run with the kernel's loops.
template <class B>
__attribute__((noinline)) B rare_activate(FusedActivation f, const B& x, B* slope) {
  namespace k = activation_constants;
  const B one = splat<B>(1);
  switch (f) {
    case FusedActivation::elu:
      if (slope) *slope = batch_elu_backward(one, x, 1.0, 1.0);
      return batch_elu(x, 1.0, 1.0);
    case FusedActivation::selu:
      if (slope) *slope = batch_elu_backward(one, x, k::selu_alpha, k::selu_scale);
      return batch_elu(x, k::selu_alpha, k::selu_scale);
    case FusedActivation::softplus:
      if (slope) *slope = batch_softplus_backward(one, x);
      return batch_softplus(x);
    default:
      if (slope) *slope = batch_gelu_backward(one, x);
      return batch_gelu(x);
  }
}

template Batch<float> rare_activate(FusedActivation, const Batch<float>&, Batch<float>*);
template Batch<double> rare_activate(FusedActivation, const Batch<double>&, Batch<double>*);

}  // namespace grutape::detail
