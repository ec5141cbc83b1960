#include "optim/optimizers/adadelta.hpp"

#include <cmath>

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

Adadelta::Adadelta(AdadeltaOptions options) : OptimizerWith("adadelta", std::move(options)) {}

void Adadelta::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                      const UpdateBlocks& blocks) {
  const double rho = options().rho(), eps = options().epsilon();
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
