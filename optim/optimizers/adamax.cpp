#include "optim/optimizers/adamax.hpp"

#include <cmath>

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

Adamax::Adamax(AdamaxOptions options) : OptimizerWith("adamax", std::move(options)) {}

void Adamax::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                    const UpdateBlocks& blocks) {
  const double beta1 = options().beta1(), beta2 = options().beta2(), eps = options().epsilon();
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
