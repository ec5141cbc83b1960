#include "optim/optimizers/adamax.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

const AdamaxOptions& validated(const AdamaxOptions& o) {
  detail::require_option(detail::in_unit_interval_open(o.beta1()), "adamax", "beta1", "in [0, 1)",
                         o.beta1());
  detail::require_option(detail::in_unit_interval_open(o.beta2()), "adamax", "beta2", "in [0, 1)",
                         o.beta2());
  detail::require_option(detail::finite_non_negative(o.epsilon()), "adamax", "epsilon",
                         ">= 0 and finite", o.epsilon());
  return o;
}

}  // namespace

Adamax::Adamax(AdamaxOptions options)
    : Optimizer("adamax", validated(options).learning_rate(), options.l2_regularization()),
      options_(std::move(options)) {}

nlohmann::json Adamax::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"beta1", options_.beta1()},
          {"beta2", options_.beta2()},
          {"epsilon", options_.epsilon()},
          {"l2_regularization", options_.l2_regularization()}};
}

void Adamax::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                    const UpdateBlocks& blocks) {
  const double beta1 = options_.beta1(), beta2 = options_.beta2(), eps = options_.epsilon();
  const double correction1 = 1 - std::pow(beta1, static_cast<double>(state.steps));
  Tensor& m = slot(state, "m", parameter, 0.0);
  Tensor& u = slot(state, "u", parameter, 0.0);
  detail::update_in_place<2>(
      parameter, {&m, &u}, grad, blocks, [=](auto& s, auto g, const auto& r) {
        using B = decltype(g);
        const B d = g + r.l2 * s[0];
        // m_t = beta1 m_{t-1} + (1 - beta1) d
        s[1] = splat<B>(beta1) * s[1] + splat<B>(1 - beta1) * d;
        // u_t = max(beta2 u_{t-1}, |d| + eps)
        s[2] = xsimd::max(splat<B>(beta2) * s[2], xsimd::abs(d) + splat<B>(eps));
        // w <- w - lr m_t / ((1 - beta1^t) u_t)
        s[0] = s[0] - r.learning_rate * s[1] / (splat<B>(correction1) * s[2]);
      });
}

}  // namespace grutape
