#include "layers/gru/fused/detail/activations.hpp"

#include <array>
#include <utility>

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

}  // namespace grutape::detail
