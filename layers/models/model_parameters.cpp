#include "layers/models/model_parameters.hpp"

#include <set>

namespace grutape {
namespace {

void collect(const Layer& layer, const std::string& prefix, std::set<const GradSlot*>& seen,
             std::vector<ModelParameter>& out) {
  for (const auto& [name, value] : layer.own_parameters()) {
    if (!seen.insert(value.slot().get()).second) continue;
    out.push_back(ModelParameter{prefix + name, &layer, name, value});
  }
  for (const auto& [name, sublayer] : layer.sublayers()) {
    collect(*sublayer, prefix + name + ".", seen, out);
  }
}

}  // namespace

std::vector<ModelParameter> model_parameters(const Layer& model) {
  std::vector<ModelParameter> out;
  std::set<const GradSlot*> seen;
  collect(model, "", seen, out);
  return out;
}

}  // namespace grutape
