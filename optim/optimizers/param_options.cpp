#include "optim/optimizers/param_options.hpp"

#include <algorithm>

#include "core/detail/option_checks.hpp"
#include "core/error.hpp"

namespace grutape {
namespace {

void require_factors(const GateFactors& factors, const std::string& where,
                     const std::string& name) {
  for (std::size_t gate = 0; gate < factors.gates(); ++gate) {
    const std::string which = factors.uniform()
                                  ? name
                                  : name + " (gate " + std::to_string(gate + 1) + " of " +
                                        std::to_string(factors.gates()) + ")";
    detail::require_option(detail::finite_non_negative(factors[gate]), where, which,
                           ">= 0 and finite", factors[gate]);
  }
}

}  // namespace

ParamOptions& ParamOptions::learn_rate_factor(GateFactors factors) {
  learn_rate_factor_ = std::move(factors);
  return *this;
}

ParamOptions& ParamOptions::l2_factor(GateFactors factors) {
  l2_factor_ = std::move(factors);
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
  return !learn_rate_factor_.uniform() || !l2_factor_.uniform();
}

std::size_t ParamOptions::gates() const {
  return std::max(learn_rate_factor_.gates(), l2_factor_.gates());
}

void ParamOptions::validate(const Shape& shape, const std::string& where) const {
  require_factors(learn_rate_factor_, where, "learn_rate_factor");
  require_factors(l2_factor_, where, "l2_factor");
  if (!learn_rate_factor_.uniform() && !l2_factor_.uniform() &&
      learn_rate_factor_.gates() != l2_factor_.gates()) {
    throw ValueError(
        where, "the same number of gates in learn_rate_factor and l2_factor",
        std::to_string(learn_rate_factor_.gates()) + " and " + std::to_string(l2_factor_.gates()));
  }
  (learn_rate_factor_.uniform() ? l2_factor_ : learn_rate_factor_).require_blocks(shape, where);
}

}  // namespace grutape
