#include "optim/optimizers/adadelta.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

const AdadeltaOptions& validated(const AdadeltaOptions& o) {
  detail::require_option(detail::in_unit_interval_open(o.rho()), "adadelta", "rho", "in [0, 1)",
                         o.rho());
  // With epsilon 0 the first delta is sqrt(0) / sqrt(v) = 0 and nothing ever moves.
  detail::require_option(std::isfinite(o.epsilon()) && o.epsilon() > 0, "adadelta", "epsilon",
                         "> 0 and finite", o.epsilon());
  return o;
}

}  // namespace

Adadelta::Adadelta(AdadeltaOptions options)
    : Optimizer("adadelta", validated(options).learning_rate(), options.l2_regularization()),
      options_(std::move(options)) {}

nlohmann::json Adadelta::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"rho", options_.rho()},
          {"epsilon", options_.epsilon()},
          {"l2_regularization", options_.l2_regularization()}};
}

void Adadelta::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                      const UpdateBlocks& blocks) {
  const double rho = options_.rho(), eps = options_.epsilon();
  Tensor& v = slot(state, "v", parameter, 0.0);
  Tensor& u = slot(state, "u", parameter, 0.0);
  detail::update_in_place<2>(
      parameter, {&v, &u}, grad, blocks, [=](auto& s, auto g, const auto& r) {
        using B = decltype(g);
        const B d = g + r.l2 * s[0];
        // v_t = rho v_{t-1} + (1 - rho) d^2
        s[1] = splat<B>(rho) * s[1] + splat<B>(1 - rho) * d * d;
        // delta_t = sqrt(u_{t-1} + eps) / sqrt(v_t + eps) d
        const B delta = xsimd::sqrt(s[2] + splat<B>(eps)) / xsimd::sqrt(s[1] + splat<B>(eps)) * d;
        // u_t = rho u_{t-1} + (1 - rho) delta_t^2;  w <- w - lr delta_t
        s[2] = splat<B>(rho) * s[2] + splat<B>(1 - rho) * delta * delta;
        s[0] = s[0] - r.learning_rate * delta;
      });
}

}  // namespace grutape
