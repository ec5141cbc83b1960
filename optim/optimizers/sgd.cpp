#include "optim/optimizers/sgd.hpp"

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

Sgd::Sgd(SgdOptions options) : OptimizerWith("sgd", std::move(options)) {
  // Nesterov looks ahead along the momentum buffer: it needs one, undamped.
  const SgdOptions& o = this->options();
  if (o.nesterov()) {
    detail::require_option(o.momentum() > 0, "sgd", "momentum", "> 0 for Nesterov", o.momentum());
    detail::require_option(o.dampening() == 0, "sgd", "dampening", "= 0 for Nesterov",
                           o.dampening());
  }
}

std::vector<std::string> Sgd::slot_names() const {
  if (options().momentum() == 0) return {};
  return {"momentum"};
}

void Sgd::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                 const UpdateBlocks& blocks) {
  if (options().momentum() == 0) {
    detail::update_in_place<0>(parameter, {}, grad, blocks, [](auto& s, auto g, const auto& r) {
      // w <- w - lr (g + l2 w)
      s[0] = s[0] - r.learning_rate * (g + r.l2 * s[0]);
    });
    return;
  }
  const double mu = options().momentum(), dampening = options().dampening();
  const bool first = state.steps == 1, nesterov = options().nesterov();
  Tensor& buffer = slot(state, "momentum", parameter, 0.0);
  detail::update_in_place<1>(parameter, {&buffer}, grad, blocks,
                             [=](auto& s, auto g, const auto& r) {
                               using B = decltype(g);
                               const B d = g + r.l2 * s[0];
                               // b_1 = d_1;  b_t = mu b_{t-1} + (1 - dampening) d_t
                               s[1] = first ? d : splat<B>(mu) * s[1] + splat<B>(1 - dampening) * d;
                               // Nesterov: w <- w - lr (d_t + mu b_t);  heavy ball: w <- w - lr b_t
                               const B direction = nesterov ? d + splat<B>(mu) * s[1] : s[1];
                               s[0] = s[0] - r.learning_rate * direction;
                             });
}

}  // namespace grutape
