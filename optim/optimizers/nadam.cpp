#include "optim/optimizers/nadam.hpp"

#include <cmath>

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

Nadam::Nadam(NadamOptions options) : OptimizerWith("nadam", std::move(options)) {}

void Nadam::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                   const UpdateBlocks& blocks) {
  const double beta1 = options().beta1(), beta2 = options().beta2(), eps = options().epsilon();
  const double psi = options().momentum_decay();
  const auto t = static_cast<double>(state.steps);
  // mu_t = beta1 (1 - 0.5 * 0.96^(t psi)): the momentum of step t under the decay schedule.
  const double mu = beta1 * (1 - 0.5 * std::pow(0.96, t * psi));
  const double mu_next = beta1 * (1 - 0.5 * std::pow(0.96, (t + 1) * psi));
  // prod_{i <= t} mu_i, carried in the state so that it is exact across checkpoints.
  auto found = state.scalars.find("mu_product");
  const double product = (found == state.scalars.end() ? 1.0 : found->second) * mu;
  state.scalars["mu_product"] = product;
  // m_hat = mu_{t+1} m_t / (1 - prod_{i<=t+1} mu_i) + (1 - mu_t) d / (1 - prod_{i<=t} mu_i)
  const double momentum_coefficient = mu_next / (1 - product * mu_next);
  const double gradient_coefficient = (1 - mu) / (1 - product);
  const double correction2 = 1 - std::pow(beta2, t);
  Tensor& m = slot(state, "m", parameter, 0.0);
  Tensor& v = slot(state, "v", parameter, 0.0);
  detail::update_in_place<2>(
      parameter, {&m, &v}, grad, blocks, [=](auto& s, auto g, const auto& r) {
        using B = decltype(g);
        const B d = g + r.l2 * s[0];
        // m_t = beta1 m_{t-1} + (1 - beta1) d;  v_t = beta2 v_{t-1} + (1 - beta2) d^2
        s[1] = splat<B>(beta1) * s[1] + splat<B>(1 - beta1) * d;
        s[2] = splat<B>(beta2) * s[2] + splat<B>(1 - beta2) * d * d;
        const B m_hat = splat<B>(momentum_coefficient) * s[1] + splat<B>(gradient_coefficient) * d;
        // w <- w - lr m_hat / (sqrt(v_t / (1 - beta2^t)) + eps)
        s[0] = s[0] - r.learning_rate * m_hat /
                          (xsimd::sqrt(s[2] / splat<B>(correction2)) + splat<B>(eps));
      });
}

}  // namespace grutape
