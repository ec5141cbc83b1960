#include "optim/optimizers/param_options.hpp"

#include "core/detail/option_checks.hpp"
#include "core/error.hpp"

namespace grutape {
namespace {

bool uniform(const GateFactorValues& values) {
  return values[0] == values[1] && values[1] == values[2];
}

void require_factors(const GateFactorValues& values, const std::string& where,
                     const std::string& name) {
  static const char* const gates[] = {"update", "reset", "candidate"};
  for (std::size_t gate = 0; gate < 3; ++gate) {
    detail::require_option(detail::finite_non_negative(values[gate]), where,
                           name + " (" + gates[gate] + ")", ">= 0 and finite", values[gate]);
  }
}

}  // namespace

ParamOptions& ParamOptions::learn_rate_factor(double all) {
  learn_rate_factors_ = {all, all, all};
  return *this;
}

ParamOptions& ParamOptions::learn_rate_factors(const GateFactorValues& update_reset_candidate) {
  learn_rate_factors_ = update_reset_candidate;
  return *this;
}

ParamOptions& ParamOptions::l2_factor(double all) {
  l2_factors_ = {all, all, all};
  return *this;
}

ParamOptions& ParamOptions::l2_factors(const GateFactorValues& update_reset_candidate) {
  l2_factors_ = update_reset_candidate;
  return *this;
}

ParamOptions& ParamOptions::frozen(bool frozen) {
  frozen_ = frozen;
  return *this;
}

ParamOptions& ParamOptions::constraint(std::shared_ptr<const Constraint> constraint) {
  constraint_ = std::move(constraint);
  return *this;
}

bool ParamOptions::per_gate() const {
  return !uniform(learn_rate_factors_) || !uniform(l2_factors_);
}

void ParamOptions::validate(const Shape& shape, const std::string& where) const {
  require_factors(learn_rate_factors_, where, "learn_rate_factor");
  require_factors(l2_factors_, where, "l2_factor");
  if (per_gate() && (shape.empty() || shape.back() % 3 != 0)) {
    throw ShapeError(where, "a last axis of 3 equal gate blocks for per-gate factors",
                     "shape " + shape_to_string(shape));
  }
}

}  // namespace grutape
