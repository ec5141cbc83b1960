#include "layers/params/regularizers.hpp"

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "layers/models/model_parameters.hpp"

namespace grutape {
namespace {

// a + b where either may be undefined (no term).
Value add_terms(const Value& a, const Value& b) {
  if (!a.defined()) return b;
  if (!b.defined()) return a;
  return a + b;
}

}  // namespace

Value regularization_term(const RegularizerSpec& spec, const Value& tensor) {
  validate_regularizer(spec, "regularization_term");
  if (spec.empty()) return Value();
  const double default_factor = spec.name == "l1_l2" ? 0.0 : 0.01;
  Value term;
  if (spec.name != "l2") {
    // l1 * sum |w|
    term = sum(abs(tensor)) * spec.parameter("l1", default_factor);
  }
  if (spec.name != "l1") {
    // l2 * sum w^2
    term = add_terms(term, sum(square(tensor)) * spec.parameter("l2", default_factor));
  }
  return term;
}

Value activity_regularization_term(const RegularizerSpec& spec, const Value& output) {
  if (output.rank() == 0 || output.shape()[0] == 0) {
    throw ShapeError("activity_regularization_term", "an output with samples (batch > 0)",
                     "shape " + shape_to_string(output.shape()));
  }
  const Value term = regularization_term(spec, output);
  if (!term.defined()) return term;
  return term / static_cast<double>(output.shape()[0]);
}

Value parameter_regularization(const Layer& model) {
  Value total;
  for (const ModelParameter& parameter : model_parameters(model)) {
    const ParameterSettings settings = parameter.owner->parameter_settings(parameter.own_name);
    total = add_terms(total, regularization_term(settings.regularizer, parameter.value));
  }
  return total;
}

Value activity_regularization(const Layer& model) {
  Value total;
  for (const Value& term : model.activity_losses()) total = add_terms(total, term);
  return total;
}

Value regularization_loss(const Layer& model) {
  return add_terms(parameter_regularization(model), activity_regularization(model));
}

}  // namespace grutape
