#include "optim/optimizers/parameter_registration.hpp"

#include <algorithm>

#include "layers/models/model_parameters.hpp"
#include "layers/params/constraint.hpp"

namespace grutape {

ParamOptions param_options_from(const ParameterSettings& settings, bool frozen) {
  ParamOptions options;
  options.learn_rate_factor(settings.learn_rate_factor);
  options.l2_factor(settings.l2_factor);
  options.frozen(frozen);
  if (!settings.constraint.empty()) {
    options.constraint(make_constraint(settings.constraint.name, settings.constraint.parameters));
  }
  return options;
}

std::size_t register_parameters(Optimizer& optimizer, const Layer& model) {
  const std::vector<std::string> known = optimizer.names();
  std::size_t added = 0;
  for (const ModelParameter& parameter : model_parameters(model)) {
    const ParamOptions options = param_options_from(
        parameter.owner->parameter_settings(parameter.own_name), !parameter.owner->flags().update);
    if (std::find(known.begin(), known.end(), parameter.name) == known.end()) {
      optimizer.add_parameter(parameter.name, parameter.value, options);
      ++added;
      continue;
    }
    if (optimizer.parameter(parameter.name).slot() != parameter.value.slot()) {
      throw ValueError("register_parameters \"" + parameter.name + "\"",
                       "the tensor registered under that name", "another tensor of the same name");
    }
    optimizer.set_param_options(parameter.name, options);
  }
  return added;
}

}  // namespace grutape
